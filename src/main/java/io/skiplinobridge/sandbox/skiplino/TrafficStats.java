package io.skiplinobridge.sandbox.skiplino;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.skiplinobridge.config.ConditionalOnSandbox;

import org.springframework.stereotype.Component;

/**
 * Request counts of the sandbox API by method, endpoint template and status (0 for a connection
 * reset, which has no status), plus the current and highest number of requests in flight.
 */
@Component
@ConditionalOnSandbox
class TrafficStats {

    record Row(String method, String path, int status, long count) {
    }

    private record Key(String method, String path, int status) {
    }

    private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    void started() {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
    }

    void finished(String method, String path, int status) {
        inFlight.decrementAndGet();
        counts.computeIfAbsent(new Key(method, path, status), k -> new LongAdder()).increment();
    }

    List<Row> rows() {
        return counts.entrySet().stream()
                .map(e -> new Row(e.getKey().method(), e.getKey().path(), e.getKey().status(), e.getValue().sum()))
                .sorted(Comparator.comparing(Row::path).thenComparing(Row::method).thenComparingInt(Row::status))
                .toList();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    /** Clears the counts and restarts the high-water mark from the requests in flight right now. */
    void clear() {
        counts.clear();
        maxInFlight.set(inFlight.get());
    }
}
