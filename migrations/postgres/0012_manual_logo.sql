-- The logo on the cover of a SIAE's manual editions. Each upload is a new row that never changes
-- (an edition names the logo it was rendered with, to render it again); the latest row is the
-- current logo, and a row without an image takes the logo off the cover.
-- Same as migrations/sqlite/0012_manual_logo.sql.

CREATE TABLE manual_logos (
    id          BIGSERIAL PRIMARY KEY,
    siae_id     BIGINT NOT NULL REFERENCES organisations (id),
    format      TEXT CONSTRAINT manual_logos_format_check CHECK (format IN ('png', 'jpg')),
    image       BYTEA CONSTRAINT manual_logos_image_check CHECK (length(image) <= 1048576),
    sha256      TEXT CONSTRAINT manual_logos_sha256_check CHECK (length(sha256) = 64),
    uploaded_at TEXT NOT NULL
        CONSTRAINT manual_logos_uploaded_at_check CHECK (is_stored_timestamp(uploaded_at)),
    uploaded_by BIGINT NOT NULL REFERENCES accounts (id),
    CONSTRAINT manual_logos_whole_check CHECK ((format IS NULL) = (image IS NULL) AND (image IS NULL) = (sha256 IS NULL))
);
CREATE INDEX manual_logos_siae ON manual_logos (siae_id, id);

CREATE FUNCTION manual_logos_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a logo never changes and is never deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER manual_logos_frozen BEFORE UPDATE OR DELETE ON manual_logos
    FOR EACH ROW EXECUTE FUNCTION manual_logos_frozen();
CREATE TRIGGER manual_logos_truncate_guard BEFORE TRUNCATE ON manual_logos
    FOR EACH STATEMENT EXECUTE FUNCTION manual_logos_frozen();

-- The logo an edition's cover was rendered with, if any.
ALTER TABLE manual_editions ADD COLUMN logo_id BIGINT REFERENCES manual_logos (id);
