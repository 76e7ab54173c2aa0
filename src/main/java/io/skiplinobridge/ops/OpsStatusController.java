package io.skiplinobridge.ops;

import java.time.Instant;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.config.InstanceId;
import io.skiplinobridge.skiplino.SkiplinoGuard;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /ops/api/status}: the whole bridge at a glance, for the dashboard and for scripts. */
@RestController
@ConditionalOnFlows
@RequestMapping("/ops/api")
class OpsStatusController {

    private final SyncFigures figures;
    private final SkiplinoGuard guard;
    private final FlowControl flows;
    private final OpsMetrics metrics;
    private final OpsProperties properties;
    private final InstanceId instance;

    OpsStatusController(SyncFigures figures, SkiplinoGuard guard, FlowControl flows, OpsMetrics metrics,
                        OpsProperties properties, InstanceId instance) {
        this.figures = figures;
        this.guard = guard;
        this.flows = flows;
        this.metrics = metrics;
        this.properties = properties;
        this.instance = instance;
    }

    @GetMapping("/status")
    Status status() {
        SyncSnapshot snapshot = figures.current();
        List<FlowControl.FlowState> states = flows.states();
        FlowControl.FlowState deletes = states.stream().filter(s -> s.name().equals(DeletesFlow.NAME)).findFirst()
                .orElseThrow();
        OutboxBacklog.Backlog outbox = metrics.outbox();
        return new Status(instance.value(), snapshot.takenAt(),
                new Backlog(snapshot.pendingEvents(), snapshot.oldestPendingAt(),
                        Math.round(snapshot.oldestPendingAgeSeconds()), properties.backlogMaxAge().toSeconds(),
                        snapshot.customersDue(), snapshot.customersWaiting(), snapshot.customersInFlight(),
                        snapshot.openFailures()),
                new Rates(snapshot.rateWindow().toSeconds(), snapshot.receivedPerMinute(), snapshot.appliedPerMinute()),
                guard.status(), new Outbox(outbox.size(), outbox.oldestAt()), states,
                states.stream().filter(FlowControl.FlowState::paused).map(FlowControl.FlowState::name).toList(),
                new DeletesGuard(deletes.paused(), deletes.lastSwitch()));
    }

    /**
     * @param figuresAt when the database figures were read (they are reused for {@code bridge.ops.refresh-interval})
     * @param paused    names of the paused flows
     */
    record Status(String instance, Instant figuresAt, Backlog backlog, Rates rates, SkiplinoGuard.Status skiplino,
                  Outbox outbox, List<FlowControl.FlowState> flows, List<String> paused, DeletesGuard deletesGuard) {
    }

    record Backlog(long pendingEvents, Instant oldestPendingAt, long oldestPendingAgeSeconds, long maxAgeSeconds,
                   long customersDue, long customersWaiting, long customersInFlight, long openFailures) {
    }

    record Rates(long windowSeconds, double receivedPerMinute, double appliedPerMinute) {
    }

    record Outbox(long size, Instant oldestAt) {
    }

    /** @param lastSwitch who last tripped or resumed it (the guard itself trips it as {@code delete-guard}) */
    record DeletesGuard(boolean paused, FlowControl.Switch lastSwitch) {
    }
}
