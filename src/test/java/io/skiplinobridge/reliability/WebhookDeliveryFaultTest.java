package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.Counter;
import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


/**
 * Issue 8 fault matrix, the outbound ticket webhook: the CRM's receiver (WireMock, target {@code crm})
 * meets a ticket state with each fault once. A 2xx is the receiver's acceptance whatever its body, so a
 * malformed, truncated or HTML body with 200 is delivered at once; anything else is retried, honouring
 * {@code Retry-After} in seconds and as an HTTP date. For every fault: the outbox row ends DELIVERED
 * (one row for the state), every attempt carried the same {@code webhook-id} and body (a receiver that
 * got it twice drops the repeat), and the outcome shows in {@code bridge.tickets.webhook.deliveries}.
 * Rows are appended to {@code target/reliability/fault-matrix.md}.
 */
class WebhookDeliveryFaultTest extends TicketFaultTestBase {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");
    private static final String TARGET = "webhook:crm";

    /** A receiver's fault, the metric outcome it must show, the attempts it takes, the wait it asks for. */
    enum ReceiverFault {
        TIMEOUT("timeout", 2, 0),
        CONNECTION_RESET("io_error", 2, 0),
        HTTP_500("server_error", 2, 0),
        HTTP_503("server_error", 2, 0),
        HTTP_429_RETRY_AFTER_SECONDS("rate_limited", 2, 1_000),
        /** The wait is until the date in the header (whole seconds, a few seconds after the fault is set up). */
        HTTP_429_RETRY_AFTER_DATE("rate_limited", 2, 0),
        MALFORMED_JSON_200("delivered", 1, 0),
        TRUNCATED_JSON_200("delivered", 1, 0),
        HTML_PAGE_200("delivered", 1, 0);

        final String outcome;
        final int attempts;
        final long retryAfterMillis;

        ReceiverFault(String outcome, int attempts, long retryAfterMillis) {
            this.outcome = outcome;
            this.attempts = attempts;
            this.retryAfterMillis = retryAfterMillis;
        }

        ResponseDefinitionBuilder response(String key, Instant retryAt) {
            return switch (this) {
                // the receiver takes it, but answers after the bridge's 2 s timeout (the first time only)
                case TIMEOUT -> aResponse().withStatus(204).withTransformers(BreakAfterForwarding.NAME)
                        .withTransformerParameter(BreakAfterForwarding.PARAMETER, "slow")
                        .withTransformerParameter(BreakAfterForwarding.KEY, "hook-" + key);
                case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
                case HTTP_500 -> aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"internal\"}");
                case HTTP_503 -> aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>503 Service Unavailable</body></html>");
                case HTTP_429_RETRY_AFTER_SECONDS -> aResponse().withStatus(429).withHeader("Retry-After", "1");
                case HTTP_429_RETRY_AFTER_DATE -> aResponse().withStatus(429).withHeader("Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(retryAt.atOffset(ZoneOffset.UTC)));
                case MALFORMED_JSON_200 -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"received\": 'x' ,,}");
                case TRUNCATED_JSON_200 -> aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"received\": true, \"id\": \"abc");
                case HTML_PAGE_200 -> aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<!DOCTYPE html><html><body><h1>Thanks</h1></body></html>");
            };
        }
    }

    @Test
    void everyOutcomeOfTheTargetIsScrapedFromTheStart() {
        assertThat(meters.find("bridge.tickets.webhook.deliveries").tag("target", TARGET).counters())
                .extracting(counter -> counter.getId().getTag("outcome"))
                .containsExactlyInAnyOrder("delivered", "refused", "rate_limited", "server_error", "timeout", "io_error");
    }

    @ParameterizedTest(name = "webhook × {0}")
    @EnumSource(ReceiverFault.class)
    void theReceiverMeetsOneFaultAndGetsTheStateWithOneWebhookId(ReceiverFault fault) {
        String id = "wh-" + fault.name().toLowerCase().replace('_', '-');
        send(upsert(id + "-v1", T0, customer(id, "Webhook Receiver", null, null, null)));
        awaitQuiet();
        Ticket ticket = bookWalkIn(id);
        double before = deliveries(fault.outcome);
        MappingBuilder faulted = hook(ticket.id()).atPriority(1);
        if (fault != ReceiverFault.TIMEOUT) {
            faulted = faulted.inScenario(id).whenScenarioStateIs(STARTED).willSetStateTo("faulted");
        }
        // a date in whole seconds, far enough ahead that it is still ahead when the fault is served
        Instant retryAt = Instant.now().plusSeconds(8).truncatedTo(ChronoUnit.SECONDS);
        CRM_HOOKS.stubFor(faulted.willReturn(fault.response(id, retryAt)));

        resumeDiscovery();
        await().atMost(Duration.ofSeconds(60)).until(() -> count(
                "SELECT COUNT(*) FROM crm_outbox WHERE target = ? AND ticket_id = ? AND status = 'DELIVERED'", TARGET, ticket.id()) == 1);
        pauseDiscovery();

        assertThat(count("SELECT COUNT(*) FROM crm_outbox WHERE target = ? AND ticket_id = ?", TARGET, ticket.id()))
                .as("one outbox row for the one state").isEqualTo(1);
        // WireMock journals a request once its answer is out, so the held-back one shows up last
        await().atMost(Duration.ofSeconds(10)).until(() -> CRM_HOOKS.findAll(requested(ticket.id())).size() >= fault.attempts);
        List<LoggedRequest> attempts = CRM_HOOKS.findAll(requested(ticket.id())).stream()
                .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate())).toList();
        assertThat(attempts).as("the faulted attempt and one more, or one 2xx").hasSize(fault.attempts);
        assertThat(attempts.stream().map(r -> r.getHeader("webhook-id")).distinct().toList())
                .as("one webhook-id on every attempt").hasSize(1).doesNotContainNull();
        assertThat(attempts.stream().map(LoggedRequest::getBodyAsString).distinct().count()).as("one body").isEqualTo(1);
        assertThat(attempts.get(0).getBodyAsString()).contains(ticket.id()).contains("\"status\":\"" + ticket.status() + "\"");
        if (fault.retryAfterMillis > 0) {
            long waited = attempts.get(1).getLoggedDate().getTime() - attempts.get(0).getLoggedDate().getTime();
            assertThat(waited).as("the retry waited for Retry-After").isGreaterThanOrEqualTo(fault.retryAfterMillis - 100);
        }
        if (fault == ReceiverFault.HTTP_429_RETRY_AFTER_DATE) {
            assertThat(attempts.get(0).getLoggedDate().toInstant()).as("the fault was served before its date").isBefore(retryAt);
            assertThat(attempts.get(1).getLoggedDate().toInstant()).as("the retry waited for the Retry-After date")
                    .isAfterOrEqualTo(retryAt.minusMillis(100));
        }
        assertThat(deliveries(fault.outcome) - before).as("bridge.tickets.webhook.deliveries outcome=" + fault.outcome)
                .isEqualTo(1.0);
        record(fault, attempts.size());
    }

    private void send(Map<String, Object> event) {
        SignedWebhookClient.Response answer = crm.post(event);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private static MappingBuilder hook(String ticketId) {
        return post(urlPathEqualTo("/hooks")).withRequestBody(matchingJsonPath("$.ticket.id", equalTo(ticketId)));
    }

    private static RequestPatternBuilder requested(String ticketId) {
        return postRequestedFor(urlPathEqualTo("/hooks")).withRequestBody(matchingJsonPath("$.ticket.id", equalTo(ticketId)));
    }

    private double deliveries(String outcome) {
        return meters.find("bridge.tickets.webhook.deliveries").tag("target", TARGET).tag("outcome", outcome)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void record(ReceiverFault fault, int attempts) {
        try {
            Files.createDirectories(FaultMatrixTest.RESULTS.getParent());
            String row = "| POST webhook | " + fault + " | - | " + fault.outcome + " | " + attempts + " | 1 | pass |\n";
            Files.writeString(FaultMatrixTest.RESULTS, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
