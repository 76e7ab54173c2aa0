package io.skiplinobridge.booking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The booking API ({@code bridge.booking.*}); every key is commented for the operator in
 * {@code config/application.yaml}, and the defaults here mirror that file.
 *
 * @param slotsCacheTtl        how long a service's slots of one date are reused; 0 turns the cache off
 * @param slotsCacheMaxEntries most (service, date) entries kept; the oldest go first
 * @param retryAfter           {@code Retry-After} of a 503 when Skiplino gave none
 * @param idempotency          idempotency-key settings of book
 */
@ConfigurationProperties("bridge.booking")
record BookingProperties(
        @DefaultValue("30s") Duration slotsCacheTtl,
        @DefaultValue("1000") int slotsCacheMaxEntries,
        @DefaultValue("5s") Duration retryAfter,
        @DefaultValue Idempotency idempotency) {

    BookingProperties {
        if (slotsCacheTtl.isNegative()) {
            throw new IllegalArgumentException("bridge.booking.slots-cache-ttl must not be negative");
        }
        if (slotsCacheMaxEntries < 1) {
            throw new IllegalArgumentException("bridge.booking.slots-cache-max-entries must be at least 1");
        }
        if (retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("bridge.booking.retry-after must be at least 1s");
        }
    }

    /**
     * @param retention         how long a key is remembered after its booking
     * @param inProgressTimeout how long a key whose booking is under way blocks a retry (409); after it
     *                          the instance that held it is presumed dead and a retry takes over
     * @param matchWindow       when a retry follows an attempt with an unknown outcome, a ticket of the
     *                          customer for the same service and time booked up to this long before that
     *                          attempt started (clock difference with Skiplino) counts as its result
     */
    record Idempotency(
            @DefaultValue("24h") Duration retention,
            @DefaultValue("2m") Duration inProgressTimeout,
            @DefaultValue("2m") Duration matchWindow) {

        Idempotency {
            if (retention.compareTo(Duration.ofMinutes(1)) < 0) {
                throw new IllegalArgumentException("bridge.booking.idempotency.retention must be at least 1m");
            }
            if (inProgressTimeout.isNegative() || inProgressTimeout.isZero()) {
                throw new IllegalArgumentException("bridge.booking.idempotency.in-progress-timeout must be positive");
            }
            if (matchWindow.isNegative()) {
                throw new IllegalArgumentException("bridge.booking.idempotency.match-window must not be negative");
            }
        }
    }
}
