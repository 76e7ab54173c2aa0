package io.skiplinobridge.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.clearInvocations;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.skiplino.SkiplinoGuard;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.CustomerSyncClaimer;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import io.skiplinobridge.testsupport.SkiplinoSandboxControl;
import io.skiplinobridge.tickets.TicketSightings;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context the booking tests share: the whole bridge in sandbox mode with a token, a
 * Skiplino key and a webhook secret of its own, a fast rate limit, and slots cached long enough that a
 * test sees the cache (expiry is {@link SlotCacheTest}'s). Each test starts from empty sandboxes and
 * two customers synced through the CRM webhook, as in production.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "skiplino.rate-limit.requests-per-second=1000",
        "skiplino.rate-limit.max-concurrent=16",
        "skiplino.circuit-breaker.wait-in-open-state=1s",
        "bridge.sync.backoff-base=50ms",
        "bridge.sync.backoff-max=200ms",
        "bridge.sync.poll-interval=50ms",
        "bridge.booking.slots-cache-ttl=1h",
        "bridge.booking.retry-after=4s"})
@Import(SightingsSpy.class)
abstract class BookingSpringTestBase {

    static final String SKIPLINO_KEY = "sk_test_BookingCanary7c2d9e4f01";
    static final String WEBHOOK_SECRET = WebhookSecret.generate().encoded();
    static final String TOKEN = "booking-token-" + UUID.randomUUID();

    /** Seeded in the Skiplino sandbox (docs/sandbox-skiplino.md). */
    static final String SEEF_MALL = "802b33af66";
    static final String RIFFA_CLOSED = "5d3e8f1b70";
    static final String TELLER_GROUP = "7c1f9a3b2d";
    static final String CASH_WITHDRAWAL = "6fe8fb8b12";
    static final String CUSTOMER_SERVICE_GROUP = "4e2b8c1d95";
    static final String ACCOUNT_OPENING = "8c4f1a6e2b";
    static final String CARD_SERVICES = "2d7b9e3c58";
    static final ZoneId COMPANY_ZONE = ZoneId.of("Asia/Bahrain");

    static final String LAYLA = "crm-layla";
    static final String OMAR = "crm-omar";

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        registry.add("skiplino.api-key", () -> SKIPLINO_KEY);
        registry.add("bridge.sandbox.skiplino.secret-key", () -> SKIPLINO_KEY);
        registry.add("bridge.webhook.secrets", () -> WEBHOOK_SECRET);
        registry.add("bridge.ops.token", () -> TOKEN);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SkiplinoGuard guard;

    @Autowired
    TicketSightings sightings;

    @Autowired
    BridgeFlags flags;

    @Autowired
    CustomerSyncClaimer claimer;

    BookingHttp http;
    SkiplinoSandboxControl sandbox;

    @BeforeEach
    void syncedCustomers() {
        http = new BookingHttp(port, TOKEN);
        sandbox = SkiplinoSandboxControl.forLocalPort(port);
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, true, "test set-up", "test");
        await().atMost(Duration.ofSeconds(30)).until(() -> claimer.inFlight() == 0);
        jdbc.update("DELETE FROM inbox_event");
        jdbc.update("DELETE FROM customer_sync");
        jdbc.update("DELETE FROM sync_failure");
        jdbc.update("DELETE FROM sync_attempt");
        jdbc.update("DELETE FROM booking_request");
        sandbox.resetAll();
        flags.set(CustomerSyncClaimer.PAUSE_FLAG, false, "test set-up", "test");
        await().atMost(Duration.ofSeconds(30)).until(guard::acceptingWork);
        clearInvocations(sightings);
        SignedWebhookClient crm = SignedWebhookClient.forLocalPort(port, WEBHOOK_SECRET);
        String run = UUID.randomUUID().toString();
        assertThat(crm.post(SignedWebhookClient.batch(List.of(
                SignedWebhookClient.upsert(run + "-1", LAYLA, "Layla Hassan", "layla@example.com", null),
                SignedWebhookClient.upsert(run + "-2", OMAR, "Omar Ali", "omar@example.com", null)))).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> skiplinoIdOf(LAYLA) != null && skiplinoIdOf(OMAR) != null
                && sandbox.customers().size() >= 2);
    }

    String skiplinoIdOf(String externalId) {
        List<String> ids = jdbc.queryForList("SELECT skiplino_id FROM customer_sync WHERE external_id = ?",
                String.class, externalId);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** Tomorrow in the company's timezone: every slot of it is in the future, whatever the hour now. */
    static LocalDate tomorrow() {
        return LocalDate.now(COMPANY_ZONE).plusDays(1);
    }

    /** The first free slot of {@code serviceId} tomorrow, through the booking API. */
    String firstSlot(String serviceId) {
        JsonNode slots = http.get("/api/booking/services/" + serviceId + "/slots?date=" + tomorrow()).expect(200).json();
        return slots.at("/slots/0/time").asText();
    }

    JsonNode book(String externalId, Map<String, Object> body) {
        return http.post("/api/booking/customers/" + externalId + "/tickets", body).expect(201).json();
    }

    /** Skiplino calls only the booking API makes (ticket discovery also reads tickets, never these). */
    Map<String, Long> bookingCalls() {
        Map<String, Long> calls = new TreeMap<>(sandbox.stats());
        calls.keySet().removeIf(call -> !(call.startsWith("POST /tickets") || call.startsWith("GET /services")
                || call.startsWith("GET /branches")));
        return calls;
    }

    static Map<String, Object> walkIn() {
        return Map.of("serviceId", CASH_WITHDRAWAL, "groupOfServiceId", TELLER_GROUP);
    }

    static Map<String, Object> appointment(String time) {
        return Map.of("serviceId", ACCOUNT_OPENING, "groupOfServiceId", CUSTOMER_SERVICE_GROUP, "time", time);
    }
}
