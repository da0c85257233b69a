//! The manuel qualité: its sections, their drafts, review and approval.

use crate::error::AppError;
use domain::manual::diff::DiffPiece;
use domain::manual::edition::EditionsPage;
use domain::manual::version::SectionVersion;
use domain::manual::view::{ManualOverview, SectionPage};
use leptos::prelude::*;

#[server(endpoint = "manuel/sommaire")]
pub async fn load_manual(siae_id: i64) -> Result<ManualOverview, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::manual::overview(&context().db, &me, siae_id).await)
}

#[server(endpoint = "manuel/commencer")]
pub async fn start_manual(siae_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::manual::start(&context().db, &me, siae_id).await)?;
    done(
        &crate::url::manual_page(siae_id),
        "Le manuel est commencé : chaque section attend son premier brouillon.",
    );
    Ok(())
}

#[server(endpoint = "manuel/sections/ajouter")]
pub async fn add_section(siae_id: i64, kind: String, title: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let id =
        outcome(backend::manual::add_section(&context().db, &me, siae_id, &kind, &title).await)?;
    done(
        &crate::url::section_page(id),
        "La section est ajoutée au manuel.",
    );
    Ok(())
}

#[server(endpoint = "manuel/sections/deplacer")]
pub async fn move_section(siae_id: i64, section_id: i64, vers: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let up = vers == "haut";
    outcome(backend::manual::move_section(&context().db, &me, section_id, up).await)?;
    done(
        &crate::url::manual_page(siae_id),
        "L'ordre des sections est changé.",
    );
    Ok(())
}

#[server(endpoint = "manuel/sections/exigences")]
pub async fn set_answers(section_id: i64, answers: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::manual::set_answers(&context().db, &me, section_id, &answers).await)?;
    done(
        &crate::url::section_page(section_id),
        "Les exigences auxquelles répond la section sont enregistrées.",
    );
    Ok(())
}

#[server(endpoint = "manuel/section")]
pub async fn load_section(section_id: i64) -> Result<SectionPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::manual::section_page(&context().db, &me, section_id).await)
}

/// Saves the draft of a section. `revision` is the one the editor started from (empty when the
/// section had no open version).
#[server(endpoint = "manuel/brouillon")]
pub async fn save_draft(
    section_id: i64,
    body: String,
    change_note: String,
    #[server(default)] revision: Option<i64>,
) -> Result<(), AppError> {
    let content = backend::manual::DraftContent::Text(&body);
    save(section_id, content, &change_note, revision).await
}

#[cfg(feature = "ssr")]
async fn save(
    section_id: i64,
    content: backend::manual::DraftContent<'_>,
    change_note: &str,
    revision: Option<i64>,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let save = backend::manual::DraftSave {
        content,
        change_note,
        revision,
    };
    outcome(backend::manual::save_draft(&context().db, &me, section_id, save).await)?;
    done(
        &crate::url::section_page(section_id),
        "Le brouillon est enregistré.",
    );
    Ok(())
}

/// Saves the draft of an organigramme, a fiche de poste or a table from its form: its fields
/// come as `champs[<field>]` (`champs[p3.poste]`, `champs[intitule]`).
#[server(endpoint = "manuel/brouillon-structure")]
pub async fn save_structured_draft(
    section_id: i64,
    change_note: String,
    #[server(default)] revision: Option<i64>,
    #[server(default)] champs: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    let content = backend::manual::DraftContent::Form(&champs);
    save(section_id, content, &change_note, revision).await
}

#[server(endpoint = "manuel/soumettre")]
pub async fn submit_version(section_id: i64, version_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let step = backend::manual::ReviewStep::Submit;
    outcome(backend::manual::review(&context().db, &me, version_id, step).await)?;
    done(
        &crate::url::section_page(section_id),
        "La version est soumise à relecture : un référent qualité ou la direction, autre que vous, l'approuvera.",
    );
    Ok(())
}

#[server(endpoint = "manuel/approuver")]
pub async fn approve_version(
    section_id: i64,
    version_id: i64,
    #[server(default)] review_due: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let review_due = match review_due.trim() {
        "" => None,
        text => Some(
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                report(AppError::Invalid(domain::validation::FieldErrors::on(
                    "review_due",
                    "Date de révision invalide (jj/mm/aaaa).",
                )))
            })?,
        ),
    };
    let step = backend::manual::ReviewStep::Approve { review_due };
    outcome(backend::manual::review(&context().db, &me, version_id, step).await)?;
    done(
        &crate::url::section_page(section_id),
        "La version est approuvée : elle est désormais en vigueur.",
    );
    Ok(())
}

#[server(endpoint = "manuel/renvoyer")]
pub async fn send_back_version(
    section_id: i64,
    version_id: i64,
    comment: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let step = backend::manual::ReviewStep::SendBack { comment };
    outcome(backend::manual::review(&context().db, &me, version_id, step).await)?;
    done(
        &crate::url::section_page(section_id),
        "La version est renvoyée à son auteur avec votre commentaire.",
    );
    Ok(())
}

/// Two versions of a section and their word-level differences.
#[server(endpoint = "manuel/comparer")]
pub async fn compare_versions(
    section_id: i64,
    from: i64,
    to: i64,
) -> Result<(SectionVersion, SectionVersion, Vec<DiffPiece>), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::manual::compare(&context().db, &me, section_id, from, to).await)
}

#[server(endpoint = "manuel/editions")]
pub async fn load_editions(siae_id: i64) -> Result<EditionsPage, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::editions::page(&context().db, &me, siae_id).await)
}

/// Issues the next edition; `confirmer` is the box that accepts the gaps found.
#[server(endpoint = "manuel/editions/emettre")]
pub async fn issue_edition(
    siae_id: i64,
    #[server(default)] confirmer: Option<String>,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let ctx = context();
    let (_, number) = outcome(
        backend::editions::issue(&ctx.db, &me, siae_id, confirmer.is_some(), &ctx.renderer).await,
    )?;
    done(
        &crate::url::editions_page(siae_id),
        format!(
            "L'édition {number} du manuel est émise : son PDF est enregistré et ne changera plus."
        ),
    );
    Ok(())
}

/// Gives an edition to people of the SIAE: `destinataires[<account id>]` for each box ticked.
#[server(endpoint = "manuel/editions/remettre")]
pub async fn give_edition(
    siae_id: i64,
    edition_id: i64,
    #[server(default)] destinataires: std::collections::BTreeMap<String, String>,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let people: Vec<i64> = destinataires
        .keys()
        .filter_map(|k| k.parse().ok())
        .collect();
    outcome(backend::editions::give(&context().db, &me, siae_id, edition_id, &people).await)?;
    done(
        &crate::url::editions_page(siae_id),
        "L'édition est remise : chacun la verra sur sa page d'accueil jusqu'à en accuser lecture.",
    );
    Ok(())
}

/// Takes the logo off the cover of the next editions.
#[server(endpoint = "manuel/logo/retirer")]
pub async fn remove_logo(siae_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::logo::set(&context().db, &me, siae_id, None).await)?;
    done(
        &crate::url::editions_page(siae_id),
        "Le logo est retiré : les prochaines éditions n'en auront pas.",
    );
    Ok(())
}

#[server(endpoint = "manuel/editions/lue")]
pub async fn acknowledge_edition(siae_id: i64, edition_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::editions::acknowledge(&context().db, &me, siae_id, edition_id).await)?;
    done(
        &crate::url::editions_page(siae_id),
        "Merci : votre lecture est enregistrée.",
    );
    Ok(())
}
