package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.skiplinobridge.salesforce.PollRun.Result;
import io.skiplinobridge.sync.ChangeSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The write-back of the Skiplino {@code _id} into a Contact field, end to end: the real camel-salesforce
 * component against this process's Salesforce sandbox, the real sync engine against the Skiplino sandbox.
 * The delivery route is stopped so that each test sends the queue itself and sees every call it causes.
 * The request timeout is 5 s (not the 60 s default) so that the fault matrix's TIMEOUT row runs here too.
 */
@TestPropertySource(properties = {
        "bridge.salesforce.poll.batch-size=200",
        "bridge.salesforce.poll.write-back-field=Skiplino_Id__c",
        "bridge.salesforce.request-timeout=5s",
        "bridge.ops.token=" + SalesforceWriteBackTest.OPS_TOKEN,
        "skiplino.rate-limit.requests-per-second=2000",
        "skiplino.rate-limit.max-concurrent=16"})
class SalesforceWriteBackTest extends SalesforceSyncTestBase {

    static final Duration SYNC = Duration.ofSeconds(180);
    static final String FIELD = "Skiplino_Id__c";
    static final String OPS_TOKEN = "write-back-test-ops-token-5f1c";
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired SalesforceWriteBack writeBack;
    @Autowired SalesforcePollFlow flow;
    @Autowired SalesforceWriteBacks writeBacks;
    @Autowired MeterRegistry meters;

    SalesforceWriteBackTest() {
        super(SYNC, WriteBackRoute.STOPPED);
    }

    @Test
    void createdCustomersGetTheirSkiplinoIdInBatchesOf200AndTheReadBackCostsNoSkiplinoWrite() {
        List<String> ids = createContacts(0, 450);

        assertThat(poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC).newEvents()).isEqualTo(450);
        await().atMost(SYNC).until(() -> skiplino.customers().size() == 450);
        awaitDrained();

        assertThat(count("status = 'PENDING'")).as("queued with each customer's creation, before any call").isEqualTo(450);
        long updatesBefore = salesforce.calls("compositeUpdate", 200);
        assertThat(writeBack.deliverBatch()).isEqualTo(200);
        assertThat(writeBack.deliverBatch()).isEqualTo(200);
        assertThat(writeBack.deliverBatch()).isEqualTo(50);
        assertThat(writeBack.deliverBatch()).as("nothing left").isZero();
        assertThat(salesforce.calls("compositeUpdate", 200) - updatesBefore).as("three collections calls").isEqualTo(3);
        assertThat(count("status = 'WRITTEN'")).isEqualTo(450);
        assertThat(flow.report().details()).containsEntry("writeBackField", FIELD).containsEntry("writeBackWritten", 450L)
                .doesNotContainKey("writeBackPending");

        Map<String, JsonNode> customers = skiplino.customers();
        Map<String, String> written = contactField(FIELD);
        for (String id : ids) {
            assertThat(written.get(id)).as("Contact " + id).isEqualTo(customers.get(id).get("_id").asText());
        }

        // the write-back changed every Contact (a new SystemModstamp): the poll reads all 450 again, and the
        // customers they map to are unchanged, so Skiplino gets no write and nothing is queued again
        long writesBefore = skiplino.customerWrites();
        PollRun readBack = poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);

        assertThat(readBack.result()).isEqualTo(Result.SUCCESS);
        assertThat(readBack.newEvents()).as("every written Contact is a new change").isEqualTo(450);
        awaitDrained();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE status = 'UNCHANGED'", Integer.class))
                .isEqualTo(450);
        assertThat(skiplino.customerWrites()).as("zero Skiplino writes for the read-back").isEqualTo(writesBefore);
        assertThat(count("status = 'PENDING'")).isZero();
        assertThat(writeBack.deliverBatch()).isZero();
        assertThat(salesforce.calls("compositeUpdate", 200) - updatesBefore).isEqualTo(3);
    }

    @Test
    void aFailedCallIsRetriedFromTheQueueAndARefusedRecordIsRetriedOnItsOwn() {
        List<String> ids = createContacts(0, 30);
        poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);
        await().atMost(SYNC).until(() -> skiplino.customers().size() == 30);
        awaitDrained();

        salesforce.setFaults(Map.of("requestLimitExceeded", true));
        assertThat(writeBack.deliverBatch()).isEqualTo(30);

        assertThat(count("status = 'PENDING' AND attempts = 1 AND last_error LIKE '%REQUEST_LIMIT_EXCEEDED%'"))
                .as("kept, with the reason").isEqualTo(30);
        assertThat(contactField(FIELD).values()).containsOnlyNulls();

        salesforce.setFaults(Map.of("recordFailures", List.of(Map.of("externalIds", List.of(ids.get(3)),
                "errorCode", "UNABLE_TO_LOCK_ROW", "times", 1))));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            writeBack.deliverBatch();
            return count("status = 'WRITTEN'") == 30;
        });

        Map<String, JsonNode> customers = skiplino.customers();
        Map<String, String> written = contactField(FIELD);
        ids.forEach(id -> assertThat(written.get(id)).isEqualTo(customers.get(id).get("_id").asText()));
        assertThat(jdbc.queryForObject("SELECT attempts FROM salesforce_write_back WHERE external_id = ?", Integer.class,
                ids.get(3))).as("refused once on its own, then written").isEqualTo(2);
    }

    /**
     * The fault matrix's write-back rows: one {@code compositeUpdate} call meets each fault (callFaults), before
     * the org applies it or after (TIMEOUT: the answer held 8 s, past this class's 5 s request timeout); the rows
     * stay queued with the reason, never parked, {@code bridge.salesforce.write_back} counts them retried, and the
     * next batch writes every id once.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(SalesforceCallFault.class)
    void aFaultedCallLeavesEveryIdQueuedAndTheNextBatchWritesEachOnce(SalesforceCallFault fault) {
        boolean applied = fault.applied();
        List<String> ids = createContacts(0, 10);
        poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);
        await().atMost(SYNC).until(() -> skiplino.customers().size() == 10);
        awaitDrained();
        salesforce.setFaults(Map.of("callFaults", List.of(Map.of("kind", "compositeUpdate", "fault", fault.name(), "delayMs", 8000))));
        Map<String, Double> before = writeBackCounts();

        assertThat(writeBack.deliverBatch()).isEqualTo(10);

        assertThat(count("status = 'PENDING' AND attempts = 1 AND last_error IS NOT NULL"))
                .as("kept, with the reason").isEqualTo(10);
        assertThat(contactField(FIELD).values().stream().filter(value -> value != null).count())
                .as("written by the faulted call: " + applied).isEqualTo(applied ? 10 : 0);
        assertThat(delta(before, "retried")).as("the fault in bridge.salesforce.write_back").isEqualTo(10);
        assertThat(delta(before, "written")).isZero();
        // camel-salesforce throws on its client thread after an unreadable answer: logged, not this test's failure
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).dontCatchUncaughtExceptions()
                .until(() -> {
                    writeBack.deliverBatch();
                    return count("status = 'WRITTEN'") == 10;
                });
        assertThat(count("attempts = 1")).as("written by the first retry").isEqualTo(10);
        Map<String, JsonNode> customers = skiplino.customers();
        Map<String, String> written = contactField(FIELD);
        ids.forEach(id -> assertThat(written.get(id)).isEqualTo(customers.get(id).get("_id").asText()));
        assertThat(contactField(FIELD)).as("no Contact made or lost").hasSize(10);
        assertThat(delta(before, "written")).isEqualTo(10);
        assertThat(delta(before, "retried")).isEqualTo(10);
        assertThat(delta(before, "parked")).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_failure", Integer.class)).as("nothing parked").isZero();
    }

    @Test
    void aRecordSalesforceKeepsRefusingIsParkedWithItsReasonAndANewIdSupersedesItsFailure() {
        List<String> ids = createContacts(0, 2);
        poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);
        await().atMost(SYNC).until(() -> skiplino.customers().size() == 2);
        awaitDrained();
        salesforce.setFaults(Map.of("recordFailures", List.of(Map.of("externalIds", List.of(ids.get(0)),
                "errorCode", "INSUFFICIENT_ACCESS_OR_READONLY", "message", "no edit access to Skiplino_Id__c"))));
        Map<String, Double> before = writeBackCounts();

        parkUntil(1, 1);

        assertThat(jdbc.queryForObject("SELECT last_error FROM salesforce_write_back WHERE external_id = ?", String.class,
                ids.get(0))).contains("INSUFFICIENT_ACCESS_OR_READONLY").contains("after " + SalesforceWriteBack.MAX_RECORD_ATTEMPTS);
        assertThat(contactField(FIELD).get(ids.get(0))).isNull();
        assertThat(contactField(FIELD).get(ids.get(1))).isNotNull();
        assertThat(flow.report().details()).containsEntry("writeBackParked", 1L);
        assertThat(delta(before, "parked")).isEqualTo(1);
        assertThat(delta(before, "retried")).as("the refusals before it was parked")
                .isEqualTo(SalesforceWriteBack.MAX_RECORD_ATTEMPTS - 1);
        assertThat(delta(before, "written")).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT external_id FROM sync_failure WHERE operation = 'WRITE_BACK' AND resolved_at IS NULL",
                String.class)).as("listed for operators").containsExactly(ids.get(0));

        // the customer was created again in Skiplino: the new _id is queued, the failure of the old one is moot
        writeBacks.linked(ids.get(0), "0123456789abcdef0123456789abcdef", ChangeSource.SALESFORCE);

        assertThat(count("status = 'PENDING' AND attempts = 0")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT resolution FROM sync_failure WHERE external_id = ?", String.class, ids.get(0)))
                .isEqualTo("SUPERSEDED");
    }

    /** Parked write-backs in the ops failures: listed with their reason, retried one by one or all at once. */
    @Test
    void parkedWriteBacksAreListedInTheOpsFailuresAndRetriedThroughThem() throws Exception {
        List<String> ids = createContacts(0, 4);
        poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);
        await().atMost(SYNC).until(() -> skiplino.customers().size() == 4);
        awaitDrained();
        List<String> refused = ids.subList(0, 3);
        salesforce.setFaults(Map.of("recordFailures", List.of(Map.of("externalIds", refused,
                "errorCode", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "message", "Skiplino id must be blank"))));
        Map<String, Double> before = writeBackCounts();
        parkUntil(3, 1);

        JsonNode list = ops("GET", "/ops/api/failures?operation=WRITE_BACK", null, 200);
        assertThat(list.get("total").asLong()).isEqualTo(3);
        Map<String, JsonNode> customers = skiplino.customers();
        Map<String, Long> failureIds = new LinkedHashMap<>();
        for (JsonNode item : list.get("items")) {
            String externalId = item.get("externalId").asText();
            assertThat(refused).contains(externalId);
            assertThat(item.get("operation").asText()).isEqualTo("WRITE_BACK");
            assertThat(item.get("reason").asText()).contains("FIELD_CUSTOM_VALIDATION_EXCEPTION").contains("Skiplino id must be blank");
            assertThat(item.get("attempts").asInt()).isEqualTo(SalesforceWriteBack.MAX_RECORD_ATTEMPTS);
            assertThat(item.hasNonNull("httpStatus")).as("no HTTP status: the call succeeded, the record was refused").isFalse();
            assertThat(item.hasNonNull("resolvedAt")).isFalse();
            assertThat(item.at("/payload/sObject").asText()).isEqualTo("Contact");
            assertThat(item.at("/payload/field").asText()).isEqualTo(FIELD);
            assertThat(item.at("/payload/skiplinoId").asText()).isEqualTo(customers.get(externalId).get("_id").asText());
            failureIds.put(externalId, item.get("id").asLong());
        }
        assertThat(ops("GET", "/ops/api/failures?operation=CREATE", null, 200).get("total").asLong()).isZero();
        assertThat(ops("GET", "/ops/api/failures?externalId=" + refused.get(1), null, 200).at("/items/0/operation").asText())
                .isEqualTo("WRITE_BACK");

        // Salesforce takes the records now (the validation rule was fixed): retry one, then all that are left
        salesforce.clearFaults();
        JsonNode one = ops("POST", "/ops/api/failures/" + failureIds.get(refused.get(0)) + "/retry", null, 200);
        assertThat(one.get("outcome").asText()).isEqualTo("RETRIED");
        assertThat(one.get("externalId").asText()).isEqualTo(refused.get(0));
        assertThat(count("status = 'PENDING' AND attempts = 0 AND last_error IS NULL")).isEqualTo(1);
        assertThat(count("status = 'PARKED'")).isEqualTo(2);
        assertThat(ops("POST", "/ops/api/failures/retry", "{\"operation\": \"TICKET\"}", 200).get("retried").asInt()).isZero();
        assertThat(ops("POST", "/ops/api/failures/retry", "{\"operation\": \"write_back\"}", 200).get("retried").asInt())
                .isEqualTo(2);
        assertThat(ops("POST", "/ops/api/failures/" + failureIds.get(refused.get(0)) + "/retry", null, 200)
                .get("outcome").asText()).as("retrying twice is harmless").isEqualTo("ALREADY_RESOLVED");
        assertThat(count("status = 'PENDING'")).isEqualTo(3);

        assertThat(writeBack.deliverBatch()).isEqualTo(3);

        assertThat(count("status = 'WRITTEN'")).isEqualTo(4);
        Map<String, String> written = contactField(FIELD);
        ids.forEach(id -> assertThat(written.get(id)).isEqualTo(customers.get(id).get("_id").asText()));
        assertThat(ops("GET", "/ops/api/failures", null, 200).get("total").asLong()).isZero();
        JsonNode resolved = ops("GET", "/ops/api/failures?state=resolved&operation=WRITE_BACK", null, 200);
        assertThat(resolved.get("total").asLong()).isEqualTo(3);
        resolved.get("items").forEach(item -> assertThat(item.get("resolution").asText()).isEqualTo("RETRIED"));
        assertThat(delta(before, "parked")).isEqualTo(3);
        assertThat(delta(before, "written")).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM inbox_event WHERE status = 'PENDING'", Integer.class))
                .as("a write-back retry is no customer change").isZero();
    }

    /** Sends the queue until {@code parked} records are parked and {@code written} written. */
    private void parkUntil(int parked, int written) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            writeBack.deliverBatch();
            return count("status = 'PARKED'") == parked && count("status = 'WRITTEN'") == written;
        });
    }

    private JsonNode ops(String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + OPS_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    /** {@code bridge.salesforce.write_back} by outcome. */
    private Map<String, Double> writeBackCounts() {
        Map<String, Double> counts = new LinkedHashMap<>();
        for (String outcome : List.of("written", "retried", "parked")) {
            counts.put(outcome, meters.get("bridge.salesforce.write_back").tag("outcome", outcome).counter().count());
        }
        return counts;
    }

    private long delta(Map<String, Double> before, String outcome) {
        return Math.round(writeBackCounts().get(outcome) - before.get(outcome));
    }

    @Test
    void aCustomerFirstLinkedToAnExistingSkiplinoCustomerGetsThatIdAndOtherSourcesQueueNothing() throws Exception {
        String id = createContacts(0, 1).get(0);
        // Skiplino already holds a customer with this externalId: the bridge's create is refused and it links
        String existing = createInSkiplino(id);

        poll.pollObserved(SalesforcePoll.PageListener.NONE, SYNC);
        awaitDrained();

        assertThat(skiplino.customers()).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT skiplino_id FROM salesforce_write_back WHERE external_id = ?", String.class, id))
                .isEqualTo(existing);
        assertThat(writeBack.deliverBatch()).isEqualTo(1);
        assertThat(contactField(FIELD).get(id)).isEqualTo(existing);

        writeBacks.linked("webhook-customer-1", "0123456789abcdef0123456789abcdef", ChangeSource.WEBHOOK);
        writeBacks.linked("resync-customer-1", "0123456789abcdef0123456789abcdef", ChangeSource.RESYNC);
        assertThat(count("external_id <> '" + id + "'")).as("only Salesforce changes are written back").isZero();
    }

    private String createInSkiplino(String externalId) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/sandbox/skiplino/external/v1/customers/create"))
                .header("Authorization", "Bearer sk_sandbox_secret").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"externalId\": \"" + externalId + "\", \"name\": \"Already There\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).path("data").path("_id").asText();
    }

    private List<String> createContacts(int from, int to) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("FirstName", "First" + i);
            contact.put("LastName", "Last" + i);
            contact.put("Email", "writeback" + i + "@example.com");
            contact.put("MobilePhone", String.format("+973 36%06d", i));
            contacts.add(contact);
        }
        return salesforce.createContacts(contacts).stream().map(c -> c.get("Id").asText()).toList();
    }

    /** Contact Id → the field's value (null when unset), read back through the sandbox control API. */
    private Map<String, String> contactField(String field) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode record : salesforce.records("Contact")) {
            JsonNode value = record.get(field);
            values.put(record.get("Id").asText(), value == null || value.isNull() ? null : value.asText());
        }
        return values;
    }

    private int count(String where) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM salesforce_write_back WHERE " + where, Integer.class);
    }
}
