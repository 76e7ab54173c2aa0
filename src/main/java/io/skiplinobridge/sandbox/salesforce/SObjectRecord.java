package io.skiplinobridge.sandbox.salesforce;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One stored record. Immutable: every write replaces the record, so a query cursor that holds
 * records keeps seeing them exactly as they were when the query ran.
 *
 * @param fields the record's non-null, non-system fields by canonical name
 */
record SObjectRecord(String id, String type, Map<String, Object> fields, Instant createdDate,
                     Instant lastModifiedDate, Instant systemModstamp, boolean deleted) {

    static final String ID = "Id";
    static final String IS_DELETED = "IsDeleted";
    static final String CREATED_DATE = "CreatedDate";
    static final String LAST_MODIFIED_DATE = "LastModifiedDate";
    static final String SYSTEM_MODSTAMP = "SystemModstamp";
    /** The fields every object has, in the order records show them. */
    static final List<String> SYSTEM_FIELDS = List.of(ID, IS_DELETED, CREATED_DATE, LAST_MODIFIED_DATE, SYSTEM_MODSTAMP);

    SObjectRecord {
        fields = Map.copyOf(fields);
    }

    /** The value of a field by canonical name: an {@link Instant} for the datetime system fields. */
    Object value(String field) {
        return switch (field) {
            case ID -> id;
            case IS_DELETED -> deleted;
            case CREATED_DATE -> createdDate;
            case LAST_MODIFIED_DATE -> lastModifiedDate;
            case SYSTEM_MODSTAMP -> systemModstamp;
            default -> fields.get(field);
        };
    }

    /** This record with {@code changes} applied (a {@code null} value clears the field). */
    SObjectRecord changed(Map<String, Object> changes, Instant stamp) {
        Map<String, Object> merged = new HashMap<>(fields);
        changes.forEach((field, value) -> {
            if (value == null) {
                merged.remove(field);
            } else {
                merged.put(field, value);
            }
        });
        return new SObjectRecord(id, type, merged, createdDate, stamp, stamp, deleted);
    }

    SObjectRecord markedDeleted(Instant stamp) {
        return new SObjectRecord(id, type, fields, createdDate, stamp, stamp, true);
    }
}
