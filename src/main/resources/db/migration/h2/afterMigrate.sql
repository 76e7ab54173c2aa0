-- Flyway callback, run at every start on H2 before the bridge takes requests: every commit is written to
-- the database file before it returns (H2's default holds commits in memory for up to 500 ms, so a killed
-- process lost webhook events it had already answered 202; found by CrashLoopIT). The file is written, not
-- fsynced: a killed process loses nothing, a power cut may lose the last writes (docs/production.md).
SET WRITE_DELAY 0;
