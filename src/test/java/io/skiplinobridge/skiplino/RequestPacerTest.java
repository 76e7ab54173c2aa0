package io.skiplinobridge.skiplino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.skiplino.RequestPacer.Grant;
import org.junit.jupiter.api.Test;

/** The pacing rules on a hand-driven clock; every acquire has a deadline of "now", so nothing waits. */
class RequestPacerTest {

    private long now = TimeUnit.HOURS.toNanos(1);
    private final RequestPacer pacer = new RequestPacer(4, 1, Duration.ofSeconds(10), () -> now);

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
