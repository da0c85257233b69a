//! The parcours' documents, rendered with typst in the child process (they are made of the
//! staff's text): the convention d'engagement réciproque with its bilan (fiche outil n°19), to
//! print, sign and hand over, and the fiche individuelle de suivi (exemple n°4). Each download
//! is a reading of the person's file, recorded as the page's are.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::pdf::{RenderJob, Renderer, Template};
use crate::services::parcours::{in_reach, phase};
use domain::parcours::record::{duration_text, Achievement};
use domain::parcours::view::EngagementView;
use domain::time::display_date;
use serde_json::{json, Value};

async fn render(renderer: &Renderer, template: Template, data: Value) -> BackendResult<Vec<u8>> {
    let job = RenderJob {
        template,
        date: domain::time::today(),
        data,
        images: Vec::new(),
    };
    let renderer = renderer.clone();
    tokio::task::spawn_blocking(move || renderer.render(job))
        .await
        .map_err(|e| BackendError::Internal(format!("parcours document rendering: {e}")))?
}

fn choices<T: PartialEq>(options: &[(T, &str)], chosen: Option<T>) -> Value {
    options
        .iter()
        .map(|(value, label)| json!({ "libelle": label, "coche": chosen.as_ref() == Some(value) }))
        .collect()
}

fn convention_data(siae: &str, person: &str, e: &EngagementView) -> Value {
    let achieved: Vec<(Achievement, &str)> =
        Achievement::ALL.iter().map(|a| (*a, a.label())).collect();
    json!({
        "structure": siae,
        "personne": person,
        "numero": e.id,
        "accompagnateur": e.accompagnateur_name.clone().unwrap_or_else(|| "son accompagnateur".into()),
        "engagement": {
            "libelle": e.kind.label(),
            "code": e.kind.reference(),
            "date": display_date(e.signed_on),
            "besoins": e.needs,
            "objet": e.object,
            "moyens_structure": e.means_structure,
            "moyens_personne": e.means_person,
            "echeance": display_date(e.due_on),
        },
        "bilan": e.bilan.as_ref().map(|b| json!({
            "date": display_date(b.held_on),
            "commentaires": b.comments,
        })),
        "realisees": choices(&achieved, e.bilan.as_ref().map(|b| b.achieved)),
        "suites": choices(&[(true, "Oui"), (false, "Non")], e.bilan.as_ref().map(|b| b.follow_up)),
    })
}

/// The convention of one of the person's engagements, with its bilan.
pub async fn convention_pdf(
    db: &Db,
    renderer: &Renderer,
    by: &Identity,
    person_id: i64,
    engagement_id: i64,
) -> BackendResult<(String, Vec<u8>)> {
    let mut conn = db.pool.acquire().await?;
    let (siae, person) = in_reach(&mut conn, by, person_id).await?;
    let engagement = db::parcours::engagements_of(&mut conn, person_id)
        .await?
        .into_iter()
        .find(|e| e.id == engagement_id)
        .ok_or_else(|| {
            BackendError::NotFound(format!("engagement {engagement_id} of {person_id}"))
        })?;
    db::parcours::add_read(&mut conn, person_id, by.account_id, "convention (PDF)").await?;
    let data = convention_data(&siae.name, &person.details.full_name(), &engagement);
    let pdf = render(renderer, Template::Convention, data).await?;
    Ok((format!("convention-{engagement_id}.pdf"), pdf))
}

/// The person's fiche individuelle de suivi.
pub async fn follow_up_pdf(
    db: &Db,
    renderer: &Renderer,
    by: &Identity,
    person_id: i64,
) -> BackendResult<(String, Vec<u8>)> {
    let mut conn = db.pool.acquire().await?;
    let (siae, person) = in_reach(&mut conn, by, person_id).await?;
    let engagements = db::parcours::engagements_of(&mut conn, person_id).await?;
    let actions = db::parcours::actions_of(&mut conn, person_id).await?;
    db::parcours::add_read(&mut conn, person_id, by.account_id, "fiche de suivi (PDF)").await?;
    let d = &person.details;
    let date = |day: Option<chrono::NaiveDate>| day.map(display_date).unwrap_or_default();
    let data = json!({
        "structure": siae.name,
        "date": display_date(domain::time::today()),
        "personne": {
            "nom": d.last_name,
            "prenom": d.first_name,
            "pre_accueil": display_date(d.pre_accueil_on),
            "accueil": date(d.accueil_on),
            "inscription": date(d.inscription_on),
            "accompagnateur": person.accompagnateur_name.clone().unwrap_or_default(),
            "phase": phase(&person, &engagements).label(),
            "sortie": person.exit.map(|(on, kind)| format!("{} le {}", kind.label(), display_date(on))).unwrap_or_default(),
            "demande": d.request,
        },
        "engagements": engagements.iter().map(|e| json!({
            "libelle": e.kind.label(),
            "date": display_date(e.signed_on),
            "echeance": display_date(e.due_on),
            "objet": e.object,
            "bilan": e.bilan.as_ref().map(|b| format!("{} ({})", b.achieved.label(), display_date(b.held_on))).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "actions": actions.iter().map(|a| json!({
            "date": display_date(a.on),
            "action": match &a.placement {
                Some(p) => format!("{} — {} : {} ({}, {})", a.kind.label(), a.label, p.client, p.rome_code, duration_text(p.minutes)),
                None => format!("{} — {}", a.kind.label(), a.label),
            },
            "objectif": a.objective,
            "engagement": a.engagement_kind.map(|k| k.label()).unwrap_or_default(),
            "echeance": date(a.due_on),
            "decisions": a.decisions,
            "temps": if a.minutes > 0 { duration_text(a.minutes) } else { String::new() },
        })).collect::<Vec<_>>(),
    });
    let pdf = render(renderer, Template::FollowUp, data).await?;
    Ok((format!("fiche-de-suivi-{person_id}.pdf"), pdf))
}

/// Everything recorded of the person, for their right of access (GDPR art. 15): one key per
/// table that holds a row of theirs, named after the table (a test walks the schema and fails
/// when a table linked to a person is missing here).
pub async fn access_export(
    db: &Db,
    by: &Identity,
    person_id: i64,
) -> BackendResult<(String, Vec<u8>)> {
    let mut conn = db.pool.acquire().await?;
    let (siae, person) = in_reach(&mut conn, by, person_id).await?;
    db::parcours::add_read(
        &mut conn,
        person_id,
        by.account_id,
        "export (droit d'accès)",
    )
    .await?;
    let engagements = db::parcours::engagements_of(&mut conn, person_id).await?;
    let actions = db::parcours::actions_of(&mut conn, person_id).await?;
    let reads = db::parcours::reads_of(&mut conn, person_id).await?;
    let export = json!({
        "structure": siae.name,
        "exporte_le": domain::time::display_datetime(chrono::Utc::now()),
        "persons": {
            "numero": person.id,
            "fiche": person.details,
            "accompagnateur": person.accompagnateur_name,
            "phase": phase(&person, &engagements).label(),
            "sortie": person.exit.map(|(on, kind)| json!({ "date": on, "type": kind.label() })),
        },
        "engagements": engagements,
        "parcours_actions": actions,
        "person_reads": reads,
    });
    let bytes = serde_json::to_vec_pretty(&export)
        .map_err(|e| BackendError::Internal(format!("access export: {e}")))?;
    Ok((format!("donnees-personne-{person_id}.json"), bytes))
}
