-- Indexes behind the ops surface (status page, metrics, health), so that each of its queries is an
-- index lookup however long the history grows. Valid on H2 2.3 and PostgreSQL 15.

-- changes received per minute
CREATE INDEX ix_inbox_event_received ON inbox_event (received_at);
-- the last attempt of any outcome
CREATE INDEX ix_sync_attempt_finished ON sync_attempt (finished_at);
-- customers applied per minute, the last successful attempt, the mass-delete guard's count
CREATE INDEX ix_sync_attempt_outcome ON sync_attempt (outcome, finished_at);
