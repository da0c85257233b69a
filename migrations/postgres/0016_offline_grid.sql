-- The audit grid taken offline: each upload of a filled grid is kept (the file as text) until
-- its auditor applies it, all or nothing, after seeing what it changes.
-- Same as migrations/sqlite/0016_offline_grid.sql.

CREATE TABLE grid_uploads (
    id          BIGSERIAL PRIMARY KEY,
    demande_id  BIGINT NOT NULL REFERENCES demandes (id),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    file_name   TEXT NOT NULL CONSTRAINT grid_uploads_file_name_check CHECK (length(file_name) <= 255),
    content     TEXT NOT NULL CONSTRAINT grid_uploads_content_check CHECK (length(content) <= 1048576),
    uploaded_at TEXT NOT NULL CONSTRAINT grid_uploads_uploaded_at_check CHECK (is_stored_timestamp(uploaded_at)),
    applied_at  TEXT CONSTRAINT grid_uploads_applied_at_check CHECK (is_stored_timestamp(applied_at))
);
CREATE INDEX grid_uploads_demande ON grid_uploads (demande_id, id);
