package io.skiplinobridge.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases one instance holds on rows of one work table (customers of the sync, outbox rows, ...),
 * kept alive while the work waits or runs and handed back on shutdown.
 *
 * <p>The pattern every claimer follows:
 * <ol>
 *   <li>{@link #claim(Supplier)} wraps the claim transaction (a {@code SELECT … FOR UPDATE SKIP LOCKED}
 *       that writes {@code lease_owner}/{@code lease_until}); nothing is claimed once the instance is
 *       shutting down;</li>
 *   <li>a worker calls {@link #begin(String)} before it touches the row's work (false: do nothing) and
 *       {@link #finished(String)} after; the claimer calls {@link #released(String)} when the row has left
 *       the workers;</li>
 *   <li>{@link WorkLeaseKeeper} calls {@link #renew()} every third of the lease, so a long wait in the
 *       queue or a slow call never lets the lease run out while this instance is alive, and
 *       {@link #close()} after the routes stopped: rows claimed but never begun are released at once
 *       (another instance claims them immediately); rows whose work is still running keep their lease
 *       until it expires, so no other instance can start them while a call may still be under way.</li>
 * </ol>
 * The table-specific SQL is the {@link LeaseTable}; its statements must check {@code lease_owner}, so a
 * row taken over by another instance after an expiry is never touched.
 */
public final class WorkLeases {

    private static final Logger log = LoggerFactory.getLogger(WorkLeases.class);

    private final String name;
    private final String owner;
    private final Duration lease;
    private final Clock clock;
    private final LeaseTable table;
    private final Map<String, Integer> held = new HashMap<>();
    private final Map<String, Integer> working = new HashMap<>();
    /** Held across a claim's transaction; taken before this object's monitor, never after it. */
    private final Object claimLock = new Object();
    private boolean closed;

    /**
     * @param name  what the rows are, for logs (e.g. {@code customer-sync})
     * @param owner this instance's id, as written in {@code lease_owner}
     * @param lease how long a claim or a renewal reserves a row
     */
    public WorkLeases(String name, String owner, Duration lease, Clock clock, LeaseTable table) {
        this.name = name;
        this.owner = owner;
        this.lease = lease;
        this.clock = clock;
        this.table = table;
    }

    /**
     * Runs the claim (its own transaction, committed when it returns) unless the instance is shutting
     * down, and remembers what it claimed. Claims hold their own lock across the transaction, and
     * {@link #close()} takes it too, so it sees every committed claim; workers starting and finishing
     * rows meanwhile only wait for the bookkeeping, not for the claim's transaction.
     */
    public List<String> claim(Supplier<List<String>> claimTransaction) {
        synchronized (claimLock) {
            if (isClosed()) {
                return List.of();
            }
            List<String> claimed = claimTransaction.get();
            synchronized (this) {
                claimed.forEach(key -> held.merge(key, 1, Integer::sum));
            }
            return claimed;
        }
    }

    /** The lease each claim or renewal writes, from now. */
    public Instant leaseUntil() {
        return clock.instant().plus(lease);
    }

    /** A worker starts on a claimed row: false (do nothing) once shutdown released the row. */
    public synchronized boolean begin(String key) {
        if (closed || !held.containsKey(key)) {
            return false;
        }
        working.merge(key, 1, Integer::sum);
        return true;
    }

    /** The worker that {@link #begin began} on the row is done with it. */
    public synchronized void finished(String key) {
        working.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** The row left the workers (done, failed or never started): its lease is no longer renewed. */
    public synchronized void released(String key) {
        held.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Rows claimed and not yet released. */
    public synchronized int held() {
        return held.values().stream().mapToInt(Integer::intValue).sum();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public Duration lease() {
        return lease;
    }

    public String name() {
        return name;
    }

    /** Extends the lease of every held row this instance still owns; returns how many were extended. */
    public int renew() {
        List<String> keys;
        synchronized (this) {
            if (closed || held.isEmpty()) {
                return 0;
            }
            keys = new ArrayList<>(new TreeSet<>(held.keySet()));
        }
        // key order: concurrent writers that lock several rows do so in key order too, so no deadlock
        return table.extend(owner, keys, leaseUntil());
    }

    /**
     * Stops claiming and beginning for good, and releases the held rows no worker is running; returns
     * what it did. Called once the routes are stopped.
     */
    public ShutdownReport close() {
        List<String> idle = new ArrayList<>();
        List<String> running;
        synchronized (claimLock) {
            synchronized (this) {
                closed = true;
                held.keySet().stream().filter(key -> !working.containsKey(key)).sorted().forEach(idle::add);
                running = working.keySet().stream().sorted().toList();
            }
        }
        int released = idle.isEmpty() ? 0 : table.release(owner, idle, clock.instant());
        if (released > 0 || !running.isEmpty()) {
            log.info("{}: released {} claimed row(s) for other instances; {} still running keep their lease "
                    + "(at most {})", name, released, running.size(), lease);
        }
        return new ShutdownReport(released, running);
    }

    /** What {@link #close()} did. */
    public record ShutdownReport(int released, List<String> stillRunning) {
    }

    /** The lease SQL of one work table. Both statements run in their own transaction. */
    public interface LeaseTable {

        /** Sets {@code lease_until} of the listed rows still owned by {@code owner}; returns rows changed. */
        int extend(String owner, List<String> keys, Instant until);

        /** Clears the lease of the listed rows still owned by {@code owner}, leaving their work due. */
        int release(String owner, List<String> keys, Instant now);
    }
}
