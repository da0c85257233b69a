-- Versions of the manual's sections cited as evidence for a requirement of the self-assessment.
-- Only approved versions are cited (they never change), so that the evidence stays what it was.
-- Same as migrations/sqlite/0011_manual_evidence.sql.

CREATE TABLE assessment_manual_evidence (
    siae_id         BIGINT NOT NULL REFERENCES organisations (id),
    requirement_key TEXT NOT NULL CONSTRAINT assessment_manual_evidence_key_check CHECK (length(requirement_key) BETWEEN 1 AND 20),
    version_id      BIGINT NOT NULL REFERENCES manual_section_versions (id),
    PRIMARY KEY (siae_id, requirement_key, version_id)
);
