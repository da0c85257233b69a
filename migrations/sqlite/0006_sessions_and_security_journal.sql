-- Each session records the browser (User-Agent, cut to 300 characters) and the address it was
-- last seen from, so that a user can recognise their sessions on « Mes sessions » and end them.
-- Same as migrations/postgres/0006_sessions_and_security_journal.sql.

ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT ''
    CONSTRAINT sessions_user_agent_check CHECK (length(user_agent) <= 300);
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT ''
    CONSTRAINT sessions_address_check CHECK (length(address) <= 100);

-- The security journal: logins (accepted and refused), logouts, password changes (done and
-- refused) and refused accesses, with time, account and address. Append-only, except that
-- `cedre journal purger` removes entries past the retention period (CEDRE_SECURITY_LOG_DAYS);
-- nothing younger than 30 days can be removed, whatever the setting.
CREATE TABLE security_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT NOT NULL
        CONSTRAINT security_events_occurred_at_check CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(occurred_at, 1, 19))) IS substr(occurred_at, 1, 19)),
    kind        TEXT NOT NULL
        CONSTRAINT security_events_kind_check CHECK (kind IN ('connexion', 'connexion_refusee', 'deconnexion', 'mot_de_passe', 'mot_de_passe_refuse', 'acces_refuse')),
    account_id  INTEGER,
    account     TEXT NOT NULL CONSTRAINT security_events_account_check CHECK (length(account) <= 320),
    address     TEXT NOT NULL CONSTRAINT security_events_address_check CHECK (length(address) <= 100),
    detail      TEXT NOT NULL CONSTRAINT security_events_detail_check CHECK (length(detail) <= 500)
);
CREATE INDEX security_events_occurred ON security_events (occurred_at);

CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
BEGIN
    SELECT RAISE(ABORT, 'security_events is append-only');
END;

CREATE TRIGGER security_events_no_early_delete BEFORE DELETE ON security_events
WHEN substr(OLD.occurred_at, 1, 19) >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-30 days')
BEGIN
    SELECT RAISE(ABORT, 'security_events younger than 30 days cannot be deleted');
END;
