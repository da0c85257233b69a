-- Login throttling keeps one counter per scope (an account seen from one address, or one address),
-- bumped atomically before the password is checked, instead of one row per failure counted after
-- the fact (parallel attempts slipped past the count). Same as migrations/postgres/0005_login_attempts.sql.

DROP TABLE login_failures;

CREATE TABLE login_attempts (
    scope           TEXT NOT NULL PRIMARY KEY,
    attempts        INTEGER NOT NULL CONSTRAINT login_attempts_attempts_check CHECK (attempts >= 0),
    last_attempt_at TEXT NOT NULL
        CONSTRAINT login_attempts_last_attempt_at_check CHECK (last_attempt_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(last_attempt_at, 1, 19))) IS substr(last_attempt_at, 1, 19))
);
