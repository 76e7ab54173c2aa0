package io.skiplinobridge.tickets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.stereotype.Component;

/**
 * Builds the Salesforce ticket records of an outbox batch from the configured field mapping: each
 * Salesforce field takes a ticket property by path ({@code status}, {@code branch.name}); the external id
 * field takes the ticket id; the contact lookup takes the customer's externalId, directly when the
 * externalId is the Contact {@code Id}, otherwise through the relationship by that contact field.
 */
@Component("salesforceTicketMapper")
@ConditionalOnFlows
public class SalesforceTicketMapper {

    private final TicketProperties.Salesforce settings;

    SalesforceTicketMapper(TicketProperties properties) {
        this.settings = properties.salesforce();
    }

    /** The composite sObject collections upsert endpoint of the configured component, object and external id. */
    public String endpointUri() {
        return settings.component() + ":compositeUpsertSObjectCollections?sObjectName=" + settings.sObject()
                + "&sObjectIdName=" + settings.externalIdField();
    }

    /** The records of a batch, in the batch's order (Salesforce answers in the same order). */
    public List<TicketRecord> records(OutboxBatch batch) {
        return batch.rows().stream().map(this::record).toList();
    }

    TicketRecord record(OutboxStore.OutboxRow row) {
        JsonNode ticket = TicketJson.tree(row.payload());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(settings.externalIdField(), row.ticketId());
        settings.fields().forEach((field, path) -> fields.put(field, value(ticket, path)));
        if ("Id".equalsIgnoreCase(settings.contactKeyField())) {
            fields.put(settings.contactLookup(), row.externalId());
        } else {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("attributes", Map.of("type", "Contact"));
            contact.put(settings.contactKeyField(), row.externalId());
            fields.put(relationship(settings.contactLookup()), contact);
        }
        return new TicketRecord(settings.sObject(), fields);
    }

    /** {@code Contact__c} → {@code Contact__r}; a standard {@code ContactId} → {@code Contact}. */
    static String relationship(String lookupField) {
        if (lookupField.endsWith("__c")) {
            return lookupField.substring(0, lookupField.length() - 3) + "__r";
        }
        if (lookupField.endsWith("Id") && lookupField.length() > 2) {
            return lookupField.substring(0, lookupField.length() - 2);
        }
        return lookupField;
    }

    static Object value(JsonNode ticket, String path) {
        JsonNode node = ticket;
        for (String part : path.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
