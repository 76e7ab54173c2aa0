package io.skiplinobridge.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.skiplinobridge.skiplino.Slot;

/**
 * A service's slots of one date, reused for a short time so that a CRM screen refreshing the slot
 * picker does not spend the Skiplino request budget. Booking, cancelling or rescheduling a ticket of a
 * service forgets all of that service's dates at once, and a fetch that was already under way when that
 * happened is not stored, so this bridge never shows a place it has itself just taken or freed as stale.
 * (Places taken elsewhere show up within the TTL.)
 */
final class SlotCache {

    /** Slots as fetched, and when. */
    record Slots(List<Slot> slots, Instant fetchedAt) {
    }

    private record Key(String serviceId, LocalDate date) {
    }

    private record Entry(Slots value, Instant expiresAt) {
    }

    private final Duration ttl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();

    SlotCache(Duration ttl, int maxEntries, Clock clock) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /**
     * The cached slots of {@code serviceId} on {@code date} (null: Skiplino's today), or those
     * {@code fetch} returns now. Failures of {@code fetch} are not cached.
     */
    Slots get(String serviceId, LocalDate date, Supplier<List<Slot>> fetch) {
        Key key = new Key(serviceId, date);
        Instant now = clock.instant();
        Entry cached = entries.get(key);
        if (cached != null && now.isBefore(cached.expiresAt())) {
            return cached.value();
        }
        long generation = generation(serviceId).get();
        Slots fresh = new Slots(List.copyOf(fetch.get()), now);
        if (!ttl.isZero() && generation(serviceId).get() == generation) {
            makeRoom(now);
            entries.put(key, new Entry(fresh, now.plus(ttl)));
            if (generation(serviceId).get() != generation) {
                entries.remove(key);
            }
        }
        return fresh;
    }

    /** Forgets every date of {@code serviceId}, and any fetch of it still under way. */
    void invalidate(String serviceId) {
        if (serviceId == null) {
            return;
        }
        generation(serviceId).incrementAndGet();
        entries.keySet().removeIf(key -> key.serviceId().equals(serviceId));
    }

    /** Forgets everything, and every fetch still under way. */
    void clear() {
        generations.values().forEach(AtomicLong::incrementAndGet);
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private AtomicLong generation(String serviceId) {
        return generations.computeIfAbsent(serviceId, id -> new AtomicLong());
    }

    private void makeRoom(Instant now) {
        if (entries.size() < maxEntries) {
            return;
        }
        entries.values().removeIf(entry -> !now.isBefore(entry.expiresAt()));
        while (entries.size() >= maxEntries) {
            Optional<Map.Entry<Key, Entry>> oldest = entries.entrySet().stream()
                    .min(Comparator.comparing(e -> e.getValue().expiresAt()));
            if (oldest.isEmpty()) {
                return;
            }
            entries.remove(oldest.get().getKey());
        }
    }
}
