-- Corrective actions: each answers a non-conformity of an audit or the committee's conditions;
-- the SIAE declares it done with its evidence, the auditor or the federation checks its
-- efficacy. A non-conformity (or the conditions) is lifted once all its actions are effective.
-- Same as migrations/sqlite/0019_corrective_actions.sql.

CREATE TABLE corrective_actions (
    id             BIGSERIAL PRIMARY KEY,
    demande_id     BIGINT NOT NULL REFERENCES demandes (id),
    -- What it answers: a finding, or (NULL) the conditions of the committee's decision.
    finding_id     BIGINT REFERENCES audit_findings (id),
    description    TEXT NOT NULL CONSTRAINT corrective_actions_description_check CHECK (length(description) BETWEEN 1 AND 4000),
    root_cause     TEXT NOT NULL CONSTRAINT corrective_actions_root_cause_check CHECK (length(root_cause) BETWEEN 1 AND 4000),
    owner_id       BIGINT NOT NULL REFERENCES accounts (id),
    due_on         TEXT NOT NULL CONSTRAINT corrective_actions_due_on_check CHECK (is_stored_date(due_on)),
    state          TEXT NOT NULL CONSTRAINT corrective_actions_state_check CHECK (state IN ('ouverte', 'realisee', 'efficace')),
    evidence       TEXT NOT NULL DEFAULT '' CONSTRAINT corrective_actions_evidence_check CHECK (length(evidence) <= 4000),
    checked_by     BIGINT REFERENCES accounts (id),
    checked_at     TEXT CONSTRAINT corrective_actions_checked_at_check CHECK (is_stored_timestamp(checked_at)),
    check_effective BIGINT,
    check_comment  TEXT NOT NULL DEFAULT '' CONSTRAINT corrective_actions_check_comment_check CHECK (length(check_comment) <= 4000),
    created_by     BIGINT NOT NULL REFERENCES accounts (id),
    created_at     TEXT NOT NULL CONSTRAINT corrective_actions_created_at_check CHECK (is_stored_timestamp(created_at))
);
CREATE INDEX corrective_actions_demande ON corrective_actions (demande_id, finding_id, id);

-- A non-conformity, or the conditions of a demande (finding_id NULL), lifted: once.
CREATE TABLE corrective_liftings (
    id         BIGSERIAL PRIMARY KEY,
    demande_id BIGINT NOT NULL REFERENCES demandes (id),
    finding_id BIGINT REFERENCES audit_findings (id),
    lifted_by  BIGINT NOT NULL REFERENCES accounts (id),
    lifted_at  TEXT NOT NULL CONSTRAINT corrective_liftings_lifted_at_check CHECK (is_stored_timestamp(lifted_at))
);
CREATE UNIQUE INDEX corrective_liftings_once ON corrective_liftings (demande_id, COALESCE(finding_id, 0));

-- The reminder before an action's deadline and the escalation once it passed: once each.
CREATE TABLE corrective_reminders (
    action_id BIGINT NOT NULL REFERENCES corrective_actions (id),
    kind      TEXT NOT NULL CONSTRAINT corrective_reminders_kind_check CHECK (kind IN ('echeance', 'retard')),
    sent_at   TEXT NOT NULL CONSTRAINT corrective_reminders_sent_at_check CHECK (is_stored_timestamp(sent_at)),
    PRIMARY KEY (action_id, kind)
);
