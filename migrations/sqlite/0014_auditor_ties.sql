-- The declaration of ties each external auditor keeps: the organisations of the network they
-- worked for, advised or sat on the board of, with dates. Screened before every assignment
-- (domain::certification::conflict).
-- Same as migrations/postgres/0014_auditor_ties.sql.

CREATE TABLE auditor_ties (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CONSTRAINT auditor_ties_kind_check CHECK (kind IN ('emploi', 'conseil', 'administration')),
    started_on      TEXT NOT NULL
        CONSTRAINT auditor_ties_started_on_check CHECK (started_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(started_on)) IS started_on),
    ended_on        TEXT
        CONSTRAINT auditor_ties_ended_on_check CHECK (ended_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(ended_on)) IS ended_on),
    CONSTRAINT auditor_ties_dates_check CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX auditor_ties_account ON auditor_ties (account_id);
