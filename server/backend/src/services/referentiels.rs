//! Référentiel versions: the built-in October 2004 référentiel, new versions drafted from an
//! existing one, their lifecycle (*brouillon → validée par le bureau → en vigueur → remplacée*,
//! on `domain::referentiel::VersionLifecycle`), and the version that applies to each SIAE.

use crate::db::{self, referentiels::StoredVersion, Author, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::refused;
use chrono::NaiveDate;
use domain::audit::{AuditEvent, RequirementChange};
use domain::organisation::{Organisation, OrganisationKind};
use domain::policy::{Action, Target};
pub use domain::referentiel::Version;
use domain::referentiel::{
    Referentiel, Requirement, VersionChanges, VersionEvent, VersionLifecycle, VersionState,
};
use domain::workflow;
use sqlx::AnyConnection;

const BUILTIN_2004: &str = include_str!("../../referentiels/cedre-2004-10.toml");

/// The October 2004 référentiel, word for word from the CEDRE document.
pub fn builtin_2004() -> Referentiel {
    let referentiel: Referentiel =
        toml::from_str(BUILTIN_2004).expect("the built-in référentiel parses");
    referentiel
        .validate()
        .expect("the built-in référentiel is valid");
    referentiel
}

fn new_version(state: VersionState, dates: Option<NaiveDate>) -> Version {
    Version {
        id: 0,
        code: String::new(),
        label: String::new(),
        based_on_id: None,
        state,
        bureau_validated_on: dates,
        in_force_from: dates,
    }
}

/// Installs the 2004 référentiel on a database that has none; run at every start.
pub async fn ensure_builtin(db: &Db) -> BackendResult<()> {
    if db::referentiels::count(&db.pool).await? > 0 {
        return Ok(());
    }
    let in_force = NaiveDate::from_ymd_opt(2004, 10, 1);
    let version = new_version(VersionState::EnVigueur, in_force);
    install(db, "installation", builtin_2004(), version).await?;
    Ok(())
}

/// `cedre referentiel import`: a référentiel written as a data file (the same form as the built-in
/// one), stored as a draft version to be reviewed, validated by the bureau and put in force.
pub async fn import(db: &Db, toml_text: &str) -> BackendResult<i64> {
    let referentiel: Referentiel = toml::from_str(toml_text).map_err(|e| {
        BackendError::invalid(format!("Le fichier du référentiel n'est pas lisible : {e}"))
    })?;
    referentiel.validate().map_err(BackendError::invalid)?;
    let draft = new_version(VersionState::Brouillon, None);
    install(db, "cedre referentiel import", referentiel, draft).await
}

/// Stores a référentiel loaded from a data file, as the command line `what`.
async fn install(
    db: &Db,
    what: &str,
    referentiel: Referentiel,
    version: Version,
) -> BackendResult<i64> {
    let mut work = db.unit_of_work(Author::command_line(what)).await?;
    let id = db::referentiels::insert(&mut work, &referentiel, None, &version).await?;
    work.commit(AuditEvent::ReferentielInstalled {
        version_id: id,
        code: referentiel.code,
        label: referentiel.label,
        title: referentiel.title,
    })
    .await?;
    Ok(id)
}

/// Drafts are work in progress of those who manage the référentiel; everyone else sees the
/// versions that have been in force.
fn may_read(by: &Identity, version: &Version) -> bool {
    version.has_been_in_force() || by.may(Action::ManageReferentiel, Target::Global)
}

/// The versions the caller may read.
pub async fn list(db: &Db, by: &Identity) -> BackendResult<Vec<Version>> {
    Ok(db::referentiels::all(&db.pool)
        .await?
        .into_iter()
        .filter(|v| may_read(by, v))
        .collect())
}

/// A version with its text, if the caller may read it; a draft is `NotFound` to others.
pub async fn read(db: &Db, by: &Identity, id: i64) -> BackendResult<(Version, Referentiel)> {
    let (version, referentiel) = get(db, id).await?;
    if !may_read(by, &version) {
        return Err(BackendError::NotFound(format!(
            "referentiel version {id} (draft)"
        )));
    }
    Ok((version, referentiel))
}

pub async fn get(db: &Db, id: i64) -> BackendResult<(Version, Referentiel)> {
    let StoredVersion(version, referentiel) =
        db::referentiels::find(&mut *db.pool.acquire().await?, id).await?;
    Ok((version, referentiel))
}

/// The version a SIAE is assessed against: the one it was moved to, or else the one in force at
/// its entry into the approach (the oldest in force if it entered before any).
pub async fn for_siae(db: &Db, siae: &Organisation) -> BackendResult<(Version, Referentiel)> {
    for_siae_in(&mut *db.pool.acquire().await?, siae).await
}

/// [`for_siae`] on a given connection: inside a change, every read goes through its transaction
/// (a second connection taken from the pool while holding one can starve the pool).
pub async fn for_siae_in(
    conn: &mut AnyConnection,
    siae: &Organisation,
) -> BackendResult<(Version, Referentiel)> {
    let id = version_id_in(conn, siae).await?;
    let StoredVersion(version, referentiel) = db::referentiels::find(conn, id).await?;
    Ok((version, referentiel))
}

/// The id of the version a SIAE is assessed against (see [`for_siae`]), without loading it.
pub async fn version_id_for(db: &Db, siae: &Organisation) -> BackendResult<i64> {
    version_id_in(&mut *db.pool.acquire().await?, siae).await
}

async fn version_id_in(conn: &mut AnyConnection, siae: &Organisation) -> BackendResult<i64> {
    match db::referentiels::assignment(conn, siae.id).await? {
        Some((version_id, _)) => Ok(version_id),
        None => db::referentiels::in_force_at(conn, siae.entry_date).await,
    }
}

/// What changed for a SIAE moved from another version to `current`; `None` if it was never moved.
pub async fn changes_since_move(
    db: &Db,
    siae: &Organisation,
    current: &Referentiel,
) -> BackendResult<Option<VersionChanges>> {
    let assignment = db::referentiels::assignment(&mut *db.pool.acquire().await?, siae.id).await?;
    match assignment {
        Some((_, Some(previous))) => Ok(Some(VersionChanges::between(
            &get(db, previous).await?.1,
            current,
        ))),
        _ => Ok(None),
    }
}

fn require_manage(by: &Identity) -> BackendResult<()> {
    by.require(Action::ManageReferentiel, Target::Global)
}

/// Reads and locks a version inside a change.
async fn version_for_change(work: &mut UnitOfWork, id: i64) -> BackendResult<StoredVersion> {
    work.lock_row("referentiel_versions", id).await?;
    db::referentiels::find(work, id).await
}

/// Changes the text of a version that is not in force yet.
async fn edit_definition(
    db: &Db,
    by: &Identity,
    version_id: i64,
    change: impl FnOnce(&mut Referentiel) -> BackendResult<RequirementChange>,
) -> BackendResult<()> {
    require_manage(by)?;
    let mut work = db.unit_of_work(by).await?;
    let StoredVersion(version, mut referentiel) = version_for_change(&mut work, version_id).await?;
    if !version.is_draft() {
        return Err(BackendError::invalid(
            "Cette version est en vigueur : elle ne se modifie plus. Créez une nouvelle version à partir d'elle.",
        ));
    }
    let change = change(&mut referentiel)?;
    referentiel.validate().map_err(BackendError::invalid)?;
    db::referentiels::update_definition(&mut work, version_id, &referentiel).await?;
    work.commit(AuditEvent::ReferentielEdited {
        version_id,
        code: version.code,
        change,
    })
    .await
}

/// A new draft version, copied from an existing one.
pub async fn create_from(
    db: &Db,
    by: &Identity,
    base_id: i64,
    code: &str,
    label: &str,
) -> BackendResult<i64> {
    require_manage(by)?;
    let (code, label) = (code.trim(), label.trim());
    let mut errors = domain::validation::FieldErrors::new();
    if code.is_empty() {
        errors.add("code", "Le code de la version est obligatoire.");
    }
    if label.is_empty() {
        errors.add("label", "Le libellé de la version est obligatoire.");
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let mut work = db.unit_of_work(by).await?;
    let StoredVersion(base, mut referentiel) = db::referentiels::find(&mut work, base_id).await?;
    referentiel.code = code.to_string();
    referentiel.label = label.to_string();
    let draft = new_version(VersionState::Brouillon, None);
    let id = db::referentiels::insert(&mut work, &referentiel, Some(base.id), &draft).await?;
    work.commit(AuditEvent::ReferentielDrafted {
        version_id: id,
        code: referentiel.code,
        based_on: base.code,
    })
    .await?;
    Ok(id)
}

fn parse_points(points: &str) -> Vec<String> {
    points
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn edit_requirement(
    db: &Db,
    by: &Identity,
    version_id: i64,
    key: &str,
    text: &str,
    points: &str,
) -> BackendResult<()> {
    let (key, text, points) = (
        key.to_string(),
        text.trim().to_string(),
        parse_points(points),
    );
    edit_definition(db, by, version_id, move |referentiel| {
        let requirement = referentiel
            .sections
            .iter_mut()
            .flat_map(|s| {
                let code = s.code.clone();
                s.requirements.iter_mut().map(move |r| (code.clone(), r))
            })
            .find(|(section, r)| requirement_key(section, &r.code) == key)
            .map(|(_, r)| r)
            .ok_or_else(|| BackendError::NotFound(format!("requirement {key}")))?;
        let change = RequirementChange::Edited {
            key,
            text_before: std::mem::replace(&mut requirement.text, text),
            text_after: requirement.text.clone(),
            points_before: std::mem::replace(&mut requirement.points, points),
            points_after: requirement.points.clone(),
        };
        Ok(change)
    })
    .await
}

pub async fn add_requirement(
    db: &Db,
    by: &Identity,
    version_id: i64,
    section_code: &str,
    code: &str,
    text: &str,
    points: &str,
) -> BackendResult<()> {
    let requirement = Requirement {
        code: code.trim().to_string(),
        text: text.trim().to_string(),
        points: parse_points(points),
        note: None,
        applicability: None,
    };
    let section_code = section_code.to_string();
    edit_definition(db, by, version_id, move |referentiel| {
        let section = referentiel
            .sections
            .iter_mut()
            .find(|s| s.code == section_code)
            .ok_or_else(|| {
                BackendError::invalid_field(
                    "section",
                    "Cette section n'existe pas dans la version.",
                )
            })?;
        let change = RequirementChange::Added {
            section: section.code.clone(),
            code: requirement.code.clone(),
            text: requirement.text.clone(),
        };
        section.requirements.push(requirement);
        Ok(change)
    })
    .await
}

pub async fn retire_requirement(
    db: &Db,
    by: &Identity,
    version_id: i64,
    key: &str,
) -> BackendResult<()> {
    let key = key.to_string();
    edit_definition(db, by, version_id, move |referentiel| {
        for section in &mut referentiel.sections {
            let code = section.code.clone();
            if let Some(index) = section
                .requirements
                .iter()
                .position(|r| requirement_key(&code, &r.code) == key)
            {
                let removed = section.requirements.remove(index);
                return Ok(RequirementChange::Retired {
                    key,
                    text: removed.text,
                });
            }
        }
        Err(BackendError::NotFound(format!("requirement {key}")))
    })
    .await
}

/// [`Requirement::key`] from the section's code, for use while the section is borrowed.
fn requirement_key(section: &str, code: &str) -> String {
    if code.is_empty() {
        section.to_string()
    } else {
        format!("{section} {code}")
    }
}

/// Applies one lifecycle event to a version, stores it and records it in the change.
async fn apply(
    work: &mut UnitOfWork,
    by: &Identity,
    version: &Version,
    event: VersionEvent,
    on: NaiveDate,
) -> BackendResult<Version> {
    let step = workflow::transition::<VersionLifecycle>(version, &event, &by.actor, Target::Global)
        .map_err(|r| refused(by, r))?;
    db::referentiels::update_state(work, &step.to).await?;
    work.record(&AuditEvent::ReferentielTransition {
        version_id: version.id,
        code: version.code.clone(),
        from: step.from.state,
        to: step.to.state,
        on,
    });
    Ok(step.to)
}

/// Records the bureau's validation and/or the date from which the version is in force; a
/// version put in force replaces the versions in force before it.
pub async fn record_dates(
    db: &Db,
    by: &Identity,
    version_id: i64,
    validated_on: Option<NaiveDate>,
    in_force_from: Option<NaiveDate>,
) -> BackendResult<()> {
    require_manage(by)?;
    if validated_on.is_none() && in_force_from.is_none() {
        return Err(BackendError::invalid_field(
            "validated_on",
            "Indiquez la date de validation par le bureau ou la date d'entrée en vigueur.",
        ));
    }
    let mut work = db.unit_of_work(by).await?;
    let StoredVersion(mut version, _) = version_for_change(&mut work, version_id).await?;
    if let Some(on) = validated_on.filter(|on| Some(*on) != version.bureau_validated_on) {
        version = apply(
            &mut work,
            by,
            &version,
            VersionEvent::ValidateByBureau { on },
            on,
        )
        .await?;
    }
    if let Some(from) = in_force_from {
        for older in db::referentiels::in_force(&mut work, version.id).await? {
            if older.in_force_from.is_some_and(|since| since < from) {
                apply(
                    &mut work,
                    by,
                    &older,
                    VersionEvent::Supersede { on: from },
                    from,
                )
                .await?;
            }
        }
        apply(
            &mut work,
            by,
            &version,
            VersionEvent::PutInForce { from },
            from,
        )
        .await?;
    }
    work.commit_recorded().await
}

/// Moves a SIAE to another version in force (for a renewal); its assessments carry over by requirement.
pub async fn move_siae(db: &Db, by: &Identity, siae_id: i64, version_id: i64) -> BackendResult<()> {
    require_manage(by)?;
    let mut work = db.unit_of_work(by).await?;
    let siae = crate::services::organisations::get_for_change(&mut work, by, siae_id).await?;
    if siae.kind != OrganisationKind::Siae {
        return Err(BackendError::NotFound(format!(
            "organisation {siae_id} is not a SIAE"
        )));
    }
    let current = for_siae_in(&mut work, &siae).await?.0;
    let target = db::referentiels::find(&mut work, version_id).await?.0;
    if !target.has_been_in_force() {
        return Err(BackendError::invalid_field(
            "version_id",
            "Une SIAE ne peut être évaluée que sur une version en vigueur.",
        ));
    }
    if target.id == current.id {
        return Ok(());
    }
    db::referentiels::assign(&mut work, siae.id, target.id, current.id).await?;
    work.commit(AuditEvent::SiaeMovedToVersion {
        siae_id: siae.id,
        siae_name: siae.name,
        from: current.code,
        to: target.code,
    })
    .await
}
