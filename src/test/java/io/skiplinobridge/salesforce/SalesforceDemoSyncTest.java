package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.testsupport.SalesforceSandboxControl;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code ./mvnw spring-boot:run} with nothing configured (the same context as {@code BridgeApplicationTest}):
 * the seeded demo contacts reach the Skiplino sandbox with no action, through the start-up poll, and a
 * contact created afterwards arrives with the next firing of the Quartz schedule.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SalesforceDemoSyncTest {

    @LocalServerPort int port;
    @Autowired CamelContext camel;

    @Test
    void seededContactsReachSkiplinoAndTheScheduleKeepsPolling() {
        SalesforceSandboxControl salesforce = SalesforceSandboxControl.forLocalPort(port);
        SkiplinoSandboxControl skiplino = SkiplinoSandboxControl.forLocalPort(port);
        List<JsonNode> seeded = salesforce.records("Contact");
        assertThat(seeded).hasSizeGreaterThanOrEqualTo(25);

        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            Map<String, JsonNode> customers = skiplino.customers();
            for (JsonNode contact : seeded) {
                assertThat(customers).containsKey(contact.get("Id").asText());
            }
        });
        JsonNode layla = skiplino.customers().get(seeded.get(0).get("Id").asText());
        assertThat(layla.get("name").asText()).isEqualTo(seeded.get(0).get("FirstName").asText() + " "
                + seeded.get(0).get("LastName").asText());
        assertThat(layla.get("metadata").get("city").asText()).isEqualTo(seeded.get(0).get("MailingCity").asText());
        assertThat(camel.getRouteController().getRouteStatus("salesforce-poll")).isEqualTo(ServiceStatus.Started);

        String later = salesforce.createContacts(List.of(Map.of("FirstName", "Later", "LastName", "Arrival",
                "Email", "later.arrival@example.com", "MobilePhone", "+973 3600 0001"))).get(0).get("Id").asText();

        await().atMost(Duration.ofSeconds(90)).until(() -> skiplino.customers().containsKey(later));
    }
}
