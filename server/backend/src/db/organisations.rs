//! Queries of the `organisations` table (federation, regions, SIAE, audit firms).

use super::stored::{self, Columns, FromStored};
use crate::error::{BackendError, BackendResult};
use domain::organisation::{
    Fte, Organisation, OrganisationId, OrganisationKind, ValidOrganisation,
};
use domain::siret::Siret;
use sqlx::{AnyConnection, AnyPool, Row};

const SELECT: &str =
    "SELECT o.id, o.kind, o.name, o.siret, o.siae_type, o.region_id, r.name AS region_name, \
     o.ensemblier_id, e.name AS ensemblier_name, \
     o.entry_date, o.funded_fte_hundredths, o.city, o.active \
     FROM organisations o LEFT JOIN organisations r ON r.id = o.region_id \
     LEFT JOIN organisations e ON e.id = o.ensemblier_id";

impl FromStored for Organisation {
    const TABLE: &'static str = "organisations";

    fn from_stored(c: &Columns<'_>) -> BackendResult<Self> {
        let siret = match c.get::<Option<String>>("siret")? {
            None => None,
            Some(text) => Some(Siret::parse(&text).map_err(|e| BackendError::Decode {
                table: Self::TABLE,
                column: "siret".into(),
                detail: format!("{text:?}: {e}"),
            })?),
        };
        Ok(Self {
            id: c.get("id")?,
            kind: c.code("kind")?,
            name: c.get("name")?,
            siret,
            siae_type: c.optional_code("siae_type")?,
            region_id: c.get("region_id")?,
            region_name: c.get("region_name")?,
            ensemblier_id: c.get("ensemblier_id")?,
            ensemblier_name: c.get("ensemblier_name")?,
            entry_date: c.optional_date("entry_date")?,
            funded_fte: c.get::<Option<i64>>("funded_fte_hundredths")?.map(Fte),
            city: c.get("city")?,
            active: c.flag("active")?,
        })
    }
}

pub async fn find(conn: &mut AnyConnection, id: OrganisationId) -> BackendResult<Organisation> {
    stored::find_by_id(conn, SELECT, "o.id", id).await
}

pub async fn all(pool: &AnyPool) -> BackendResult<Vec<Organisation>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY o.kind, o.name"))
        .fetch_all(pool)
        .await?;
    Organisation::from_rows(&rows)
}

const REGIONS: &str = "kind = 'region'";
const ENSEMBLIERS: &str = "kind = 'siae' AND siae_type = 'ensemblier'";

/// The active organisations that `filter` keeps, by name: the choices of a form.
async fn choices(pool: &AnyPool, filter: &str) -> BackendResult<Vec<(OrganisationId, String)>> {
    let rows = sqlx::query(&format!(
        "SELECT id, name FROM organisations WHERE {filter} AND active = 1 ORDER BY name"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let c = Columns::new(r, "organisations");
            Ok((c.get("id")?, c.get("name")?))
        })
        .collect()
}

/// Whether the organisation `id` is one that `filter` keeps.
async fn is(conn: &mut AnyConnection, id: OrganisationId, filter: &str) -> BackendResult<bool> {
    Ok(sqlx::query(&format!(
        "SELECT 1 AS x FROM organisations WHERE id = $1 AND {filter}"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .is_some())
}

/// The active regions, by name.
pub async fn regions(pool: &AnyPool) -> BackendResult<Vec<(OrganisationId, String)>> {
    choices(pool, REGIONS).await
}

/// The active ensembliers (SIAE of that type), by name.
pub async fn ensembliers(pool: &AnyPool) -> BackendResult<Vec<(OrganisationId, String)>> {
    choices(pool, ENSEMBLIERS).await
}

pub async fn is_region(conn: &mut AnyConnection, id: OrganisationId) -> BackendResult<bool> {
    is(conn, id, REGIONS).await
}

pub async fn is_ensemblier(conn: &mut AnyConnection, id: OrganisationId) -> BackendResult<bool> {
    is(conn, id, ENSEMBLIERS).await
}

pub async fn federation_id(conn: &mut AnyConnection) -> BackendResult<Option<OrganisationId>> {
    sqlx::query("SELECT id FROM organisations WHERE kind = 'federation'")
        .fetch_optional(conn)
        .await?
        .map(|r| Ok(r.try_get("id")?))
        .transpose()
}

const SIRET_TAKEN: &str = "Une organisation porte déjà ce SIRET.";

pub async fn insert(
    conn: &mut AnyConnection,
    valid: &ValidOrganisation,
) -> BackendResult<OrganisationId> {
    let now = stored::now();
    let row = sqlx::query(
        "INSERT INTO organisations (kind, name, siret, siae_type, region_id, entry_date, funded_fte_hundredths, \
         city, active, created_at, updated_at, ensemblier_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $10) RETURNING id",
    )
    .bind(valid.kind.code())
    .bind(&valid.name)
    .bind(valid.siret.as_ref().map(|s| s.as_str().to_string()))
    .bind(valid.siae_type.map(|t| t.code()))
    .bind(valid.region_id)
    .bind(stored::optional_date(valid.entry_date))
    .bind(valid.funded_fte.map(|f| f.0))
    .bind(valid.city.clone())
    .bind(&now)
    .bind(valid.ensemblier_id)
    .fetch_one(conn)
    .await
    .map_err(|e| match valid.kind {
        OrganisationKind::Federation => BackendError::on_unique(e, "name", "La fédération existe déjà."),
        _ => BackendError::on_unique(e, "siret", SIRET_TAKEN),
    })?;
    Ok(row.try_get("id")?)
}

pub async fn update(
    conn: &mut AnyConnection,
    id: OrganisationId,
    valid: &ValidOrganisation,
) -> BackendResult<()> {
    sqlx::query(
        "UPDATE organisations SET name = $1, siret = $2, siae_type = $3, region_id = $4, entry_date = $5, \
         funded_fte_hundredths = $6, city = $7, updated_at = $8, ensemblier_id = $10 WHERE id = $9",
    )
    .bind(&valid.name)
    .bind(valid.siret.as_ref().map(|s| s.as_str().to_string()))
    .bind(valid.siae_type.map(|t| t.code()))
    .bind(valid.region_id)
    .bind(stored::optional_date(valid.entry_date))
    .bind(valid.funded_fte.map(|f| f.0))
    .bind(valid.city.clone())
    .bind(stored::now())
    .bind(id)
    .bind(valid.ensemblier_id)
    .execute(conn)
    .await
    .map_err(|e| BackendError::on_unique(e, "siret", SIRET_TAKEN))?;
    Ok(())
}

pub async fn set_active(
    conn: &mut AnyConnection,
    id: OrganisationId,
    active: bool,
) -> BackendResult<()> {
    stored::set_active(conn, "organisations", id, active).await
}
