package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.sync.DeleteGuard;
import io.skiplinobridge.testsupport.StoreTest;
import org.junit.jupiter.api.Test;

/**
 * The ops API against the running bridge: status, one customer's state and history, the failures list
 * with its filters and paging, retries (one, twice, all matching), and pausing and resuming flows.
 */
@StoreTest
class OpsApiTest extends OpsSpringTestBase {

    @Test
    void statusShowsBacklogRatesSkiplinoAndFlows() {
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, true, "hold for the test", "test");
        assertThat(crm.post(batch(List.of(upsert("e1", "st-1", "Layla Hassan", "layla@example.com", null),
                upsert("e2", "st-2", "Omar Ali", "omar@example.com", null)))).status()).isEqualTo(202);

        JsonNode status = OpsHttp.expect(http.get("/ops/api/status"), 200).json();

        assertThat(status.at("/backlog/pendingEvents").asLong()).isEqualTo(2);
        assertThat(status.at("/backlog/customersDue").asLong()).isEqualTo(2);
        assertThat(status.at("/backlog/oldestPendingAt").isTextual()).isTrue();
        assertThat(status.at("/backlog/maxAgeSeconds").asLong()).isEqualTo(900);
        assertThat(status.at("/rates/receivedPerMinute").asDouble()).isEqualTo(0.4);
        assertThat(status.at("/rates/windowSeconds").asLong()).isEqualTo(300);
        assertThat(status.at("/skiplino/circuitState").asText()).isEqualTo("CLOSED");
        assertThat(status.at("/paused").toString()).isEqualTo("[\"customer-sync\"]");
        assertThat(status.at("/deletesGuard/paused").asBoolean()).isFalse();
        assertThat(names(status.get("flows"))).contains("customer-sync", "deletes");
        assertThat(status.get("instance").asText()).isNotBlank();

        flags.set(CustomerSyncClaimer.PAUSE_FLAG, false, "go", "test");
        awaitQuiet();
        JsonNode after = http.get("/ops/api/status").json();
        assertThat(after.at("/backlog/pendingEvents").asLong()).isZero();
        assertThat(after.at("/rates/appliedPerMinute").asDouble()).isEqualTo(0.4);
        assertThat(after.at("/skiplino/lastSuccessAt").isTextual()).isTrue();
        assertThat(flow(after, "customer-sync").at("/report/lastSuccessAt").isTextual()).isTrue();
    }

    @Test
    void customerViewShowsStateHistoryAndOpenFailures() {
        http.reject("cv-1", "email", "Blocked address.");
        crm.post(upsert("cv-e1", "cv-1", "Layla Hassan", "layla@example.com", null));
        awaitOpenFailures(1);

        JsonNode customer = OpsHttp.expect(http.get("/ops/api/customers/cv-1"), 200).json();

        assertThat(customer.get("externalId").asText()).isEqualTo("cv-1");
        assertThat(customer.at("/state/lastError").asText()).contains("422").contains("Blocked address.");
        assertThat(customer.at("/state/skiplinoId").isMissingNode()).isTrue();
        assertThat(customer.at("/events/0/eventId").asText()).isEqualTo("cv-e1");
        assertThat(customer.at("/events/0/status").asText()).isEqualTo("PARKED");
        assertThat(customer.at("/events/0/payload/email").asText()).isEqualTo("layla@example.com");
        assertThat(customer.at("/attempts/0/outcome").asText()).isEqualTo("PARKED");
        assertThat(customer.at("/attempts/0/httpStatus").asInt()).isEqualTo(422);
        assertThat(customer.at("/openFailures/0/operation").asText()).isEqualTo("CREATE");

        OpsHttp.Response unknown = http.get("/ops/api/customers/nobody-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    @Test
    void failuresAreListedWithFiltersAndPaging() {
        for (int i = 0; i < 3; i++) {
            http.reject("fl-" + i, "email", "Blocked address.");
        }
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(upsert("fl-e" + i, "fl-" + i, "Customer " + i, "c" + i + "@example.com", null));
        }
        crm.post(batch(events));
        awaitOpenFailures(3);
        awaitQuiet();

        JsonNode all = OpsHttp.expect(http.get("/ops/api/failures"), 200).json();
        assertThat(all.get("total").asLong()).isEqualTo(3);
        assertThat(all.at("/items/0/reason").asText()).contains("create failed with HTTP 422: email: Blocked address.");
        assertThat(all.at("/items/0/payload/externalId").asText()).startsWith("fl-");

        JsonNode one = http.get("/ops/api/failures?externalId=fl-1").json();
        assertThat(one.get("total").asLong()).isEqualTo(1);
        assertThat(one.at("/items/0/externalId").asText()).isEqualTo("fl-1");

        assertThat(http.get("/ops/api/failures?operation=update").json().get("total").asLong()).isZero();
        assertThat(http.get("/ops/api/failures?operation=CREATE&status=422").json().get("total").asLong()).isEqualTo(3);
        assertThat(http.get("/ops/api/failures?state=resolved").json().get("total").asLong()).isZero();

        JsonNode page1 = http.get("/ops/api/failures?size=2&page=1").json();
        assertThat(page1.get("items").size()).isEqualTo(1);
        assertThat(page1.get("total").asLong()).isEqualTo(3);
    }

    @Test
    void badFilterValuesAreRefusedNamingTheParameter() {
        assertBadParameter(http.get("/ops/api/failures?state=closed"), "state");
        assertBadParameter(http.get("/ops/api/failures?operation=PATCH"), "operation");
        assertBadParameter(http.get("/ops/api/failures?status=42"), "status");
        assertBadParameter(http.get("/ops/api/failures?status=abc"), "status");
        assertBadParameter(http.get("/ops/api/failures?page=-1"), "page");
        assertBadParameter(http.get("/ops/api/failures?size=501"), "size");
        assertThat(http.post("/ops/api/failures/abc/retry", null).status()).isEqualTo(400);
    }

    @Test
    void retryMakesTheParkedChangePendingAgainAndTwiceIsHarmless() {
        http.reject("rt-1", "email", "Blocked address.");
        crm.post(upsert("rt-e1", "rt-1", "Layla Hassan", "layla@example.com", null));
        long id = awaitOpenFailures(1).at("/items/0/id").asLong();
        awaitQuiet();
        http.stopRejecting("rt-1");

        JsonNode retried = OpsHttp.expect(http.post("/ops/api/failures/" + id + "/retry", null), 200).json();
        JsonNode again = OpsHttp.expect(http.post("/ops/api/failures/" + id + "/retry", null), 200).json();

        assertThat(retried.get("outcome").asText()).isEqualTo("RETRIED");
        assertThat(again.get("outcome").asText()).isEqualTo("ALREADY_RESOLVED");
        assertThat(again.get("resolution").asText()).isEqualTo("RETRIED");
        await().atMost(Duration.ofSeconds(30)).until(() -> http.sandboxCustomers().toString().contains("\"rt-1\""));
        awaitQuiet();
        assertThat(jdbc.queryForList("SELECT status FROM inbox_event WHERE external_id = 'rt-1'", String.class))
                .containsExactly("APPLIED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_attempt WHERE external_id = 'rt-1' AND outcome = 'CREATED'",
                Integer.class)).isEqualTo(1);
        JsonNode resolved = http.get("/ops/api/failures?state=resolved").json();
        assertThat(resolved.at("/items/0/resolution").asText()).isEqualTo("RETRIED");
        assertThat(http.get("/ops/api/failures").json().get("total").asLong()).isZero();

        assertThat(http.post("/ops/api/failures/999999/retry", null).status()).isEqualTo(404);
    }

    @Test
    void retryAllRetriesOnlyTheOpenFailuresMatchingTheFilter() {
        http.reject("ra-1", "email", "Blocked address.");
        http.reject("ra-2", "email", "Blocked address.");
        crm.post(batch(List.of(upsert("ra-e1", "ra-1", "A", "a@example.com", null),
                upsert("ra-e2", "ra-2", "B", "b@example.com", null))));
        awaitOpenFailures(2);
        awaitQuiet();
        http.stopRejecting("ra-1");
        http.stopRejecting("ra-2");

        JsonNode none = OpsHttp.expect(http.post("/ops/api/failures/retry", Map.of("operation", "DELETE")), 200).json();
        JsonNode one = OpsHttp.expect(http.post("/ops/api/failures/retry", Map.of("externalId", "ra-2")), 200).json();

        assertThat(none.get("retried").asInt()).isZero();
        assertThat(one.get("retried").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.sandboxCustomers().toString().contains("\"ra-2\""));
        assertThat(http.get("/ops/api/failures").json().at("/items/0/externalId").asText()).isEqualTo("ra-1");

        JsonNode rest = OpsHttp.expect(http.post("/ops/api/failures/retry", null), 200).json();
        assertThat(rest.get("retried").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.sandboxCustomers().toString().contains("\"ra-1\""));

        OpsHttp.Response typo = http.post("/ops/api/failures/retry", "{\"externalID\": \"ra-1\"}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.json().at("/errors/0/pointer").asText()).isEqualTo("/externalID");
    }

    @Test
    void pausingAFlowIsRecordedWithWhoWhenAndWhyAndHoldsTheWork() {
        JsonNode paused = OpsHttp.expect(http.post("/ops/api/flows/customer-sync/pause",
                Map.of("reason", "Skiplino maintenance", "by", "alice")), 200).json();

        assertThat(paused.get("paused").asBoolean()).isTrue();
        assertThat(paused.at("/lastSwitch/by").asText()).isEqualTo("ops-api:alice");
        BridgeFlags.Flag flag = flags.find(CustomerSyncClaimer.PAUSE_FLAG).orElseThrow();
        assertThat(flag.active()).isTrue();
        assertThat(flag.reason()).isEqualTo("Skiplino maintenance");
        assertThat(flag.changedBy()).isEqualTo("ops-api:alice");

        crm.post(upsert("pa-e1", "pa-1", "Held", "held@example.com", null));
        assertThat(http.get("/ops/api/status").json().at("/backlog/pendingEvents").asLong()).isEqualTo(1);
        assertThat(claimer.inFlight()).isZero();

        JsonNode resumed = OpsHttp.expect(http.post("/ops/api/flows/customer-sync/resume", Map.of("reason", "done")), 200).json();
        assertThat(resumed.get("paused").asBoolean()).isFalse();
        awaitQuiet();
        assertThat(http.sandboxCustomers().toString()).contains("\"pa-1\"");
    }

    @Test
    void resumingDeletesReleasesTheMassDeleteGuard() {
        flags.set(DeleteGuard.FLAG, true, "more than 100 customer deletes within 10m", "delete-guard");
        JsonNode status = http.get("/ops/api/status").json();
        assertThat(status.at("/deletesGuard/paused").asBoolean()).isTrue();
        assertThat(status.at("/deletesGuard/lastSwitch/by").asText()).isEqualTo("delete-guard");

        OpsHttp.expect(http.post("/ops/api/flows/deletes/resume", Map.of("reason", "checked with the CRM team")), 200);

        assertThat(flags.isActive(DeleteGuard.FLAG)).isFalse();
        assertThat(flags.find(DeleteGuard.FLAG).orElseThrow().reason()).isEqualTo("checked with the CRM team");
    }

    @Test
    void flowRequestsAreValidated() {
        OpsHttp.Response noReason = http.post("/ops/api/flows/customer-sync/pause", Map.of("by", "alice"));
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().at("/errors/0/pointer").asText()).isEqualTo("/reason");
        assertThat(http.post("/ops/api/flows/customer-sync/pause", "{\"reason\": \"a\\nforged line\"}").status()).isEqualTo(400);
        assertThat(http.post("/ops/api/flows/customer-sync/pause", "{\"reason\": 5, \"by\": []}").status()).isEqualTo(400);
        assertThat(http.post("/ops/api/flows/customer-sync/pause", "{not json").status()).isEqualTo(400);
        OpsHttp.Response unknown = http.post("/ops/api/flows/mystery/pause", Map.of("reason", "x"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("detail").asText()).contains("customer-sync", "deletes");
        assertThat(flags.isActive(CustomerSyncClaimer.PAUSE_FLAG)).isFalse();
    }

    private JsonNode awaitOpenFailures(int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/ops/api/failures").json(),
                list -> list.get("total").asLong() == count);
    }

    private static void assertBadParameter(OpsHttp.Response response, String parameter) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().at("/errors/0/parameter").asText()).isEqualTo(parameter);
    }

    private static List<String> names(JsonNode flows) {
        List<String> names = new ArrayList<>();
        flows.forEach(f -> names.add(f.get("name").asText()));
        return names;
    }

    private static JsonNode flow(JsonNode status, String name) {
        for (JsonNode f : status.get("flows")) {
            if (f.get("name").asText().equals(name)) {
                return f;
            }
        }
        throw new AssertionError("no flow " + name);
    }
}
