package io.skiplinobridge.tickets;

import static io.skiplinobridge.store.SqlTime.instant;
import static io.skiplinobridge.store.SqlTime.ts;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.skiplinobridge.config.ConditionalOnFlows;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mirror's view of tickets and of the customers discovery polls ({@code ticket_mirror},
 * {@code ticket_poll}). A sighting and the outbox rows it queues commit in one transaction, under the
 * ticket's row lock, so two sightings of one ticket at once (the poll and a booking) are serialised and
 * each state is queued once per target.
 */
@Component
@ConditionalOnFlows
class TicketStore {

    /** Retries of a sighting whose first insert raced with another sighting's insert of the same ticket. */
    private static final int INSERT_RACE_RETRIES = 3;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    TicketStore(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** What a sighting did. */
    enum SightingOutcome {
        /** first time this ticket was seen */
        NEW,
        /** its status, statusAt or time differ from the state last seen */
        CHANGED,
        /** the same state as last seen */
        UNCHANGED,
        /** older than the state last seen (a slow reader): ignored */
        STALE;

        boolean queued() {
            return this == NEW || this == CHANGED;
        }
    }

    /**
     * Records a sighting and, when the ticket is new or changed, one outbox row per target, all in one
     * transaction.
     */
    SightingOutcome sight(Sighting sighting, List<String> targets, Instant now) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.execute(status -> sightLocked(sighting, targets, now));
            } catch (DuplicateKeyException race) {
                // another sighting inserted the ticket (or the customer's poll row) first: now the row
                // exists, and the retry waits for its lock like any later sighting
                if (attempt >= INSERT_RACE_RETRIES) {
                    throw race;
                }
            }
        }
    }

    private SightingOutcome sightLocked(Sighting s, List<String> targets, Instant now) {
        MapSqlParameterSource params = new MapSqlParameterSource("ticketId", s.ticketId())
                .addValue("externalId", s.externalId()).addValue("skiplinoCustomer", s.skiplinoCustomer())
                .addValue("status", s.status()).addValue("statusAt", ts(s.statusAt()))
                .addValue("time", ts(s.time())).addValue("finalState", s.finalState())
                .addValue("payload", s.payload()).addValue("now", ts(now));
        List<State> previous = jdbc.query("""
                SELECT status, status_at, appointment_time FROM ticket_mirror WHERE ticket_id = :ticketId FOR UPDATE
                """, params, (rs, n) -> new State(rs.getString("status"), instant(rs, "status_at"),
                instant(rs, "appointment_time")));
        SightingOutcome outcome;
        if (previous.isEmpty()) {
            jdbc.update("""
                    INSERT INTO ticket_mirror (ticket_id, external_id, skiplino_customer, status, status_at,
                        appointment_time, final_state, payload, first_seen_at, changed_at, last_seen_at)
                    VALUES (:ticketId, :externalId, :skiplinoCustomer, :status, :statusAt, :time, :finalState,
                        :payload, :now, :now, :now)
                    """, params);
            outcome = SightingOutcome.NEW;
        } else {
            State last = previous.get(0);
            if (last.sameAs(s)) {
                jdbc.update("UPDATE ticket_mirror SET last_seen_at = :now WHERE ticket_id = :ticketId", params);
                return SightingOutcome.UNCHANGED;
            }
            if (last.statusAt() != null && s.statusAt() != null && s.statusAt().isBefore(last.statusAt())) {
                return SightingOutcome.STALE;
            }
            jdbc.update("""
                    UPDATE ticket_mirror SET external_id = :externalId,
                        skiplino_customer = COALESCE(:skiplinoCustomer, skiplino_customer), status = :status,
                        status_at = :statusAt, appointment_time = :time, final_state = :finalState,
                        payload = :payload, changed_at = :now, last_seen_at = :now
                    WHERE ticket_id = :ticketId
                    """, params);
            outcome = SightingOutcome.CHANGED;
        }
        params.addValue("stateKey", s.stateKey());
        for (String target : targets) {
            params.addValue("target", target);
            jdbc.update("""
                    INSERT INTO crm_outbox (target, ticket_id, state_key, external_id, skiplino_customer, status_at,
                        payload, status, attempts, due_at, created_at)
                    SELECT :target, :ticketId, :stateKey, :externalId, :skiplinoCustomer, :statusAt, :payload,
                        'PENDING', 0, :now, :now FROM ticket_mirror
                    WHERE ticket_id = :ticketId AND NOT EXISTS (SELECT 1 FROM crm_outbox
                        WHERE target = :target AND ticket_id = :ticketId AND state_key = :stateKey)
                    """, params);
        }
        int touched = jdbc.update("UPDATE ticket_poll SET last_activity_at = :now WHERE external_id = :externalId",
                params);
        if (touched == 0) {
            jdbc.update("INSERT INTO ticket_poll (external_id, last_activity_at) VALUES (:externalId, :now)", params);
        }
        return outcome;
    }

    // ---- discovery

    /**
     * Of these tickets, the ids whose stored state equals the one given (status, statusAt, time): a
     * sighting of them would change nothing, so discovery skips them without a transaction.
     */
    Set<String> unchanged(List<Sighting> sightings) {
        if (sightings.isEmpty()) {
            return Set.of();
        }
        Map<String, Sighting> byId = new HashMap<>();
        sightings.forEach(s -> byId.put(s.ticketId(), s));
        Set<String> same = new HashSet<>();
        jdbc.query("""
                SELECT ticket_id, status, status_at, appointment_time FROM ticket_mirror WHERE ticket_id IN (:ids)
                """, new MapSqlParameterSource("ids", byId.keySet()), rs -> {
            State stored = new State(rs.getString("status"), instant(rs, "status_at"), instant(rs, "appointment_time"));
            String id = rs.getString("ticket_id");
            if (stored.sameAs(byId.get(id))) {
                same.add(id);
            }
        });
        return same;
    }

    /** Tickets not in a final state that changed after {@code changedAfter}, least recently seen first. */
    List<OpenTicket> openTickets(Instant changedAfter) {
        return jdbc.query("""
                SELECT ticket_id, external_id, skiplino_customer FROM ticket_mirror
                WHERE final_state = FALSE AND changed_at > :after ORDER BY last_seen_at
                """, new MapSqlParameterSource("after", ts(changedAfter)), (rs, n) -> new OpenTicket(
                rs.getString("ticket_id"), rs.getString("external_id"), rs.getString("skiplino_customer")));
    }

    /**
     * Synced customers (a Skiplino {@code _id}, not deleted) with a new or changed ticket after
     * {@code activeAfter} and not polled since {@code polledBefore}, least recently polled first.
     */
    List<SyncedCustomer> recentlyActive(Instant activeAfter, Instant polledBefore, int limit) {
        return jdbc.query("""
                SELECT c.external_id, c.skiplino_id FROM customer_sync c JOIN ticket_poll p ON p.external_id = c.external_id
                WHERE c.skiplino_id IS NOT NULL AND c.deleted = FALSE AND p.last_activity_at > :activeAfter
                    AND (p.last_polled_at IS NULL OR p.last_polled_at < :polledBefore)
                ORDER BY p.last_polled_at NULLS FIRST, c.external_id FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("activeAfter", ts(activeAfter)).addValue("polledBefore", ts(polledBefore))
                .addValue("limit", limit), (rs, n) -> new SyncedCustomer(rs.getString(1), rs.getString(2)));
    }

    /** Synced customers in round-robin order: never polled first, then the longest unpolled. */
    List<SyncedCustomer> roundRobin(int limit) {
        return jdbc.query("""
                SELECT c.external_id, c.skiplino_id FROM customer_sync c LEFT JOIN ticket_poll p ON p.external_id = c.external_id
                WHERE c.skiplino_id IS NOT NULL AND c.deleted = FALSE
                ORDER BY p.last_polled_at NULLS FIRST, c.external_id FETCH FIRST :limit ROWS ONLY
                """, new MapSqlParameterSource("limit", limit),
                (rs, n) -> new SyncedCustomer(rs.getString(1), rs.getString(2)));
    }

    /** The ticket is not fetched on its own any more (Skiplino answered 404); its mirrored state stays. */
    void stopFollowing(String ticketId) {
        jdbc.update("UPDATE ticket_mirror SET final_state = TRUE WHERE ticket_id = :ticketId",
                new MapSqlParameterSource("ticketId", ticketId));
    }

    /** The Skiplino {@code _id} of a synced customer, or null. */
    String skiplinoId(String externalId) {
        List<String> ids = jdbc.queryForList("""
                SELECT skiplino_id FROM customer_sync WHERE external_id = :externalId AND deleted = FALSE
                """, new MapSqlParameterSource("externalId", externalId), String.class);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /** These customers' ticket lists were read (as far as anything was new) at {@code now}: one batch. */
    void polled(Collection<String> externalIds, Instant now) {
        if (externalIds.isEmpty()) {
            return;
        }
        MapSqlParameterSource[] rows = externalIds.stream().map(id -> new MapSqlParameterSource("externalId", id)
                .addValue("now", ts(now))).toArray(MapSqlParameterSource[]::new);
        int[] updated = jdbc.batchUpdate("UPDATE ticket_poll SET last_polled_at = :now WHERE external_id = :externalId",
                rows);
        for (int i = 0; i < rows.length; i++) {
            if (updated[i] == 0) {
                try {
                    jdbc.update("INSERT INTO ticket_poll (external_id, last_polled_at) VALUES (:externalId, :now)", rows[i]);
                } catch (DuplicateKeyException race) {
                    jdbc.update("UPDATE ticket_poll SET last_polled_at = :now WHERE external_id = :externalId", rows[i]);
                }
            }
        }
    }

    /** One sighting, ready to store. */
    record Sighting(String ticketId, String externalId, String skiplinoCustomer, String status, Instant statusAt,
                    Instant time, boolean finalState, String payload) {

        String stateKey() {
            return status + "|" + statusAt + "|" + time;
        }
    }

    record OpenTicket(String ticketId, String externalId, String skiplinoCustomer) {
    }

    record SyncedCustomer(String externalId, String skiplinoId) {
    }

    private record State(String status, Instant statusAt, Instant time) {

        boolean sameAs(Sighting s) {
            return Objects.equals(status, s.status()) && Objects.equals(statusAt, s.statusAt())
                    && Objects.equals(time, s.time());
        }
    }
}
