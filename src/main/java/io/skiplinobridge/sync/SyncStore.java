package io.skiplinobridge.sync;

import static io.skiplinobridge.store.SqlTime.instant;
import static io.skiplinobridge.store.SqlTime.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.store.SkipLockedClaims;
import io.skiplinobridge.store.SqlTime;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * SQL of the customer sync engine over {@code customer_sync}, {@code inbox_event},
 * {@code sync_failure} and {@code sync_attempt}. Callers own the transactions.
 */
@Component
@ConditionalOnFlows
class SyncStore {

    /**
     * The lower bound on due_at is not a filter (due times come from the clock) but an index range: with
     * only "due_at <= :now", H2 starts the range at the index's first entry, which are the NULLs of every
     * customer with nothing due, and read all of them on every claim (EXPLAIN ANALYZE: scanCount = synced
     * customers + limit; a 200,000-customer backfill slowed from 250 to 35 customers/s as they grew).
     */
    private static final SkipLockedClaims.Query DUE_CUSTOMERS = new SkipLockedClaims.Query("external_id", null,
            "customer_sync", "due_at >= " + SqlTime.EPOCH + " AND due_at <= :now"
                    + " AND (lease_until IS NULL OR lease_until < :now)", "due_at");

    private final NamedParameterJdbcTemplate jdbc;
    private final SkipLockedClaims claims;

    SyncStore(NamedParameterJdbcTemplate jdbc, SkipLockedClaims claims) {
        this.jdbc = jdbc;
        this.claims = claims;
    }

    /**
     * Reserves up to {@code limit} customers with work due, oldest first, for {@code owner} until
     * {@code leaseUntil}. Rows locked by a concurrent claimer are skipped, so instances never claim the
     * same customer; a lease that expired (its owner died) is claimable again. Must run in a transaction.
     */
    List<String> claim(String owner, int limit, Instant now, Instant leaseUntil) {
        MapSqlParameterSource params = new MapSqlParameterSource("now", ts(now)).addValue("limit", limit);
        List<String> ids = claims.lockDue(DUE_CUSTOMERS, params, String.class);
        if (!ids.isEmpty()) {
            MapSqlParameterSource lease = new MapSqlParameterSource("owner", owner).addValue("leaseUntil", ts(leaseUntil))
                    .addValue("ids", ids).addValue("now", ts(now));
            // due_at moves to the end of the lease: the next claim's range over due_at then starts after the
            // rows in flight instead of walking over all of them. Every outcome sets due_at again; a lease
            // that runs out (its instance died) leaves the row due from then on, as before
            jdbc.update("""
                    UPDATE customer_sync SET lease_owner = :owner, lease_until = :leaseUntil, due_at = :leaseUntil
                    WHERE external_id IN (:ids)
                    """, lease);
            // the start of each customer's attempt, written with its lease (one commit for the whole claim
            // instead of one per customer); the worker sets the real start time when it records the outcome
            jdbc.update("""
                    INSERT INTO sync_attempt (external_id, instance_id, started_at, outcome, lease_until)
                    SELECT external_id, :owner, :now, 'RUNNING', :leaseUntil FROM customer_sync
                    WHERE external_id IN (:ids)
                    """, lease);
        }
        return ids;
    }

    /**
     * Locks the customer's row for the rest of the transaction and returns its state, or null when
     * {@code owner} no longer holds the lease (it expired and another instance took the customer).
     * Locking first also orders us after any inbox writer that touched the row, so a following read
     * of pending events sees everything that writer committed.
     */
    CustomerState lockIfLeased(String externalId, String owner) {
        return leasedState(externalId, owner, " FOR UPDATE");
    }

    /**
     * The customer's state, or null when {@code owner} no longer holds the lease; no lock (the outcome's
     * transaction locks with {@link #lockIfLeased} and checks the lease again).
     */
    CustomerState stateIfLeased(String externalId, String owner) {
        return leasedState(externalId, owner, "");
    }

    private CustomerState leasedState(String externalId, String owner, String lock) {
        List<CustomerState> rows = jdbc.query("""
                SELECT external_id, skiplino_id, content_hash, applied_source_ts, deleted, attempts, lease_owner
                FROM customer_sync WHERE external_id = :externalId""" + lock,
                new MapSqlParameterSource("externalId", externalId), (rs, n) ->
                owner.equals(rs.getString("lease_owner")) ? state(rs) : null);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The attempt {@code owner}'s claim opened for the customer and nobody has ended yet, if any. */
    Long openAttempt(String externalId, String owner) {
        List<Long> ids = jdbc.queryForList("""
                SELECT id FROM sync_attempt
                WHERE external_id = :externalId AND instance_id = :owner AND finished_at IS NULL
                ORDER BY id DESC FETCH FIRST 1 ROWS ONLY
                """, new MapSqlParameterSource("externalId", externalId).addValue("owner", owner), Long.class);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** The customer's pending changes, in source order (ties by arrival). */
    List<PendingEvent> pendingEvents(String externalId) {
        return jdbc.query("""
                SELECT id, source, event_id, change_type, source_ts, payload FROM inbox_event
                WHERE external_id = :externalId AND status = 'PENDING'
                ORDER BY source_ts, id
                """, new MapSqlParameterSource("externalId", externalId), (rs, n) -> new PendingEvent(
                rs.getLong("id"), ChangeSource.valueOf(rs.getString("source")), rs.getString("event_id"),
                ChangeType.valueOf(rs.getString("change_type")), instant(rs, "source_ts"), rs.getString("payload")));
    }

    boolean hasPendingEvents(String externalId) {
        Integer count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM inbox_event WHERE external_id = :externalId AND status = 'PENDING'
                """, new MapSqlParameterSource("externalId", externalId), Integer.class);
        return count != null && count > 0;
    }

    /**
     * Whether a write of this customer may have reached Skiplino without its outcome being recorded: the
     * latest earlier attempt that planned a Skiplino call (or never recorded its plan: cut off by a kill,
     * an error or a lost lease) did not record a success (a timeout after Skiplino applied the call, a
     * process killed before the outcome was written). Then Skiplino may hold the customer although
     * {@code customer_sync} says it does not (never synced, or deleted).
     */
    boolean writeMayHaveReachedSkiplino(String externalId, long currentAttemptId) {
        List<String> latest = jdbc.queryForList("""
                SELECT outcome FROM sync_attempt
                WHERE external_id = :externalId AND id <> :attemptId AND (operation IS NULL OR operation <> 'NONE')
                ORDER BY id DESC FETCH FIRST 1 ROWS ONLY
                """, new MapSqlParameterSource("externalId", externalId).addValue("attemptId", currentAttemptId),
                String.class);
        return !latest.isEmpty() && !List.of("CREATED", "UPDATED", "DELETED").contains(latest.get(0));
    }

    /** Ends pending events: the decided one gets {@code status}, earlier ones are superseded by it. */
    void finishEvents(List<PendingEvent> handled, long decidedId, EventStatus status, Instant now) {
        List<Long> superseded = handled.stream().map(PendingEvent::id).filter(id -> id != decidedId).toList();
        MapSqlParameterSource params = new MapSqlParameterSource("now", ts(now));
        jdbc.update("UPDATE inbox_event SET status = :status, finished_at = :now WHERE id = :id",
                params.addValue("status", status.name()).addValue("id", decidedId));
        if (!superseded.isEmpty()) {
            jdbc.update("""
                    UPDATE inbox_event SET status = 'SUPERSEDED', finished_at = :now
                    WHERE id IN (:ids) AND status = 'PENDING'
                    """, new MapSqlParameterSource("now", ts(now)).addValue("ids", superseded));
        }
    }

    /** Skiplino now holds {@code contentHash} for this customer (or nothing, when {@code deleted}). */
    void recordApplied(String externalId, String skiplinoId, String contentHash, Instant appliedSourceTs,
                       boolean deleted, Instant dueAt, Instant now) {
        jdbc.update("""
                UPDATE customer_sync SET skiplino_id = COALESCE(:skiplinoId, skiplino_id), content_hash = :hash,
                    applied_source_ts = :appliedSourceTs, deleted = :deleted, due_at = :dueAt, attempts = 0,
                    lease_owner = NULL, lease_until = NULL, last_error = NULL, last_synced_at = :now, updated_at = :now
                WHERE external_id = :externalId
                """, new MapSqlParameterSource("externalId", externalId).addValue("skiplinoId", skiplinoId)
                .addValue("hash", contentHash).addValue("appliedSourceTs", ts(appliedSourceTs))
                .addValue("deleted", deleted).addValue("dueAt", ts(dueAt)).addValue("now", ts(now)));
    }

    /** The pending work waits until {@code dueAt}; {@code attempts} counts transient failures so far. */
    void reschedule(String externalId, Instant dueAt, int attempts, String error, Instant now) {
        jdbc.update("""
                UPDATE customer_sync SET due_at = :dueAt, attempts = :attempts, last_error = :error,
                    lease_owner = NULL, lease_until = NULL, updated_at = :now
                WHERE external_id = :externalId
                """, new MapSqlParameterSource("externalId", externalId).addValue("dueAt", ts(dueAt))
                .addValue("attempts", attempts).addValue("error", truncate(error, 2000)).addValue("now", ts(now)));
    }

    /** Lets the customer go without applying anything (work parked, stale, or nothing pending). */
    void release(String externalId, Instant dueAt, String error, Instant now) {
        jdbc.update("""
                UPDATE customer_sync SET due_at = :dueAt, attempts = 0, last_error = :error,
                    lease_owner = NULL, lease_until = NULL, updated_at = :now
                WHERE external_id = :externalId
                """, new MapSqlParameterSource("externalId", externalId).addValue("dueAt", ts(dueAt))
                .addValue("error", truncate(error, 2000)).addValue("now", ts(now)));
    }

    /** Records the source time of a change that needed no call, so older changes still count as stale. */
    void recordSeen(String externalId, Instant appliedSourceTs) {
        jdbc.update("""
                UPDATE customer_sync SET applied_source_ts = :ts
                WHERE external_id = :externalId AND (applied_source_ts IS NULL OR applied_source_ts < :ts)
                """, new MapSqlParameterSource("externalId", externalId).addValue("ts", ts(appliedSourceTs)));
    }

    void insertFailure(String externalId, long inboxEventId, String operation, Integer httpStatus, String reason,
                       String payload, int attempts, Instant now) {
        jdbc.update("""
                INSERT INTO sync_failure (external_id, inbox_event_id, operation, http_status, reason, payload, attempts, created_at)
                VALUES (:externalId, :eventId, :operation, :status, :reason, :payload, :attempts, :now)
                """, new MapSqlParameterSource("externalId", externalId).addValue("eventId", inboxEventId)
                .addValue("operation", operation).addValue("status", httpStatus)
                .addValue("reason", truncate(reason, 4000)).addValue("payload", payload)
                .addValue("attempts", attempts).addValue("now", ts(now)));
    }

    /**
     * A newer change of the customer went through: its open customer-sync failures no longer need anyone.
     * Failures of other flows of the same customer (a ticket parked for the CRM) are theirs to resolve.
     */
    void resolveOpenFailures(String externalId, String resolution, Instant now) {
        jdbc.update("""
                UPDATE sync_failure SET resolved_at = :now, resolution = :resolution
                WHERE external_id = :externalId AND resolved_at IS NULL AND inbox_event_id IS NOT NULL
                """, new MapSqlParameterSource("externalId", externalId).addValue("resolution", resolution)
                .addValue("now", ts(now)));
    }

    /**
     * Writes the start of an attempt (outcome {@code RUNNING}, no end yet) with the lease it runs under,
     * for a customer leased without one (the claim writes it otherwise). Returns the attempt's id.
     */
    long startAttempt(String externalId, String instanceId, Instant startedAt) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update("""
                INSERT INTO sync_attempt (external_id, instance_id, started_at, outcome, lease_until)
                SELECT external_id, :instanceId, :startedAt, 'RUNNING', lease_until FROM customer_sync
                WHERE external_id = :externalId
                """, new MapSqlParameterSource("externalId", externalId).addValue("instanceId", instanceId)
                .addValue("startedAt", ts(startedAt)), key, new String[] {"id"});
        Number id = key.getKey();
        if (id == null) {
            throw new IllegalStateException("no attempt row written for customer " + externalId);
        }
        return id.longValue();
    }

    /** Writes the end of an attempt, and when its worker started it. */
    void finishAttempt(long attemptId, Instant startedAt, Instant finishedAt, String operation, String outcome,
                       Integer httpStatus, String detail) {
        jdbc.update("""
                UPDATE sync_attempt SET started_at = :startedAt, finished_at = :finishedAt, operation = :operation,
                    outcome = :outcome, http_status = :status, detail = :detail
                WHERE id = :id
                """, new MapSqlParameterSource("id", attemptId).addValue("startedAt", ts(startedAt))
                .addValue("finishedAt", ts(finishedAt))
                .addValue("operation", operation).addValue("outcome", outcome).addValue("status", httpStatus)
                .addValue("detail", truncate(detail, 2000)));
    }

    /**
     * Ends an attempt that never ran at the end of its lease, so its history row does not overlap the
     * attempt of the instance that took the customer over after the lease ran out.
     */
    void endAttemptAtLeaseEnd(long attemptId, String outcome, String detail) {
        jdbc.update("""
                UPDATE sync_attempt SET finished_at = COALESCE(lease_until, started_at), outcome = :outcome, detail = :detail
                WHERE id = :id AND finished_at IS NULL
                """, new MapSqlParameterSource("id", attemptId).addValue("outcome", outcome)
                .addValue("detail", truncate(detail, 2000)));
    }

    /**
     * Extends the leases of customers still owned by {@code owner}, and of their running attempts, row by
     * row in key order (as the inbox's writers lock them). Must run in a transaction.
     */
    int extendLeases(String owner, List<String> externalIds, Instant until) {
        MapSqlParameterSource[] rows = externalIds.stream().map(id -> new MapSqlParameterSource("externalId", id)
                .addValue("owner", owner).addValue("until", ts(until))).toArray(MapSqlParameterSource[]::new);
        int[] extended = jdbc.batchUpdate("""
                UPDATE customer_sync SET lease_until = :until WHERE external_id = :externalId AND lease_owner = :owner
                """, rows);
        jdbc.batchUpdate("""
                UPDATE sync_attempt SET lease_until = :until
                WHERE external_id = :externalId AND instance_id = :owner AND finished_at IS NULL
                """, rows);
        return sum(extended);
    }

    /**
     * Hands customers still owned by {@code owner} back, due now (they were due when claimed), so any
     * instance claims them at once. Row by row in key order. Must run in a transaction.
     */
    int releaseLeases(String owner, List<String> externalIds, Instant now) {
        MapSqlParameterSource[] rows = externalIds.stream().map(id -> new MapSqlParameterSource("externalId", id)
                .addValue("owner", owner).addValue("now", ts(now))).toArray(MapSqlParameterSource[]::new);
        int released = sum(jdbc.batchUpdate("""
                UPDATE customer_sync SET lease_owner = NULL, lease_until = NULL, due_at = :now, updated_at = :now
                WHERE external_id = :externalId AND lease_owner = :owner
                """, rows));
        // no worker of this instance runs them any more: an attempt left open (its worker was cut off by
        // the shutdown before it could record anything) ends here, before another instance may start
        jdbc.batchUpdate("""
                UPDATE sync_attempt SET finished_at = :now, outcome = 'ABANDONED',
                    detail = 'the worker was stopped by the shutdown; the change stays pending'
                WHERE external_id = :externalId AND instance_id = :owner AND finished_at IS NULL
                """, rows);
        return released;
    }

    private static int sum(int[] counts) {
        int total = 0;
        for (int n : counts) {
            // a driver that cannot tell (SUCCESS_NO_INFO, -2) changed one row per statement here
            total += n < 0 ? 1 : n;
        }
        return total;
    }

    /** Deletes applied after {@code since}, by every instance (the mass-delete guard's count). */
    int deletesSince(Instant since) {
        Integer count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM sync_attempt WHERE outcome = 'DELETED' AND finished_at > :since
                """, new MapSqlParameterSource("since", ts(since)), Integer.class);
        return count == null ? 0 : count;
    }

    /** True when no customer was ever written to Skiplino or learned from its directory: a cold store. */
    boolean knowsNoSkiplinoCustomer() {
        return jdbc.queryForList("""
                SELECT external_id FROM customer_sync
                WHERE content_hash IS NOT NULL OR skiplino_id IS NOT NULL OR last_synced_at IS NOT NULL
                FETCH FIRST 1 ROWS ONLY
                """, new MapSqlParameterSource(), String.class).isEmpty();
    }

    /**
     * Records what Skiplino's directory shows for these customers: their {@code _id} and the content hash
     * of what Skiplino holds. A customer the bridge has no row for gets one with no work due. A customer
     * that is leased right now, or whose last write (or delete) by the bridge finished after
     * {@code readStartedAt}, keeps its state: the page may predate that write, and the worker's own record
     * is the newer truth. Rows are written in key order, like every other writer. Must run in a transaction.
     *
     * @return how many customers' state was recorded
     */
    int recordDirectory(List<DirectoryRead.DirectoryEntry> entries, Instant readStartedAt, Instant now) {
        List<DirectoryRead.DirectoryEntry> sorted = entries.stream()
                .sorted(Comparator.comparing(DirectoryRead.DirectoryEntry::externalId)).toList();
        MapSqlParameterSource[] rows = sorted.stream().map(e -> new MapSqlParameterSource()
                        .addValue("externalId", e.externalId()).addValue("skiplinoId", e.skiplinoId())
                        .addValue("hash", e.contentHash()).addValue("readStartedAt", ts(readStartedAt))
                        .addValue("now", ts(now)))
                .toArray(MapSqlParameterSource[]::new);
        int[] updated = jdbc.batchUpdate("""
                UPDATE customer_sync SET skiplino_id = :skiplinoId, content_hash = :hash, deleted = FALSE, updated_at = :now
                WHERE external_id = :externalId
                    AND (lease_until IS NULL OR lease_until < :now)
                    AND (last_synced_at IS NULL OR last_synced_at < :readStartedAt)
                """, rows);
        int recorded = 0;
        List<String> notUpdated = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] > 0) {
                recorded++;
            } else {
                notUpdated.add(sorted.get(i).externalId());
            }
        }
        if (notUpdated.isEmpty()) {
            return recorded;
        }
        Set<String> existing = new HashSet<>(jdbc.queryForList(
                "SELECT external_id FROM customer_sync WHERE external_id IN (:ids)",
                new MapSqlParameterSource("ids", notUpdated), String.class));
        MapSqlParameterSource[] inserts = IntStream.range(0, sorted.size())
                .filter(i -> updated[i] == 0 && !existing.contains(sorted.get(i).externalId()))
                .mapToObj(i -> rows[i]).toArray(MapSqlParameterSource[]::new);
        if (inserts.length > 0) {
            jdbc.batchUpdate("""
                    INSERT INTO customer_sync (external_id, skiplino_id, content_hash, attempts, deleted, updated_at)
                    VALUES (:externalId, :skiplinoId, :hash, 0, FALSE, :now)
                    """, inserts);
        }
        return recorded + inserts.length;
    }

    private static CustomerState state(ResultSet rs) throws SQLException {
        return new CustomerState(rs.getString("external_id"), rs.getString("skiplino_id"),
                rs.getString("content_hash"), instant(rs, "applied_source_ts"), rs.getBoolean("deleted"),
                rs.getInt("attempts"));
    }

    static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** What the bridge knows of one customer when it starts applying its pending work. */
    record CustomerState(String externalId, String skiplinoId, String contentHash, Instant appliedSourceTs,
                         boolean deleted, int attempts) {
    }

    /** A stored change not yet applied. */
    record PendingEvent(long id, ChangeSource source, String eventId, ChangeType type, Instant sourceTs,
                        String payload) {
    }

    /** How a change ended. */
    enum EventStatus { APPLIED, UNCHANGED, STALE, PARKED, SKIPPED }
}
