package io.skiplinobridge.sandbox.salesforce;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records and field list of one sObject. Not thread-safe on its own: {@link SObjectStore} guards
 * every access with its lock.
 */
final class SObjectTable {

    private final String name;
    private final String keyPrefix;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, String> fieldsByLowerName = new LinkedHashMap<>();
    private final Map<String, SObjectRecord> records = new LinkedHashMap<>();
    /** External-id lookups: field, then lower-cased value (Salesforce matches external ids case-insensitively), then ids. */
    private final Map<String, Map<String, List<String>>> indexes = new HashMap<>();

    SObjectTable(String name, String keyPrefix, Collection<String> declaredFields) {
        this.name = name;
        this.keyPrefix = keyPrefix;
        SObjectRecord.SYSTEM_FIELDS.forEach(this::addField);
        declaredFields.forEach(this::addField);
    }

    String name() {
        return name;
    }

    String keyPrefix() {
        return keyPrefix;
    }

    /** The canonical spelling of a field, matched case-insensitively like Salesforce does. */
    Optional<String> field(String anyCase) {
        return Optional.ofNullable(fieldsByLowerName.get(anyCase.toLowerCase(Locale.ROOT)));
    }

    /** Declares a field if it is new and returns its canonical spelling. */
    String addField(String field) {
        return fieldsByLowerName.computeIfAbsent(field.toLowerCase(Locale.ROOT), lower -> field);
    }

    List<String> fields() {
        return List.copyOf(fieldsByLowerName.values());
    }

    String nextId() {
        return SalesforceIds.of(keyPrefix, sequence.incrementAndGet());
    }

    Optional<SObjectRecord> get(String id) {
        return Optional.ofNullable(records.get(id));
    }

    Collection<SObjectRecord> records() {
        return records.values();
    }

    int size() {
        return records.size();
    }

    void put(SObjectRecord record) {
        SObjectRecord previous = records.put(record.id(), record);
        indexes.forEach((field, index) -> {
            if (previous != null) {
                unindex(index, previous.value(field), record.id());
            }
            indexValue(index, record.value(field), record.id());
        });
    }

    /** Records (deleted ones excluded) whose {@code field} equals {@code value}, ignoring case. */
    List<SObjectRecord> findByExternalId(String field, Object value) {
        Map<String, List<String>> index = indexes.computeIfAbsent(field, this::buildIndex);
        List<SObjectRecord> found = new ArrayList<>();
        for (String id : index.getOrDefault(indexKey(value), List.of())) {
            SObjectRecord record = records.get(id);
            if (!record.deleted()) {
                found.add(record);
            }
        }
        return found;
    }

    void clear() {
        records.clear();
        indexes.clear();
    }

    private Map<String, List<String>> buildIndex(String field) {
        Map<String, List<String>> index = new HashMap<>();
        records.values().forEach(record -> indexValue(index, record.value(field), record.id()));
        return index;
    }

    private static void indexValue(Map<String, List<String>> index, Object value, String id) {
        if (value != null) {
            index.computeIfAbsent(indexKey(value), key -> new ArrayList<>(1)).add(id);
        }
    }

    private static void unindex(Map<String, List<String>> index, Object value, String id) {
        if (value != null) {
            List<String> ids = index.get(indexKey(value));
            if (ids != null) {
                ids.remove(id);
                if (ids.isEmpty()) {
                    index.remove(indexKey(value));
                }
            }
        }
    }

    private static String indexKey(Object value) {
        return String.valueOf(value).toLowerCase(Locale.ROOT);
    }
}
