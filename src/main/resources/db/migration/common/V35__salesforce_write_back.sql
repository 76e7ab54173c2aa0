-- The Salesforce write-back outbox (bridge.salesforce.poll.write-back-field): one row per CRM customer,
-- holding the Skiplino _id to write into its record. The row is written in the transaction that records
-- the customer's sync outcome, so a crash never loses a write-back; delivery claims rows with leases
-- (FOR UPDATE SKIP LOCKED) and sends them in sObject Collections calls of up to 200. Valid on H2 and PostgreSQL.
CREATE TABLE salesforce_write_back (
    sobject       VARCHAR(100) NOT NULL,
    external_id   VARCHAR(255) NOT NULL,       -- the record's value of the external id field
    field         VARCHAR(100) NOT NULL,       -- the record field written
    skiplino_id   VARCHAR(64)  NOT NULL,       -- the value written
    status        VARCHAR(12)  NOT NULL,       -- PENDING, WRITTEN, PARKED
    attempts      INT NOT NULL DEFAULT 0,      -- failed deliveries of this value so far
    due_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_owner   VARCHAR(100),
    lease_until   TIMESTAMP WITH TIME ZONE,
    last_error    VARCHAR(2000),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    written_at    TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (sobject, external_id)
);
CREATE INDEX ix_salesforce_write_back_due ON salesforce_write_back (status, due_at);
