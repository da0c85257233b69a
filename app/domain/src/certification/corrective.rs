//! Corrective actions (seed « B », steps 5 and 7): the SIAE answers each non-conformity of its
//! audit and the committee's conditions with actions — what will be done, by whom, by when,
//! the root cause —, declares each done with its evidence, and the auditor of the audit or the
//! federation checks its efficacy before it is closed. A non-conformity is lifted only when all
//! its actions were found effective; so are the conditions.
//!
//! An audit blanc's findings stay the SIAE's own: it turns them into its plan in one step
//! ([`AdoptionDraft`]), non-conformities and pistes de progrès alike, with its own deadlines,
//! and checks the efficacy of its actions itself ([`Verifier::Structure`]).

use super::audit::FindingKind;
use super::demande::DemandeKind;
use super::programme::ProgrammeRules;
use crate::policy::Action;
use crate::validation::FieldErrors;
use crate::workflow::{Machine, Refusal};
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const MAX_TEXT_CHARS: usize = 4_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ActionState {
    /// Planned, being carried out.
    Ouverte,
    /// Declared done by the SIAE, with its evidence; its efficacy is to be checked.
    Realisee,
    /// Found effective by the auditor or the federation: closed.
    Efficace,
}

impl ActionState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ouverte => "ouverte",
            Self::Realisee => "realisee",
            Self::Efficace => "efficace",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ouverte => "En cours",
            Self::Realisee => "Réalisée, efficacité à vérifier",
            Self::Efficace => "Efficace : close",
        }
    }
}

impl std::str::FromStr for ActionState {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        [Self::Ouverte, Self::Realisee, Self::Efficace]
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| format!("unknown corrective action state {code}"))
    }
}

/// Who checks an action's efficacy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verifier {
    /// The auditor of the audit that found the non-conformity.
    Auditor,
    /// The federation's responsable qualité.
    Federation,
    /// The SIAE's référent qualité or direction, for the plan drawn from its audit blanc —
    /// never the action's own owner ([`check_by_another`]).
    Structure,
}

/// On the plan of an audit blanc, nobody checks an action they own: another of the SIAE's
/// référent qualité or direction does.
pub fn check_by_another(by: Verifier, owner_id: i64, account_id: i64) -> Result<(), Refusal> {
    if by == Verifier::Structure && owner_id == account_id {
        Err(Refusal::invalid(
            "",
            "Vous êtes responsable de cette action : son efficacité est vérifiée par une autre personne de la direction ou le référent qualité.",
        ))
    } else {
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionEvent {
    /// The SIAE declares the action done, with the evidence of it.
    Declare { evidence: String },
    /// The auditor or the federation checked the action: effective (closed) or not (back to
    /// the SIAE, saying why).
    Verify {
        by: Verifier,
        effective: bool,
        comment: String,
    },
}

pub struct CorrectiveLifecycle;

impl Machine for CorrectiveLifecycle {
    type State = ActionState;
    type Event = ActionEvent;

    fn required_action(event: &ActionEvent) -> Action {
        match event {
            ActionEvent::Declare { .. } => Action::EditDemande,
            // The auditor's right comes from the audit assigned to them (checked by the use
            // case, on `Global`); the federation's from steering the SIAE's cycle.
            ActionEvent::Verify {
                by: Verifier::Auditor,
                ..
            } => Action::ConductAudit,
            ActionEvent::Verify {
                by: Verifier::Federation,
                ..
            } => Action::AssignAuditor,
            ActionEvent::Verify {
                by: Verifier::Structure,
                ..
            } => Action::EditDemande,
        }
    }

    fn next(state: &ActionState, event: &ActionEvent) -> Result<ActionState, Refusal> {
        use ActionState::*;
        match (state, event) {
            (Ouverte, ActionEvent::Declare { evidence }) => {
                if evidence.trim().is_empty() {
                    Err(Refusal::invalid(
                        "evidence",
                        "Indiquez la preuve de réalisation : ce qui montre que l'action est faite.",
                    ))
                } else {
                    Ok(Realisee)
                }
            }
            (
                Realisee,
                ActionEvent::Verify {
                    effective: true, ..
                },
            ) => Ok(Efficace),
            (
                Realisee,
                ActionEvent::Verify {
                    effective: false,
                    comment,
                    ..
                },
            ) => {
                if comment.trim().is_empty() {
                    Err(Refusal::invalid(
                        "comment",
                        "Dites pourquoi l'action n'est pas efficace : la structure la reprend.",
                    ))
                } else {
                    Ok(Ouverte)
                }
            }
            (_, ActionEvent::Declare { .. }) => Err(Refusal::invalid(
                "",
                "Cette action n'est pas en cours : elle ne peut être déclarée réalisée.",
            )),
            (_, ActionEvent::Verify { .. }) => Err(Refusal::invalid(
                "",
                "Seule une action déclarée réalisée peut être vérifiée.",
            )),
        }
    }
}

/// The latest deadline allowed for the actions answering a finding of `kind` reported on
/// `reported_on`: the programme's delay for a non-conformity; none for other findings.
pub fn latest_due(
    kind: FindingKind,
    reported_on: NaiveDate,
    rules: &ProgrammeRules,
) -> Option<NaiveDate> {
    let months = match kind {
        FindingKind::NonConformiteMajeure => rules.major_nc_months,
        FindingKind::NonConformiteMineure => rules.minor_nc_months,
        FindingKind::PointFort | FindingKind::PisteDeProgres => return None,
    };
    reported_on.checked_add_months(Months::new(months))
}

/// Whether a finding of `kind` in an audit of `audit` is answered by the plan: the
/// non-conformities of a certification audit; of an audit blanc, its pistes de progrès too,
/// which the SIAE takes up as its own.
pub fn calls_for_action(audit: DemandeKind, kind: FindingKind) -> bool {
    match kind {
        FindingKind::NonConformiteMineure | FindingKind::NonConformiteMajeure => true,
        FindingKind::PisteDeProgres => audit == DemandeKind::AuditBlanc,
        FindingKind::PointFort => false,
    }
}

/// The deadline proposed for an action of the plan drawn from an audit blanc: what the
/// programme would allow after a certification audit, the longer delay for a piste de progrès,
/// and never before `today`.
pub fn proposed_due(
    kind: FindingKind,
    reported_on: NaiveDate,
    rules: &ProgrammeRules,
    today: NaiveDate,
) -> NaiveDate {
    let longest = rules.major_nc_months.max(rules.minor_nc_months);
    latest_due(kind, reported_on, rules)
        .or_else(|| reported_on.checked_add_months(Months::new(longest)))
        .unwrap_or(reported_on)
        .max(today)
}

/// Whether a non-conformity (or the conditions) whose actions are in `states` can be lifted.
pub fn can_lift(states: &[ActionState]) -> Result<(), Refusal> {
    if states.is_empty() {
        return Err(Refusal::invalid(
            "",
            "Aucune action corrective n'y répond : rien ne peut encore être levé.",
        ));
    }
    if states.iter().any(|s| *s != ActionState::Efficace) {
        return Err(Refusal::invalid(
            "",
            "Une action corrective n'est pas encore close (efficacité vérifiée) : rien ne peut être levé.",
        ));
    }
    Ok(())
}

/// A new action as typed by the SIAE.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionDraft {
    pub description: String,
    pub root_cause: String,
    pub owner_id: Option<i64>,
    pub due_on: String,
}

/// A checked new action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAction {
    pub description: String,
    pub root_cause: String,
    pub owner_id: i64,
    pub due_on: NaiveDate,
}

impl ActionDraft {
    /// `owners`: the accounts of the SIAE; `latest`: the deadline of what it answers.
    pub fn check(
        &self,
        owners: &[i64],
        latest: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<NewAction, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = |errors: &mut FieldErrors, field: &str, value: &str, what: &str| {
            let value = value.trim();
            if value.is_empty() {
                errors.add(field, format!("{what} est obligatoire."));
            } else if value.chars().count() > MAX_TEXT_CHARS {
                errors.add(
                    field,
                    format!("{what} dépasse {MAX_TEXT_CHARS} caractères."),
                );
            }
            value.to_string()
        };
        let description = text(&mut errors, "description", &self.description, "L'action");
        let root_cause = text(&mut errors, "root_cause", &self.root_cause, "La cause");
        let owner_id = match self.owner_id.filter(|id| owners.contains(id)) {
            Some(id) => id,
            None => {
                errors.add(
                    "owner_id",
                    "Choisissez le responsable parmi les comptes de la structure.",
                );
                0
            }
        };
        let due_on = match NaiveDate::parse_from_str(self.due_on.trim(), "%Y-%m-%d") {
            Ok(day) if day < today => {
                errors.add("due_on", "L'échéance ne peut être passée.");
                day
            }
            Ok(day) if latest.is_some_and(|latest| day > latest) => {
                errors.add(
                    "due_on",
                    format!(
                        "L'échéance ne peut dépasser le {}, délai fixé par le programme.",
                        crate::time::display_date(latest.unwrap_or(day))
                    ),
                );
                day
            }
            Ok(day) => day,
            Err(_) => {
                errors.add("due_on", "Date invalide (jj/mm/aaaa).");
                today
            }
        };
        if errors.is_empty() {
            Ok(NewAction {
                description,
                root_cause,
                owner_id,
                due_on,
            })
        } else {
            Err(errors)
        }
    }
}

/// The plan drawn in one step from an audit blanc: for each finding that calls for action, the
/// action, its cause and its deadline, typed in `champs` as `a{id}`, `c{id}` and `e{id}` (`id`:
/// the finding's); one owner for all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdoptionDraft {
    pub owner_id: Option<i64>,
    pub champs: BTreeMap<String, String>,
}

impl AdoptionDraft {
    /// One action for each of `findings`, checked as [`ActionDraft::check`] does without a
    /// programme's limit; each message beside its finding's field, the owner's once.
    pub fn check(
        &self,
        findings: &[i64],
        owners: &[i64],
        today: NaiveDate,
    ) -> Result<Vec<(i64, NewAction)>, FieldErrors> {
        let typed = |prefix: char, id: i64| {
            self.champs
                .get(&format!("{prefix}{id}"))
                .cloned()
                .unwrap_or_default()
        };
        let mut errors = FieldErrors::new();
        if findings.is_empty() {
            errors.add(
                crate::validation::FORM,
                "L'audit blanc n'a relevé ni non-conformité ni piste de progrès : il n'y a pas d'action à prévoir.",
            );
        }
        let mut actions = Vec::new();
        for &id in findings {
            let draft = ActionDraft {
                description: typed('a', id),
                root_cause: typed('c', id),
                owner_id: self.owner_id,
                due_on: typed('e', id),
            };
            match draft.check(owners, None, today) {
                Ok(action) => actions.push((id, action)),
                Err(found) => {
                    for error in found.iter() {
                        let field = match error.field.as_str() {
                            "description" => format!("a{id}"),
                            "root_cause" => format!("c{id}"),
                            "due_on" => format!("e{id}"),
                            other => other.to_string(),
                        };
                        if errors.message_for(&field).is_none() {
                            errors.add(&field, error.message.clone());
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(actions)
        } else {
            Err(errors)
        }
    }
}

/// An efficacy check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub by_name: String,
    pub at: DateTime<Utc>,
    pub effective: bool,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectiveAction {
    pub id: i64,
    pub description: String,
    pub root_cause: String,
    pub owner_id: i64,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub state: ActionState,
    pub evidence: String,
    /// The latest check of its efficacy.
    pub check: Option<Check>,
}

impl CorrectiveAction {
    /// Its deadline passed and it is not done.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        self.state == ActionState::Ouverte && self.due_on < today
    }
}

/// What a group of actions answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answers {
    Finding {
        id: i64,
        requirement_key: String,
        kind: FindingKind,
        text: String,
    },
    /// The committee's conditions of a certification under conditions.
    Conditions { text: String },
}

/// A non-conformity, or the conditions, with the actions that answer it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub answers: Answers,
    /// The latest deadline of its actions.
    pub latest_due: Option<NaiveDate>,
    /// The deadline proposed when the plan is drawn from an audit blanc.
    pub proposed_due: Option<NaiveDate>,
    /// When it was lifted, and by whom.
    pub lifted: Option<(String, DateTime<Utc>)>,
    pub actions: Vec<CorrectiveAction>,
}

/// The action plan of a SIAE's latest audit of a kind, as its page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionPlan {
    pub siae_id: i64,
    pub siae_name: String,
    pub demande_id: i64,
    /// The audit it answers: a certification audit, or the SIAE's audit blanc.
    pub kind: DemandeKind,
    pub items: Vec<PlanItem>,
    /// Who may own an action: the SIAE's référent qualité and direction, who read the plan.
    pub owners: Vec<(i64, String)>,
    pub can_plan: bool,
    pub can_verify: bool,
    /// The plan of an audit blanc has no action yet: the SIAE may draw it in one step.
    pub can_adopt: bool,
    /// Whose actions the caller may not check (their own, on the plan of an audit blanc).
    pub not_checked_by: Option<i64>,
}

impl ActionPlan {
    /// The caller may check the efficacy of `action`.
    pub fn may_check(&self, action: &CorrectiveAction) -> bool {
        self.can_verify && self.not_checked_by != Some(action.owner_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::Machine;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_action_is_declared_done_then_found_effective_or_sent_back() {
        use ActionState::*;
        let declare = |evidence: &str| ActionEvent::Declare {
            evidence: evidence.into(),
        };
        let verify = |effective, comment: &str| ActionEvent::Verify {
            by: Verifier::Auditor,
            effective,
            comment: comment.into(),
        };
        let next = CorrectiveLifecycle::next;
        assert_eq!(
            next(&Ouverte, &declare("Procès-verbal du 3 mars")),
            Ok(Realisee)
        );
        assert_eq!(
            next(&Ouverte, &declare("  ")),
            Err(Refusal::invalid(
                "evidence",
                "Indiquez la preuve de réalisation : ce qui montre que l'action est faite."
            ))
        );
        assert_eq!(next(&Realisee, &verify(true, "")), Ok(Efficace));
        assert_eq!(
            next(&Realisee, &verify(false, "Pas appliquée")),
            Ok(Ouverte)
        );
        assert_eq!(
            next(&Realisee, &verify(false, "")),
            Err(Refusal::invalid(
                "comment",
                "Dites pourquoi l'action n'est pas efficace : la structure la reprend."
            ))
        );
        for state in [Realisee, Efficace] {
            assert!(next(&state, &declare("x")).is_err(), "{state:?}");
        }
        for state in [Ouverte, Efficace] {
            assert!(next(&state, &verify(true, "")).is_err(), "{state:?}");
        }
        assert_eq!(
            CorrectiveLifecycle::required_action(&declare("x")),
            Action::EditDemande
        );
        assert_eq!(
            CorrectiveLifecycle::required_action(&verify(true, "")),
            Action::ConductAudit
        );
        assert_eq!(
            CorrectiveLifecycle::required_action(&ActionEvent::Verify {
                by: Verifier::Federation,
                effective: true,
                comment: String::new()
            }),
            Action::AssignAuditor
        );
    }

    #[test]
    fn the_siae_checks_its_audit_blanc_plan_but_never_an_action_it_owns() {
        let verify = ActionEvent::Verify {
            by: Verifier::Structure,
            effective: true,
            comment: String::new(),
        };
        assert_eq!(
            CorrectiveLifecycle::required_action(&verify),
            Action::EditDemande
        );
        assert!(check_by_another(Verifier::Structure, 7, 7).is_err());
        assert_eq!(check_by_another(Verifier::Structure, 7, 8), Ok(()));
        assert_eq!(check_by_another(Verifier::Auditor, 7, 7), Ok(()));
        assert_eq!(check_by_another(Verifier::Federation, 7, 7), Ok(()));
    }

    #[test]
    fn an_audit_blanc_plan_takes_up_pistes_de_progres_too() {
        use DemandeKind::*;
        use FindingKind::*;
        let answered = |audit| {
            FindingKind::ALL
                .into_iter()
                .filter(|kind| calls_for_action(audit, *kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            answered(Certification),
            [NonConformiteMineure, NonConformiteMajeure]
        );
        assert_eq!(
            answered(AuditBlanc),
            [PisteDeProgres, NonConformiteMineure, NonConformiteMajeure]
        );
        let rules = ProgrammeRules::default();
        let (reported, today) = (day("2026-11-30"), day("2026-12-07"));
        assert_eq!(
            proposed_due(NonConformiteMajeure, reported, &rules, today),
            day("2027-02-28")
        );
        assert_eq!(
            proposed_due(PisteDeProgres, reported, &rules, today),
            day("2027-05-30")
        );
        assert_eq!(
            proposed_due(NonConformiteMajeure, day("2025-01-10"), &rules, today),
            today,
            "never in the past"
        );
    }

    #[test]
    fn the_plan_drawn_in_one_step_is_checked_finding_by_finding_and_whole() {
        let today = day("2026-12-01");
        let champs = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let whole = AdoptionDraft {
            owner_id: Some(7),
            champs: champs(&[
                ("a3", "Tracer chaque entretien d'accueil"),
                ("c3", "Pas de trame d'entretien"),
                ("e3", "2027-03-01"),
                ("a5", "Réunir l'équipe chaque mois"),
                ("c5", "Aucune régulation prévue"),
                ("e5", "2027-09-30"),
            ]),
        };
        let checked = whole.check(&[3, 5], &[7, 8], today).unwrap();
        assert_eq!(
            checked
                .iter()
                .map(|(id, a)| (*id, a.due_on, a.owner_id))
                .collect::<Vec<_>>(),
            [(3, day("2027-03-01"), 7), (5, day("2027-09-30"), 7)]
        );
        // Nothing of it when one field is wrong; each message beside its own field.
        let mut broken = whole.clone();
        broken.champs.insert("c5".into(), " ".into());
        broken.champs.insert("e3".into(), "2026-11-30".into());
        broken.owner_id = Some(99);
        let errors = broken.check(&[3, 5], &[7, 8], today).unwrap_err();
        assert_eq!(
            errors.message_for("c5").as_deref(),
            Some("La cause est obligatoire.")
        );
        assert_eq!(
            errors.message_for("e3").as_deref(),
            Some("L'échéance ne peut être passée.")
        );
        assert_eq!(
            errors.message_for("owner_id").as_deref(),
            Some("Choisissez le responsable parmi les comptes de la structure."),
            "once, not once per finding"
        );
        assert_eq!(errors.len(), 3);
        assert!(AdoptionDraft::default().check(&[], &[7], today).is_err());
    }

    #[test]
    fn nothing_is_lifted_while_an_action_is_not_closed() {
        use ActionState::*;
        assert!(can_lift(&[]).is_err());
        assert!(can_lift(&[Efficace, Realisee]).is_err());
        assert!(can_lift(&[Efficace, Ouverte]).is_err());
        assert_eq!(can_lift(&[Efficace, Efficace]), Ok(()));
    }

    #[test]
    fn the_programme_sets_how_long_a_non_conformity_may_stay() {
        let rules = ProgrammeRules::default();
        let reported = day("2026-11-30");
        assert_eq!(
            latest_due(FindingKind::NonConformiteMajeure, reported, &rules),
            Some(day("2027-02-28"))
        );
        assert_eq!(
            latest_due(FindingKind::NonConformiteMineure, reported, &rules),
            Some(day("2027-05-30"))
        );
        assert_eq!(
            latest_due(FindingKind::PisteDeProgres, reported, &rules),
            None
        );
        assert_eq!(latest_due(FindingKind::PointFort, reported, &rules), None);
    }

    #[test]
    fn a_new_action_has_an_owner_of_the_siae_and_a_deadline_within_the_delay() {
        let today = day("2026-12-01");
        let latest = Some(day("2027-02-28"));
        let draft = ActionDraft {
            description: "Réécrire la procédure d'accueil".into(),
            root_cause: "Procédure jamais mise à jour depuis 2019".into(),
            owner_id: Some(7),
            due_on: "2027-02-15".into(),
        };
        assert_eq!(
            draft.check(&[7, 8], latest, today),
            Ok(NewAction {
                description: "Réécrire la procédure d'accueil".into(),
                root_cause: "Procédure jamais mise à jour depuis 2019".into(),
                owner_id: 7,
                due_on: day("2027-02-15"),
            })
        );
        let late = ActionDraft {
            due_on: "2027-03-01".into(),
            owner_id: Some(99),
            root_cause: " ".into(),
            ..draft.clone()
        };
        let errors = late.check(&[7, 8], latest, today).unwrap_err();
        assert_eq!(
            errors.message_for("due_on").as_deref(),
            Some("L'échéance ne peut dépasser le 28/02/2027, délai fixé par le programme.")
        );
        assert_eq!(
            errors.message_for("owner_id").as_deref(),
            Some("Choisissez le responsable parmi les comptes de la structure.")
        );
        assert_eq!(
            errors.message_for("root_cause").as_deref(),
            Some("La cause est obligatoire.")
        );
        let past = ActionDraft {
            due_on: "2026-11-30".into(),
            ..draft
        };
        assert_eq!(
            past.check(&[7], None, today)
                .unwrap_err()
                .message_for("due_on")
                .as_deref(),
            Some("L'échéance ne peut être passée.")
        );
    }
}
