-- Idempotency keys of the booking API (POST /api/booking/customers/{externalId}/tickets with an
-- Idempotency-Key header). Valid on H2 2.3 and PostgreSQL 15.
--
-- A row is claimed (IN_PROGRESS) before Skiplino is called, so two concurrent requests with one key
-- never both book. It ends DONE with the answer that is replayed to every retry, is deleted when
-- Skiplino certainly booked nothing (refused, or the call was never sent), or becomes UNCERTAIN when
-- the call may have booked (timeout, reset, 5xx, unreadable answer): a retry then looks for the
-- ticket among the customer's newest tickets before booking again.
CREATE TABLE booking_request (
    external_id         VARCHAR(255) NOT NULL,
    idempotency_key     VARCHAR(255) NOT NULL,
    request_hash        VARCHAR(64)  NOT NULL,          -- SHA-256 of the canonical booking request
    state               VARCHAR(12)  NOT NULL,          -- IN_PROGRESS, UNCERTAIN, DONE
    attempt_started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    http_status         INT,                            -- DONE: the status replayed
    response_body       TEXT,                           -- DONE: the body replayed (the booked ticket)
    ticket_id           VARCHAR(64),                    -- DONE: the ticket booked under this key
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    completed_at        TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_booking_request PRIMARY KEY (external_id, idempotency_key)
);
CREATE INDEX ix_booking_request_created ON booking_request (created_at);
CREATE INDEX ix_booking_request_ticket ON booking_request (ticket_id);
