-- The external audit, the committee's decision and the certificate (issue 10, seed « B »):
--  * demandes go on past the audit: compte-rendu remis, soumise au comité, then the committee's
--    verdict (certifiée, certifiée sous conditions, ajournée, refusée); a decided demande is no
--    longer in progress, so that a renewal opens a new one;
--  * audit_snapshots: what the auditor saw, frozen when the audit started (JSON: the edition with
--    its SHA-256, the self-assessment, every evidence file with its SHA-256), with the SHA-256 of
--    that JSON; never changes;
--  * audit_results and audit_findings: the auditor's appreciation of each requirement and their
--    findings, citing documents of the snapshot (JSON list of their ids);
--  * audit_reports: the compte-rendu's summary while it is written, then, once submitted, its
--    PDF with its SHA-256 and the data it was rendered from; a submitted report never changes;
--  * report_readings: every reading of a report (page or PDF), for the federation; append-only;
--  * committee_decisions: the verdict, the meeting, the members (JSON: each voting, abstaining or
--    recused), reasons, conditions; never changes;
--  * certificates: the verification code, the validity, the PDF; only a withdrawal (its date
--    and reasons) is ever written after issue.
-- Same tables as migrations/sqlite/0015_audit_and_decision.sql.

ALTER TABLE demandes DROP CONSTRAINT demandes_state_check;
ALTER TABLE demandes ADD CONSTRAINT demandes_state_check CHECK (state IN ('brouillon', 'soumise', 'a_completer', 'validee_region', 'refusee_region', 'transmise', 'auditeur_designe', 'audit_en_cours', 'rapport_remis', 'soumise_au_comite', 'certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee'));
DROP INDEX demandes_in_progress;
CREATE UNIQUE INDEX demandes_in_progress ON demandes (siae_id) WHERE state NOT IN ('refusee_region', 'certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee');

CREATE TABLE audit_snapshots (
    demande_id BIGINT NOT NULL PRIMARY KEY REFERENCES demandes (id),
    taken_at   TEXT NOT NULL CONSTRAINT audit_snapshots_taken_at_check CHECK (is_stored_timestamp(taken_at)),
    content    TEXT NOT NULL,
    sha256     TEXT NOT NULL CONSTRAINT audit_snapshots_sha256_check CHECK (length(sha256) = 64)
);

CREATE TABLE audit_results (
    demande_id      BIGINT NOT NULL REFERENCES demandes (id),
    requirement_key TEXT NOT NULL,
    status          TEXT NOT NULL
        CONSTRAINT audit_results_status_check CHECK (status IN ('non_conforme', 'en_cours', 'conforme', 'non_applicable')),
    comment         TEXT NOT NULL CONSTRAINT audit_results_comment_check CHECK (length(comment) <= 4000),
    updated_at      TEXT NOT NULL CONSTRAINT audit_results_updated_at_check CHECK (is_stored_timestamp(updated_at)),
    updated_by      BIGINT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (demande_id, requirement_key)
);

CREATE TABLE audit_findings (
    id              BIGSERIAL PRIMARY KEY,
    demande_id      BIGINT NOT NULL REFERENCES demandes (id),
    requirement_key TEXT NOT NULL,
    kind            TEXT NOT NULL
        CONSTRAINT audit_findings_kind_check CHECK (kind IN ('point_fort', 'piste_de_progres', 'non_conformite_mineure', 'non_conformite_majeure')),
    text            TEXT NOT NULL CONSTRAINT audit_findings_text_check CHECK (length(text) BETWEEN 1 AND 4000),
    evidence        TEXT NOT NULL,
    created_at      TEXT NOT NULL CONSTRAINT audit_findings_created_at_check CHECK (is_stored_timestamp(created_at)),
    created_by      BIGINT NOT NULL REFERENCES accounts (id)
);
CREATE INDEX audit_findings_demande ON audit_findings (demande_id, requirement_key, id);

CREATE TABLE audit_reports (
    demande_id   BIGINT NOT NULL PRIMARY KEY REFERENCES demandes (id),
    summary      TEXT NOT NULL CONSTRAINT audit_reports_summary_check CHECK (length(summary) <= 20000),
    submitted_at TEXT CONSTRAINT audit_reports_submitted_at_check CHECK (is_stored_timestamp(submitted_at)),
    pdf          BYTEA,
    sha256       TEXT CONSTRAINT audit_reports_sha256_check CHECK (length(sha256) = 64),
    data         TEXT,
    CONSTRAINT audit_reports_whole_check CHECK ((submitted_at IS NULL) = (pdf IS NULL) AND (pdf IS NULL) = (sha256 IS NULL) AND (sha256 IS NULL) = (data IS NULL))
);

CREATE TABLE report_readings (
    id          BIGSERIAL PRIMARY KEY,
    demande_id  BIGINT NOT NULL REFERENCES demandes (id),
    account_id  BIGINT NOT NULL REFERENCES accounts (id),
    reader_name TEXT NOT NULL,
    what        TEXT NOT NULL CONSTRAINT report_readings_what_check CHECK (what IN ('page', 'pdf')),
    read_at     TEXT NOT NULL CONSTRAINT report_readings_read_at_check CHECK (is_stored_timestamp(read_at))
);
CREATE INDEX report_readings_demande ON report_readings (demande_id, id);

CREATE TABLE committee_decisions (
    demande_id        BIGINT NOT NULL PRIMARY KEY REFERENCES demandes (id),
    verdict           TEXT NOT NULL
        CONSTRAINT committee_decisions_verdict_check CHECK (verdict IN ('certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee')),
    held_on           TEXT NOT NULL CONSTRAINT committee_decisions_held_on_check CHECK (is_stored_date(held_on)),
    seats             TEXT NOT NULL,
    reasons           TEXT NOT NULL CONSTRAINT committee_decisions_reasons_check CHECK (length(reasons) <= 4000),
    conditions        TEXT NOT NULL CONSTRAINT committee_decisions_conditions_check CHECK (length(conditions) <= 4000),
    conditions_due_on TEXT CONSTRAINT committee_decisions_conditions_due_on_check CHECK (is_stored_date(conditions_due_on)),
    recorded_by       BIGINT NOT NULL REFERENCES accounts (id),
    recorded_at       TEXT NOT NULL CONSTRAINT committee_decisions_recorded_at_check CHECK (is_stored_timestamp(recorded_at))
);

CREATE TABLE certificates (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE CONSTRAINT certificates_code_check CHECK (length(code) = 19),
    siae_id      BIGINT NOT NULL REFERENCES organisations (id),
    demande_id   BIGINT NOT NULL UNIQUE REFERENCES demandes (id),
    valid_from   TEXT NOT NULL CONSTRAINT certificates_valid_from_check CHECK (is_stored_date(valid_from)),
    valid_until  TEXT NOT NULL CONSTRAINT certificates_valid_until_check CHECK (is_stored_date(valid_until)),
    issued_at    TEXT NOT NULL CONSTRAINT certificates_issued_at_check CHECK (is_stored_timestamp(issued_at)),
    pdf          BYTEA NOT NULL,
    sha256       TEXT NOT NULL CONSTRAINT certificates_sha256_check CHECK (length(sha256) = 64),
    withdrawn_at TEXT CONSTRAINT certificates_withdrawn_at_check CHECK (is_stored_timestamp(withdrawn_at)),
    withdrawal_reason TEXT CONSTRAINT certificates_withdrawal_reason_check CHECK (length(withdrawal_reason) <= 4000),
    CONSTRAINT certificates_validity_check CHECK (valid_until > valid_from)
);
CREATE INDEX certificates_siae ON certificates (siae_id, id);

CREATE FUNCTION audit_snapshots_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an audit''s snapshot never changes';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_snapshots_frozen BEFORE UPDATE OR DELETE ON audit_snapshots
    FOR EACH ROW EXECUTE FUNCTION audit_snapshots_frozen();
CREATE TRIGGER audit_snapshots_truncate_guard BEFORE TRUNCATE ON audit_snapshots
    FOR EACH STATEMENT EXECUTE FUNCTION audit_snapshots_frozen();

CREATE FUNCTION report_readings_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a reading of a report is kept as it was';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER report_readings_frozen BEFORE UPDATE OR DELETE ON report_readings
    FOR EACH ROW EXECUTE FUNCTION report_readings_frozen();
CREATE TRIGGER report_readings_truncate_guard BEFORE TRUNCATE ON report_readings
    FOR EACH STATEMENT EXECUTE FUNCTION report_readings_frozen();

CREATE FUNCTION committee_decisions_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a committee''s decision never changes';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER committee_decisions_frozen BEFORE UPDATE OR DELETE ON committee_decisions
    FOR EACH ROW EXECUTE FUNCTION committee_decisions_frozen();
CREATE TRIGGER committee_decisions_truncate_guard BEFORE TRUNCATE ON committee_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION committee_decisions_frozen();

CREATE FUNCTION audit_reports_submitted() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.submitted_at IS NOT NULL THEN
        RAISE EXCEPTION 'a submitted report never changes, a report is never deleted';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_reports_submitted BEFORE UPDATE OR DELETE ON audit_reports
    FOR EACH ROW EXECUTE FUNCTION audit_reports_submitted();
CREATE TRIGGER audit_reports_truncate_guard BEFORE TRUNCATE ON audit_reports
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reports_submitted();

CREATE FUNCTION certificates_issued() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR OLD.withdrawn_at IS NOT NULL
        OR (NEW.code, NEW.siae_id, NEW.demande_id, NEW.valid_from, NEW.valid_until, NEW.issued_at, NEW.pdf, NEW.sha256)
           IS DISTINCT FROM (OLD.code, OLD.siae_id, OLD.demande_id, OLD.valid_from, OLD.valid_until, OLD.issued_at, OLD.pdf, OLD.sha256) THEN
        RAISE EXCEPTION 'a certificate never changes, but for its withdrawal';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER certificates_issued BEFORE UPDATE OR DELETE ON certificates
    FOR EACH ROW EXECUTE FUNCTION certificates_issued();
CREATE TRIGGER certificates_truncate_guard BEFORE TRUNCATE ON certificates
    FOR EACH STATEMENT EXECUTE FUNCTION certificates_issued();
