-- The lifecycle state of a référentiel version, and CHECK constraints on every flag, every code
-- and every stored timestamp and date, the same as migrations/sqlite/0003_version_state_and_checks.sql
-- (same constraint names, so an error names the same rule on both engines).
--
-- Stored forms (domain::time::STORED_FORMAT): a timestamp is UTC text of 27 characters,
-- `2026-01-02T03:04:05.000000Z`; a date is `YYYY-MM-DD`; both must name a real calendar day.
-- The codes are those of app/domain/src: OrganisationKind, SiaeType (kept from 0001), Role,
-- assessment::Status (kept from 0002), and the version states below.

CREATE FUNCTION is_stored_date(value TEXT) RETURNS BOOLEAN
    LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    y INTEGER;
    m INTEGER;
    d INTEGER;
BEGIN
    IF value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
        RETURN FALSE;
    END IF;
    y := substr(value, 1, 4)::INTEGER;
    m := substr(value, 6, 2)::INTEGER;
    d := substr(value, 9, 2)::INTEGER;
    RETURN m BETWEEN 1 AND 12 AND d BETWEEN 1 AND CASE
        WHEN m IN (4, 6, 9, 11) THEN 30
        WHEN m = 2 THEN CASE WHEN (y % 4 = 0 AND y % 100 <> 0) OR y % 400 = 0 THEN 29 ELSE 28 END
        ELSE 31
    END;
END;
$$;

CREATE FUNCTION is_stored_timestamp(value TEXT) RETURNS BOOLEAN
    LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    IF value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$' THEN
        RETURN FALSE;
    END IF;
    RETURN is_stored_date(substr(value, 1, 10))
        AND substr(value, 12, 2)::INTEGER < 24
        AND substr(value, 15, 2)::INTEGER < 60
        AND substr(value, 18, 2)::INTEGER < 60;
END;
$$;

-- A version's state: brouillon (editable), validee (by the federation's bureau), en_vigueur,
-- remplacee (in force, but another version came into force after it). Backfilled from the dates.
ALTER TABLE referentiel_versions
    ADD COLUMN state TEXT NOT NULL DEFAULT 'brouillon'
        CONSTRAINT referentiel_versions_state_check
        CHECK (state IN ('brouillon', 'validee', 'en_vigueur', 'remplacee'));

UPDATE referentiel_versions AS v SET state = CASE
    WHEN v.in_force_from IS NOT NULL AND EXISTS (
        SELECT 1 FROM referentiel_versions AS later
        WHERE later.in_force_from IS NOT NULL AND later.in_force_from > v.in_force_from
    ) THEN 'remplacee'
    WHEN v.in_force_from IS NOT NULL THEN 'en_vigueur'
    WHEN v.bureau_validated_on IS NOT NULL THEN 'validee'
    ELSE 'brouillon'
END;

ALTER TABLE organisations
    ADD CONSTRAINT organisations_entry_date_check CHECK (is_stored_date(entry_date)),
    ADD CONSTRAINT organisations_active_check CHECK (active IN (0, 1)),
    ADD CONSTRAINT organisations_created_at_check CHECK (is_stored_timestamp(created_at)),
    ADD CONSTRAINT organisations_updated_at_check CHECK (is_stored_timestamp(updated_at));

ALTER TABLE accounts
    ADD CONSTRAINT accounts_must_change_password_check CHECK (must_change_password IN (0, 1)),
    ADD CONSTRAINT accounts_active_check CHECK (active IN (0, 1)),
    ADD CONSTRAINT accounts_created_at_check CHECK (is_stored_timestamp(created_at)),
    ADD CONSTRAINT accounts_updated_at_check CHECK (is_stored_timestamp(updated_at)),
    ADD CONSTRAINT accounts_last_login_at_check CHECK (is_stored_timestamp(last_login_at));

ALTER TABLE memberships
    ADD CONSTRAINT memberships_role_check CHECK (role IN (
        'referent_qualite', 'direction', 'accompagnateur',
        'referent_qualite_regional', 'membre_ca_regional',
        'responsable_qualite_federal', 'membre_comite_certification', 'administrateur',
        'auditeur_externe')),
    ADD CONSTRAINT memberships_created_at_check CHECK (is_stored_timestamp(created_at));

ALTER TABLE sessions
    ADD CONSTRAINT sessions_created_at_check CHECK (is_stored_timestamp(created_at)),
    ADD CONSTRAINT sessions_last_seen_at_check CHECK (is_stored_timestamp(last_seen_at)),
    ADD CONSTRAINT sessions_expires_at_check CHECK (is_stored_timestamp(expires_at));

ALTER TABLE login_failures
    ADD CONSTRAINT login_failures_failed_at_check CHECK (is_stored_timestamp(failed_at));

ALTER TABLE audit_events
    ADD CONSTRAINT audit_events_occurred_at_check CHECK (is_stored_timestamp(occurred_at));

ALTER TABLE referentiel_versions
    ADD CONSTRAINT referentiel_versions_bureau_validated_on_check CHECK (is_stored_date(bureau_validated_on)),
    ADD CONSTRAINT referentiel_versions_in_force_from_check CHECK (is_stored_date(in_force_from)),
    ADD CONSTRAINT referentiel_versions_created_at_check CHECK (is_stored_timestamp(created_at)),
    ADD CONSTRAINT referentiel_versions_updated_at_check CHECK (is_stored_timestamp(updated_at));

ALTER TABLE siae_referentiel
    ADD CONSTRAINT siae_referentiel_assigned_at_check CHECK (is_stored_timestamp(assigned_at));

ALTER TABLE assessments
    ADD CONSTRAINT assessments_target_date_check CHECK (is_stored_date(target_date)),
    ADD CONSTRAINT assessments_updated_at_check CHECK (is_stored_timestamp(updated_at));

ALTER TABLE assessment_history
    ADD CONSTRAINT assessment_history_changed_at_check CHECK (is_stored_timestamp(changed_at));

ALTER TABLE evidence_documents
    ADD CONSTRAINT evidence_documents_uploaded_at_check CHECK (is_stored_timestamp(uploaded_at));

ALTER TABLE means_checks
    ADD CONSTRAINT means_checks_checked_at_check CHECK (is_stored_timestamp(checked_at));
