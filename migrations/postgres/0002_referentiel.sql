-- Référentiel versions, self-assessment with its history, evidence documents, indicative means.

CREATE TABLE referentiel_versions (
    id                  BIGSERIAL PRIMARY KEY,
    code                TEXT NOT NULL UNIQUE,
    label               TEXT NOT NULL,
    -- The whole référentiel as JSON (domain::referentiel::Referentiel); frozen once in force.
    definition          TEXT NOT NULL,
    based_on_id         BIGINT REFERENCES referentiel_versions (id),
    bureau_validated_on TEXT,
    in_force_from       TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);

-- A SIAE moved to another version than the one in force at its entry date (a renewal).
CREATE TABLE siae_referentiel (
    siae_id          BIGINT PRIMARY KEY REFERENCES organisations (id),
    version_id       BIGINT NOT NULL REFERENCES referentiel_versions (id),
    previous_version BIGINT REFERENCES referentiel_versions (id),
    assigned_at      TEXT NOT NULL
);

CREATE TABLE assessments (
    id              BIGSERIAL PRIMARY KEY,
    siae_id         BIGINT NOT NULL REFERENCES organisations (id),
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
    id              BIGSERIAL PRIMARY KEY,
    siae_id         BIGINT NOT NULL REFERENCES organisations (id),
    requirement_key TEXT NOT NULL,
    changed_at      TEXT NOT NULL,
    changed_by      TEXT NOT NULL,
    field           TEXT NOT NULL,
    before_value    TEXT NOT NULL,
    after_value     TEXT NOT NULL
);
CREATE INDEX assessment_history_requirement ON assessment_history (siae_id, requirement_key);

CREATE FUNCTION assessment_history_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'assessment_history is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assessment_history_no_update_or_delete BEFORE UPDATE OR DELETE ON assessment_history
    FOR EACH ROW EXECUTE FUNCTION assessment_history_append_only();

CREATE TABLE evidence_documents (
    id           BIGSERIAL PRIMARY KEY,
    siae_id      BIGINT NOT NULL REFERENCES organisations (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    uploaded_at  TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL
);
CREATE INDEX evidence_documents_siae ON evidence_documents (siae_id);

CREATE TABLE assessment_evidence (
    siae_id         BIGINT NOT NULL REFERENCES organisations (id),
    requirement_key TEXT NOT NULL,
    document_id     BIGINT NOT NULL REFERENCES evidence_documents (id),
    PRIMARY KEY (siae_id, requirement_key, document_id)
);

CREATE TABLE means_checks (
    siae_id      BIGINT NOT NULL REFERENCES organisations (id),
    section_code TEXT NOT NULL,
    mean         TEXT NOT NULL,
    document_id  BIGINT REFERENCES evidence_documents (id),
    checked_at   TEXT NOT NULL,
    checked_by   TEXT NOT NULL,
    PRIMARY KEY (siae_id, section_code, mean)
);
