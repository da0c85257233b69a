-- The manuel qualité of each SIAE: its sections, in order, with the requirements of the référentiel
-- each one answers, and the versions of each section (document control, ISO 9001 §7.5).
-- A section has at most one open version (brouillon, en relecture, renvoyée) and at most one in
-- force (approuvée); approved versions are numbered per section. An approved or obsolete version
-- never changes — but for the move from approuvée to obsolète — and is never deleted.
-- Same as migrations/postgres/0008_manual_sections.sql.

CREATE TABLE manual_sections (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id    INTEGER NOT NULL REFERENCES organisations (id),
    kind       TEXT NOT NULL CONSTRAINT manual_sections_kind_check CHECK (kind IN ('presentation', 'projet_associatif', 'priorites', 'diffusion', 'organigramme_hierarchique', 'organigramme_fonctionnel', 'fiche_de_poste', 'fonctionnement', 'procedure', 'outils', 'indicateurs', 'amelioration', 'libre')),
    title      TEXT NOT NULL CONSTRAINT manual_sections_title_check CHECK (length(trim(title)) BETWEEN 1 AND 200),
    position   INTEGER NOT NULL,
    created_at TEXT NOT NULL
        CONSTRAINT manual_sections_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    -- Taken out of the manual (its versions stay, for the editions that hold them).
    removed_at TEXT
        CONSTRAINT manual_sections_removed_at_check CHECK (removed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(removed_at, 1, 19))) IS substr(removed_at, 1, 19))
);
CREATE INDEX manual_sections_siae ON manual_sections (siae_id, position);

CREATE TABLE manual_section_requirements (
    section_id      INTEGER NOT NULL REFERENCES manual_sections (id),
    requirement_key TEXT NOT NULL CONSTRAINT manual_section_requirements_key_check CHECK (length(requirement_key) BETWEEN 1 AND 20),
    PRIMARY KEY (section_id, requirement_key)
);

CREATE TABLE manual_section_versions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id     INTEGER NOT NULL REFERENCES manual_sections (id),
    state          TEXT NOT NULL
        CONSTRAINT manual_section_versions_state_check CHECK (state IN ('brouillon', 'en_relecture', 'renvoyee', 'approuvee', 'obsolete')),
    body           TEXT NOT NULL CONSTRAINT manual_section_versions_body_check CHECK (length(body) <= 200000),
    change_note    TEXT NOT NULL CONSTRAINT manual_section_versions_change_note_check CHECK (length(change_note) <= 2000),
    author_id      INTEGER NOT NULL REFERENCES accounts (id),
    author_name    TEXT NOT NULL,
    created_at     TEXT NOT NULL
        CONSTRAINT manual_section_versions_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    updated_at     TEXT NOT NULL
        CONSTRAINT manual_section_versions_updated_at_check CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(updated_at, 1, 19))) IS substr(updated_at, 1, 19)),
    -- Counts the saves of an open version: a save that started from an older revision is refused.
    revision       INTEGER NOT NULL DEFAULT 1,
    review_comment TEXT CONSTRAINT manual_section_versions_review_comment_check CHECK (length(review_comment) <= 2000),
    number         INTEGER,
    approved_on    TEXT
        CONSTRAINT manual_section_versions_approved_on_check CHECK (approved_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(approved_on)) IS approved_on),
    approved_by    INTEGER REFERENCES accounts (id),
    approver_name  TEXT,
    review_due     TEXT
        CONSTRAINT manual_section_versions_review_due_check CHECK (review_due GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(review_due)) IS review_due),
    CONSTRAINT manual_section_versions_approval_check CHECK (
        (state IN ('approuvee', 'obsolete')) = (number IS NOT NULL AND approved_on IS NOT NULL
            AND approved_by IS NOT NULL AND approver_name IS NOT NULL AND review_due IS NOT NULL)),
    CONSTRAINT manual_section_versions_reviewer_check CHECK (approved_by IS NULL OR approved_by <> author_id)
);
CREATE UNIQUE INDEX manual_section_versions_number ON manual_section_versions (section_id, number)
    WHERE number IS NOT NULL;
CREATE UNIQUE INDEX manual_section_versions_open ON manual_section_versions (section_id)
    WHERE state IN ('brouillon', 'en_relecture', 'renvoyee');
CREATE UNIQUE INDEX manual_section_versions_in_force ON manual_section_versions (section_id)
    WHERE state = 'approuvee';

CREATE TRIGGER manual_section_versions_frozen BEFORE UPDATE ON manual_section_versions
WHEN OLD.state IN ('approuvee', 'obsolete') AND NOT (
    OLD.state = 'approuvee' AND NEW.state = 'obsolete'
        AND NEW.section_id IS OLD.section_id
        AND NEW.body IS OLD.body
        AND NEW.change_note IS OLD.change_note
        AND NEW.author_id IS OLD.author_id
        AND NEW.author_name IS OLD.author_name
        AND NEW.created_at IS OLD.created_at
        AND NEW.updated_at IS OLD.updated_at
        AND NEW.revision IS OLD.revision
        AND NEW.review_comment IS OLD.review_comment
        AND NEW.number IS OLD.number
        AND NEW.approved_on IS OLD.approved_on
        AND NEW.approved_by IS OLD.approved_by
        AND NEW.approver_name IS OLD.approver_name
        AND NEW.review_due IS OLD.review_due
        AND NEW.id IS OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'an approved section version is immutable');
END;

CREATE TRIGGER manual_section_versions_kept BEFORE DELETE ON manual_section_versions
WHEN OLD.state IN ('approuvee', 'obsolete')
BEGIN
    SELECT RAISE(ABORT, 'an approved section version is never deleted');
END;

-- REPLACE would delete the row in its way without firing the DELETE trigger.
CREATE TRIGGER manual_section_versions_no_replace BEFORE INSERT ON manual_section_versions
WHEN EXISTS (SELECT 1 FROM manual_section_versions WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a section version is never replaced');
END;
