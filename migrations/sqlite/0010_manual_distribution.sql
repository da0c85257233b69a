-- The internal distribution of a manual's editions: to whom each edition was given, and when
-- each recipient acknowledged reading it. A recipient is never removed, and the only change a
-- row accepts is its acknowledgement, once.
-- Same as migrations/postgres/0010_manual_distribution.sql.

CREATE TABLE manual_edition_recipients (
    edition_id      INTEGER NOT NULL REFERENCES manual_editions (id),
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    given_at        TEXT NOT NULL
        CONSTRAINT manual_edition_recipients_given_at_check CHECK (given_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(given_at, 1, 19))) IS substr(given_at, 1, 19)),
    given_by        INTEGER NOT NULL REFERENCES accounts (id),
    acknowledged_at TEXT
        CONSTRAINT manual_edition_recipients_acknowledged_at_check CHECK (acknowledged_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(acknowledged_at, 1, 19))) IS substr(acknowledged_at, 1, 19)),
    PRIMARY KEY (edition_id, account_id)
);
CREATE INDEX manual_edition_recipients_account ON manual_edition_recipients (account_id);

CREATE TRIGGER manual_edition_recipients_acknowledged_once BEFORE UPDATE ON manual_edition_recipients
WHEN NOT (OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL
    AND NEW.edition_id IS OLD.edition_id AND NEW.account_id IS OLD.account_id
    AND NEW.given_at IS OLD.given_at AND NEW.given_by IS OLD.given_by)
BEGIN
    SELECT RAISE(ABORT, 'a recipient only acknowledges reading, once');
END;

CREATE TRIGGER manual_edition_recipients_kept BEFORE DELETE ON manual_edition_recipients
BEGIN
    SELECT RAISE(ABORT, 'a recipient of an edition is never removed');
END;
