package io.skiplinobridge.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.skiplinobridge.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

/** The database figures are read at most once per refresh interval, and gauges survive a database outage. */
class SyncFiguresTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final OpsQueries queries = new OpsQueries(null) {
        @Override
        SyncSnapshot snapshot(Instant now, Duration rateWindow) {
            if (storeDown.get()) {
                throw new DataAccessResourceFailureException("store down");
            }
            return new SyncSnapshot(now, reads.incrementAndGet(), now.minusSeconds(30), 0, 0, 0, 0, 12, 6, rateWindow,
                    null, null);
        }
    };
    private final SyncFigures figures = new SyncFigures(queries, new OpsProperties("", Duration.ofSeconds(5),
            Duration.ofMinutes(15), Duration.ofMinutes(5), new OpsProperties.Resync(100, 10000, Duration.ofSeconds(10), 20)),
            clock);

    @Test
    void figuresAreReusedWithinTheRefreshInterval() {
        assertThat(figures.current().pendingEvents()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(4));
        assertThat(figures.current().pendingEvents()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(figures.current().pendingEvents()).isEqualTo(2);
        assertThat(reads.get()).isEqualTo(2);
    }

    @Test
    void derivedFiguresComeFromTheSnapshot() {
        SyncSnapshot snapshot = figures.current();

        assertThat(snapshot.oldestPendingAgeSeconds()).isEqualTo(30);
        assertThat(snapshot.receivedPerMinute()).isEqualTo(2.4);
        assertThat(snapshot.appliedPerMinute()).isEqualTo(1.2);
    }

    @Test
    void gaugesKeepTheLastFiguresWhileTheStoreIsDownButTheStatusSaysSo() {
        figures.current();
        storeDown.set(true);
        clock.advance(Duration.ofSeconds(10));

        assertThat(figures.forMetrics().pendingEvents()).isEqualTo(1);
        assertThatThrownBy(figures::current).isInstanceOf(DataAccessResourceFailureException.class);
    }
}
