//! Use cases on organisations: the directory each role may see, creation, edition, deactivation.

use crate::audit::{self, Author, Diff, Entry};
use crate::db::{flag, now, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::{parse_code, Identity};
use domain::account::Member;
use domain::organisation::{
    Fte, Organisation, OrganisationDraft, OrganisationId, OrganisationKind, ValidOrganisation,
};
use domain::policy::{Action, Target};
use domain::siret::Siret;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const SELECT: &str =
    "SELECT o.id, o.kind, o.name, o.siret, o.siae_type, o.region_id, r.name AS region_name, \
     o.entry_date, o.funded_fte_hundredths, o.city, o.active \
     FROM organisations o LEFT JOIN organisations r ON r.id = o.region_id";

fn from_row(r: &AnyRow) -> BackendResult<Organisation> {
    Ok(Organisation {
        id: r.try_get("id")?,
        kind: parse_code(r.try_get("kind")?)?,
        name: r.try_get("name")?,
        siret: r
            .try_get::<Option<String>, _>("siret")?
            .and_then(|s| Siret::parse(&s).ok()),
        siae_type: r
            .try_get::<Option<String>, _>("siae_type")?
            .map(parse_code)
            .transpose()?,
        region_id: r.try_get("region_id")?,
        region_name: r.try_get("region_name")?,
        entry_date: r
            .try_get::<Option<String>, _>("entry_date")?
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        funded_fte: r
            .try_get::<Option<i64>, _>("funded_fte_hundredths")?
            .map(Fte),
        city: r.try_get("city")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

async fn fetch(conn: &mut AnyConnection, id: OrganisationId) -> BackendResult<Organisation> {
    let row = sqlx::query(&format!("{SELECT} WHERE o.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("organisation {id}")))?;
    from_row(&row)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryFilter {
    pub kind: Option<OrganisationKind>,
    pub region_id: Option<OrganisationId>,
    pub search: Option<String>,
}

/// The organisations the caller may see, by kind and name. The policy decides row by row,
/// so the directory can never show what the organisation page would refuse.
pub async fn directory(
    db: &Db,
    by: &Identity,
    filter: &DirectoryFilter,
) -> BackendResult<Vec<Organisation>> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY o.kind, o.name"))
        .fetch_all(&db.pool)
        .await?;
    let search = filter
        .search
        .as_deref()
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    let mut visible = Vec::new();
    for row in &rows {
        let org = from_row(row)?;
        let wanted = filter.kind.is_none_or(|k| k == org.kind)
            && filter
                .region_id
                .is_none_or(|r| org.org_ref().region_id == Some(r))
            && search.as_deref().is_none_or(|s| {
                org.name.to_lowercase().contains(s)
                    || org.siret.as_ref().is_some_and(|x| x.as_str().contains(s))
            });
        if wanted && by.may_on(Action::ViewOrganisation, org.org_ref()) {
            visible.push(org);
        }
    }
    Ok(visible)
}

/// An organisation the caller may not see answers `NotFound`: its existence is private too.
pub async fn get(db: &Db, by: &Identity, id: OrganisationId) -> BackendResult<Organisation> {
    let mut conn = db.pool.acquire().await?;
    let org = fetch(&mut conn, id).await?;
    if !by.may_on(Action::ViewOrganisation, org.org_ref()) {
        tracing::warn!(
            account = by.account_id,
            organisation = id,
            "organisation hidden from caller"
        );
        return Err(BackendError::NotFound(format!(
            "organisation {id} (hidden)"
        )));
    }
    Ok(org)
}

pub async fn members(db: &Db, by: &Identity, org: &Organisation) -> BackendResult<Vec<Member>> {
    by.require(Action::ViewMembers, Target::Organisation(org.org_ref()))?;
    let rows = sqlx::query(
        "SELECT m.id, a.id AS account_id, a.display_name, a.email, m.role, a.active \
         FROM memberships m JOIN accounts a ON a.id = m.account_id \
         WHERE m.organisation_id = $1 ORDER BY a.display_name, m.role",
    )
    .bind(org.id)
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Member {
                membership_id: r.try_get("id")?,
                account_id: r.try_get("account_id")?,
                display_name: r.try_get("display_name")?,
                email: r.try_get("email")?,
                role: parse_code(r.try_get("role")?)?,
                active: r.try_get::<i64, _>("active")? != 0,
            })
        })
        .collect()
}

/// The regions, for the choice of a SIAE's region in forms.
pub async fn regions(db: &Db) -> BackendResult<Vec<(OrganisationId, String)>> {
    let rows = sqlx::query(
        "SELECT id, name FROM organisations WHERE kind = 'region' AND active = 1 ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
        .collect()
}

fn validate(draft: &OrganisationDraft) -> BackendResult<ValidOrganisation> {
    draft
        .validate()
        .map_err(BackendError::Invalid)
}

async fn check_region(conn: &mut AnyConnection, valid: &ValidOrganisation) -> BackendResult<()> {
    if let Some(region_id) = valid.region_id {
        let is_region =
            sqlx::query("SELECT 1 AS x FROM organisations WHERE id = $1 AND kind = 'region'")
                .bind(region_id)
                .fetch_optional(&mut *conn)
                .await?
                .is_some();
        if !is_region {
            return Err(BackendError::invalid(
                "L'association régionale choisie n'existe pas.",
            ));
        }
    }
    Ok(())
}

const SIRET_TAKEN: &str = "Une organisation porte déjà ce SIRET.";

pub async fn create(
    db: &Db,
    by: &Identity,
    draft: &OrganisationDraft,
) -> BackendResult<OrganisationId> {
    by.require(Action::CreateOrganisation, Target::Global)?;
    let valid = validate(draft)?;
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, &by.into(), &valid).await?;
    tx.commit().await?;
    Ok(id)
}

/// Inserts and audits an organisation, in the caller's transaction; shared by the form and the
/// command line (`cedre admin`, `cedre demo`).
pub async fn insert(
    conn: &mut AnyConnection,
    author: &Author,
    valid: &ValidOrganisation,
) -> BackendResult<OrganisationId> {
    check_region(conn, valid).await?;
    let now = now();
    let row = sqlx::query(
        "INSERT INTO organisations (kind, name, siret, siae_type, region_id, entry_date, funded_fte_hundredths, \
         city, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id",
    )
    .bind(valid.kind.code())
    .bind(&valid.name)
    .bind(valid.siret.as_ref().map(|s| s.as_str().to_string()))
    .bind(valid.siae_type.map(|t| t.code()))
    .bind(valid.region_id)
    .bind(valid.entry_date.map(|d| d.to_string()))
    .bind(valid.funded_fte.map(|f| f.0))
    .bind(valid.city.clone())
    .bind(&now)
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match valid.kind {
        OrganisationKind::Federation => BackendError::on_unique(e, "name", "La fédération existe déjà."),
        _ => BackendError::on_unique(e, "siret", SIRET_TAKEN),
    })?;
    let id = row.try_get("id")?;
    audit::record(
        conn,
        author,
        Entry {
            action: "organisation.creation",
            entity_type: "organisation",
            entity_id: Some(id),
            organisation_id: Some(id),
            summary: format!(
                "Création de l'organisation « {} » ({})",
                valid.name,
                valid.kind.label()
            ),
            changes: serde_json::to_value(valid).unwrap_or_default(),
        },
    )
    .await?;
    Ok(id)
}

pub async fn update(
    db: &Db,
    by: &Identity,
    id: OrganisationId,
    draft: &OrganisationDraft,
) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let before = fetch(&mut tx, id).await?;
    by.require(
        Action::EditOrganisation,
        Target::Organisation(before.org_ref()),
    )?;
    // The kind is fixed at creation: roles and rights hang on it.
    let draft = OrganisationDraft {
        kind: before.kind.code().to_string(),
        ..draft.clone()
    };
    let valid = validate(&draft)?;
    check_region(&mut tx, &valid).await?;
    let diff = Diff::default()
        .field("nom", &before.name, &valid.name)
        .field("siret", &before.siret, &valid.siret)
        .field("type_siae", &before.siae_type, &valid.siae_type)
        .field("region", &before.region_id, &valid.region_id)
        .field("date_entree", &before.entry_date, &valid.entry_date)
        .field(
            "etp_finances",
            &before.funded_fte.map(|f| f.to_string()),
            &valid.funded_fte.map(|f| f.to_string()),
        )
        .field("ville", &before.city, &valid.city);
    if diff.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE organisations SET name = $1, siret = $2, siae_type = $3, region_id = $4, entry_date = $5, \
         funded_fte_hundredths = $6, city = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(&valid.name)
    .bind(valid.siret.as_ref().map(|s| s.as_str().to_string()))
    .bind(valid.siae_type.map(|t| t.code()))
    .bind(valid.region_id)
    .bind(valid.entry_date.map(|d| d.to_string()))
    .bind(valid.funded_fte.map(|f| f.0))
    .bind(valid.city.clone())
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await
    .map_err(|e| BackendError::on_unique(e, "siret", SIRET_TAKEN))?;
    audit::record(
        &mut tx,
        &by.into(),
        Entry {
            action: "organisation.modification",
            entity_type: "organisation",
            entity_id: Some(id),
            organisation_id: Some(id),
            summary: format!("Modification de l'organisation « {} »", valid.name),
            changes: diff.into_value(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_active(
    db: &Db,
    by: &Identity,
    id: OrganisationId,
    active: bool,
) -> BackendResult<()> {
    let mut tx = db.begin().await?;
    let before = fetch(&mut tx, id).await?;
    by.require(
        Action::EditOrganisation,
        Target::Organisation(before.org_ref()),
    )?;
    if before.kind == OrganisationKind::Federation && !active {
        return Err(BackendError::invalid(
            "La fédération ne peut pas être désactivée.",
        ));
    }
    if before.active == active {
        return Ok(());
    }
    sqlx::query("UPDATE organisations SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(flag(active))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let author: Author = by.into();
    audit::record(
        &mut tx,
        &author,
        Entry {
            action: if active {
                "organisation.reactivation"
            } else {
                "organisation.desactivation"
            },
            entity_type: "organisation",
            entity_id: Some(id),
            organisation_id: Some(id),
            summary: format!(
                "{} de l'organisation « {} »",
                if active {
                    "Réactivation"
                } else {
                    "Désactivation"
                },
                before.name
            ),
            changes: Diff::default()
                .field("active", &before.active, &active)
                .into_value(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
