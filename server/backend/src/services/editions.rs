//! Editions of a manuel qualité: the completeness check, issuing edition N (the section versions
//! in force, frozen, rendered to PDF with typst and stored with its SHA-256 and what it was made
//! from), and reading issued editions.
//!
//! The PDF is rendered before the edition is written, outside the write transaction (a render
//! takes a while and must not hold other writers back); the write then checks that the versions
//! in force are still those rendered, and refuses otherwise.

use crate::db::editions::NewEdition;
use crate::db::logos::Logo;
use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::pdf::{ImageFile, RenderJob, Renderer};
use crate::services::organisations::{siae_for, siae_for_change};
use crate::services::referentiels;
use chrono::NaiveDate;
use domain::audit::AuditEvent;
use domain::manual::chart_layout::layout;
use domain::manual::content::SectionContent;
use domain::manual::edition::{
    changes_since, completeness_gaps, CheckedSection, Edition, EditionsPage, FrozenSection,
};
use domain::manual::section::{Section, SectionKind};
use domain::manual::tables::TableRow;
use domain::manual::version::VersionState;
use domain::organisation::{Organisation, SiaeType};
use domain::policy::Action;
use serde_json::{json, Value};
use sqlx::AnyConnection;

/// The manual of a SIAE as an edition would take it: its sections, with their version in force.
struct Snapshot {
    sections: Vec<(Section, Option<FrozenSection>)>,
    requirements: Vec<String>,
}

async fn snapshot(conn: &mut AnyConnection, siae: &Organisation) -> BackendResult<Snapshot> {
    let mut sections = Vec::new();
    for section in db::manual::sections(conn, siae.id).await? {
        let in_force = db::manual::versions(conn, section.id)
            .await?
            .into_iter()
            .find(|v| v.status.state == VersionState::Approuvee)
            .map(|v| FrozenSection {
                section_id: section.id,
                kind: section.kind,
                title: section.title.clone(),
                version_id: v.id,
                number: v.status.number.unwrap_or_default(),
                approved_on: v.status.approved_on,
                body: v.body,
                answers: section.answers.clone(),
            });
        sections.push((section, in_force));
    }
    let (_, referentiel) = referentiels::for_siae_in(conn, siae).await?;
    let siae_type = siae.siae_type.unwrap_or(SiaeType::Ensemblier);
    let requirements = referentiel
        .sections
        .iter()
        .flat_map(|s| s.requirements.iter().map(move |r| (s, r)))
        .filter(|(_, r)| r.applicability_for(siae_type, siae.funded_fte).applies)
        .map(|(s, r)| r.key(s))
        .collect();
    Ok(Snapshot {
        sections,
        requirements,
    })
}

impl Snapshot {
    fn gaps(&self) -> Vec<String> {
        let contents: Vec<Option<SectionContent>> = self
            .sections
            .iter()
            .map(|(section, frozen)| {
                frozen
                    .as_ref()
                    .map(|f| SectionContent::read(section.kind, &f.body))
            })
            .collect();
        let checked: Vec<CheckedSection> = self
            .sections
            .iter()
            .zip(&contents)
            .map(|((section, _), content)| CheckedSection {
                kind: section.kind,
                title: &section.title,
                in_force: content.as_ref(),
                answers: &section.answers,
            })
            .collect();
        completeness_gaps(&checked, &self.requirements)
    }

    fn frozen(&self) -> Vec<FrozenSection> {
        self.sections
            .iter()
            .filter_map(|(_, f)| f.clone())
            .collect()
    }
}

/// The editions of a SIAE's manual, the latest first, with what a new one would lack for
/// those who issue them.
pub async fn page(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<EditionsPage> {
    let siae = siae_for(db, by, siae_id, Action::ViewIssuedManual).await?;
    let mut conn = db.pool.acquire().await?;
    let editions = db::editions::of_siae(&mut conn, siae_id).await?;
    let issues = by.may_on(Action::EditManual, siae.org_ref());
    let gaps = if issues {
        Some(snapshot(&mut conn, &siae).await?.gaps())
    } else {
        None
    };
    let recipients = db::editions::recipients(&mut conn, siae_id)
        .await?
        .into_iter()
        .filter(|r| issues || r.account_id == by.account_id)
        .collect();
    let has_logo = db::logos::current(&mut conn, siae_id).await?.is_some();
    let members = if issues {
        staff(db, siae_id).await?
    } else {
        Vec::new()
    };
    Ok(EditionsPage {
        siae_id,
        siae_name: siae.name,
        editions,
        gaps,
        recipients,
        members,
        account_id: by.account_id,
        has_logo,
    })
}

/// The active people of a SIAE, once each: those an edition can be given to.
async fn staff(db: &Db, siae_id: i64) -> BackendResult<Vec<(i64, String)>> {
    let mut people: Vec<(i64, String)> = db::accounts::members_of(&db.pool, siae_id)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| (m.account_id, m.display_name))
        .collect();
    people.dedup_by_key(|p| p.0);
    Ok(people)
}

/// Records that an edition was given to people of the SIAE (the manual's internal distribution);
/// each then acknowledges reading it. Someone who already has it is left as they are.
pub async fn give(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    edition_id: i64,
    account_ids: &[i64],
) -> BackendResult<()> {
    let people = staff(db, siae_id).await?;
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditManual).await?;
    let (edition, _, _) = db::editions::find(&mut work, siae_id, edition_id).await?;
    let already: Vec<i64> = db::editions::recipients(&mut work, siae_id)
        .await?
        .into_iter()
        .filter(|r| r.edition_id == edition_id)
        .map(|r| r.account_id)
        .collect();
    let mut given = Vec::new();
    for id in account_ids.iter().filter(|id| !already.contains(id)) {
        let Some((_, name)) = people.iter().find(|(p, _)| p == id) else {
            return Err(BackendError::invalid_field(
                "destinataires",
                "Une édition ne se remet qu'aux personnes de la structure.",
            ));
        };
        db::editions::add_recipient(&mut work, edition_id, *id, by.account_id).await?;
        given.push(name.clone());
    }
    if given.is_empty() {
        return Err(BackendError::invalid_field(
            "destinataires",
            "Choisissez au moins une personne qui n'a pas encore cette édition.",
        ));
    }
    work.commit(AuditEvent::ManualEditionGiven {
        siae_id,
        siae_name: siae.name,
        edition_id,
        number: edition.number,
        recipients: given,
    })
    .await
}

/// The caller acknowledges reading an edition given to them.
pub async fn acknowledge(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    edition_id: i64,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::ViewIssuedManual).await?;
    let (edition, _, _) = db::editions::find(&mut work, siae_id, edition_id).await?;
    if !db::editions::acknowledge(&mut work, edition_id, by.account_id).await? {
        return Err(BackendError::invalid(
            "Cette édition ne vous a pas été remise, ou vous en avez déjà accusé lecture.",
        ));
    }
    work.commit(AuditEvent::ManualEditionRead {
        siae_id,
        siae_name: siae.name,
        edition_id,
        number: edition.number,
        reader: by.display_name.clone(),
    })
    .await
}

/// An issued edition's PDF, with the name to download it under.
pub async fn pdf(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    id: i64,
) -> BackendResult<(String, Vec<u8>)> {
    let siae = siae_for(db, by, siae_id, Action::ViewIssuedManual).await?;
    let (edition, pdf, _) = db::editions::find(&mut *db.pool.acquire().await?, siae_id, id).await?;
    let name = format!(
        "Manuel qualité {} — édition {} du {}.pdf",
        siae.name, edition.number, edition.issued_on
    );
    Ok((domain::evidence::safe_file_name(&name), pdf))
}

/// What an edition was rendered from — its data and its cover's logo —, to render it again.
pub async fn content(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    id: i64,
) -> BackendResult<(Edition, RenderJob)> {
    siae_for(db, by, siae_id, Action::ViewIssuedManual).await?;
    let mut conn = db.pool.acquire().await?;
    let (edition, _, content) = db::editions::find(&mut conn, siae_id, id).await?;
    let data = serde_json::from_str(&content)
        .map_err(|e| BackendError::Internal(format!("edition {id} content: {e}")))?;
    let logo = db::logos::of_edition(&mut conn, id).await?;
    let job = RenderJob {
        template: crate::pdf::Template::Manual,
        date: edition.issued_on,
        data,
        images: logo.iter().map(logo_file).collect(),
    };
    Ok((edition, job))
}

/// The logo as the template finds it (`d.logo` names its path).
fn logo_file(logo: &Logo) -> ImageFile {
    ImageFile {
        path: format!("/logo.{}", logo.format.code()),
        bytes: logo.image.clone(),
    }
}

/// Issues the next edition from the versions in force. With gaps, `confirm_incomplete` must be
/// set: the gaps are then recorded with the edition. Returns its id and number.
pub async fn issue(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    confirm_incomplete: bool,
    renderer: &Renderer,
) -> BackendResult<(i64, i64)> {
    let siae = siae_for(db, by, siae_id, Action::EditManual).await?;
    let mut conn = db.pool.acquire().await?;
    let taken = snapshot(&mut conn, &siae).await?;
    let gaps = taken.gaps();
    if !gaps.is_empty() && !confirm_incomplete {
        return Err(BackendError::invalid_field(
            "confirmer",
            format!(
                "Le manuel est incomplet ({} manque{}, listés ci-dessus) : cochez la confirmation pour émettre l'édition quand même.",
                gaps.len(),
                if gaps.len() > 1 { "s" } else { "" }
            ),
        ));
    }
    let frozen = taken.frozen();
    if frozen.is_empty() {
        return Err(BackendError::invalid(
            "Aucune section n'a de version approuvée : il n'y a rien à éditer.",
        ));
    }
    let editions = db::editions::of_siae(&mut conn, siae_id).await?;
    let number = editions.first().map(|e| e.number).unwrap_or(0) + 1;
    let previous = match editions.first() {
        Some(e) => db::editions::sections(&mut conn, e.id).await?,
        None => Vec::new(),
    };
    let mut notes = std::collections::HashMap::new();
    for section in &frozen {
        let from = previous
            .iter()
            .find(|p| p.section_id == section.section_id)
            .map(|p| p.number)
            .unwrap_or(0);
        let found =
            db::editions::change_notes(&mut conn, section.section_id, from, section.number).await?;
        notes.insert(section.section_id, found);
    }
    let logo = db::logos::current(&mut conn, siae_id).await?;
    drop(conn);
    let changes = changes_since(&previous, &frozen, |section, _, _| {
        notes.get(&section).cloned().unwrap_or_default()
    });
    let issued_on = domain::time::today();
    let images: Vec<ImageFile> = logo.iter().map(logo_file).collect();
    let mut content = edition_data(
        &siae, number, issued_on, by, &editions, &frozen, &changes, &gaps,
    );
    content["logo"] = images.first().map(|i| i.path.clone()).into();
    let pdf = {
        let job = RenderJob {
            template: crate::pdf::Template::Manual,
            date: issued_on,
            data: content.clone(),
            images,
        };
        let renderer = renderer.clone();
        tokio::task::spawn_blocking(move || renderer.render(job))
            .await
            .map_err(|e| BackendError::Internal(format!("PDF task failed: {e}")))??
    };
    let pdf_sha256 = crate::digest::sha256_hex(&pdf);

    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditManual).await?;
    let now_in_force = snapshot(&mut work, &siae).await?.frozen();
    let same = |a: &[FrozenSection], b: &[FrozenSection]| {
        a.iter()
            .map(|s| s.version_id)
            .eq(b.iter().map(|s| s.version_id))
    };
    let latest = db::editions::of_siae(&mut work, siae_id).await?;
    let logo_now = db::logos::current(&mut work, siae_id).await?;
    if !same(&now_in_force, &frozen)
        || latest.first().map(|e| e.number).unwrap_or(0) + 1 != number
        || logo_now.map(|l| l.id) != logo.as_ref().map(|l| l.id)
    {
        return Err(BackendError::invalid(
            "Le manuel a changé pendant la préparation de l'édition : recommencez.",
        ));
    }
    let content_text = content.to_string();
    let template_sha256 = crate::pdf::template_sha256(crate::pdf::MANUAL_TEMPLATE);
    let id = db::editions::insert(
        &mut work,
        &NewEdition {
            siae_id,
            number,
            issued_on,
            issuer: (by.account_id, &by.display_name),
            gaps: &gaps,
            content: &content_text,
            template_sha256: &template_sha256,
            typst_version: crate::pdf::TYPST_VERSION,
            pdf: &pdf,
            pdf_sha256: &pdf_sha256,
            sections: &frozen,
            logo_id: logo.map(|l| l.id),
        },
    )
    .await?;
    work.commit(AuditEvent::ManualEdition {
        siae_id,
        siae_name: siae.name.clone(),
        edition_id: id,
        number,
        sha256: pdf_sha256,
        gaps,
    })
    .await?;
    Ok((id, number))
}

#[allow(clippy::too_many_arguments)]
fn edition_data(
    siae: &Organisation,
    number: i64,
    issued_on: NaiveDate,
    by: &Identity,
    earlier: &[Edition],
    frozen: &[FrozenSection],
    changes: &[domain::manual::edition::SectionChange],
    gaps: &[String],
) -> Value {
    let date = domain::time::display_date;
    let mut history: Vec<Value> = earlier
        .iter()
        .rev()
        .map(|e| json!({"numero": e.number, "date": date(e.issued_on), "emetteur": e.issuer_name}))
        .collect();
    history.push(json!({"numero": number, "date": date(issued_on), "emetteur": by.display_name}));
    let sections: Vec<Value> = frozen
        .iter()
        .map(|s| {
            section_data(
                &s.title,
                s.kind,
                s.number,
                s.approved_on,
                &s.answers,
                &s.body,
            )
        })
        .collect();
    let modifications: Vec<Value> = changes
        .iter()
        .map(|c| {
            let versions = match (c.from, c.to) {
                (Some(from), Some(to)) => format!("{from} → {to}"),
                (None, Some(to)) => format!("nouvelle (version {to})"),
                (Some(from), None) => format!("retirée (était en version {from})"),
                (None, None) => String::new(),
            };
            json!({"titre": c.title, "versions": versions, "notes": c.notes})
        })
        .collect();
    json!({
        "structure": {
            "nom": siae.name,
            "type": siae.siae_type.map(|t| t.label()).unwrap_or_default(),
            "region": siae.region_name.clone().unwrap_or_default(),
        },
        "edition": {"numero": number, "date": date(issued_on), "emetteur": by.display_name},
        "historique": history,
        "sections": sections,
        "modifications": modifications,
        "manques": gaps,
    })
}

/// A section given to the command line's preview: its title, its kind's code, and its body as a
/// version of that kind stores it (Markdown, or the JSON of a structured section).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct PreviewSection {
    pub titre: String,
    pub r#type: String,
    pub corps: String,
}

/// The data of an edition holding `sections`: the preview of the command line, through the very
/// conversion and template of the editions.
pub fn preview_data(sections: &[PreviewSection], today: NaiveDate) -> BackendResult<Value> {
    let date = domain::time::display_date(today);
    let sections = sections
        .iter()
        .map(|s| {
            let kind = SectionKind::from_code(&s.r#type).ok_or_else(|| {
                BackendError::invalid(format!("« {} » n'est pas un type de section.", s.r#type))
            })?;
            Ok(section_data(&s.titre, kind, 1, Some(today), &[], &s.corps))
        })
        .collect::<BackendResult<Vec<Value>>>()?;
    Ok(json!({
        "structure": {"nom": "Aperçu", "type": "", "region": ""},
        "edition": {"numero": 1, "date": date, "emetteur": "cedre manuel apercu"},
        "historique": [{"numero": 1, "date": date, "emetteur": "cedre manuel apercu"}],
        "sections": sections,
        "modifications": [],
        "manques": [],
        "logo": null,
    }))
}

/// One section as the template reads it.
fn section_data(
    title: &str,
    kind: SectionKind,
    number: i64,
    approved_on: Option<NaiveDate>,
    answers: &[String],
    body: &str,
) -> Value {
    json!({
        "titre": title,
        "type": kind.label(),
        "version": number,
        "approuvee_le": approved_on.map(domain::time::display_date).unwrap_or_default(),
        "exigences": answers.join(", "),
        "contenu": content_data(kind, body),
    })
}

/// What a section holds, as the template reads it: `forme` says which drawing of
/// `manual-templates/structures.typ` lays it out.
fn content_data(kind: SectionKind, body: &str) -> Value {
    fn table<R: TableRow>(rows: &[R]) -> Value {
        json!({
            "forme": "tableau",
            "colonnes": R::COLUMNS.iter().map(|c| c.label).collect::<Vec<_>>(),
            "lignes": rows.iter().map(|r| r.cells()).collect::<Vec<_>>(),
        })
    }
    match SectionContent::read(kind, body) {
        SectionContent::Text(text) => json!({
            "forme": "texte",
            "blocs": domain::manual::markdown::parse(&text),
        }),
        SectionContent::Organigramme(chart) => json!({
            "forme": "organigramme",
            "dessin": layout(&chart),
            "postes": chart.tree_order().into_iter().map(|(depth, n)| json!({
                "niveau": depth,
                "poste": n.post,
                "titulaire": n.holder,
            })).collect::<Vec<_>>(),
        }),
        SectionContent::FicheDePoste(job) => json!({
            "forme": "fiche",
            "intitule": job.title,
            "rattachement": job.reports_to,
            "finalite": job.purpose,
            "missions": job.missions,
            "competences": job.competences,
            "conditions": job.conditions,
        }),
        SectionContent::Outils(rows) => table(&rows),
        SectionContent::Indicateurs(rows) => table(&rows),
    }
}
