package io.skiplinobridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The group commit's hand-over between callers, without a database: who commits what, and who gets which result. */
class GroupCommitTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(9);
    private final List<List<Integer>> commits = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstCommitStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCommit = new CountDownLatch(1);

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    @Test
    void itemsQueuedBehindACommitShareTheNextOneAndEachCallerGetsItsOwnResult() throws Exception {
        GroupCommit<Integer, String> group = new GroupCommit<>(64, item -> 1, 64, holdingTheCommitOf(0, item -> "stored " + item));

        Future<String> first = callers.submit(() -> group.submit(0));
        assertThat(firstCommitStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            int item = i;
            queued.add(callers.submit(() -> group.submit(item)));
        }
        awaitQueued(group, 8);
        releaseFirstCommit.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("stored 0");
        for (int i = 1; i <= 8; i++) {
            assertThat(queued.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo("stored " + i);
        }
        assertThat(commits.get(0)).containsExactly(0);
        assertThat(commits).as("the eight that queued meanwhile went in one commit")
                .hasSize(2).last().asList().containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aFailedItemFailsOnlyItsOwnCallerAndAFailedCommitFailsEveryoneInIt() {
        GroupCommit<Integer, String> group = new GroupCommit<>(64, item -> 1, 64, entries -> {
            for (GroupCommit.Entry<Integer, String> entry : entries) {
                if (entry.item < 0) {
                    throw new IllegalStateException("store unreachable");
                }
                if (entry.item % 2 == 1) {
                    entry.fail(new IllegalArgumentException("odd " + entry.item));
                } else {
                    entry.complete("stored " + entry.item);
                }
            }
        });

        assertThat(group.submit(2)).isEqualTo("stored 2");
        assertThatThrownBy(() -> group.submit(3)).isInstanceOf(IllegalArgumentException.class).hasMessage("odd 3");
        assertThatThrownBy(() -> group.submit(-1)).isInstanceOf(IllegalStateException.class).hasMessage("store unreachable");
    }

    @Test
    void aCommitterThatForgetsAnItemFailsItInsteadOfLeavingItsCallerWaiting() {
        GroupCommit<Integer, String> group = new GroupCommit<>(64, item -> 1, 64, entries -> { });

        assertThatThrownBy(() -> group.submit(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a result");
    }

    @Test
    void theNextCommitTakesNoMoreThanItsLimits() throws Exception {
        GroupCommit<Integer, String> group = new GroupCommit<>(3, item -> item, 100, holdingTheCommitOf(1, item -> "ok"));
        Future<String> first = callers.submit(() -> group.submit(1));
        assertThat(firstCommitStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<String>> queued = new ArrayList<>();
        for (int item : new int[] {10, 20, 30, 40, 90}) {
            queued.add(callers.submit(() -> group.submit(item)));
            awaitQueued(group, queued.size());
        }
        releaseFirstCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (Future<String> f : queued) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }

        assertThat(commits).hasSize(4);
        assertThat(commits.subList(1, 4)).as("three items at most, and a weight of 100 at most")
                .containsExactly(List.of(10, 20, 30), List.of(40), List.of(90));
    }

    @Test
    void aLingeringLeaderWaitsForMoreWhenSeveralArriveTogether() throws Exception {
        // a linger far longer than the test: the third item, not the clock, ends the wait
        GroupCommit<Integer, String> group = new GroupCommit<>(64, item -> 1, 64, Duration.ofHours(1), 3,
                holdingTheCommitOf(0, item -> "ok"));
        Future<String> first = callers.submit(() -> group.submit(0));
        assertThat(firstCommitStarted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<String> second = callers.submit(() -> group.submit(1));
        awaitQueued(group, 1);
        Future<String> third = callers.submit(() -> group.submit(2));
        awaitQueued(group, 2);
        releaseFirstCommit.countDown();
        first.get(10, TimeUnit.SECONDS);
        // the next leader found two queued, fewer than three: it waits for a third instead of committing
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(5)).until(() -> commits.size() == 1);

        Future<String> fourth = callers.submit(() -> group.submit(3));

        for (Future<String> f : List.of(second, third, fourth)) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }
        assertThat(commits).containsExactly(List.of(0), List.of(1, 2, 3));
    }

    @Test
    void aLoneItemDoesNotLinger() throws Exception {
        GroupCommit<Integer, String> group = new GroupCommit<>(64, item -> 1, 64, Duration.ofHours(1), 16, entries -> {
            commits.add(entries.stream().map(entry -> entry.item).toList());
            entries.forEach(entry -> entry.complete("ok"));
        });

        assertThat(callers.submit(() -> group.submit(7)).get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(callers.submit(() -> group.submit(8)).get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(commits).containsExactly(List.of(7), List.of(8));
    }

    /**
     * Records each commit's items and completes each with {@code result}; the commit whose first item is
     * {@code held} signals {@link #firstCommitStarted} and waits for {@link #releaseFirstCommit}, so that
     * callers can queue up behind it.
     */
    private GroupCommit.Committer<Integer, String> holdingTheCommitOf(int held, Function<Integer, String> result) {
        return entries -> {
            commits.add(entries.stream().map(entry -> entry.item).toList());
            if (entries.get(0).item == held) {
                firstCommitStarted.countDown();
                await(releaseFirstCommit);
            }
            entries.forEach(entry -> entry.complete(result.apply(entry.item)));
        };
    }

    /** Waits until that many callers' items wait in the queue, in the order they were submitted. */
    private static void awaitQueued(GroupCommit<?, ?> group, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> group.queued() == count);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
