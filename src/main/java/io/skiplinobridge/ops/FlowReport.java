package io.skiplinobridge.ops;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a flow last did, as {@link OperatedFlow#report()} tells it.
 *
 * @param lastRunAt     end of the last run or unit of work (successful or not), null if none yet
 * @param lastSuccessAt end of the last successful run, null if none yet
 * @param lastError     why the last failed run failed, null when the last run succeeded; never a secret
 * @param degraded      why the flow cannot do its work right now although no operator paused it (an
 *                      API-limit pause, an open circuit, no successful run for too long), null when it can;
 *                      the {@code flows} health contributor reports the flow DEGRADED with this reason
 * @param details       further facts for the status page and the health details (watermark, limits, ...)
 */
public record FlowReport(Instant lastRunAt, Instant lastSuccessAt, String lastError, String degraded,
                         Map<String, Object> details) {

    public FlowReport {
        Map<String, Object> kept = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((key, value) -> {
                if (value != null) {
                    kept.put(key, value);
                }
            });
        }
        details = Collections.unmodifiableMap(kept);
    }

    /** A flow that has not run yet. */
    public static FlowReport idle() {
        return new FlowReport(null, null, null, null, Map.of());
    }
}
