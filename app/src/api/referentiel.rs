use crate::error::AppError;
use domain::assessment::{AssessmentDraft, HistoryEntry, SiaeAssessment, SiaeProgress};
use domain::organisation::SiaeType;
use domain::referentiel::{Referentiel, Version};
use leptos::prelude::*;

#[server(endpoint = "referentiel/structure")]
pub async fn load_siae_assessment(siae_id: i64) -> Result<SiaeAssessment, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::assessments::load(&context().db, &me, siae_id).await)
}

#[server(endpoint = "referentiel/historique")]
pub async fn requirement_history(siae_id: i64, key: String) -> Result<Vec<HistoryEntry>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::assessments::history(&context().db, &me, siae_id, &key).await)
}

#[server(endpoint = "referentiel/evaluer")]
pub async fn save_assessment(
    siae_id: i64,
    key: String,
    #[server(default)] draft: AssessmentDraft,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::assessments::save(&context().db, &me, siae_id, &key, &draft).await)?;
    done(
        &crate::url::requirement_page(siae_id, &key),
        format!("L'évaluation de l'exigence {key} est enregistrée."),
    );
    Ok(())
}

#[server(endpoint = "referentiel/preuve")]
pub async fn link_evidence(
    siae_id: i64,
    key: String,
    document_id: i64,
    linked: bool,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::evidence::link(&context().db, &me, siae_id, &key, document_id, linked).await)?;
    done(
        &crate::url::requirement_page(siae_id, &key),
        if linked {
            "Le document est lié à l'exigence."
        } else {
            "Le document n'est plus lié à l'exigence."
        },
    );
    Ok(())
}

/// Cites (`cited`) or stops citing an approved version of a manual section as evidence.
#[server(endpoint = "referentiel/preuve-manuel")]
pub async fn cite_manual_version(
    siae_id: i64,
    key: String,
    version_id: i64,
    cited: bool,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::evidence::cite_version(&context().db, &me, siae_id, &key, version_id, cited).await,
    )?;
    done(
        &crate::url::requirement_page(siae_id, &key),
        if cited {
            "La version de la section est citée comme preuve."
        } else {
            "La version de la section n'est plus citée comme preuve."
        },
    );
    Ok(())
}

#[server(endpoint = "referentiel/moyen")]
pub async fn set_mean(
    siae_id: i64,
    section: String,
    mean: String,
    checked: bool,
    #[server(default)] document_id: Option<i64>,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::assessments::set_mean(
            &context().db,
            &me,
            siae_id,
            &section,
            &mean,
            checked,
            document_id,
        )
        .await,
    )?;
    done(
        &format!(
            "/organisations/{siae_id}/referentiel#moyens-{}",
            section.replace('.', "-")
        ),
        if checked {
            format!("« {mean} » est coché.")
        } else {
            format!("« {mean} » est décoché.")
        },
    );
    Ok(())
}

#[server(endpoint = "referentiel/tableau")]
pub async fn referentiel_overview(
    siae_type: Option<SiaeType>,
    region_id: Option<i64>,
    search: Option<String>,
) -> Result<Vec<SiaeProgress>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    let filter = backend::organisations::DirectoryFilter {
        kind: None,
        region_id,
        search,
    };
    let rows = outcome(backend::assessments::overview(&context().db, &me, &filter).await)?;
    Ok(rows
        .into_iter()
        .filter(|r| siae_type.is_none_or(|t| r.siae.siae_type == Some(t)))
        .collect())
}

#[server(endpoint = "referentiel/versions")]
pub async fn list_versions() -> Result<Vec<Version>, AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::referentiels::list(&context().db, &me).await)
}

#[server(endpoint = "referentiel/version")]
pub async fn load_version(id: i64) -> Result<(Version, Referentiel), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::referentiels::read(&context().db, &me, id).await)
}

#[server(endpoint = "referentiel/versions/creer")]
pub async fn create_version(base_id: i64, code: String, label: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let id = outcome(
        backend::referentiels::create_from(&context().db, &me, base_id, &code, &label).await,
    )?;
    done(
        &crate::url::version_page(id),
        "La nouvelle version est créée : modifiez-la, puis faites-la valider par le bureau.",
    );
    Ok(())
}

#[server(endpoint = "referentiel/versions/exigence")]
pub async fn edit_requirement(
    version_id: i64,
    key: String,
    #[server(default)] text: String,
    #[server(default)] points: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::referentiels::edit_requirement(
            &context().db,
            &me,
            version_id,
            &key,
            &text,
            &points,
        )
        .await,
    )?;
    done(
        &crate::url::version_page(version_id),
        format!("L'exigence {key} est modifiée."),
    );
    Ok(())
}

#[server(endpoint = "referentiel/versions/ajouter")]
pub async fn add_requirement(
    version_id: i64,
    section: String,
    code: String,
    text: String,
    #[server(default)] points: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(
        backend::referentiels::add_requirement(
            &context().db,
            &me,
            version_id,
            &section,
            &code,
            &text,
            &points,
        )
        .await,
    )?;
    done(
        &crate::url::version_page(version_id),
        "L'exigence est ajoutée.",
    );
    Ok(())
}

#[server(endpoint = "referentiel/versions/retirer")]
pub async fn retire_requirement(version_id: i64, key: String) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::referentiels::retire_requirement(&context().db, &me, version_id, &key).await)?;
    done(
        &crate::url::version_page(version_id),
        format!("L'exigence {key} est retirée de cette version."),
    );
    Ok(())
}

#[server(endpoint = "referentiel/versions/dates")]
pub async fn record_version_dates(
    version_id: i64,
    #[server(default)] validated_on: String,
    #[server(default)] in_force_from: String,
) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    let parse = |text: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        match text.trim() {
            "" => Ok(None),
            d => d.parse().map(Some).map_err(|_| {
                report(AppError::invalid(
                    "Les dates doivent être valides (AAAA-MM-JJ).",
                ))
            }),
        }
    };
    let (validated_on, in_force_from) = (parse(&validated_on)?, parse(&in_force_from)?);
    outcome(
        backend::referentiels::record_dates(
            &context().db,
            &me,
            version_id,
            validated_on,
            in_force_from,
        )
        .await,
    )?;
    done(
        &crate::url::version_page(version_id),
        "Les dates de la version sont enregistrées.",
    );
    Ok(())
}

#[server(endpoint = "referentiel/affecter")]
pub async fn move_siae_version(siae_id: i64, version_id: i64) -> Result<(), AppError> {
    use super::ssr::*;
    let me = identity()?;
    outcome(backend::referentiels::move_siae(&context().db, &me, siae_id, version_id).await)?;
    done(
        &format!("/organisations/{siae_id}/referentiel"),
        "La structure est désormais évaluée sur cette version ; ce qui a changé est indiqué ci-dessous.",
    );
    Ok(())
}
