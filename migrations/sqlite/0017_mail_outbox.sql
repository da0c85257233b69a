-- The mails of the cycle's notices: written in the change that moves the demande, sent later by
-- the background sender (with retries), so that a mail that fails never blocks nor loses a step.
-- Same as migrations/postgres/0017_mail_outbox.sql.

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      INTEGER NOT NULL REFERENCES accounts (id),
    to_address      TEXT NOT NULL CONSTRAINT mail_outbox_to_address_check CHECK (length(to_address) BETWEEN 3 AND 254),
    subject         TEXT NOT NULL CONSTRAINT mail_outbox_subject_check CHECK (length(subject) BETWEEN 1 AND 300),
    body            TEXT NOT NULL CONSTRAINT mail_outbox_body_check CHECK (length(body) BETWEEN 1 AND 20000),
    demande_id      INTEGER REFERENCES demandes (id),
    created_at      TEXT NOT NULL
        CONSTRAINT mail_outbox_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    attempts        INTEGER NOT NULL DEFAULT 0 CONSTRAINT mail_outbox_attempts_check CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL
        CONSTRAINT mail_outbox_next_attempt_at_check CHECK (next_attempt_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(next_attempt_at, 1, 19))) IS substr(next_attempt_at, 1, 19)),
    sent_at         TEXT
        CONSTRAINT mail_outbox_sent_at_check CHECK (sent_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(sent_at, 1, 19))) IS substr(sent_at, 1, 19)),
    last_error      TEXT CONSTRAINT mail_outbox_last_error_check CHECK (length(last_error) <= 2000)
);
-- The sender's question: what is still to send, and due.
CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
