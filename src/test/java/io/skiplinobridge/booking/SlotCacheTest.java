package io.skiplinobridge.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.skiplinobridge.skiplino.Slot;
import io.skiplinobridge.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

class SlotCacheTest {

    private static final LocalDate DAY = LocalDate.of(2026, 7, 1);
    private static final Instant NINE = Instant.parse("2026-07-01T06:00:00Z");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-30T10:00:00Z"));
    private final AtomicInteger fetches = new AtomicInteger();

    private List<Slot> fetch() {
        return List.of(new Slot(NINE, 3 - fetches.getAndIncrement()));
    }

    @Test
    void reusesSlotsUntilTheTtlEnds() {
        SlotCache cache = new SlotCache(Duration.ofSeconds(30), 100, clock);

        SlotCache.Slots first = cache.get("svc", DAY, this::fetch);
        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.get("svc", DAY, this::fetch)).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        SlotCache.Slots fresh = cache.get("svc", DAY, this::fetch);

        assertThat(fetches).hasValue(2);
        assertThat(fresh.slots().get(0).remaining()).isEqualTo(2);
        assertThat(fresh.fetchedAt()).isEqualTo(clock.instant());
    }

    @Test
    void keepsServicesAndDatesApartAndForgetsEveryDateOfABookedService() {
        SlotCache cache = new SlotCache(Duration.ofMinutes(5), 100, clock);
        cache.get("svc", DAY, this::fetch);
        cache.get("svc", DAY.plusDays(1), this::fetch);
        cache.get("svc", null, this::fetch);
        cache.get("other", DAY, this::fetch);
        assertThat(fetches).hasValue(4);

        cache.invalidate("svc");

        assertThat(cache.size()).isEqualTo(1);
        cache.get("other", DAY, this::fetch);
        assertThat(fetches).hasValue(4);
        cache.get("svc", DAY, this::fetch);
        assertThat(fetches).hasValue(5);
    }

    @Test
    void aFetchUnderWayWhenTheServiceWasBookedIsNotKept() {
        SlotCache cache = new SlotCache(Duration.ofMinutes(5), 100, clock);

        cache.get("svc", DAY, () -> {
            cache.invalidate("svc");
            return fetch();
        });

        assertThat(cache.size()).isZero();
        cache.get("svc", DAY, this::fetch);
        assertThat(fetches).hasValue(2);
    }

    @Test
    void failuresAreNotCached() {
        SlotCache cache = new SlotCache(Duration.ofMinutes(5), 100, clock);
        assertThatThrownBy(() -> cache.get("svc", DAY, () -> {
            throw new IllegalStateException("Skiplino down");
        })).hasMessage("Skiplino down");
        cache.get("svc", DAY, this::fetch);
        assertThat(fetches).hasValue(1);
    }

    @Test
    void aZeroTtlCachesNothing() {
        SlotCache cache = new SlotCache(Duration.ZERO, 100, clock);
        cache.get("svc", DAY, this::fetch);
        cache.get("svc", DAY, this::fetch);
        assertThat(fetches).hasValue(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void staysWithinItsSizeDroppingTheOldestFirst() {
        SlotCache cache = new SlotCache(Duration.ofMinutes(5), 2, clock);
        cache.get("a", DAY, this::fetch);
        clock.advance(Duration.ofSeconds(1));
        cache.get("b", DAY, this::fetch);
        clock.advance(Duration.ofSeconds(1));
        cache.get("c", DAY, this::fetch);

        assertThat(cache.size()).isEqualTo(2);
        cache.get("b", DAY, this::fetch);
        cache.get("c", DAY, this::fetch);
        assertThat(fetches).hasValue(3);
        cache.get("a", DAY, this::fetch);
        assertThat(fetches).hasValue(4);
    }
}
