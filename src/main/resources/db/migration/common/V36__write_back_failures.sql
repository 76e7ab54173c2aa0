-- A parked Salesforce write-back shows in the ops failures list like a parked customer change (operation
-- WRITE_BACK, the record's key as external_id); retrying the failure makes the salesforce_write_back row
-- (write_back_sobject, external_id) pending again. Rows parked before this version are listed too, without
-- a payload. Valid on H2 and PostgreSQL.
ALTER TABLE sync_failure ADD COLUMN write_back_sobject VARCHAR(100);

INSERT INTO sync_failure (external_id, operation, reason, attempts, created_at, write_back_sobject)
SELECT external_id, 'WRITE_BACK', COALESCE(last_error, 'Salesforce kept refusing the record'), attempts, updated_at, sobject
FROM salesforce_write_back WHERE status = 'PARKED';
