package io.skiplinobridge.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RequestBudgetTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RequestBudget budget = new RequestBudget(3, Duration.ofSeconds(60), now::get);

    @Test
    void allowsTheLimitThenNothingUntilAWindowAfterTheRequestsEnded() {
        for (int i = 0; i < 3; i++) {
            assertThat(budget.tryAcquire()).isTrue();
        }
        assertThat(budget.tryAcquire()).isFalse();

        now.addAndGet(Duration.ofSeconds(5).toNanos());
        budget.release();
        budget.release();
        budget.release();
        assertThat(budget.available()).isZero();

        now.addAndGet(Duration.ofSeconds(60).toNanos() - 1);
        assertThat(budget.tryAcquire()).as("59.99 s after the requests ended").isFalse();
        now.addAndGet(1);
        assertThat(budget.available()).isEqualTo(3);
    }

    @Test
    void aRequestStillInFlightKeepsItsSlotHoweverLongItTakes() {
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        assertThat(budget.tryAcquire()).isTrue();
        now.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(budget.tryAcquire()).isFalse();

        budget.release();
        assertThat(budget.available()).isZero();
        now.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(budget.available()).isEqualTo(1);
    }
}
