package io.skiplinobridge.salesforce;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** See {@link ConditionalOnSalesforce}. */
class SalesforceConnectorCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        String why = whyOff(context.getEnvironment());
        return why == null ? ConditionOutcome.match("the Salesforce connector is on") : ConditionOutcome.noMatch(why);
    }

    /** Null when the connector is on, otherwise why it is off. */
    static String whyOff(Environment env) {
        if (!env.getProperty("bridge.flows.enabled", Boolean.class, true)) {
            return "bridge flows are off (sandbox-only)";
        }
        if (!env.getProperty("bridge.salesforce.client-id", "").isBlank()) {
            return null;
        }
        if (env.getProperty("bridge.sandbox.enabled", Boolean.class, false)) {
            return null;
        }
        return "no Salesforce client id configured and not in sandbox mode";
    }
}
