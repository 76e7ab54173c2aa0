package io.skiplinobridge.sandbox.salesforce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * Every write to the org (DML): creates, updates, deletes, upserts by external id, sObject
 * Collections upserts and updates. Each call runs under the store's write lock, so it is atomic and all records it
 * writes share one {@code SystemModstamp}, as in one Salesforce transaction.
 *
 * <p>Lookups are checked like Salesforce does: a custom field ({@code X__c}) or a standard
 * {@code XxxId} field holding a record id must name an existing, undeleted record, and a relationship
 * ({@code "X__r": {"Ext__c": "v"}}) resolves to the id of the one record with that external id.
 */
@Component
@ConditionalOnSandbox
class SObjectWriter {

    static final int MAX_COLLECTION_SIZE = 200;
    private static final String CONTACT = "Contact";
    private static final String ATTRIBUTES = "attributes";

    /** The outcome of one upserted record: an id and whether it was created, or an error. */
    record UpsertOutcome(String id, boolean created, RecordError error, List<String> matchingIds) {

        boolean success() {
            return error == null;
        }
    }

    private record Planned(SObjectRecord existing, Map<String, Object> changes) {
    }

    private final SObjectStore store;
    private final SalesforceFaults faults;
    private final SalesforceCallStats stats;
    private final ChangeEventStream changeEvents;
    /** Changes of the DML call in progress; only touched under the store's write lock. */
    private final List<ChangeEventStream.RecordChange> pendingChanges = new ArrayList<>();

    SObjectWriter(SObjectStore store, SalesforceFaults faults, SalesforceCallStats stats,
                  ChangeEventStream changeEvents) {
        this.store = store;
        this.faults = faults;
        this.stats = stats;
        this.changeEvents = changeEvents;
    }

    /** One DML call: atomic under the write lock, its changes published as change events in commit order. */
    private <T> T transaction(Supplier<T> dml) {
        return store.write(() -> {
            try {
                T result = dml.get();
                changeEvents.publish(pendingChanges);
                return result;
            } finally {
                pendingChanges.clear();
            }
        });
    }

    /**
     * Inserts records as one DML call. A record may carry an explicit {@code SystemModstamp} (the
     * control API's way to simulate a late commit); the others share the call's timestamp.
     *
     * @throws InvalidRecordsException naming every invalid record and field; nothing is stored then
     */
    List<SObjectRecord> insertAll(String object, List<Map<String, Object>> inputs) {
        return transaction(() -> {
            SObjectTable table = store.tableForWrite(object);
            Map<Integer, RecordError> errors = new LinkedHashMap<>();
            List<Map<String, Object>> planned = new ArrayList<>(inputs.size());
            List<Instant> explicitStamps = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                Map<String, Object> input = new LinkedHashMap<>(inputs.get(i));
                Instant explicitStamp = null;
                Object stamp = removeIgnoringCase(input, SObjectRecord.SYSTEM_MODSTAMP);
                if (stamp != null) {
                    explicitStamp = stamp instanceof String text ? SalesforceDateTimes.parse(text).orElse(null) : null;
                    if (explicitStamp == null) {
                        errors.put(i, RecordError.of("INVALID_TYPE_ON_FIELD_IN_RECORD",
                                "SystemModstamp: not a datetime such as 2026-11-26T10:00:00.000Z", SObjectRecord.SYSTEM_MODSTAMP));
                        continue;
                    }
                }
                int index = i;
                prepare(table, input).ifError(error -> errors.put(index, error)).ifOk(planned::add);
                explicitStamps.add(explicitStamp);
            }
            if (!errors.isEmpty()) {
                throw new InvalidRecordsException(errors);
            }
            Instant stamp = store.nextStamp();
            List<SObjectRecord> created = new ArrayList<>(planned.size());
            for (int i = 0; i < planned.size(); i++) {
                Instant recordStamp = explicitStamps.get(i) == null ? stamp : explicitStamps.get(i);
                created.add(insert(table, planned.get(i), recordStamp));
            }
            return created;
        });
    }

    /** Creates one record ({@code POST /sobjects/{name}}). */
    SObjectRecord create(String object, Map<String, Object> input) {
        return transaction(() -> {
            SObjectTable table = store.tableForWrite(object);
            Map<String, Object> changes = prepare(table, input).orThrow();
            return insert(table, changes, store.nextStamp());
        });
    }

    /** Updates fields of an undeleted record; {@code null} values clear fields. */
    SObjectRecord update(String object, String anyId, Map<String, Object> input) {
        return transaction(() -> {
            SObjectTable table = existingTable(object);
            SObjectRecord existing = liveRecord(table, anyId);
            Map<String, Object> changes = prepare(table, input).orThrow();
            return apply(table, existing, changes, store.nextStamp());
        });
    }

    /** Moves a record to the recycle bin: {@code IsDeleted = true}, visible to {@code queryAll} only. */
    SObjectRecord delete(String object, String anyId) {
        return transaction(() -> {
            SObjectTable table = existingTable(object);
            SObjectRecord live = liveRecord(table, anyId);
            SObjectRecord deleted = live.markedDeleted(store.nextStamp());
            table.put(deleted);
            pendingChanges.add(new ChangeEventStream.RecordChange(live, deleted));
            return deleted;
        });
    }

    /** One record by id, deleted or not. */
    Optional<SObjectRecord> find(String object, String anyId) {
        return store.read(() -> store.table(object).flatMap(table ->
                SalesforceIds.normalize(anyId).flatMap(table::get)));
    }

    /** {@code PATCH /sobjects/{name}/{field}/{value}}: the matching record updated, or a new one. */
    UpsertOutcome upsert(String object, String externalIdField, String value, Map<String, Object> input) {
        stats.upsertedRecords(store.read(() -> store.table(object).map(SObjectTable::name).orElse(object)), 1);
        return transaction(() -> {
            SObjectTable table = store.tableForWrite(object);
            String field = table.field(externalIdField).orElse(externalIdField);
            if (SObjectRecord.ID.equals(field)) {
                SObjectRecord existing = liveRecord(table, value);
                Map<String, Object> changes = prepare(table, input).orThrow();
                return new UpsertOutcome(apply(table, existing, changes, store.nextStamp()).id(), false, null, List.of());
            }
            Map<String, Object> body = new LinkedHashMap<>(input);
            removeIgnoringCase(body, field);
            Result<Planned> plan = plan(table, field, value, body);
            if (plan.error != null) {
                return new UpsertOutcome(null, false, plan.error, List.of());
            }
            if (plan.value == null) {
                List<String> ids = table.findByExternalId(field, value).stream().map(SObjectRecord::id).toList();
                return new UpsertOutcome(null, false, null, ids);
            }
            SObjectRecord written = write(table, plan.value, store.nextStamp());
            return new UpsertOutcome(written.id(), plan.value.existing() == null, null, List.of());
        });
    }

    /**
     * sObject Collections upsert: each record updated or created by its external id; with
     * {@code allOrNone} one failure rolls back all (the others report {@code ALL_OR_NONE_OPERATION_ROLLED_BACK}).
     */
    List<UpsertOutcome> upsertCollection(String object, String externalIdField, boolean allOrNone, List<?> records) {
        if (records.size() > MAX_COLLECTION_SIZE) {
            throw new SalesforceApiException(400, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_COLLECTION_SIZE + " records into this call");
        }
        stats.upsertedRecords(store.read(() -> store.table(object).map(SObjectTable::name).orElse(object)), records.size());
        return transaction(() -> {
            SObjectTable table = store.tableForWrite(object);
            String field = table.field(externalIdField).orElse(externalIdField);
            if (SObjectRecord.ID.equals(field)) {
                throw new SalesforceApiException(400, "INVALID_FIELD",
                        "Only external ids are supported by sObject Collections upsert, not record ids");
            }
            Map<String, Integer> valueCounts = new HashMap<>();
            for (Object record : records) {
                externalIdValue(record, field).ifPresent(value ->
                        valueCounts.merge(value.toLowerCase(Locale.ROOT), 1, Integer::sum));
            }
            List<Result<Planned>> plans = new ArrayList<>(records.size());
            boolean anyFailed = false;
            for (Object record : records) {
                Result<Planned> plan = planCollectionRecord(table, field, record, valueCounts);
                anyFailed |= plan.error != null;
                plans.add(plan);
            }
            if (allOrNone && anyFailed) {
                return rolledBack(plans);
            }
            List<UpsertOutcome> outcomes = new ArrayList<>(records.size());
            Instant stamp = store.nextStamp();
            for (Result<Planned> plan : plans) {
                if (plan.error != null) {
                    outcomes.add(new UpsertOutcome(null, false, plan.error, List.of()));
                } else {
                    SObjectRecord written = write(table, plan.value, stamp);
                    outcomes.add(new UpsertOutcome(written.id(), plan.value.existing() == null, null, List.of()));
                }
            }
            return outcomes;
        });
    }

    /** With {@code allOrNone}, one invalid record fails the call: each record reports its own error or the rollback. */
    private static List<UpsertOutcome> rolledBack(List<Result<Planned>> plans) {
        RecordError rolledBack = RecordError.of("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                "Record rolled back because not all records were valid and the request was using AllOrNone header");
        return plans.stream().map(plan -> new UpsertOutcome(null, false,
                plan.error != null ? plan.error : rolledBack, List.of())).toList();
    }

    /**
     * sObject Collections update ({@code PATCH /composite/sobjects}): each record names its type
     * ({@code attributes.type}) and its {@code Id}; one that is missing, deleted or invalid fails on its own
     * (with {@code allOrNone}, all fail and nothing is written). Never creates a record.
     */
    List<UpsertOutcome> updateCollection(boolean allOrNone, List<?> records) {
        if (records.size() > MAX_COLLECTION_SIZE) {
            throw new SalesforceApiException(400, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than " + MAX_COLLECTION_SIZE + " records into this call");
        }
        return transaction(() -> {
            List<Result<Planned>> plans = new ArrayList<>(records.size());
            List<SObjectTable> tables = new ArrayList<>(records.size());
            boolean anyFailed = false;
            for (Object record : records) {
                SObjectTable[] table = new SObjectTable[1];
                Result<Planned> plan = planUpdate(record, table);
                anyFailed |= plan.error != null;
                plans.add(plan);
                tables.add(table[0]);
            }
            if (allOrNone && anyFailed) {
                return rolledBack(plans);
            }
            List<UpsertOutcome> outcomes = new ArrayList<>(records.size());
            Instant stamp = store.nextStamp();
            for (int i = 0; i < plans.size(); i++) {
                Result<Planned> plan = plans.get(i);
                if (plan.error != null) {
                    outcomes.add(new UpsertOutcome(null, false, plan.error, List.of()));
                } else {
                    SObjectRecord written = apply(tables.get(i), plan.value.existing(), plan.value.changes(), stamp);
                    outcomes.add(new UpsertOutcome(written.id(), false, null, List.of()));
                }
            }
            return outcomes;
        });
    }

    private Result<Planned> planUpdate(Object record, SObjectTable[] tableOut) {
        if (!(record instanceof Map<?, ?> map)) {
            return Result.error(RecordError.of("JSON_PARSER_ERROR", "each record must be a JSON object"));
        }
        Object attributes = map.get(ATTRIBUTES);
        Object type = attributes instanceof Map<?, ?> attributeMap ? attributeMap.get("type") : null;
        Optional<SObjectTable> table = type instanceof String typeName ? store.table(typeName) : Optional.empty();
        if (table.isEmpty()) {
            return Result.error(RecordError.of("INVALID_TYPE", "each record must have an attributes.type naming an sObject"));
        }
        tableOut[0] = table.get();
        Optional<String> id = externalIdValue(record, SObjectRecord.ID);
        if (id.isEmpty()) {
            return Result.error(RecordError.of("MISSING_ARGUMENT", "Id not specified in an update call", SObjectRecord.ID));
        }
        Optional<RecordError> injected = faults.recordFailure(id.get());
        if (injected.isPresent()) {
            return Result.error(injected.get());
        }
        Optional<SObjectRecord> existing = SalesforceIds.normalize(id.get()).flatMap(table.get()::get);
        if (existing.isEmpty()) {
            return Result.error(RecordError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", SObjectRecord.ID));
        }
        if (existing.get().deleted()) {
            return Result.error(RecordError.of("ENTITY_IS_DELETED", "entity is deleted", SObjectRecord.ID));
        }
        Map<String, Object> body = stringKeyed(map);
        removeIgnoringCase(body, SObjectRecord.ID);
        Result<Map<String, Object>> changes = prepare(table.get(), body);
        if (changes.error != null) {
            return Result.error(changes.error);
        }
        return Result.ok(new Planned(existing.get(), changes.value));
    }

    private Result<Planned> planCollectionRecord(SObjectTable table, String field, Object record,
                                                 Map<String, Integer> valueCounts) {
        if (!(record instanceof Map<?, ?> map)) {
            return Result.error(RecordError.of("JSON_PARSER_ERROR", "each record must be a JSON object"));
        }
        Object attributes = map.get(ATTRIBUTES);
        Object type = attributes instanceof Map<?, ?> attributeMap ? attributeMap.get("type") : null;
        if (!(type instanceof String typeName) || !typeName.equalsIgnoreCase(table.name())) {
            return Result.error(RecordError.of("INVALID_TYPE",
                    "each record must have attributes.type '" + table.name() + "'"));
        }
        Optional<String> value = externalIdValue(record, field);
        if (value.isEmpty()) {
            return Result.error(RecordError.of("MISSING_ARGUMENT", field + " not specified", field));
        }
        if (valueCounts.getOrDefault(value.get().toLowerCase(Locale.ROOT), 0) > 1) {
            return Result.error(RecordError.of("DUPLICATE_VALUE", "Duplicate external id specified: " + value.get(), field));
        }
        Map<String, Object> body = stringKeyed(map);
        removeIgnoringCase(body, field);
        Result<Planned> plan = plan(table, field, value.get(), body);
        if (plan.error == null && plan.value == null) {
            List<String> ids = table.findByExternalId(field, value.get()).stream().map(SObjectRecord::id).toList();
            return Result.error(RecordError.of("DUPLICATE_EXTERNAL_ID",
                    "more than one record found for external id field: " + ids, field));
        }
        return plan;
    }

    /** The planned write of one upserted record; a {@code null} value (no error) means several records match. */
    private Result<Planned> plan(SObjectTable table, String field, String value, Map<String, Object> body) {
        Optional<RecordError> injected = faults.recordFailure(value);
        if (injected.isPresent()) {
            return Result.error(injected.get());
        }
        Result<Map<String, Object>> changes = prepare(table, body);
        if (changes.error != null) {
            return Result.error(changes.error);
        }
        changes.value.put(field, value);
        List<SObjectRecord> matches = table.findByExternalId(field, value);
        if (matches.size() > 1) {
            return new Result<>(null, null);
        }
        return Result.ok(new Planned(matches.isEmpty() ? null : matches.get(0), changes.value));
    }

    private SObjectRecord write(SObjectTable table, Planned planned, Instant stamp) {
        return planned.existing() == null
                ? insert(table, planned.changes(), stamp)
                : apply(table, planned.existing(), planned.changes(), stamp);
    }

    private SObjectRecord insert(SObjectTable table, Map<String, Object> changes, Instant stamp) {
        SObjectRecord record = new SObjectRecord(table.nextId(), table.name(), Map.of(), stamp, stamp, stamp, false);
        return apply(table, record, changes, stamp, true);
    }

    private SObjectRecord apply(SObjectTable table, SObjectRecord record, Map<String, Object> changes, Instant stamp) {
        return apply(table, record, changes, stamp, false);
    }

    private SObjectRecord apply(SObjectTable table, SObjectRecord record, Map<String, Object> changes, Instant stamp,
                                boolean created) {
        Map<String, Object> canonical = new HashMap<>(changes.size() + 1);
        changes.forEach((field, value) -> canonical.put(table.addField(field), value));
        if (CONTACT.equalsIgnoreCase(table.name())) {
            Map<String, Object> merged = new HashMap<>(record.fields());
            merged.putAll(canonical);
            canonical.put("Name", contactName(merged));
        }
        SObjectRecord changed = record.changed(canonical, stamp);
        table.put(changed);
        pendingChanges.add(new ChangeEventStream.RecordChange(created ? null : record, changed));
        return changed;
    }

    /** Contact.Name is compound and read-only: FirstName and LastName joined. */
    private static Object contactName(Map<String, Object> contact) {
        Object first = contact.get("FirstName");
        Object last = contact.get("LastName");
        String name = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
        return name.isEmpty() ? null : name;
    }

    /** Validates and resolves the fields of one written record into canonical field changes. */
    private Result<Map<String, Object>> prepare(SObjectTable table, Map<String, Object> input) {
        Map<String, Object> changes = new LinkedHashMap<>();
        Set<String> referencedLookups = new HashSet<>();
        input.forEach((name, value) -> {
            if (value instanceof Map<?, ?> && !ATTRIBUTES.equals(name)) {
                referencedLookups.add(relationshipField(name).toLowerCase(Locale.ROOT));
            }
        });
        for (Map.Entry<String, Object> entry : input.entrySet()) {
            String name = entry.getKey();
            Object value = entry.getValue();
            if (ATTRIBUTES.equals(name)) {
                continue;
            }
            if (referencedLookups.contains(name.toLowerCase(Locale.ROOT))) {
                // camel-salesforce serializes unset DTO fields as null; only a real id next to a reference conflicts
                if (value == null) {
                    continue;
                }
                return Result.error(RecordError.of("INVALID_FIELD", "Cannot specify both an external ID reference "
                        + relationshipName(name) + " and a salesforce id, " + name, name));
            }
            if (!isFieldName(name)) {
                return Result.error(RecordError.of("INVALID_FIELD", "No such column '" + name + "' on sobject of type "
                        + table.name(), name));
            }
            String field = table.field(name).orElse(name);
            if (SObjectRecord.SYSTEM_FIELDS.contains(field) || (CONTACT.equalsIgnoreCase(table.name()) && "Name".equals(field))) {
                return Result.error(RecordError.of("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: "
                        + field + ". Please check the security settings of this field and verify that it is read/write "
                        + "for your profile or permission set.", field));
            }
            if (value instanceof Map<?, ?> reference) {
                Result<String> resolved = resolveRelationship(table, name, reference);
                if (resolved.error != null) {
                    return Result.error(resolved.error);
                }
                changes.put(relationshipField(name), resolved.value);
                continue;
            }
            if (value instanceof List<?>) {
                return Result.error(RecordError.of("JSON_PARSER_ERROR", "a list cannot be written to field " + field, field));
            }
            if (value instanceof String text && isLookupField(field) && looksLikeId(field, text)) {
                Optional<RecordError> lookupError = checkLookup(field, text);
                if (lookupError.isPresent()) {
                    return Result.error(lookupError.get());
                }
                value = SalesforceIds.normalize(text).orElseThrow();
            }
            changes.put(field, value);
        }
        return Result.ok(changes);
    }

    private Result<String> resolveRelationship(SObjectTable table, String relationship, Map<?, ?> reference) {
        Map<String, Object> keys = stringKeyed(reference);
        Object attributes = keys.remove(ATTRIBUTES);
        Object type = attributes instanceof Map<?, ?> attributeMap ? attributeMap.get("type") : null;
        String targetType = type instanceof String typeName ? typeName
                : relationship.endsWith("__r") ? CONTACT : relationship;
        if (keys.size() != 1) {
            return Result.error(RecordError.of("INVALID_FIELD", "More than 1 field provided in an external foreign key "
                    + "reference in entity: " + targetType, relationship));
        }
        Map.Entry<String, Object> key = keys.entrySet().iterator().next();
        Optional<SObjectTable> target = store.table(targetType);
        List<SObjectRecord> matches = target.map(t -> t.findByExternalId(t.field(key.getKey()).orElse(key.getKey()),
                key.getValue())).orElse(List.of());
        if (matches.size() != 1) {
            String problem = matches.isEmpty() ? " not found for field " : " matches more than one record for field ";
            return Result.error(RecordError.of("INVALID_FIELD", "Foreign key external ID: " + key.getValue() + problem
                    + key.getKey() + " in entity " + targetType, relationship));
        }
        return Result.ok(matches.get(0).id());
    }

    private Optional<RecordError> checkLookup(String field, String id) {
        Optional<SObjectRecord> target = store.findById(id);
        if (target.isEmpty()) {
            return Optional.of(RecordError.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", field));
        }
        if (target.get().deleted()) {
            return Optional.of(RecordError.of("ENTITY_IS_DELETED", "entity is deleted", field));
        }
        return Optional.empty();
    }

    private SObjectTable existingTable(String object) {
        return store.table(object).orElseThrow(() ->
                new SalesforceApiException(404, "NOT_FOUND", "The requested resource does not exist"));
    }

    private static SObjectRecord liveRecord(SObjectTable table, String anyId) {
        return SalesforceIds.normalize(anyId).flatMap(table::get).filter(record -> !record.deleted())
                .orElseThrow(SalesforceApiException::notFound);
    }

    private static Optional<String> externalIdValue(Object record, String field) {
        if (record instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (field.equalsIgnoreCase(String.valueOf(entry.getKey())) && entry.getValue() != null
                        && !(entry.getValue() instanceof Map<?, ?>) && !(entry.getValue() instanceof List<?>)) {
                    return Optional.of(String.valueOf(entry.getValue()));
                }
            }
        }
        return Optional.empty();
    }

    private static String relationshipField(String relationship) {
        return relationship.endsWith("__r")
                ? relationship.substring(0, relationship.length() - 3) + "__c"
                : relationship + "Id";
    }

    private static String relationshipName(String lookupField) {
        return lookupField.endsWith("__c")
                ? lookupField.substring(0, lookupField.length() - 3) + "__r"
                : lookupField.substring(0, lookupField.length() - 2);
    }

    private static boolean isLookupField(String field) {
        return field.endsWith("__c") || (field.endsWith("Id") && field.length() > 2);
    }

    /** Custom fields are checked only when they hold a full 18-character id, so plain text fields stay free text. */
    private static boolean looksLikeId(String field, String value) {
        return (value.length() == 18 || (value.length() == 15 && !field.endsWith("__c")))
                && SalesforceIds.normalize(value).isPresent();
    }

    private static boolean isFieldName(String name) {
        if (name.isEmpty() || !Character.isLetter(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c < 128 && (Character.isLetterOrDigit(c) || c == '_'))) {
                return false;
            }
        }
        return true;
    }

    private static Object removeIgnoringCase(Map<String, Object> map, String key) {
        for (String candidate : Set.copyOf(map.keySet())) {
            if (candidate.equalsIgnoreCase(key)) {
                return map.remove(candidate);
            }
        }
        return null;
    }

    private static Map<String, Object> stringKeyed(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(String.valueOf(key), value));
        return copy;
    }

    /** A value or the error that prevented it. */
    private record Result<T>(T value, RecordError error) {

        static <T> Result<T> ok(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> error(RecordError error) {
            return new Result<>(null, error);
        }

        T orThrow() {
            if (error != null) {
                throw error.toApiException();
            }
            return value;
        }

        Result<T> ifError(Consumer<RecordError> action) {
            if (error != null) {
                action.accept(error);
            }
            return this;
        }

        void ifOk(Consumer<T> action) {
            if (error == null) {
                action.accept(value);
            }
        }
    }
}
