-- Foundation: organisations, accounts, memberships, sessions, login throttling, audit trail.
-- Same shapes as migrations/sqlite: timestamps are UTC text in a fixed-width form
-- (domain::time::STORED_FORMAT), integers are BIGINT and flags 0/1, so one query text serves both.

CREATE TABLE instance_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id                    BIGSERIAL PRIMARY KEY,
    kind                  TEXT NOT NULL CHECK (kind IN ('federation', 'region', 'siae', 'cabinet_audit')),
    name                  TEXT NOT NULL CHECK (length(trim(name)) > 0),
    region_id             BIGINT REFERENCES organisations (id),
    siret                 TEXT UNIQUE,
    siae_type             TEXT CHECK (siae_type IN ('AI', 'ETTI', 'EI', 'ACI', 'ensemblier')),
    entry_date            TEXT,
    funded_fte_hundredths BIGINT CHECK (funded_fte_hundredths >= 0),
    city                  TEXT,
    active                BIGINT NOT NULL DEFAULT 1,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    CHECK (kind <> 'siae' OR (region_id IS NOT NULL AND siae_type IS NOT NULL AND entry_date IS NOT NULL))
);
CREATE UNIQUE INDEX organisations_single_federation ON organisations (kind) WHERE kind = 'federation';
CREATE INDEX organisations_region ON organisations (region_id);

CREATE TABLE accounts (
    id                   BIGSERIAL PRIMARY KEY,
    email                TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    password_hash        TEXT NOT NULL,
    must_change_password BIGINT NOT NULL DEFAULT 1,
    active               BIGINT NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    last_login_at        TEXT
);

CREATE TABLE memberships (
    id              BIGSERIAL PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (account_id, organisation_id, role)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_failures (
    id        BIGSERIAL PRIMARY KEY,
    scope     TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX login_failures_scope ON login_failures (scope, failed_at);

CREATE TABLE audit_events (
    id               BIGSERIAL PRIMARY KEY,
    occurred_at      TEXT NOT NULL,
    actor_account_id BIGINT,
    actor_name       TEXT NOT NULL,
    action           TEXT NOT NULL,
    entity_type      TEXT NOT NULL,
    entity_id        BIGINT,
    organisation_id  BIGINT,
    summary          TEXT NOT NULL,
    changes          TEXT NOT NULL
);
CREATE INDEX audit_events_occurred ON audit_events (occurred_at);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
