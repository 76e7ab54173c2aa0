package io.skiplinobridge.crm;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.sync.AppendResult;

import org.springframework.stereotype.Component;

/**
 * Counters of the CRM webhook. {@code bridge.changes.received} and {@code bridge.changes.duplicates}
 * are shared with the other change sources (tag {@code source}); every counter is created once, so
 * the request path only increments.
 */
@Component
@ConditionalOnFlows
class WebhookMetrics {

    static final String RECEIVED = "bridge.changes.received";
    static final String DUPLICATES = "bridge.changes.duplicates";
    static final String REJECTED = "bridge.webhook.rejected";
    static final String SOURCE_TAG = "webhook";

    private final Counter received;
    private final Counter duplicates;
    private final Map<WebhookRejection.Reason, Counter> rejected = new EnumMap<>(WebhookRejection.Reason.class);

    WebhookMetrics(MeterRegistry registry) {
        received = Counter.builder(RECEIVED).tag("source", SOURCE_TAG)
                .description("Customer changes newly stored in the inbox, by source").register(registry);
        duplicates = Counter.builder(DUPLICATES).tag("source", SOURCE_TAG)
                .description("Customer changes received again (event id already stored), by source").register(registry);
        for (WebhookRejection.Reason reason : WebhookRejection.Reason.values()) {
            rejected.put(reason, Counter.builder(REJECTED).tag("reason", reason.tag())
                    .description("Requests to POST /api/crm/events refused, by reason").register(registry));
        }
    }

    void stored(AppendResult result) {
        received.increment(result.accepted());
        duplicates.increment(result.duplicates());
    }

    void rejected(WebhookRejection.Reason reason) {
        rejected.get(reason).increment();
    }
}
