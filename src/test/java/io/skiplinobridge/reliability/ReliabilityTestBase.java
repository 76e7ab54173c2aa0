package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.sync.DeleteGuard;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The Spring context the reliability tests share: the whole bridge in sandbox mode, but its Skiplino
 * calls go through a WireMock server that forwards them to the embedded Skiplino sandbox and, where a
 * test says so, breaks one of them (before it reaches Skiplino, or after Skiplino applied it). Short
 * backoffs keep most faults to a second or two (the read timeout leaves room for a
 * loaded build machine); the circuit breaker needs many calls to
 * open, so one injected fault never holds back the next test (the long-outage test has its own).
 */
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "bridge.ops.refresh-interval=0s",
        "skiplino.read-timeout=4s",
        "skiplino.connect-timeout=1s",
        "skiplino.rate-limit.requests-per-second=1000",
        "skiplino.rate-limit.max-concurrent=16",
        "skiplino.rate-limit.max-wait=5s",
        "skiplino.rate-limit.recovery-interval=100ms",
        "skiplino.circuit-breaker.minimum-number-of-calls=1000",
        "skiplino.circuit-breaker.sliding-window-size=1000",
        "bridge.sync.lease=60s",
        "bridge.sync.backoff-base=50ms",
        "bridge.sync.backoff-max=200ms",
        "bridge.sync.poll-interval=50ms",
        // only the tests' own customers: no demo Contacts synced (and timing out) while a test runs
        "bridge.sandbox.salesforce.seed-contacts=0"})
abstract class ReliabilityTestBase {

    static final String SANDBOX_PATH = "/sandbox/skiplino/external/v1";
    static final String SKIPLINO_KEY = "sk_test_ReliabilityCanary5c1d";
    static final String WEBHOOK_SECRET = WebhookSecret.generate().encoded();
    static final String OPS_TOKEN = "ops-reliability-" + UUID.randomUUID();

    /** Skiplino as the bridge sees it: WireMock, forwarding to the embedded sandbox unless told otherwise. */
    static final WireMockServer SKIPLINO = new WireMockServer(wireMockConfig().dynamicPort()
            .extensions(new BreakAfterForwarding()));

    static {
        SKIPLINO.start();
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("skiplino.base-url", () -> SKIPLINO.baseUrl() + SANDBOX_PATH);
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

    @Autowired
    MeterRegistry meters;

    SignedWebhookClient crm;
    SkiplinoSandboxControl sandbox;

    @BeforeEach
    void cleanSlate() {
        crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        sandbox = SkiplinoSandboxControl.forLocalPort(port);
        SKIPLINO.resetAll();
        SKIPLINO.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().proxiedFrom(sandboxUrl())));
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, true, "test set-up", "test");
        await().atMost(Duration.ofSeconds(30)).until(() -> claimer.inFlight() == 0);
        jdbc.update("DELETE FROM inbox_event");
        jdbc.update("DELETE FROM customer_sync");
        jdbc.update("DELETE FROM sync_failure");
        jdbc.update("DELETE FROM sync_attempt");
        sandbox.resetAll();
        flags.set(DeleteGuard.FLAG, false, "test set-up", "test");
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, false, "test set-up", "test");
        await().atMost(Duration.ofSeconds(30)).until(guard::acceptingWork);
    }

    String sandboxUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Waits until the engine has nothing pending and nothing in flight. */
    void awaitQuiet() {
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'") == 0
                && count("SELECT COUNT(*) FROM customer_sync WHERE due_at IS NOT NULL") == 0 && claimer.inFlight() == 0);
    }

    int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }
}
