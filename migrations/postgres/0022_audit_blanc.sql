-- The audit blanc: a demande of its own kind, through the same steps up to the compte-rendu,
-- which ends it (it never goes to the committee). A SIAE still has at most one demande in
-- progress, of either kind.
-- Same as migrations/sqlite/0022_audit_blanc.sql.

ALTER TABLE demandes ADD COLUMN kind TEXT NOT NULL DEFAULT 'certification'
    CONSTRAINT demandes_kind_check CHECK (kind IN ('certification', 'audit_blanc'));
DROP INDEX demandes_in_progress;
CREATE UNIQUE INDEX demandes_in_progress ON demandes (siae_id)
    WHERE state NOT IN ('refusee_region', 'certifiee', 'certifiee_sous_conditions', 'ajournee', 'refusee')
    AND NOT (kind = 'audit_blanc' AND state = 'rapport_remis');
