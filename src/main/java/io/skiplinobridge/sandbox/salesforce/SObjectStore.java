package io.skiplinobridge.sandbox.salesforce;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * The org's data: one {@link SObjectTable} per sObject, created on first write (any object name works).
 * One read-write lock guards everything, so a DML call is atomic (what makes {@code allOrNone} and
 * one shared {@code SystemModstamp} per call possible) and a query sees a consistent snapshot.
 */
@Component
@ConditionalOnSandbox
class SObjectStore {

    private static final Map<String, String> STANDARD_KEY_PREFIXES = Map.of(
            "account", "001", "contact", "003", "user", "005", "opportunity", "006", "lead", "00Q", "case", "500");
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Clock clock;
    private final Map<String, List<String>> declaredFields;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, SObjectTable> tablesByLowerName = new HashMap<>();
    private final Map<String, SObjectTable> tablesByKeyPrefix = new HashMap<>();
    private int customObjects;
    private Instant lastStamp = Instant.EPOCH;

    SObjectStore(Clock clock, SalesforceSandboxProperties properties) {
        this.clock = clock;
        this.declaredFields = new HashMap<>();
        properties.fields().forEach((object, fields) -> declaredFields.put(object.toLowerCase(Locale.ROOT), fields));
        write(() -> {
            SObjectTable contact = tableForWrite("Contact");
            properties.fields().keySet().forEach(this::tableForWrite);
            return contact;
        });
    }

    <T> T read(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    <T> T write(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The table of an existing sObject (one that is declared or has ever been written). Call under a lock. */
    Optional<SObjectTable> table(String name) {
        return Optional.ofNullable(tablesByLowerName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The table of an sObject, created when it does not exist yet. Call under the write lock. */
    SObjectTable tableForWrite(String name) {
        return tablesByLowerName.computeIfAbsent(name.toLowerCase(Locale.ROOT), lower -> {
            SObjectTable table = new SObjectTable(name, keyPrefixFor(lower),
                    declaredFields.getOrDefault(lower, List.of()));
            tablesByKeyPrefix.put(table.keyPrefix(), table);
            return table;
        });
    }

    /** Any record of any object by its 15- or 18-character id. Call under a lock. */
    Optional<SObjectRecord> findById(String anyId) {
        return SalesforceIds.normalize(anyId)
                .flatMap(id -> Optional.ofNullable(tablesByKeyPrefix.get(SalesforceIds.keyPrefix(id)))
                        .flatMap(table -> table.get(id)));
    }

    /**
     * The timestamp of the DML call being made now: the clock's millisecond, never earlier than the
     * previous call's. Call under the write lock.
     */
    Instant nextStamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp;
        return lastStamp;
    }

    /** The records of one object matching {@code filter}, in id (creation) order, taken under the read lock. */
    List<SObjectRecord> snapshot(SObjectTable table, Predicate<SObjectRecord> filter) {
        return read(() -> {
            List<SObjectRecord> matching = new ArrayList<>();
            for (SObjectRecord record : table.records()) {
                if (filter.test(record)) {
                    matching.add(record);
                }
            }
            return matching;
        });
    }

    /** Empties every object; object names, fields and key prefixes stay, like an org's metadata. */
    void clear() {
        write(() -> {
            tablesByLowerName.values().forEach(SObjectTable::clear);
            return null;
        });
    }

    private String keyPrefixFor(String lowerName) {
        String standard = STANDARD_KEY_PREFIXES.get(lowerName);
        if (standard != null) {
            return standard;
        }
        int n = customObjects++;
        return "a" + BASE62.charAt(n / 62 % 62) + BASE62.charAt(n % 62);
    }
}
