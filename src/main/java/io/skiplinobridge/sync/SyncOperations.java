package io.skiplinobridge.sync;

import static io.skiplinobridge.store.SqlTime.instant;
import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What operators may do to the sync engine's state (through the ops API), kept beside the engine so
 * its invariants stay in one package: list and replay parked changes, read the latest CRM state the
 * bridge holds, and record what Skiplino actually holds (the resync's drift repair).
 *
 * <p>Every write locks the customer's {@code customer_sync} row first, the order the workers and the
 * inbox use, so an operator's action never deadlocks with them. Nothing here calls Skiplino: a replayed
 * or resynced change is applied by the engine like any other.
 */
@Component
@ConditionalOnFlows
public class SyncOperations {

    /** Upper bound of ids in one {@code IN (...)} list. */
    private static final int CHUNK = 500;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final InboxStore inbox;
    private final ObjectMapper json;
    private final Clock clock;

    SyncOperations(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, InboxStore inbox, ObjectMapper json,
                   Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.inbox = inbox;
        this.json = json;
        this.clock = clock;
    }

    // ---- parked failures

    /** One page of failures matching {@code filter}, newest first, and how many match in all. */
    public FailurePage failures(FailureFilter filter, int page, int size) {
        MapSqlParameterSource params = filter.parameters().addValue("offset", (long) page * size)
                .addValue("size", size);
        List<Failure> items = jdbc.query("SELECT id, external_id, inbox_event_id, operation, http_status, reason, "
                        + "payload, attempts, created_at, resolved_at, resolution FROM sync_failure WHERE " + filter.where()
                        + " ORDER BY id DESC OFFSET :offset ROWS FETCH NEXT :size ROWS ONLY",
                params, (rs, n) -> new Failure(rs.getLong("id"), rs.getString("external_id"),
                        rs.getObject("inbox_event_id", Long.class), rs.getString("operation"),
                        rs.getObject("http_status", Integer.class), rs.getString("reason"), rs.getString("payload"),
                        rs.getInt("attempts"), instant(rs, "created_at"), instant(rs, "resolved_at"),
                        rs.getString("resolution")));
        Long total = jdbc.queryForObject("SELECT COUNT(*) FROM sync_failure WHERE " + filter.where(),
                filter.parameters(), Long.class);
        return new FailurePage(items, total == null ? 0 : total);
    }

    /**
     * Makes a parked change pending again: its inbox event back to {@code PENDING}, the customer due now
     * with its attempts reset, the failure resolved {@code RETRIED}; a parked ticket delivery or Salesforce
     * write-back instead becomes pending again in its own queue, due now with its attempts reset. A failure
     * already resolved is left as it is, so retrying twice is harmless.
     */
    public Retry retryFailure(long failureId) {
        List<String> owner = jdbc.queryForList("SELECT external_id FROM sync_failure WHERE id = :id",
                new MapSqlParameterSource("id", failureId), String.class);
        if (owner.isEmpty()) {
            return new Retry(failureId, null, RetryOutcome.NOT_FOUND, null);
        }
        String externalId = owner.get(0);
        return tx.execute(status -> {
            Instant now = clock.instant();
            jdbc.queryForList("SELECT external_id FROM customer_sync WHERE external_id = :externalId FOR UPDATE",
                    new MapSqlParameterSource("externalId", externalId), String.class);
            MapSqlParameterSource params = new MapSqlParameterSource("id", failureId).addValue("now", ts(now))
                    .addValue("externalId", externalId);
            int resolved = jdbc.update("""
                    UPDATE sync_failure SET resolved_at = :now, resolution = 'RETRIED'
                    WHERE id = :id AND resolved_at IS NULL
                    """, params);
            if (resolved == 0) {
                String resolution = jdbc.queryForObject("SELECT resolution FROM sync_failure WHERE id = :id",
                        params, String.class);
                return new Retry(failureId, externalId, RetryOutcome.ALREADY_RESOLVED, resolution);
            }
            // a parked ticket delivery (operation TICKET) goes back to the CRM outbox, a parked Salesforce
            // write-back (WRITE_BACK) to its queue; neither to the customer sync
            Map<String, Object> origin = jdbc.queryForMap(
                    "SELECT crm_outbox_id, write_back_sobject FROM sync_failure WHERE id = :id", params);
            if (origin.get("crm_outbox_id") != null) {
                jdbc.update("""
                        UPDATE crm_outbox SET status = 'PENDING', due_at = :now, attempts = 0, last_error = NULL,
                            lease_owner = NULL, lease_until = NULL
                        WHERE id = :outboxId AND status = 'PARKED'
                        """, params.addValue("outboxId", origin.get("crm_outbox_id")));
                return new Retry(failureId, externalId, RetryOutcome.RETRIED, "RETRIED");
            }
            if (origin.get("write_back_sobject") != null) {
                jdbc.update("""
                        UPDATE salesforce_write_back SET status = 'PENDING', due_at = :now, attempts = 0,
                            last_error = NULL, lease_owner = NULL, lease_until = NULL, updated_at = :now
                        WHERE sobject = :sobject AND external_id = :externalId AND status = 'PARKED'
                        """, params.addValue("sobject", origin.get("write_back_sobject")));
                return new Retry(failureId, externalId, RetryOutcome.RETRIED, "RETRIED");
            }
            jdbc.update("""
                    UPDATE inbox_event SET status = 'PENDING', finished_at = NULL
                    WHERE id = (SELECT inbox_event_id FROM sync_failure WHERE id = :id) AND status = 'PARKED'
                    """, params);
            jdbc.update("""
                    UPDATE customer_sync SET due_at = :now, attempts = 0, last_error = NULL, updated_at = :now
                    WHERE external_id = :externalId
                    """, params);
            return new Retry(failureId, externalId, RetryOutcome.RETRIED, "RETRIED");
        });
    }

    /** Retries every open failure matching {@code filter} (its state is forced to open); returns how many. */
    public int retryFailures(FailureFilter filter) {
        FailureFilter open = filter.onlyOpen();
        int retried = 0;
        long below = Long.MAX_VALUE;
        while (true) {
            List<Long> ids = jdbc.queryForList("SELECT id FROM sync_failure WHERE " + open.where()
                            + " AND id < :below ORDER BY id DESC FETCH FIRST " + CHUNK + " ROWS ONLY",
                    open.parameters().addValue("below", below), Long.class);
            for (long id : ids) {
                if (retryFailure(id).outcome() == RetryOutcome.RETRIED) {
                    retried++;
                }
            }
            if (ids.size() < CHUNK) {
                return retried;
            }
            below = ids.get(ids.size() - 1);
        }
    }

    // ---- resync support

    /**
     * The latest change (by source time, then arrival) the bridge holds for each of these customers,
     * whatever became of it: the CRM state the bridge would have Skiplino hold. Customers with no change
     * stored are absent from the map.
     */
    public Map<String, LatestChange> latestChanges(Collection<String> externalIds) {
        Map<String, LatestChange> latest = new HashMap<>();
        for (List<String> chunk : chunks(externalIds)) {
            jdbc.query("""
                    SELECT e.external_id, e.id, e.change_type, e.source_ts, e.payload FROM inbox_event e
                    WHERE e.external_id IN (:ids) AND NOT EXISTS (
                        SELECT 1 FROM inbox_event n WHERE n.external_id = e.external_id
                        AND (n.source_ts > e.source_ts OR (n.source_ts = e.source_ts AND n.id > e.id)))
                    """, new MapSqlParameterSource("ids", chunk), rs -> {
                ChangeType type = ChangeType.valueOf(rs.getString("change_type"));
                String payload = rs.getString("payload");
                latest.put(rs.getString("external_id"), new LatestChange(rs.getString("external_id"),
                        rs.getLong("id"), type, instant(rs, "source_ts"),
                        type == ChangeType.UPSERT ? read(payload) : null));
            });
        }
        return latest;
    }

    /** What the bridge believes Skiplino holds for each of these customers (absent: never seen). */
    public Map<String, KnownState> knownStates(Collection<String> externalIds) {
        Map<String, KnownState> known = new HashMap<>();
        for (List<String> chunk : chunks(externalIds)) {
            jdbc.query("SELECT external_id, skiplino_id, content_hash, deleted FROM customer_sync WHERE external_id IN (:ids)",
                    new MapSqlParameterSource("ids", chunk), rs -> {
                        known.put(rs.getString("external_id"), new KnownState(rs.getString("external_id"),
                                rs.getString("skiplino_id"), rs.getString("content_hash"), rs.getBoolean("deleted")));
                    });
        }
        return known;
    }

    /** Customers the bridge knows, in externalId order after {@code after} (null: from the first). */
    public List<String> customersAfter(String after, int limit) {
        MapSqlParameterSource params = new MapSqlParameterSource("after", after).addValue("limit", limit);
        if (after == null) {
            return jdbc.queryForList("SELECT external_id FROM customer_sync ORDER BY external_id FETCH FIRST :limit ROWS ONLY",
                    params, String.class);
        }
        return jdbc.queryForList("""
                SELECT external_id FROM customer_sync WHERE external_id > :after
                ORDER BY external_id FETCH FIRST :limit ROWS ONLY
                """, params, String.class);
    }

    /**
     * Records what Skiplino actually holds for each customer (its {@code _id} and content hash, both
     * null when Skiplino has no such customer), and enqueues a {@link ChangeSource#RESYNC} change
     * re-asserting the latest CRM state where one is given, so that the engine writes whatever differs.
     * The change keeps the source time of the state it re-asserts: a newer CRM change still wins, and
     * an older one still counts as stale. All of it in one transaction.
     *
     * @param resyncId names the resync: with the inbox event id, it makes each change's event id unique
     * @return the changes enqueued
     */
    public int converge(String resyncId, List<Convergence> convergences) {
        if (convergences.isEmpty()) {
            return 0;
        }
        List<Convergence> inKeyOrder = convergences.stream()
                .sorted(Comparator.comparing(Convergence::externalId)).toList();
        Integer enqueued = tx.execute(status -> {
            Instant now = clock.instant();
            MapSqlParameterSource[] rows = inKeyOrder.stream().map(c -> new MapSqlParameterSource()
                            .addValue("externalId", c.externalId()).addValue("skiplinoId", c.skiplinoId())
                            .addValue("hash", c.contentHash()).addValue("now", ts(now)))
                    .toArray(MapSqlParameterSource[]::new);
            jdbc.batchUpdate("""
                    UPDATE customer_sync SET skiplino_id = :skiplinoId, content_hash = :hash, deleted = FALSE,
                        updated_at = :now
                    WHERE external_id = :externalId
                    """, rows);
            List<CustomerChange> changes = inKeyOrder.stream().filter(c -> c.reassert() != null)
                    .map(c -> CustomerChange.upsert(ChangeSource.RESYNC, resyncId + ":" + c.reassert().inboxEventId(),
                            c.reassert().sourceTs(), c.reassert().customer()))
                    .toList();
            return inbox.append(changes).accepted();
        });
        return enqueued == null ? 0 : enqueued;
    }

    private CanonicalCustomer read(String payload) {
        try {
            return json.readValue(payload, CanonicalCustomer.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an inbox payload holds unreadable JSON", e);
        }
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = List.copyOf(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            chunks.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return chunks;
    }

    /** How a retry request ended. */
    public enum RetryOutcome {
        /** the change is pending again */
        RETRIED,
        /** nothing done: the failure had been resolved before (see {@code resolution}) */
        ALREADY_RESOLVED,
        NOT_FOUND
    }

    public record Retry(long failureId, String externalId, RetryOutcome outcome, String resolution) {
    }

    /** A parked change: why Skiplino or the mapping refused it, and the payload the bridge tried to send. */
    public record Failure(long id, String externalId, Long inboxEventId, String operation, Integer httpStatus,
                          String reason, String payload, int attempts, Instant createdAt, Instant resolvedAt,
                          String resolution) {
    }

    public record FailurePage(List<Failure> items, long total) {
    }

    /** The latest stored change of a customer; {@code customer} is null for a delete. */
    public record LatestChange(String externalId, long inboxEventId, ChangeType type, Instant sourceTs,
                               CanonicalCustomer customer) {
    }

    /** What {@code customer_sync} says Skiplino holds. */
    public record KnownState(String externalId, String skiplinoId, String contentHash, boolean deleted) {
    }

    /**
     * What Skiplino holds for one customer ({@code skiplinoId}, {@code contentHash}: null when absent)
     * and, when it differs from the CRM state, the change to re-assert ({@code reassert}, else null).
     */
    public record Convergence(String externalId, String skiplinoId, String contentHash, LatestChange reassert) {

        public Convergence {
            Objects.requireNonNull(externalId, "externalId");
        }
    }
}
