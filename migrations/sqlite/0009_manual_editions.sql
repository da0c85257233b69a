-- Editions of a manuel qualité: edition N freezes the section versions in force on its date. The
-- PDF issued is kept with its SHA-256 and never changes, with what it was made from — the data
-- given to the template (`content`), the template's SHA-256 and typst's version — so that
-- rendering it again gives the same bytes. An edition issued although the completeness check
-- found gaps records them and that its issuer confirmed.
-- Same as migrations/postgres/0009_manual_editions.sql.

CREATE TABLE manual_editions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id          INTEGER NOT NULL REFERENCES organisations (id),
    number           INTEGER NOT NULL CONSTRAINT manual_editions_number_check CHECK (number >= 1),
    issued_on        TEXT NOT NULL
        CONSTRAINT manual_editions_issued_on_check CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(issued_on)) IS issued_on),
    issued_at        TEXT NOT NULL
        CONSTRAINT manual_editions_issued_at_check CHECK (issued_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(issued_at, 1, 19))) IS substr(issued_at, 1, 19)),
    issued_by        INTEGER NOT NULL REFERENCES accounts (id),
    issuer_name      TEXT NOT NULL,
    -- The gaps found by the completeness check (JSON list of French lines), confirmed by the issuer.
    gaps             TEXT NOT NULL,
    content          TEXT NOT NULL,
    template_sha256  TEXT NOT NULL CONSTRAINT manual_editions_template_sha256_check CHECK (length(template_sha256) = 64),
    typst_version    TEXT NOT NULL,
    pdf              BLOB NOT NULL,
    pdf_sha256       TEXT NOT NULL CONSTRAINT manual_editions_pdf_sha256_check CHECK (length(pdf_sha256) = 64),
    UNIQUE (siae_id, number)
);

CREATE TABLE manual_edition_sections (
    edition_id         INTEGER NOT NULL REFERENCES manual_editions (id),
    section_version_id INTEGER NOT NULL REFERENCES manual_section_versions (id),
    position           INTEGER NOT NULL,
    PRIMARY KEY (edition_id, section_version_id)
);

CREATE TRIGGER manual_editions_frozen BEFORE UPDATE ON manual_editions
BEGIN
    SELECT RAISE(ABORT, 'an issued edition never changes');
END;

CREATE TRIGGER manual_editions_kept BEFORE DELETE ON manual_editions
BEGIN
    SELECT RAISE(ABORT, 'an issued edition is never deleted');
END;

CREATE TRIGGER manual_edition_sections_frozen BEFORE UPDATE ON manual_edition_sections
BEGIN
    SELECT RAISE(ABORT, 'an issued edition never changes');
END;

CREATE TRIGGER manual_edition_sections_kept BEFORE DELETE ON manual_edition_sections
BEGIN
    SELECT RAISE(ABORT, 'an issued edition is never deleted');
END;

-- REPLACE would delete the row in its way without firing the DELETE trigger.
CREATE TRIGGER manual_editions_no_replace BEFORE INSERT ON manual_editions
WHEN EXISTS (SELECT 1 FROM manual_editions WHERE id = NEW.id OR (siae_id = NEW.siae_id AND number = NEW.number))
BEGIN
    SELECT RAISE(ABORT, 'an issued edition is never replaced');
END;

CREATE TRIGGER manual_edition_sections_no_replace BEFORE INSERT ON manual_edition_sections
WHEN EXISTS (SELECT 1 FROM manual_edition_sections WHERE edition_id = NEW.edition_id AND section_version_id = NEW.section_version_id)
BEGIN
    SELECT RAISE(ABORT, 'an issued edition is never replaced');
END;
