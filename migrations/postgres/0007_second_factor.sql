-- The second factor (TOTP, RFC 6238) of an account, and its single-use recovery codes.
-- A secret is written when enrolment starts and counts once `confirmed_at` is set (the user typed
-- a code from it). `last_used_step` is the last 30-second step whose code was accepted: a code is
-- never accepted twice. Recovery codes are kept as their SHA-256 (they are random, 50 bits).
-- Same as migrations/sqlite/0007_second_factor.sql.

CREATE TABLE second_factors (
    account_id     BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret         TEXT NOT NULL CONSTRAINT second_factors_secret_check CHECK (length(secret) BETWEEN 16 AND 64),
    created_at     TEXT NOT NULL
        CONSTRAINT second_factors_created_at_check CHECK (is_stored_timestamp(created_at)),
    confirmed_at   TEXT
        CONSTRAINT second_factors_confirmed_at_check CHECK (is_stored_timestamp(confirmed_at)),
    last_used_step BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL CONSTRAINT recovery_codes_code_hash_check CHECK (length(code_hash) = 64),
    used_at    TEXT
        CONSTRAINT recovery_codes_used_at_check CHECK (is_stored_timestamp(used_at)),
    UNIQUE (account_id, code_hash)
);
