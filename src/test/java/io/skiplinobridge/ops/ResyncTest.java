package io.skiplinobridge.ops;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
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
import io.skiplinobridge.sync.CanonicalCustomer;
import io.skiplinobridge.sync.ChangeSource;
import io.skiplinobridge.sync.CustomerChange;
import io.skiplinobridge.sync.InboxStore;
import io.skiplinobridge.testsupport.StoreTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * Resync against the Skiplino sandbox: 1,000 customers synced by the engine, then 10 of them changed
 * behind the bridge's back in Skiplino (drift) and 5 given an invalid latest CRM state. The dry run
 * reports exactly 10 / 985 / 5 and writes nothing (the sandbox saw only customer-list reads); the real
 * run repairs the drift through the engine.
 */
@StoreTest
class ResyncTest extends OpsSpringTestBase {

    static final int CUSTOMERS = 1000;
    static final String SKIPLINO = "/sandbox/skiplino/external/v1";

    @Autowired
    InboxStore inbox;

    @Test
    void dryRunReportsDriftAndInvalidStatesWithoutWritingAndTheRealRunRepairsIt() {
        syncCustomers();
        Set<String> changed = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String id = id(i * 97 + 3);
            changed.add(id);
            OpsHttp.expect(skiplino("PUT", "/customers/update", Map.of("externalId", id, "name", "Renamed in Skiplino")), 200);
        }
        Set<String> invalid = new HashSet<>();
        List<CustomerChange> invalidChanges = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = id(i * 101 + 50);
            invalid.add(id);
            invalidChanges.add(CustomerChange.upsert(ChangeSource.SALESFORCE, "sf-" + id, Instant.now(),
                    new CanonicalCustomer(id, "Customer " + id, "not an email", null, Map.of())));
        }
        inbox.append(invalidChanges);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/ops/api/failures").json().get("total").asLong() == 5);
        awaitQuiet();
        http.clearSandboxStats();
        String storeBefore = storeFingerprint();

        JsonNode report = resync(Map.of("dryRun", true));

        assertThat(report.get("dryRun").asBoolean()).isTrue();
        assertThat(report.at("/result/wouldUpdate/count").asLong()).isEqualTo(10);
        assertThat(report.at("/result/unchanged/count").asLong()).isEqualTo(985);
        assertThat(report.at("/result/invalid/count").asLong()).isEqualTo(5);
        assertThat(report.at("/result/wouldCreate/count").asLong()).isZero();
        assertThat(report.at("/result/notInBridge/count").asLong()).isZero();
        assertThat(ids(report.at("/result/wouldUpdate/externalIds"))).isEqualTo(changed);
        Set<String> reportedInvalid = new HashSet<>();
        report.at("/result/invalid/customers").forEach(c -> {
            reportedInvalid.add(c.get("externalId").asText());
            assertThat(c.at("/errors/0/field").asText()).isEqualTo("customer.email");
        });
        assertThat(reportedInvalid).isEqualTo(invalid);
        assertThat(report.at("/result/unchanged/externalIds").size()).isEqualTo(100);
        assertThat(report.at("/result/unchanged/truncated").asBoolean()).isTrue();
        assertThat(report.at("/progress/skiplinoPages").asInt()).isEqualTo(10);
        assertThat(report.has("applied")).isFalse();
        // zero writes anywhere: the sandbox saw only pages of the customer list, and the store is as it was
        JsonNode stats = http.sandboxStats();
        long reads = 0;
        for (JsonNode row : stats) {
            assertThat(row.get("method").asText() + " " + row.get("path").asText()).isEqualTo("GET /customers/getAll");
            reads += row.get("count").asLong();
        }
        assertThat(reads).isEqualTo(10);
        assertThat(storeFingerprint()).isEqualTo(storeBefore);

        JsonNode run = resync(Map.of("dryRun", false, "by", "resync-test"));

        assertThat(run.at("/result/wouldUpdate/count").asLong()).isEqualTo(10);
        assertThat(run.at("/applied/enqueued").asLong()).isEqualTo(10);
        assertThat(run.at("/applied/refreshed").asLong()).isEqualTo(10);
        await().atMost(Duration.ofSeconds(60)).until(() -> renamedInSkiplino().isEmpty());
        awaitQuiet();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE source = 'RESYNC' AND status = 'APPLIED'",
                Integer.class)).isEqualTo(10);
        JsonNode again = resync(Map.of("dryRun", true));
        assertThat(again.at("/result/wouldUpdate/count").asLong()).isZero();
        assertThat(again.at("/result/unchanged/count").asLong()).isEqualTo(995);
        assertThat(again.at("/result/invalid/count").asLong()).isEqualTo(5);
    }

    @Test
    void aCustomerMissingFromSkiplinoIsRecreatedAndListedIdsAreResyncedAlone() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(upsert("mc-e" + i, "mc-" + i, "Customer " + i, "mc" + i + "@example.com", null));
        }
        assertThat(crm.post(batch(events)).status()).isEqualTo(202);
        awaitQuiet();
        OpsHttp.expect(http.send("DELETE", SKIPLINO + "/customers/delete?externalId=mc-1", "Bearer " + SKIPLINO_KEY, null), 200);

        JsonNode listed = resync(Map.of("externalIds", List.of("mc-1", "mc-2", "nobody"), "dryRun", true));

        assertThat(listed.get("scope").asText()).isEqualTo("listed");
        assertThat(ids(listed.at("/result/wouldCreate/externalIds"))).containsExactly("mc-1");
        assertThat(ids(listed.at("/result/unchanged/externalIds"))).containsExactly("mc-2");
        assertThat(ids(listed.at("/result/unknown/externalIds"))).containsExactly("nobody");

        JsonNode run = resync(Map.of("externalIds", List.of("mc-1"), "dryRun", false));

        assertThat(run.at("/applied/enqueued").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> http.sandboxCustomers().toString().contains("\"mc-1\""));
        awaitQuiet();
        assertThat(jdbc.queryForObject("SELECT outcome FROM sync_attempt WHERE external_id = 'mc-1' ORDER BY id DESC FETCH FIRST 1 ROWS ONLY",
                String.class)).isEqualTo("CREATED");
    }

    @Test
    void badResyncRequestsAreRefusedNamingTheField() {
        assertBadField(http.post("/ops/api/resync", Map.of("externalIds", List.of())), "/externalIds");
        assertBadField(http.post("/ops/api/resync", "{\"externalIds\": [\"ok\", \"  \"]}"), "/externalIds/1");
        assertBadField(http.post("/ops/api/resync", "{\"dryRun\": \"maybe\"}"), "/dryRun");
        assertBadField(http.post("/ops/api/resync", "{\"dry_run\": false}"), "/dry_run");
        assertBadField(http.post("/ops/api/resync", Map.of("source", "salesforce", "dryRun", true)), "/dryRun");
        OpsHttp.Response noConnector = http.post("/ops/api/resync", Map.of("source", "hubspot"));
        assertThat(noConnector.status()).isEqualTo(422);
        assertThat(http.get("/ops/api/resync/rs-unknown").status()).isEqualTo(404);
    }

    private void syncCustomers() {
        for (int start = 0; start < CUSTOMERS; start += 500) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = start; i < start + 500; i++) {
                events.add(upsert("rs-e" + i, id(i), "Customer " + i, "customer" + i + "@example.com", "+97333" + (100000 + i)));
            }
            assertThat(crm.post(batch(events)).status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> http.get("/ops/api/status").json()
                .at("/backlog/pendingEvents").asLong() == 0);
        awaitQuiet();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM customer_sync WHERE skiplino_id IS NOT NULL", Integer.class))
                .isEqualTo(CUSTOMERS);
    }

    private JsonNode resync(Map<String, Object> request) {
        OpsHttp.Response started = http.post("/ops/api/resync", request);
        assertThat(started.status()).as(started.body()).isIn(200, 202);
        String id = started.json().get("id").asText();
        return await().atMost(Duration.ofSeconds(120)).until(() -> http.get("/ops/api/resync/" + id).json(),
                job -> !job.get("state").asText().equals("RUNNING"));
    }

    private OpsHttp.Response skiplino(String method, String path, Object body) {
        return http.send(method, SKIPLINO + path, "Bearer " + SKIPLINO_KEY, body);
    }

    private List<String> renamedInSkiplino() {
        List<String> renamed = new ArrayList<>();
        http.sandboxCustomers().forEach(c -> {
            if ("Renamed in Skiplino".equals(c.path("name").asText())) {
                renamed.add(c.get("externalId").asText());
            }
        });
        return renamed;
    }

    /** Everything the store holds that a write would change. */
    private String storeFingerprint() {
        return jdbc.queryForList("SELECT COUNT(*), MAX(id) FROM inbox_event").toString()
                + jdbc.queryForList("SELECT COUNT(*), MAX(id) FROM sync_attempt")
                + jdbc.queryForList("SELECT COUNT(*), MAX(id) FROM sync_failure")
                + jdbc.queryForList("SELECT external_id, skiplino_id, content_hash, due_at, attempts, updated_at "
                + "FROM customer_sync ORDER BY external_id");
    }

    private static String id(int i) {
        return "rs-" + i;
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> ids = new HashSet<>();
        array.forEach(n -> ids.add(n.asText()));
        return ids;
    }

    private static void assertBadField(OpsHttp.Response response, String pointer) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().at("/errors/0/pointer").asText()).isEqualTo(pointer);
    }
}
