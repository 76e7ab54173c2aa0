package io.skiplinobridge.booking;

import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Resolves the CRM's {@code externalId} to the Skiplino customer through {@code customer_sync}, the sync
 * engine's record of what Skiplino holds. The booking API acts only for customers the bridge has synced:
 * an unknown or deleted customer is a 404, one whose first sync has not finished (or was parked) a 409.
 */
@Component
@ConditionalOnFlows
class BookingCustomers {

    /** A customer the booking API may act for. */
    record Linked(String externalId, String skiplinoId) {
    }

    private record Row(String skiplinoId, boolean deleted) {
    }

    private final JdbcTemplate jdbc;

    BookingCustomers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Linked require(String externalId) {
        List<Row> rows = jdbc.query("SELECT skiplino_id, deleted FROM customer_sync WHERE external_id = ?",
                (rs, n) -> new Row(rs.getString("skiplino_id"), rs.getBoolean("deleted")), externalId);
        if (rows.isEmpty()) {
            throw BookingProblem.of(HttpStatus.NOT_FOUND, "Customer " + externalId
                    + " is unknown to the bridge: only customers synced from the CRM can book.")
                    .title("Unknown customer");
        }
        Row row = rows.get(0);
        if (row.deleted()) {
            throw BookingProblem.of(HttpStatus.NOT_FOUND, "Customer " + externalId
                    + " was deleted in the CRM and removed from Skiplino.").title("Deleted customer");
        }
        if (row.skiplinoId() == null) {
            throw BookingProblem.of(HttpStatus.CONFLICT, "Customer " + externalId
                    + " is not yet synced to Skiplino (its sync is pending or parked: see /ops/api/customers/"
                    + externalId + "). Retry once it is synced.").title("Customer not yet synced");
        }
        return new Linked(externalId, row.skiplinoId());
    }
}
