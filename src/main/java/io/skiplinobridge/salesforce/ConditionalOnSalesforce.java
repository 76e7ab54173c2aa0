package io.skiplinobridge.salesforce;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * The bean exists only while the Salesforce connector is on: the bridge's flows run (not
 * {@code sandbox-only}) and either a connected-app client id is configured
 * ({@code bridge.salesforce.client-id}, {@code SALESFORCE_CLIENT_ID}) or the bridge is in sandbox mode,
 * where it talks to its embedded Salesforce sandbox. Beans that use the {@code salesforce} Camel
 * component (the poll, ticket upserts) carry it.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(SalesforceConnectorCondition.class)
public @interface ConditionalOnSalesforce {
}
