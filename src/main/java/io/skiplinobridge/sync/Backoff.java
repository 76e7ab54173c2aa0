package io.skiplinobridge.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter (a uniformly random wait up to the exponential bound), so a
 * crowd of customers that failed together does not come back together. A server's {@code Retry-After}
 * is a floor. Used by customer sync and the ticket outbox.
 */
public final class Backoff {

    private final Duration base;
    private final Duration max;

    public Backoff(Duration base, Duration max) {
        this.base = base;
        this.max = max;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public Duration next(int attempt, Duration retryAfter) {
        int exponent = Math.min(Math.max(attempt - 1, 0), 30);
        long boundMillis = max.toMillis();
        if (base.toMillis() <= (max.toMillis() >> exponent)) {
            boundMillis = base.toMillis() << exponent;
        }
        Duration jittered = Duration.ofMillis(ThreadLocalRandom.current().nextLong(boundMillis + 1));
        return retryAfter != null && retryAfter.compareTo(jittered) > 0 ? retryAfter : jittered;
    }
}
