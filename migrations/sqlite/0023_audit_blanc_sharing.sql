-- When the SIAE shared its audit blanc: from then on its results stand, beside each requirement,
-- as the previous result of its next certification audit (for the auditor and the committee).
-- Sharing is not withdrawn. Same as migrations/postgres/0023_audit_blanc_sharing.sql.

ALTER TABLE demandes ADD COLUMN shared_at TEXT
    CONSTRAINT demandes_shared_at_check CHECK (shared_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
        AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(shared_at, 1, 19))) IS substr(shared_at, 1, 19));
