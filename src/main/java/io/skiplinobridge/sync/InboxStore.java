package io.skiplinobridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.store.LockRetry;
import io.skiplinobridge.store.SqlTime;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable inbox: every customer change from every source is committed here before it is
 * acknowledged, and its customer is marked as having work due.
 *
 * <p>A batch is stored in one transaction: all of it or none of it. An event id already stored for
 * the same source (or repeated inside the batch) is a duplicate: counted, not stored again.
 *
 * <p>Batches appended at the same moment by different threads (concurrent webhook requests) are committed
 * together (group commit, {@link GroupCommit}): one thread stores the batches that queued up behind the
 * previous commit in one transaction, and each caller returns once the transaction holding its batch has
 * committed, with its own counts, exactly as if it had committed alone and in queue order. This spares
 * one commit and the per-transaction statements per batch when many small batches arrive at once.
 */
@Component
@ConditionalOnFlows
public class InboxStore {

    /**
     * Runs of the append transaction when it fails on a unique key: each such failure means another
     * writer committed one of the same event ids meanwhile, which the next run sees as a duplicate, so
     * every run makes progress; concurrent senders of overlapping batches can collide several times.
     */
    private static final int MAX_ATTEMPTS = 10;
    /** Batches of one shared transaction at most. */
    static final int MAX_BATCHES = 64;
    /** Events of one shared transaction at most (a single larger batch still goes alone). */
    static final int MAX_EVENTS = 1_000;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ObjectMapper json;
    private final Clock clock;
    private final GroupCommit<List<CustomerChange>, AppendResult> groupCommit;

    InboxStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
        this.clock = clock;
        this.groupCommit = new GroupCommit<>(MAX_BATCHES, List::size, MAX_EVENTS, this::commitTogether);
    }

    /**
     * Stores the changes durably. Returns once they are committed.
     *
     * @throws org.springframework.dao.DataAccessException when the store cannot be reached; nothing
     *                                                     of the batch is stored then
     */
    public AppendResult append(List<CustomerChange> changes) {
        if (changes.isEmpty()) {
            return new AppendResult(0, 0);
        }
        return groupCommit.submit(changes);
    }

    /**
     * The batches of one group commit, in one transaction. When it fails on the data (a unique or check
     * constraint), each batch is stored again on its own, so one sender's bad batch never fails another's;
     * when it fails because the store cannot be reached, every caller in it gets that failure.
     */
    private void commitTogether(List<GroupCommit.Entry<List<CustomerChange>, AppendResult>> group) {
        try {
            List<AppendResult> results = appendRetried(group.stream().map(entry -> entry.item).toList(), () -> { });
            for (int i = 0; i < group.size(); i++) {
                group.get(i).complete(results.get(i));
            }
        } catch (DataIntegrityViolationException e) {
            if (group.size() == 1) {
                throw e;
            }
            for (GroupCommit.Entry<List<CustomerChange>, AppendResult> alone : group) {
                try {
                    alone.complete(appendRetried(List.of(alone.item), () -> { }).get(0));
                } catch (RuntimeException | Error failure) {
                    alone.fail(failure);
                }
            }
        }
    }

    /**
     * Stores the changes durably and runs {@code inSameTransaction} in the transaction that commits them,
     * so a source's position (a Salesforce watermark) moves exactly when its changes are stored. The
     * callback must be idempotent: it runs again if the transaction is retried.
     */
    public AppendResult append(List<CustomerChange> changes, Runnable inSameTransaction) {
        if (changes.isEmpty()) {
            tx.executeWithoutResult(status -> inSameTransaction.run());
            return new AppendResult(0, 0);
        }
        return appendRetried(List.of(changes), inSameTransaction).get(0);
    }

    /**
     * Stores several batches in one transaction, each counted on its own as if they had been appended
     * one after the other in list order, and runs {@code inSameTransaction} in it. Runs the transaction
     * again when a concurrent writer committed one of the same event ids or created one of the same
     * customers meanwhile (the unique constraint failed it; the next run sees that row).
     */
    List<AppendResult> appendRetried(List<List<CustomerChange>> batches, Runnable inSameTransaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return LockRetry.run("storing changes", () -> tx.execute(status -> {
                    List<AppendResult> results = appendInTransaction(batches);
                    inSameTransaction.run();
                    return results;
                }));
            } catch (DuplicateKeyException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private List<AppendResult> appendInTransaction(List<List<CustomerChange>> batches) {
        Instant now = clock.instant();
        Set<String> seen = alreadyStored(batches.stream().flatMap(List::stream).toList());
        List<CustomerChange> fresh = new ArrayList<>();
        List<AppendResult> results = new ArrayList<>(batches.size());
        for (List<CustomerChange> batch : batches) {
            int accepted = 0;
            int duplicates = 0;
            for (CustomerChange change : batch) {
                if (change.eventId() != null && !seen.add(key(change.source(), change.eventId()))) {
                    duplicates++;
                } else {
                    fresh.add(change);
                    accepted++;
                }
            }
            results.add(new AppendResult(accepted, duplicates));
        }
        if (!fresh.isEmpty()) {
            insertEvents(fresh, now);
            markDue(fresh, now);
        }
        return results;
    }

    private Set<String> alreadyStored(List<CustomerChange> changes) {
        Map<ChangeSource, List<String>> idsBySource = changes.stream()
                .filter(c -> c.eventId() != null)
                .collect(Collectors.groupingBy(CustomerChange::source,
                        Collectors.mapping(CustomerChange::eventId, Collectors.toList())));
        Set<String> stored = new HashSet<>();
        idsBySource.forEach((source, ids) -> {
            for (List<String> chunk : chunks(ids, 500)) {
                // (source, event_id) pairs, not "source = ? AND event_id IN (...)": H2 looks the latter up by
                // source alone and scans every stored event of the source (EXPLAIN ANALYZE: scanCount = rows),
                // which made each webhook request slower as the inbox grew; pairs are unique-index lookups
                List<Object[]> keys = chunk.stream().map(id -> new Object[] {source.name(), id}).toList();
                stored.addAll(jdbc.queryForList(
                        "SELECT event_id FROM inbox_event WHERE (source, event_id) IN (:keys)",
                        new MapSqlParameterSource("keys", keys), String.class)
                        .stream().map(id -> key(source, id)).toList());
            }
        });
        return stored;
    }

    private void insertEvents(List<CustomerChange> changes, Instant now) {
        OffsetDateTime receivedAt = SqlTime.ts(now);
        MapSqlParameterSource[] rows = changes.stream().map(c -> new MapSqlParameterSource()
                        .addValue("source", c.source().name())
                        .addValue("eventId", c.eventId())
                        .addValue("externalId", c.externalId())
                        .addValue("changeType", c.type().name())
                        .addValue("sourceTs", SqlTime.ts(c.occurredAt()))
                        .addValue("payload", c.customer() == null ? null : toJson(c.customer()))
                        .addValue("receivedAt", receivedAt))
                .toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT INTO inbox_event (source, event_id, external_id, change_type, source_ts, payload, status, received_at)
                VALUES (:source, :eventId, :externalId, :changeType, :sourceTs, :payload, 'PENDING', :receivedAt)
                """, rows);
    }

    /**
     * Marks each changed customer as having work due now, creating the row of a customer seen for the
     * first time, in the batch's transaction. Rows are touched in key order so that concurrent batches
     * lock them in the same order (no deadlock). A customer waiting out a retry backoff keeps its due
     * time. Two batches creating the same new customer at once: one insert wins, the other fails on the
     * unique key and its transaction runs again ({@link #appendRetried}), finding the row.
     */
    private void markDue(List<CustomerChange> changes, Instant now) {
        OffsetDateTime ts = SqlTime.ts(now);
        List<String> customers = changes.stream().map(CustomerChange::externalId).distinct()
                .sorted(Comparator.naturalOrder()).toList();
        MapSqlParameterSource[] rows = customers.stream()
                .map(externalId -> new MapSqlParameterSource("externalId", externalId).addValue("now", ts))
                .toArray(MapSqlParameterSource[]::new);
        // one batch of updates, then one of inserts for the customers it found no row for; both in key
        // order, so concurrent batches still take their row locks in the same order
        int[] updated = jdbc.batchUpdate("""
                UPDATE customer_sync SET due_at = COALESCE(due_at, :now), updated_at = :now
                WHERE external_id = :externalId
                """, rows);
        MapSqlParameterSource[] fresh = IntStream.range(0, rows.length).filter(i -> updated[i] == 0)
                .mapToObj(i -> rows[i]).toArray(MapSqlParameterSource[]::new);
        if (fresh.length > 0) {
            jdbc.batchUpdate("""
                    INSERT INTO customer_sync (external_id, attempts, deleted, due_at, updated_at)
                    VALUES (:externalId, 0, FALSE, :now, :now)
                    """, fresh);
        }
    }

    private String toJson(CanonicalCustomer customer) {
        try {
            return json.writeValueAsString(customer);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("customer " + customer.externalId() + " cannot be written as JSON", e);
        }
    }

    private static String key(ChangeSource source, String eventId) {
        return source.name() + '\u0000' + eventId;
    }

    private static <T> List<List<T>> chunks(List<T> list, int size) {
        Map<Integer, List<T>> chunks = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            chunks.computeIfAbsent(i / size, k -> new ArrayList<>()).add(list.get(i));
        }
        return List.copyOf(chunks.values());
    }
}
