//! Référentiel versions: the built-in October 2004 référentiel, new versions drafted from an
//! existing one, their validation by the federation's bureau, their entry into force, and the
//! version that applies to each SIAE.

use crate::audit::{self, Author, Entry};
use crate::db::{now, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use chrono::NaiveDate;
use domain::organisation::Organisation;
use domain::policy::{Action, Target};
pub use domain::referentiel::Version;
use domain::referentiel::{Referentiel, Requirement, VersionChanges};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const BUILTIN_2004: &str = include_str!("../referentiels/cedre-2004-10.toml");

/// The October 2004 référentiel, word for word from the CEDRE document.
pub fn builtin_2004() -> Referentiel {
    let referentiel: Referentiel =
        toml::from_str(BUILTIN_2004).expect("the built-in référentiel parses");
    referentiel
        .validate()
        .expect("the built-in référentiel is valid");
    referentiel
}

const SELECT: &str =
    "SELECT id, code, label, based_on_id, bureau_validated_on, in_force_from, definition FROM referentiel_versions";

fn date(row: &AnyRow, column: &str) -> BackendResult<Option<NaiveDate>> {
    Ok(row
        .try_get::<Option<String>, _>(column)?
        .and_then(|d| d.parse().ok()))
}

fn from_row(row: &AnyRow) -> BackendResult<(Version, Referentiel)> {
    let definition: String = row.try_get("definition")?;
    let referentiel = serde_json::from_str(&definition)
        .map_err(|e| BackendError::Internal(format!("stored référentiel does not parse: {e}")))?;
    Ok((
        Version {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            label: row.try_get("label")?,
            based_on_id: row.try_get("based_on_id")?,
            bureau_validated_on: date(row, "bureau_validated_on")?,
            in_force_from: date(row, "in_force_from")?,
        },
        referentiel,
    ))
}

/// Installs the 2004 référentiel on a database that has none; run at every start.
pub async fn ensure_builtin(db: &Db) -> BackendResult<()> {
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM referentiel_versions")
        .fetch_one(&db.pool)
        .await?
        .try_get("n")?;
    if count > 0 {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let in_force = NaiveDate::from_ymd_opt(2004, 10, 1);
    insert_version(
        &mut tx,
        &Author::command_line("installation"),
        &builtin_2004(),
        None,
        in_force,
        in_force,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `cedre referentiel import`: a référentiel written as a data file (the same form as the built-in
/// one), stored as a draft version to be reviewed, validated by the bureau and put in force.
pub async fn import(db: &Db, toml_text: &str) -> BackendResult<i64> {
    let referentiel: Referentiel = toml::from_str(toml_text).map_err(|e| {
        BackendError::invalid(format!("Le fichier du référentiel n'est pas lisible : {e}"))
    })?;
    referentiel.validate().map_err(BackendError::invalid)?;
    let mut tx = db.begin().await?;
    let id = insert_version(
        &mut tx,
        &Author::command_line("cedre referentiel import"),
        &referentiel,
        None,
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Stores a version and its audit entry, in the caller's transaction.
async fn insert_version(
    conn: &mut AnyConnection,
    author: &Author,
    referentiel: &Referentiel,
    based_on: Option<&Version>,
    validated_on: Option<NaiveDate>,
    in_force_from: Option<NaiveDate>,
) -> BackendResult<i64> {
    let now = now();
    let row = sqlx::query(
        "INSERT INTO referentiel_versions (code, label, definition, based_on_id, bureau_validated_on, in_force_from, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(&referentiel.code)
    .bind(&referentiel.label)
    .bind(serde_json::to_string(referentiel).unwrap_or_default())
    .bind(based_on.map(|b| b.id))
    .bind(validated_on.map(|d| d.to_string()))
    .bind(in_force_from.map(|d| d.to_string()))
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| BackendError::on_unique(e, "code", "Une version porte déjà ce code."))?;
    let id: i64 = row.try_get("id")?;
    audit::record(
        conn,
        author,
        Entry {
            action: "referentiel.creation",
            entity_type: "referentiel",
            entity_id: Some(id),
            organisation_id: None,
            summary: match based_on {
                Some(base) => format!("Nouvelle version {} du référentiel, à partir de {}", referentiel.code, base.code),
                None => format!("Installation du {} ({}, {})", referentiel.title, referentiel.label, referentiel.code),
            },
            changes: json!({ "code": referentiel.code, "libelle": referentiel.label, "base": based_on.map(|b| &b.code) }),
        },
    )
    .await?;
    Ok(id)
}

pub async fn list(db: &Db) -> BackendResult<Vec<Version>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY id"))
        .fetch_all(&db.pool)
        .await?;
    rows.iter().map(|r| from_row(r).map(|(v, _)| v)).collect()
}

async fn fetch(conn: &mut AnyConnection, id: i64) -> BackendResult<(Version, Referentiel)> {
    let row = sqlx::query(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("referentiel version {id}")))?;
    from_row(&row)
}

pub async fn get(db: &Db, id: i64) -> BackendResult<(Version, Referentiel)> {
    fetch(&mut *db.pool.acquire().await?, id).await
}

/// The version a SIAE is assessed against: the one it was moved to, or else the one in force at
/// its entry into the approach (the oldest in force if it entered before any).
pub async fn for_siae(db: &Db, siae: &Organisation) -> BackendResult<(Version, Referentiel)> {
    get(db, version_id_for(db, siae).await?).await
}

/// The id of the version a SIAE is assessed against (see [`for_siae`]), without loading it.
pub async fn version_id_for(db: &Db, siae: &Organisation) -> BackendResult<i64> {
    let moved = sqlx::query("SELECT version_id FROM siae_referentiel WHERE siae_id = $1")
        .bind(siae.id)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(row) = moved {
        return Ok(row.try_get("version_id")?);
    }
    let entry = siae.entry_date.map(|d| d.to_string()).unwrap_or_default();
    let row = sqlx::query(
        "SELECT id FROM referentiel_versions WHERE in_force_from IS NOT NULL \
         ORDER BY CASE WHEN in_force_from <= $1 THEN 0 ELSE 1 END, \
         CASE WHEN in_force_from <= $1 THEN in_force_from END DESC, in_force_from ASC LIMIT 1",
    )
    .bind(entry)
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(|| BackendError::Internal("no référentiel version in force".into()))?;
    Ok(row.try_get("id")?)
}

/// What changed for a SIAE moved from another version to `current`; `None` if it was never moved.
pub async fn changes_since_move(
    db: &Db,
    siae: &Organisation,
    current: &Referentiel,
) -> BackendResult<Option<VersionChanges>> {
    let previous = sqlx::query("SELECT previous_version FROM siae_referentiel WHERE siae_id = $1")
        .bind(siae.id)
        .fetch_optional(&db.pool)
        .await?
        .map(|row| row.try_get::<Option<i64>, _>("previous_version"))
        .transpose()?
        .flatten();
    match previous {
        Some(id) => Ok(Some(VersionChanges::between(
            &get(db, id).await?.1,
            current,
        ))),
        None => Ok(None),
    }
}

fn require_manage(by: &Identity) -> BackendResult<()> {
    by.require(Action::ManageReferentiel, Target::Global)
}

async fn save_definition(
    db: &Db,
    by: &Identity,
    version_id: i64,
    summary: String,
    change: impl FnOnce(&mut Referentiel) -> BackendResult<serde_json::Value>,
) -> BackendResult<()> {
    require_manage(by)?;
    let mut tx = db.begin().await?;
    let (version, mut referentiel) = fetch(&mut tx, version_id).await?;
    if !version.is_draft() {
        return Err(BackendError::invalid(
            "Cette version est en vigueur : elle ne se modifie plus. Créez une nouvelle version à partir d'elle.",
        ));
    }
    let changes = change(&mut referentiel)?;
    referentiel.validate().map_err(BackendError::invalid)?;
    sqlx::query("UPDATE referentiel_versions SET definition = $1, updated_at = $2 WHERE id = $3")
        .bind(serde_json::to_string(&referentiel).unwrap_or_default())
        .bind(now())
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "referentiel.modification",
            entity_type: "referentiel",
            entity_id: Some(version_id),
            organisation_id: None,
            summary: format!("{summary} — version {}", version.code),
            changes,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
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
    if code.is_empty() || label.is_empty() {
        return Err(BackendError::invalid(
            "Le code et le libellé de la version sont obligatoires.",
        ));
    }
    let mut tx = db.begin().await?;
    let (base, mut referentiel) = fetch(&mut tx, base_id).await?;
    referentiel.code = code.to_string();
    referentiel.label = label.to_string();
    let id = insert_version(&mut tx, &by.into(), &referentiel, Some(&base), None, None).await?;
    tx.commit().await?;
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
    save_definition(db, by, version_id, format!("Modification de l'exigence {key}"), move |referentiel| {
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
        let before = json!({ "texte": requirement.text, "points": requirement.points });
        requirement.text = text;
        requirement.points = points;
        Ok(json!({ "exigence": key, "avant": before, "après": { "texte": requirement.text, "points": requirement.points } }))
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
    save_definition(db, by, version_id, format!("Ajout d'une exigence à la section {section_code}"), move |referentiel| {
        let section = referentiel
            .sections
            .iter_mut()
            .find(|s| s.code == section_code)
            .ok_or_else(|| BackendError::invalid("Cette section n'existe pas dans la version."))?;
        let value = json!({ "section": section.code, "code": requirement.code, "texte": requirement.text });
        section.requirements.push(requirement);
        Ok(value)
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
    save_definition(
        db,
        by,
        version_id,
        format!("Retrait de l'exigence {key}"),
        move |referentiel| {
            for section in &mut referentiel.sections {
                let code = section.code.clone();
                if let Some(index) = section
                    .requirements
                    .iter()
                    .position(|r| requirement_key(&code, &r.code) == key)
                {
                    let removed = section.requirements.remove(index);
                    return Ok(json!({ "exigence": key, "texte": removed.text }));
                }
            }
            Err(BackendError::NotFound(format!("requirement {key}")))
        },
    )
    .await
}

fn requirement_key(section: &str, code: &str) -> String {
    if code.is_empty() {
        section.to_string()
    } else {
        format!("{section} {code}")
    }
}

/// Records the bureau's validation, then (separately) the date from which the version is in force.
pub async fn record_dates(
    db: &Db,
    by: &Identity,
    version_id: i64,
    validated_on: Option<NaiveDate>,
    in_force_from: Option<NaiveDate>,
) -> BackendResult<()> {
    require_manage(by)?;
    let mut tx = db.begin().await?;
    let (version, _) = fetch(&mut tx, version_id).await?;
    if !version.is_draft() {
        return Err(BackendError::invalid("Cette version est déjà en vigueur."));
    }
    let validated_on = validated_on.or(version.bureau_validated_on);
    if in_force_from.is_some() && validated_on.is_none() {
        return Err(BackendError::invalid(
            "Une version n'entre en vigueur qu'après sa validation par le bureau de la fédération.",
        ));
    }
    if let (Some(v), Some(f)) = (validated_on, in_force_from) {
        if f < v {
            return Err(BackendError::invalid(
                "La date d'entrée en vigueur ne peut précéder la validation par le bureau.",
            ));
        }
    }
    sqlx::query("UPDATE referentiel_versions SET bureau_validated_on = $1, in_force_from = $2, updated_at = $3 WHERE id = $4")
        .bind(validated_on.map(|d| d.to_string()))
        .bind(in_force_from.map(|d| d.to_string()))
        .bind(now())
        .bind(version_id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "referentiel.dates",
            entity_type: "referentiel",
            entity_id: Some(version_id),
            organisation_id: None,
            summary: match in_force_from {
                Some(f) => format!(
                    "Version {} en vigueur à partir du {}",
                    version.code,
                    domain::time::display_date(f)
                ),
                None => format!("Version {} validée par le bureau", version.code),
            },
            changes: json!({ "validation_bureau": validated_on, "en_vigueur": in_force_from }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a SIAE to another version in force (for a renewal); its assessments carry over by requirement.
pub async fn move_siae(db: &Db, by: &Identity, siae_id: i64, version_id: i64) -> BackendResult<()> {
    require_manage(by)?;
    let siae = &crate::organisations::get(db, by, siae_id).await?;
    let (current, _) = for_siae(db, siae).await?;
    let (target, _) = get(db, version_id).await?;
    if target.is_draft() {
        return Err(BackendError::invalid(
            "Une SIAE ne peut être évaluée que sur une version en vigueur.",
        ));
    }
    if target.id == current.id {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM siae_referentiel WHERE siae_id = $1")
        .bind(siae.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO siae_referentiel (siae_id, version_id, previous_version, assigned_at) VALUES ($1, $2, $3, $4)")
        .bind(siae.id)
        .bind(target.id)
        .bind(current.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "referentiel.affectation",
            entity_type: "organisation",
            entity_id: Some(siae.id),
            organisation_id: Some(siae.id),
            summary: format!(
                "« {} » est évaluée sur la version {} (au lieu de {})",
                siae.name, target.code, current.code
            ),
            changes: json!({ "avant": current.code, "après": target.code }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
