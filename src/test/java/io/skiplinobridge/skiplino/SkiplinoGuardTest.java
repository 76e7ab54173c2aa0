package io.skiplinobridge.skiplino;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.skiplinobridge.skiplino.TestSkiplino.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.skiplinobridge.skiplino.SkiplinoTransientException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SkiplinoGuardTest {

    private static final String BASE = "/external/v1";

    @RegisterExtension
    static WireMockExtension skiplino = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private final ExecutorService callers = Executors.newFixedThreadPool(12);

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static TestSkiplino.Built clientOpeningAfter(int minimumCalls, Duration waitInOpenState) {
        return TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties(
                TestSkiplino.rateLimit(1000, 8, Duration.ofSeconds(5)),
                TestSkiplino.circuitBreaker(minimumCalls, waitInOpenState)));
    }

    private static SkiplinoException failureOf(Runnable call) {
        SkiplinoException failure = catchThrowableOfType(SkiplinoException.class, call::run);
        assertThat(failure).as("the call should fail").isNotNull();
        return failure;
    }

    @Test
    void clientErrorsNeverOpenTheCircuit() {
        TestSkiplino.Built built = clientOpeningAfter(5, Duration.ofMinutes(5));
        int[] statuses = {400, 401, 404, 409, 422, 429};
        for (int status : statuses) {
            skiplino.stubFor(get(BASE + "/tickets/t" + status).willReturn(aResponse().withStatus(status)
                    .withHeader("Retry-After", "0")));
        }

        for (int round = 0; round < 3; round++) {
            for (int status : statuses) {
                SkiplinoException failure = failureOf(() -> built.client().fetchTicket("t" + status));
                assertThat(failure.status()).isEqualTo(status);
            }
        }

        assertThat(built.guard().status().circuitState()).isEqualTo("CLOSED");
        assertThat(built.guard().acceptingWork()).isTrue();
        assertThat(skiplino.getAllServeEvents()).hasSize(18);
    }

    @Test
    void serverErrorsOpenTheCircuitAndThenNothingReachesSkiplino() {
        TestSkiplino.Built built = clientOpeningAfter(5, Duration.ofMinutes(5));
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").willReturn(json(500, fixture("inferred/error-500.json"))));

        for (int call = 0; call < 5; call++) {
            failureOf(() -> built.client().fetchTicket("k7m2p9x4q1"));
        }

        assertThat(built.guard().status().circuitState()).isEqualTo("OPEN");
        assertThat(built.guard().acceptingWork()).isFalse();
        SkiplinoTransientException rejected = (SkiplinoTransientException) failureOf(
                () -> built.client().fetchTicket("k7m2p9x4q1"));
        assertThat(rejected.reason()).isEqualTo(Reason.CIRCUIT_OPEN);
        assertThat(rejected.notSent()).isTrue();
        assertThat(rejected.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive());
        assertThat(skiplino.getAllServeEvents()).hasSize(5);
        assertThat(built.meters().get(SkiplinoGuard.REJECTED_METRIC).tag("reason", "CIRCUIT_OPEN").counter().count())
                .isEqualTo(1);
    }

    @Test
    void networkErrorsTimeoutsAndUnreadableAnswersCountAsFailures() {
        TestSkiplino.Built built = TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties("",
                Duration.ofMillis(300), TestSkiplino.rateLimit(1000, 8, Duration.ofSeconds(5)),
                TestSkiplino.circuitBreaker(4, Duration.ofMinutes(5))));
        skiplino.stubFor(get(BASE + "/tickets/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        skiplino.stubFor(get(BASE + "/tickets/slow").willReturn(json(200, "{}").withFixedDelay(2_000)));
        skiplino.stubFor(get(BASE + "/tickets/html").willReturn(aResponse().withStatus(200).withBody("<html></html>")));
        skiplino.stubFor(get(BASE + "/tickets/busy").willReturn(aResponse().withStatus(503)));

        for (String ticket : List.of("reset", "slow", "html", "busy")) {
            failureOf(() -> built.client().fetchTicket(ticket));
        }

        assertThat(built.guard().status().circuitState()).isEqualTo("OPEN");
    }

    @Test
    void anOpenCircuitLetsAProbeThroughAfterItsWaitAndClosesOnSuccess() {
        TestSkiplino.Built built = clientOpeningAfter(2, Duration.ofMillis(300));
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").inScenario("recovery")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(502)));
        failureOf(() -> built.client().fetchTicket("k7m2p9x4q1"));
        failureOf(() -> built.client().fetchTicket("k7m2p9x4q1"));
        assertThat(built.guard().acceptingWork()).isFalse();
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").inScenario("recovery")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(200, fixture("documented/ticket-fetched-200.json"))));

        await().atMost(Duration.ofSeconds(5)).until(built.guard()::acceptingWork);
        built.client().fetchTicket("k7m2p9x4q1");

        assertThat(built.guard().status().circuitState()).isEqualTo("CLOSED");
    }

    @Test
    void neverMoreRequestsInFlightThanTheConcurrencyLimit() throws Exception {
        try (CountingServer server = CountingServer.gated()) {
            TestSkiplino.Built built = TestSkiplino.client(server.baseUrl(), TestSkiplino.properties(
                    TestSkiplino.rateLimit(1000, 3, Duration.ofSeconds(30)),
                    TestSkiplino.circuitBreaker(100, Duration.ofMinutes(5))));
            List<Future<?>> calls = new ArrayList<>();
            for (int caller = 0; caller < 12; caller++) {
                calls.add(callers.submit(() -> IntStream.range(0, 3).forEach(n -> built.client().fetchTicket("t" + n))));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> server.inFlight() == 3);
            // twelve callers want in, three are let through, and no fourth arrives while they are held
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> server.inFlight() <= 3);
            assertThat(built.guard().status().requestsInFlight()).isEqualTo(3);
            server.openGate();
            for (Future<?> call : calls) {
                call.get();
            }

            assertThat(server.requests()).isEqualTo(36);
            assertThat(server.maxInFlight()).isEqualTo(3);
        }
    }

    @Test
    void neverMoreRequestsPerSecondThanTheRateLimit() throws Exception {
        try (CountingServer server = CountingServer.open()) {
            TestSkiplino.Built built = TestSkiplino.client(server.baseUrl(), TestSkiplino.properties(
                    TestSkiplino.rateLimit(20, 12, Duration.ofSeconds(30)),
                    TestSkiplino.circuitBreaker(100, Duration.ofMinutes(5))));
            List<Future<?>> calls = new ArrayList<>();
            for (int caller = 0; caller < 12; caller++) {
                calls.add(callers.submit(() -> IntStream.range(0, 5).forEach(n -> built.client().fetchTicket("t" + n))));
            }
            for (Future<?> call : calls) {
                call.get();
            }

            assertThat(server.requests()).isEqualTo(60);
            assertThat(server.requestsPerSecond().values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(20));
        }
    }

    @Test
    void aCallThatCannotGetAPermitInTimeFailsWithoutBeingSent() {
        try (CountingServer server = CountingServer.open()) {
            TestSkiplino.Built built = TestSkiplino.client(server.baseUrl(), TestSkiplino.properties(
                    TestSkiplino.rateLimit(1, 4, Duration.ofMillis(200)),
                    TestSkiplino.circuitBreaker(100, Duration.ofMinutes(5))));

            built.client().fetchTicket("k7m2p9x4q1");
            SkiplinoTransientException busy = (SkiplinoTransientException) failureOf(
                    () -> built.client().fetchTicket("k7m2p9x4q1"));

            assertThat(busy.reason()).isEqualTo(Reason.BUSY);
            assertThat(busy.notSent()).isTrue();
            assertThat(server.requests()).isEqualTo(1);
        }
    }

    @Test
    void aTooManyRequestsAnswerPausesEveryCallerAndLowersTheRate() throws Exception {
        TestSkiplino.Built built = TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties(
                new SkiplinoProperties.RateLimit(100, 1, 8, Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofMinutes(1), Duration.ofMillis(200)),
                TestSkiplino.circuitBreaker(2, Duration.ofMinutes(5))));
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("relaxed")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")));
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").inScenario("throttle")
                .whenScenarioStateIs("relaxed").willReturn(json(200, fixture("documented/ticket-fetched-200.json"))));

        SkiplinoTransientException throttled = (SkiplinoTransientException) failureOf(
                () -> built.client().fetchTicket("k7m2p9x4q1"));
        assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(1));
        assertThat(built.guard().acceptingWork()).isFalse();
        assertThat(built.guard().status().pausedUntil()).isNotNull();
        assertThat(built.guard().status().requestsPerSecond()).isEqualTo(50);

        List<Future<?>> calls = new ArrayList<>();
        for (int caller = 0; caller < 3; caller++) {
            calls.add(callers.submit(() -> built.client().fetchTicket("k7m2p9x4q1")));
        }
        for (Future<?> call : calls) {
            call.get();
        }

        List<ServeEvent> served = new ArrayList<>(skiplino.getAllServeEvents());
        served.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        long throttledAt = served.get(0).getRequest().getLoggedDate().getTime();
        assertThat(served).hasSize(4);
        assertThat(served.subList(1, 4)).allSatisfy(after ->
                assertThat(after.getRequest().getLoggedDate().getTime() - throttledAt).isGreaterThanOrEqualTo(1000));
        assertThat(built.guard().status().circuitState()).as("429 is not a failure of Skiplino").isEqualTo("CLOSED");
        await().atMost(Duration.ofSeconds(10)).until(() -> built.guard().status().requestsPerSecond() == 100);
    }

    @Test
    void aPauseLongerThanTheWaitFailsCallersAtOnceWithTheTimeLeft() {
        TestSkiplino.Built built = TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties(
                TestSkiplino.rateLimit(100, 8, Duration.ofMillis(500)),
                TestSkiplino.circuitBreaker(100, Duration.ofMinutes(5))));
        skiplino.stubFor(post(BASE + "/customers/create").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")));

        failureOf(() -> built.client().createCustomer(new CustomerWrite("crm-1", null, null, null, null)));
        SkiplinoTransientException held = (SkiplinoTransientException) failureOf(
                () -> built.client().createCustomer(new CustomerWrite("crm-2", null, null, null, null)));

        assertThat(held.reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(held.notSent()).isTrue();
        // the default test setup caps any pause at ten seconds
        assertThat(held.retryAfter()).hasValueSatisfying(wait ->
                assertThat(wait).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10)));
        assertThat(skiplino.getAllServeEvents()).hasSize(1);
    }

    @Test
    void requestMetricsUseThePathTemplateNeverTheIds() {
        TestSkiplino.Built built = TestSkiplino.client(skiplino.baseUrl() + BASE, TestSkiplino.properties("",
                Duration.ofMillis(300), TestSkiplino.rateLimit(1000, 8, Duration.ofSeconds(5)),
                TestSkiplino.circuitBreaker(100, Duration.ofMinutes(5))));
        skiplino.stubFor(get(BASE + "/tickets/k7m2p9x4q1").willReturn(json(200, fixture("documented/ticket-fetched-200.json"))));
        skiplino.stubFor(get(BASE + "/tickets/zz9slow999").willReturn(json(200, "{}").withFixedDelay(2_000)));
        skiplino.stubFor(get(BASE + "/tickets/zz9reset99").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        built.client().fetchTicket("k7m2p9x4q1");
        built.client().forPurpose(CallPurpose.SYNC).fetchTicket("k7m2p9x4q1");
        failureOf(() -> built.client().fetchTicket("zz9slow999"));
        failureOf(() -> built.client().fetchTicket("zz9reset99"));

        Timer ok = built.meters().get(SkiplinoGuard.REQUESTS_METRIC)
                .tags("endpoint", "/tickets/{id}", "method", "GET", "status", "200", "outcome", "SUCCESS",
                        "purpose", "TICKETS")
                .timer();
        assertThat(ok.count()).isEqualTo(1);
        assertThat(built.meters().get(SkiplinoGuard.REQUESTS_METRIC).tags("purpose", "SYNC").timer().count()).isEqualTo(1);
        assertThat(built.meters().get(SkiplinoGuard.REQUESTS_METRIC).tags("status", "TIMEOUT").timer().count()).isEqualTo(1);
        assertThat(built.meters().get(SkiplinoGuard.REQUESTS_METRIC).tags("status", "IO_ERROR").timer().count()).isEqualTo(1);
        assertThat(built.meters().getMeters()).flatMap(meter -> meter.getId().getTags())
                .allSatisfy(tag -> assertThat(tag.getValue()).doesNotContain("k7m2p9x4q1", "zz9", TestSkiplino.API_KEY));
        assertThat(built.meters().getMeters()).extracting(Meter::getId).extracting(Meter.Id::getName)
                .contains("resilience4j.circuitbreaker.state", "resilience4j.circuitbreaker.calls",
                        "resilience4j.bulkhead.available.concurrent.calls", "skiplino.ratelimit.requests.per.second",
                        "skiplino.ratelimit.configured.requests.per.second", "skiplino.ratelimit.waiting.callers",
                        "skiplino.ratelimit.pause.seconds");
    }
}
