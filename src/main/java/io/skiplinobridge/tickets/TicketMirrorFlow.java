package io.skiplinobridge.tickets;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.ops.FlowReport;
import io.skiplinobridge.ops.OperatedFlow;
import io.skiplinobridge.skiplino.SkiplinoGuard;

import org.springframework.stereotype.Component;

/**
 * The ticket mirror (discovery and CRM outbox) as an operated flow: pausing it stops both the polling
 * of Skiplino and the deliveries to the CRM; what is queued waits in the outbox.
 */
@Component
@ConditionalOnFlows
class TicketMirrorFlow implements OperatedFlow {

    static final String NAME = "ticket-mirror";

    private final TicketDiscovery discovery;
    private final TicketOutbox outbox;
    private final MirrorTargets targets;
    private final TicketProperties properties;
    private final SkiplinoGuard guard;

    TicketMirrorFlow(TicketDiscovery discovery, TicketOutbox outbox, MirrorTargets targets, TicketProperties properties,
                     SkiplinoGuard guard) {
        this.discovery = discovery;
        this.outbox = outbox;
        this.targets = targets;
        this.properties = properties;
        this.guard = guard;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String pauseFlag() {
        return TicketDiscovery.PAUSE_FLAG;
    }

    @Override
    public String description() {
        return "Skiplino tickets of synced customers discovered by polling and written to the CRM";
    }

    @Override
    public FlowReport report() {
        TicketDiscovery.CycleReport cycle = discovery.lastCycle();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", properties.enabled() && properties.discovery().enabled());
        details.put("targets", targets.all());
        details.put("requestsPerMinute", properties.discovery().requestsPerMinute());
        details.put("budgetAvailable", discovery.budgetAvailable());
        if (cycle != null) {
            details.put("lastCycleRequests", cycle.requests());
            details.put("lastCycleCustomers", cycle.customers());
            details.put("lastCycleQueued", cycle.queued());
        }
        details.put("lastDeliveryAt", outbox.lastDeliveryAt());
        details.put("batchesInFlight", outbox.inFlight());
        String degraded = null;
        if (!properties.enabled()) {
            degraded = "switched off by bridge.tickets.enabled=false";
        } else if (!guard.acceptingWork()) {
            SkiplinoGuard.Status skiplino = guard.status();
            degraded = skiplino.pausedUntil() != null
                    ? "Skiplino answered 429: discovery paused until " + skiplino.pausedUntil()
                    : "Skiplino's circuit breaker is " + skiplino.circuitState() + ": discovery waits";
        }
        Instant lastRun = latest(cycle == null ? null : cycle.endedAt(), outbox.lastDeliveryAt());
        Instant lastSuccess = latest(discovery.lastSuccessAt(), outbox.lastSuccessAt());
        String lastError = outbox.lastError() != null ? outbox.lastError() : cycle == null ? null : cycle.failure();
        return new FlowReport(lastRun, lastSuccess, lastError, degraded, details);
    }

    private static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
