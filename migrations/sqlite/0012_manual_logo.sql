-- The logo on the cover of a SIAE's manual editions. Each upload is a new row that never changes
-- (an edition names the logo it was rendered with, to render it again); the latest row is the
-- current logo, and a row without an image takes the logo off the cover.
-- Same as migrations/postgres/0012_manual_logo.sql.

CREATE TABLE manual_logos (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id     INTEGER NOT NULL REFERENCES organisations (id),
    format      TEXT CONSTRAINT manual_logos_format_check CHECK (format IN ('png', 'jpg')),
    image       BLOB CONSTRAINT manual_logos_image_check CHECK (length(image) <= 1048576),
    sha256      TEXT CONSTRAINT manual_logos_sha256_check CHECK (length(sha256) = 64),
    uploaded_at TEXT NOT NULL
        CONSTRAINT manual_logos_uploaded_at_check CHECK (uploaded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(uploaded_at, 1, 19))) IS substr(uploaded_at, 1, 19)),
    uploaded_by INTEGER NOT NULL REFERENCES accounts (id),
    CONSTRAINT manual_logos_whole_check CHECK ((format IS NULL) = (image IS NULL) AND (image IS NULL) = (sha256 IS NULL))
);
CREATE INDEX manual_logos_siae ON manual_logos (siae_id, id);

CREATE TRIGGER manual_logos_frozen BEFORE UPDATE ON manual_logos
BEGIN
    SELECT RAISE(ABORT, 'a logo never changes');
END;

CREATE TRIGGER manual_logos_kept BEFORE DELETE ON manual_logos
BEGIN
    SELECT RAISE(ABORT, 'a logo is never deleted');
END;

-- REPLACE would delete the row in its way without firing the DELETE trigger.
CREATE TRIGGER manual_logos_no_replace BEFORE INSERT ON manual_logos
WHEN EXISTS (SELECT 1 FROM manual_logos WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a logo is never replaced');
END;

-- The logo an edition's cover was rendered with, if any.
ALTER TABLE manual_editions ADD COLUMN logo_id INTEGER REFERENCES manual_logos (id);
