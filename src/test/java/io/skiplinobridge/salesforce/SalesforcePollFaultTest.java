package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.salesforce.PollRun.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The fault matrix's Salesforce query rows: the real camel-salesforce component polls this process's
 * Salesforce sandbox while one call of the poll (the first {@code query} page, a {@code queryMore} page or
 * the deletes' {@code queryAll}) meets each fault, injected by the sandbox's {@code callFaults}. The poll that
 * meets it ends failed (counted in {@code bridge.salesforce.poll.duration{outcome="failure"}}); the next one
 * reads from the stored watermark, and every record reaches the inbox once and Skiplino once.
 */
@TestPropertySource(properties = {
        "bridge.salesforce.poll.batch-size=200",
        "bridge.salesforce.poll.overlap=1m",
        "bridge.salesforce.request-timeout=2s",
        "skiplino.rate-limit.requests-per-second=2000",
        "skiplino.rate-limit.max-concurrent=16"})
class SalesforcePollFaultTest extends SalesforceSyncTestBase {

    static final Duration SYNC = Duration.ofSeconds(120);
    static final int CONTACTS = 201; // two pages of 200
    static final int DELETED = 2;
    static final List<String> FAULTS = Stream.of(SalesforceCallFault.values()).map(Enum::name).toList();

    @Autowired SalesforceWatermarks watermarks;
    @Autowired MeterRegistry meters;

    SalesforcePollFaultTest() {
        super(SYNC, WriteBackRoute.RUNNING);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String kind : List.of(System.getProperty("sf.kinds", "query,queryMore,queryAll").split(","))) {
            for (String fault : System.getProperty("sf.faults") == null ? FAULTS : List.of(System.getProperty("sf.faults").split(","))) {
                cases.add(Arguments.of(kind, fault));
            }
        }
        return cases.stream();
    }

    @BeforeEach
    void startFromAnEmptyPoll() {
        assertThat(pollOnce().result()).isEqualTo(Result.SUCCESS); // an empty org: the watermarks start empty
    }

    @ParameterizedTest(name = "{0} × {1}")
    @MethodSource("cases")
    void everyRecordReachesTheInboxAndSkiplinoOnceAfterAFaultedPoll(String kind, String fault) {
        List<JsonNode> created = salesforce.createContacts(contacts(CONTACTS + DELETED));
        for (int i = CONTACTS; i < CONTACTS + DELETED; i++) {
            salesforce.deleteContact(created.get(i).get("Id").asText());
        }
        Instant newest = created.stream().limit(CONTACTS)
                .map(c -> SalesforceRecords.parseDateTime(c.get("SystemModstamp").asText())).max(Instant::compareTo)
                .orElseThrow();
        Map<String, Object> callFault = new LinkedHashMap<>();
        callFault.put("kind", kind);
        callFault.put("fault", fault);
        callFault.put("delayMs", 4000);
        salesforce.setFaults(Map.of("callFaults", List.of(callFault)));
        long faultedCallsBefore = faultedCalls(kind);
        double failuresBefore = failedPolls();

        PollRun faulted = pollOnce();

        assertThat(faulted.result()).as("the poll that met the fault: " + faulted).isEqualTo(Result.FAILED);
        assertThat(faulted.error()).as("a reason for operators").isNotBlank().doesNotContain("answered 0");
        assertThat(failedPolls() - failuresBefore).as("bridge.salesforce.poll.duration{outcome=failure}").isEqualTo(1.0);
        // a held answer is counted when the sandbox finishes it, after the client gave up
        await().atMost(Duration.ofSeconds(30)).until(() -> faultedCalls(kind) > faultedCallsBefore);
        watermarks.get("Contact", SalesforceWatermarks.Stream.CHANGES).ifPresent(mark ->
                assertThat(mark).as("the watermark never passes what the inbox holds").isBeforeOrEqualTo(newest));

        PollRun retried = pollOnce();

        assertThat(retried.result()).as(retried.toString()).isEqualTo(Result.SUCCESS);
        assertThat(watermarks.get("Contact", SalesforceWatermarks.Stream.CHANGES)).contains(newest);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE source = 'SALESFORCE' AND change_type = 'UPSERT'",
                Integer.class)).as("every record once").isEqualTo(CONTACTS);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT external_id) FROM inbox_event WHERE source = 'SALESFORCE' "
                + "AND change_type = 'UPSERT'", Integer.class)).isEqualTo(CONTACTS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE source = 'SALESFORCE' AND change_type = 'DELETE'",
                Integer.class)).as("every delete once").isEqualTo(DELETED);
        awaitDrained();
        Map<String, JsonNode> customers = skiplino.customers();
        assertThat(customers).hasSize(CONTACTS);
        for (int i = 0; i < CONTACTS; i++) {
            assertThat(customers.get(created.get(i).get("Id").asText()).get("name").asText()).isEqualTo("First" + i + " Last" + i);
        }
        assertThat(skiplino.count("POST", "/customers/create")).as("one create per contact").isEqualTo(CONTACTS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_failure", Integer.class)).isZero();
    }

    /** Calls of the kind the sandbox answered with something other than a plain 200 (a reset counts under 200). */
    private long faultedCalls(String kind) {
        return salesforce.calls().entrySet().stream().filter(e -> e.getKey().startsWith(kind + " "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private double failedPolls() {
        return meters.get("bridge.salesforce.poll.duration").tag("outcome", "failure").timer().count();
    }

    private PollRun pollOnce() {
        PollRun run = poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);
        assertThat(run.result()).isNotEqualTo(Result.BUSY);
        return run;
    }

    private static List<Map<String, Object>> contacts(int count) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("FirstName", "First" + i);
            contact.put("LastName", "Last" + i);
            contact.put("Email", "contact" + i + "@example.com");
            contact.put("MobilePhone", String.format("+973 36%06d", i));
            contacts.add(contact);
        }
        return contacts;
    }
}
