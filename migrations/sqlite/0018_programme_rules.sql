-- The programme's delays, set by the federation: each change is a new row (the latest is in
-- force), so that what was in force when is kept. The reminders sent before a certificate
-- expires, once each.
-- Same as migrations/postgres/0018_programme_rules.sql.

CREATE TABLE programme_rules (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    major_nc_months     INTEGER NOT NULL CONSTRAINT programme_rules_major_nc_months_check CHECK (major_nc_months BETWEEN 1 AND 36),
    minor_nc_months     INTEGER NOT NULL CONSTRAINT programme_rules_minor_nc_months_check CHECK (minor_nc_months BETWEEN 1 AND 36),
    expiry_reminders    TEXT NOT NULL CONSTRAINT programme_rules_expiry_reminders_check CHECK (length(expiry_reminders) <= 200),
    renewal_lead_months INTEGER NOT NULL CONSTRAINT programme_rules_renewal_lead_months_check CHECK (renewal_lead_months BETWEEN 1 AND 36),
    set_by              INTEGER REFERENCES accounts (id),
    set_at              TEXT NOT NULL
        CONSTRAINT programme_rules_set_at_check CHECK (set_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(set_at, 1, 19))) IS substr(set_at, 1, 19))
);
INSERT INTO programme_rules (major_nc_months, minor_nc_months, expiry_reminders, renewal_lead_months, set_by, set_at)
VALUES (3, 6, '6,3,1', 6, NULL, '2026-01-01T00:00:00.000000Z');

CREATE TABLE certificate_reminders (
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    months         INTEGER NOT NULL CONSTRAINT certificate_reminders_months_check CHECK (months BETWEEN 1 AND 36),
    sent_at        TEXT NOT NULL
        CONSTRAINT certificate_reminders_sent_at_check CHECK (sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(sent_at, 1, 19))) IS substr(sent_at, 1, 19)),
    PRIMARY KEY (certificate_id, months)
);
