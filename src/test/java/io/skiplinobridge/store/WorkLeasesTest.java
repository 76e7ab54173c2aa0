package io.skiplinobridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.skiplinobridge.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

class WorkLeasesTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final RecordingTable table = new RecordingTable();
    final WorkLeases leases = new WorkLeases("test", "me", Duration.ofSeconds(30), clock, table);

    @Test
    void renewsEveryHeldRowInKeyOrderUntilItIsReleased() {
        leases.claim(() -> List.of("c", "a", "b"));
        clock.advance(Duration.ofSeconds(10));

        leases.renew();
        assertThat(table.extended).containsExactly("me [a, b, c] until " + T0.plusSeconds(40));

        leases.released("b");
        leases.renew();
        assertThat(table.extended).last().isEqualTo("me [a, c] until " + T0.plusSeconds(40));
        assertThat(leases.held()).isEqualTo(2);
    }

    @Test
    void aRowClaimedAgainBeforeItsFirstReleaseStaysHeld() {
        leases.claim(() -> List.of("a"));
        leases.claim(() -> List.of("a"));
        leases.released("a");

        assertThat(leases.held()).isEqualTo(1);
        leases.renew();
        assertThat(table.extended).containsExactly("me [a] until " + T0.plusSeconds(30));
    }

    @Test
    void closeReleasesWhatNoWorkerRunsAndRefusesEverythingAfter() {
        leases.claim(() -> List.of("a", "b", "c"));
        assertThat(leases.begin("b")).isTrue();
        assertThat(leases.begin("c")).isTrue();
        leases.finished("c");

        WorkLeases.ShutdownReport report = leases.close();

        assertThat(table.released).containsExactly("me [a, c]");
        assertThat(report.stillRunning()).containsExactly("b");
        assertThat(leases.begin("a")).isFalse();
        List<String> ran = new ArrayList<>();
        assertThat(leases.claim(() -> {
            ran.add("claim");
            return List.of("d");
        })).isEmpty();
        assertThat(ran).as("no claim transaction runs once closed").isEmpty();
        assertThat(leases.renew()).isZero();
    }

    @Test
    void workersStartAndFinishRowsWhileAClaimTransactionRuns() throws Exception {
        leases.claim(() -> List.of("a"));
        CountDownLatch claimRunning = new CountDownLatch(1);
        CountDownLatch workerDone = new CountDownLatch(1);
        CompletableFuture<List<String>> claim = CompletableFuture.supplyAsync(() -> leases.claim(() -> {
            claimRunning.countDown();
            try {
                // the claim's transaction holds on until the worker got through
                assertThat(workerDone.await(10, TimeUnit.SECONDS)).as("worker blocked by the claim").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of("b");
        }));
        assertThat(claimRunning.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(leases.begin("a")).isTrue();
        leases.finished("a");
        leases.released("a");
        workerDone.countDown();

        assertThat(claim.get(10, TimeUnit.SECONDS)).containsExactly("b");
        assertThat(leases.held()).isEqualTo(1);
    }

    @Test
    void closeWaitsForAClaimUnderWayAndReleasesWhatItClaimed() throws Exception {
        CountDownLatch claimRunning = new CountDownLatch(1);
        CountDownLatch finishClaim = new CountDownLatch(1);
        CompletableFuture<List<String>> claim = CompletableFuture.supplyAsync(() -> leases.claim(() -> {
            claimRunning.countDown();
            try {
                finishClaim.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of("a", "b");
        }));
        assertThat(claimRunning.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<WorkLeases.ShutdownReport> close = CompletableFuture.supplyAsync(leases::close);
        finishClaim.countDown();

        assertThat(claim.get(10, TimeUnit.SECONDS)).containsExactly("a", "b");
        close.get(10, TimeUnit.SECONDS);
        assertThat(table.released).as("the committed claim's rows are handed back").containsExactly("me [a, b]");
    }

    @Test
    void aWorkerBeginsOnlyOnARowItsInstanceHolds() {
        assertThat(leases.begin("never-claimed")).isFalse();
    }

    static final class RecordingTable implements WorkLeases.LeaseTable {
        final List<String> extended = new ArrayList<>();
        final List<String> released = new ArrayList<>();

        @Override
        public int extend(String owner, List<String> keys, Instant until) {
            extended.add(owner + " " + keys + " until " + until);
            return keys.size();
        }

        @Override
        public int release(String owner, List<String> keys, Instant now) {
            released.add(owner + " " + keys);
            return keys.size();
        }
    }
}
