package io.skiplinobridge.tickets;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * At most {@code limit} requests in any window of {@code window}, counted the way the receiver sees them:
 * a request holds its slot from the moment it is allowed until {@code window} after it ended, so however
 * long it took, no window of arrival times at the receiver can hold more than {@code limit}.
 * Non-blocking: a caller without a slot leaves its work for a later cycle.
 */
final class RequestBudget {

    private final int limit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Deque<Long> releasedAt = new ArrayDeque<>();
    private int inFlight;

    RequestBudget(int limit, Duration window, LongSupplier nanoTime) {
        if (limit < 1) {
            throw new IllegalArgumentException("the budget must allow at least one request");
        }
        this.limit = limit;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Takes a slot if one is free; the caller must {@link #release()} it once the request ended. */
    synchronized boolean tryAcquire() {
        prune();
        if (releasedAt.size() + inFlight >= limit) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** The request that held a slot ended now; the slot frees one window later. */
    synchronized void release() {
        if (inFlight > 0) {
            inFlight--;
            releasedAt.addLast(nanoTime.getAsLong() + windowNanos);
        }
    }

    /** Slots free right now. */
    synchronized int available() {
        prune();
        return Math.max(0, limit - releasedAt.size() - inFlight);
    }

    int limit() {
        return limit;
    }

    private void prune() {
        long now = nanoTime.getAsLong();
        while (!releasedAt.isEmpty() && releasedAt.peekFirst() - now <= 0) {
            releasedAt.removeFirst();
        }
    }
}
