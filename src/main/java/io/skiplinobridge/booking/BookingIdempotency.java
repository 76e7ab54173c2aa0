package io.skiplinobridge.booking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.skiplinobridge.config.ConditionalOnFlows;
import io.skiplinobridge.store.SqlTime;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Durable idempotency keys of book ({@code booking_request}, migration V25), scoped per customer. A key
 * moves through:
 * <pre>
 *   (none) ─claim─► IN_PROGRESS ─booked─► DONE (answer replayed to every retry until the retention ends)
 *                        │ ├─refused / never sent─► (none): nothing was booked, a retry books afresh
 *                        │ └─outcome unknown─► UNCERTAIN ─retry─► IN_PROGRESS, after a look for the ticket
 *                        └─ instance died: after in-progress-timeout a retry takes over like UNCERTAIN
 * </pre>
 * Every transition is one conditional statement on the row, so two instances racing on one key cannot
 * both proceed.
 */
@Component
@ConditionalOnFlows
class BookingIdempotency {

    static final String IN_PROGRESS = "IN_PROGRESS";
    static final String UNCERTAIN = "UNCERTAIN";
    static final String DONE = "DONE";

    /** What a request with a key should do. */
    sealed interface Claim permits Fresh, Replay, Resume {
    }

    /** The key is new: book; {@code startedAt} identifies this attempt in later transitions. */
    record Fresh(Instant startedAt) implements Claim {
    }

    /** The key already booked: answer exactly this again. */
    record Replay(int status, String body, String ticketId) implements Claim {
    }

    /**
     * An earlier attempt with this key may have booked (its outcome is unknown): look for its ticket
     * booked since {@code previousAttemptAt} before booking again.
     */
    record Resume(Instant startedAt, Instant previousAttemptAt) implements Claim {
    }

    private record Row(String hash, String state, Instant attemptStartedAt, Integer status, String body,
                       String ticketId) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final BookingProperties.Idempotency settings;

    BookingIdempotency(JdbcTemplate jdbc, Clock clock, BookingProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.settings = properties.idempotency();
    }

    Claim claim(String externalId, String key, String requestHash) {
        Instant now = now();
        jdbc.update("DELETE FROM booking_request WHERE created_at < ?", SqlTime.ts(now.minus(settings.retention())));
        try {
            jdbc.update("INSERT INTO booking_request (external_id, idempotency_key, request_hash, state, "
                    + "attempt_started_at, created_at) VALUES (?, ?, ?, ?, ?, ?)", externalId, key, requestHash,
                    IN_PROGRESS, SqlTime.ts(now), SqlTime.ts(now));
            return new Fresh(now);
        } catch (DuplicateKeyException taken) {
            return existing(externalId, key, requestHash, now);
        }
    }

    private Claim existing(String externalId, String key, String requestHash, Instant now) {
        List<Row> rows = jdbc.query("SELECT request_hash, state, attempt_started_at, http_status, response_body, "
                + "ticket_id FROM booking_request WHERE external_id = ? AND idempotency_key = ?",
                (rs, n) -> new Row(rs.getString("request_hash"), rs.getString("state"),
                        SqlTime.instant(rs, "attempt_started_at"), rs.getObject("http_status", Integer.class),
                        rs.getString("response_body"), rs.getString("ticket_id")), externalId, key);
        if (rows.isEmpty()) {
            // released between our insert and this read: the key is free again
            return claim(externalId, key, requestHash);
        }
        Row row = rows.get(0);
        if (!row.hash().equals(requestHash)) {
            throw BookingProblem.invalid(HttpStatus.UNPROCESSABLE_ENTITY, List.of(BookingProblem.FieldError.parameter(
                    "Idempotency-Key", "was already used for a different booking of this customer; use a new key "
                            + "for a new booking"))).title("Idempotency key reused");
        }
        if (DONE.equals(row.state())) {
            return new Replay(row.status(), row.body(), row.ticketId());
        }
        boolean abandoned = IN_PROGRESS.equals(row.state())
                && !row.attemptStartedAt().plus(settings.inProgressTimeout()).isAfter(now);
        if (UNCERTAIN.equals(row.state()) || abandoned) {
            int taken = jdbc.update("UPDATE booking_request SET state = ?, attempt_started_at = ? WHERE external_id = ? "
                    + "AND idempotency_key = ? AND state = ? AND attempt_started_at = ?", IN_PROGRESS, SqlTime.ts(now),
                    externalId, key, row.state(), SqlTime.ts(row.attemptStartedAt()));
            if (taken == 1) {
                return new Resume(now, row.attemptStartedAt());
            }
        }
        throw BookingProblem.of(HttpStatus.CONFLICT, "A booking with this Idempotency-Key is still under way; "
                + "retry shortly to get its result.").title("Booking in progress")
                .retryAfter(Duration.ofSeconds(1));
    }

    /** The booking succeeded: remember its answer for the retries. */
    void done(String externalId, String key, Instant startedAt, int status, String body, String ticketId) {
        jdbc.update("UPDATE booking_request SET state = ?, http_status = ?, response_body = ?, ticket_id = ?, "
                + "completed_at = ? WHERE external_id = ? AND idempotency_key = ? AND state = ? AND attempt_started_at = ?",
                DONE, status, body, ticketId, SqlTime.ts(now()), externalId, key, IN_PROGRESS, SqlTime.ts(startedAt));
    }

    /** Skiplino certainly booked nothing: the key is free for a retry. */
    void release(String externalId, String key, Instant startedAt) {
        jdbc.update("DELETE FROM booking_request WHERE external_id = ? AND idempotency_key = ? AND state = ? "
                + "AND attempt_started_at = ?", externalId, key, IN_PROGRESS, SqlTime.ts(startedAt));
    }

    /** Skiplino may have booked: a retry looks for the ticket first. */
    void uncertain(String externalId, String key, Instant startedAt) {
        jdbc.update("UPDATE booking_request SET state = ? WHERE external_id = ? AND idempotency_key = ? AND state = ? "
                + "AND attempt_started_at = ?", UNCERTAIN, externalId, key, IN_PROGRESS, SqlTime.ts(startedAt));
    }

    /** Tickets already the result of one of this customer's keys, which a retry must not claim again. */
    Set<String> ticketsOf(String externalId) {
        return new HashSet<>(jdbc.queryForList("SELECT ticket_id FROM booking_request WHERE external_id = ? "
                + "AND ticket_id IS NOT NULL", String.class, externalId));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
