//! The parcours of the people a SIAE supports, for its own staff (`FollowParcours`): the list
//! and search of its people, a person's fiche de suivi (each opening recorded), their
//! engagements, bilans, actions and exit, the tableau de synthèse and the suivi a minima.
//!
//! A person out of the caller's reach is answered as if it did not exist (404), whoever the
//! caller is: a person's number says nothing outside their SIAE. The trail names the person by
//! number and says which fields changed, never their content.

use crate::db::{self, parcours::PersonRow, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::accounts::holders_by_name;
use crate::services::organisations::{siae_for, siae_for_change};
use chrono::NaiveDate;
use domain::audit::{AuditEvent, ParcoursChange};
use domain::organisation::Organisation;
use domain::parcours::person::{ExitDraft, PersonDraft, PersonSort, Phase, PAGE_SIZE};
use domain::parcours::record::{ActionDraft, ActionStatus, BilanDraft, EngagementDraft};
use domain::parcours::suivi::{lapses, FileFacts};
use domain::parcours::view::{
    name_matches, sorted_page, ActionView, EngagementView, PersonFile, PersonList, PersonListItem,
    SuiviGlance, SuiviLine, Synthesis, SynthesisLine,
};
use domain::policy::Action;
use domain::role::Role;
use domain::validation::FieldErrors;
use sqlx::AnyConnection;
use std::collections::HashMap;

/// Who follows people: the SIAE's staff.
const STAFF: [Role; 3] = [Role::ReferentQualite, Role::Direction, Role::Accompagnateur];

/// Everything recorded of a SIAE's people, grouped by person.
struct SiaeRecords {
    persons: Vec<PersonRow>,
    engagements: HashMap<i64, Vec<EngagementView>>,
    actions: HashMap<i64, Vec<ActionView>>,
    delay_days: i64,
}

impl SiaeRecords {
    async fn load(conn: &mut AnyConnection, siae_id: i64) -> BackendResult<Self> {
        let mut engagements: HashMap<i64, Vec<EngagementView>> = HashMap::new();
        for (person, e) in db::parcours::engagements_of_siae(conn, siae_id).await? {
            engagements.entry(person).or_default().push(e);
        }
        let mut actions: HashMap<i64, Vec<ActionView>> = HashMap::new();
        for (person, a) in db::parcours::actions_of_siae(conn, siae_id).await? {
            actions.entry(person).or_default().push(a);
        }
        Ok(Self {
            persons: db::parcours::persons_of(conn, siae_id).await?,
            engagements,
            actions,
            delay_days: db::parcours::proposal_delay(conn, siae_id).await?,
        })
    }

    fn engagements(&self, person: i64) -> &[EngagementView] {
        self.engagements.get(&person).map_or(&[], Vec::as_slice)
    }

    fn actions(&self, person: i64) -> &[ActionView] {
        self.actions.get(&person).map_or(&[], Vec::as_slice)
    }

    fn item(&self, p: &PersonRow) -> PersonListItem {
        let engagements = self.engagements(p.id);
        let current = engagements.iter().rev().find(|e| e.bilan.is_none());
        PersonListItem {
            id: p.id,
            full_name: p.details.full_name(),
            phase: phase(p, engagements),
            accompagnateur_name: p.accompagnateur_name.clone(),
            inscription_on: p.details.inscription_on,
            current_engagement: current.map(|e| e.kind),
            next_due: current.map(|e| e.due_on),
        }
    }

    fn suivi(&self, today: NaiveDate) -> Vec<SuiviLine> {
        self.persons
            .iter()
            .filter_map(|p| {
                let found = lapses_of(
                    p,
                    self.engagements(p.id),
                    self.actions(p.id).len(),
                    self.delay_days,
                    today,
                );
                (!found.is_empty()).then(|| SuiviLine {
                    person_id: p.id,
                    full_name: p.details.full_name(),
                    accompagnateur_id: p.details.accompagnateur_id,
                    accompagnateur_name: p.accompagnateur_name.clone(),
                    lapses: found,
                })
            })
            .collect()
    }
}

pub(crate) fn phase(p: &PersonRow, engagements: &[EngagementView]) -> Phase {
    Phase::of(
        p.details.inscription_on.is_some(),
        engagements.len(),
        p.exit.is_some(),
    )
}

fn lapses_of(
    p: &PersonRow,
    engagements: &[EngagementView],
    actions: usize,
    delay_days: i64,
    today: NaiveDate,
) -> Vec<domain::parcours::suivi::Lapse> {
    let facts = FileFacts {
        inscription_on: p.details.inscription_on,
        exited: p.exit.is_some(),
        engagements: db::parcours::facts(&engagements.iter().collect::<Vec<_>>()),
        actions,
    };
    lapses(&facts, delay_days, today)
}

/// The list of the SIAE's people matching `search`, sorted, page `page`.
pub async fn list(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    search: &str,
    sort: PersonSort,
    page: usize,
) -> BackendResult<PersonList> {
    let siae = siae_for(db, by, siae_id, Action::FollowParcours).await?;
    let mut conn = db.pool.acquire().await?;
    let records = SiaeRecords::load(&mut conn, siae_id).await?;
    // A SIAE follows tens to a few hundred people: they are sorted by their derived phase
    // and échéance here rather than in SQL.
    let matching: Vec<PersonListItem> = records
        .persons
        .iter()
        .filter(|p| name_matches(&p.details.full_name(), search))
        .map(|p| records.item(p))
        .collect();
    let count = matching.len();
    let (items, page, pages) = sorted_page(matching, sort, page, PAGE_SIZE);
    Ok(PersonList {
        siae_id,
        siae_name: siae.name.clone(),
        items,
        matching: count,
        page,
        pages,
        search: search.trim().to_string(),
        sort,
        staff: holders_by_name(&mut conn, siae_id, &STAFF).await?,
        suivi: records.suivi(domain::time::today()),
        proposal_delay_days: records.delay_days,
        can_set_delay: by.may_on(Action::EditAssessment, siae.org_ref()),
    })
}

/// The suivi a minima of the SIAE the caller follows people in, for their home page.
pub async fn glance(
    db: &Db,
    by: &Identity,
    siae: &Organisation,
    today: NaiveDate,
) -> BackendResult<SuiviGlance> {
    let mut conn = db.pool.acquire().await?;
    let records = SiaeRecords::load(&mut conn, siae.id).await?;
    let all = records.suivi(today);
    Ok(SuiviGlance {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        followed: records
            .persons
            .iter()
            .filter(|p| p.details.accompagnateur_id == Some(by.account_id) && p.exit.is_none())
            .count(),
        all: all.len(),
        mine: all
            .into_iter()
            .filter(|l| l.accompagnateur_id == Some(by.account_id))
            .collect(),
    })
}

/// The person and their SIAE, if the caller follows the SIAE's people; otherwise as if the
/// person did not exist.
pub(crate) async fn in_reach(
    conn: &mut AnyConnection,
    by: &Identity,
    person_id: i64,
) -> BackendResult<(Organisation, PersonRow)> {
    let hidden = || BackendError::NotFound(format!("person {person_id}"));
    let person = db::parcours::find_person(conn, person_id).await?;
    let siae = db::organisations::find(conn, person.siae_id).await?;
    if !by.may_on(Action::FollowParcours, siae.org_ref()) {
        tracing::warn!(
            account = by.account_id,
            person = person_id,
            "a person's file out of reach"
        );
        return Err(hidden());
    }
    Ok((siae, person))
}

/// The person, locked for a change, if the caller follows the SIAE's people.
async fn for_change(
    work: &mut UnitOfWork,
    by: &Identity,
    person_id: i64,
) -> BackendResult<(Organisation, PersonRow)> {
    work.lock_row("persons", person_id).await?;
    in_reach(work, by, person_id).await
}

/// The person's fiche de suivi; the opening is recorded.
pub async fn file(db: &Db, by: &Identity, person_id: i64) -> BackendResult<PersonFile> {
    let mut conn = db.pool.acquire().await?;
    let (siae, person) = in_reach(&mut conn, by, person_id).await?;
    db::parcours::add_read(&mut conn, person_id, by.account_id, "fiche de suivi").await?;
    let engagements = db::parcours::engagements_of(&mut conn, person_id).await?;
    let actions = db::parcours::actions_of(&mut conn, person_id).await?;
    let delay = db::parcours::proposal_delay(&mut conn, siae.id).await?;
    let reads = if by.may_on(Action::ViewFileReads, siae.org_ref()) {
        Some(db::parcours::reads_of(&mut conn, person_id).await?)
    } else {
        None
    };
    Ok(PersonFile {
        id: person.id,
        siae_id: siae.id,
        siae_name: siae.name,
        phase: phase(&person, &engagements),
        lapses: lapses_of(
            &person,
            &engagements,
            actions.len(),
            delay,
            domain::time::today(),
        ),
        staff: holders_by_name(&mut conn, person.siae_id, &STAFF).await?,
        details: person.details,
        accompagnateur_name: person.accompagnateur_name,
        exit: person.exit,
        engagements,
        actions,
        reads,
    })
}

/// An accompagnateur chosen in a form must be one of the SIAE's staff.
async fn check_staff(
    conn: &mut AnyConnection,
    siae_id: i64,
    chosen: Option<i64>,
) -> BackendResult<()> {
    if let Some(id) = chosen {
        if !holders_by_name(conn, siae_id, &STAFF)
            .await?
            .iter()
            .any(|(s, _)| *s == id)
        {
            return Err(FieldErrors::on(
                "accompagnateur_id",
                "Choisissez une personne de l'équipe de la structure.",
            )
            .into());
        }
    }
    Ok(())
}

fn event(siae: &Organisation, person_id: i64, change: ParcoursChange) -> AuditEvent {
    AuditEvent::Parcours {
        siae_id: siae.id,
        siae_name: siae.name.clone(),
        person_id,
        change,
    }
}

/// Records a person's first contact (and whatever else is known): their file opens.
pub async fn register(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    draft: &PersonDraft,
) -> BackendResult<i64> {
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::FollowParcours).await?;
    let details = draft.check(domain::time::today())?;
    check_staff(&mut work, siae_id, details.accompagnateur_id).await?;
    let id = db::parcours::insert_person(&mut work, siae_id, &details).await?;
    work.commit(event(&siae, id, ParcoursChange::Registered))
        .await?;
    Ok(id)
}

/// Changes a person's file (identity, dates, request, accompagnateur).
pub async fn update(
    db: &Db,
    by: &Identity,
    person_id: i64,
    draft: &PersonDraft,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, person) = for_change(&mut work, by, person_id).await?;
    let details = draft.check(domain::time::today())?;
    check_staff(&mut work, siae.id, details.accompagnateur_id).await?;
    let fields = details.changed_fields(&person.details);
    if fields.is_empty() {
        return Ok(());
    }
    db::parcours::update_person(&mut work, person_id, &details).await?;
    work.commit(event(&siae, person_id, ParcoursChange::Updated { fields }))
        .await
}

/// Concludes an engagement réciproque with the person; `follows`: the engagement whose bilan
/// planned this one.
pub async fn add_engagement(
    db: &Db,
    by: &Identity,
    person_id: i64,
    draft: &EngagementDraft,
    follows: Option<i64>,
) -> BackendResult<i64> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, person) = for_change(&mut work, by, person_id).await?;
    let new = draft.check(domain::time::today())?;
    if person.exit.is_some() {
        return Err(FieldErrors::form("La personne est sortie : son parcours est clos.").into());
    }
    if person
        .details
        .inscription_on
        .is_none_or(|on| new.signed_on < on)
    {
        return Err(FieldErrors::on(
            "signed_on",
            "Un engagement suit l'inscription de la personne : enregistrez d'abord sa date d'inscription, puis un engagement à partir de cette date.",
        )
        .into());
    }
    check_staff(&mut work, siae.id, new.accompagnateur_id).await?;
    let engagements = db::parcours::engagements_of(&mut work, person_id).await?;
    let follows = match follows {
        None => None,
        Some(id) => Some(
            engagements
                .iter()
                .find(|e| e.id == id && e.bilan.as_ref().is_some_and(|b| b.follow_up))
                .map(|e| e.id)
                .ok_or_else(|| {
                    FieldErrors::form("Cet engagement n'a pas de suite prévue à son bilan.")
                })?,
        ),
    };
    let id =
        db::parcours::insert_engagement(&mut work, person_id, &new, follows, by.account_id).await?;
    work.commit(event(
        &siae,
        person_id,
        ParcoursChange::Engagement { kind: new.kind },
    ))
    .await?;
    Ok(id)
}

/// Writes the bilan of an engagement (once).
pub async fn write_bilan(
    db: &Db,
    by: &Identity,
    person_id: i64,
    engagement_id: i64,
    draft: &BilanDraft,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, _) = for_change(&mut work, by, person_id).await?;
    let (owner, engagement) = db::parcours::find_engagement(&mut work, engagement_id).await?;
    if owner != person_id {
        return Err(BackendError::NotFound(format!(
            "engagement {engagement_id} of {person_id}"
        )));
    }
    if engagement.bilan.is_some() {
        return Err(FieldErrors::form("Le bilan de cet engagement est déjà écrit.").into());
    }
    let bilan = draft.check(engagement.signed_on, domain::time::today())?;
    db::parcours::set_bilan(&mut work, engagement_id, &bilan).await?;
    work.commit(event(
        &siae,
        person_id,
        ParcoursChange::Bilan {
            kind: engagement.kind,
        },
    ))
    .await
}

/// Records an action of the fiche de suivi.
pub async fn add_action(
    db: &Db,
    by: &Identity,
    person_id: i64,
    draft: &ActionDraft,
) -> BackendResult<i64> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, _) = for_change(&mut work, by, person_id).await?;
    let engagements: Vec<i64> = db::parcours::engagements_of(&mut work, person_id)
        .await?
        .iter()
        .map(|e| e.id)
        .collect();
    let new = draft.check(&engagements, domain::time::today())?;
    let id = db::parcours::insert_action(&mut work, person_id, &new, by.account_id).await?;
    work.commit(event(
        &siae,
        person_id,
        ParcoursChange::Action { kind: new.kind },
    ))
    .await?;
    Ok(id)
}

/// Moves an action to « à proposer », « en cours » or « réalisée ».
pub async fn set_action_status(
    db: &Db,
    by: &Identity,
    person_id: i64,
    action_id: i64,
    status: &str,
) -> BackendResult<()> {
    let status = status
        .parse::<ActionStatus>()
        .map_err(|_| FieldErrors::on("status", "Indiquez où en est l'action."))?;
    let mut work = db.unit_of_work(by).await?;
    let (siae, _) = for_change(&mut work, by, person_id).await?;
    let (owner, action) = db::parcours::find_action(&mut work, action_id).await?;
    if owner != person_id {
        return Err(BackendError::NotFound(format!(
            "action {action_id} of {person_id}"
        )));
    }
    if action.status == status {
        return Ok(());
    }
    db::parcours::set_action_status(&mut work, action_id, status).await?;
    work.commit(event(
        &siae,
        person_id,
        ParcoursChange::ActionStatus { status },
    ))
    .await
}

/// Records the person's exit.
pub async fn record_exit(
    db: &Db,
    by: &Identity,
    person_id: i64,
    draft: &ExitDraft,
) -> BackendResult<()> {
    let mut work = db.unit_of_work(by).await?;
    let (siae, person) = for_change(&mut work, by, person_id).await?;
    if person.exit.is_some() {
        return Err(FieldErrors::form("La sortie de cette personne est déjà enregistrée.").into());
    }
    let (on, kind) = draft.check(person.details.pre_accueil_on, domain::time::today())?;
    db::parcours::set_exit(&mut work, person_id, on, kind).await?;
    work.commit(event(&siae, person_id, ParcoursChange::Exit { kind }))
        .await
}

/// The SIAE sets its delay for a first proposal after an inscription (its référent qualité or
/// direction: it is a commitment of its quality approach).
pub async fn set_proposal_delay(
    db: &Db,
    by: &Identity,
    siae_id: i64,
    days: &str,
) -> BackendResult<()> {
    let days = days
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=365).contains(d))
        .ok_or_else(|| {
            FieldErrors::on(
                "proposal_delay_days",
                "Indiquez un délai en jours, de 1 à 365 (par exemple 30).",
            )
        })?;
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditAssessment).await?;
    db::parcours::set_proposal_delay(&mut work, siae_id, days).await?;
    work.commit(AuditEvent::ParcoursDelaySet {
        siae_id,
        siae_name: siae.name,
        days,
    })
    .await
}

/// The tableau de synthèse des parcours: everyone in parcours, with their engagement in
/// progress (or their latest) and its actions in the three columns.
pub async fn synthesis(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<Synthesis> {
    let siae = siae_for(db, by, siae_id, Action::FollowParcours).await?;
    let mut conn = db.pool.acquire().await?;
    let records = SiaeRecords::load(&mut conn, siae_id).await?;
    let lines = records
        .persons
        .iter()
        .filter(|p| phase(p, records.engagements(p.id)) == Phase::EnParcours)
        .map(|p| {
            let engagements = records.engagements(p.id);
            let engagement = engagements
                .iter()
                .rev()
                .find(|e| e.bilan.is_none())
                .or(engagements.last())
                .cloned();
            let of = |status: ActionStatus| {
                records
                    .actions(p.id)
                    .iter()
                    .filter(|a| {
                        a.status == status
                            && (engagement.is_none()
                                || a.engagement_id == engagement.as_ref().map(|e| e.id))
                    })
                    .map(|a| a.label.clone())
                    .collect()
            };
            SynthesisLine {
                person_id: p.id,
                full_name: p.details.full_name(),
                to_propose: of(ActionStatus::AProposer),
                in_progress: of(ActionStatus::EnCours),
                done: of(ActionStatus::Realisee),
                engagement,
            }
        })
        .collect();
    Ok(Synthesis {
        siae_id,
        siae_name: siae.name,
        lines,
    })
}
