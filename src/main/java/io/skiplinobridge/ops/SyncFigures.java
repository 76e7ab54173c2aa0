package io.skiplinobridge.ops;

import java.time.Clock;
import java.time.Instant;

import io.skiplinobridge.config.ConditionalOnFlows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The customer sync's figures, read from the database at most once per {@code bridge.ops.refresh-interval}
 * and shared by the status API, the health contributors and the metrics, so neither a scrape nor a
 * dashboard left open costs more than a few index lookups per interval.
 */
@Component
@ConditionalOnFlows
class SyncFigures {

    private static final Logger log = LoggerFactory.getLogger(SyncFigures.class);

    private final OpsQueries queries;
    private final OpsProperties properties;
    private final Clock clock;
    private volatile SyncSnapshot cached;
    private volatile Instant lastFailureLogged;

    SyncFigures(OpsQueries queries, OpsProperties properties, Clock clock) {
        this.queries = queries;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Fresh enough figures.
     *
     * @throws DataAccessException when they are due for a refresh and the database cannot be read
     */
    SyncSnapshot current() {
        SyncSnapshot snapshot = cached;
        Instant now = clock.instant();
        if (snapshot != null && snapshot.takenAt().plus(properties.refreshInterval()).isAfter(now)) {
            return snapshot;
        }
        synchronized (this) {
            snapshot = cached;
            if (snapshot == null || !snapshot.takenAt().plus(properties.refreshInterval()).isAfter(now)) {
                snapshot = queries.snapshot(now, properties.rateWindow());
                cached = snapshot;
            }
            return snapshot;
        }
    }

    /** For gauges: fresh figures when the database answers, else the last ones read (null before the first). */
    SyncSnapshot forMetrics() {
        try {
            return current();
        } catch (DataAccessException e) {
            Instant now = clock.instant();
            Instant logged = lastFailureLogged;
            if (logged == null || logged.plusSeconds(60).isBefore(now)) {
                lastFailureLogged = now;
                log.warn("Backlog metrics keep their last values: the database cannot be read ({})",
                        e.getMostSpecificCause().getClass().getSimpleName());
            }
            return cached;
        }
    }
}
