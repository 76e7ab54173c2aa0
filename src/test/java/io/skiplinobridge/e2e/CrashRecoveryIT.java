package io.skiplinobridge.e2e;

import static io.skiplinobridge.testsupport.SignedWebhookClient.batch;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.testsupport.JarProcess;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3: the bridge process killed with SIGKILL in the middle of a 2,000-customer run and started again
 * ends with all 2,000 correct and none duplicated. The Skiplino sandbox runs as its own process, so it
 * outlives the bridge; the bridge keeps its H2 file between the two lives.
 */
class CrashRecoveryIT {

    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final int CUSTOMERS = 2000;

    @TempDir
    Path work;

    @Test
    void killedMidRunAndRestartedEndsWithEveryCustomerCorrectAndNoneDuplicated() throws Exception {
        String[] bridgeSettings = {
                "--bridge.webhook.secrets=" + SECRET,
                "--skiplino.rate-limit.requests-per-second=300",
                "--skiplino.rate-limit.max-concurrent=8",
                "--skiplino.read-timeout=2s",
                "--skiplino.rate-limit.max-wait=2s",
                "--skiplino.connect-timeout=1s",
                "--bridge.sync.lease=20s"};
        try (JarProcess sandbox = JarProcess.sandbox(work).startAndAwaitReady();
             JarProcess first = JarProcess.bridge("bridge", work, sandbox, bridgeSettings).startAndAwaitReady()) {
            SkiplinoSandboxControl skiplino = new SkiplinoSandboxControl(sandbox.baseUrl());
            SignedWebhookClient webhook = SignedWebhookClient.forLocalPort(first.port(), SECRET);

            Map<String, String> expected = new HashMap<>();
            List<Map<String, Object>> events = new ArrayList<>();
            Instant at = Instant.parse("2026-11-26T09:00:00Z");
            for (int i = 0; i < CUSTOMERS; i++) {
                String id = "crash-" + i;
                expected.put(id, "Crash customer " + i);
                events.add(upsert("crash-evt-" + i, at, customer(id, expected.get(id), "crash" + i + "@example.com", null, null)));
            }
            for (int i = 0; i < events.size(); i += 100) {
                SignedWebhookClient.Response response = webhook.post(batch(events.subList(i, i + 100)));
                assertThat(response.status()).as(response.body()).isEqualTo(202);
            }

            await().atMost(Duration.ofSeconds(120)).until(() -> skiplino.customers().size() >= CUSTOMERS / 4);
            first.kill();
            int createdBeforeRestart = skiplino.customers().size();
            assertThat(createdBeforeRestart).as("killed in the middle of the run").isLessThan(CUSTOMERS);

            try (JarProcess second = JarProcess.bridge("bridge", work, sandbox, bridgeSettings).startAndAwaitReady()) {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> skiplino.customers().size() == CUSTOMERS);
                Map<String, JsonNode> inSkiplino = skiplino.customers();
                expected.forEach((id, name) -> assertThat(inSkiplino.get(id).get("name").asText()).as(id).isEqualTo(name));
                assertThat(skiplino.stats()).as("no customer created twice")
                        .containsEntry("POST /customers/create 201", (long) CUSTOMERS);
                assertNothingLeftAfterStopping(second);
            }
        }
    }

    /** Stops the bridge gracefully and reads its H2 file: no change may be left pending or parked. */
    private void assertNothingLeftAfterStopping(JarProcess bridge) throws Exception {
        // a JVM ended by SIGTERM exits with 143 once its shutdown hooks (the graceful shutdown) have run
        assertThat(bridge.terminate(Duration.ofSeconds(60))).isIn(0, 143);
        Path db = work.resolve("bridge-data").resolve("bridge.mv.db");
        assertThat(Files.exists(db)).isTrue();
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + work.resolve("bridge-data").resolve("bridge"), "sa", "")) {
            assertThat(count(connection, "SELECT COUNT(*) FROM inbox_event")).as("every accepted event is stored").isEqualTo(CUSTOMERS);
            assertThat(count(connection, "SELECT COUNT(*) FROM inbox_event WHERE status <> 'APPLIED'")).isZero();
            assertThat(count(connection, "SELECT COUNT(*) FROM customer_sync WHERE due_at IS NOT NULL")).isZero();
            assertThat(count(connection, "SELECT COUNT(*) FROM sync_failure")).isZero();
        }
    }

    private static int count(Connection connection, String sql) throws Exception {
        try (ResultSet rs = connection.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
