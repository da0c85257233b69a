-- The declaration of ties each external auditor keeps: the organisations of the network they
-- worked for, advised or sat on the board of, with dates. Screened before every assignment
-- (domain::certification::conflict).
-- Same as migrations/sqlite/0014_auditor_ties.sql.

CREATE TABLE auditor_ties (
    id              BIGSERIAL PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL CONSTRAINT auditor_ties_kind_check CHECK (kind IN ('emploi', 'conseil', 'administration')),
    started_on      TEXT NOT NULL CONSTRAINT auditor_ties_started_on_check CHECK (is_stored_date(started_on)),
    ended_on        TEXT CONSTRAINT auditor_ties_ended_on_check CHECK (is_stored_date(ended_on)),
    CONSTRAINT auditor_ties_dates_check CHECK (ended_on IS NULL OR ended_on >= started_on)
);
CREATE INDEX auditor_ties_account ON auditor_ties (account_id);
