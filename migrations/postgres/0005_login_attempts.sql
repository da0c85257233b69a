-- Login throttling keeps one counter per scope (an account seen from one address, or one address),
-- bumped atomically before the password is checked, instead of one row per failure counted after
-- the fact (parallel attempts slipped past the count). Same as migrations/sqlite/0005_login_attempts.sql.

DROP TABLE login_failures;

CREATE TABLE login_attempts (
    scope           TEXT NOT NULL PRIMARY KEY,
    attempts        BIGINT NOT NULL CONSTRAINT login_attempts_attempts_check CHECK (attempts >= 0),
    last_attempt_at TEXT NOT NULL
        CONSTRAINT login_attempts_last_attempt_at_check CHECK (is_stored_timestamp(last_attempt_at))
);
