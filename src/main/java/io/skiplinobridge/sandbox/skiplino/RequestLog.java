package io.skiplinobridge.sandbox.skiplino;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * The latest {@code request-log-capacity} requests of the sandbox API, oldest overwritten first:
 * what tests read to check per-minute rates, concurrency and per-customer ordering.
 */
@Component
@ConditionalOnSandbox
class RequestLog {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(long seq, String method, String path, int status, String fault, Instant startedAt, Instant endedAt,
                 String customerExternalId, String customerId, String ticketId) {
    }

    private final AtomicReferenceArray<Entry> ring;
    private final AtomicLong next = new AtomicLong();

    RequestLog(SkiplinoSandboxProperties properties) {
        this.ring = new AtomicReferenceArray<>(Math.max(1, properties.requestLogCapacity()));
    }

    void record(String method, String path, int status, String fault, Instant startedAt, Instant endedAt,
                String customerExternalId, String customerId, String ticketId) {
        long seq = next.getAndIncrement();
        ring.set((int) (seq % ring.length()), new Entry(seq, method, path, status, fault, startedAt, endedAt,
                customerExternalId, customerId, ticketId));
    }

    /** Entries that started at or after {@code since} (all kept entries when null), by start time. */
    List<Entry> since(Instant since) {
        List<Entry> result = new ArrayList<>();
        for (int i = 0; i < ring.length(); i++) {
            Entry entry = ring.get(i);
            if (entry != null && (since == null || !entry.startedAt().isBefore(since))) {
                result.add(entry);
            }
        }
        result.sort(Comparator.comparing(Entry::startedAt).thenComparingLong(Entry::seq));
        return result;
    }

    void clear() {
        for (int i = 0; i < ring.length(); i++) {
            ring.set(i, null);
        }
    }
}
