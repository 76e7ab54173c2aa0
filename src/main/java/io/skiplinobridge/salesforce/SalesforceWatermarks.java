package io.skiplinobridge.salesforce;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.skiplinobridge.store.SqlTime;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The poll's positions ({@code salesforce_watermark}). {@link #advance} only ever moves a watermark
 * forward and is meant to run inside the transaction that commits the page's changes to the inbox.
 */
@Component
@ConditionalOnSalesforce
class SalesforceWatermarks {

    enum Stream { CHANGES, DELETES }

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    SalesforceWatermarks(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Optional<Instant> get(String sObject, Stream stream) {
        List<Instant> rows = jdbc.query("SELECT watermark FROM salesforce_watermark WHERE sobject = :sobject AND stream = :stream",
                params(sObject, stream), (rs, n) -> SqlTime.instant(rs, "watermark"));
        return rows.stream().findFirst();
    }

    /** Moves the watermark to {@code to} unless it already is there or later. */
    void advance(String sObject, Stream stream, Instant to) {
        MapSqlParameterSource params = params(sObject, stream).addValue("to", SqlTime.ts(to))
                .addValue("now", SqlTime.ts(clock.instant()));
        int updated = jdbc.update("""
                UPDATE salesforce_watermark SET watermark = :to, updated_at = :now
                WHERE sobject = :sobject AND stream = :stream AND watermark < :to
                """, params);
        if (updated == 0 && get(sObject, stream).isEmpty()) {
            jdbc.update("""
                    INSERT INTO salesforce_watermark (sobject, stream, watermark, updated_at)
                    VALUES (:sobject, :stream, :to, :now)
                    """, params);
        }
    }

    private static MapSqlParameterSource params(String sObject, Stream stream) {
        return new MapSqlParameterSource("sobject", sObject).addValue("stream", stream.name());
    }
}
