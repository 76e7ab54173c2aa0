package io.skiplinobridge.e2e;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
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
 * Issue 7, two instances on one PostgreSQL:
 * <ul>
 *   <li>for five periods of a short test schedule, the Quartz-triggered job (store retention, every 2 s
 *       here) fires exactly once per period across the cluster, as recorded in {@code schedule_run};</li>
 *   <li>SIGTERM to one of them in the middle of a run: it stops claiming, finishes or hands back its
 *       customers and exits within its grace period; what it handed back is claimed by the other at
 *       once (long before any lease expiry), and nothing is lost or applied twice.</li>
 * </ul>
 */
class ClusterShutdownIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final int CUSTOMERS = 1500;
    static final Duration PERIOD = Duration.ofSeconds(2);
    /** camel.main.shutdown-timeout + spring.lifecycle.timeout-per-shutdown-phase below, plus closing the store. */
    static final Duration GRACE = Duration.ofSeconds(4 + 4 + 12);

    @TempDir
    Path work;

    @Test
    void scheduleFiresOncePerPeriodAndSigtermHandsWorkOverWithinTheGracePeriod() throws Exception {
        try (PostgresSchema db = PostgresSchema.create("it_cluster");
             JarProcess sandbox = JarProcess.sandbox(work).startAndAwaitReady()) {
            String[] settings = Stream.concat(Stream.of(db.bridgeArguments()), Stream.of(
                    "--bridge.webhook.secrets=" + SECRET,
                    "--bridge.retention.cron=0/2 * * * * ?",
                    // a slow Skiplino: every instance always has customers queued and in flight
                    "--skiplino.rate-limit.requests-per-second=50",
                    "--skiplino.rate-limit.max-concurrent=4",
                    "--skiplino.read-timeout=3s",
                    "--skiplino.rate-limit.max-wait=3s",
                    "--skiplino.connect-timeout=1s",
                    // long: a customer left leased by the stopped instance would visibly wait for it
                    "--bridge.sync.lease=120s",
                    "--camel.main.shutdown-timeout=4",
                    "--spring.lifecycle.timeout-per-shutdown-phase=4s")).toArray(String[]::new);
            try (JarProcess a = JarProcess.bridge("bridge-a", work, sandbox, settings).start();
                 JarProcess b = JarProcess.bridge("bridge-b", work, sandbox, settings).start()) {
                a.awaitReady();
                b.awaitReady();

                assertScheduleFiresOncePerPeriodForFivePeriods(db, a, b);

                SkiplinoSandboxControl skiplino = new SkiplinoSandboxControl(sandbox.baseUrl());
                skiplino.setFaults(Map.of("latencyMs", 400));
                Map<String, String> expected = sendBacklog(SignedWebhookClient.forLocalPort(a.port(), SECRET),
                        SignedWebhookClient.forLocalPort(b.port(), SECRET));
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                        db.count("SELECT COUNT(*) FROM sync_attempt WHERE instance_id = 'bridge-a' AND outcome = 'CREATED'") >= 50
                                && db.count("SELECT COUNT(*) FROM customer_sync WHERE lease_owner = 'bridge-a'") > 0);

                Instant sigterm = Instant.now();
                int exit = a.terminate(GRACE);
                Duration took = Duration.between(sigterm, Instant.now());
                assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
                assertThat(took).as("exited within the grace period").isLessThan(GRACE);
                String log = Files.readString(a.log());
                assertThat(log).doesNotContain("Exception in thread");

                assertThat(db.count("""
                        SELECT COUNT(*) FROM customer_sync c WHERE c.lease_owner = 'bridge-a' AND NOT EXISTS (
                            SELECT 1 FROM sync_attempt t WHERE t.external_id = c.external_id
                            AND t.instance_id = 'bridge-a' AND t.finished_at IS NULL)
                        """)).as("after exit, only customers whose Skiplino call was cut off stay leased").isZero();
                long left = db.count("SELECT COUNT(*) FROM customer_sync WHERE lease_owner = 'bridge-a'");

                // with 120 s leases, finishing within 90 s proves the handed-back customers were claimed at once
                // (cut-off ones, if any, only when their lease ends: then the wait is longer, as documented)
                Duration finishWithin = left == 0 ? Duration.ofSeconds(90) : Duration.ofSeconds(240);
                skiplino.clearFaults();
                await().atMost(finishWithin).pollInterval(Duration.ofSeconds(1))
                        .until(() -> db.count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'") == 0);

                Map<String, JsonNode> inSkiplino = skiplino.customers();
                assertThat(inSkiplino).hasSize(CUSTOMERS);
                expected.forEach((id, name) -> assertThat(inSkiplino.get(id).get("name").asText()).as(id).isEqualTo(name));
                assertThat(skiplino.stats()).as("no customer created twice")
                        .containsEntry("POST /customers/create 201", (long) CUSTOMERS);
                assertThat(db.count("SELECT COUNT(*) FROM inbox_event WHERE status <> 'APPLIED'")).isZero();
                assertThat(db.count("SELECT COUNT(*) FROM sync_failure")).isZero();
                MultiInstanceCrashIT.assertNoCustomerProcessedTwiceAtOnce(db);
                assertThat(b.terminate(GRACE)).isIn(0, 143);
            }
        }
    }

    /**
     * Waits until both instances have been up together for five whole periods, then checks that each of
     * those periods has exactly one firing of the job, by either instance.
     */
    private static void assertScheduleFiresOncePerPeriodForFivePeriods(PostgresSchema db, JarProcess a, JarProcess b) {
        long bothUp = ((Timestamp) db.query("SELECT CURRENT_TIMESTAMP AS t").get(0).get("t")).toInstant().getEpochSecond();
        // the first whole period starting after both are up (the cron fires on even seconds)
        Instant from = Instant.ofEpochSecond(bothUp - bothUp % PERIOD.toSeconds() + 2 * PERIOD.toSeconds());
        Instant to = from.plus(PERIOD.multipliedBy(5));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                db.count("SELECT COUNT(*) FROM schedule_run WHERE job_name = 'store-retention' AND scheduled_at >= '"
                        + to + "'") > 0);
        assertThat(a.isAlive() && b.isAlive()).as("both instances ran throughout").isTrue();

        List<Map<String, Object>> firings = db.query("SELECT scheduled_at, instance_id, finished_at FROM schedule_run "
                + "WHERE job_name = 'store-retention' AND scheduled_at >= '" + from + "' AND scheduled_at < '" + to
                + "' ORDER BY scheduled_at");
        List<Instant> scheduled = firings.stream().map(r -> ((Timestamp) r.get("scheduled_at")).toInstant()).toList();
        List<Instant> periods = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            periods.add(from.plus(PERIOD.multipliedBy(i)));
        }
        assertThat(scheduled).as("one firing per period, by the whole cluster").containsExactlyElementsOf(periods);
        assertThat(firings).allSatisfy(r -> assertThat(r.get("finished_at")).isNotNull());
    }

    private static Map<String, String> sendBacklog(SignedWebhookClient a, SignedWebhookClient b) {
        Map<String, String> expected = new HashMap<>();
        List<Map<String, Object>> events = new ArrayList<>();
        Instant at = Instant.parse("2026-11-26T09:00:00Z");
        for (int i = 0; i < CUSTOMERS; i++) {
            String id = "gs-" + i;
            expected.put(id, "Shutdown customer " + i);
            events.add(upsert("gs-evt-" + i, at, customer(id, expected.get(id), "gs" + i + "@example.com", null, null)));
        }
        for (int i = 0; i < events.size(); i += 100) {
            SignedWebhookClient.Response response = ((i / 100) % 2 == 0 ? a : b).post(batch(events.subList(i, i + 100)));
            assertThat(response.status()).as(response.body()).isEqualTo(202);
        }
        return expected;
    }
}
