package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.testsupport.SalesforceSandboxControl;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * In sandbox mode with nothing configured (the same context as {@code BridgeApplicationTest}), the
 * {@code salesforce} component exists, logs in to this process's Salesforce sandbox on its random port
 * and answers queries with the real camel-salesforce component.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SalesforceComponentWiringTest {

    @LocalServerPort int port;
    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    @Test
    void theSalesforceComponentTalksToTheEmbeddedSandbox() throws Exception {
        JsonNode stored = SalesforceSandboxControl.forLocalPort(port)
                .createContacts(List.of(Map.of("LastName", "Wiring", "Email", "wiring@example.com"))).get(0);

        String page = producer.requestBody("salesforce:query?rawPayload=true",
                "SELECT Id, Email FROM Contact WHERE Id = '" + stored.get("Id").asText() + "'", String.class);

        JsonNode answer = new ObjectMapper().readTree(page);
        assertThat(answer.get("totalSize").asInt()).isEqualTo(1);
        assertThat(answer.get("records").get(0).get("Email").asText()).isEqualTo("wiring@example.com");
        SalesforceComponent component = camel.getComponent("salesforce", SalesforceComponent.class);
        assertThat(component.getAuthenticationType()).isEqualTo(AuthenticationType.USERNAME_PASSWORD);
        assertThat(component.getLoginUrl()).isEqualTo("http://127.0.0.1:" + port + "/sandbox/salesforce");
    }
}
