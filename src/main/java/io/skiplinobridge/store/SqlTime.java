package io.skiplinobridge.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants in and out of {@code TIMESTAMP WITH TIME ZONE} columns as UTC {@link OffsetDateTime}s, so
 * values never depend on a JVM's default time zone (instances of one cluster may differ).
 */
public final class SqlTime {

    /**
     * The earliest instant any time column holds (every value comes from the clock), as a SQL literal.
     * {@code column >= EPOCH} is true for every non-null value, and, unlike {@code IS NOT NULL}, gives H2
     * an index range that starts after the NULLs (a range with an upper bound only starts before them).
     */
    public static final String EPOCH = "TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00'";

    private SqlTime() {
    }

    public static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
