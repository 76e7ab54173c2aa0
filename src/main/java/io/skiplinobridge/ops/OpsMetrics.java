package io.skiplinobridge.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.sync.ChangeSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The gauges of the ops surface, all read from cached figures so a scrape never waits on the database
 * more than once per {@code bridge.ops.refresh-interval}: the customer sync backlog, the CRM outbox
 * backlog, and each operated flow's pause, degradation and last success. Also registers the per-source
 * change counters up front, so every source shows (at 0) before its first change.
 */
@Component
@ConditionalOnFlows
class OpsMetrics {

    static final String RECEIVED = "bridge.changes.received";
    static final String DUPLICATES = "bridge.changes.duplicates";

    private final Counter resyncReceived;
    private final ObjectProvider<OutboxBacklog> outbox;
    private final OpsProperties properties;
    private final Clock clock;
    private volatile OutboxBacklog.Backlog outboxCached = OutboxBacklog.Backlog.EMPTY;
    private volatile Instant outboxReadAt;

    OpsMetrics(MeterRegistry meters, SyncFigures figures, FlowControl flows, ObjectProvider<OutboxBacklog> outbox,
               OpsProperties properties, Clock clock) {
        this.outbox = outbox;
        this.properties = properties;
        this.clock = clock;
        Counter resync = null;
        for (ChangeSource source : ChangeSource.values()) {
            String tag = source.name().toLowerCase(Locale.ROOT);
            Counter received = Counter.builder(RECEIVED).tag("source", tag)
                    .description("Customer changes newly stored in the inbox, by source").register(meters);
            Counter.builder(DUPLICATES).tag("source", tag)
                    .description("Customer changes received again (event id already stored), by source").register(meters);
            if (source == ChangeSource.RESYNC) {
                resync = received;
            }
        }
        this.resyncReceived = resync;

        syncGauge(meters, figures, "bridge.sync.backlog.events", null, "Customer changes waiting to be applied",
                SyncSnapshot::pendingEvents);
        syncGauge(meters, figures, "bridge.sync.backlog.customers", "due", "Customers with work due now", SyncSnapshot::customersDue);
        syncGauge(meters, figures, "bridge.sync.backlog.customers", "waiting",
                "Customers whose work waits for a retry time (backoff, held deletes)", SyncSnapshot::customersWaiting);
        syncGauge(meters, figures, "bridge.sync.backlog.customers", "in_flight", "Customers a worker holds now",
                SyncSnapshot::customersInFlight);
        Gauge.builder("bridge.sync.backlog.oldest.age", figures, f -> value(f.forMetrics(), SyncSnapshot::oldestPendingAgeSeconds))
                .baseUnit("seconds").description("Age of the oldest change waiting to be applied (0 without a backlog)")
                .register(meters);
        syncGauge(meters, figures, "bridge.sync.failures.open", null, "Parked changes waiting for an operator",
                SyncSnapshot::openFailures);

        Gauge.builder("bridge.outbox.backlog", this, m -> m.outbox().size())
                .description("Ticket states waiting in the CRM outbox").register(meters);
        Gauge.builder("bridge.outbox.oldest.age", this, m -> ageSeconds(m.outbox().oldestAt()))
                .baseUnit("seconds").description("Age of the oldest entry waiting in the CRM outbox (0 when empty)")
                .register(meters);

        for (OperatedFlow flow : flows.flows()) {
            Gauge.builder("bridge.flow.paused", flow, f -> flows.paused(f) ? 1 : 0).tag("flow", flow.name())
                    .description("1 while an operator (or a guard) has paused the flow").register(meters);
            Gauge.builder("bridge.flow.degraded", flow, f -> f.report().degraded() == null ? 0 : 1).tag("flow", flow.name())
                    .description("1 while the flow cannot do its work for a reason other than a pause").register(meters);
            Gauge.builder("bridge.flow.last.success.timestamp", flow, f -> epochSeconds(f.report().lastSuccessAt()))
                    .tag("flow", flow.name()).baseUnit("seconds")
                    .description("Unix time of the flow's last successful run (0: none yet)").register(meters);
        }
    }

    /** Changes a resync enqueued. */
    void resyncEnqueued(int changes) {
        resyncReceived.increment(changes);
    }

    /** The outbox backlog, read at most once per refresh interval; empty without an {@link OutboxBacklog} bean. */
    OutboxBacklog.Backlog outbox() {
        OutboxBacklog source = outbox.getIfAvailable();
        if (source == null) {
            return OutboxBacklog.Backlog.EMPTY;
        }
        Instant now = clock.instant();
        Instant readAt = outboxReadAt;
        if (readAt == null || !readAt.plus(properties.refreshInterval()).isAfter(now)) {
            outboxCached = source.read();
            outboxReadAt = now;
        }
        return outboxCached;
    }

    private static void syncGauge(MeterRegistry meters, SyncFigures figures, String name, String state,
                                  String description, ToDoubleFunction<SyncSnapshot> value) {
        Gauge.Builder<SyncFigures> gauge = Gauge.builder(name, figures, f -> value(f.forMetrics(), value))
                .description(description);
        if (state != null) {
            gauge.tag("state", state);
        }
        gauge.register(meters);
    }

    private static double value(SyncSnapshot snapshot, ToDoubleFunction<SyncSnapshot> value) {
        return snapshot == null ? Double.NaN : value.applyAsDouble(snapshot);
    }

    private double ageSeconds(Instant since) {
        return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }

    private static double epochSeconds(Instant at) {
        return at == null ? 0 : at.toEpochMilli() / 1000.0;
    }
}
