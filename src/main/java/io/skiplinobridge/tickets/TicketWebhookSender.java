package io.skiplinobridge.tickets;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.crm.StandardWebhooks;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.skiplino.RetryAfter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Delivers ticket events to the configured webhook targets (DESIGN §4.3): {@code POST} of
 * {@code {"id": "<ticket id>:<statusAt>", "type": "ticket.updated", "occurredAt", "customer", "ticket"}},
 * signed with the Standard Webhooks scheme ({@code webhook-id} is the event id, the same on every
 * attempt, so a receiver can drop repeats). Anything but a 2xx is retried from the outbox with backoff
 * (a {@code Retry-After} is honoured) until the receiver takes it.
 */
@Component("ticketWebhookSender")
@ConditionalOnFlows
public class TicketWebhookSender {

    static final String EVENT_TYPE = "ticket.updated";
    /** Every delivery attempt, by target and outcome (docs/operations.md). */
    static final String DELIVERIES_METRIC = "bridge.tickets.webhook.deliveries";
    static final List<String> OUTCOMES = List.of("delivered", "refused", "rate_limited", "server_error", "timeout", "io_error");

    private static final Logger log = LoggerFactory.getLogger(TicketWebhookSender.class);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private final TicketOutbox outbox;
    private final Map<String, URI> urls;
    private final WebhookTargetPolicy policy;
    private final StandardWebhooks signer;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final MeterRegistry meters;

    TicketWebhookSender(TicketOutbox outbox, TicketProperties properties, Environment environment, Clock clock,
                        MeterRegistry meters) {
        TicketProperties.Webhook settings = properties.webhook();
        this.outbox = outbox;
        this.urls = new LinkedHashMap<>(settings.targets());
        this.policy = new WebhookTargetPolicy(settings.allowLoopback(), settings.allowPrivate());
        this.timeout = settings.timeout();
        this.clock = clock;
        this.meters = meters;
        urls.forEach((name, url) -> {
            String refusal = policy.refusal(url);
            if (refusal != null) {
                throw new IllegalStateException("bridge.tickets.webhook.targets." + name + " " + refusal);
            }
        });
        this.signer = new StandardWebhooks(secrets(settings, environment, !urls.isEmpty()), clock);
        // every target's counters exist from the start at zero, so a rate over them is defined before a failure
        urls.keySet().forEach(name -> OUTCOMES.forEach(outcome -> counter(MirrorTargets.WEBHOOK_PREFIX + name, outcome)));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static List<WebhookSecret> secrets(TicketProperties.Webhook settings, Environment environment,
                                               boolean needed) {
        String text = settings.secret().isBlank() ? environment.getProperty("bridge.webhook.secrets", "") : settings.secret();
        String first = text.strip().split("\\s+")[0];
        if (first.isEmpty()) {
            if (needed) {
                throw new IllegalStateException("ticket webhook targets are configured but no secret signs them: set "
                        + "BRIDGE_TICKET_WEBHOOK_SECRET (or BRIDGE_WEBHOOK_SECRETS) to a whsec_ secret");
            }
            return List.of();
        }
        return List.of(WebhookSecret.parse(first));
    }

    /** Delivers each row of a webhook batch and records the outcome in the outbox. */
    public void deliver(OutboxBatch batch) {
        URI url = urls.get(MirrorTargets.webhookName(batch.target()));
        for (OutboxStore.OutboxRow row : batch.rows()) {
            Instant now = clock.instant();
            if (url == null) {
                outbox.failed(row, now, null, "no webhook target named " + MirrorTargets.webhookName(batch.target())
                        + " is configured any more", 1, null);
                continue;
            }
            String refusal = policy.refusal(url);
            if (refusal != null) {
                outbox.failed(row, now, null, "webhook target " + refusal, 1, null);
                continue;
            }
            send(url, row);
        }
    }

    private void send(URI url, OutboxStore.OutboxRow row) {
        String eventId = eventId(row);
        byte[] body = body(row, eventId).getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "skiplino-crm-bridge")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.headers(eventId, body).forEach(request::header);
        Instant now;
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            now = clock.instant();
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                // a 2xx is the receiver's acceptance: its body is not read
                outbox.delivered(row, now, false);
                outbox.recordDelivery(now, null);
                count(row, "delivered");
                return;
            }
            // Retry-After in seconds or as an HTTP date; a floor of the backoff, at most an hour
            Duration retryAfter = response.headers().firstValue("Retry-After")
                    .flatMap(header -> RetryAfter.parse(header, clock))
                    .map(wait -> wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait).orElse(null);
            String reason = "webhook receiver answered HTTP " + status;
            outbox.failed(row, now, status, reason, 0, retryAfter);
            outbox.recordDelivery(now, reason);
            count(row, status == 429 ? "rate_limited" : status >= 500 ? "server_error" : "refused");
            log.debug("Ticket event {} to {}: {}, retried later", eventId, row.target(), reason);
        } catch (IOException e) {
            now = clock.instant();
            String reason = "webhook receiver unreachable: " + e.getClass().getSimpleName();
            outbox.failed(row, now, null, reason, 0, null);
            outbox.recordDelivery(now, reason);
            count(row, e instanceof HttpTimeoutException ? "timeout" : "io_error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outbox.failed(row, clock.instant(), null, "interrupted while sending", 0, null);
        }
    }

    static String eventId(OutboxStore.OutboxRow row) {
        return row.ticketId() + ":" + (row.statusAt() == null ? "none" : row.statusAt().toString());
    }

    static String body(OutboxStore.OutboxRow row, String eventId) {
        ObjectNode event = TicketJson.MAPPER.createObjectNode();
        event.put("id", eventId);
        event.put("type", EVENT_TYPE);
        event.put("occurredAt", (row.statusAt() == null ? row.createdAt() : row.statusAt()).toString());
        ObjectNode customer = event.putObject("customer");
        customer.put("externalId", row.externalId());
        customer.put("skiplinoId", row.skiplinoCustomer());
        event.set("ticket", TicketJson.tree(row.payload()));
        return TicketJson.write(event);
    }

    private void count(OutboxStore.OutboxRow row, String outcome) {
        counter(row.target(), outcome).increment();
    }

    private Counter counter(String target, String outcome) {
        return Counter.builder(DELIVERIES_METRIC).tag("target", target).tag("outcome", outcome)
                .description("Ticket webhook deliveries by target and outcome").register(meters);
    }
}
