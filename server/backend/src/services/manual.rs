//! Use cases of the manuel qualité: starting it from the skeleton, adding and ordering sections,
//! writing a section's draft (refused, not overwritten, when someone saved in between), its
//! review and approval on the lifecycle of `domain::manual::version`, and comparing versions.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::organisations::{siae_for, siae_for_change};
use crate::services::refused;
use chrono::{NaiveDate, Utc};
use domain::audit::{AuditEvent, ManualChange};
use domain::home::{ManualGlance, SectionLink};
use domain::manual::content::{ContentForm, FormContext, SectionContent};
use domain::manual::diff::{word_diff, DiffPiece};
use domain::manual::section::{hint, Section, SectionKind, SKELETON};
use domain::manual::version::{
    SectionVersion, SectionVersionLifecycle, VersionEvent, VersionState,
};
use domain::manual::view::{ManualOverview, SectionPage, SectionSummary};
use domain::organisation::Organisation;
use domain::policy::{Action, Target};
use domain::workflow::transition;
use std::collections::BTreeMap;

/// The longest text of a section (the database says the same).
pub const MAX_BODY_CHARS: usize = 200_000;
pub const MAX_NOTE_CHARS: usize = 2_000;

pub async fn overview(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<ManualOverview> {
    let siae = siae_for(db, by, siae_id, Action::ViewManual).await?;
    let can_edit = by.may_on(Action::EditManual, siae.org_ref());
    let mut conn = db.pool.acquire().await?;
    let sections = db::manual::sections(&mut conn, siae_id).await?;
    let states = db::manual::version_lines(&mut conn, siae_id).await?;
    let sections = sections
        .into_iter()
        .map(|section| {
            let of_section = || states.iter().filter(|s| s.section_id == section.id);
            let in_force = of_section()
                .find(|s| s.state == VersionState::Approuvee)
                .and_then(|s| s.in_force.clone());
            let open = of_section()
                .find(|s| s.state.is_open())
                .map(|s| s.state)
                .filter(|_| can_edit);
            SectionSummary {
                section,
                in_force,
                open,
            }
        })
        .collect();
    Ok(ManualOverview {
        siae_id,
        siae_name: siae.name,
        sections,
        can_edit,
    })
}

/// The manual of a SIAE at a glance for the home page: what waits for the caller.
pub async fn glance(
    db: &Db,
    by: &Identity,
    siae: &Organisation,
    today: NaiveDate,
) -> BackendResult<ManualGlance> {
    let can_edit = by.may_on(Action::EditManual, siae.org_ref());
    let can_approve = by.may_on(Action::ApproveManual, siae.org_ref());
    let mut conn = db.pool.acquire().await?;
    let sections = db::manual::sections(&mut conn, siae.id).await?;
    let lines = db::manual::version_lines(&mut conn, siae.id).await?;
    let given = db::editions::recipients(&mut conn, siae.id).await?;
    let editions = db::editions::of_siae(&mut conn, siae.id).await?;
    let editions_to_read = given
        .iter()
        .filter(|r| r.account_id == by.account_id && r.acknowledged_at.is_none())
        .filter_map(|r| {
            editions
                .iter()
                .find(|e| e.id == r.edition_id)
                .map(|e| e.number)
        })
        .collect();
    let link = |section_id: i64| {
        sections
            .iter()
            .find(|s| s.id == section_id)
            .map(|s| SectionLink {
                id: s.id,
                title: s.title.clone(),
            })
    };
    let pick = |wanted: &dyn Fn(&db::manual::VersionLine) -> bool| -> Vec<SectionLink> {
        lines
            .iter()
            .filter(|l| wanted(l))
            .filter_map(|l| link(l.section_id))
            .collect()
    };
    Ok(ManualGlance {
        sections: sections.len(),
        in_force: lines
            .iter()
            .filter(|l| l.state == VersionState::Approuvee)
            .count(),
        to_review: pick(&|l| {
            can_approve && l.state == VersionState::EnRelecture && l.author_id != by.account_id
        }),
        sent_back: pick(&|l| {
            can_edit && l.state == VersionState::Renvoyee && l.author_id == by.account_id
        }),
        review_overdue: pick(&|l| l.in_force.as_ref().is_some_and(|v| v.review_due < today)),
        editions_to_read,
    })
}

/// Starts the manual of a SIAE from the skeleton: the required contents, each with its hint and
/// the requirements it answers. Refused when the manual has sections already.
pub async fn start(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditManual).await?;
    if !db::manual::sections(&mut work, siae_id).await?.is_empty() {
        return Err(BackendError::invalid(
            "Le manuel de cette structure est déjà commencé.",
        ));
    }
    for skeleton in SKELETON {
        let section = db::manual::insert_section(
            &mut work,
            siae_id,
            skeleton.kind,
            skeleton.title,
            skeleton.answers,
        )
        .await?;
        work.record(&audit_event(&siae, &section, ManualChange::Added));
    }
    work.commit_recorded().await
}

/// Adds a section of the SIAE's own, at the end of the manual.
pub async fn add_section(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    kind: &str,
    title: &str,
) -> BackendResult<i64> {
    let kind = SectionKind::from_code(kind)
        .ok_or_else(|| BackendError::invalid_field("kind", "Choisissez le type de la section."))?;
    let title = checked_title(title)?;
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditManual).await?;
    let section = db::manual::insert_section(&mut work, siae_id, kind, &title, &[]).await?;
    let id = section.id;
    work.commit(audit_event(&siae, &section, ManualChange::Added))
        .await?;
    Ok(id)
}

fn checked_title(title: &str) -> BackendResult<String> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(BackendError::invalid_field(
            "title",
            "Donnez un titre à la section (200 caractères au plus).",
        ));
    }
    Ok(title.to_string())
}

/// Moves a section one place up or down in the manual.
pub async fn move_section(db: &Db, by: &Identity, section_id: i64, up: bool) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, section) = section_for_change(&mut work, by, section_id, Action::EditManual).await?;
    let sections = db::manual::sections(&mut work, siae.id).await?;
    let index = sections
        .iter()
        .position(|s| s.id == section_id)
        .unwrap_or(0);
    let other = if up {
        index.checked_sub(1)
    } else {
        Some(index + 1).filter(|i| *i < sections.len())
    };
    let Some(other) = other.map(|i| &sections[i]) else {
        return Err(BackendError::invalid(if up {
            "Cette section est déjà la première."
        } else {
            "Cette section est déjà la dernière."
        }));
    };
    // Positions are renumbered 1, 2, 3… with the two sections swapped.
    let mut order: Vec<i64> = sections.iter().map(|s| s.id).collect();
    let other_index = order.iter().position(|id| *id == other.id).unwrap_or(index);
    order.swap(index, other_index);
    for (position, id) in order.iter().enumerate() {
        db::manual::set_position(&mut work, *id, position as i64 + 1).await?;
    }
    let change = ManualChange::Moved {
        from: index as i64 + 1,
        to: other_index as i64 + 1,
    };
    work.commit(audit_event(&siae, &section, change)).await
}

/// Says which requirements of the SIAE's référentiel a section answers, from keys typed
/// `2.3 a, 2.3 d` (commas, semicolons or lines between them).
pub async fn set_answers(
    db: &Db,
    by: &Identity,
    section_id: i64,
    typed: &str,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, section) = section_for_change(&mut work, by, section_id, Action::EditManual).await?;
    let (_, referentiel) = crate::services::referentiels::for_siae_in(&mut work, &siae).await?;
    let mut keys: Vec<String> = Vec::new();
    for key in typed
        .split([',', ';', '\n'])
        .map(|k| k.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|k| !k.is_empty())
    {
        if referentiel.find(&key).is_none() {
            return Err(BackendError::invalid_field(
                "answers",
                format!("L'exigence « {key} » n'existe pas dans le référentiel de la structure (exemple de clé : 2.3 a)."),
            ));
        }
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys.sort();
    db::manual::set_answers(&mut work, section_id, &keys).await?;
    work.commit(audit_event(
        &siae,
        &section,
        ManualChange::RequirementsLinked { keys },
    ))
    .await
}

/// A section with its versions, as the caller may see them.
pub async fn section_page(db: &Db, by: &Identity, section_id: i64) -> BackendResult<SectionPage> {
    let mut conn = db.pool.acquire().await?;
    let section = db::manual::section(&mut conn, section_id).await?;
    let siae = siae_for(db, by, section.siae_id, Action::ViewManual).await?;
    let can_edit = by.may_on(Action::EditManual, siae.org_ref());
    let can_approve = by.may_on(Action::ApproveManual, siae.org_ref());
    let versions = db::manual::versions(&mut conn, section_id).await?;
    let in_force = versions
        .iter()
        .find(|v| v.status.state == VersionState::Approuvee)
        .cloned();
    let open = versions
        .iter()
        .find(|v| v.status.state.is_open())
        .filter(|_| can_edit)
        .cloned();
    let history = versions
        .into_iter()
        .filter(|v| v.status.number.is_some())
        .collect();
    let form_context = if can_edit {
        form_context(&mut conn, siae.id).await?
    } else {
        FormContext::default()
    };
    Ok(SectionPage {
        siae_name: siae.name,
        hint: hint(section.kind, &section.title).to_string(),
        section,
        in_force,
        open,
        history,
        can_edit,
        can_approve,
        account_id: by.account_id,
        form_context,
    })
}

/// What structured forms check their values against: the posts of the hierarchical
/// organigramme (its version in force, else the one being written) and the manual's procedures.
async fn form_context(conn: &mut sqlx::AnyConnection, siae_id: i64) -> BackendResult<FormContext> {
    let sections = db::manual::sections(conn, siae_id).await?;
    let mut posts = Vec::new();
    if let Some(chart) = sections
        .iter()
        .find(|s| s.kind == SectionKind::OrganigrammeHierarchique)
    {
        let versions = db::manual::versions(conn, chart.id).await?;
        let current = versions
            .iter()
            .find(|v| v.status.state == VersionState::Approuvee)
            .or_else(|| versions.iter().find(|v| v.status.state.is_open()));
        if let Some(SectionContent::Organigramme(chart)) =
            current.map(|v| SectionContent::read(chart.kind, &v.body))
        {
            posts = chart.posts();
        }
    }
    let procedures = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Procedure)
        .map(|s| s.title.clone())
        .collect();
    Ok(FormContext { posts, procedures })
}

/// What a save of a draft carries: its content, the author's change note, and the revision the
/// editor started from (`None` when there was no open version).
pub struct DraftSave<'a> {
    pub content: DraftContent<'a>,
    pub change_note: &'a str,
    pub revision: Option<i64>,
}

pub enum DraftContent<'a> {
    /// The Markdown of a text section.
    Text(&'a str),
    /// The fields of the form of a structured section (organigramme, fiche de poste, table).
    Form(&'a BTreeMap<String, String>),
}

/// Saves the open version of a section, or opens one from the text. A save that started from
/// an older revision than the stored one is refused: the caller gives the text back, nothing is
/// overwritten.
pub async fn save_draft(
    db: &Db,
    by: &Identity,
    section_id: i64,
    save: DraftSave<'_>,
) -> BackendResult<i64> {
    if save.change_note.chars().count() > MAX_NOTE_CHARS {
        return Err(BackendError::invalid_field(
            "change_note",
            format!("La note de modification dépasse {MAX_NOTE_CHARS} caractères."),
        ));
    }
    let mut work = db.unit_of_work(by).await?;
    let (siae, section) = section_for_change(&mut work, by, section_id, Action::EditManual).await?;
    let versions = db::manual::versions(&mut work, section_id).await?;
    let body = match (save.content, section.kind.form()) {
        (DraftContent::Text(text), ContentForm::Text) => text.to_string(),
        (DraftContent::Form(fields), form) if form != ContentForm::Text => {
            // The form showed the open version, else the one in force.
            let shown = versions
                .iter()
                .find(|v| v.status.state.is_open())
                .or_else(|| {
                    versions
                        .iter()
                        .find(|v| v.status.state == VersionState::Approuvee)
                })
                .map(|v| SectionContent::read(section.kind, &v.body))
                .unwrap_or_else(|| SectionContent::empty(section.kind));
            let context = form_context(&mut work, siae.id).await?;
            SectionContent::from_form(section.kind, &shown, fields, &context)
                .map_err(BackendError::Invalid)?
                .store()
        }
        _ => {
            return Err(BackendError::invalid(
                "Cette section ne s'écrit pas de cette façon : rechargez la page pour retrouver son formulaire.",
            ))
        }
    };
    if body.chars().count() > MAX_BODY_CHARS {
        return Err(BackendError::invalid_field(
            "body",
            format!("Le texte dépasse {MAX_BODY_CHARS} caractères : découpez la section."),
        ));
    }
    let open = versions.into_iter().find(|v| v.status.state.is_open());
    let now = Utc::now();
    let (version_id, revision) = match (open, save.revision) {
        (None, None) => {
            let id = db::manual::insert_draft(
                &mut work,
                section_id,
                &body,
                save.change_note.trim(),
                (by.account_id, &by.display_name),
                now,
            )
            .await?;
            (id, 1)
        }
        (Some(open), _) if open.status.state == VersionState::EnRelecture => {
            return Err(BackendError::invalid(
                "Cette version est en relecture : elle ne change plus, sauf si le relecteur vous la renvoie.",
            ));
        }
        (Some(open), Some(revision)) if revision == open.revision => {
            let saved = db::manual::update_draft(
                &mut work,
                open.id,
                revision,
                &body,
                save.change_note.trim(),
                now,
            )
            .await?;
            if !saved {
                return Err(conflict());
            }
            (open.id, revision + 1)
        }
        _ => return Err(conflict()),
    };
    let change = ManualChange::DraftSaved {
        version_id,
        revision,
    };
    work.commit(audit_event(&siae, &section, change)).await?;
    Ok(version_id)
}

fn conflict() -> BackendError {
    BackendError::invalid_field(
        "body",
        "Quelqu'un a enregistré ce brouillon pendant que vous l'écriviez : votre texte est ci-dessous, \
         rien n'a été enregistré. Rechargez la page pour voir sa version, puis reportez-y vos changements.",
    )
}

/// A step of review asked by a user; the lifecycle decides whether it applies.
pub enum ReviewStep {
    Submit,
    /// Approve, with the review date chosen (12 months after today when `None`).
    Approve {
        review_due: Option<NaiveDate>,
    },
    SendBack {
        comment: String,
    },
}

/// Applies a review step to a version: the new state is stored (and, at an approval, the
/// previous version in force becomes obsolete), with its audit event, in one change.
pub async fn review(
    db: &Db,
    by: &Identity,
    version_id: i64,
    step: ReviewStep,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    work.lock_row("manual_section_versions", version_id).await?;
    let version = db::manual::version(&mut work, version_id).await?;
    let (siae, section) =
        section_for_change(&mut work, by, version.section_id, Action::ViewManual).await?;
    let event = match step {
        ReviewStep::Submit => VersionEvent::Submit,
        ReviewStep::Approve { review_due } => VersionEvent::Approve {
            by: by.account_id,
            on: domain::time::today(),
            number: db::manual::next_number(&mut work, section.id).await?,
            review_due,
        },
        ReviewStep::SendBack { comment } => VersionEvent::SendBack {
            by: by.account_id,
            comment,
        },
    };
    let target = Target::Organisation(siae.org_ref());
    let moved = transition::<SectionVersionLifecycle>(&version.status, &event, &by.actor, target)
        .map_err(|refusal| refused(by, refusal))?;
    let approved = moved.to.state == VersionState::Approuvee;
    if approved {
        let previous = db::manual::versions(&mut work, section.id)
            .await?
            .into_iter()
            .find(|v| v.status.state == VersionState::Approuvee);
        if let Some(previous) = previous {
            let supersede = VersionEvent::Supersede;
            let obsolete = transition::<SectionVersionLifecycle>(
                &previous.status,
                &supersede,
                &by.actor,
                target,
            )
            .map_err(|refusal| refused(by, refusal))?;
            db::manual::set_status(&mut work, previous.id, &obsolete.to, None).await?;
        }
    }
    let approver = approved.then_some(by.display_name.as_str());
    db::manual::set_status(&mut work, version_id, &moved.to, approver).await?;
    let change = match (&event, moved.to.number) {
        (VersionEvent::Approve { .. }, Some(number)) => {
            ManualChange::Approved { version_id, number }
        }
        (VersionEvent::SendBack { comment, .. }, _) => ManualChange::SentBack {
            version_id,
            comment: comment.trim().to_string(),
        },
        _ => ManualChange::Submitted { version_id },
    };
    work.commit(audit_event(&siae, &section, change)).await
}

/// Compares two versions of a section, word by word (`from` before `to`).
pub async fn compare(
    db: &Db,
    by: &Identity,
    section_id: i64,
    from: i64,
    to: i64,
) -> BackendResult<(SectionVersion, SectionVersion, Vec<DiffPiece>)> {
    let page = section_page(db, by, section_id).await?;
    let visible: Vec<&SectionVersion> = page.history.iter().chain(page.open.iter()).collect();
    let find = |id: i64| {
        visible
            .iter()
            .find(|v| v.id == id)
            .map(|v| (*v).clone())
            .ok_or_else(|| BackendError::NotFound(format!("manual section version {id}")))
    };
    let (before, after) = (find(from)?, find(to)?);
    let text = |v: &SectionVersion| SectionContent::read(page.section.kind, &v.body).plain_text();
    let pieces = word_diff(&text(&before), &text(&after));
    Ok((before, after, pieces))
}

/// The section and its SIAE, read and locked inside a change, if the caller may do `action`.
async fn section_for_change(
    work: &mut UnitOfWork,
    by: &Identity,
    section_id: i64,
    action: Action,
) -> BackendResult<(Organisation, Section)> {
    let section = db::manual::section(work, section_id).await?;
    let siae = siae_for_change(work, by, section.siae_id, action).await?;
    Ok((siae, section))
}

fn audit_event(siae: &Organisation, section: &Section, change: ManualChange) -> AuditEvent {
    AuditEvent::ManualSection {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        section_id: section.id,
        title: section.title.clone(),
        change,
    }
}
