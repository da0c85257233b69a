-- The lifecycle state of a référentiel version, and CHECK constraints on every flag, every code
-- and every stored timestamp and date, the same as migrations/postgres/0003_version_state_and_checks.sql
-- (same constraint names, so an error names the same rule on both engines).
--
-- Stored forms (domain::time::STORED_FORMAT): a timestamp is UTC text of 27 characters,
-- `2026-01-02T03:04:05.000000Z`; a date is `YYYY-MM-DD`; both must name a real calendar day
-- (julianday() carries 2026-02-30 over to March, so the round trip differs and the row is refused).
-- The codes are those of app/domain/src: OrganisationKind, SiaeType, Role, assessment::Status,
-- and the version states below.
--
-- SQLite adds a CHECK only by rebuilding the table. sqlx 0.8 runs every SQLite migration inside its
-- own transaction (it ignores `-- no-transaction` for SQLite), where `PRAGMA foreign_keys = OFF` has
-- no effect; so the rebuild is done with foreign keys ON:
--   1. each table is created anew as `<name>_new`, its REFERENCES naming the other new tables;
--   2. the rows are copied (parents first), which checks them against the new constraints;
--   3. the old tables are dropped, children first, so no drop deletes a referenced row
--      (no ON DELETE CASCADE fires, no reference is left dangling);
--   4. each `<name>_new` is renamed `<name>`, which rewrites the REFERENCES that name it;
--   5. the indexes and the append-only triggers are created again, word for word as in 0001 and
--      0002; the AUTOINCREMENT counters are restored; a foreign key check must find nothing.
-- Column names, order, types and defaults are those of 0001/0002, plus referentiel_versions.state,
-- last, as PostgreSQL's ADD COLUMN puts it. The text primary keys gain NOT NULL, which PostgreSQL
-- implies and SQLite does not.

PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE migration_0003_sequences AS SELECT name, seq FROM sqlite_sequence;

-- 1. The new tables.

CREATE TABLE instance_settings_new (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations_new (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                  TEXT NOT NULL
        CONSTRAINT organisations_kind_check CHECK (kind IN ('federation', 'region', 'siae', 'cabinet_audit')),
    name                  TEXT NOT NULL CONSTRAINT organisations_name_check CHECK (length(trim(name)) > 0),
    region_id             INTEGER REFERENCES organisations_new (id),
    siret                 TEXT UNIQUE,
    siae_type             TEXT
        CONSTRAINT organisations_siae_type_check CHECK (siae_type IN ('AI', 'ETTI', 'EI', 'ACI', 'ensemblier')),
    entry_date            TEXT
        CONSTRAINT organisations_entry_date_check CHECK (entry_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(entry_date)) IS entry_date),
    funded_fte_hundredths INTEGER
        CONSTRAINT organisations_funded_fte_hundredths_check CHECK (funded_fte_hundredths >= 0),
    city                  TEXT,
    active                INTEGER NOT NULL DEFAULT 1 CONSTRAINT organisations_active_check CHECK (active IN (0, 1)),
    created_at            TEXT NOT NULL
        CONSTRAINT organisations_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    updated_at            TEXT NOT NULL
        CONSTRAINT organisations_updated_at_check CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(updated_at, 1, 19))) IS substr(updated_at, 1, 19)),
    CONSTRAINT organisations_check
        CHECK (kind <> 'siae' OR (region_id IS NOT NULL AND siae_type IS NOT NULL AND entry_date IS NOT NULL))
);

CREATE TABLE accounts_new (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL CONSTRAINT accounts_display_name_check CHECK (length(trim(display_name)) > 0),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 1
        CONSTRAINT accounts_must_change_password_check CHECK (must_change_password IN (0, 1)),
    active               INTEGER NOT NULL DEFAULT 1 CONSTRAINT accounts_active_check CHECK (active IN (0, 1)),
    created_at           TEXT NOT NULL
        CONSTRAINT accounts_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    updated_at           TEXT NOT NULL
        CONSTRAINT accounts_updated_at_check CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(updated_at, 1, 19))) IS substr(updated_at, 1, 19)),
    last_login_at        TEXT
        CONSTRAINT accounts_last_login_at_check CHECK (last_login_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(last_login_at, 1, 19))) IS substr(last_login_at, 1, 19))
);

CREATE TABLE memberships_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts_new (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations_new (id),
    role            TEXT NOT NULL
        CONSTRAINT memberships_role_check CHECK (role IN (
            'referent_qualite', 'direction', 'accompagnateur',
            'referent_qualite_regional', 'membre_ca_regional',
            'responsable_qualite_federal', 'membre_comite_certification', 'administrateur',
            'auditeur_externe')),
    created_at      TEXT NOT NULL
        CONSTRAINT memberships_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    UNIQUE (account_id, organisation_id, role)
);

CREATE TABLE sessions_new (
    token_hash   TEXT NOT NULL PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts_new (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL
        CONSTRAINT sessions_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    last_seen_at TEXT NOT NULL
        CONSTRAINT sessions_last_seen_at_check CHECK (last_seen_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(last_seen_at, 1, 19))) IS substr(last_seen_at, 1, 19)),
    expires_at   TEXT NOT NULL
        CONSTRAINT sessions_expires_at_check CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(expires_at, 1, 19))) IS substr(expires_at, 1, 19))
);

CREATE TABLE login_failures_new (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    scope     TEXT NOT NULL,
    failed_at TEXT NOT NULL
        CONSTRAINT login_failures_failed_at_check CHECK (failed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(failed_at, 1, 19))) IS substr(failed_at, 1, 19))
);

CREATE TABLE audit_events_new (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at      TEXT NOT NULL
        CONSTRAINT audit_events_occurred_at_check CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(occurred_at, 1, 19))) IS substr(occurred_at, 1, 19)),
    actor_account_id INTEGER,
    actor_name       TEXT NOT NULL,
    action           TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    entity_id        INTEGER,
    organisation_id  INTEGER,
    summary          TEXT NOT NULL,
    changes          TEXT NOT NULL
);

CREATE TABLE referentiel_versions_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    label               TEXT NOT NULL,
    -- The whole référentiel as JSON (domain::referentiel::Referentiel); frozen once in force.
    definition          TEXT NOT NULL,
    based_on_id         INTEGER REFERENCES referentiel_versions_new (id),
    bureau_validated_on TEXT
        CONSTRAINT referentiel_versions_bureau_validated_on_check CHECK (bureau_validated_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(bureau_validated_on)) IS bureau_validated_on),
    in_force_from       TEXT
        CONSTRAINT referentiel_versions_in_force_from_check CHECK (in_force_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(in_force_from)) IS in_force_from),
    created_at          TEXT NOT NULL
        CONSTRAINT referentiel_versions_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    updated_at          TEXT NOT NULL
        CONSTRAINT referentiel_versions_updated_at_check CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(updated_at, 1, 19))) IS substr(updated_at, 1, 19)),
    -- brouillon (editable), validee (by the federation's bureau), en_vigueur, remplacee (in force,
    -- but another version came into force after it).
    state               TEXT NOT NULL DEFAULT 'brouillon'
        CONSTRAINT referentiel_versions_state_check CHECK (state IN ('brouillon', 'validee', 'en_vigueur', 'remplacee'))
);

CREATE TABLE siae_referentiel_new (
    siae_id          INTEGER PRIMARY KEY REFERENCES organisations_new (id),
    version_id       INTEGER NOT NULL REFERENCES referentiel_versions_new (id),
    previous_version INTEGER REFERENCES referentiel_versions_new (id),
    assigned_at      TEXT NOT NULL
        CONSTRAINT siae_referentiel_assigned_at_check CHECK (assigned_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(assigned_at, 1, 19))) IS substr(assigned_at, 1, 19))
);

CREATE TABLE assessments_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id         INTEGER NOT NULL REFERENCES organisations_new (id),
    requirement_key TEXT NOT NULL,
    status          TEXT NOT NULL
        CONSTRAINT assessments_status_check
        CHECK (status IN ('non_evalue', 'non_conforme', 'en_cours', 'conforme', 'non_applicable')),
    comment         TEXT NOT NULL DEFAULT '',
    justification   TEXT NOT NULL DEFAULT '',
    responsible     TEXT NOT NULL DEFAULT '',
    target_date     TEXT
        CONSTRAINT assessments_target_date_check CHECK (target_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(target_date)) IS target_date),
    updated_at      TEXT NOT NULL
        CONSTRAINT assessments_updated_at_check CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(updated_at, 1, 19))) IS substr(updated_at, 1, 19)),
    updated_by      TEXT NOT NULL,
    UNIQUE (siae_id, requirement_key),
    CONSTRAINT assessments_check CHECK (status <> 'non_applicable' OR length(trim(justification)) > 0)
);

CREATE TABLE assessment_history_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id         INTEGER NOT NULL REFERENCES organisations_new (id),
    requirement_key TEXT NOT NULL,
    changed_at      TEXT NOT NULL
        CONSTRAINT assessment_history_changed_at_check CHECK (changed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(changed_at, 1, 19))) IS substr(changed_at, 1, 19)),
    changed_by      TEXT NOT NULL,
    field           TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL
);

CREATE TABLE evidence_documents_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id      INTEGER NOT NULL REFERENCES organisations_new (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_at  TEXT NOT NULL
        CONSTRAINT evidence_documents_uploaded_at_check CHECK (uploaded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(uploaded_at, 1, 19))) IS substr(uploaded_at, 1, 19)),
    uploaded_by  TEXT NOT NULL
);

CREATE TABLE assessment_evidence_new (
    siae_id         INTEGER NOT NULL REFERENCES organisations_new (id),
    requirement_key TEXT NOT NULL,
    document_id     INTEGER NOT NULL REFERENCES evidence_documents_new (id),
    PRIMARY KEY (siae_id, requirement_key, document_id)
);

CREATE TABLE means_checks_new (
    siae_id      INTEGER NOT NULL REFERENCES organisations_new (id),
    section_code TEXT NOT NULL,
    mean         TEXT NOT NULL,
    document_id  INTEGER REFERENCES evidence_documents_new (id),
    checked_at   TEXT NOT NULL
        CONSTRAINT means_checks_checked_at_check CHECK (checked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(checked_at, 1, 19))) IS substr(checked_at, 1, 19)),
    checked_by   TEXT NOT NULL,
    PRIMARY KEY (siae_id, section_code, mean)
);

-- 2. The rows, parents first; the state of each version from its dates.

INSERT INTO instance_settings_new (key, value) SELECT key, value FROM instance_settings;

INSERT INTO organisations_new (id, kind, name, region_id, siret, siae_type, entry_date, funded_fte_hundredths, city,
                               active, created_at, updated_at)
SELECT id, kind, name, region_id, siret, siae_type, entry_date, funded_fte_hundredths, city,
       active, created_at, updated_at
FROM organisations ORDER BY id;

INSERT INTO accounts_new (id, email, display_name, password_hash, must_change_password, active, created_at, updated_at,
                          last_login_at)
SELECT id, email, display_name, password_hash, must_change_password, active, created_at, updated_at, last_login_at
FROM accounts ORDER BY id;

INSERT INTO memberships_new (id, account_id, organisation_id, role, created_at)
SELECT id, account_id, organisation_id, role, created_at FROM memberships ORDER BY id;

INSERT INTO sessions_new (token_hash, account_id, created_at, last_seen_at, expires_at)
SELECT token_hash, account_id, created_at, last_seen_at, expires_at FROM sessions;

INSERT INTO login_failures_new (id, scope, failed_at) SELECT id, scope, failed_at FROM login_failures ORDER BY id;

INSERT INTO audit_events_new (id, occurred_at, actor_account_id, actor_name, action, entity_type, entity_id,
                              organisation_id, summary, changes)
SELECT id, occurred_at, actor_account_id, actor_name, action, entity_type, entity_id, organisation_id, summary, changes
FROM audit_events ORDER BY id;

INSERT INTO referentiel_versions_new (id, code, label, definition, based_on_id, bureau_validated_on, in_force_from,
                                      created_at, updated_at, state)
SELECT v.id, v.code, v.label, v.definition, v.based_on_id, v.bureau_validated_on, v.in_force_from,
       v.created_at, v.updated_at,
       CASE
           WHEN v.in_force_from IS NOT NULL AND EXISTS (
               SELECT 1 FROM referentiel_versions AS later
               WHERE later.in_force_from IS NOT NULL AND later.in_force_from > v.in_force_from
           ) THEN 'remplacee'
           WHEN v.in_force_from IS NOT NULL THEN 'en_vigueur'
           WHEN v.bureau_validated_on IS NOT NULL THEN 'validee'
           ELSE 'brouillon'
       END
FROM referentiel_versions AS v ORDER BY v.id;

INSERT INTO siae_referentiel_new (siae_id, version_id, previous_version, assigned_at)
SELECT siae_id, version_id, previous_version, assigned_at FROM siae_referentiel;

INSERT INTO assessments_new (id, siae_id, requirement_key, status, comment, justification, responsible, target_date,
                             updated_at, updated_by)
SELECT id, siae_id, requirement_key, status, comment, justification, responsible, target_date, updated_at, updated_by
FROM assessments ORDER BY id;

INSERT INTO assessment_history_new (id, siae_id, requirement_key, changed_at, changed_by, field, before_value,
                                    after_value)
SELECT id, siae_id, requirement_key, changed_at, changed_by, field, before_value, after_value
FROM assessment_history ORDER BY id;

INSERT INTO evidence_documents_new (id, siae_id, file_name, content_type, size_bytes, sha256, content, uploaded_at,
                                    uploaded_by)
SELECT id, siae_id, file_name, content_type, size_bytes, sha256, content, uploaded_at, uploaded_by
FROM evidence_documents ORDER BY id;

INSERT INTO assessment_evidence_new (siae_id, requirement_key, document_id)
SELECT siae_id, requirement_key, document_id FROM assessment_evidence;

INSERT INTO means_checks_new (siae_id, section_code, mean, document_id, checked_at, checked_by)
SELECT siae_id, section_code, mean, document_id, checked_at, checked_by FROM means_checks;

-- 3. The old tables, children first (their indexes and triggers go with them).

DROP TABLE means_checks;
DROP TABLE assessment_evidence;
DROP TABLE evidence_documents;
DROP TABLE assessment_history;
DROP TABLE assessments;
DROP TABLE siae_referentiel;
DROP TABLE referentiel_versions;
DROP TABLE audit_events;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE memberships;
DROP TABLE accounts;
DROP TABLE organisations;
DROP TABLE instance_settings;

-- 4. The new tables take the old names.

ALTER TABLE instance_settings_new RENAME TO instance_settings;
ALTER TABLE organisations_new RENAME TO organisations;
ALTER TABLE accounts_new RENAME TO accounts;
ALTER TABLE memberships_new RENAME TO memberships;
ALTER TABLE sessions_new RENAME TO sessions;
ALTER TABLE login_failures_new RENAME TO login_failures;
ALTER TABLE audit_events_new RENAME TO audit_events;
ALTER TABLE referentiel_versions_new RENAME TO referentiel_versions;
ALTER TABLE siae_referentiel_new RENAME TO siae_referentiel;
ALTER TABLE assessments_new RENAME TO assessments;
ALTER TABLE assessment_history_new RENAME TO assessment_history;
ALTER TABLE evidence_documents_new RENAME TO evidence_documents;
ALTER TABLE assessment_evidence_new RENAME TO assessment_evidence;
ALTER TABLE means_checks_new RENAME TO means_checks;

-- 5. Indexes and triggers as in 0001 and 0002.

CREATE UNIQUE INDEX organisations_single_federation ON organisations (kind) WHERE kind = 'federation';
CREATE INDEX organisations_region ON organisations (region_id);
CREATE INDEX memberships_organisation ON memberships (organisation_id);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX login_failures_scope ON login_failures (scope, failed_at);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE INDEX assessment_history_requirement ON assessment_history (siae_id, requirement_key);

CREATE TRIGGER assessment_history_no_update BEFORE UPDATE ON assessment_history
BEGIN
    SELECT RAISE(ABORT, 'assessment_history is append-only');
END;
CREATE TRIGGER assessment_history_no_delete BEFORE DELETE ON assessment_history
BEGIN
    SELECT RAISE(ABORT, 'assessment_history is append-only');
END;

CREATE INDEX evidence_documents_siae ON evidence_documents (siae_id);

-- The AUTOINCREMENT counters go on from where they were, even past rows since deleted.
UPDATE sqlite_sequence
SET seq = (SELECT old.seq FROM temp.migration_0003_sequences AS old WHERE old.name = sqlite_sequence.name)
WHERE seq < (SELECT old.seq FROM temp.migration_0003_sequences AS old WHERE old.name = sqlite_sequence.name);
INSERT INTO sqlite_sequence (name, seq)
SELECT name, seq FROM temp.migration_0003_sequences
WHERE name NOT IN (SELECT name FROM sqlite_sequence);
DROP TABLE temp.migration_0003_sequences;

-- Every reference still finds its row (a violation fails the migration here, naming the CHECK).
CREATE TEMP TABLE migration_0003_foreign_keys (
    violations INTEGER CONSTRAINT migration_0003_foreign_key_check CHECK (violations = 0)
);
INSERT INTO temp.migration_0003_foreign_keys SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE temp.migration_0003_foreign_keys;
