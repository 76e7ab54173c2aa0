package io.skiplinobridge.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.sync.SyncProperties;

import org.springframework.stereotype.Component;

/** The customer sync (inbox → Skiplino customers) as an operated flow; its runs are read from the processing history. */
@Component
@ConditionalOnFlows
class CustomerSyncFlow implements OperatedFlow {

    static final String NAME = "customer-sync";

    private final SyncFigures figures;
    private final SkiplinoGuard guard;
    private final CustomerSyncClaimer claimer;
    private final SyncProperties properties;

    CustomerSyncFlow(SyncFigures figures, SkiplinoGuard guard, CustomerSyncClaimer claimer, SyncProperties properties) {
        this.figures = figures;
        this.guard = guard;
        this.claimer = claimer;
        this.properties = properties;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String pauseFlag() {
        return CustomerSyncClaimer.PAUSE_FLAG;
    }

    @Override
    public String description() {
        return "CRM changes from the inbox applied to Skiplino customers";
    }

    @Override
    public FlowReport report() {
        SyncSnapshot snapshot = figures.forMetrics();
        SkiplinoGuard.Status skiplino = guard.status();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", properties.enabled());
        details.put("workers", properties.workers());
        details.put("claimedByThisInstance", claimer.inFlight());
        String degraded = null;
        if (!properties.enabled()) {
            degraded = "switched off by bridge.sync.enabled=false";
        } else if (!skiplino.acceptingWork()) {
            degraded = skiplino.pausedUntil() != null
                    ? "Skiplino answered 429: calls paused until " + skiplino.pausedUntil()
                    : "Skiplino's circuit breaker is " + skiplino.circuitState() + ": workers claim nothing meanwhile";
        }
        return new FlowReport(snapshot == null ? null : snapshot.lastAttemptAt(),
                snapshot == null ? null : snapshot.lastSuccessAt(), null, degraded, details);
    }
}
