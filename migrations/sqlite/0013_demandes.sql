-- Demandes de certification: prepared by a SIAE on an issued edition of its manual, submitted to
-- its region, returned for completion or decided by the regional board, forwarded to the
-- federation, whose responsable qualité assigns an external auditor. A SIAE has at most one
-- demande in progress. Every step is an event that never
-- changes: the demande's timeline (each round's submission with the edition and the
-- self-assessment as they were, each return with its comment, the board's meeting).
-- Same as migrations/postgres/0013_demandes.sql.

CREATE TABLE demandes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id    INTEGER NOT NULL REFERENCES organisations (id),
    state      TEXT NOT NULL CONSTRAINT demandes_state_check CHECK (state IN ('brouillon', 'soumise', 'a_completer', 'validee_region', 'refusee_region', 'transmise', 'auditeur_designe', 'audit_en_cours')),
    edition_id INTEGER REFERENCES manual_editions (id),
    message    TEXT NOT NULL CONSTRAINT demandes_message_check CHECK (length(message) <= 4000),
    -- The audit's dates, set by the auditor once they have contacted the SIAE.
    audit_starts_on TEXT
        CONSTRAINT demandes_audit_starts_on_check CHECK (audit_starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(audit_starts_on)) IS audit_starts_on),
    audit_ends_on   TEXT
        CONSTRAINT demandes_audit_ends_on_check CHECK (audit_ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(audit_ends_on)) IS audit_ends_on),
    -- The external auditor assigned by the federation (an account), once assigned.
    auditor_id INTEGER REFERENCES accounts (id),
    created_at TEXT NOT NULL
        CONSTRAINT demandes_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    created_by INTEGER NOT NULL REFERENCES accounts (id),
    CONSTRAINT demandes_audit_dates_check CHECK (audit_ends_on >= audit_starts_on)
);
CREATE UNIQUE INDEX demandes_in_progress ON demandes (siae_id) WHERE state <> 'refusee_region';

CREATE TABLE demande_events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    demande_id          INTEGER NOT NULL REFERENCES demandes (id),
    occurred_at         TEXT NOT NULL
        CONSTRAINT demande_events_occurred_at_check CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z'
            AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(occurred_at, 1, 19))) IS substr(occurred_at, 1, 19)),
    actor_id            INTEGER NOT NULL REFERENCES accounts (id),
    actor_name          TEXT NOT NULL,
    from_state          TEXT,
    to_state            TEXT NOT NULL,
    comment             TEXT NOT NULL CONSTRAINT demande_events_comment_check CHECK (length(comment) <= 4000),
    -- A submission: the edition it rested on and the self-assessment as it was (JSON).
    edition_id          INTEGER REFERENCES manual_editions (id),
    assessment_snapshot TEXT,
    -- A board decision: the meeting and its members present (JSON list of names).
    meeting_on          TEXT
        CONSTRAINT demande_events_meeting_on_check CHECK (meeting_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
            AND date(julianday(meeting_on)) IS meeting_on),
    members_present     TEXT
);
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
