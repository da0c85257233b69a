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
-- Same tables as migrations/postgres/0015_audit_and_decision.sql. SQLite changes a CHECK only by
-- rebuilding the table (see 0003 for why foreign keys stay on and the order of the steps).

PRAGMA defer_foreign_keys = ON;

CREATE TABLE demandes_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id    INTEGER NOT NULL REFERENCES organisations (id),
    state      TEXT NOT NULL CONSTRAINT demandes_state_check CHECK (state IN ('brouillon', 'soumise', 'a_completer', 'validee_region', 'refusee_region', 'transmise', 'auditeur_designe', 'audit_en_cours', 'rapport_remis', 'soumise_au_comite', 'certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee')),
    edition_id INTEGER REFERENCES manual_editions (id),
    message    TEXT NOT NULL CONSTRAINT demandes_message_check CHECK (length(message) <= 4000),
    audit_starts_on TEXT
        CONSTRAINT demandes_audit_starts_on_check CHECK (audit_starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(audit_starts_on)) IS audit_starts_on),
    audit_ends_on   TEXT
        CONSTRAINT demandes_audit_ends_on_check CHECK (audit_ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(audit_ends_on)) IS audit_ends_on),
    auditor_id INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL
        CONSTRAINT demandes_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    CONSTRAINT demandes_audit_dates_check CHECK (audit_ends_on >= audit_starts_on)
);

CREATE TABLE demande_events_new (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    demande_id          INTEGER NOT NULL REFERENCES demandes_new (id),
    occurred_at         TEXT NOT NULL
        CONSTRAINT demande_events_occurred_at_check CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(occurred_at, 1, 19))) IS substr(occurred_at, 1, 19)),
    actor_id            INTEGER NOT NULL REFERENCES accounts (id),
    actor_name          TEXT NOT NULL,
    from_state          TEXT,
    to_state            TEXT NOT NULL,
    comment             TEXT NOT NULL CONSTRAINT demande_events_comment_check CHECK (length(comment) <= 4000),
    edition_id          INTEGER REFERENCES manual_editions (id),
    assessment_snapshot TEXT,
    meeting_on          TEXT
        CONSTRAINT demande_events_meeting_on_check CHECK (meeting_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(meeting_on)) IS meeting_on),
    members_present     TEXT
);

INSERT INTO demandes_new SELECT id, siae_id, state, edition_id, message, audit_starts_on, audit_ends_on, auditor_id, created_at, created_by FROM demandes;
INSERT INTO demande_events_new SELECT * FROM demande_events;
DROP TABLE demande_events;
DROP TABLE demandes;
ALTER TABLE demandes_new RENAME TO demandes;
ALTER TABLE demande_events_new RENAME TO demande_events;

CREATE UNIQUE INDEX demandes_in_progress ON demandes (siae_id) WHERE state NOT IN ('refusee_region', 'certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee');
CREATE INDEX demande_events_demande ON demande_events (demande_id, id);

CREATE TRIGGER demande_events_frozen BEFORE UPDATE ON demande_events
BEGIN
    SELECT RAISE(ABORT, 'a step of a demande never changes');
END;

CREATE TRIGGER demande_events_kept BEFORE DELETE ON demande_events
BEGIN
    SELECT RAISE(ABORT, 'a step of a demande is never deleted');
END;

CREATE TRIGGER demande_events_no_replace BEFORE INSERT ON demande_events
WHEN EXISTS (SELECT 1 FROM demande_events WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'a step of a demande is never replaced');
END;

CREATE TABLE audit_snapshots (
    demande_id INTEGER NOT NULL PRIMARY KEY REFERENCES demandes (id),
    taken_at   TEXT NOT NULL
        CONSTRAINT audit_snapshots_taken_at_check CHECK (taken_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(taken_at, 1, 19))) IS substr(taken_at, 1, 19)),
    content    TEXT NOT NULL,
    sha256     TEXT NOT NULL CONSTRAINT audit_snapshots_sha256_check CHECK (length(sha256) = 64)
);

CREATE TABLE audit_results (
    demande_id      INTEGER NOT NULL REFERENCES demandes (id),
    requirement_key TEXT NOT NULL,
    status          TEXT NOT NULL
        CONSTRAINT audit_results_status_check CHECK (status IN ('non_conforme', 'en_cours', 'conforme', 'non_applicable')),
    comment         TEXT NOT NULL CONSTRAINT audit_results_comment_check CHECK (length(comment) <= 4000),
    updated_at      TEXT NOT NULL
        CONSTRAINT audit_results_updated_at_check CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(updated_at, 1, 19))) IS substr(updated_at, 1, 19)),
    updated_by      INTEGER NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (demande_id, requirement_key)
);

CREATE TABLE audit_findings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    demande_id      INTEGER NOT NULL REFERENCES demandes (id),
    requirement_key TEXT NOT NULL,
    kind            TEXT NOT NULL
        CONSTRAINT audit_findings_kind_check CHECK (kind IN ('point_fort', 'piste_de_progres', 'non_conformite_mineure', 'non_conformite_majeure')),
    text            TEXT NOT NULL CONSTRAINT audit_findings_text_check CHECK (length(text) BETWEEN 1 AND 4000),
    evidence        TEXT NOT NULL,
    created_at      TEXT NOT NULL
        CONSTRAINT audit_findings_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    created_by      INTEGER NOT NULL REFERENCES accounts (id)
);
CREATE INDEX audit_findings_demande ON audit_findings (demande_id, requirement_key, id);

CREATE TABLE audit_reports (
    demande_id   INTEGER NOT NULL PRIMARY KEY REFERENCES demandes (id),
    summary      TEXT NOT NULL CONSTRAINT audit_reports_summary_check CHECK (length(summary) <= 20000),
    submitted_at TEXT
        CONSTRAINT audit_reports_submitted_at_check CHECK (submitted_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(submitted_at, 1, 19))) IS substr(submitted_at, 1, 19)),
    pdf          BLOB,
    sha256       TEXT CONSTRAINT audit_reports_sha256_check CHECK (length(sha256) = 64),
    data         TEXT,
    CONSTRAINT audit_reports_whole_check CHECK ((submitted_at IS NULL) = (pdf IS NULL) AND (pdf IS NULL) = (sha256 IS NULL) AND (sha256 IS NULL) = (data IS NULL))
);

CREATE TABLE report_readings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    demande_id  INTEGER NOT NULL REFERENCES demandes (id),
    account_id  INTEGER NOT NULL REFERENCES accounts (id),
    reader_name TEXT NOT NULL,
    what        TEXT NOT NULL CONSTRAINT report_readings_what_check CHECK (what IN ('page', 'pdf')),
    read_at     TEXT NOT NULL
        CONSTRAINT report_readings_read_at_check CHECK (read_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(read_at, 1, 19))) IS substr(read_at, 1, 19))
);
CREATE INDEX report_readings_demande ON report_readings (demande_id, id);

CREATE TABLE committee_decisions (
    demande_id        INTEGER NOT NULL PRIMARY KEY REFERENCES demandes (id),
    verdict           TEXT NOT NULL
        CONSTRAINT committee_decisions_verdict_check CHECK (verdict IN ('certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee')),
    held_on           TEXT NOT NULL
        CONSTRAINT committee_decisions_held_on_check CHECK (held_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(held_on)) IS held_on),
    seats             TEXT NOT NULL,
    reasons           TEXT NOT NULL CONSTRAINT committee_decisions_reasons_check CHECK (length(reasons) <= 4000),
    conditions        TEXT NOT NULL CONSTRAINT committee_decisions_conditions_check CHECK (length(conditions) <= 4000),
    conditions_due_on TEXT
        CONSTRAINT committee_decisions_conditions_due_on_check CHECK (conditions_due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(conditions_due_on)) IS conditions_due_on),
    recorded_by       INTEGER NOT NULL REFERENCES accounts (id),
    recorded_at       TEXT NOT NULL
        CONSTRAINT committee_decisions_recorded_at_check CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(recorded_at, 1, 19))) IS substr(recorded_at, 1, 19))
);

CREATE TABLE certificates (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    code         TEXT NOT NULL UNIQUE CONSTRAINT certificates_code_check CHECK (length(code) = 19),
    siae_id      INTEGER NOT NULL REFERENCES organisations (id),
    demande_id   INTEGER NOT NULL UNIQUE REFERENCES demandes (id),
    valid_from   TEXT NOT NULL
        CONSTRAINT certificates_valid_from_check CHECK (valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(valid_from)) IS valid_from),
    valid_until  TEXT NOT NULL
        CONSTRAINT certificates_valid_until_check CHECK (valid_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(valid_until)) IS valid_until),
    issued_at    TEXT NOT NULL
        CONSTRAINT certificates_issued_at_check CHECK (issued_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(issued_at, 1, 19))) IS substr(issued_at, 1, 19)),
    pdf          BLOB NOT NULL,
    sha256       TEXT NOT NULL CONSTRAINT certificates_sha256_check CHECK (length(sha256) = 64),
    withdrawn_at TEXT
        CONSTRAINT certificates_withdrawn_at_check CHECK (withdrawn_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(withdrawn_at, 1, 19))) IS substr(withdrawn_at, 1, 19)),
    withdrawal_reason TEXT CONSTRAINT certificates_withdrawal_reason_check CHECK (length(withdrawal_reason) <= 4000),
    CONSTRAINT certificates_validity_check CHECK (valid_until > valid_from)
);
CREATE INDEX certificates_siae ON certificates (siae_id, id);

CREATE TRIGGER audit_snapshots_frozen BEFORE UPDATE ON audit_snapshots
BEGIN
    SELECT RAISE(ABORT, 'an audit''s snapshot never changes');
END;

CREATE TRIGGER audit_snapshots_kept BEFORE DELETE ON audit_snapshots
BEGIN
    SELECT RAISE(ABORT, 'an audit''s snapshot never changes');
END;

CREATE TRIGGER report_readings_frozen BEFORE UPDATE ON report_readings
BEGIN
    SELECT RAISE(ABORT, 'a reading of a report is kept as it was');
END;

CREATE TRIGGER report_readings_kept BEFORE DELETE ON report_readings
BEGIN
    SELECT RAISE(ABORT, 'a reading of a report is kept as it was');
END;

CREATE TRIGGER committee_decisions_frozen BEFORE UPDATE ON committee_decisions
BEGIN
    SELECT RAISE(ABORT, 'a committee''s decision never changes');
END;

CREATE TRIGGER committee_decisions_kept BEFORE DELETE ON committee_decisions
BEGIN
    SELECT RAISE(ABORT, 'a committee''s decision never changes');
END;

-- REPLACE would delete the row in its way without firing the DELETE trigger.
CREATE TRIGGER audit_snapshots_no_replace BEFORE INSERT ON audit_snapshots
WHEN EXISTS (SELECT 1 FROM audit_snapshots WHERE demande_id = NEW.demande_id)
BEGIN
    SELECT RAISE(ABORT, 'an audit''s snapshot never changes');
END;

CREATE TRIGGER committee_decisions_no_replace BEFORE INSERT ON committee_decisions
WHEN EXISTS (SELECT 1 FROM committee_decisions WHERE demande_id = NEW.demande_id)
BEGIN
    SELECT RAISE(ABORT, 'a committee''s decision never changes');
END;

-- A submitted report never changes; a draft's summary does.
CREATE TRIGGER audit_reports_submitted BEFORE UPDATE ON audit_reports
WHEN OLD.submitted_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a submitted report never changes');
END;

CREATE TRIGGER audit_reports_kept BEFORE DELETE ON audit_reports
BEGIN
    SELECT RAISE(ABORT, 'a report is never deleted');
END;

CREATE TRIGGER audit_reports_no_replace BEFORE INSERT ON audit_reports
WHEN EXISTS (SELECT 1 FROM audit_reports WHERE demande_id = NEW.demande_id AND submitted_at IS NOT NULL)
BEGIN
    SELECT RAISE(ABORT, 'a submitted report never changes');
END;

-- Only a withdrawal is written after issue.
CREATE TRIGGER certificates_issued BEFORE UPDATE ON certificates
WHEN OLD.withdrawn_at IS NOT NULL OR NEW.code IS NOT OLD.code OR NEW.siae_id IS NOT OLD.siae_id
    OR NEW.demande_id IS NOT OLD.demande_id OR NEW.valid_from IS NOT OLD.valid_from
    OR NEW.valid_until IS NOT OLD.valid_until OR NEW.issued_at IS NOT OLD.issued_at
    OR NEW.pdf IS NOT OLD.pdf OR NEW.sha256 IS NOT OLD.sha256
BEGIN
    SELECT RAISE(ABORT, 'a certificate never changes, but for its withdrawal');
END;

CREATE TRIGGER certificates_kept BEFORE DELETE ON certificates
BEGIN
    SELECT RAISE(ABORT, 'a certificate is never deleted');
END;

CREATE TRIGGER certificates_no_replace BEFORE INSERT ON certificates
WHEN EXISTS (SELECT 1 FROM certificates WHERE id = NEW.id OR code = NEW.code OR demande_id = NEW.demande_id)
BEGIN
    SELECT RAISE(ABORT, 'a certificate is never replaced');
END;
