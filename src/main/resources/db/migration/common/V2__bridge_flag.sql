-- Switches an operator (or a guard) flips, shared by every instance and kept across restarts:
-- a paused flow, deletes paused by the mass-delete guard.
CREATE TABLE bridge_flag (
    name        VARCHAR(100) PRIMARY KEY,
    active      BOOLEAN NOT NULL,
    reason      VARCHAR(2000),
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_by  VARCHAR(100)
);
