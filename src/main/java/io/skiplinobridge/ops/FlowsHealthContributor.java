package io.skiplinobridge.ops;

import java.util.Iterator;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code flows}: one member per {@link OperatedFlow} (e.g. {@code flows.salesforce-poll} shows the last
 * successful poll and an API-limit hold). A flow is DEGRADED while it reports a reason it cannot work,
 * and UP otherwise, paused or not (a pause is an operator's decision, shown in the details).
 */
@Component("flows")
@ConditionalOnFlows
class FlowsHealthContributor implements CompositeHealthContributor {

    private final FlowControl flows;

    FlowsHealthContributor(FlowControl flows) {
        this.flows = flows;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return flows.find(name).map(this::indicator).orElse(null);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return flows.flows().stream()
                .map(flow -> NamedContributor.of(flow.name(), (HealthContributor) indicator(flow)))
                .iterator();
    }

    private HealthIndicator indicator(OperatedFlow flow) {
        return () -> {
            FlowControl.FlowState state = flows.state(flow);
            FlowReport report = state.report();
            Health.Builder health = new Health.Builder(report.degraded() == null ? Status.UP : OpsHealth.DEGRADED)
                    .withDetail("paused", state.paused());
            if (state.lastSwitch() != null && state.paused()) {
                health.withDetail("pausedBy", String.valueOf(state.lastSwitch().by()))
                        .withDetail("pausedAt", String.valueOf(state.lastSwitch().at()))
                        .withDetail("pauseReason", String.valueOf(state.lastSwitch().reason()));
            }
            if (report.degraded() != null) {
                health.withDetail("degraded", report.degraded());
            }
            health.withDetail("lastRunAt", report.lastRunAt() == null ? "never" : report.lastRunAt().toString())
                    .withDetail("lastSuccessAt", report.lastSuccessAt() == null ? "never" : report.lastSuccessAt().toString());
            if (report.lastError() != null) {
                health.withDetail("lastError", report.lastError());
            }
            return health.withDetails(report.details()).build();
        };
    }
}
