-- The second factor (TOTP, RFC 6238) of an account, and its single-use recovery codes.
-- A secret is written when enrolment starts and counts once `confirmed_at` is set (the user typed
-- a code from it). `last_used_step` is the last 30-second step whose code was accepted: a code is
-- never accepted twice. Recovery codes are kept as their SHA-256 (they are random, 50 bits).
-- Same as migrations/postgres/0007_second_factor.sql.

CREATE TABLE second_factors (
    account_id     INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret         TEXT NOT NULL CONSTRAINT second_factors_secret_check CHECK (length(secret) BETWEEN 16 AND 64),
    created_at     TEXT NOT NULL
        CONSTRAINT second_factors_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    confirmed_at   TEXT
        CONSTRAINT second_factors_confirmed_at_check CHECK (confirmed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(confirmed_at, 1, 19))) IS substr(confirmed_at, 1, 19)),
    last_used_step INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL CONSTRAINT recovery_codes_code_hash_check CHECK (length(code_hash) = 64),
    used_at    TEXT
        CONSTRAINT recovery_codes_used_at_check CHECK (used_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(used_at, 1, 19))) IS substr(used_at, 1, 19)),
    UNIQUE (account_id, code_hash)
);
