package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.event;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 8 fault matrix, customer writes: each Skiplino customer call (create, update, delete) made by the
 * sync engine meets each fault once. The fault is injected by WireMock between the bridge and the
 * sandbox Skiplino, either before the request reaches Skiplino or after Skiplino applied it (the answer
 * is then lost or spoilt). For every pair: the customer ends in the right state in Skiplino, exactly one
 * Skiplino customer exists for it (none after a delete), the inbox drains with nothing parked, the bridge
 * retried just once, and the fault shows in {@code skiplino.client.requests} with its outcome and in
 * {@code bridge.sync.results{outcome=retry}}. Each row of the result is appended to
 * {@code target/reliability/fault-matrix.md} (the table in docs/reliability.md).
 */
class FaultMatrixTest extends ReliabilityTestBase {

    static final Path RESULTS = Path.of("target", "reliability", "fault-matrix.md");
    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    enum Operation {
        CREATE("POST", "/customers/create"), UPDATE("PUT", "/customers/update"), DELETE("DELETE", "/customers/delete");

        final String method;
        final String template;

        Operation(String method, String template) {
            this.method = method;
            this.template = template;
        }
    }

    /** A fault; {@code applied} when Skiplino received and applied the request before the fault. */
    enum InjectedFault {
        TIMEOUT("TIMEOUT", true),
        CONNECTION_RESET("IO_ERROR", false),
        CONNECTION_RESET_AFTER_APPLY("IO_ERROR", true),
        HTTP_500("SERVER_ERROR", false),
        HTTP_503("SERVER_ERROR", false),
        HTTP_429_RETRY_AFTER_SECONDS("RATE_LIMITED", false),
        HTTP_429_RETRY_AFTER_DATE("RATE_LIMITED", false),
        MALFORMED_JSON_200("INVALID_RESPONSE", true),
        TRUNCATED_JSON_200("INVALID_RESPONSE", true),
        HTML_PAGE_200("INVALID_RESPONSE", true);

        final String outcome;
        final boolean applied;

        InjectedFault(String outcome, boolean applied) {
            this.outcome = outcome;
            this.applied = applied;
        }

        ResponseDefinitionBuilder response(String sandbox, String key) {
            return switch (this) {
                // the read timeout is 4 s: Skiplino has applied the call by the time the bridge gives up
                case TIMEOUT -> broken(sandbox, "slow").withTransformerParameter(BreakAfterForwarding.KEY, key);
                case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
                case CONNECTION_RESET_AFTER_APPLY -> broken(sandbox, "reset");
                case HTTP_500 -> aResponse().withStatus(500).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Internal server error\",\"error\":null}");
                case HTTP_503 -> aResponse().withStatus(503).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>503 Service Unavailable</body></html>");
                case HTTP_429_RETRY_AFTER_SECONDS -> aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"message\":\"Too many requests\"}");
                case HTTP_429_RETRY_AFTER_DATE -> aResponse().withStatus(429)
                        .withHeader("Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME
                                .format(Instant.now().plusSeconds(2).atOffset(ZoneOffset.UTC)))
                        .withBody("{\"message\":\"Too many requests\"}");
                case MALFORMED_JSON_200 -> broken(sandbox, "malformed");
                case TRUNCATED_JSON_200 -> broken(sandbox, "truncate");
                case HTML_PAGE_200 -> broken(sandbox, "html");
            };
        }

        private static ResponseDefinitionBuilder broken(String sandbox, String how) {
            return aResponse().proxiedFrom(sandbox).withTransformers(BreakAfterForwarding.NAME)
                    .withTransformerParameter(BreakAfterForwarding.PARAMETER, how);
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(Operation.values()).flatMap(op -> Stream.of(InjectedFault.values()).map(f -> Arguments.of(op, f)));
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("matrix")
    void oneFaultEndsInTheRightStateWithNothingDuplicatedAndIsCounted(Operation operation, InjectedFault fault) {
        String id = "fm-" + operation.name().toLowerCase() + "-" + fault.name().toLowerCase().replace('_', '-');
        if (operation != Operation.CREATE) {
            send(upsert(id + "-v1", T0, customer(id, "Before Fault", null, null, null)));
            awaitQuiet();
            assertThat(inSkiplino(id)).hasSize(1);
        }
        double faultsBefore = requests(operation, fault.outcome);
        double retriesBefore = retries();
        MappingBuilder faulted = target(operation, id).atPriority(1);
        if (fault != InjectedFault.TIMEOUT) {
            faulted = faulted.inScenario(id).whenScenarioStateIs(STARTED).willSetStateTo("faulted");
        }
        SKIPLINO.stubFor(faulted.willReturn(fault.response(sandboxUrl(), id)));

        Instant occurred = T0.plusSeconds(60);
        send(operation == Operation.DELETE
                ? event(id + "-v2", "customer.deleted", occurred, customer(id, null, null, null, null))
                : upsert(id + "-v2", occurred, customer(id, "After Fault", null, null, Map.of("tier", "gold"))));

        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT COUNT(*) FROM inbox_event WHERE event_id = ? AND status = 'APPLIED'", id + "-v2") == 1);
        awaitQuiet();

        List<JsonNode> held = inSkiplino(id);
        if (operation == Operation.DELETE) {
            assertThat(held).as("deleted in Skiplino").isEmpty();
        } else {
            assertThat(held).as("exactly one Skiplino customer").hasSize(1);
            assertThat(held.get(0).get("name").asText()).isEqualTo("After Fault");
            assertThat(held.get(0).at("/metadata/tier").asText()).isEqualTo("gold");
            assertThat(jdbc.queryForObject("SELECT skiplino_id FROM customer_sync WHERE external_id = ?", String.class, id))
                    .isEqualTo(held.get(0).get("_id").asText());
        }
        assertThat(count("SELECT COUNT(*) FROM sync_failure WHERE external_id = ?", id)).as("nothing parked").isZero();
        assertThat(count("SELECT COUNT(*) FROM inbox_event WHERE external_id = ? AND status <> 'APPLIED'", id)).isZero();
        // WireMock journals a request once its answer is out, so the held-back one shows up last
        await().atMost(Duration.ofSeconds(10)).until(() -> SKIPLINO.findAll(requested(operation, id)).size() >= 2);
        int calls = SKIPLINO.findAll(requested(operation, id)).size();
        assertThat(calls).as("the faulted call and one retry").isEqualTo(2);
        if (operation == Operation.CREATE) {
            // a create that Skiplino applied is retried as a create, answered "already taken", then updated
            assertThat(SKIPLINO.findAll(putRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/customers/update"))
                    .withRequestBody(matchingJsonPath("$.externalId", equalTo(id))))).hasSize(fault.applied ? 1 : 0);
        }
        assertThat(requests(operation, fault.outcome) - faultsBefore).as("skiplino.client.requests outcome=" + fault.outcome)
                .isEqualTo(1.0);
        assertThat(retries() - retriesBefore).as("bridge.sync.results outcome=retry").isGreaterThanOrEqualTo(1.0);
        record(operation, fault, calls, held.size());
    }

    private void send(Map<String, Object> event) {
        SignedWebhookClient.Response answer = crm.post(event);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private static MappingBuilder target(Operation operation, String id) {
        String path = SANDBOX_PATH + operation.template;
        return switch (operation) {
            case CREATE -> post(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.externalId", equalTo(id)));
            case UPDATE -> put(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.externalId", equalTo(id)));
            case DELETE -> delete(urlPathEqualTo(path)).withQueryParam("externalId", equalTo(id));
        };
    }

    private static RequestPatternBuilder requested(Operation operation, String id) {
        String path = SANDBOX_PATH + operation.template;
        return switch (operation) {
            case CREATE -> postRequestedFor(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.externalId", equalTo(id)));
            case UPDATE -> putRequestedFor(urlPathEqualTo(path)).withRequestBody(matchingJsonPath("$.externalId", equalTo(id)));
            case DELETE -> deleteRequestedFor(urlPathEqualTo(path)).withQueryParam("externalId", equalTo(id));
        };
    }

    private List<JsonNode> inSkiplino(String externalId) {
        return sandbox.customerList().stream().filter(c -> externalId.equals(c.path("externalId").asText())).toList();
    }

    private double requests(Operation operation, String outcome) {
        return meters.find("skiplino.client.requests").tag("endpoint", operation.template).tag("method", operation.method)
                .tag("outcome", outcome).timers().stream().mapToLong(Timer::count).sum();
    }

    private double retries() {
        return meters.find("bridge.sync.results").tag("outcome", "retry").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void record(Operation operation, InjectedFault fault, int calls, int customers) {
        try {
            Files.createDirectories(RESULTS.getParent());
            String row = "| " + operation + " | " + fault + " | " + (fault.applied ? "after" : "before") + " | "
                    + fault.outcome + " | " + calls + " | " + customers + " | pass |\n";
            Files.writeString(RESULTS, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
