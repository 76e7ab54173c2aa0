package io.skiplinobridge.ops;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.skiplino.SkiplinoGuard;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code skiplino}: the guard in front of every Skiplino call, from memory (no call is made). DEGRADED
 * while the circuit breaker is not closed or calls are paused after a 429.
 */
@Component("skiplino")
@ConditionalOnFlows
class SkiplinoHealthIndicator extends AbstractHealthIndicator {

    private final SkiplinoGuard guard;

    SkiplinoHealthIndicator(SkiplinoGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        SkiplinoGuard.Status status = guard.status();
        builder.status("CLOSED".equals(status.circuitState()) && status.pausedUntil() == null
                        ? Status.UP : OpsHealth.DEGRADED)
                .withDetail("circuitState", status.circuitState())
                .withDetail("acceptingWork", status.acceptingWork())
                .withDetail("requestsPerSecond", status.requestsPerSecond())
                .withDetail("configuredRequestsPerSecond", status.configuredRequestsPerSecond())
                .withDetail("requestsInFlight", status.requestsInFlight());
        if (status.pausedUntil() != null) {
            builder.withDetail("pausedUntil", status.pausedUntil().toString());
        }
        builder.withDetail("lastSuccessAt", status.lastSuccessAt() == null ? "none yet" : status.lastSuccessAt().toString());
    }
}
