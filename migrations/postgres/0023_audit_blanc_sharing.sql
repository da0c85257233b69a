-- When the SIAE shared its audit blanc: from then on its results stand, beside each requirement,
-- as the previous result of its next certification audit (for the auditor and the committee).
-- Sharing is not withdrawn. Same as migrations/sqlite/0023_audit_blanc_sharing.sql.

ALTER TABLE demandes ADD COLUMN shared_at TEXT
    CONSTRAINT demandes_shared_at_check CHECK (is_stored_timestamp(shared_at));
