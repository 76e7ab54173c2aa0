package io.skiplinobridge.testsupport;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * Column values as the tests' generic row maps ({@code queryForMap}, {@code queryForList}) hold them, read
 * the same on both stores: a {@code TIMESTAMP WITH TIME ZONE} comes back as an {@link OffsetDateTime} from
 * H2 but as a {@link Timestamp} from PostgreSQL's driver.
 */
public final class SqlValues {

    private SqlValues() {
    }

    /** The instant of a {@code TIMESTAMP WITH TIME ZONE} value from either store; {@code null} stays null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalArgumentException("not a timestamp with time zone: " + value.getClass().getName() + " " + value);
    }
}
