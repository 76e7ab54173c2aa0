package io.skiplinobridge.ops;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code backlog}: the customer sync's backlog. DEGRADED when the oldest pending change is older than
 * {@code bridge.ops.backlog-max-age} (Skiplino down, the flow paused, deletes held, too little
 * throughput); the changes themselves are safe in the inbox.
 */
@Component("backlog")
@ConditionalOnFlows
class BacklogHealthIndicator extends AbstractHealthIndicator {

    private final SyncFigures figures;
    private final OpsProperties properties;

    BacklogHealthIndicator(SyncFigures figures, OpsProperties properties) {
        super("the backlog figures cannot be read from the database");
        this.figures = figures;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        SyncSnapshot snapshot = figures.current();
        double age = snapshot.oldestPendingAgeSeconds();
        builder.status(age > properties.backlogMaxAge().toSeconds() ? OpsHealth.DEGRADED : Status.UP)
                .withDetail("pendingEvents", snapshot.pendingEvents())
                .withDetail("oldestPendingAgeSeconds", Math.round(age))
                .withDetail("maxAgeSeconds", properties.backlogMaxAge().toSeconds())
                .withDetail("customersDue", snapshot.customersDue())
                .withDetail("customersWaiting", snapshot.customersWaiting())
                .withDetail("customersInFlight", snapshot.customersInFlight())
                .withDetail("openFailures", snapshot.openFailures());
    }
}
