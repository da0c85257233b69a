-- The mails of the cycle's notices: written in the change that moves the demande, sent later by
-- the background sender (with retries), so that a mail that fails never blocks nor loses a step.
-- Same as migrations/sqlite/0017_mail_outbox.sql.

CREATE TABLE mail_outbox (
    id              BIGSERIAL PRIMARY KEY,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    to_address      TEXT NOT NULL CONSTRAINT mail_outbox_to_address_check CHECK (length(to_address) BETWEEN 3 AND 254),
    subject         TEXT NOT NULL CONSTRAINT mail_outbox_subject_check CHECK (length(subject) BETWEEN 1 AND 300),
    body            TEXT NOT NULL CONSTRAINT mail_outbox_body_check CHECK (length(body) BETWEEN 1 AND 20000),
    demande_id      BIGINT REFERENCES demandes (id),
    created_at      TEXT NOT NULL CONSTRAINT mail_outbox_created_at_check CHECK (is_stored_timestamp(created_at)),
    attempts        BIGINT NOT NULL DEFAULT 0 CONSTRAINT mail_outbox_attempts_check CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL CONSTRAINT mail_outbox_next_attempt_at_check CHECK (is_stored_timestamp(next_attempt_at)),
    sent_at         TEXT CONSTRAINT mail_outbox_sent_at_check CHECK (is_stored_timestamp(sent_at)),
    last_error      TEXT CONSTRAINT mail_outbox_last_error_check CHECK (length(last_error) <= 2000)
);
-- The sender's question: what is still to send, and due.
CREATE INDEX mail_outbox_pending ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
