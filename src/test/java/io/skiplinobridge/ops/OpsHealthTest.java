package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.testsupport.StoreTest;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Health: the Skiplino, backlog and flows contributors show a downstream problem as DEGRADED, which
 * answers 200 and leaves readiness UP; readiness (store + routes started) goes DOWN only for this
 * instance's own trouble, e.g. a stopped route.
 */
@StoreTest
class OpsHealthTest extends OpsSpringTestBase {

    @Autowired
    CamelContext camel;

    @Test
    void healthShowsEveryContributorAndTheProbeGroupsHoldOnlyWhatTheyShould() {
        JsonNode health = OpsHttp.expect(http.send("GET", "/actuator/health", null, null), 200).json();

        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/skiplino/details/circuitState").asText()).isEqualTo("CLOSED");
        assertThat(health.at("/components/backlog/details/maxAgeSeconds").asLong()).isEqualTo(900);
        assertThat(health.at("/components/flows/components/customer-sync/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/flows/components/deletes/status").asText()).isEqualTo("UP");
        assertThat(health.at("/components/camelRoutes/details/route:customer-sync-claim").asText()).isEqualTo("UP");

        JsonNode readiness = OpsHttp.expect(http.send("GET", "/actuator/health/readiness", null, null), 200).json();
        assertThat(fieldNames(readiness.get("components"))).containsExactlyInAnyOrder("readinessState", "db", "camelRoutes");
        JsonNode liveness = OpsHttp.expect(http.send("GET", "/actuator/health/liveness", null, null), 200).json();
        assertThat(fieldNames(liveness.get("components"))).containsExactly("livenessState");
    }

    @Test
    void anOpenCircuitIsDegradedAnswered200AndLeavesReadinessUp() {
        OpsHttp.expect(http.send("PUT", "/sandbox/control/skiplino/faults", null,
                Map.of("errorRate", 1.0, "errorStatus", 503)), 200);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(upsert("co-e" + i, "co-" + i, "Customer " + i, "co" + i + "@example.com", null));
        }
        crm.post(batch(events));
        await().atMost(Duration.ofSeconds(30)).until(() -> !"CLOSED".equals(guard.status().circuitState()));

        OpsHttp.Response health = http.send("GET", "/actuator/health", null, null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("DEGRADED");
        assertThat(health.json().at("/components/skiplino/status").asText()).isEqualTo("DEGRADED");
        OpsHttp.Response readiness = http.send("GET", "/actuator/health/readiness", null, null);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("status").asText()).isEqualTo("UP");
        assertThat(http.get("/ops/api/status").json().at("/skiplino/circuitState").asText()).isNotEqualTo("CLOSED");

        OpsHttp.expect(http.send("DELETE", "/sandbox/control/skiplino/faults", null, null), 204);
        await().atMost(Duration.ofSeconds(60)).until(() -> "CLOSED".equals(guard.status().circuitState()));
        awaitQuiet();
        assertThat(http.send("GET", "/actuator/health", null, null).json().at("/components/skiplino/status").asText())
                .isEqualTo("UP");
    }

    @Test
    void anOldBacklogIsDegradedButNotUnready() {
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, true, "hold the backlog", "test");
        crm.post(upsert("ob-e1", "ob-1", "Old", "old@example.com", null));
        jdbc.update("UPDATE inbox_event SET received_at = ? WHERE external_id = 'ob-1'",
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1));

        OpsHttp.Response health = http.send("GET", "/actuator/health", null, null);

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().at("/components/backlog/status").asText()).isEqualTo("DEGRADED");
        assertThat(health.json().at("/components/backlog/details/oldestPendingAgeSeconds").asLong()).isGreaterThan(3500);
        assertThat(health.json().at("/components/flows/components/customer-sync/details/paused").asBoolean()).isTrue();
        assertThat(http.send("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);
    }

    @Test
    void aStoppedRouteMakesTheInstanceUnready() throws Exception {
        camel.getRouteController().stopRoute("customer-sync-claim");
        try {
            OpsHttp.Response readiness = http.send("GET", "/actuator/health/readiness", null, null);

            assertThat(readiness.status()).isEqualTo(503);
            assertThat(readiness.json().at("/components/camelRoutes/status").asText()).isEqualTo("DOWN");
            assertThat(readiness.json().at("/components/camelRoutes/details/route:customer-sync-claim").asText())
                    .isEqualTo("DOWN");
        } finally {
            camel.getRouteController().startRoute("customer-sync-claim");
        }
        assertThat(http.send("GET", "/actuator/health/readiness", null, null).status()).isEqualTo(200);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
