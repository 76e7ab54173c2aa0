-- Processing history with both ends of every attempt. Valid on H2 2.3 and PostgreSQL 15.
-- A row is written when an attempt starts (outcome RUNNING, finished_at null) in the transaction that
-- checked the lease, and completed when the attempt ends. lease_until is the lease the attempt runs
-- under, kept current by renewals: an attempt of an instance that died ends, at the latest, there.
-- Outcomes added: RUNNING (under way, or its instance died), ABANDONED (its worker was stopped by a
-- shutdown before it recorded anything; the change stays pending), ERROR (an unexpected failure).
-- So "no customer processed by two instances at once" is checkable from this table alone: the
-- intervals [started_at, COALESCE(finished_at, lease_until)] of one external_id never overlap.
ALTER TABLE sync_attempt ALTER COLUMN finished_at DROP NOT NULL;
ALTER TABLE sync_attempt ADD COLUMN lease_until TIMESTAMP WITH TIME ZONE;
-- the running attempts of an instance (lease renewal)
CREATE INDEX ix_sync_attempt_running ON sync_attempt (instance_id, finished_at);
