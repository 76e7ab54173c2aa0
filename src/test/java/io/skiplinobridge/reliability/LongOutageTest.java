package io.skiplinobridge.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.skiplinobridge.testsupport.SignedWebhookClient.customer;
import static io.skiplinobridge.testsupport.SignedWebhookClient.upsert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.store.SqlTime;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.testsupport.JarProcess;
import io.skiplinobridge.testsupport.MutableClock;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 8 long outage: Skiplino answers every call 503, or refuses every connection, for ten minutes of
 * simulated time (the bridge's clock is a {@link MutableClock}; the circuit breaker, backoffs, leases and
 * webhook signatures all read it) while CRM changes keep arriving. The circuit opens, the bridge sends
 * only the breaker's trial calls (counted at WireMock and in the bridge's metrics), nothing is parked
 * and the backlog waits in the database; once Skiplino is back every customer ends at its latest
 * change, written once, in order.
 */
@AutoConfigureObservability(tracing = false)
@Import(LongOutageTest.SimulatedTime.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "skiplino.read-timeout=4s",
        "skiplino.connect-timeout=1s",
        "skiplino.rate-limit.requests-per-second=1000",
        "skiplino.rate-limit.max-concurrent=16",
        "skiplino.rate-limit.max-wait=5s",
        "skiplino.circuit-breaker.minimum-number-of-calls=10",
        "skiplino.circuit-breaker.sliding-window-size=20",
        "skiplino.circuit-breaker.wait-in-open-state=60s",
        "skiplino.circuit-breaker.permitted-calls-in-half-open-state=3",
        "bridge.sync.lease=60s",
        "bridge.sync.poll-interval=20ms",
        // only this test's CRM changes: no demo Contacts from the Salesforce sandbox
        "bridge.sandbox.salesforce.seed-contacts=0"})
class LongOutageTest {

    static final Instant START = Instant.parse("2026-11-26T12:00:00Z");
    static final MutableClock CLOCK = new MutableClock(START);
    static final String WEBHOOK_SECRET = WebhookSecret.generate().encoded();
    static final String SANDBOX_PATH = "/sandbox/skiplino/external/v1";
    static final int SKIPLINO_PORT = JarProcess.freePort();
    static final WireMockServer SKIPLINO = new WireMockServer(wireMockConfig().port(SKIPLINO_PORT));
    static final Duration OUTAGE = Duration.ofMinutes(10);
    static final Duration STEP = Duration.ofSeconds(15);
    static final int CUSTOMERS = 20;
    /**
     * The breaker opens after 10 failed calls; calls already under way when the tenth fails were let
     * through while it was closed (at most the 2 changes each step brings); then each 60 s open period
     * lets at most 3 trial calls through.
     */
    static final int MOST_CALLS_IN_OUTAGE = 10 + 2 + (int) (OUTAGE.toSeconds() / 60 + 1) * 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        SKIPLINO.start();
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SimulatedTime {

        @Bean
        @Primary
        MutableClock simulatedClock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("skiplino.base-url", () -> "http://127.0.0.1:" + SKIPLINO_PORT + SANDBOX_PATH);
        registry.add("bridge.webhook.secrets", () -> WEBHOOK_SECRET);
    }

    enum Outage { ALL_503, CONNECTION_REFUSED }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SkiplinoGuard guard;

    @Autowired
    CustomerSyncClaimer claimer;

    @Autowired
    MeterRegistry meters;

    private final Map<String, Integer> latest = new HashMap<>();
    private final Random random = new Random(42);
    private int version;

    @ParameterizedTest
    @EnumSource(Outage.class)
    void tenMinutesDownWastesNoAttemptsHoldsTheBacklogAndAppliesEverythingInOrderAfter(Outage outage) throws Exception {
        SkiplinoSandboxControl sandbox = SkiplinoSandboxControl.forLocalPort(port);
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        String prefix = outage.name().toLowerCase().replace('_', '-') + "-";
        if (!SKIPLINO.isRunning()) {
            SKIPLINO.start();
        }
        SKIPLINO.resetAll();
        SKIPLINO.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + port)));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            CLOCK.advance(Duration.ofMinutes(2));
            return guard.status().circuitState().equals("CLOSED") && guard.acceptingWork();
        });
        for (int i = 0; i < CUSTOMERS; i++) {
            change(crm, prefix + i);
        }
        awaitSettled();
        assertThat(pending()).as("all applied before the outage").isZero();

        if (outage == Outage.ALL_503) {
            SKIPLINO.stubFor(any(anyUrl()).atPriority(1).willReturn(aResponse().withStatus(503)
                    .withHeader("Content-Type", "text/html").withBody("<html>503 Service Unavailable</html>")));
        } else {
            SKIPLINO.stop();
        }
        SKIPLINO.resetRequests();
        double sentBefore = sent();
        double heldBefore = held();
        int changesInOutage = 0;
        boolean sawOpen = false;
        for (Duration passed = Duration.ZERO; passed.compareTo(OUTAGE) < 0; passed = passed.plus(STEP)) {
            for (int k = 0; k < 2; k++) {
                change(crm, prefix + random.nextInt(CUSTOMERS));
                changesInOutage++;
            }
            awaitSettled();
            sawOpen |= guard.status().circuitState().equals("OPEN");
            CLOCK.advance(STEP);
        }
        awaitSettled();

        double sentInOutage = sent() - sentBefore;
        assertThat(sawOpen).as("the circuit opened").isTrue();
        assertThat(guard.status().circuitState()).isIn("OPEN", "HALF_OPEN");
        assertThat(sentInOutage).as("calls sent to a Skiplino that is down (" + changesInOutage + " changes arrived)")
                .isGreaterThanOrEqualTo(10).isLessThanOrEqualTo(MOST_CALLS_IN_OUTAGE);
        if (outage == Outage.ALL_503) {
            assertThat((double) customerCalls().size()).as("calls WireMock saw").isEqualTo(sentInOutage);
        }
        assertThat(held() - heldBefore).as("held back while the circuit was open").isGreaterThanOrEqualTo(0);
        assertThat(count("SELECT COUNT(*) FROM sync_failure")).as("nothing parked: no attempts used up").isZero();
        assertThat(count("SELECT COALESCE(MAX(attempts), 0) FROM customer_sync")).as("attempts per customer")
                .isLessThan(10);
        assertThat(pending()).as("the backlog waits in the database").isPositive();

        if (outage == Outage.ALL_503) {
            SKIPLINO.resetAll();
            SKIPLINO.stubFor(any(anyUrl()).atPriority(100).willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + port)));
        } else {
            SKIPLINO.start();
        }
        SKIPLINO.resetRequests();
        // time moves on only while no customer is being applied, and by less than a lease: a faster clock
        // would expire leases under running applies, which real time never does
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (claimer.inFlight() == 0) {
                CLOCK.advance(Duration.ofSeconds(20));
            }
            return pending() == 0 && claimer.inFlight() == 0;
        });

        Map<String, JsonNode> inSkiplino = sandbox.customers();
        latest.forEach((id, v) -> {
            if (id.startsWith(prefix)) {
                assertThat(inSkiplino.get(id).path("metadata").path("version").asInt()).as(id + " at its latest change")
                        .isEqualTo(v);
            }
        });
        Map<String, List<Integer>> written = new LinkedHashMap<>();
        for (ServeEvent served : customerCalls()) {
            String body = served.getRequest().getBodyAsString();
            if (!body.isEmpty() && JSON.readTree(body).path("externalId").asText().startsWith(prefix)) {
                JsonNode sent = JSON.readTree(body);
                written.computeIfAbsent(sent.path("externalId").asText(), k -> new ArrayList<>())
                        .add(sent.path("metadata").path("version").asInt());
            }
        }
        written.forEach((id, versions) -> assertThat(versions).as(id + ": written once, the latest").hasSize(1)
                .containsExactly(latest.get(id)));
        assertThat(count("SELECT COUNT(*) FROM sync_failure")).isZero();
        assertThat(guard.status().circuitState()).isEqualTo("CLOSED");
    }

    private void change(SignedWebhookClient crm, String externalId) {
        int v = ++version;
        latest.put(externalId, v);
        Map<String, Object> metadata = Map.of("version", v);
        SignedWebhookClient.Response answer = crm.request(SignedWebhookClient.json(upsert("ev-" + externalId + "-" + v,
                        START.plusMillis(v), customer(externalId, "Outage customer " + externalId, null, null, metadata))))
                .timestamp(CLOCK.instant()).send();
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    /** The engine did all it can for now: nothing in flight, and nothing due unless the circuit holds it. */
    private void awaitSettled() {
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(100)).until(() -> claimer.inFlight() == 0
                && (!guard.acceptingWork() || count("SELECT COUNT(*) FROM customer_sync WHERE due_at <= ?",
                SqlTime.ts(CLOCK.instant())) == 0));
    }

    private int pending() {
        return count("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'");
    }

    private double sent() {
        return meters.find("skiplino.client.requests").tag("purpose", "SYNC").timers().stream().mapToLong(Timer::count).sum();
    }

    private double held() {
        return meters.find("skiplino.client.rejected").tag("purpose", "SYNC").counters().stream().mapToDouble(Counter::count).sum();
    }

    private int count(String sql, Object... args) {
        Integer n = jdbc.queryForObject(sql, Integer.class, args);
        return n == null ? 0 : n;
    }

    /** Customer writes WireMock received since its journal was last cleared, oldest first. */
    private static List<ServeEvent> customerCalls() {
        List<String> writes = List.of(SANDBOX_PATH + "/customers/create", SANDBOX_PATH + "/customers/update",
                SANDBOX_PATH + "/customers/delete");
        List<ServeEvent> calls = new ArrayList<>(SKIPLINO.getAllServeEvents().stream()
                .filter(e -> writes.stream().anyMatch(w -> e.getRequest().getUrl().startsWith(w))).toList());
        Collections.reverse(calls);
        return calls;
    }
}
