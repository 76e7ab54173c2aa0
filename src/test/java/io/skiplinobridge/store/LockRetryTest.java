package io.skiplinobridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.CannotSerializeTransactionException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DeadlockLoserDataAccessException;

class LockRetryTest {

    @Test
    void runsATransactionAgainAfterADeadlockOrSerializationFailure() {
        AtomicInteger runs = new AtomicInteger();
        String result = LockRetry.run("test", () -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new DeadlockLoserDataAccessException("deadlock detected", null);
            }
            if (run == 2) {
                throw new CannotSerializeTransactionException("could not serialize access");
            }
            return "committed";
        });
        assertThat(result).isEqualTo("committed");
        assertThat(runs).hasValue(3);
    }

    @Test
    void givesUpAfterItsAttempts() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> LockRetry.run("test", () -> {
            runs.incrementAndGet();
            throw new CannotAcquireLockException("lock timeout");
        })).isInstanceOf(CannotAcquireLockException.class);
        assertThat(runs).hasValue(LockRetry.ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> LockRetry.run("test", () -> {
            runs.incrementAndGet();
            throw new DataIntegrityViolationException("not null");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(runs).hasValue(1);
    }
}
