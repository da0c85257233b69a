-- Append-only really is append-only, and the audit trail is chained; the same rules as
-- migrations/sqlite/0004_append_only_and_chain.sql.
--
-- 1. TRUNCATE is refused on every append-only table, directly or by cascade (audit_events has
--    refused it since 0001; assessment_history did not). PostgreSQL has no REPLACE, and an upsert's
--    DO UPDATE fires the UPDATE trigger. Triggers stop the application and mistakes, not the
--    tables' owner (who may drop them): README « PostgreSQL » shows how to serve with a role that
--    may only INSERT and SELECT on these tables (.ci/postgres-app-role.sql).
-- 2. Each audit entry carries `previous_hash` (the `entry_hash` of the entry before it, 64 zeros
--    for the first) and `entry_hash`, SHA-256 in lower-case hex over a canonical serialisation of
--    its columns and `previous_hash` (server/backend/src/db/audit.rs computes it, the same code for
--    both engines). `cedre journal verifier` walks the chain.
--    Entries written before this migration have no hashes yet: `Db::migrate` chains them right
--    after this migration, in id order, once. The trigger lets exactly that through — a row
--    without hashes receiving both, every other column unchanged — and refuses any other UPDATE;
--    new entries must carry their hashes (audit_events_chained, NOT VALID: it holds for every row
--    written from now on, and for the earlier ones once chained).
--    Two entries never follow the same one (unique `previous_hash`): the chain cannot fork.

CREATE TRIGGER assessment_history_no_truncate BEFORE TRUNCATE ON assessment_history
    FOR EACH STATEMENT EXECUTE FUNCTION assessment_history_append_only();

ALTER TABLE audit_events
    ADD COLUMN previous_hash TEXT,
    ADD COLUMN entry_hash TEXT,
    ADD CONSTRAINT audit_events_previous_hash_check CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT audit_events_entry_hash_check CHECK (entry_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_chained CHECK (previous_hash IS NOT NULL AND entry_hash IS NOT NULL) NOT VALID;

CREATE UNIQUE INDEX audit_events_previous_hash ON audit_events (previous_hash);
CREATE INDEX audit_events_unchained ON audit_events (id) WHERE entry_hash IS NULL;

CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.previous_hash IS NULL AND OLD.entry_hash IS NULL
           AND to_jsonb(NEW) - 'previous_hash' - 'entry_hash' = to_jsonb(OLD) - 'previous_hash' - 'entry_hash' THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;
