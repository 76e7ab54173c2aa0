package io.skiplinobridge.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToIntFunction;

/**
 * Group commit: work items submitted by concurrent threads are stored in one transaction instead of one
 * each. Used by {@link InboxStore#append(List)} (webhook batches) and by the customer sync's outcomes
 * ({@link CustomerSyncProcessor}).
 *
 * <p>Each caller queues its item. Whoever holds the commit lock (the leader, one of the callers; there
 * is no thread of its own) takes the queued items in arrival order, up to {@code maxItems} items or
 * {@code maxWeight} (a single heavier item still goes alone), hands them to the {@link Committer}, which
 * stores them in one transaction and completes or fails each, and hands each caller its own result; it
 * keeps leading until its own item is done. A caller whose item was taken by a leader only waits for its
 * result; when a leader lets go of the lock while items are still queued, it wakes the oldest one's
 * caller to lead next, so a queued item never waits for a commit that no thread will make. A caller that
 * finds nobody committing commits at once, so a lone caller is not slowed down.
 *
 * <p>Optionally a leader lingers: when other items besides the first are already queued (callers are
 * arriving together), it waits up to {@code linger} for the queue to reach {@code lingerItems} before it
 * takes them. Fewer, larger transactions cost less CPU per item (H2 writes every changed page of every
 * commit to its file); a lone item never waits.
 *
 * @param <T> what a caller submits
 * @param <R> what it gets back once its item is committed
 */
final class GroupCommit<T, R> {

    /**
     * Stores the items of one shared transaction and then completes each entry with its result, or fails
     * it with what its caller should throw. An exception thrown out of {@link #commit} fails every entry
     * not yet completed.
     */
    @FunctionalInterface
    interface Committer<T, R> {
        void commit(List<Entry<T, R>> group);
    }

    /** How often a lingering leader looks at the queue again. */
    private static final long LINGER_CHECK_NANOS = 500_000;

    private final int maxItems;
    private final ToIntFunction<T> weight;
    private final int maxWeight;
    private final Committer<T, R> committer;
    private final ConcurrentLinkedQueue<Entry<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final long lingerNanos;
    private final int lingerItems;

    GroupCommit(int maxItems, ToIntFunction<T> weight, int maxWeight, Committer<T, R> committer) {
        this(maxItems, weight, maxWeight, Duration.ZERO, 0, committer);
    }

    GroupCommit(int maxItems, ToIntFunction<T> weight, int maxWeight, Duration linger, int lingerItems,
                Committer<T, R> committer) {
        this.maxItems = maxItems;
        this.weight = weight;
        this.maxWeight = maxWeight;
        this.lingerNanos = linger.toNanos();
        this.lingerItems = Math.min(lingerItems, maxItems);
        this.committer = committer;
    }

    /** Queues the item and returns its result once the transaction holding it has committed. */
    R submit(T item) {
        Entry<T, R> mine = new Entry<>(item);
        queue.add(mine);
        while (true) {
            if (commitLock.tryLock()) {
                try {
                    while (!mine.isDone()) {
                        commitNext();
                    }
                } finally {
                    commitLock.unlock();
                    wakeNextLeader();
                }
            } else {
                mine.awaitDoneOrTurn();
            }
            if (mine.isDone()) {
                return mine.result();
            }
        }
    }

    /** Items waiting for a commit to take them (for tests: O(n)). */
    int queued() {
        return queue.size();
    }

    /** Takes the oldest queued items and commits them together (called with the commit lock held). */
    private void commitNext() {
        if (lingerNanos > 0) {
            lingerForMore();
        }
        List<Entry<T, R>> group = new ArrayList<>();
        int total = 0;
        for (Entry<T, R> next = queue.peek(); next != null && group.size() < maxItems
                && (group.isEmpty() || total + weight.applyAsInt(next.item) <= maxWeight); next = queue.peek()) {
            group.add(queue.poll());
            total += weight.applyAsInt(next.item);
        }
        try {
            committer.commit(group);
        } catch (RuntimeException | Error e) {
            for (Entry<T, R> entry : group) {
                entry.fail(e);
            }
        }
        for (Entry<T, R> entry : group) {
            entry.fail(new IllegalStateException("the group commit left an item without a result"));
        }
    }

    /** Waits (at most the linger) for more items while several are queued but fewer than lingerItems. */
    private void lingerForMore() {
        long deadline = System.nanoTime() + lingerNanos;
        // size() walks the queue, which holds at most the callers waiting (a few dozen)
        for (int n = queue.size(); n > 1 && n < lingerItems; n = queue.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(left, LINGER_CHECK_NANOS));
        }
    }

    /**
     * After letting go of the lock: if items are still queued, their callers may all be waiting for a
     * leader, so the oldest one's caller is woken to take the lock (a thread that took it meanwhile does
     * the same when it lets go, so one of them always leads).
     */
    private void wakeNextLeader() {
        Entry<T, R> next = queue.peek();
        if (next != null) {
            next.yourTurn();
        }
    }

    /** One caller's item and, once committed or failed, its outcome. The first completion counts. */
    static final class Entry<T, R> {

        final T item;
        private R result;
        private Throwable failure;
        private boolean done;
        private boolean turn;

        Entry(T item) {
            this.item = item;
        }

        synchronized void complete(R result) {
            if (!done) {
                this.result = result;
                this.done = true;
                notifyAll();
            }
        }

        synchronized void fail(Throwable failure) {
            if (!done) {
                this.failure = failure;
                this.done = true;
                notifyAll();
            }
        }

        synchronized void yourTurn() {
            turn = true;
            notifyAll();
        }

        synchronized boolean isDone() {
            return done;
        }

        /** Waits until the item is committed (or failed) or its caller is asked to lead. */
        synchronized void awaitDoneOrTurn() {
            boolean interrupted = false;
            while (!done && !turn) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // the item may be in a transaction under way: its outcome is still to be reported
                    interrupted = true;
                }
            }
            turn = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized R result() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
