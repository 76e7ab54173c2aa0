package io.skiplinobridge.sync;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Which parked failures an operator means: by state, customer, operation and HTTP status; a null
 * criterion matches everything. The SQL is fixed text with named parameters, never built from values.
 *
 * @param state      open (not yet resolved), resolved, or all
 * @param externalId one customer
 * @param operation  {@code CREATE}, {@code UPDATE}, {@code DELETE}, {@code MAP}, {@code TICKET} or {@code WRITE_BACK}
 * @param httpStatus Skiplino's (or the CRM's) answer status
 */
public record FailureFilter(State state, String externalId, String operation, Integer httpStatus) {

    public enum State { OPEN, RESOLVED, ALL }

    public FailureFilter {
        state = state == null ? State.OPEN : state;
    }

    /** Every open failure. */
    public static FailureFilter open() {
        return new FailureFilter(State.OPEN, null, null, null);
    }

    FailureFilter onlyOpen() {
        return new FailureFilter(State.OPEN, externalId, operation, httpStatus);
    }

    String where() {
        String stateClause = switch (state) {
            case OPEN -> "resolved_at IS NULL";
            case RESOLVED -> "resolved_at IS NOT NULL";
            case ALL -> "1 = 1";
        };
        return stateClause
                + (externalId == null ? "" : " AND external_id = :externalId")
                + (operation == null ? "" : " AND operation = :operation")
                + (httpStatus == null ? "" : " AND http_status = :httpStatus");
    }

    MapSqlParameterSource parameters() {
        return new MapSqlParameterSource("externalId", externalId).addValue("operation", operation)
                .addValue("httpStatus", httpStatus);
    }
}
