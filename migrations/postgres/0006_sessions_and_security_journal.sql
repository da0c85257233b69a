-- Each session records the browser (User-Agent, cut to 300 characters) and the address it was
-- last seen from, so that a user can recognise their sessions on « Mes sessions » and end them.
-- Same as migrations/sqlite/0006_sessions_and_security_journal.sql.

ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT ''
    CONSTRAINT sessions_user_agent_check CHECK (length(user_agent) <= 300);
ALTER TABLE sessions ADD COLUMN address TEXT NOT NULL DEFAULT ''
    CONSTRAINT sessions_address_check CHECK (length(address) <= 100);

-- The security journal: logins (accepted and refused), logouts, password changes (done and
-- refused) and refused accesses, with time, account and address. Append-only, except that
-- `cedre journal purger` removes entries past the retention period (CEDRE_SECURITY_LOG_DAYS);
-- nothing younger than 30 days can be removed, whatever the setting.
CREATE TABLE security_events (
    id          BIGSERIAL PRIMARY KEY,
    occurred_at TEXT NOT NULL
        CONSTRAINT security_events_occurred_at_check CHECK (is_stored_timestamp(occurred_at)),
    kind        TEXT NOT NULL
        CONSTRAINT security_events_kind_check CHECK (kind IN ('connexion', 'connexion_refusee', 'deconnexion', 'mot_de_passe', 'mot_de_passe_refuse', 'acces_refuse')),
    account_id  BIGINT,
    account     TEXT NOT NULL CONSTRAINT security_events_account_check CHECK (length(account) <= 320),
    address     TEXT NOT NULL CONSTRAINT security_events_address_check CHECK (length(address) <= 100),
    detail      TEXT NOT NULL CONSTRAINT security_events_detail_check CHECK (length(detail) <= 500)
);
CREATE INDEX security_events_occurred ON security_events (occurred_at);

CREATE FUNCTION security_events_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
        AND substr(OLD.occurred_at, 1, 19) < to_char((now() AT TIME ZONE 'UTC') - interval '30 days', 'YYYY-MM-DD"T"HH24:MI:SS') THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'security_events is append-only (entries younger than 30 days cannot be deleted)';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER security_events_no_update_or_early_delete BEFORE UPDATE OR DELETE ON security_events
    FOR EACH ROW EXECUTE FUNCTION security_events_append_only();
CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
    FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only();
