package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * The fault matrix's write-back rows for the other delivery call: with an external id field other than
 * {@code Id} the write-back upserts by that field ({@code compositeUpsert}), which creates a record the key
 * does not match. One such call meets each fault, before the org applies it or after; checks as in
 * {@code SalesforceWriteBackTest}'s rows, plus: the retry of an applied call updates, never makes a Contact.
 * (The poll at start-up fails with {@code INVALID_FIELD}: the sandbox's Contact has {@value #KEY} only once a
 * record holds it. Each case polls after creating its Contacts.)
 */
@TestPropertySource(properties = {
        "bridge.salesforce.poll.fields.external-id=" + SalesforceWriteBackUpsertFaultTest.KEY,
        "bridge.salesforce.poll.write-back-field=" + SalesforceWriteBackTest.FIELD,
        "bridge.salesforce.request-timeout=5s"})
class SalesforceWriteBackUpsertFaultTest extends SalesforceSyncTestBase {

    static final String KEY = "Customer_Number__c";
    static final int RECORDS = 10;

    @Autowired SalesforceWriteBack writeBack;
    @Autowired MeterRegistry meters;

    SalesforceWriteBackUpsertFaultTest() {
        super(SalesforceWriteBackTest.SYNC, WriteBackRoute.STOPPED);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SalesforceCallFault.class)
    void aFaultedUpsertLeavesEveryIdQueuedAndTheRetryMakesNoContact(SalesforceCallFault fault) {
        boolean applied = fault.applied();
        String prefix = "wbu-" + fault.name().toLowerCase().replace("_", "") + "-";
        createContacts(prefix);
        poll.pollObserved(SalesforcePoll.PageListener.NONE, SalesforceWriteBackTest.SYNC);
        await().atMost(SalesforceWriteBackTest.SYNC).until(() -> skiplino.customers().size() == RECORDS);
        awaitDrained();
        salesforce.setFaults(Map.of("callFaults", List.of(Map.of("kind", "compositeUpsert", "fault", fault.name(), "delayMs", 8000))));
        double retriedBefore = counter("retried");
        double writtenBefore = counter("written");

        assertThat(writeBack.deliverBatch()).isEqualTo(RECORDS);

        assertThat(count("status = 'PENDING' AND attempts = 1 AND last_error IS NOT NULL"))
                .as("kept, with the reason").isEqualTo(RECORDS);
        assertThat(written(prefix).values().stream().filter(value -> value != null).count())
                .as("written by the faulted call: " + applied).isEqualTo(applied ? RECORDS : 0);
        assertThat(counter("retried") - retriedBefore).as("the fault in bridge.salesforce.write_back").isEqualTo(RECORDS);
        // camel-salesforce throws on its client thread after an unreadable answer: logged, not this test's failure
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).dontCatchUncaughtExceptions()
                .until(() -> {
                    writeBack.deliverBatch();
                    return count("status = 'WRITTEN'") == RECORDS;
                });

        assertThat(count("attempts = 1")).as("written by the first retry").isEqualTo(RECORDS);
        Map<String, JsonNode> customers = skiplino.customers();
        Map<String, String> written = written(prefix);
        assertThat(written).as("one Contact per key: the retry made none").hasSize(RECORDS);
        written.forEach((key, value) -> assertThat(value).as(key).isEqualTo(customers.get(key).get("_id").asText()));
        assertThat(counter("written") - writtenBefore).isEqualTo(RECORDS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM sync_failure", Integer.class)).as("nothing parked").isZero();
    }

    private void createContacts(String prefix) {
        List<Map<String, Object>> contacts = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put(KEY, prefix + i);
            contact.put("FirstName", "First" + i);
            contact.put("LastName", "Upsert" + i);
            contact.put("Email", prefix + i + "@example.com");
            contact.put("MobilePhone", String.format("+973 37%06d", i));
            contacts.add(contact);
        }
        salesforce.createContacts(contacts);
    }

    /** Key → the write-back field's value, for every Contact of this case (counting any the retry made). */
    private Map<String, String> written(String prefix) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode record : salesforce.records("Contact")) {
            String key = record.path(KEY).asText("");
            if (key.startsWith(prefix)) {
                JsonNode value = record.get(SalesforceWriteBackTest.FIELD);
                assertThat(values.containsKey(key)).as("a second Contact " + key).isFalse();
                values.put(key, value == null || value.isNull() ? null : value.asText());
            }
        }
        return values;
    }

    private double counter(String outcome) {
        return meters.get("bridge.salesforce.write_back").tag("outcome", outcome).counter().count();
    }

    private int count(String where) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM salesforce_write_back WHERE " + where, Integer.class);
    }
}
