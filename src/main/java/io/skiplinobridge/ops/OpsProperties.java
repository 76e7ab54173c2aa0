package io.skiplinobridge.ops;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operations surface ({@code bridge.ops.*}); every key is commented for the operator in
 * {@code config/application.yaml}, and the defaults here mirror that file.
 *
 * @param token           bearer token of the ops API ({@code BRIDGE_OPS_TOKEN}); empty: generated in sandbox
 *                        mode, every call refused otherwise
 * @param refreshInterval how long the database figures behind the metrics, health and status are reused
 * @param backlogMaxAge   the backlog health turns DEGRADED when the oldest pending change is older
 * @param rateWindow      the window over which changes/min and applied/min are averaged
 * @param resync          resync limits
 */
@ConfigurationProperties("bridge.ops")
record OpsProperties(
        @DefaultValue("") String token,
        @DefaultValue("5s") Duration refreshInterval,
        @DefaultValue("15m") Duration backlogMaxAge,
        @DefaultValue("5m") Duration rateWindow,
        @DefaultValue Resync resync) {

    OpsProperties {
        token = token == null ? "" : token.strip();
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("bridge.ops.refresh-interval must not be negative");
        }
        if (rateWindow.toSeconds() < 60) {
            throw new IllegalArgumentException("bridge.ops.rate-window must be at least 1m");
        }
    }

    /**
     * @param listLimit      ids listed per category in a resync report (the counts are always complete)
     * @param maxExternalIds most externalIds one resync request may list
     * @param answerWithin   how long {@code POST /ops/api/resync} waits for the result before answering
     *                       202 with the job to poll
     * @param keepJobs       finished resync jobs kept for {@code GET /ops/api/resync/{id}}
     */
    record Resync(
            @DefaultValue("100") int listLimit,
            @DefaultValue("10000") int maxExternalIds,
            @DefaultValue("10s") Duration answerWithin,
            @DefaultValue("20") int keepJobs) {

        Resync {
            if (listLimit < 0 || maxExternalIds < 1 || keepJobs < 1 || answerWithin.isNegative()) {
                throw new IllegalArgumentException("bridge.ops.resync: list-limit must be 0 or more, max-external-ids "
                        + "and keep-jobs at least 1, answer-within not negative");
            }
        }
    }

    @Override
    public String toString() {
        return "OpsProperties[token=" + (token.isEmpty() ? "" : "<redacted>") + ", refreshInterval=" + refreshInterval
                + ", backlogMaxAge=" + backlogMaxAge + ", rateWindow=" + rateWindow + ", resync=" + resync + "]";
    }
}
