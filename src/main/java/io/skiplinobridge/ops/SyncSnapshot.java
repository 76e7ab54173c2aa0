package io.skiplinobridge.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * The customer sync's figures at one moment, read from the shared database (so they cover every
 * instance).
 *
 * @param takenAt           when they were read
 * @param pendingEvents     inbox changes not yet applied, parked or superseded
 * @param oldestPendingAt   arrival of the oldest of them, null when there are none
 * @param customersDue      customers with work due now, waiting for a worker
 * @param customersWaiting  customers whose work waits for a later time (retry backoff, held deletes)
 * @param customersInFlight customers a worker holds right now (an unexpired lease)
 * @param openFailures      parked changes nobody has retried or superseded yet
 * @param receivedInWindow  changes stored during the rate window
 * @param appliedInWindow   customers created, updated or deleted in Skiplino during the rate window
 * @param rateWindow        the rate window
 * @param lastAttemptAt     end of the latest attempt to apply a customer, by any instance
 * @param lastSuccessAt     end of the latest attempt that left Skiplino right (applied, unchanged, stale, skipped)
 */
record SyncSnapshot(Instant takenAt, long pendingEvents, Instant oldestPendingAt, long customersDue,
                    long customersWaiting, long customersInFlight, long openFailures, long receivedInWindow,
                    long appliedInWindow, Duration rateWindow, Instant lastAttemptAt, Instant lastSuccessAt) {

    /** Seconds since the oldest pending change arrived; 0 without a backlog. */
    double oldestPendingAgeSeconds() {
        if (oldestPendingAt == null) {
            return 0;
        }
        return Math.max(0, Duration.between(oldestPendingAt, takenAt).toMillis() / 1000.0);
    }

    double receivedPerMinute() {
        return perMinute(receivedInWindow);
    }

    double appliedPerMinute() {
        return perMinute(appliedInWindow);
    }

    private double perMinute(long count) {
        return Math.round(count * 600.0 / rateWindow.toSeconds()) / 10.0;
    }
}
