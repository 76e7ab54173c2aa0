package io.skiplinobridge.skiplino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.skiplino.RequestPacer.Grant;
import org.junit.jupiter.api.Test;

/**
 * The pacing rules on a hand-driven clock. Most acquires have a deadline of "now", so nothing waits; those
 * that wait move the clock through the sleeper, which may wake them late or let something happen meanwhile.
 */
class RequestPacerTest {

    private long now = TimeUnit.HOURS.toNanos(1);
    private RequestPacer.Sleeper sleeper = nanos -> now += nanos;
    private final RequestPacer pacer = new RequestPacer(4, 1, Duration.ofSeconds(10), () -> now,
            nanos -> sleeper.sleep(nanos));

    private Grant tryNow() throws InterruptedException {
        return pacer.acquire(now);
    }

    private void advance(Duration by) {
        now += by.toNanos();
    }

    @Test
    void spacesPermitsByOneOverTheRate() throws InterruptedException {
        assertThat(tryNow()).isEqualTo(Grant.GRANTED);
        assertThat(tryNow()).isEqualTo(Grant.BUSY);

        advance(Duration.ofMillis(249));
        assertThat(tryNow()).isEqualTo(Grant.BUSY);
        advance(Duration.ofMillis(1));
        assertThat(tryNow()).isEqualTo(Grant.GRANTED);
    }

    @Test
    void neverGrantsMoreThanTheRateInAnyOneSecondEvenAfterIdling() throws InterruptedException {
        advance(Duration.ofMinutes(5));
        int granted = 0;
        for (int millis = 0; millis < 1000; millis++) {
            if (tryNow() == Grant.GRANTED) {
                granted++;
            }
            advance(Duration.ofMillis(1));
        }
        assertThat(granted).isEqualTo(4);
    }

    @Test
    void callersWokenLateDoNotShiftTheSlotsOfThoseAfterThem() throws InterruptedException {
        long start = now;
        sleeper = nanos -> now += nanos + Duration.ofMillis(100).toNanos();
        List<Long> grantedAtMillis = new ArrayList<>();

        for (int i = 0; i < 9; i++) {
            assertThat(pacer.acquire(now + Duration.ofSeconds(10).toNanos())).isEqualTo(Grant.GRANTED);
            grantedAtMillis.add(Duration.ofNanos(now - start).toMillis());
        }

        // slots every 250 ms, each taken 100 ms late: nine permits in 2.1 s, not in 2.8 s
        assertThat(grantedAtMillis).containsExactly(0L, 350L, 600L, 850L, 1100L, 1350L, 1600L, 1850L, 2100L);
    }

    @Test
    void aPauseThatBeginsWhileACallerWaitsForItsSlotHoldsThatCallerToo() throws InterruptedException {
        long start = now;
        assertThat(tryNow()).isEqualTo(Grant.GRANTED);
        sleeper = nanos -> {
            if (pacer.pauseRemaining().isZero() && now == start) {
                // another caller's request, sent at the start, is answered 429 while this one sleeps
                pacer.onRateLimited(start, Duration.ofSeconds(2));
            }
            now += nanos;
        };

        assertThat(pacer.acquire(now + Duration.ofSeconds(1).toNanos())).as("the pause outlasts the deadline")
                .isEqualTo(Grant.PAUSED);
        assertThat(pacer.acquire(now + Duration.ofSeconds(10).toNanos())).isEqualTo(Grant.GRANTED);
        assertThat(Duration.ofNanos(now - start)).as("not in the slot it had reserved before the pause")
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRateLimitPausesEveryoneAndHalvesTheRate() throws InterruptedException {
        long sentAt = now;
        advance(Duration.ofMillis(10));

        assertThat(pacer.onRateLimited(sentAt, Duration.ofSeconds(2))).isTrue();

        assertThat(pacer.currentRate()).isEqualTo(2);
        assertThat(pacer.pauseRemaining()).isEqualTo(Duration.ofSeconds(2));
        assertThat(tryNow()).isEqualTo(Grant.PAUSED);
        advance(Duration.ofMillis(1999));
        assertThat(tryNow()).isEqualTo(Grant.PAUSED);
        advance(Duration.ofMillis(1));
        assertThat(tryNow()).isEqualTo(Grant.GRANTED);
        // the lowered rate now spaces permits by half a second
        advance(Duration.ofMillis(499));
        assertThat(tryNow()).isEqualTo(Grant.BUSY);
        advance(Duration.ofMillis(1));
        assertThat(tryNow()).isEqualTo(Grant.GRANTED);
    }

    @Test
    void answersToRequestsSentBeforeTheLastReductionDoNotLowerTheRateAgain() {
        long sentTogether = now;
        advance(Duration.ofMillis(10));

        assertThat(pacer.onRateLimited(sentTogether, Duration.ofSeconds(1))).isTrue();
        assertThat(pacer.onRateLimited(sentTogether, Duration.ofSeconds(3))).isFalse();

        assertThat(pacer.currentRate()).isEqualTo(2);
        assertThat(pacer.pauseRemaining()).as("the longest pause asked for wins").isEqualTo(Duration.ofSeconds(3));

        advance(Duration.ofSeconds(4));
        long sentLater = now;
        advance(Duration.ofMillis(10));
        assertThat(pacer.onRateLimited(sentLater, Duration.ZERO)).isTrue();
        assertThat(pacer.currentRate()).isEqualTo(1);
    }

    @Test
    void neverGoesBelowTheFloor() {
        for (int round = 0; round < 5; round++) {
            long sentAt = now;
            advance(Duration.ofMillis(10));
            pacer.onRateLimited(sentAt, Duration.ZERO);
        }

        assertThat(pacer.currentRate()).isEqualTo(1);
    }

    @Test
    void recoversATenthOfTheRatePerQuietIntervalAfterThePause() {
        long sentAt = now;
        advance(Duration.ofMillis(10));
        pacer.onRateLimited(sentAt, Duration.ofSeconds(5));

        advance(Duration.ofSeconds(14));
        assertThat(pacer.currentRate()).as("the interval counts from the end of the pause").isEqualTo(2);
        advance(Duration.ofSeconds(1));
        assertThat(pacer.currentRate()).isCloseTo(2.4, within(1e-9));
        advance(Duration.ofMinutes(10));
        assertThat(pacer.currentRate()).isEqualTo(4);
    }
}
