package io.skiplinobridge.ops;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.sync.DeleteGuard;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context the ops tests share (same properties, so Spring caches it): the whole bridge
 * in sandbox mode (metrics exported, as in production), with a Skiplino key, a webhook secret and an ops token of its own, a fast rate
 * limit, short backoffs, and database figures read afresh on every request. Each test starts from an
 * empty store and sandbox, with every flow running.
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "bridge.ops.refresh-interval=0s",
        "skiplino.rate-limit.requests-per-second=1000",
        "skiplino.rate-limit.max-concurrent=16",
        "skiplino.circuit-breaker.wait-in-open-state=1s",
        "bridge.sync.backoff-base=50ms",
        "bridge.sync.backoff-max=200ms",
        "bridge.sync.poll-interval=50ms"})
abstract class OpsSpringTestBase {

    static final String SKIPLINO_KEY = "sk_test_OpsCanary4f8e2b9d71";
    static final String WEBHOOK_SECRET = WebhookSecret.generate().encoded();
    static final String OPS_TOKEN = "ops-token-" + UUID.randomUUID();

    /** Dynamic, so that no secret is part of the test context's description (which DEBUG logging prints). */
    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("skiplino.api-key", () -> SKIPLINO_KEY);
        registry.add("bridge.sandbox.skiplino.secret-key", () -> SKIPLINO_KEY);
        registry.add("bridge.webhook.secrets", () -> WEBHOOK_SECRET);
        registry.add("bridge.ops.token", () -> OPS_TOKEN);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BridgeFlags flags;

    @Autowired
    CustomerSyncClaimer claimer;

    @Autowired
    SkiplinoGuard guard;

    OpsHttp http;
    SignedWebhookClient crm;

    @BeforeEach
    void cleanSlate() {
        http = new OpsHttp(port, OPS_TOKEN);
        crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, true, "test set-up", "test");
        await().atMost(Duration.ofSeconds(30)).until(() -> claimer.inFlight() == 0);
        jdbc.update("DELETE FROM inbox_event");
        jdbc.update("DELETE FROM customer_sync");
        jdbc.update("DELETE FROM sync_failure");
        jdbc.update("DELETE FROM sync_attempt");
        http.resetSandbox();
        flags.set(DeleteGuard.FLAG, false, "test set-up", "test");
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, false, "test set-up", "test");
        await().atMost(Duration.ofSeconds(30)).until(guard::acceptingWork);
    }

    /** Waits until the engine has nothing pending and nothing in flight. */
    void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Integer pending = jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'", Integer.class);
            return pending != null && pending == 0 && claimer.inFlight() == 0;
        });
    }
}
