package io.skiplinobridge.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.crm.StandardWebhooks;
import io.skiplinobridge.crm.WebhookSecret;
import io.skiplinobridge.skiplino.NamedRef;
import io.skiplinobridge.skiplino.Ticket;
import io.skiplinobridge.store.BridgeFlags;
import io.skiplinobridge.sync.FailureFilter;
import io.skiplinobridge.sync.SyncOperations;
import io.skiplinobridge.testsupport.SignedWebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The ticket mirror's acceptance points (issue 5) against the embedded sandboxes, through the real
 * route, Skiplino client and camel-salesforce component: the full lifecycle run, the composite upsert
 * with per-record failures, and the outbound webhook that fails for a while.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "bridge.sandbox.enabled=true",
        "bridge.webhook.secrets=" + TicketMirrorAcceptanceTest.INBOUND_SECRET,
        "bridge.test.ticket-discovery=true",
        "bridge.sync.poll-interval=20ms",
        "skiplino.rate-limit.requests-per-second=3000",
        "skiplino.rate-limit.max-concurrent=16",
        "bridge.tickets.discovery.poll-interval=" + TicketMirrorAcceptanceTest.POLL_MS + "ms",
        "bridge.tickets.discovery.requests-per-minute=" + TicketMirrorAcceptanceTest.BUDGET,
        "bridge.tickets.discovery.parallelism=8",
        "bridge.tickets.outbox.poll-interval=50ms",
        "bridge.tickets.outbox.backoff-base=100ms",
        "bridge.tickets.outbox.backoff-max=500ms",
        "bridge.tickets.salesforce.enabled=true",
        "bridge.tickets.salesforce.component=" + TicketTestSalesforce.COMPONENT,
        "bridge.tickets.salesforce.max-attempts=3",
        "bridge.tickets.webhook.secret=" + TicketMirrorAcceptanceTest.OUTBOUND_SECRET,
        "bridge.tickets.webhook.allow-loopback=true",
        "logging.level.io.skiplinobridge.tickets.TicketDiscovery=DEBUG"})
@Import(TicketTestSalesforce.class)
// its discovery would keep polling 500 customers for the rest of the suite: closed after the class
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TicketMirrorAcceptanceTest {

    static final String INBOUND_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OUTBOUND_SECRET = "whsec_dGlja2V0LXdlYmhvb2stc2VjcmV0LWZvci10ZXN0cw==";
    static final int POLL_MS = 2000;
    static final int BUDGET = 30_000;

    static final WebhookReceiver RECEIVER;

    static {
        try {
            RECEIVER = new WebhookReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void webhookTarget(DynamicPropertyRegistry registry) {
        registry.add("bridge.tickets.webhook.targets.crm", RECEIVER::url);
    }

    /**
     * Each test starts with nothing left to deliver: the big run leaves thousands of webhook rows behind its
     * Salesforce records, and a later test's rows would queue behind them (seen on PostgreSQL at load ~20).
     */
    @AfterEach
    void letTheOutboxDrain() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM crm_outbox WHERE status = 'PENDING'", Integer.class) == 0);
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @Autowired TicketSightings sightings;
    @Autowired BridgeFlags flags;
    @Autowired SyncOperations operations;
    @Autowired TicketDiscovery discovery;
    @Autowired TicketMirror mirror;

    /**
     * The observation guarantee on its own, with few enough customers that a discovery cycle stays well
     * inside its interval even on a loaded machine, so that most lasting states have two whole cycles in
     * them and the check cannot pass vacuously. Runs first: the 500 customers of the run below would
     * otherwise still be polled as recently active.
     */
    @Test
    @Order(1)
    void everyStatusLastingTwoPollCyclesIsObserved() {
        Sandboxes sandboxes = new Sandboxes(port);
        List<String> customers = syncedCustomers(sandboxes, "Observe", 30);
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("tickets", 90);
        activity.put("externalIds", customers);
        activity.put("dwellMs", Map.of("min", 5000, "max", 8000));
        activity.put("bookingIntervalMs", Map.of("min", 20, "max", 40));
        activity.put("seed", 11L);
        sandboxes.startActivity(activity);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> sandboxes.activity().path("finished").asBoolean());
        List<JsonNode> tickets = ticketsOf(sandboxes, customers);
        assertThat(tickets).hasSize(90);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM crm_outbox WHERE target = 'salesforce' AND status = 'PENDING'", Integer.class) == 0);

        Observation observation = observe(tickets);
        System.out.println("ticket mirror acceptance (30 customers): " + observation);
        assertThat(observation.lasting()).isGreaterThan(150);
        assertThat(observation.mustSee()).as("lasting states with two whole discovery cycles inside them")
                .isGreaterThanOrEqualTo(observation.lasting() / 4);
        assertThat(observation.missed()).as("states lasting over two poll cycles that the mirror never saw").isEmpty();
    }

    @Test
    @Order(2)
    void fiveHundredCustomersAndAThousandTicketsEndMirroredWithEveryLastingStatusSeen() {
        Sandboxes sandboxes = new Sandboxes(port);
        Instant start = Instant.now();
        List<String> customers = syncedCustomers(sandboxes, "Lifecycle", 500);

        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("tickets", 1000);
        activity.put("externalIds", customers);
        activity.put("appointmentShare", 0.3);
        activity.put("cancelShare", 0.1);
        activity.put("dwellMs", Map.of("min", 4500, "max", 7000));
        activity.put("bookingIntervalMs", Map.of("min", 20, "max", 40));
        activity.put("seed", 5L);
        sandboxes.startActivity(activity);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .until(() -> sandboxes.activity().path("finished").asBoolean());

        List<JsonNode> tickets = ticketsOf(sandboxes, customers);
        assertThat(tickets).hasSize(1000);
        Map<String, String> finalStatus = new HashMap<>();
        tickets.forEach(t -> {
            JsonNode changes = t.path("changes");
            finalStatus.put(t.path("id").asText(), changes.get(changes.size() - 1).path("status").asText());
        });
        assertThat(finalStatus.values()).allMatch(s -> s.equals("served") || s.equals("cancelled"));

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Map<String, List<JsonNode>> records = sandboxes.ticketRecordsById();
            finalStatus.forEach((id, status) -> {
                assertThat(records.get(id)).as("records of ticket %s", id).hasSize(1);
                assertThat(records.get(id).get(0).path("Status__c").asText()).as("status of %s", id).isEqualTo(status);
            });
        });
        Map<String, List<JsonNode>> records = sandboxes.ticketRecordsById();
        JsonNode oneRecord = records.get(finalStatus.keySet().iterator().next()).get(0);
        assertThat(oneRecord.path("Contact__c").asText()).startsWith("003");
        assertThat(customers).contains(oneRecord.path("Contact__c").asText());

        // Every state that lasted longer than two poll cycles was observed (queued to the CRM); on a loaded
        // machine the cycles of 500 busy customers can outlast most states, which the smaller run below covers.
        Observation observation = observe(tickets);
        System.out.println("ticket mirror acceptance (500 customers): " + observation);
        assertThat(observation.lasting()).isGreaterThan(1500);
        assertThat(observation.missed()).as("states lasting over two poll cycles that the mirror never saw").isEmpty();
        assertThat(jdbc.queryForList("SELECT ticket_id, state_key, status, attempts, due_at, lease_until, last_error "
                + "FROM crm_outbox WHERE target = 'salesforce' AND status IN ('PENDING', 'PARKED') ORDER BY id"))
                .as("outbox rows not delivered").isEmpty();

        // the budget held in every 60 s window of the sandbox's own request log
        assertThat(maxTicketRequestsInAnyMinute(sandboxes.requests(start.toString()))).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void threeRecordsFailingInsideA200AreRetriedAloneAndOneThatKeepsFailingIsParked() {
        Sandboxes sandboxes = new Sandboxes(port);
        String contact = sandboxes.createContacts("Composite", 1).get(0);
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            tickets.add(ticket("cmp" + String.format("%05d", i), "waiting", Instant.parse("2026-11-26T10:00:00Z")));
        }
        sandboxes.salesforceFaults(Map.of("recordFailures", List.of(
                Map.of("externalIds", List.of("cmp00007", "cmp00008"), "errorCode", "UNABLE_TO_LOCK_ROW",
                        "message", "unable to obtain exclusive access to this record", "times", 1),
                Map.of("externalIds", List.of("cmp00009"), "errorCode", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                        "message", "Branch is closed for tickets"))));
        // the earlier runs' Salesforce rows are out first, so that the upserts counted below are this test's
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM crm_outbox WHERE target = 'salesforce' AND status = 'PENDING'", Integer.class) == 0);
        long upsertedBefore = sandboxes.upsertedRecords("Skiplino_Ticket__c");

        // queued while paused, so all 200 leave in one composite call when the flow resumes
        flags.set(TicketDiscovery.PAUSE_FLAG, true, "test: queue a full batch", "test");
        try {
            tickets.forEach(t -> assertThat(sightings.seen(contact, "c0ffee", t)).isTrue());
        } finally {
            flags.set(TicketDiscovery.PAUSE_FLAG, false, "test", "test");
        }

        // every row has its outcome: 199 delivered, one parked (waiting for no PENDING alone can pass before the
        // rows exist on a loaded machine)
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM crm_outbox WHERE target = 'salesforce' AND ticket_id LIKE 'cmp%' "
                        + "AND status IN ('DELIVERED', 'PARKED')",
                Integer.class) == 200);
        Map<String, List<JsonNode>> records = sandboxes.ticketRecordsById();
        assertThat(tickets.stream().filter(t -> records.containsKey(t.id()))).hasSize(199);
        assertThat(records).doesNotContainKey("cmp00009");
        // 200 in the batch, the two transient failures once more, the permanent one twice more (3 attempts)
        assertThat(sandboxes.upsertedRecords("Skiplino_Ticket__c") - upsertedBefore).isEqualTo(204);

        List<SyncOperations.Failure> parked = operations.failures(
                new FailureFilter(FailureFilter.State.OPEN, contact, "TICKET", null), 0, 10).items();
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).reason()).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION").contains("Branch is closed");
        assertThat(parked.get(0).payload()).contains("cmp00009");
        assertThat(parked.get(0).attempts()).isEqualTo(3);

        // once the cause is fixed, the ops retry delivers it
        sandboxes.clearSalesforceFaults();
        assertThat(operations.retryFailure(parked.get(0).id()).outcome()).isEqualTo(SyncOperations.RetryOutcome.RETRIED);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandboxes.ticketRecordsById().containsKey("cmp00009"));
        assertThat(sandboxes.upsertedRecords("Skiplino_Ticket__c") - upsertedBefore).isEqualTo(205);
    }

    @Test
    void aWebhookReceiverFailingForAWhileGetsEveryEventAfterwardsSigned() {
        Sandboxes sandboxes = new Sandboxes(port);
        String contact = sandboxes.createContacts("Webhook", 1).get(0);
        RECEIVER.failWith(500);
        Set<String> expectedIds = new HashSet<>();
        Instant at = Instant.parse("2026-11-26T11:00:00Z");
        for (int i = 0; i < 5; i++) {
            String id = "whk" + String.format("%05d", i);
            for (String status : List.of("waiting", "serving", "served")) {
                assertThat(sightings.seen(contact, "c0ffee", ticket(id, status, at))).isTrue();
                expectedIds.add(id + ":" + at);
                at = at.plusSeconds(30);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.received().stream()
                .filter(r -> r.id().startsWith("whk") && r.answeredWith() == 500).count() >= 10);
        RECEIVER.failWith(0);

        await().atMost(Duration.ofSeconds(30)).until(() -> delivered(expectedIds).containsAll(expectedIds));
        StandardWebhooks verifier = new StandardWebhooks(List.of(WebhookSecret.parse(OUTBOUND_SECRET)), Clock.systemUTC());
        List<WebhookReceiver.Received> accepted = RECEIVER.received().stream()
                .filter(r -> r.id().startsWith("whk") && r.answeredWith() == 200).toList();
        for (WebhookReceiver.Received received : accepted) {
            assertThat(verifier.verify(received.id(), received.timestamp(), received.signature(), received.body()))
                    .as("signature of %s", received.id()).isEqualTo(StandardWebhooks.Verification.VALID);
            JsonNode event = readTree(received.body());
            assertThat(event.path("id").asText()).isEqualTo(received.id());
            assertThat(event.path("type").asText()).isEqualTo("ticket.updated");
            assertThat(event.path("customer").path("externalId").asText()).isEqualTo(contact);
            assertThat(event.path("ticket").path("id").asText()).isEqualTo(received.id().substring(0, 8));
        }
        // every state of a ticket arrived in order
        Map<String, List<String>> statusesByTicket = accepted.stream().collect(Collectors.groupingBy(
                r -> r.id().substring(0, 8), LinkedHashMap::new,
                Collectors.mapping(r -> readTree(r.body()).path("ticket").path("status").asText(), Collectors.toList())));
        assertThat(statusesByTicket).hasSize(5).allSatisfy((id, statuses) ->
                assertThat(statuses).as(id).containsExactly("waiting", "serving", "served"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_failure WHERE payload LIKE '%whk0%'", Integer.class))
                .isZero();
    }

    @Test
    void concurrentSightingsOfOneTicketQueueEachStateOnceAndNeverGoBack() throws Exception {
        String contact = new Sandboxes(port).createContacts("Concurrent", 1).get(0);
        Instant at = Instant.parse("2026-11-26T12:00:00Z");
        List<Ticket> states = List.of(ticket("cnc00001", "waiting", at), ticket("cnc00001", "serving", at.plusSeconds(60)),
                ticket("cnc00001", "served", at.plusSeconds(120)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> calls = new ArrayList<>();
        try {
            // the poll and the booking API report the same states at once, in every order
            for (int i = 0; i < 48; i++) {
                Ticket state = states.get(i % 3);
                calls.add(pool.submit(() -> {
                    go.await();
                    return sightings.seen(contact, "c0ffee", state);
                }));
            }
            go.countDown();
            int queued = 0;
            for (Future<Boolean> call : calls) {
                queued += call.get() ? 1 : 0;
            }
            List<String> rows = jdbc.queryForList("SELECT target || ' ' || state_key FROM crm_outbox WHERE ticket_id = "
                    + "'cnc00001'", String.class);
            assertThat(rows).doesNotHaveDuplicates().hasSize(queued * 2).hasSizeGreaterThanOrEqualTo(2);
            assertThat(jdbc.queryForObject("SELECT status FROM ticket_mirror WHERE ticket_id = 'cnc00001'", String.class))
                    .isEqualTo("served");
        } finally {
            pool.shutdownNow();
        }
        // a late reader's older state is ignored; the same state again queues nothing
        assertThat(sightings.seen(contact, "c0ffee", states.get(0))).isFalse();
        assertThat(sightings.seen(contact, "c0ffee", states.get(2))).isFalse();
    }

    @Test
    void unknownStatusAndTypeValuesAreMirroredAsTheyAre() {
        Sandboxes sandboxes = new Sandboxes(port);
        String contact = sandboxes.createContacts("Unknown", 1).get(0);
        Ticket odd = new Ticket("unk00001", "Z001", "on-hold-by-branch", Instant.parse("2026-11-26T13:00:00Z"),
                "vip-lane", null, null, null, null, null, Instant.parse("2026-11-26T13:00:00Z"), null, null);

        assertThat(sightings.seen(contact, null, odd)).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> sandboxes.ticketRecordsById().containsKey("unk00001"));
        JsonNode record = sandboxes.ticketRecordsById().get("unk00001").get(0);
        assertThat(record.path("Status__c").asText()).isEqualTo("on-hold-by-branch");
        assertThat(record.path("Type__c").asText()).isEqualTo("vip-lane");
        assertThat(mirror.isFinal("on-hold-by-branch")).as("an unknown status keeps the ticket followed").isFalse();
    }

    private static Set<String> delivered(Set<String> expected) {
        return RECEIVER.received().stream().filter(r -> r.answeredWith() == 200 && expected.contains(r.id()))
                .map(WebhookReceiver.Received::id).collect(Collectors.toSet());
    }

    private static JsonNode readTree(byte[] body) {
        try {
            return Sandboxes.JSON.readTree(new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Ticket ticket(String id, String status, Instant statusAt) {
        return new Ticket(id, "Q" + id.substring(id.length() - 3), status, statusAt, "sequential", null,
                new NamedRef("802b33af66", "Seef Mall Branch"), new NamedRef("6fe8fb8b12", "Account Opening"),
                new NamedRef("7c1f9a3b2d", "Teller Services"), new NamedRef("c0ffee", "Test Customer"),
                statusAt, null, null);
    }

    /** The sandbox's full history of the tickets of these customers. */
    private List<JsonNode> ticketsOf(Sandboxes sandboxes, List<String> externalIds) {
        Set<String> skiplinoIds = new HashSet<>(jdbc.queryForList("SELECT skiplino_id FROM customer_sync WHERE external_id IN ("
                + externalIds.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")", String.class));
        return sandboxes.ticketHistory().stream().filter(t -> skiplinoIds.contains(t.path("customerId").asText())).toList();
    }

    /**
     * Which intermediate states of these tickets the mirror observed (queued to the CRM). A state had to be
     * observed when it lasted over two configured poll intervals and two whole discovery cycles ran while it
     * lasted (a cycle overruns its interval on a loaded machine).
     */
    private Observation observe(List<JsonNode> tickets) {
        Set<String> observed = new HashSet<>(jdbc.queryForList(
                "SELECT ticket_id || '|' || state_key FROM crm_outbox WHERE target = 'salesforce'", String.class));
        List<TicketDiscovery.CycleReport> cycles = discovery.recentCycles();
        int lasting = 0;
        int mustSee = 0;
        int seenOfLasting = 0;
        List<String> missed = new ArrayList<>();
        for (JsonNode ticket : tickets) {
            JsonNode changes = ticket.path("changes");
            for (int i = 0; i + 1 < changes.size(); i++) {
                Instant from = Instant.parse(changes.get(i).path("at").asText());
                Instant to = Instant.parse(changes.get(i + 1).path("at").asText());
                if (Duration.between(from, to).toMillis() <= 2L * POLL_MS) {
                    continue;
                }
                lasting++;
                JsonNode time = changes.get(i).path("time");
                String key = ticket.path("id").asText() + "|" + changes.get(i).path("status").asText() + "|" + from
                        + "|" + (time.isNull() || time.isMissingNode() ? "null" : Instant.parse(time.asText()));
                if (observed.contains(key)) {
                    seenOfLasting++;
                }
                long wholeCycles = cycles.stream()
                        .filter(c -> !c.startedAt().isBefore(from) && !c.endedAt().isAfter(to)).count();
                if (wholeCycles >= 2) {
                    mustSee++;
                    if (!observed.contains(key)) {
                        missed.add(key + " (" + wholeCycles + " whole cycles)");
                    }
                }
            }
        }
        long slowCycles = cycles.stream().filter(c -> Duration.between(c.startedAt(), c.endedAt()).toMillis() > POLL_MS).count();
        return new Observation(lasting, seenOfLasting, mustSee, missed, slowCycles, cycles.size());
    }

    record Observation(int lasting, int seenOfLasting, int mustSee, List<String> missed, long slowCycles, int cycles) {
        @Override
        public String toString() {
            return lasting + " states lasted over two poll intervals, " + seenOfLasting + " of them observed; "
                    + mustSee + " with two whole discovery cycles inside them; " + slowCycles + " of " + cycles
                    + " recent cycles overran the interval";
        }
    }

    /** Contacts created in the Salesforce sandbox and sent to the bridge's CRM webhook; waits until Skiplino has them. */
    private List<String> syncedCustomers(Sandboxes sandboxes, String prefix, int count) {
        List<String> ids = sandboxes.createContacts(prefix, count);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            events.add(SignedWebhookClient.upsert("evt-" + prefix + "-" + i, ids.get(i), prefix + " Customer " + i,
                    prefix.toLowerCase() + "." + i + "@example.com", null));
        }
        SignedWebhookClient client = SignedWebhookClient.forLocalPort(port, INBOUND_SECRET);
        assertThat(client.post(SignedWebhookClient.batch(events)).status()).isEqualTo(202);
        await().atMost(Duration.ofMinutes(1)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM customer_sync WHERE skiplino_id IS NOT NULL AND external_id IN ("
                        + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(",")) + ")",
                Integer.class) == count);
        return ids;
    }

    /** The most ticket-discovery requests the sandbox received in any 60-second window. */
    static int maxTicketRequestsInAnyMinute(List<JsonNode> log) {
        List<Instant> starts = log.stream()
                .filter(r -> r.path("path").asText().equals("/customers/tickets") || r.path("path").asText().equals("/tickets/{id}"))
                .map(r -> Instant.parse(r.path("startedAt").asText())).sorted().toList();
        int max = 0;
        int from = 0;
        for (int to = 0; to < starts.size(); to++) {
            while (Duration.between(starts.get(from), starts.get(to)).toMillis() >= 60_000) {
                from++;
            }
            max = Math.max(max, to - from + 1);
        }
        return max;
    }
}
