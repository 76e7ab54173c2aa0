package io.skiplinobridge.ops;

import java.util.Collection;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * {@code camelRoutes}: Camel's own health checks of the context and of every route (ids {@code context}
 * and {@code route:<id>}), and nothing else, for the readiness group: "routes started". Camel's
 * consumer checks are left out on purpose: a consumer polling a remote system (Salesforce) goes DOWN
 * when that system does, and a downstream outage must not take this instance out of rotation. They
 * still show in {@code camelHealth}.
 */
@Component("camelRoutes")
class CamelRoutesHealthIndicator extends AbstractHealthIndicator {

    private final CamelContext camel;

    CamelRoutesHealthIndicator(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // the predicate names the checks to leave out
        Collection<HealthCheck.Result> results = HealthCheckHelper.invoke(camel, check -> Map.of(),
                check -> !"context".equals(check.getId()) && !check.getId().startsWith("route:"), "full");
        builder.up();
        for (HealthCheck.Result result : results) {
            builder.withDetail(result.getCheck().getId(), result.getState().name());
            if (result.getState() != HealthCheck.State.UP) {
                builder.down();
            }
        }
        if (results.isEmpty()) {
            builder.withDetail("context", camel.getStatus().name());
            if (!camel.getStatus().isStarted()) {
                builder.down();
            }
        }
    }
}
