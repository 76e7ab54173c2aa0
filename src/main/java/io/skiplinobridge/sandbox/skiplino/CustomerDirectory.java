package io.skiplinobridge.sandbox.skiplino;

import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * The sandbox company's customer directory, sized for benchmarks (hundreds of thousands of
 * customers, thousands of requests per second).
 *
 * <ul>
 *   <li>Lookups by {@code _id} and {@code externalId} are hash lookups and take no lock.</li>
 *   <li>Writes to one customer are serialised on that customer's entry only; {@code externalId}
 *       uniqueness is claimed atomically in the {@code externalId} map.</li>
 *   <li>Newest-first paging goes through an {@link InsertionOrder} (O(log n) per page, no scan),
 *       whose short critical section is the only one shared by every create and delete.</li>
 * </ul>
 */
@Component
@ConditionalOnSandbox
class CustomerDirectory {

    /**
     * How a request names a customer: by internal {@code _id} or by {@code externalId}, and under which
     * request field (errors are reported under that field).
     */
    record Locator(String field, String value, boolean byId) {

        static final String ID = "id";
        static final String EXTERNAL_ID = "externalId";

        static Locator id(String field, String value) {
            return new Locator(field, value, true);
        }

        static Locator externalId(String field, String value) {
            return new Locator(field, value, false);
        }
    }

    private static final class Entry {
        volatile StoredCustomer current;
        boolean deleted;
        int position;

        Entry(StoredCustomer current) {
            this.current = current;
        }
    }

    private final ConcurrentHashMap<String, Entry> byId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> idByExternalId = new ConcurrentHashMap<>();
    private final InsertionOrder<Entry> order = new InsertionOrder<>();
    private final Clock clock;
    private final SkiplinoSandboxProperties properties;

    CustomerDirectory(Clock clock, SkiplinoSandboxProperties properties) {
        this.clock = clock;
        this.properties = properties;
    }

    StoredCustomer create(CustomerPatch patch) {
        Instant now = SkiplinoTime.millis(clock.instant());
        String externalId = patch.externalId().value();
        while (true) {
            String id = newId();
            StoredCustomer customer = new StoredCustomer(id, externalId, properties.companyId(), patch.name().value(),
                    patch.email().value(), patch.mobile().value(), patch.metadata().value(), now, now);
            Entry entry = new Entry(customer);
            if (byId.putIfAbsent(id, entry) != null) {
                continue;
            }
            synchronized (entry) {
                if (externalId != null && idByExternalId.putIfAbsent(externalId, id) != null) {
                    byId.remove(id, entry);
                    throw SkiplinoApiException.invalid(Locator.EXTERNAL_ID, SkiplinoApiException.ALREADY_TAKEN);
                }
                entry.position = order.add(entry);
            }
            return customer;
        }
    }

    Optional<StoredCustomer> find(Locator locator) {
        return entry(locator).map(e -> e.current);
    }

    /**
     * The customer a request names, or a 422 {@code This value does not exist.} under the field
     * that named it (getOne, delete and customer tickets answer unknown identifiers this way).
     */
    StoredCustomer require(Locator locator) {
        return find(locator).orElseThrow(() -> doesNotExist(locator));
    }

    /**
     * Applies a partial update. When located by {@code id}, an {@code externalId} in the patch is the
     * record's new value and must be unique; when located by {@code externalId}, that field is the
     * locator and is left as it is.
     */
    StoredCustomer update(Locator locator, CustomerPatch patch) {
        Entry entry = entry(locator).orElseThrow(() -> doesNotExist(locator));
        synchronized (entry) {
            StoredCustomer current = entry.current;
            if (entry.deleted || (!locator.byId() && !locator.value().equals(current.externalId()))) {
                throw vanished();
            }
            String externalId = current.externalId();
            if (locator.byId()) {
                externalId = patch.externalId().applyTo(current.externalId());
                if (externalId != null && !externalId.equals(current.externalId())) {
                    String holder = idByExternalId.putIfAbsent(externalId, current.id());
                    if (holder != null && !holder.equals(current.id())) {
                        throw SkiplinoApiException.invalid(Locator.EXTERNAL_ID, SkiplinoApiException.ALREADY_TAKEN);
                    }
                }
                if (current.externalId() != null && !current.externalId().equals(externalId)) {
                    idByExternalId.remove(current.externalId(), current.id());
                }
            }
            StoredCustomer updated = new StoredCustomer(current.id(), externalId, current.companyId(),
                    patch.name().applyTo(current.name()), patch.email().applyTo(current.email()),
                    patch.mobile().applyTo(current.mobile()), patch.metadata().applyTo(current.metadata()),
                    current.createdAt(), SkiplinoTime.millis(clock.instant()));
            entry.current = updated;
            return updated;
        }
    }

    StoredCustomer delete(Locator locator) {
        Entry entry = entry(locator).orElseThrow(() -> doesNotExist(locator));
        synchronized (entry) {
            if (entry.deleted) {
                throw doesNotExist(locator);
            }
            entry.deleted = true;
            StoredCustomer current = entry.current;
            byId.remove(current.id(), entry);
            if (current.externalId() != null) {
                idByExternalId.remove(current.externalId(), current.id());
            }
            order.remove(entry.position);
            return current;
        }
    }

    /** Page {@code page} of {@code limit} customers, newest insertion first. */
    List<StoredCustomer> newestFirst(int page, int limit) {
        return order.newestFirst(page, limit).stream().map(e -> e.current).toList();
    }

    List<StoredCustomer> all() {
        return order.allNewestFirst().stream().map(e -> e.current).toList();
    }

    int count() {
        return order.size();
    }

    void clear() {
        byId.clear();
        idByExternalId.clear();
        order.clear();
    }

    private Optional<Entry> entry(Locator locator) {
        String id = locator.byId() ? locator.value() : idByExternalId.get(locator.value());
        Entry entry = id == null ? null : byId.get(id);
        return Optional.ofNullable(entry);
    }

    static SkiplinoApiException doesNotExist(Locator locator) {
        return SkiplinoApiException.invalid(locator.field(), SkiplinoApiException.DOES_NOT_EXIST);
    }

    /** Stated: a record that is found and then goes missing answers 404 with {@code error: null}. */
    private static SkiplinoApiException vanished() {
        return SkiplinoApiException.notFound("Customer not found.", null);
    }

    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return HexFormat.of().toHexDigits(random.nextLong()) + HexFormat.of().toHexDigits(random.nextLong());
    }
}
