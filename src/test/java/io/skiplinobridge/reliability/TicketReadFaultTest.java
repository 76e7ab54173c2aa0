package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.reliability.FaultMatrixTest.InjectedFault;
import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;


/**
 * Issue 8 fault matrix, ticket reads: ticket discovery's two Skiplino reads meet each fault once, in the
 * shared reliability context (WireMock between the bridge and the sandbox Skiplino, discovery every
 * 250 ms):
 * <ul>
 *   <li>{@code GET /customers/tickets}: a synced customer's new ticket must still be found, once;</li>
 *   <li>{@code GET /tickets/{id}}: a followed open ticket that the customer's first page no longer shows
 *       (WireMock answers that page empty) is fetched on its own; it was cancelled in Skiplino meanwhile,
 *       and the cancellation must still reach the mirror, once.</li>
 * </ul>
 * For every pair: the mirror ends with the ticket's real state, the CRM outbox holds each state once per
 * target (nothing duplicated), discovery read the faulted endpoint again after the fault, and the fault
 * shows in {@code skiplino.client.requests} with its outcome. Rows are appended to
 * {@code target/reliability/fault-matrix.md}.
 */
class TicketReadFaultTest extends TicketFaultTestBase {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    enum Read {
        CUSTOMER_TICKETS("/customers/tickets"), TICKET("/tickets/{id}");

        final String template;

        Read(String template) {
            this.template = template;
        }
    }

    static Stream<Arguments> matrix() {
        return Stream.of(Read.values()).flatMap(read -> Stream.of(InjectedFault.values()).map(f -> Arguments.of(read, f)));
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("matrix")
    void discoveryMeetsOneFaultAndStillMirrorsEveryStateOnce(Read read, InjectedFault fault) {
        String id = "tr-" + read.name().toLowerCase().replace('_', '-') + "-" + fault.name().toLowerCase().replace('_', '-');
        send(upsert(id + "-v1", T0, customer(id, "Ticket Reader", null, null, null)));
        awaitQuiet();
        String skiplinoId = jdbc.queryForObject("SELECT skiplino_id FROM customer_sync WHERE external_id = ?", String.class, id);
        assertThat(skiplinoId).as("the customer is synced").isNotNull();
        Ticket ticket = bookWalkIn(id);
        String expectedStatus = ticket.status();

        if (read == Read.TICKET) {
            // first seen on the customer's page; then the page no longer shows it, and it is cancelled
            resumeDiscovery();
            await().atMost(Duration.ofSeconds(60)).until(() -> mirrored(ticket.id()) != null);
            pauseDiscovery();
            SKIPLINO.stubFor(customerTickets(skiplinoId).atPriority(2).willReturn(aResponse().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\":\"Customer tickets fetched successfully.\",\"data\":[],\"pagination\":"
                            + "{\"total\":0,\"totalPages\":0,\"hasNextPage\":false,\"hasPrevPage\":false,\"page\":1,\"limit\":10}}")));
            expectedStatus = skiplino.cancelTicket(ticket.id()).data().status();
            assertThat(expectedStatus).isEqualTo("cancelled");
        }
        double faultsBefore = requests(read, fault.outcome);
        MappingBuilder faulted = (read == Read.TICKET ? get(urlPathEqualTo(SANDBOX_PATH + "/tickets/" + ticket.id()))
                : customerTickets(skiplinoId)).atPriority(1);
        if (fault != InjectedFault.TIMEOUT) {
            faulted = faulted.inScenario(id).whenScenarioStateIs(STARTED).willSetStateTo("faulted");
        }
        SKIPLINO.stubFor(faulted.willReturn(fault.response(sandboxUrl(), id)));
        resumeDiscovery();

        String want = expectedStatus;
        await().atMost(Duration.ofSeconds(60)).until(() -> want.equals(mirrored(ticket.id())));
        pauseDiscovery();

        // WireMock journals a request once its answer is out, so the held-back one shows up last
        await().atMost(Duration.ofSeconds(10)).until(() -> SKIPLINO.findAll(requested(read, skiplinoId, ticket.id())).size() >= 2);
        int reads = SKIPLINO.findAll(requested(read, skiplinoId, ticket.id())).size();
        assertThat(count("SELECT COUNT(*) FROM ticket_mirror WHERE ticket_id = ?", ticket.id())).isEqualTo(1);
        List<Map<String, Object>> duplicates = jdbc.queryForList("SELECT target, state_key, COUNT(*) AS n FROM crm_outbox "
                + "WHERE ticket_id = ? GROUP BY target, state_key HAVING COUNT(*) > 1", ticket.id());
        assertThat(duplicates).as("each state queued once per target").isEmpty();
        int targets = count("SELECT COUNT(DISTINCT target) FROM crm_outbox WHERE ticket_id = ?", ticket.id());
        assertThat(targets).as("queued for the CRM").isPositive();
        assertThat(count("SELECT COUNT(*) FROM crm_outbox WHERE ticket_id = ?", ticket.id()))
                .as("every state seen, once per target").isEqualTo(targets * (read == Read.TICKET ? 2 : 1));
        assertThat(requests(read, fault.outcome) - faultsBefore).as("skiplino.client.requests outcome=" + fault.outcome)
                .isEqualTo(1.0);
        record(read, fault, reads);
    }

    private void send(Map<String, Object> event) {
        SignedWebhookClient.Response answer = crm.post(event);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    private String mirrored(String ticketId) {
        List<String> status = jdbc.queryForList("SELECT status FROM ticket_mirror WHERE ticket_id = ?", String.class, ticketId);
        return status.isEmpty() ? null : status.get(0);
    }

    private static MappingBuilder customerTickets(String skiplinoId) {
        return get(urlPathEqualTo(SANDBOX_PATH + "/customers/tickets")).withQueryParam("id", equalTo(skiplinoId));
    }

    private static RequestPatternBuilder requested(Read read, String skiplinoId, String ticketId) {
        return read == Read.TICKET ? getRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/tickets/" + ticketId))
                : getRequestedFor(urlPathEqualTo(SANDBOX_PATH + "/customers/tickets")).withQueryParam("id", equalTo(skiplinoId));
    }

    private double requests(Read read, String outcome) {
        return meters.find("skiplino.client.requests").tag("endpoint", read.template).tag("method", "GET")
                .tag("outcome", outcome).timers().stream().mapToLong(Timer::count).sum();
    }

    private static void record(Read read, InjectedFault fault, int reads) {
        try {
            Files.createDirectories(FaultMatrixTest.RESULTS.getParent());
            String row = "| GET " + read.template + " | " + fault + " | " + (fault.applied ? "after" : "before") + " | "
                    + fault.outcome + " | " + reads + " | 1 | pass |\n";
            Files.writeString(FaultMatrixTest.RESULTS, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
