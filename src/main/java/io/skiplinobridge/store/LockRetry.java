package io.skiplinobridge.store;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Runs a whole transaction again when the database chose it as a deadlock victim or failed it on a
 * serialization conflict or lock timeout (PostgreSQL 40P01 / 40001 / 55P03, H2's lock timeout): such a
 * transaction was rolled back entirely, so running it again is safe. Writers lock rows in key order,
 * which makes these rare; this is the net under that rule.
 */
public final class LockRetry {

    static final int ATTEMPTS = 4;
    private static final Logger log = LoggerFactory.getLogger(LockRetry.class);

    private LockRetry() {
    }

    /** {@code transaction} must open and commit its own transaction (e.g. a {@code TransactionTemplate} call). */
    public static <T> T run(String what, Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                log.info("{}: lock conflict ({}), running the transaction again (attempt {} of {})", what,
                        e.getClass().getSimpleName(), attempt + 1, ATTEMPTS);
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            // short, jittered: the other transaction only needs to commit
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt + 6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry " + e.getMessage(), e);
        }
    }
}
