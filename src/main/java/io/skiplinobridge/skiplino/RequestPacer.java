package io.skiplinobridge.skiplino;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Paces request starts so that no one-second window ever holds more than the permitted rate, and
 * pauses every caller after a 429 (DESIGN rule 6).
 *
 * <p>Permits are handed out on a schedule spaced by {@code 1 / rate} (a burst-free GCRA): each caller
 * reserves the next free slot and waits for it alone, so no one-second window of the schedule holds
 * more than the rate. A caller woken late (a busy machine) takes its slot late, but the schedule does not
 * move: the slots after it stay where they were. Restarting the spacing at every late wake-up (as an
 * earlier version did, sleeping with {@code Thread.sleep}, which Java 17 rounds up to whole milliseconds)
 * sustained only 365 of 390 permitted requests a second on a two-core machine. resilience4j's
 * {@code RateLimiter} was not used here: it refills whole batches per fixed cycle, so requests at the
 * end of one cycle and the start of the next can reach twice the configured rate within a second.
 *
 * <p>After a 429 the rate is halved (once per round of requests that were sent at the old rate, down
 * to a floor) and then raised again by a tenth of the configured rate per recovery interval without a
 * new 429, counted from the end of the pause, so the bridge settles under Skiplino's real limit. A pause
 * that begins while a caller waits for its slot cancels the slot: the caller waits for the pause to end.
 */
final class RequestPacer {

    private static final double RECOVERY_STEP = 0.1;

    /** Whether a permit was granted, and if not, what held it back. */
    enum Grant { GRANTED, PAUSED, BUSY }

    /** Waits for about the given time; may return early (the caller checks its clock again). */
    @FunctionalInterface
    interface Sleeper {
        /** Parks the thread, to the nanosecond as far as the system allows. */
        Sleeper PARK = nanos -> {
            LockSupport.parkNanos(nanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        };

        void sleep(long nanos) throws InterruptedException;
    }

    private final double configuredRate;
    private final double floorRate;
    private final long recoveryIntervalNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private final AtomicInteger waiting = new AtomicInteger();

    private double rate;
    private long nextPermitAt;
    private long pausedUntil;
    private long lastReductionAt;
    private long recoveryCountedFrom;

    RequestPacer(double requestsPerSecond, double minRequestsPerSecond, Duration recoveryInterval,
            LongSupplier nanoTime, Sleeper sleeper) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requests per second must be positive: " + requestsPerSecond);
        }
        this.configuredRate = requestsPerSecond;
        this.floorRate = Math.min(Math.max(minRequestsPerSecond, Double.MIN_NORMAL), requestsPerSecond);
        this.recoveryIntervalNanos = Math.max(1, recoveryInterval.toNanos());
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.rate = requestsPerSecond;
        long now = nanoTime.getAsLong();
        this.nextPermitAt = now;
        this.pausedUntil = now;
        this.lastReductionAt = now - 1;
        this.recoveryCountedFrom = now;
    }

    /** Waits for a permit, but never past {@code deadline} (a {@link System#nanoTime()} value). */
    Grant acquire(long deadline) throws InterruptedException {
        waiting.incrementAndGet();
        try {
            boolean reserved = false;
            long slot = 0;
            while (true) {
                long wait;
                synchronized (this) {
                    long now = nanoTime.getAsLong();
                    recover(now);
                    if (pausedUntil - now > 0) {
                        reserved = false;
                        if (pausedUntil - deadline > 0) {
                            return Grant.PAUSED;
                        }
                        wait = pausedUntil - now;
                    } else if (reserved) {
                        wait = slot - now;
                    } else {
                        slot = nextPermitAt - now > 0 ? nextPermitAt : now;
                        if (slot - deadline > 0) {
                            return Grant.BUSY;
                        }
                        nextPermitAt = slot + intervalNanos();
                        reserved = true;
                        wait = slot - now;
                    }
                    if (reserved && wait <= 0) {
                        return Grant.GRANTED;
                    }
                }
                sleeper.sleep(wait);
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Skiplino answered 429 to a request sent at {@code sentAt}: everyone pauses for {@code pause}, and
     * the rate is halved unless it already was after that request was sent.
     *
     * @return whether the rate was lowered
     */
    synchronized boolean onRateLimited(long sentAt, Duration pause) {
        long now = nanoTime.getAsLong();
        long until = now + pause.toNanos();
        if (until - pausedUntil > 0) {
            pausedUntil = until;
        }
        recoveryCountedFrom = pausedUntil;
        if (sentAt - lastReductionAt > 0) {
            rate = Math.max(floorRate, rate / 2);
            lastReductionAt = now;
            return true;
        }
        return false;
    }

    synchronized double currentRate() {
        recover(nanoTime.getAsLong());
        return rate;
    }

    double configuredRate() {
        return configuredRate;
    }

    /** The pause left after a 429, zero when none. */
    synchronized Duration pauseRemaining() {
        long left = pausedUntil - nanoTime.getAsLong();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    int waitingCallers() {
        return waiting.get();
    }

    private long intervalNanos() {
        return (long) Math.ceil(TimeUnit.SECONDS.toNanos(1) / rate);
    }

    private void recover(long now) {
        if (rate >= configuredRate || now - recoveryCountedFrom < recoveryIntervalNanos) {
            return;
        }
        long steps = (now - recoveryCountedFrom) / recoveryIntervalNanos;
        rate = Math.min(configuredRate, rate + steps * RECOVERY_STEP * configuredRate);
        recoveryCountedFrom += steps * recoveryIntervalNanos;
    }
}
