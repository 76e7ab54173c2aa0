package io.skiplinobridge.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/**
 * Sandbox mode as the demo runs it: the branch activity starts on its own once customers are synced, and
 * tickets arrive in the Salesforce sandbox without any call to the activity API; meanwhile discovery
 * never exceeds its request budget, measured in the Skiplino sandbox's own request log, while customer
 * sync keeps flowing beside it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "bridge.webhook.secrets=" + TicketDiscoveryBudgetTest.SECRET,
        "bridge.test.ticket-discovery=true",
        "bridge.test.demo-activity=true",
        "bridge.sandbox.skiplino.demo-activity.check-every=200ms",
        "bridge.sandbox.skiplino.demo-activity.tickets-per-run=40",
        "bridge.sandbox.skiplino.demo-activity.booking-interval-min=10ms",
        "bridge.sandbox.skiplino.demo-activity.booking-interval-max=30ms",
        "bridge.sandbox.skiplino.demo-activity.dwell-min=1s",
        "bridge.sandbox.skiplino.demo-activity.dwell-max=2s",
        "bridge.sync.poll-interval=20ms",
        "skiplino.rate-limit.requests-per-second=1000",
        "skiplino.rate-limit.max-concurrent=16",
        "bridge.tickets.discovery.poll-interval=500ms",
        "bridge.tickets.discovery.requests-per-minute=" + TicketDiscoveryBudgetTest.BUDGET,
        "bridge.tickets.outbox.poll-interval=50ms",
        "bridge.tickets.salesforce.enabled=true",
        "bridge.tickets.salesforce.component=" + TicketTestSalesforce.COMPONENT})
@Import(TicketTestSalesforce.class)
// its demo activity and discovery would keep running for the rest of the suite: closed after the class
@DirtiesContext
class TicketDiscoveryBudgetTest {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final int BUDGET = 60;

    @LocalServerPort int port;

    @Test
    void theDemoMirrorsTicketsOnItsOwnWhileDiscoveryStaysInsideItsBudget() {
        Sandboxes sandboxes = new Sandboxes(port);
        Instant start = Instant.now();
        List<String> contacts = sandboxes.createContacts("Demo", 100);
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, SECRET);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < contacts.size(); i++) {
            events.add(SignedWebhookClient.upsert("evt-demo-" + i, contacts.get(i), "Demo Customer " + i,
                    "demo." + i + "@example.com", null));
        }
        assertThat(crm.post(SignedWebhookClient.batch(events)).status()).isEqualTo(202);

        // no call to the activity API: the demo starts its run once the sandbox holds customers
        Set<String> ours = new HashSet<>(contacts);
        await().atMost(Duration.ofMinutes(3)).until(() -> sandboxes.sObjects("Skiplino_Ticket__c").stream()
                .anyMatch(r -> ours.contains(r.path("Contact__c").asText())));
        assertThat(sandboxes.activity().path("requested").asInt()).isEqualTo(40);

        // the budget is used up, and then nothing more is sent until the window moves on
        await().atMost(Duration.ofMinutes(2)).until(() -> discoveryRequests(sandboxes, start).size() >= BUDGET - 5);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> TicketMirrorAcceptanceTest.maxTicketRequestsInAnyMinute(sandboxes.requests(start.toString()))
                        <= BUDGET);

        // customer sync is not starved: its changes still reach Skiplino while discovery waits for its budget
        List<Map<String, Object>> renames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            renames.add(SignedWebhookClient.upsert("evt-demo-rename-" + i, contacts.get(i), "Renamed Customer " + i,
                    "demo." + i + "@example.com", null));
        }
        assertThat(crm.post(SignedWebhookClient.batch(renames)).status()).isEqualTo(202);
        SkiplinoSandboxControl skiplino = SkiplinoSandboxControl.forLocalPort(port);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, JsonNode> customers = skiplino.customers();
            return contacts.subList(0, 20).stream()
                    .allMatch(id -> customers.get(id).path("name").asText().startsWith("Renamed"));
        });
        assertThat(TicketMirrorAcceptanceTest.maxTicketRequestsInAnyMinute(sandboxes.requests(start.toString())))
                .isLessThanOrEqualTo(BUDGET);
    }

    private static List<JsonNode> discoveryRequests(Sandboxes sandboxes, Instant since) {
        return sandboxes.requests(since.toString()).stream().filter(r -> r.path("path").asText().equals("/customers/tickets")
                || r.path("path").asText().equals("/tickets/{id}")).toList();
    }
}
