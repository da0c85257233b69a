//! Queries of `referentiel_versions` (each version stored whole as JSON, with its lifecycle
//! state and dates) and `siae_referentiel` (a SIAE moved to another version).

use super::stored::{self, Columns, FromStored};
use crate::error::{BackendError, BackendResult};
use chrono::NaiveDate;
use domain::referentiel::{Referentiel, Version};
use sqlx::{AnyConnection, AnyPool, Row};

const SELECT: &str =
    "SELECT id, code, label, based_on_id, state, bureau_validated_on, in_force_from, definition \
     FROM referentiel_versions";

/// A version with its whole text.
pub struct StoredVersion(pub Version, pub Referentiel);

impl FromStored for Version {
    const TABLE: &'static str = "referentiel_versions";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self {
            id: c.get("id")?,
            code: c.get("code")?,
            label: c.get("label")?,
            based_on_id: c.get("based_on_id")?,
            state: c.code("state")?,
            bureau_validated_on: c.optional_date("bureau_validated_on")?,
            in_force_from: c.optional_date("in_force_from")?,
        })
    }
}

impl FromStored for StoredVersion {
    const TABLE: &'static str = "referentiel_versions";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        Ok(Self(Version::from_stored(c)?, c.json("definition")?))
    }
}

pub async fn count(pool: &AnyPool) -> BackendResult<i64> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM referentiel_versions")
        .fetch_one(pool)
        .await?;
    Columns::new(&row, "referentiel_versions").get("n")
}

pub async fn all(pool: &AnyPool) -> BackendResult<Vec<Version>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY id"))
        .fetch_all(pool)
        .await?;
    Version::from_rows(&rows)
}

pub async fn find(conn: &mut AnyConnection, id: i64) -> BackendResult<StoredVersion> {
    stored::find_by_id(conn, SELECT, "id", id).await
}

fn definition(referentiel: &Referentiel) -> BackendResult<String> {
    serde_json::to_string(referentiel)
        .map_err(|e| BackendError::Internal(format!("référentiel to JSON: {e}")))
}

pub async fn insert(
    conn: &mut AnyConnection,
    referentiel: &Referentiel,
    based_on: Option<i64>,
    version: &Version,
) -> BackendResult<i64> {
    let now = stored::now();
    let row = sqlx::query(
        "INSERT INTO referentiel_versions (code, label, definition, based_on_id, state, bureau_validated_on, \
         in_force_from, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(&referentiel.code)
    .bind(&referentiel.label)
    .bind(definition(referentiel)?)
    .bind(based_on)
    .bind(version.state.code())
    .bind(stored::optional_date(version.bureau_validated_on))
    .bind(stored::optional_date(version.in_force_from))
    .bind(&now)
    .fetch_one(conn)
    .await
    .map_err(|e| BackendError::on_unique(e, "code", "Une version porte déjà ce code."))?;
    Ok(row.try_get("id")?)
}

pub async fn update_definition(
    conn: &mut AnyConnection,
    id: i64,
    referentiel: &Referentiel,
) -> BackendResult<()> {
    sqlx::query("UPDATE referentiel_versions SET definition = $1, updated_at = $2 WHERE id = $3")
        .bind(definition(referentiel)?)
        .bind(stored::now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores the lifecycle of a version after a transition.
pub async fn update_state(conn: &mut AnyConnection, version: &Version) -> BackendResult<()> {
    sqlx::query(
        "UPDATE referentiel_versions SET state = $1, bureau_validated_on = $2, in_force_from = $3, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(version.state.code())
    .bind(stored::optional_date(version.bureau_validated_on))
    .bind(stored::optional_date(version.in_force_from))
    .bind(stored::now())
    .bind(version.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The versions in force, but `except`.
pub async fn in_force(conn: &mut AnyConnection, except: i64) -> BackendResult<Vec<Version>> {
    let rows = sqlx::query(&format!("{SELECT} WHERE state = 'en_vigueur' AND id <> $1"))
        .bind(except)
        .fetch_all(conn)
        .await?;
    Version::from_rows(&rows)
}

/// The version a SIAE was moved to, and the one it was moved from.
pub async fn assignment(
    conn: &mut AnyConnection,
    siae_id: i64,
) -> BackendResult<Option<(i64, Option<i64>)>> {
    sqlx::query("SELECT version_id, previous_version FROM siae_referentiel WHERE siae_id = $1")
        .bind(siae_id)
        .fetch_optional(conn)
        .await?
        .map(|row| {
            let c = Columns::new(&row, "siae_referentiel");
            Ok((c.get("version_id")?, c.get("previous_version")?))
        })
        .transpose()
}

/// The version in force at `entry` (the latest that started on or before it), or else the
/// oldest version that has been in force.
pub async fn in_force_at(conn: &mut AnyConnection, entry: Option<NaiveDate>) -> BackendResult<i64> {
    let entry = stored::optional_date(entry).unwrap_or_default();
    let row = sqlx::query(
        "SELECT id FROM referentiel_versions WHERE state IN ('en_vigueur', 'remplacee') \
         ORDER BY CASE WHEN in_force_from <= $1 THEN 0 ELSE 1 END, \
         CASE WHEN in_force_from <= $1 THEN in_force_from END DESC, in_force_from ASC LIMIT 1",
    )
    .bind(entry)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| BackendError::Internal("no référentiel version in force".into()))?;
    Columns::new(&row, "referentiel_versions").get("id")
}

pub async fn assign(
    conn: &mut AnyConnection,
    siae_id: i64,
    version_id: i64,
    previous: i64,
) -> BackendResult<()> {
    sqlx::query("DELETE FROM siae_referentiel WHERE siae_id = $1")
        .bind(siae_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO siae_referentiel (siae_id, version_id, previous_version, assigned_at) VALUES ($1, $2, $3, $4)")
        .bind(siae_id)
        .bind(version_id)
        .bind(previous)
        .bind(stored::now())
        .execute(conn)
        .await?;
    Ok(())
}
