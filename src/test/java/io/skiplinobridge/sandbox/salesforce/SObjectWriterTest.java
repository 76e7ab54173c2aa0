package io.skiplinobridge.sandbox.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.skiplinobridge.sandbox.salesforce.SObjectWriter.UpsertOutcome;
import org.junit.jupiter.api.Test;

/** DML rules without HTTP: lookups, relationships, external-id matching, demo seed. */
class SObjectWriterTest {

    private final SalesforceSandboxProperties properties = new SalesforceSandboxProperties("c", "s", "u", "p", "r", "",
            List.of(), Duration.ofHours(2), Duration.ofMinutes(15), 10, 25, null, 100, Duration.ofSeconds(25));
    private final SObjectStore store = new SObjectStore(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC),
            properties);
    private final SalesforceFaults faults = new SalesforceFaults();
    private final ChangeEventStream changeEvents = new ChangeEventStream(properties);
    private final SObjectWriter writer = new SObjectWriter(store, faults, new SalesforceCallStats(), changeEvents);

    @Test
    void referenceAndANonNullIdForTheSameLookupConflict() {
        writer.insertAll("Contact", List.of(Map.of("LastName", "A", "Key__c", "k1")));
        Map<String, Object> ticket = new HashMap<>();
        ticket.put("Contact__r", Map.of("Key__c", "k1"));
        ticket.put("Contact__c", SalesforceIds.of("003", 1));

        UpsertOutcome outcome = writer.upsert("Ticket__c", "Ext__c", "T-1", ticket);

        assertThat(outcome.error().statusCode()).isEqualTo("INVALID_FIELD");
        assertThat(outcome.error().message()).contains("Contact__r", "Contact__c");
    }

    @Test
    void referenceWithMoreThanOneKeyIsRefused() {
        UpsertOutcome outcome = writer.upsert("Ticket__c", "Ext__c", "T-1",
                Map.of("Contact__r", Map.of("Key__c", "k1", "Other__c", "k2")));

        assertThat(outcome.error().message()).startsWith("More than 1 field provided in an external foreign key reference");
    }

    @Test
    void externalIdsMatchIgnoringCase() {
        UpsertOutcome created = writer.upsert("Ticket__c", "Ext__c", "abc-1", Map.of("Status__c", "waiting"));
        UpsertOutcome updated = writer.upsert("Ticket__c", "ext__c", "ABC-1", Map.of("Status__c", "served"));

        assertThat(created.created()).isTrue();
        assertThat(updated.created()).isFalse();
        assertThat(updated.id()).isEqualTo(created.id());
    }

    @Test
    void injectedRecordFailureCountsDownThenSucceeds() {
        faults.replace(new SalesforceFaults.Settings(false, null,
                List.of(new SalesforceFaults.RecordFailure(List.of("T-1"), "UNABLE_TO_LOCK_ROW", null, 2)), 0L, null));

        assertThat(writer.upsert("Ticket__c", "Ext__c", "T-1", Map.of()).error()).isNotNull();
        assertThat(writer.upsert("Ticket__c", "Ext__c", "T-1", Map.of()).error()).isNotNull();
        assertThat(writer.upsert("Ticket__c", "Ext__c", "T-1", Map.of()).success()).isTrue();
    }

    @Test
    void contactNameIsComputedAndReadOnly() {
        SObjectRecord contact = writer.insertAll("Contact", List.of(Map.of("FirstName", "Layla", "LastName", "Hassan"))).get(0);

        assertThat(contact.value("Name")).isEqualTo("Layla Hassan");
        assertThatThrownBy(() -> writer.update("Contact", contact.id(), Map.of("Name", "Someone Else")))
                .isInstanceOfSatisfying(SalesforceApiException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE"));
    }

    @Test
    void contactWithoutAnyNameHasNoName() {
        SObjectRecord contact = writer.insertAll("Contact", List.of(Map.of("Email", "nameless@example.com"))).get(0);

        assertThat(contact.value("Name")).isNull();
    }

    @Test
    void everyCommittedChangeBecomesAChangeEventInCommitOrder() {
        List<ChangeEventStream.ChangeEvent> events = new java.util.ArrayList<>();
        changeEvents.onEvents(events::addAll);
        SObjectRecord contact = writer.insertAll("Contact", List.of(Map.of("LastName", "Hassan", "Email", "a@example.com"))).get(0);
        writer.update("Contact", contact.id(), Map.of("Email", "b@example.com"));
        writer.delete("Contact", contact.id());
        writer.upsertCollection("Ticket__c", "Ext__c", true, List.of(Map.of("attributes", Map.of("type", "Ticket__c"),
                "Ext__c", "T-1", "Contact__r", Map.of("Email", "nobody@example.com"))));

        assertThat(events).extracting(ChangeEventStream.ChangeEvent::replayId).containsExactly(1L, 2L, 3L);
        assertThat(events).extracting(event -> header(event).get("changeType")).containsExactly("CREATE", "UPDATE", "DELETE");
        assertThat(header(events.get(1)).get("changedFields")).isEqualTo(List.of("Email", "LastModifiedDate"));
        assertThat(payload(events.get(1))).containsEntry("Email", "b@example.com").doesNotContainKey("LastName");
        assertThat(payload(events.get(0))).containsEntry("LastName", "Hassan").containsEntry("Name", "Hassan");
        assertThat(events.get(0).channel()).isEqualTo("/data/ContactChangeEvent");
        assertThat(changeEvents.replay("/data/ContactChangeEvent", 1)).hasSize(2);
        assertThat(changeEvents.replay("/data/Ticket__ChangeEvent", -2)).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(ChangeEventStream.ChangeEvent event) {
        return (Map<String, Object>) event.data().get("payload");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(ChangeEventStream.ChangeEvent event) {
        return (Map<String, Object>) payload(event).get("ChangeEventHeader");
    }

    @Test
    void demoSeedIsRealisticGulfContacts() {
        new SalesforceDemoSeeder(writer, properties).afterSingletonsInstantiated();

        List<SObjectRecord> contacts = store.read(() -> List.copyOf(store.table("Contact").orElseThrow().records()));
        assertThat(contacts).hasSize(25);
        assertThat(contacts).extracting(contact -> contact.value("Email")).doesNotHaveDuplicates()
                .allSatisfy(email -> assertThat((String) email).matches("[a-z.]+\\d*@example\\.(com|net|org)"));
        assertThat(contacts).filteredOn(contact -> contact.value("MobilePhone") == null)
                .isNotEmpty()
                .allSatisfy(contact -> assertThat((String) contact.value("Phone")).matches("\\+973 17\\d\\d \\d{4}"));
        assertThat(contacts).extracting(contact -> (String) contact.value("MobilePhone")).filteredOn(phone -> phone != null)
                .anySatisfy(phone -> assertThat(phone).matches("\\+973 3[3-9]\\d\\d \\d{4}"));
        Pattern arabic = Pattern.compile("\\p{IsArabic}+");
        assertThat(contacts).anySatisfy(contact -> assertThat(arabic.matcher((String) contact.value("LastName")).find()).isTrue());
    }
}
