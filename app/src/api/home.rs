use crate::error::AppError;
use crate::types::HomeSection;
use leptos::prelude::*;

/// The sections of the home page, one for each kind of responsibility the caller holds.
#[server(endpoint = "accueil")]
pub async fn home() -> Result<Vec<HomeSection>, AppError> {
    use super::ssr::*;
    use crate::types::{AssessmentSummary, RegionSummary};
    use backend::organisations::{directory, get, DirectoryFilter};
    use domain::organisation::OrganisationKind;
    use domain::policy::{Action, Target};
    use domain::role::Role;

    let me = identity()?;
    let db = &context().db;
    let mut sections = Vec::new();
    if me.may(Action::ManageAccounts, Target::Global) {
        let accounts = outcome(backend::accounts::list(db, &me, None).await)?;
        let (recent, _) = outcome(backend::audit::list(db, &me, &Default::default()).await)?;
        sections.push(HomeSection::Administration {
            disabled_accounts: accounts.iter().filter(|a| !a.active).count() as i64,
            accounts_awaiting_first_login: accounts
                .into_iter()
                .filter(|a| a.active && a.must_change_password)
                .collect(),
            recent_changes: recent.into_iter().take(5).collect(),
        });
    }
    if me.actor.has_role(Role::ResponsableQualiteFederal)
        || me.actor.has_role(Role::MembreComiteCertification)
    {
        let all = outcome(directory(db, &me, &DirectoryFilter::default()).await)?;
        let regions = all
            .iter()
            .filter(|o| o.kind == OrganisationKind::Region)
            .map(|region| RegionSummary {
                region: region.clone(),
                siae_count: all
                    .iter()
                    .filter(|o| {
                        o.kind == OrganisationKind::Siae
                            && o.active
                            && o.region_id == Some(region.id)
                    })
                    .count(),
            })
            .collect();
        sections.push(HomeSection::Federation { regions });
    }
    let mut seen = Vec::new();
    for m in &me.memberships {
        if seen.contains(&m.organisation_id) {
            continue;
        }
        seen.push(m.organisation_id);
        let org = outcome(get(db, &me, m.organisation_id).await)?;
        match m.organisation_kind {
            OrganisationKind::Region => {
                let filter = DirectoryFilter {
                    kind: Some(OrganisationKind::Siae),
                    region_id: Some(org.id),
                    search: None,
                };
                let siae = outcome(backend::assessments::overview(db, &me, &filter).await)?;
                sections.push(HomeSection::Region { region: org, siae });
            }
            OrganisationKind::Siae => {
                let roles = me
                    .memberships
                    .iter()
                    .filter(|x| x.organisation_id == org.id)
                    .map(|x| x.role.label().to_string())
                    .collect();
                let assessment = if me.may_on(Action::ViewAssessment, org.org_ref()) {
                    let data = outcome(backend::assessments::load(db, &me, org.id).await)?;
                    let today = chrono::Utc::now().date_naive();
                    let gaps = domain::assessment::gaps(
                        &data.referentiel,
                        data.siae_type(),
                        org.funded_fte,
                        &data.assessments,
                        today,
                    );
                    Some(AssessmentSummary {
                        overall: domain::assessment::overall(&data.progress()),
                        overdue: gaps.iter().filter(|g| g.overdue).count(),
                        next: gaps.into_iter().take(5).collect(),
                    })
                } else {
                    None
                };
                sections.push(HomeSection::Siae {
                    siae: org,
                    roles,
                    assessment,
                });
            }
            OrganisationKind::CabinetAudit => sections.push(HomeSection::Cabinet { cabinet: org }),
            OrganisationKind::Federation => {}
        }
    }
    Ok(sections)
}
