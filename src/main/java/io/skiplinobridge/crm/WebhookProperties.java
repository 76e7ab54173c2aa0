package io.skiplinobridge.crm;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CRM webhook {@code POST /api/crm/events} ({@code bridge.webhook.*}).
 *
 * @param secrets            space-separated {@code whsec_} secrets accepted on the endpoint
 *                           ({@code BRIDGE_WEBHOOK_SECRETS}); several at once allow rotation
 * @param timestampTolerance how far {@code webhook-timestamp} may be from the bridge clock, both ways
 * @param maxFutureSkew      how far in the future an event's {@code occurredAt} may be; a later one is
 *                           refused because it would make every real change after it look stale
 */
@ConfigurationProperties("bridge.webhook")
record WebhookProperties(
        @DefaultValue("") String secrets,
        @DefaultValue("5m") Duration timestampTolerance,
        @DefaultValue("5m") Duration maxFutureSkew) {

    @Override
    public String toString() {
        return "WebhookProperties[secrets=<redacted>, timestampTolerance=" + timestampTolerance
                + ", maxFutureSkew=" + maxFutureSkew + "]";
    }
}
