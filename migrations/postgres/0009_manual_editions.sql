-- Editions of a manuel qualité: edition N freezes the section versions in force on its date. The
-- PDF issued is kept with its SHA-256 and never changes, with what it was made from — the data
-- given to the template (`content`), the template's SHA-256 and typst's version — so that
-- rendering it again gives the same bytes. An edition issued although the completeness check
-- found gaps records them and that its issuer confirmed.
-- Same as migrations/sqlite/0009_manual_editions.sql.

CREATE TABLE manual_editions (
    id               BIGSERIAL PRIMARY KEY,
    siae_id          BIGINT NOT NULL REFERENCES organisations (id),
    number           BIGINT NOT NULL CONSTRAINT manual_editions_number_check CHECK (number >= 1),
    issued_on        TEXT NOT NULL
        CONSTRAINT manual_editions_issued_on_check CHECK (is_stored_date(issued_on)),
    issued_at        TEXT NOT NULL
        CONSTRAINT manual_editions_issued_at_check CHECK (is_stored_timestamp(issued_at)),
    issued_by        BIGINT NOT NULL REFERENCES accounts (id),
    issuer_name      TEXT NOT NULL,
    -- The gaps found by the completeness check (JSON list of French lines), confirmed by the issuer.
    gaps             TEXT NOT NULL,
    content          TEXT NOT NULL,
    template_sha256  TEXT NOT NULL CONSTRAINT manual_editions_template_sha256_check CHECK (length(template_sha256) = 64),
    typst_version    TEXT NOT NULL,
    pdf              BYTEA NOT NULL,
    pdf_sha256       TEXT NOT NULL CONSTRAINT manual_editions_pdf_sha256_check CHECK (length(pdf_sha256) = 64),
    UNIQUE (siae_id, number)
);

CREATE TABLE manual_edition_sections (
    edition_id         BIGINT NOT NULL REFERENCES manual_editions (id),
    section_version_id BIGINT NOT NULL REFERENCES manual_section_versions (id),
    position           BIGINT NOT NULL,
    PRIMARY KEY (edition_id, section_version_id)
);

CREATE FUNCTION manual_editions_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an issued edition never changes and is never deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER manual_editions_frozen BEFORE UPDATE OR DELETE ON manual_editions
    FOR EACH ROW EXECUTE FUNCTION manual_editions_frozen();
CREATE TRIGGER manual_editions_truncate_guard BEFORE TRUNCATE ON manual_editions
    FOR EACH STATEMENT EXECUTE FUNCTION manual_editions_frozen();

CREATE TRIGGER manual_edition_sections_frozen BEFORE UPDATE OR DELETE ON manual_edition_sections
    FOR EACH ROW EXECUTE FUNCTION manual_editions_frozen();
CREATE TRIGGER manual_edition_sections_truncate_guard BEFORE TRUNCATE ON manual_edition_sections
    FOR EACH STATEMENT EXECUTE FUNCTION manual_editions_frozen();
