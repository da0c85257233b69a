-- Append-only really is append-only, and the audit trail is chained; the same rules as
-- migrations/postgres/0004_append_only_and_chain.sql.
--
-- 1. An INSERT never removes or overwrites a row of an append-only table. `INSERT OR REPLACE`,
--    `REPLACE` and `INSERT … ON CONFLICT (id) DO UPDATE` used to get around the UPDATE and DELETE
--    triggers: REPLACE deletes the row in its way without firing DELETE triggers unless the
--    connection set `PRAGMA recursive_triggers = ON` (Cedre's connections do, db/mod.rs; the
--    sqlite3 shell does not). The BEFORE INSERT triggers below refuse a row that would meet an
--    existing one, whatever the connection's settings. An upsert's DO UPDATE fires the UPDATE
--    trigger and was already refused.
-- 2. Each audit entry carries `previous_hash` (the `entry_hash` of the entry before it, 64 zeros
--    for the first) and `entry_hash`, SHA-256 in lower-case hex over a canonical serialisation of
--    its columns and `previous_hash` (server/backend/src/db/audit.rs computes it; SQLite has no
--    SHA-256 in SQL). `cedre journal verifier` walks the chain.
--    Entries written before this migration have no hashes yet: `Db::migrate` chains them right
--    after this migration, in id order, once. The UPDATE trigger lets exactly that through — a
--    row without hashes receiving both, every other column unchanged — and refuses any other
--    UPDATE; after that first `migrate` no entry lacks its hashes, and a new entry without them
--    is refused, so nothing of the exception remains usable.
--    Two entries never follow the same one (unique `previous_hash`): the chain cannot fork.

CREATE TRIGGER assessment_history_no_replace BEFORE INSERT ON assessment_history
WHEN EXISTS (SELECT 1 FROM assessment_history WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'assessment_history is append-only');
END;

ALTER TABLE audit_events ADD COLUMN previous_hash TEXT
    CONSTRAINT audit_events_previous_hash_check
    CHECK (length(previous_hash) = 64 AND NOT previous_hash GLOB '*[^0-9a-f]*');
ALTER TABLE audit_events ADD COLUMN entry_hash TEXT
    CONSTRAINT audit_events_entry_hash_check
    CHECK (length(entry_hash) = 64 AND NOT entry_hash GLOB '*[^0-9a-f]*');

CREATE UNIQUE INDEX audit_events_previous_hash ON audit_events (previous_hash);
CREATE INDEX audit_events_unchained ON audit_events (id) WHERE entry_hash IS NULL;

CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id OR previous_hash = NEW.previous_hash)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_chained BEFORE INSERT ON audit_events
WHEN NEW.previous_hash IS NULL OR NEW.entry_hash IS NULL
BEGIN
    SELECT RAISE(ABORT, 'audit_events entries are chained: previous_hash and entry_hash are required');
END;

DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (
    OLD.previous_hash IS NULL AND OLD.entry_hash IS NULL
    AND NEW.previous_hash IS NOT NULL AND NEW.entry_hash IS NOT NULL
    AND NEW.id IS OLD.id
    AND NEW.occurred_at IS OLD.occurred_at
    AND NEW.actor_account_id IS OLD.actor_account_id
    AND NEW.actor_name IS OLD.actor_name
    AND NEW.action IS OLD.action
    AND NEW.entity_type IS OLD.entity_type
    AND NEW.entity_id IS OLD.entity_id
    AND NEW.organisation_id IS OLD.organisation_id
    AND NEW.summary IS OLD.summary
    AND NEW.changes IS OLD.changes
)
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
