-- The internal distribution of a manual's editions: to whom each edition was given, and when
-- each recipient acknowledged reading it. A recipient is never removed, and the only change a
-- row accepts is its acknowledgement, once.
-- Same as migrations/sqlite/0010_manual_distribution.sql.

CREATE TABLE manual_edition_recipients (
    edition_id      BIGINT NOT NULL REFERENCES manual_editions (id),
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    given_at        TEXT NOT NULL
        CONSTRAINT manual_edition_recipients_given_at_check CHECK (is_stored_timestamp(given_at)),
    given_by        BIGINT NOT NULL REFERENCES accounts (id),
    acknowledged_at TEXT
        CONSTRAINT manual_edition_recipients_acknowledged_at_check CHECK (is_stored_timestamp(acknowledged_at)),
    PRIMARY KEY (edition_id, account_id)
);
CREATE INDEX manual_edition_recipients_account ON manual_edition_recipients (account_id);

CREATE FUNCTION manual_edition_recipients_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL
            AND NEW.edition_id = OLD.edition_id AND NEW.account_id = OLD.account_id
            AND NEW.given_at = OLD.given_at AND NEW.given_by = OLD.given_by THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a recipient only acknowledges reading, once, and is never removed';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER manual_edition_recipients_guard BEFORE UPDATE OR DELETE ON manual_edition_recipients
    FOR EACH ROW EXECUTE FUNCTION manual_edition_recipients_guard();
CREATE TRIGGER manual_edition_recipients_truncate_guard BEFORE TRUNCATE ON manual_edition_recipients
    FOR EACH STATEMENT EXECUTE FUNCTION manual_edition_recipients_guard();
