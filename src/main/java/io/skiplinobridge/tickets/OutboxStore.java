package io.skiplinobridge.tickets;

import static io.skiplinobridge.store.SqlTime.instant;
import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Instant;
import java.util.List;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.ops.OutboxBacklog;
import io.skiplinobridge.store.SkipLockedClaims;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code crm_outbox} table: claiming with leases ({@code FOR UPDATE SKIP LOCKED}, so instances share
 * the work and never deliver one row twice at once), and the outcome of each delivery. Every outcome is
 * written only by the lease holder, so a row whose lease expired and was taken over is not overwritten.
 */
@Component
@ConditionalOnFlows
class OutboxStore implements OutboxBacklog {

    /** The earliest pending state of each ticket, due and unleased, oldest first. */
    private static final SkipLockedClaims.Query DUE_ROWS = new SkipLockedClaims.Query("o.id", null, "crm_outbox o", """
            o.target = :target AND o.status = 'PENDING' AND o.due_at <= :now
                AND (o.lease_until IS NULL OR o.lease_until < :now)
                AND NOT EXISTS (SELECT 1 FROM crm_outbox p WHERE p.target = o.target
                    AND p.ticket_id = o.ticket_id AND p.status = 'PENDING' AND p.id < o.id)""", "o.due_at, o.id");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SkipLockedClaims claims;

    OutboxStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, SkipLockedClaims claims) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.claims = claims;
    }

    /**
     * Claims up to {@code limit} due rows of {@code target}, oldest first, each the earliest pending state
     * of its ticket (one ticket's states go out in order). With {@code coalesce} (Salesforce, where only the
     * latest state matters) older pending states of a ticket are first marked {@code SUPERSEDED}.
     */
    List<OutboxRow> claim(String target, String owner, int limit, Instant now, Instant leaseUntil, boolean coalesce) {
        MapSqlParameterSource params = new MapSqlParameterSource("target", target).addValue("owner", owner)
                .addValue("limit", limit).addValue("now", ts(now)).addValue("leaseUntil", ts(leaseUntil));
        return tx.execute(status -> {
            if (coalesce) {
                jdbc.update("""
                        UPDATE crm_outbox SET status = 'SUPERSEDED', lease_owner = NULL, lease_until = NULL
                        WHERE target = :target AND status = 'PENDING' AND (lease_until IS NULL OR lease_until < :now)
                        AND EXISTS (SELECT 1 FROM crm_outbox n WHERE n.target = crm_outbox.target
                            AND n.ticket_id = crm_outbox.ticket_id AND n.status = 'PENDING' AND n.id > crm_outbox.id)
                        """, params);
            }
            List<Long> ids = claims.lockDue(DUE_ROWS, params, Long.class);
            if (ids.isEmpty()) {
                return List.of();
            }
            params.addValue("ids", ids);
            jdbc.update("UPDATE crm_outbox SET lease_owner = :owner, lease_until = :leaseUntil WHERE id IN (:ids)", params);
            return jdbc.query("""
                    SELECT id, target, ticket_id, external_id, skiplino_customer, status_at, payload, attempts, created_at
                    FROM crm_outbox WHERE id IN (:ids) ORDER BY id
                    """, params, (rs, n) -> new OutboxRow(rs.getLong("id"), rs.getString("target"),
                    rs.getString("ticket_id"), rs.getString("external_id"), rs.getString("skiplino_customer"),
                    instant(rs, "status_at"), rs.getString("payload"), rs.getInt("attempts"),
                    instant(rs, "created_at")));
        });
    }

    /**
     * The row reached its target. For a coalescing target, older parked states of the ticket are now
     * outdated: they are superseded and their failures resolved, so a later replay cannot undo this one.
     */
    boolean delivered(OutboxRow row, String owner, Instant now, boolean coalesce) {
        MapSqlParameterSource params = rowParams(row, owner, now);
        Boolean done = tx.execute(status -> {
            int updated = jdbc.update("""
                    UPDATE crm_outbox SET status = 'DELIVERED', delivered_at = :now, last_error = NULL,
                        lease_owner = NULL, lease_until = NULL
                    WHERE id = :id AND lease_owner = :owner AND status = 'PENDING'
                    """, params);
            if (updated == 1 && coalesce) {
                jdbc.update("""
                        UPDATE sync_failure SET resolved_at = :now, resolution = 'SUPERSEDED'
                        WHERE resolved_at IS NULL AND crm_outbox_id IN (SELECT id FROM crm_outbox
                            WHERE target = :target AND ticket_id = :ticketId AND id < :id AND status = 'PARKED')
                        """, params);
                jdbc.update("""
                        UPDATE crm_outbox SET status = 'SUPERSEDED'
                        WHERE target = :target AND ticket_id = :ticketId AND id < :id AND status = 'PARKED'
                        """, params);
            }
            return updated == 1;
        });
        return Boolean.TRUE.equals(done);
    }

    /** A failed delivery to be tried again at {@code dueAt}. */
    void retryLater(OutboxRow row, String owner, Instant now, Instant dueAt, String error) {
        jdbc.update("""
                UPDATE crm_outbox SET attempts = attempts + 1, due_at = :dueAt, last_error = :error,
                    lease_owner = NULL, lease_until = NULL
                WHERE id = :id AND lease_owner = :owner AND status = 'PENDING'
                """, rowParams(row, owner, now).addValue("dueAt", ts(dueAt)).addValue("error", truncate(error, 4000)));
    }

    /** Gives up on a row: parked, and listed with its reason in the ops failures. */
    void park(OutboxRow row, String owner, Instant now, Integer httpStatus, String reason) {
        MapSqlParameterSource params = rowParams(row, owner, now).addValue("error", truncate(reason, 4000))
                .addValue("httpStatus", httpStatus).addValue("attempts", row.attempts() + 1)
                .addValue("externalId", row.externalId()).addValue("payload", row.payload());
        tx.executeWithoutResult(status -> {
            int parked = jdbc.update("""
                    UPDATE crm_outbox SET status = 'PARKED', attempts = attempts + 1, last_error = :error,
                        lease_owner = NULL, lease_until = NULL
                    WHERE id = :id AND lease_owner = :owner AND status = 'PENDING'
                    """, params);
            if (parked == 1) {
                jdbc.update("""
                        INSERT INTO sync_failure (external_id, operation, http_status, reason, payload, attempts,
                            created_at, crm_outbox_id)
                        VALUES (:externalId, 'TICKET', :httpStatus, :error, :payload, :attempts, :now, :id)
                        """, params);
            }
        });
    }

    /** The lease was given back without an outcome (e.g. paused before sending). */
    void release(OutboxRow row, String owner) {
        jdbc.update("UPDATE crm_outbox SET lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner",
                new MapSqlParameterSource("id", row.id()).addValue("owner", owner));
    }

    @Override
    public Backlog read() {
        return jdbc.query("SELECT COUNT(*) AS waiting, MIN(created_at) AS oldest FROM crm_outbox WHERE status = 'PENDING'",
                rs -> rs.next() ? new Backlog(rs.getLong("waiting"), instant(rs, "oldest")) : Backlog.EMPTY);
    }

    private static MapSqlParameterSource rowParams(OutboxRow row, String owner, Instant now) {
        return new MapSqlParameterSource("id", row.id()).addValue("owner", owner).addValue("now", ts(now))
                .addValue("target", row.target()).addValue("ticketId", row.ticketId());
    }

    private static String truncate(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max);
    }

    /** A claimed outbox row: one ticket state for one target. */
    record OutboxRow(long id, String target, String ticketId, String externalId, String skiplinoCustomer,
                     Instant statusAt, String payload, int attempts, Instant createdAt) {
    }
}
