package io.skiplinobridge.e2e;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.testsupport.JarProcess;
import io.skiplinobridge.testsupport.PostgresSchema;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: two bridge processes on one PostgreSQL and one standalone Skiplino sandbox work through 5,000
 * changes (4,000 new customers, then a newer version of 1,000 of them, sent to the other instance); one
 * is killed with SIGKILL half-way. The survivor takes the dead one's customers over when their leases
 * expire. The end state is exactly right, no customer was created twice, and the processing history
 * shows no customer ever being processed by two instances at once.
 */
class MultiInstanceCrashIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OPS_TOKEN = "ops-token-multi-instance-crash-it-0123456789";
    static final int CUSTOMERS = 4000;
    static final int UPDATED = 1000;

    @TempDir
    Path work;

    @Test
    void oneOfTwoInstancesKilledHalfWayLosesNothingDuplicatesNothingAndNeverOverlaps() throws Exception {
        try (PostgresSchema db = PostgresSchema.create("it_crash");
             JarProcess sandbox = JarProcess.sandbox(work).startAndAwaitReady()) {
            String[] settings = Stream.concat(Stream.of(db.bridgeArguments()), Stream.of(
                    "--bridge.webhook.secrets=" + SECRET,
                    "--bridge.ops.token=" + OPS_TOKEN,
                    "--skiplino.rate-limit.requests-per-second=100",
                    "--skiplino.rate-limit.max-concurrent=8",
                    "--skiplino.read-timeout=2s",
                    "--skiplino.rate-limit.max-wait=2s",
                    "--skiplino.connect-timeout=1s",
                    "--bridge.sync.lease=20s")).toArray(String[]::new);
            try (JarProcess a = JarProcess.bridge("bridge-a", work, sandbox, settings).start();
                 JarProcess b = JarProcess.bridge("bridge-b", work, sandbox, settings).start()) {
                a.awaitReady();
                b.awaitReady();
                SkiplinoSandboxControl skiplino = new SkiplinoSandboxControl(sandbox.baseUrl());
                // The whole backlog is stored before any of it is worked on, so the kill lands half-way through
                // the work however fast or slow this machine ingests: the pause is a flag both instances read.
                // each instance reads the flag through a 1 s cache, which pausing through it clears: paused
                // through both, neither can claim while the backlog arrives (a fast ingest beat b's cache)
                flow(a, "pause");
                flow(b, "pause");
                Map<String, String> expected = sendBacklog(SignedWebhookClient.forLocalPort(a.port(), SECRET),
                        SignedWebhookClient.forLocalPort(b.port(), SECRET));
                assertThat(db.count("SELECT COUNT(*) FROM sync_attempt")).as("nothing worked on while paused").isZero();
                flow(b, "resume");

                String created = "SELECT COUNT(*) FROM sync_attempt WHERE outcome = 'CREATED'";
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(200))
                        .until(() -> db.count(created) >= CUSTOMERS * 3 / 8);
                long createdBeforeKill = db.count(created);
                a.kill();
                long leasedByTheDead = db.count("SELECT COUNT(*) FROM customer_sync WHERE lease_owner = 'bridge-a'");
                assertThat(createdBeforeKill).as("killed half-way").isLessThan(CUSTOMERS);
                assertThat(leasedByTheDead).as("customers the survivor must take over after their lease").isPositive();

                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> db.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'") == 0);

                Map<String, JsonNode> inSkiplino = skiplino.customers();
                assertThat(inSkiplino).hasSize(CUSTOMERS);
                expected.forEach((id, name) -> assertThat(inSkiplino.get(id).get("name").asText()).as(id).isEqualTo(name));
                assertThat(skiplino.stats()).as("no customer created twice")
                        .containsEntry("POST /customers/create 201", (long) CUSTOMERS);

                assertThat(db.count("SELECT COUNT(*) FROM inbox_event")).isEqualTo(CUSTOMERS + UPDATED);
                assertThat(db.count("SELECT COUNT(*) FROM inbox_event WHERE status NOT IN ('APPLIED', 'SUPERSEDED')")).isZero();
                assertThat(db.count("SELECT COUNT(*) FROM sync_failure")).isZero();
                assertThat(db.count("SELECT COUNT(*) FROM customer_sync WHERE due_at IS NOT NULL")).isZero();
                assertThat(db.query("SELECT DISTINCT instance_id FROM sync_attempt")).as("both instances worked")
                        .extracting(row -> row.get("instance_id")).containsExactlyInAnyOrder("bridge-a", "bridge-b");
                assertNoCustomerProcessedTwiceAtOnce(db);

                assertThat(b.terminate(Duration.ofSeconds(60))).isIn(0, 143);
            }
        }
    }

    /**
     * Every attempt lasts from its start to its end, or, when its instance died, to the end of the lease
     * it ran under (after which another instance may take the customer over). No two attempts of one
     * customer may overlap.
     */
    static void assertNoCustomerProcessedTwiceAtOnce(PostgresSchema db) {
        List<Map<String, Object>> overlaps = db.query("""
                SELECT x.external_id, x.instance_id AS first_instance, y.instance_id AS second_instance,
                       x.started_at AS first_start, COALESCE(x.finished_at, x.lease_until) AS first_end,
                       y.started_at AS second_start
                FROM sync_attempt x JOIN sync_attempt y ON x.external_id = y.external_id AND x.id < y.id
                WHERE y.started_at < COALESCE(x.finished_at, x.lease_until)
                  AND x.started_at < COALESCE(y.finished_at, y.lease_until)
                FETCH FIRST 10 ROWS ONLY
                """);
        assertThat(overlaps).as("attempts of one customer overlapping in time").isEmpty();
        assertThat(db.count("SELECT COUNT(*) FROM sync_attempt WHERE finished_at IS NULL AND lease_until IS NULL"))
                .as("every unfinished attempt has the lease that bounds it").isZero();
    }

    /** Pauses or resumes the customer sync through one instance's ops API. */
    private static void flow(JarProcess instance, String action) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(instance.baseUrl() + "/ops/api/flows/customer-sync/" + action))
                .header("Authorization", "Bearer " + OPS_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"MultiInstanceCrashIT\"}"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** 4,000 new customers in batches alternating between the instances, then 1,000 newer versions the other way. */
    private static Map<String, String> sendBacklog(SignedWebhookClient a, SignedWebhookClient b) {
        Map<String, String> expected = new HashMap<>();
        List<Map<String, Object>> creates = new ArrayList<>();
        List<Map<String, Object>> updates = new ArrayList<>();
        Instant at = Instant.parse("2026-11-26T09:00:00Z");
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "mi-" + i;
            expected.put(id, "Customer " + i);
            creates.add(upsert("mi-evt-" + i, at, customer(id, expected.get(id), "mi" + i + "@example.com", null, null)));
        }
        for (int i = 0; i < UPDATED; i++) {
            String id = "mi-" + i;
            expected.put(id, "Customer " + i + " v2");
            updates.add(upsert("mi-evt-" + i + "-v2", at.plusSeconds(60),
                    customer(id, expected.get(id), "mi" + i + "@example.com", null, null)));
        }
        post(creates, a, b);
        post(updates, b, a);
        return expected;
    }

    private static void post(List<Map<String, Object>> events, SignedWebhookClient first, SignedWebhookClient second) {
        for (int i = 0; i < events.size(); i += 100) {
            SignedWebhookClient to = (i / 100) % 2 == 0 ? first : second;
            SignedWebhookClient.Response response = to.post(batch(events.subList(i, i + 100)));
            assertThat(response.status()).as(response.body()).isEqualTo(202);
        }
    }
}
