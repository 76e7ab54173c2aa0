package io.skiplinobridge.salesforce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.skiplinobridge.sync.CanonicalCustomer;
import io.skiplinobridge.sync.ChangeSource;
import io.skiplinobridge.sync.CustomerChange;

/**
 * Salesforce records to canonical customer changes, by {@code bridge.salesforce.poll.fields} and
 * {@code metadata-fields}, and the SOQL the poll issues. No I/O: unit-tested without Camel.
 *
 * <p>Event ids are {@code <Id>:<SystemModstamp>} (deletes {@code <Id>:<SystemModstamp>:deleted}): a
 * record re-read in the overlap window is a duplicate the inbox recognises, a record changed again is
 * a new event.
 */
final class SalesforceRecords {

    static final String ID = "Id";
    static final String SYSTEM_MODSTAMP = "SystemModstamp";
    /** Salesforce writes {@code 2026-11-26T10:00:00.000+0000}; SOQL accepts {@code 2026-11-26T10:00:00.000Z}. */
    private static final DateTimeFormatter SALESFORCE_DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XX][XXX]").toFormatter();
    private static final DateTimeFormatter SOQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final String object;
    private final SalesforceProperties.Fields fields;
    private final Map<String, String> metadataFields;

    SalesforceRecords(SalesforceProperties.Poll poll) {
        this.object = poll.object();
        this.fields = poll.fields();
        this.metadataFields = poll.metadataFields();
    }

    /** Changed records, oldest first; {@code from} null reads the whole object (backfill). */
    String changesQuery(Instant from) {
        List<String> selected = new ArrayList<>();
        selected.add(ID);
        selected.add(SYSTEM_MODSTAMP);
        fields.all().forEach(f -> addOnce(selected, f));
        metadataFields.keySet().forEach(f -> addOnce(selected, f));
        return "SELECT " + String.join(", ", selected) + " FROM " + object
                + (from == null ? "" : " WHERE SystemModstamp >= " + soql(from))
                + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    /** Deleted records (for {@code queryAll}), oldest first. */
    String deletesQuery(Instant from) {
        List<String> selected = new ArrayList<>(List.of(ID, SYSTEM_MODSTAMP));
        addOnce(selected, fields.externalId());
        return "SELECT " + String.join(", ", selected) + " FROM " + object
                + " WHERE IsDeleted = true AND SystemModstamp >= " + soql(from)
                + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    /**
     * The upsert a live record stands for; null when its external id field is empty (logged and counted
     * by the poll: such a record cannot be keyed in Skiplino).
     *
     * @param eventSuffix appended to the event id (a full re-read makes every record a new event); may be empty
     */
    CustomerChange upsert(JsonNode record, String eventSuffix) {
        String externalId = text(record, fields.externalId());
        if (externalId == null) {
            return null;
        }
        Instant modstamp = modstamp(record);
        String mobile = text(record, fields.mobile());
        if (mobile == null) {
            mobile = text(record, fields.phone());
        }
        CanonicalCustomer customer = new CanonicalCustomer(externalId, name(record), text(record, fields.email()),
                mobile, metadata(record));
        return CustomerChange.upsert(ChangeSource.SALESFORCE, eventId(record, modstamp) + eventSuffix, modstamp, customer);
    }

    /** The delete a deleted record stands for; null when its external id field is empty. */
    CustomerChange delete(JsonNode record) {
        String externalId = text(record, fields.externalId());
        if (externalId == null) {
            return null;
        }
        Instant modstamp = modstamp(record);
        return CustomerChange.delete(ChangeSource.SALESFORCE, eventId(record, modstamp) + ":deleted", modstamp, externalId);
    }

    static Instant modstamp(JsonNode record) {
        String value = text(record, SYSTEM_MODSTAMP);
        if (value == null) {
            throw new IllegalArgumentException("a Salesforce record without SystemModstamp: " + text(record, ID));
        }
        return parseDateTime(value);
    }

    static Instant parseDateTime(String value) {
        try {
            return OffsetDateTime.parse(value, SALESFORCE_DATETIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a Salesforce datetime: " + value, e);
        }
    }

    static String soql(Instant instant) {
        return SOQL_DATETIME.format(instant.atOffset(ZoneOffset.UTC));
    }

    private String name(JsonNode record) {
        String first = text(record, fields.firstName());
        String last = text(record, fields.lastName());
        if (first == null) {
            return last;
        }
        return last == null ? first : first + " " + last;
    }

    private Map<String, Object> metadata(JsonNode record) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadataFields.forEach((field, key) -> {
            JsonNode value = record.get(field);
            if (value == null || value.isNull() || value.isContainerNode()) {
                return;
            }
            if (value.isTextual()) {
                String text = value.asText().strip();
                if (!text.isEmpty()) {
                    metadata.put(key, text);
                }
            } else if (value.isBoolean()) {
                metadata.put(key, value.booleanValue());
            } else if (value.isNumber()) {
                metadata.put(key, value.decimalValue());
            }
        });
        return metadata;
    }

    private static String eventId(JsonNode record, Instant modstamp) {
        return text(record, ID) + ":" + modstamp;
    }

    static String text(JsonNode record, String field) {
        if (field == null || field.isEmpty()) {
            return null;
        }
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.asText().strip();
        return text.isEmpty() ? null : text;
    }

    private static void addOnce(List<String> selected, String field) {
        if (!field.isEmpty() && selected.stream().noneMatch(f -> f.equalsIgnoreCase(field))) {
            selected.add(field);
        }
    }
}
