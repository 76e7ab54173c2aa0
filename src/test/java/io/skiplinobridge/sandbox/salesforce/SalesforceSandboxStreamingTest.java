package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Change Data Capture through the real component's {@code subscribe:} consumer (CometD long polling).
 * Each test uses its own channel: camel-salesforce keeps the last replay id per channel JVM-wide.
 */
class SalesforceSandboxStreamingTest extends SalesforceSandboxTestSupport {

    @Autowired
    SalesforceStreamingController streaming;

    private String routeId;

    @AfterEach
    void removeRoute() throws Exception {
        if (routeId != null) {
            camel.getRouteController().stopRoute(routeId);
            camel.removeRoute(routeId);
        }
    }

    @Test
    void contactChangesArriveAsChangeEvents() throws Exception {
        long before = streaming.subscribers("/data/ContactChangeEvent");
        MockEndpoint events = subscribe("/data/ContactChangeEvent?replayId=-1");
        events.expectedMessageCount(3);
        // replayId -1 means "only what is published after the subscription": wait until it is in place
        await().atMost(Duration.ofSeconds(30)).until(() -> streaming.subscribers("/data/ContactChangeEvent") > before);

        Map<String, Object> contact = createContacts(List.of(Map.of("LastName", "Hassan", "Email", "layla@example.com"))).get(0);
        assertStatus(send("PATCH", "/sandbox/control/salesforce/contacts/" + contact.get("Id"), "{\"Email\":\"new@example.com\"}"), 200);
        assertStatus(send("DELETE", "/sandbox/control/salesforce/contacts/" + contact.get("Id"), null), 204);

        events.assertIsSatisfied(TimeUnit.SECONDS.toMillis(30));
        List<Exchange> received = events.getExchanges();
        assertThat(received).extracting(exchange -> exchange.getMessage().getHeader("CamelSalesforceChangeType"))
                .containsExactly("CREATE", "UPDATE", "DELETE");
        assertThat(received.get(0).getMessage().getHeader("CamelSalesforceRecordIds", List.class)).containsExactly(contact.get("Id"));
        assertThat(received.get(1).getMessage().getBody(Map.class)).containsEntry("Email", "new@example.com");
        List<Long> replayIds = received.stream()
                .map(exchange -> exchange.getMessage().getHeader("CamelSalesforceReplayId", Long.class)).toList();
        assertThat(replayIds).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void replayAllDeliversRetainedEventsOfEveryObject() throws Exception {
        createContacts(2, "replay");
        MockEndpoint events = subscribe("/data/ChangeEvents?replayId=-2");
        events.expectedMessageCount(2);

        events.assertIsSatisfied(TimeUnit.SECONDS.toMillis(30));
        assertThat(events.getExchanges()).extracting(exchange -> exchange.getMessage().getHeader("CamelSalesforceEntityName"))
                .containsOnly("Contact");
    }

    @Test
    void subscribingWhileAConnectIsHeldAnswersThatConnectWithTheReplayedEvents() throws Exception {
        createContacts(1, "held");
        String token = (String) parse(send(HttpRequest.newBuilder(URI.create(loginUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox-client-id"
                        + "&client_secret=sandbox-client-secret")).build()).body()).get("access_token");
        String clientId = (String) bayeux(token, "handshake", "[{\"channel\":\"/meta/handshake\",\"id\":\"1\","
                + "\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"],\"ext\":{\"replay\":true}}]")
                .get(0).get("clientId");
        String connect = "[{\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId + "\",\"connectionType\":\"long-polling\",\"id\":\"%s\"%s}]";
        bayeux(token, "connect", String.format(connect, "2", ",\"advice\":{\"timeout\":0}"));

        CompletableFuture<HttpResponse<String>> held = HttpClient.newHttpClient().sendAsync(
                bayeuxRequest(token, "connect", String.format(connect, "3", "")), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> streaming.isConnectHeld(clientId));
        List<Map<String, Object>> subscribed = bayeux(token, "subscribe", "[{\"channel\":\"/meta/subscribe\",\"clientId\":\""
                + clientId + "\",\"subscription\":\"/data/ContactChangeEvent\",\"id\":\"4\","
                + "\"ext\":{\"replay\":{\"/data/ContactChangeEvent\":-2}}}]");

        assertThat(subscribed.get(0)).containsEntry("successful", true);
        List<Map<String, Object>> answer = parseArray(held.get(10, TimeUnit.SECONDS).body());
        assertThat(answer).extracting(message -> message.get("channel"))
                .containsExactly("/data/ContactChangeEvent", "/meta/connect");
    }

    private List<Map<String, Object>> bayeux(String token, String type, String messages) {
        HttpResponse<String> response = send(bayeuxRequest(token, type, messages));
        assertStatus(response, 200);
        return parseArray(response.body());
    }

    private HttpRequest bayeuxRequest(String token, String type, String messages) {
        return HttpRequest.newBuilder(URI.create(loginUrl() + "/cometd/59.0/" + type))
                .header("Authorization", "OAuth " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(messages)).build();
    }

    private MockEndpoint subscribe(String topicAndOptions) throws Exception {
        String sf = component();
        routeId = "cdc-" + sf;
        MockEndpoint mock = camel.getEndpoint("mock:" + routeId, MockEndpoint.class);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(sf + ":subscribe:" + topicAndOptions).routeId(routeId).to(mock);
            }
        });
        return mock;
    }
}
