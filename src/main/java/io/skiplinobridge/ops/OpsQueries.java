package io.skiplinobridge.ops;

import static io.skiplinobridge.store.SqlTime.instant;
import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.store.SqlTime;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Read-only SQL of the ops surface over the sync engine's tables. Each query is served by an index
 * (migration {@code V4_1__ops_indexes}), so a status request costs a handful of index lookups however
 * long the history grows.
 */
@Component
@ConditionalOnFlows
class OpsQueries {

    /** Attempt outcomes that changed Skiplino. */
    private static final List<String> APPLIED = List.of("CREATED", "UPDATED", "DELETED");
    /** Attempt outcomes after which Skiplino holds what the CRM says (or nothing needed doing). */
    private static final List<String> SUCCEEDED = List.of("CREATED", "UPDATED", "DELETED", "UNCHANGED", "STALE", "SKIPPED");

    private final NamedParameterJdbcTemplate jdbc;

    OpsQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    SyncSnapshot snapshot(Instant now, Duration rateWindow) {
        MapSqlParameterSource params = new MapSqlParameterSource("now", ts(now))
                .addValue("since", ts(now.minus(rateWindow))).addValue("applied", APPLIED)
                .addValue("succeeded", SUCCEEDED);
        long[] pending = new long[1];
        Instant[] oldest = new Instant[1];
        jdbc.query("SELECT COUNT(*) AS n, MIN(received_at) AS oldest FROM inbox_event WHERE status = 'PENDING'",
                params, rs -> {
                    pending[0] = rs.getLong("n");
                    oldest[0] = instant(rs, "oldest");
                });
        long[] customers = new long[3];
        // "due_at >= EPOCH" rather than "IS NOT NULL": an index range over the customers with work, where
        // H2 would read every customer (SyncStore's claim has the same bound)
        jdbc.query("""
                SELECT
                  SUM(CASE WHEN lease_until >= :now THEN 1 ELSE 0 END) AS in_flight,
                  SUM(CASE WHEN (lease_until IS NULL OR lease_until < :now) AND due_at <= :now THEN 1 ELSE 0 END) AS due,
                  SUM(CASE WHEN (lease_until IS NULL OR lease_until < :now) AND due_at > :now THEN 1 ELSE 0 END) AS waiting
                FROM customer_sync WHERE due_at >= """ + SqlTime.EPOCH, params, rs -> {
            customers[0] = rs.getLong("due");
            customers[1] = rs.getLong("waiting");
            customers[2] = rs.getLong("in_flight");
        });
        long openFailures = count("SELECT COUNT(*) FROM sync_failure WHERE resolved_at IS NULL", params);
        long received = count("SELECT COUNT(*) FROM inbox_event WHERE received_at >= :since", params);
        long applied = count("SELECT COUNT(*) FROM sync_attempt WHERE outcome IN (:applied) AND finished_at >= :since", params);
        Instant lastAttempt = latest("SELECT MAX(finished_at) AS t FROM sync_attempt", params);
        Instant lastSuccess = latest("SELECT MAX(finished_at) AS t FROM sync_attempt WHERE outcome IN (:succeeded)", params);
        return new SyncSnapshot(now, pending[0], oldest[0], customers[0], customers[1], customers[2], openFailures,
                received, applied, rateWindow, lastAttempt, lastSuccess);
    }

    /** One customer's sync state, or empty when the bridge never received a change for it. */
    Optional<CustomerState> customer(String externalId) {
        return jdbc.query("""
                SELECT external_id, skiplino_id, content_hash, applied_source_ts, deleted, due_at, attempts,
                       lease_owner, lease_until, last_error, last_synced_at, updated_at
                FROM customer_sync WHERE external_id = :externalId
                """, new MapSqlParameterSource("externalId", externalId), (rs, n) -> new CustomerState(
                rs.getString("external_id"), rs.getString("skiplino_id"), rs.getString("content_hash"),
                instant(rs, "applied_source_ts"), rs.getBoolean("deleted"), instant(rs, "due_at"),
                rs.getInt("attempts"), rs.getString("lease_owner"), instant(rs, "lease_until"),
                rs.getString("last_error"), instant(rs, "last_synced_at"), instant(rs, "updated_at")))
                .stream().findFirst();
    }

    /** The customer's latest changes, newest first by arrival. */
    List<InboxEntry> recentEvents(String externalId, int limit) {
        return jdbc.query("""
                SELECT id, source, event_id, change_type, source_ts, payload, status, received_at, finished_at
                FROM inbox_event WHERE external_id = :externalId ORDER BY id DESC FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("externalId", externalId).addValue("limit", limit), (rs, n) ->
                new InboxEntry(rs.getLong("id"), rs.getString("source"), rs.getString("event_id"),
                        rs.getString("change_type"), instant(rs, "source_ts"), rs.getString("payload"),
                        rs.getString("status"), instant(rs, "received_at"), instant(rs, "finished_at")));
    }

    /** The customer's latest processing attempts, newest first. */
    List<Attempt> recentAttempts(String externalId, int limit) {
        return jdbc.query("""
                SELECT id, instance_id, started_at, finished_at, operation, outcome, http_status, detail
                FROM sync_attempt WHERE external_id = :externalId ORDER BY started_at DESC, id DESC
                FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("externalId", externalId).addValue("limit", limit), (rs, n) ->
                new Attempt(rs.getLong("id"), rs.getString("instance_id"), instant(rs, "started_at"),
                        instant(rs, "finished_at"), rs.getString("operation"), rs.getString("outcome"),
                        rs.getObject("http_status", Integer.class), rs.getString("detail")));
    }

    private long count(String sql, MapSqlParameterSource params) {
        Long n = jdbc.queryForObject(sql, params, Long.class);
        return n == null ? 0 : n;
    }

    private Instant latest(String sql, MapSqlParameterSource params) {
        return jdbc.query(sql, params, rs -> rs.next() ? instant(rs, "t") : null);
    }

    record CustomerState(String externalId, String skiplinoId, String contentHash, Instant appliedSourceTs,
                         boolean deleted, Instant dueAt, int attempts, String leaseOwner, Instant leaseUntil,
                         String lastError, Instant lastSyncedAt, Instant updatedAt) {
    }

    record InboxEntry(long id, String source, String eventId, String type, Instant sourceTs, String payload,
                      String status, Instant receivedAt, Instant finishedAt) {
    }

    record Attempt(long id, String instanceId, Instant startedAt, Instant finishedAt, String operation,
                   String outcome, Integer httpStatus, String detail) {
    }
}
