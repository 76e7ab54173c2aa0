package io.skiplinobridge.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * Group commit of {@link InboxStore#append(List)}: batches appended by concurrent threads are stored in
 * one transaction instead of one each.
 *
 * <p>Each caller queues its batch. Whoever holds the commit lock (the leader, one of the callers; there
 * is no thread of its own) takes the queued batches in arrival order, up to {@link #MAX_BATCHES} batches
 * or {@link #MAX_EVENTS} events, stores them in one transaction and hands each caller its own result once
 * it has committed; it keeps leading until its own batch is committed. A caller whose batch was taken by
 * a leader only waits for its result; when a leader lets go of the lock while batches are still queued,
 * it wakes the oldest one's caller to lead next, so a queued batch never waits for a commit that no
 * thread will make.
 *
 * <p>Nothing changes for the callers: a result still means committed, counts and duplicates are those a
 * one-by-one append in queue order would give, and the batches of one transaction are inserted in queue
 * order. When the shared transaction fails on the data (a unique or check constraint), each of its
 * batches is stored again on its own, so one sender's bad batch never fails another's; when it fails
 * because the store cannot be reached, every caller in it gets that failure (nothing of theirs stored).
 */
final class GroupCommit {

    /** Batches of one shared transaction at most. */
    static final int MAX_BATCHES = 64;
    /** Events of one shared transaction at most (a single larger batch still goes alone). */
    static final int MAX_EVENTS = 1_000;

    private final InboxStore store;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();

    GroupCommit(InboxStore store) {
        this.store = store;
    }

    AppendResult append(List<CustomerChange> changes) {
        Pending mine = new Pending(changes);
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

    /** Takes the oldest queued batches and commits them together (called with the commit lock held). */
    private void commitNext() {
        List<Pending> group = new ArrayList<>();
        int events = 0;
        for (Pending next = queue.peek(); next != null && group.size() < MAX_BATCHES
                && (group.isEmpty() || events + next.changes.size() <= MAX_EVENTS); next = queue.peek()) {
            group.add(queue.poll());
            events += next.changes.size();
        }
        try {
            List<AppendResult> results = store.appendRetried(group.stream().map(p -> p.changes).toList(), () -> { });
            for (int i = 0; i < group.size(); i++) {
                group.get(i).complete(results.get(i));
            }
        } catch (DataIntegrityViolationException e) {
            if (group.size() == 1) {
                group.get(0).fail(e);
            } else {
                for (Pending alone : group) {
                    commitAlone(alone);
                }
            }
        } catch (RuntimeException | Error e) {
            // the store failed the transaction (unreachable, timed out): none of these batches is stored,
            // each caller answers that; the leader goes on with its own batch if it was not among them
            for (Pending pending : group) {
                pending.fail(e);
            }
        }
    }

    private void commitAlone(Pending pending) {
        try {
            pending.complete(store.appendRetried(List.of(pending.changes), () -> { }).get(0));
        } catch (RuntimeException | Error e) {
            pending.fail(e);
        }
    }

    /**
     * After letting go of the lock: if batches are still queued, their callers may all be waiting for a
     * leader, so the oldest one's caller is woken to take the lock (a thread that took it meanwhile does
     * the same when it lets go, so one of them always leads).
     */
    private void wakeNextLeader() {
        Pending next = queue.peek();
        if (next != null) {
            next.yourTurn();
        }
    }

    /** One caller's batch and, once committed or failed, its outcome. */
    private static final class Pending {

        final List<CustomerChange> changes;
        private AppendResult result;
        private Throwable failure;
        private boolean done;
        private boolean turn;

        Pending(List<CustomerChange> changes) {
            this.changes = changes;
        }

        synchronized void complete(AppendResult result) {
            this.result = result;
            this.done = true;
            notifyAll();
        }

        synchronized void fail(Throwable failure) {
            this.failure = failure;
            this.done = true;
            notifyAll();
        }

        synchronized void yourTurn() {
            turn = true;
            notifyAll();
        }

        synchronized boolean isDone() {
            return done;
        }

        /** Waits until the batch is committed (or failed) or its caller is asked to lead. */
        synchronized void awaitDoneOrTurn() {
            boolean interrupted = false;
            while (!done && !turn) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // the batch may be in a transaction under way: its outcome is still to be reported
                    interrupted = true;
                }
            }
            turn = false;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized AppendResult result() {
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
