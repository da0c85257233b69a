-- Foundation: organisations, accounts, memberships, sessions, login throttling, audit trail.
-- Timestamps are UTC text in a fixed-width form (domain::time::STORED_FORMAT); flags are 0/1.

CREATE TABLE instance_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    kind                  TEXT NOT NULL CHECK (kind IN ('federation', 'region', 'siae', 'cabinet_audit')),
    name                  TEXT NOT NULL CHECK (length(trim(name)) > 0),
    region_id             INTEGER REFERENCES organisations (id),
    siret                 TEXT UNIQUE,
    siae_type             TEXT CHECK (siae_type IN ('AI', 'ETTI', 'EI', 'ACI', 'ensemblier')),
    entry_date            TEXT,
    funded_fte_hundredths INTEGER CHECK (funded_fte_hundredths >= 0),
    city                  TEXT,
    active                INTEGER NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (kind <> 'siae' OR (region_id IS NOT NULL AND siae_type IS NOT NULL AND entry_date IS NOT NULL))
);
CREATE UNIQUE INDEX organisations_single_federation ON organisations (kind) WHERE kind = 'federation';
CREATE INDEX organisations_region ON organisations (region_id);

CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    password_hash        TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 1,
    active               INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    last_login_at        TEXT
);

CREATE TABLE memberships (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (account_id, organisation_id, role)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_failures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    scope     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_scope ON login_failures (scope, failed_at);

CREATE TABLE audit_events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at      TEXT NOT NULL,
    actor_account_id INTEGER,
    actor_name       TEXT NOT NULL,
    action           TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    entity_id        INTEGER,
    organisation_id  INTEGER,
    summary          TEXT NOT NULL,
    changes          TEXT NOT NULL
);
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
