package io.skiplinobridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.sync.ChangeSource;
import io.skiplinobridge.sync.ChangeType;
import io.skiplinobridge.sync.CustomerChange;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class SalesforceRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SalesforceRecords records(Map<String, String> settings) {
        return new SalesforceRecords(new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("bridge.salesforce", SalesforceProperties.class).poll());
    }

    private static JsonNode record(String json) throws Exception {
        return JSON.readTree(json);
    }

    @Test
    void aContactBecomesTheCanonicalCustomerWithItsIdAndModstampAsEventId() throws Exception {
        SalesforceRecords records = records(Map.of("bridge.salesforce.poll.metadata-fields.MailingCity", "city",
                "bridge.salesforce.poll.metadata-fields.Loyalty_Points__c", "points"));

        CustomerChange change = records.upsert(record("""
                {"attributes": {"type": "Contact"}, "Id": "003000000000001AAA",
                 "SystemModstamp": "2026-11-26T10:00:00.000+0000", "FirstName": " Layla ", "LastName": "Hassan",
                 "Email": "layla@example.com", "MobilePhone": null, "Phone": "+973 1712 3456",
                 "MailingCity": "Manama", "Loyalty_Points__c": 12.5}"""), "");

        assertThat(change.source()).isEqualTo(ChangeSource.SALESFORCE);
        assertThat(change.type()).isEqualTo(ChangeType.UPSERT);
        assertThat(change.eventId()).isEqualTo("003000000000001AAA:2026-11-26T10:00:00Z");
        assertThat(change.occurredAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
        assertThat(change.customer().externalId()).isEqualTo("003000000000001AAA");
        assertThat(change.customer().name()).isEqualTo("Layla Hassan");
        assertThat(change.customer().email()).isEqualTo("layla@example.com");
        assertThat(change.customer().mobile()).as("mobile falls back to phone").isEqualTo("+973 1712 3456");
        assertThat(change.customer().metadata()).containsEntry("city", "Manama")
                .containsEntry("points", new BigDecimal("12.5"));
    }

    @Test
    void theExternalIdFieldIsConfigurableAndARecordWithoutItIsSkipped() throws Exception {
        SalesforceRecords records = records(Map.of("bridge.salesforce.poll.fields.external-id", "Customer_Number__c",
                "bridge.salesforce.poll.fields.phone", ""));

        CustomerChange keyed = records.upsert(record("""
                {"Id": "003000000000001AAA", "SystemModstamp": "2026-11-26T10:00:00.000+0000",
                 "Customer_Number__c": "C-7741", "LastName": "Hassan", "Phone": "+973 1712 3456"}"""), ":full-1");
        CustomerChange unkeyed = records.upsert(record("""
                {"Id": "003000000000002AAA", "SystemModstamp": "2026-11-26T10:00:00.000+0000", "LastName": "X"}"""), "");

        assertThat(keyed.externalId()).isEqualTo("C-7741");
        assertThat(keyed.eventId()).isEqualTo("003000000000001AAA:2026-11-26T10:00:00Z:full-1");
        assertThat(keyed.customer().name()).isEqualTo("Hassan");
        assertThat(keyed.customer().mobile()).as("no phone fallback configured").isNull();
        assertThat(unkeyed).isNull();
        assertThat(records.changesQuery(null)).contains("Customer_Number__c").doesNotContain("WHERE");
    }

    @Test
    void aDeletedRecordIsADeleteWithItsOwnEventId() throws Exception {
        CustomerChange delete = records(Map.of()).delete(record("""
                {"Id": "003000000000001AAA", "SystemModstamp": "2026-11-26T10:05:00.000+0000", "IsDeleted": true}"""));

        assertThat(delete.type()).isEqualTo(ChangeType.DELETE);
        assertThat(delete.externalId()).isEqualTo("003000000000001AAA");
        assertThat(delete.eventId()).isEqualTo("003000000000001AAA:2026-11-26T10:05:00Z:deleted");
    }

    @Test
    void queriesReadOldestFirstFromTheLowerBound() {
        SalesforceRecords records = records(Map.of("bridge.salesforce.poll.object", "Lead"));
        Instant from = Instant.parse("2026-11-26T09:55:00Z");

        assertThat(records.changesQuery(from)).isEqualTo("SELECT Id, SystemModstamp, FirstName, LastName, Email, "
                + "MobilePhone, Phone FROM Lead WHERE SystemModstamp >= 2026-11-26T09:55:00.000Z "
                + "ORDER BY SystemModstamp ASC, Id ASC");
        assertThat(records.deletesQuery(from)).isEqualTo("SELECT Id, SystemModstamp FROM Lead WHERE IsDeleted = true "
                + "AND SystemModstamp >= 2026-11-26T09:55:00.000Z ORDER BY SystemModstamp ASC, Id ASC");
    }

    @Test
    void theWriteBackFieldMustBeAFieldThePollDoesNotRead() {
        assertThat(records(Map.of()).changesQuery(null)).doesNotContain("Skiplino_Id__c");
        SalesforceProperties on = new Binder(new MapConfigurationPropertySource(Map.of(
                "bridge.salesforce.poll.write-back-field", " Skiplino_Id__c ")))
                .bindOrCreate("bridge.salesforce", SalesforceProperties.class);
        assertThat(on.poll().writeBackField()).isEqualTo("Skiplino_Id__c");
        assertThat(new SalesforceRecords(on.poll()).changesQuery(null)).as("not read back by the poll")
                .doesNotContain("Skiplino_Id__c");

        for (Map<String, String> clash : List.of(
                Map.of("bridge.salesforce.poll.write-back-field", "email"),
                Map.of("bridge.salesforce.poll.write-back-field", "Id"),
                Map.of("bridge.salesforce.poll.write-back-field", "Skiplino_Id__c",
                        "bridge.salesforce.poll.metadata-fields.Skiplino_Id__c", "skiplinoId"))) {
            assertThatThrownBy(() -> new Binder(new MapConfigurationPropertySource(clash))
                            .bindOrCreate("bridge.salesforce", SalesforceProperties.class))
                    .as(clash.toString()).hasStackTraceContaining("bridge.salesforce.poll.write-back-field");
        }
    }
}
