-- The parcours of the people a SIAE supports (seed 002, fiches outil 14 to 19, exemples 4
-- and 5): each person's file, their engagements réciproques with their bilans, the actions of
-- the fiche de suivi, the SIAE's delay for a first proposal, and who read which file.
-- Same as migrations/postgres/0024_parcours.sql.

CREATE TABLE persons (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    siae_id           INTEGER NOT NULL REFERENCES organisations (id),
    last_name         TEXT NOT NULL CONSTRAINT persons_last_name_check CHECK (length(last_name) BETWEEN 1 AND 200),
    first_name        TEXT NOT NULL CONSTRAINT persons_first_name_check CHECK (length(first_name) <= 200),
    birth_date        TEXT CONSTRAINT persons_birth_date_check CHECK (birth_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(birth_date)) IS birth_date),
    phone             TEXT NOT NULL CONSTRAINT persons_phone_check CHECK (length(phone) <= 30),
    email             TEXT NOT NULL CONSTRAINT persons_email_check CHECK (length(email) <= 200),
    address           TEXT NOT NULL CONSTRAINT persons_address_check CHECK (length(address) <= 500),
    pre_accueil_on    TEXT NOT NULL CONSTRAINT persons_pre_accueil_on_check CHECK (pre_accueil_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(pre_accueil_on)) IS pre_accueil_on),
    accueil_on        TEXT CONSTRAINT persons_accueil_on_check CHECK (accueil_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(accueil_on)) IS accueil_on),
    inscription_on    TEXT CONSTRAINT persons_inscription_on_check CHECK (inscription_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(inscription_on)) IS inscription_on),
    request           TEXT NOT NULL CONSTRAINT persons_request_check CHECK (length(request) <= 4000),
    accompagnateur_id INTEGER REFERENCES accounts (id),
    exit_on           TEXT CONSTRAINT persons_exit_on_check CHECK (exit_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(exit_on)) IS exit_on),
    exit_kind         TEXT CONSTRAINT persons_exit_kind_check CHECK (exit_kind IN ('emploi_durable', 'emploi_transition', 'formation_qualifiante', 'autre_positive', 'autre')),
    created_at        TEXT NOT NULL CONSTRAINT persons_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    CONSTRAINT persons_exit_check CHECK ((exit_on IS NULL) = (exit_kind IS NULL)),
    CONSTRAINT persons_dates_check CHECK ((accueil_on IS NULL OR accueil_on >= pre_accueil_on)
        AND (inscription_on IS NULL OR (accueil_on IS NOT NULL AND inscription_on >= accueil_on)))
);
CREATE INDEX persons_siae_name ON persons (siae_id, last_name, first_name);

CREATE TABLE engagements (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id         INTEGER NOT NULL REFERENCES persons (id),
    kind              TEXT NOT NULL CONSTRAINT engagements_kind_check CHECK (kind IN ('coup_de_pouce', 'decouverte', 'mobilisation_preparation', 'validation_professionnelle', 'soutien_actif', 'templus')),
    signed_on         TEXT NOT NULL CONSTRAINT engagements_signed_on_check CHECK (signed_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(signed_on)) IS signed_on),
    accompagnateur_id INTEGER REFERENCES accounts (id),
    needs             TEXT NOT NULL CONSTRAINT engagements_needs_check CHECK (length(needs) <= 4000),
    object            TEXT NOT NULL CONSTRAINT engagements_object_check CHECK (length(object) BETWEEN 1 AND 4000),
    means_structure   TEXT NOT NULL CONSTRAINT engagements_means_structure_check CHECK (length(means_structure) BETWEEN 1 AND 4000),
    means_person      TEXT NOT NULL CONSTRAINT engagements_means_person_check CHECK (length(means_person) BETWEEN 1 AND 4000),
    due_on            TEXT NOT NULL CONSTRAINT engagements_due_on_check CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(due_on)) IS due_on),
    form              TEXT NOT NULL CONSTRAINT engagements_form_check CHECK (form IN ('ecrit', 'oral')),
    signed            INTEGER NOT NULL CONSTRAINT engagements_signed_check CHECK (signed IN (0, 1)),
    handed            INTEGER NOT NULL CONSTRAINT engagements_handed_check CHECK (handed IN (0, 1)),
    -- The engagement whose bilan planned this one as its follow-up.
    follows_id        INTEGER REFERENCES engagements (id),
    bilan_on          TEXT CONSTRAINT engagements_bilan_on_check CHECK (bilan_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(bilan_on)) IS bilan_on),
    bilan_achieved    TEXT CONSTRAINT engagements_bilan_achieved_check CHECK (bilan_achieved IN ('totalement', 'en_partie', 'non')),
    bilan_follow_up   INTEGER CONSTRAINT engagements_bilan_follow_up_check CHECK (bilan_follow_up IN (0, 1)),
    bilan_comments    TEXT NOT NULL CONSTRAINT engagements_bilan_comments_check CHECK (length(bilan_comments) <= 4000),
    created_by        INTEGER REFERENCES accounts (id),
    created_at        TEXT NOT NULL CONSTRAINT engagements_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    CONSTRAINT engagements_due_check CHECK (due_on > signed_on),
    CONSTRAINT engagements_bilan_check CHECK ((bilan_on IS NULL) = (bilan_achieved IS NULL)
        AND (bilan_on IS NULL) = (bilan_follow_up IS NULL)),
    CONSTRAINT engagements_oral_check CHECK (form = 'ecrit' OR (signed = 0 AND handed = 0))
);
CREATE INDEX engagements_person ON engagements (person_id, signed_on);

CREATE TABLE parcours_actions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id         INTEGER NOT NULL REFERENCES persons (id),
    engagement_id     INTEGER REFERENCES engagements (id),
    done_on           TEXT NOT NULL CONSTRAINT parcours_actions_done_on_check CHECK (done_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(done_on)) IS done_on),
    kind              TEXT NOT NULL CONSTRAINT parcours_actions_kind_check CHECK (kind IN ('entretien', 'telephone', 'mets', 'formation', 'atelier', 'aide_administrative', 'partenaire', 'autre')),
    label             TEXT NOT NULL CONSTRAINT parcours_actions_label_check CHECK (length(label) BETWEEN 1 AND 4000),
    objective         TEXT NOT NULL CONSTRAINT parcours_actions_objective_check CHECK (length(objective) <= 4000),
    due_on            TEXT CONSTRAINT parcours_actions_due_on_check CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' AND date(julianday(due_on)) IS due_on),
    status            TEXT NOT NULL CONSTRAINT parcours_actions_status_check CHECK (status IN ('a_proposer', 'en_cours', 'realisee')),
    decisions         TEXT NOT NULL CONSTRAINT parcours_actions_decisions_check CHECK (length(decisions) <= 4000),
    minutes           INTEGER NOT NULL CONSTRAINT parcours_actions_minutes_check CHECK (minutes BETWEEN 0 AND 720),
    client            TEXT NOT NULL CONSTRAINT parcours_actions_client_check CHECK (length(client) <= 200),
    rome_code         TEXT NOT NULL CONSTRAINT parcours_actions_rome_code_check CHECK (length(rome_code) <= 5),
    placement_minutes INTEGER CONSTRAINT parcours_actions_placement_minutes_check CHECK (placement_minutes BETWEEN 1 AND 60000),
    created_by        INTEGER REFERENCES accounts (id),
    created_at        TEXT NOT NULL CONSTRAINT parcours_actions_created_at_check CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(created_at, 1, 19))) IS substr(created_at, 1, 19)),
    CONSTRAINT parcours_actions_placement_check CHECK ((kind = 'mets') = (placement_minutes IS NOT NULL))
);
CREATE INDEX parcours_actions_person ON parcours_actions (person_id, done_on);

-- The delay a SIAE gives itself for a first proposal after an inscription (suivi a minima);
-- 30 days without a row.
CREATE TABLE parcours_settings (
    siae_id             INTEGER NOT NULL PRIMARY KEY REFERENCES organisations (id),
    proposal_delay_days INTEGER NOT NULL CONSTRAINT parcours_settings_proposal_delay_days_check CHECK (proposal_delay_days BETWEEN 1 AND 365)
);

-- Every opening of a person's file: who, when, what (the page, a PDF). Rows never change.
CREATE TABLE person_reads (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id  INTEGER NOT NULL REFERENCES persons (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    what       TEXT NOT NULL CONSTRAINT person_reads_what_check CHECK (length(what) BETWEEN 1 AND 100),
    read_at    TEXT NOT NULL CONSTRAINT person_reads_read_at_check CHECK (read_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z' AND strftime('%Y-%m-%dT%H:%M:%S', julianday(substr(read_at, 1, 19))) IS substr(read_at, 1, 19))
);
CREATE INDEX person_reads_person ON person_reads (person_id, id);

CREATE TRIGGER person_reads_frozen BEFORE UPDATE ON person_reads
BEGIN
    SELECT RAISE(ABORT, 'a reading of a person''s file is kept as it was');
END;

CREATE TRIGGER person_reads_kept BEFORE DELETE ON person_reads
BEGIN
    SELECT RAISE(ABORT, 'a reading of a person''s file is kept as it was');
END;
