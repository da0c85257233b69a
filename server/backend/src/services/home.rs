//! The home page: one section for each kind of responsibility the caller holds, each shown
//! because the policy lets the caller do that work, not because of a role's name.

use crate::db;
use crate::error::BackendResult;
use crate::identity::Identity;
use crate::services::organisations::DirectoryFilter;
use crate::services::{accounts, assessments, audit, organisations};
use crate::Db;
use chrono::NaiveDate;
use domain::certification::demande::DemandeState;
use domain::home::{AssessmentSummary, CycleRow, DemandeWaiting, HomeSection, RegionSummary};
use domain::organisation::{OrgRef, Organisation, OrganisationKind};
use domain::policy::{Action, Target};

const RECENT_CHANGES: usize = 5;
const NEXT_REQUIREMENTS: usize = 5;

pub async fn sections(db: &Db, me: &Identity, today: NaiveDate) -> BackendResult<Vec<HomeSection>> {
    let mut sections = Vec::new();
    if me.may(Action::ManageAccounts, Target::Global) {
        sections.push(administration(db, me).await?);
    }
    if me.may(Action::ViewNetwork, Target::Global) {
        sections.push(network(db, me).await?);
    }
    let mut seen = Vec::new();
    for membership in &me.memberships {
        if seen.contains(&membership.organisation_id) {
            continue;
        }
        seen.push(membership.organisation_id);
        let org = organisations::get(db, me, membership.organisation_id).await?;
        match org.kind {
            OrganisationKind::Region => {
                let filter = DirectoryFilter {
                    kind: Some(OrganisationKind::Siae),
                    region_id: Some(org.id),
                    search: None,
                };
                let siae = assessments::overview(db, me, &filter).await?;
                let demandes = waiting_demandes(db, me, &org).await?;
                sections.push(HomeSection::Region {
                    region: org,
                    siae,
                    demandes,
                });
            }
            OrganisationKind::Siae => sections.push(siae(db, me, org, today).await?),
            OrganisationKind::CabinetAudit => {
                let assignments =
                    db::demandes::assigned_to(&mut *db.pool.acquire().await?, me.account_id)
                        .await?
                        .into_iter()
                        .map(|(d, siae_name)| DemandeWaiting {
                            siae_id: d.siae_id,
                            siae_name,
                            kind: d.kind,
                            state: d.state,
                        })
                        .collect();
                sections.push(HomeSection::Cabinet {
                    cabinet: org,
                    assignments,
                })
            }
            OrganisationKind::Federation => {}
        }
    }
    Ok(sections)
}

async fn administration(db: &Db, me: &Identity) -> BackendResult<HomeSection> {
    let accounts = accounts::list(db, me, None).await?;
    let (recent, _) = audit::list(db, me, &Default::default()).await?;
    Ok(HomeSection::Administration {
        disabled_accounts: accounts.iter().filter(|a| !a.active).count() as i64,
        accounts_awaiting_first_login: accounts
            .into_iter()
            .filter(|a| a.active && a.must_change_password)
            .collect(),
        recent_changes: recent.into_iter().take(RECENT_CHANGES).collect(),
    })
}

async fn network(db: &Db, me: &Identity) -> BackendResult<HomeSection> {
    let all = organisations::directory(db, me, &DirectoryFilter::default()).await?;
    let regions = all
        .iter()
        .filter(|o| o.kind == OrganisationKind::Region)
        .map(|region| RegionSummary {
            region: region.clone(),
            siae_count: all
                .iter()
                .filter(|o| {
                    o.kind == OrganisationKind::Siae && o.active && o.region_id == Some(region.id)
                })
                .count(),
        })
        .collect();
    let (awaiting, cycles) = federation_cycles(db, me).await?;
    Ok(HomeSection::Federation {
        regions,
        awaiting,
        cycles,
        declares_ties: me.may(Action::DeclareTies, Target::Global),
    })
}

/// What waits for the caller at the federation, and every SIAE's latest cycle the caller follows.
async fn federation_cycles(
    db: &Db,
    me: &Identity,
) -> BackendResult<(Vec<DemandeWaiting>, Vec<CycleRow>)> {
    let mut conn = db.pool.acquire().await?;
    let rules = db::programme::in_force(&mut conn).await?.rules;
    let mut awaiting = Vec::new();
    let mut cycles = Vec::new();
    for (demande, siae_name, region_name) in db::demandes::latest_per_siae(&mut conn).await? {
        let siae = db::organisations::find(&mut conn, demande.siae_id)
            .await?
            .org_ref();
        let waits = match demande.state {
            DemandeState::Transmise => me.may_on(Action::AssignAuditor, siae),
            DemandeState::RapportRemis if demande.is_open() => {
                me.may_on(Action::AssignAuditor, siae)
            }
            DemandeState::SoumiseAuComite => me.may_on(Action::DecideCertification, siae),
            _ => false,
        };
        if waits {
            awaiting.push(DemandeWaiting {
                siae_id: demande.siae_id,
                siae_name: siae_name.clone(),
                kind: demande.kind,
                state: demande.state,
            });
        }
        if !me.may_on(Action::ViewDemande, siae) {
            continue;
        }
        let auditor_name = match demande.auditor_id {
            Some(id) => Some(db::accounts::find(&mut conn, id).await?.display_name),
            None => None,
        };
        cycles.push(CycleRow {
            siae_id: demande.siae_id,
            siae_name,
            region_name,
            kind: demande.kind,
            state: demande.state,
            auditor_name,
            audit_dates: demande.audit_dates,
            certification: db::certificates::glance(&mut conn, demande.siae_id, &rules).await?,
            cost: db::costs::of_demande(&mut conn, demande.id).await?,
        });
    }
    // Certifications at risk first (the earliest first), then certificates ending first; then
    // the SIAE without one, by name.
    cycles.sort_by_key(|c| {
        (
            c.certification.outlook.at_risk_on.unwrap_or(NaiveDate::MAX),
            c.certification
                .certificate
                .as_ref()
                .map(|cert| cert.valid_until)
                .unwrap_or(NaiveDate::MAX),
            c.siae_name.to_lowercase(),
        )
    });
    Ok((awaiting, cycles))
}

async fn siae(
    db: &Db,
    me: &Identity,
    org: Organisation,
    today: NaiveDate,
) -> BackendResult<HomeSection> {
    let roles = me
        .memberships
        .iter()
        .filter(|m| m.organisation_id == org.id)
        .map(|m| m.role.label().to_string())
        .collect();
    let assessment = if me.may_on(Action::ViewAssessment, org.org_ref()) {
        let data = assessments::load(db, me, org.id).await?;
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
            next: gaps.into_iter().take(NEXT_REQUIREMENTS).collect(),
        })
    } else {
        None
    };
    let manual = if me.may_on(Action::ViewManual, org.org_ref()) {
        Some(crate::services::manual::glance(db, me, &org, today).await?)
    } else {
        None
    };
    let suivi = if me.may_on(Action::FollowParcours, org.org_ref()) {
        Some(Box::new(
            crate::services::parcours::glance(db, me, &org, today).await?,
        ))
    } else {
        None
    };
    let certification = if me.may_on(Action::ViewDemande, org.org_ref()) {
        let mut conn = db.pool.acquire().await?;
        let rules = db::programme::in_force(&mut conn).await?.rules;
        Some(db::certificates::glance(&mut conn, org.id, &rules).await?)
    } else {
        None
    };
    Ok(HomeSection::Siae {
        siae: org,
        roles,
        assessment,
        manual,
        certification,
        suivi,
    })
}

/// The demandes of the region's SIAE that wait for the region and that the caller follows:
/// submitted (to examine, for the board) or validated (to forward).
async fn waiting_demandes(
    db: &Db,
    me: &Identity,
    region: &Organisation,
) -> BackendResult<Vec<DemandeWaiting>> {
    let mut conn = db.pool.acquire().await?;
    let waiting = [DemandeState::Soumise, DemandeState::ValideeRegion];
    let found = db::demandes::of_region_in(&mut conn, region.id, &waiting).await?;
    Ok(found
        .into_iter()
        .filter(|(d, _)| {
            let siae = OrgRef {
                id: d.siae_id,
                kind: OrganisationKind::Siae,
                region_id: Some(region.id),
            };
            me.may_on(Action::ViewDemande, siae)
        })
        .map(|(d, siae_name)| DemandeWaiting {
            siae_id: d.siae_id,
            siae_name,
            kind: d.kind,
            state: d.state,
        })
        .collect())
}
