-- Référentiel versions, self-assessment with its history, evidence documents, indicative means.

CREATE TABLE referentiel_versions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    label               TEXT NOT NULL,
    -- The whole référentiel as JSON (domain::referentiel::Referentiel); frozen once in force.
    definition          TEXT NOT NULL,
    based_on_id         INTEGER REFERENCES referentiel_versions (id),
    bureau_validated_on TEXT,
    in_force_from       TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

-- A SIAE moved to another version than the one in force at its entry date (a renewal).
CREATE TABLE siae_referentiel (
    siae_id          INTEGER PRIMARY KEY REFERENCES organisations (id),
    version_id       INTEGER NOT NULL REFERENCES referentiel_versions (id),
    previous_version INTEGER REFERENCES referentiel_versions (id),
    assigned_at      TEXT NOT NULL
);

CREATE TABLE assessments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id         INTEGER NOT NULL REFERENCES organisations (id),
    requirement_key TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('non_evalue', 'non_conforme', 'en_cours', 'conforme', 'non_applicable')),
    comment         TEXT NOT NULL DEFAULT '',
    justification   TEXT NOT NULL DEFAULT '',
    responsible     TEXT NOT NULL DEFAULT '',
    target_date     TEXT,
    updated_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    UNIQUE (siae_id, requirement_key),
    CHECK (status <> 'non_applicable' OR length(trim(justification)) > 0)
);

CREATE TABLE assessment_history (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id         INTEGER NOT NULL REFERENCES organisations (id),
    requirement_key TEXT NOT NULL,
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL,
    field           TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL
);
CREATE INDEX assessment_history_requirement ON assessment_history (siae_id, requirement_key);

CREATE TRIGGER assessment_history_no_update BEFORE UPDATE ON assessment_history
BEGIN
    SELECT RAISE(ABORT, 'assessment_history is append-only');
END;
CREATE TRIGGER assessment_history_no_delete BEFORE DELETE ON assessment_history
BEGIN
    SELECT RAISE(ABORT, 'assessment_history is append-only');
END;

CREATE TABLE evidence_documents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id      INTEGER NOT NULL REFERENCES organisations (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_at  TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL
);
CREATE INDEX evidence_documents_siae ON evidence_documents (siae_id);

CREATE TABLE assessment_evidence (
    siae_id         INTEGER NOT NULL REFERENCES organisations (id),
    requirement_key TEXT NOT NULL,
    document_id     INTEGER NOT NULL REFERENCES evidence_documents (id),
    PRIMARY KEY (siae_id, requirement_key, document_id)
);

CREATE TABLE means_checks (
    siae_id      INTEGER NOT NULL REFERENCES organisations (id),
    section_code TEXT NOT NULL,
    mean         TEXT NOT NULL,
    document_id  INTEGER REFERENCES evidence_documents (id),
    checked_at   TEXT NOT NULL,
    checked_by   TEXT NOT NULL,
    PRIMARY KEY (siae_id, section_code, mean)
);
