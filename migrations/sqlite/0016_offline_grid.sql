-- The audit grid taken offline: each upload of a filled grid is kept (the file as text) until
-- its auditor applies it, all or nothing, after seeing what it changes.
-- Same as migrations/postgres/0016_offline_grid.sql.

CREATE TABLE grid_uploads (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    demande_id  INTEGER NOT NULL REFERENCES demandes (id),
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    file_name   TEXT NOT NULL CONSTRAINT grid_uploads_file_name_check CHECK (length(file_name) <= 255),
    content     TEXT NOT NULL CONSTRAINT grid_uploads_content_check CHECK (length(content) <= 1048576),
    uploaded_at TEXT NOT NULL
        CONSTRAINT grid_uploads_uploaded_at_check CHECK (uploaded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(uploaded_at, 1, 19))) IS substr(uploaded_at, 1, 19)),
    applied_at  TEXT
        CONSTRAINT grid_uploads_applied_at_check CHECK (applied_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(applied_at, 1, 19))) IS substr(applied_at, 1, 19))
);
CREATE INDEX grid_uploads_demande ON grid_uploads (demande_id, id);
