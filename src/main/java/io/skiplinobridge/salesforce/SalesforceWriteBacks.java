package io.skiplinobridge.salesforce;

import static io.skiplinobridge.store.SqlTime.instant;
import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.skiplinobridge.store.SkipLockedClaims;
import io.skiplinobridge.sync.ChangeSource;
import io.skiplinobridge.sync.SkiplinoLinkListener;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The write-back outbox ({@code salesforce_write_back}): which Skiplino {@code _id} each Salesforce record
 * is to hold in {@code bridge.salesforce.poll.write-back-field}, and whether it was written.
 *
 * <p>A row is queued by the sync engine, in the transaction that records a Salesforce change as applied
 * (or unchanged) and the customer's {@code _id} as known: so a customer created in Skiplino, or first
 * linked to an existing Skiplino customer, gets its write-back exactly when that is committed, and a
 * crash loses neither. A value already queued or written is not queued again, so the record change the
 * write-back itself causes (read back by the next poll, its content unchanged) queues nothing.
 *
 * <p>A parked row is listed in the ops failures ({@code sync_failure}, operation {@code WRITE_BACK}, linked
 * by {@code write_back_sobject} and the record key); retrying that failure makes the row pending again, and a
 * new value queued for the record supersedes it.
 */
@Component
@ConditionalOnSalesforce
class SalesforceWriteBacks implements SkiplinoLinkListener {

    static final String FAILURE_OPERATION = "WRITE_BACK";

    private static final SkipLockedClaims.Query DUE_ROWS = new SkipLockedClaims.Query("external_id", "sobject",
            "salesforce_write_back", "sobject = :sobject AND status = 'PENDING' AND due_at <= :now"
                    + " AND (lease_until IS NULL OR lease_until < :now)", "due_at, external_id");

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final SkipLockedClaims claims;
    private final ObjectMapper json;
    private final Clock clock;
    private final String sObject;
    private final String field;

    SalesforceWriteBacks(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, ObjectMapper json, Clock clock,
                         SalesforceProperties properties, SkipLockedClaims claims) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.claims = claims;
        this.json = json;
        this.clock = clock;
        this.sObject = properties.poll().object();
        this.field = properties.poll().writeBackField();
    }

    boolean enabled() {
        return !field.isEmpty();
    }

    String field() {
        return field;
    }

    @Override
    public void linked(String externalId, String skiplinoId, ChangeSource source) {
        if (!enabled() || source != ChangeSource.SALESFORCE) {
            return;
        }
        MapSqlParameterSource params = new MapSqlParameterSource("sobject", sObject).addValue("externalId", externalId)
                .addValue("field", field).addValue("skiplinoId", skiplinoId).addValue("now", ts(clock.instant()));
        List<Boolean> same = jdbc.query("""
                SELECT skiplino_id, field FROM salesforce_write_back WHERE sobject = :sobject AND external_id = :externalId
                """, params, (rs, n) -> skiplinoId.equals(rs.getString("skiplino_id")) && field.equals(rs.getString("field")));
        if (same.isEmpty()) {
            jdbc.update("""
                    INSERT INTO salesforce_write_back (sobject, external_id, field, skiplino_id, status, attempts, due_at,
                        created_at, updated_at)
                    VALUES (:sobject, :externalId, :field, :skiplinoId, 'PENDING', 0, :now, :now, :now)
                    """, params);
        } else if (!same.get(0)) {
            // a new _id (the customer was created again) or another field: written again; a delivery of the old
            // value under way loses its lease, so its outcome is not recorded over this one
            jdbc.update("""
                    UPDATE salesforce_write_back SET field = :field, skiplino_id = :skiplinoId, status = 'PENDING',
                        attempts = 0, due_at = :now, lease_owner = NULL, lease_until = NULL, last_error = NULL,
                        written_at = NULL, updated_at = :now
                    WHERE sobject = :sobject AND external_id = :externalId
                    """, params);
            jdbc.update("""
                    UPDATE sync_failure SET resolved_at = :now, resolution = 'SUPERSEDED'
                    WHERE write_back_sobject = :sobject AND external_id = :externalId AND resolved_at IS NULL
                    """, params);
        }
    }

    /** Rows per status ({@code PENDING}, {@code WRITTEN}, {@code PARKED}) of the polled object. */
    Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT status, COUNT(*) AS n FROM salesforce_write_back WHERE sobject = :sobject GROUP BY status",
                new MapSqlParameterSource("sobject", sObject), rs -> {
                    counts.put(rs.getString("status"), rs.getLong("n"));
                });
        return counts;
    }

    /** Reserves up to {@code limit} due rows for {@code owner}, oldest first; instances never claim the same row. */
    List<WriteBack> claim(String owner, int limit, Instant now, Instant leaseUntil) {
        MapSqlParameterSource params = new MapSqlParameterSource("sobject", sObject).addValue("owner", owner)
                .addValue("limit", limit).addValue("now", ts(now)).addValue("leaseUntil", ts(leaseUntil));
        return tx.execute(status -> {
            List<String> ids = claims.lockDue(DUE_ROWS, params, String.class);
            if (ids.isEmpty()) {
                return List.of();
            }
            // (sobject, external_id) pairs: H2 looks "sobject = ? AND external_id IN (...)" up by sobject alone
            params.addValue("keys", ids.stream().map(id -> new Object[] {sObject, id}).toList());
            jdbc.update("""
                    UPDATE salesforce_write_back SET lease_owner = :owner, lease_until = :leaseUntil
                    WHERE (sobject, external_id) IN (:keys)
                    """, params);
            return jdbc.query("""
                    SELECT external_id, field, skiplino_id, attempts, created_at FROM salesforce_write_back
                    WHERE (sobject, external_id) IN (:keys) ORDER BY external_id
                    """, params, (rs, n) -> new WriteBack(rs.getString("external_id"), rs.getString("field"),
                    rs.getString("skiplino_id"), rs.getInt("attempts"), instant(rs, "created_at")));
        });
    }

    /** Salesforce holds the value: done, unless the row was queued again meanwhile (then false). */
    boolean written(WriteBack row, String owner, Instant now) {
        return 1 == jdbc.update("""
                UPDATE salesforce_write_back SET status = 'WRITTEN', written_at = :now, last_error = NULL,
                    lease_owner = NULL, lease_until = NULL, updated_at = :now
                WHERE sobject = :sobject AND external_id = :externalId AND lease_owner = :owner AND status = 'PENDING'
                    AND skiplino_id = :skiplinoId
                """, rowParams(row, owner, now));
    }

    /** A failed delivery, tried again at {@code dueAt}; false when the row was queued again meanwhile. */
    boolean retryLater(WriteBack row, String owner, Instant now, Instant dueAt, String error) {
        return 1 == jdbc.update("""
                UPDATE salesforce_write_back SET attempts = attempts + 1, due_at = :dueAt, last_error = :error,
                    lease_owner = NULL, lease_until = NULL, updated_at = :now
                WHERE sobject = :sobject AND external_id = :externalId AND lease_owner = :owner AND status = 'PENDING'
                    AND skiplino_id = :skiplinoId
                """, rowParams(row, owner, now).addValue("dueAt", ts(dueAt)).addValue("error", truncate(error)));
    }

    /**
     * Salesforce keeps refusing the record: given up until an operator retries it or the customer's {@code _id}
     * changes, and listed in the ops failures with the reason. False when the row was queued again meanwhile.
     */
    boolean park(WriteBack row, String owner, Instant now, String error) {
        MapSqlParameterSource params = rowParams(row, owner, now).addValue("error", truncate(error))
                .addValue("operation", FAILURE_OPERATION).addValue("attempts", row.attempts() + 1)
                .addValue("payload", payload(row));
        Boolean parked = tx.execute(status -> {
            int updated = jdbc.update("""
                    UPDATE salesforce_write_back SET status = 'PARKED', attempts = attempts + 1, last_error = :error,
                        lease_owner = NULL, lease_until = NULL, updated_at = :now
                    WHERE sobject = :sobject AND external_id = :externalId AND lease_owner = :owner AND status = 'PENDING'
                        AND skiplino_id = :skiplinoId
                    """, params);
            if (updated == 1) {
                jdbc.update("""
                        INSERT INTO sync_failure (external_id, operation, reason, payload, attempts, created_at,
                            write_back_sobject)
                        VALUES (:externalId, :operation, :error, :payload, :attempts, :now, :sobject)
                        """, params);
            }
            return updated == 1;
        });
        return Boolean.TRUE.equals(parked);
    }

    /** The failure's payload: what the bridge tried to write where (no secret is part of it). */
    private String payload(WriteBack row) {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("sObject", sObject);
        payload.put("externalId", row.externalId());
        payload.put("field", row.field());
        payload.put("skiplinoId", row.skiplinoId());
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a write-back payload could not be written as JSON", e);
        }
    }

    /** The lease is given back without an outcome. */
    void release(WriteBack row, String owner) {
        jdbc.update("""
                UPDATE salesforce_write_back SET lease_owner = NULL, lease_until = NULL
                WHERE sobject = :sobject AND external_id = :externalId AND lease_owner = :owner
                """, rowParams(row, owner, clock.instant()));
    }

    private MapSqlParameterSource rowParams(WriteBack row, String owner, Instant now) {
        return new MapSqlParameterSource("sobject", sObject).addValue("externalId", row.externalId())
                .addValue("owner", owner).addValue("now", ts(now)).addValue("skiplinoId", row.skiplinoId());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 1999) + "…";
    }

    /** A claimed row: write {@code skiplinoId} into {@code field} of the record keyed {@code externalId}. */
    record WriteBack(String externalId, String field, String skiplinoId, int attempts, Instant createdAt) {
    }
}
