package io.skiplinobridge.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.skiplinobridge.skiplino.NamedRef;
import io.skiplinobridge.skiplino.Ticket;
import org.junit.jupiter.api.Test;

class SalesforceTicketMapperTest {

    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void mapsConfiguredPathsAndPutsTheContactIdInTheLookup() {
        SalesforceTicketMapper mapper = new SalesforceTicketMapper(properties("Id", Map.of(
                "Status__c", "status", "Branch__c", "branch.name", "Queue__c", "queueSize", "Nope__c", "missing.path")));
        Ticket ticket = new Ticket("k7m2p9x4q1", "Q017", "on-hold", AT, "vip-lane", null, new NamedRef("b1", "Seef"),
                null, null, new NamedRef("c1", "Layla"), AT, 6, 18);

        Map<String, Object> fields = mapper.record(row(ticket, "003000000000001AAA")).getFields();

        assertThat(fields).containsEntry("Skiplino_Ticket_Id__c", "k7m2p9x4q1")
                .containsEntry("Status__c", "on-hold")
                .containsEntry("Branch__c", "Seef")
                .containsEntry("Queue__c", 6)
                .containsEntry("Nope__c", null)
                .containsEntry("Contact__c", "003000000000001AAA");
        assertThat(mapper.endpointUri()).isEqualTo("salesforce:compositeUpsertSObjectCollections"
                + "?sObjectName=Skiplino_Ticket__c&sObjectIdName=Skiplino_Ticket_Id__c");
    }

    @Test
    void aContactKeyOtherThanIdGoesThroughTheRelationship() {
        SalesforceTicketMapper mapper = new SalesforceTicketMapper(properties("Bridge_Key__c", Map.of("Status__c", "status")));
        Ticket ticket = new Ticket("t1", "A1", "waiting", AT, "sequential", null, null, null, null, null, AT, null, null);

        Map<String, Object> fields = mapper.record(row(ticket, "crm-7741")).getFields();

        assertThat(fields).doesNotContainKey("Contact__c").containsEntry("Contact__r",
                Map.of("attributes", Map.of("type", "Contact"), "Bridge_Key__c", "crm-7741"));
        assertThat(SalesforceTicketMapper.relationship("ContactId")).isEqualTo("Contact");
    }

    private static OutboxStore.OutboxRow row(Ticket ticket, String externalId) {
        return new OutboxStore.OutboxRow(1, "salesforce", ticket.id(), externalId, "c1", ticket.statusAt(),
                TicketJson.write(ticket), 0, AT);
    }

    private static TicketProperties properties(String contactKey, Map<String, String> fields) {
        return new TicketProperties(true, List.of("served", "cancelled"),
                new TicketProperties.Discovery(true, Duration.ofSeconds(5), 120, 4,
                        Duration.ofMinutes(30), Duration.ofMinutes(1), Duration.ofDays(2), 20),
                new TicketProperties.Outbox(Duration.ofMillis(250), Duration.ofMinutes(2), 4,
                        Duration.ofSeconds(1), Duration.ofMinutes(5)),
                new TicketProperties.Salesforce(null, "salesforce", "Skiplino_Ticket__c", "Skiplino_Ticket_Id__c",
                        "Contact__c", contactKey, 200, 5, fields),
                new TicketProperties.Webhook(Map.of(), "", false, false, Duration.ofSeconds(10)));
    }
}
