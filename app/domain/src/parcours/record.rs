//! What the staff record of a parcours: the engagement réciproque (fiche outil n°19, the
//! convention) and its bilan, and the actions of the fiche individuelle de suivi (exemple
//! n°4), followed as « à proposer / en cours / réalisée » in the tableau de synthèse
//! (exemple n°5).

use super::engagement::EngagementKind;
use super::{any_date, chosen_account, coded, past_date, text, MAX_TEXT_CHARS};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded! {
    /// Fiche outil n°19: « oral ou écrit ; l'écrit peut être signé des deux parties et remis
    /// à la personne ».
    pub enum ContractForm {
        Ecrit => "ecrit", "Écrit",
        Oral => "oral", "Oral (une trace écrite reste au dossier)",
    }
}

/// An engagement réciproque as typed in its form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EngagementDraft {
    pub kind: String,
    pub signed_on: String,
    pub accompagnateur_id: String,
    pub needs: String,
    pub object: String,
    pub means_structure: String,
    pub means_person: String,
    pub due_on: String,
    pub form: String,
    /// Checkboxes: `"on"` when ticked.
    pub signed: String,
    pub handed: String,
}

/// An engagement réciproque, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEngagement {
    pub kind: EngagementKind,
    /// The day it was agreed.
    pub signed_on: NaiveDate,
    pub accompagnateur_id: Option<i64>,
    /// « Le(s) besoin(s) et/ou projet(s) exprimé(s) par le salarié ».
    pub needs: String,
    /// « L'objet de contractualisation ».
    pub object: String,
    /// « Les moyens mobilisés », by the structure and by the person.
    pub means_structure: String,
    pub means_person: String,
    /// « L'échéance que l'on se donne pour réaliser l'action ».
    pub due_on: NaiveDate,
    pub form: ContractForm,
    pub signed: bool,
    pub handed: bool,
}

impl EngagementDraft {
    pub fn check(&self, today: NaiveDate) -> Result<NewEngagement, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = EngagementKind::from_code(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Choisissez l'engagement.");
        }
        let signed_on = past_date(&mut errors, "signed_on", &self.signed_on, true, today);
        let accompagnateur_id =
            chosen_account(&mut errors, "accompagnateur_id", &self.accompagnateur_id);
        let needs = text(&mut errors, "needs", &self.needs, MAX_TEXT_CHARS, None);
        let object = text(
            &mut errors,
            "object",
            &self.object,
            MAX_TEXT_CHARS,
            Some("Indiquez l'objet de la contractualisation : l'étape précise sur laquelle on s'engage."),
        );
        let means_structure = text(
            &mut errors,
            "means_structure",
            &self.means_structure,
            MAX_TEXT_CHARS,
            Some("Indiquez les moyens sur lesquels la structure s'engage."),
        );
        let means_person = text(
            &mut errors,
            "means_person",
            &self.means_person,
            MAX_TEXT_CHARS,
            Some("Indiquez les moyens sur lesquels la personne s'engage."),
        );
        let due_on = any_date(&mut errors, "due_on", &self.due_on);
        if self.due_on.trim().is_empty() {
            errors.add("due_on", "Indiquez l'échéance que l'on se donne.");
        }
        if let (Some(start), Some(due)) = (signed_on, due_on) {
            if due <= start {
                errors.add("due_on", "L'échéance suit la date de l'engagement.");
            }
        }
        let form = self.form.parse::<ContractForm>().ok();
        if form.is_none() {
            errors.add("form", "Indiquez si l'engagement est écrit ou oral.");
        }
        let signed = self.signed == "on";
        let handed = self.handed == "on";
        if form == Some(ContractForm::Oral) && (signed || handed) {
            errors.add(
                "form",
                "Un engagement oral n'est ni signé ni remis : choisissez « Écrit ».",
            );
        }
        match (kind, signed_on, due_on, form) {
            (Some(kind), Some(signed_on), Some(due_on), Some(form)) if errors.is_empty() => {
                Ok(NewEngagement {
                    kind,
                    signed_on,
                    accompagnateur_id,
                    needs,
                    object,
                    means_structure,
                    means_person,
                    due_on,
                    form,
                    signed,
                    handed,
                })
            }
            _ => Err(errors),
        }
    }
}

coded! {
    /// « Les actions envisagées ont-elles été réalisées ? »
    pub enum Achievement {
        Totalement => "totalement", "Oui, totalement",
        EnPartie => "en_partie", "Oui, en partie",
        Non => "non", "Non",
    }
}

/// The bilan of an engagement as typed in its form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct BilanDraft {
    pub held_on: String,
    pub achieved: String,
    /// `"oui"` or `"non"`: « Des suites sont-elles envisagées ? »
    pub follow_up: String,
    pub comments: String,
}

/// The bilan of an engagement (« Évaluation / bilan »).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilan {
    pub held_on: NaiveDate,
    pub achieved: Achievement,
    /// When yes, a new engagement starts from this one, needs and project carried over.
    pub follow_up: bool,
    pub comments: String,
}

impl BilanDraft {
    pub fn check(&self, signed_on: NaiveDate, today: NaiveDate) -> Result<Bilan, FieldErrors> {
        let mut errors = FieldErrors::new();
        let held_on = past_date(&mut errors, "held_on", &self.held_on, true, today);
        if held_on.is_some_and(|on| on < signed_on) {
            errors.add("held_on", "Le bilan ne peut précéder l'engagement.");
        }
        let achieved = self.achieved.parse::<Achievement>().ok();
        if achieved.is_none() {
            errors.add(
                "achieved",
                "Indiquez si les actions envisagées ont été réalisées.",
            );
        }
        let follow_up = match self.follow_up.as_str() {
            "oui" => Some(true),
            "non" => Some(false),
            _ => {
                errors.add("follow_up", "Indiquez si des suites sont envisagées.");
                None
            }
        };
        let comments = text(
            &mut errors,
            "comments",
            &self.comments,
            MAX_TEXT_CHARS,
            None,
        );
        match (held_on, achieved, follow_up) {
            (Some(held_on), Some(achieved), Some(follow_up)) if errors.is_empty() => Ok(Bilan {
                held_on,
                achieved,
                follow_up,
                comments,
            }),
            _ => Err(errors),
        }
    }
}

coded! {
    /// What an action of the fiche de suivi is (exemple n°4).
    pub enum ActionKind {
        EntretienIndividuel => "entretien", "Entretien individuel",
        Telephone => "telephone", "Appel téléphonique",
        /// A work placement: mise à disposition (AI) or mise en situation de travail.
        MiseEnSituation => "mets", "Mise à disposition / mise en situation de travail (METS)",
        Formation => "formation", "Formation",
        Atelier => "atelier", "Atelier collectif",
        AideAdministrative => "aide_administrative", "Aide administrative",
        ContactPartenaire => "partenaire", "Contact avec un partenaire",
        Autre => "autre", "Autre action",
    }
}

coded! {
    /// The tableau de synthèse's three columns (exemple n°5).
    pub enum ActionStatus {
        AProposer => "a_proposer", "À proposer",
        EnCours => "en_cours", "En cours",
        Realisee => "realisee", "Réalisée",
    }
}

/// An action as typed in its form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionDraft {
    pub on: String,
    pub kind: String,
    pub label: String,
    pub objective: String,
    pub engagement_id: String,
    pub due_on: String,
    pub status: String,
    pub decisions: String,
    pub minutes: String,
    pub client: String,
    pub rome_code: String,
    pub hours: String,
}

/// A work placement's particulars.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub client: String,
    /// The job's code in the ROME (a letter and four digits, e.g. N1103).
    pub rome_code: String,
    /// Hours worked, in minutes.
    pub minutes: i64,
}

/// An action, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAction {
    pub on: NaiveDate,
    pub kind: ActionKind,
    /// « Actions proposées »: what is proposed or done.
    pub label: String,
    /// « Objectifs poursuivis ».
    pub objective: String,
    pub engagement_id: Option<i64>,
    /// « Échéance / délai ».
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    /// « Suites données, décisions prises ».
    pub decisions: String,
    /// « Temps consacré », in minutes.
    pub minutes: i64,
    pub placement: Option<Placement>,
}

/// A duration typed as minutes (« 45 ») — at most a working day and a half.
fn minutes(errors: &mut FieldErrors, field: &str, value: &str) -> i64 {
    let value = value.trim();
    if value.is_empty() {
        return 0;
    }
    match value.parse::<i64>() {
        Ok(m) if (0..=720).contains(&m) => m,
        _ => {
            errors.add(
                field,
                "Indiquez le temps consacré en minutes, par exemple 45.",
            );
            0
        }
    }
}

/// Hours typed as « 5 », « 7,5 » or « 7.5 », in minutes; a placement lasts at most 1 000 hours.
fn hours(value: &str) -> Option<i64> {
    let value = value.trim().replace(',', ".");
    let hours = value
        .parse::<f64>()
        .ok()
        .filter(|h| *h > 0.0 && *h <= 1000.0)?;
    Some((hours * 60.0).round() as i64)
}

fn is_rome_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && code.len() == 5
        && chars.all(|c| c.is_ascii_digit())
}

impl ActionDraft {
    /// `engagements`: the ids of the person's engagements, the only ones an action may serve.
    pub fn check(&self, engagements: &[i64], today: NaiveDate) -> Result<NewAction, FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = past_date(&mut errors, "on", &self.on, true, today);
        let kind = self.kind.parse::<ActionKind>().ok();
        if kind.is_none() {
            errors.add("kind", "Choisissez le type d'action.");
        }
        let label = text(
            &mut errors,
            "label",
            &self.label,
            MAX_TEXT_CHARS,
            Some("Indiquez l'action proposée."),
        );
        let objective = text(
            &mut errors,
            "objective",
            &self.objective,
            MAX_TEXT_CHARS,
            None,
        );
        let engagement_id = match self.engagement_id.trim() {
            "" => None,
            id => match id.parse::<i64>().ok().filter(|id| engagements.contains(id)) {
                Some(id) => Some(id),
                None => {
                    errors.add(
                        "engagement_id",
                        "Choisissez un engagement de la personne, ou aucun.",
                    );
                    None
                }
            },
        };
        let due_on = any_date(&mut errors, "due_on", &self.due_on);
        if let (Some(on), Some(due)) = (on, due_on) {
            if due < on {
                errors.add("due_on", "L'échéance ne peut précéder l'action.");
            }
        }
        let status = self.status.parse::<ActionStatus>().ok();
        if status.is_none() {
            errors.add("status", "Indiquez où en est l'action.");
        }
        let decisions = text(
            &mut errors,
            "decisions",
            &self.decisions,
            MAX_TEXT_CHARS,
            None,
        );
        let minutes = minutes(&mut errors, "minutes", &self.minutes);
        let placement = if kind == Some(ActionKind::MiseEnSituation) {
            let client = text(
                &mut errors,
                "client",
                &self.client,
                200,
                Some("Indiquez le client (l'utilisateur de la mise à disposition)."),
            );
            let rome_code = self.rome_code.trim().to_uppercase();
            if !is_rome_code(&rome_code) {
                errors.add(
                    "rome_code",
                    "Indiquez le code ROME du métier : une lettre et quatre chiffres, par exemple N1103.",
                );
            }
            let worked = hours(&self.hours);
            if worked.is_none() {
                errors.add(
                    "hours",
                    "Indiquez les heures de travail, par exemple 5 ou 7,5.",
                );
            }
            worked.map(|minutes| Placement {
                client,
                rome_code,
                minutes,
            })
        } else {
            None
        };
        match (on, kind, status) {
            (Some(on), Some(kind), Some(status)) if errors.is_empty() => Ok(NewAction {
                on,
                kind,
                label,
                objective,
                engagement_id,
                due_on,
                status,
                decisions,
                minutes,
                placement,
            }),
            _ => Err(errors),
        }
    }
}

/// « 45 min », « 1 h 30 », « 5 h ».
pub fn duration_text(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn engagement() -> EngagementDraft {
        EngagementDraft {
            kind: "coup_de_pouce".into(),
            signed_on: "2026-04-18".into(),
            needs: "Trouver du travail rapidement".into(),
            object: "Des missions de manutention ou de peinture".into(),
            means_structure: "Rechercher des MAD ; contact avec le partenaire budget".into(),
            means_person: "Être joignable ; venir à l'entretien".into(),
            due_on: "2026-05-02".into(),
            form: "ecrit".into(),
            signed: "on".into(),
            handed: "on".into(),
            ..Default::default()
        }
    }

    #[test]
    fn an_engagement_has_an_object_means_and_a_later_echeance() {
        let today = day("2026-04-20");
        let checked = engagement().check(today).unwrap();
        assert_eq!(checked.kind, EngagementKind::CoupDePouce);
        assert_eq!(checked.due_on, day("2026-05-02"));
        assert!(checked.signed && checked.handed);

        let empty = EngagementDraft {
            object: " ".into(),
            means_person: String::new(),
            due_on: "2026-04-10".into(),
            ..engagement()
        };
        let errors = empty.check(today).unwrap_err();
        assert!(errors.message_for("object").is_some());
        assert_eq!(
            errors.message_for("means_person").as_deref(),
            Some("Indiquez les moyens sur lesquels la personne s'engage.")
        );
        assert_eq!(
            errors.message_for("due_on").as_deref(),
            Some("L'échéance suit la date de l'engagement.")
        );
    }

    #[test]
    fn an_oral_engagement_is_neither_signed_nor_handed() {
        let oral = EngagementDraft {
            form: "oral".into(),
            ..engagement()
        };
        assert_eq!(
            oral.check(day("2026-04-20"))
                .unwrap_err()
                .message_for("form")
                .as_deref(),
            Some("Un engagement oral n'est ni signé ni remis : choisissez « Écrit ».")
        );
        let oral_unsigned = EngagementDraft {
            form: "oral".into(),
            signed: String::new(),
            handed: String::new(),
            ..engagement()
        };
        assert_eq!(
            oral_unsigned.check(day("2026-04-20")).unwrap().form,
            ContractForm::Oral
        );
    }

    #[test]
    fn a_bilan_answers_the_conventions_two_questions() {
        let draft = BilanDraft {
            held_on: "2026-05-02".into(),
            achieved: "en_partie".into(),
            follow_up: "oui".into(),
            comments: "Deux missions réalisées".into(),
        };
        let bilan = draft.check(day("2026-04-18"), day("2026-05-03")).unwrap();
        assert_eq!(bilan.achieved, Achievement::EnPartie);
        assert!(bilan.follow_up);
        let unanswered = BilanDraft {
            held_on: "2026-04-01".into(),
            ..Default::default()
        };
        let errors = unanswered
            .check(day("2026-04-18"), day("2026-05-03"))
            .unwrap_err();
        assert_eq!(
            errors.message_for("held_on").as_deref(),
            Some("Le bilan ne peut précéder l'engagement.")
        );
        assert!(errors.message_for("achieved").is_some());
        assert!(errors.message_for("follow_up").is_some());
    }

    #[test]
    fn a_placement_names_its_client_rome_code_and_hours() {
        let today = day("2026-04-24");
        let draft = ActionDraft {
            on: "2026-04-20".into(),
            kind: "mets".into(),
            label: "MAD manutention".into(),
            engagement_id: "7".into(),
            status: "realisee".into(),
            minutes: "15".into(),
            client: "Entreprise Durand".into(),
            rome_code: "n1105".into(),
            hours: "7,5".into(),
            ..Default::default()
        };
        let action = draft.check(&[7], today).unwrap();
        assert_eq!(
            action.placement,
            Some(Placement {
                client: "Entreprise Durand".into(),
                rome_code: "N1105".into(),
                minutes: 450
            })
        );
        assert_eq!(action.engagement_id, Some(7));

        let bad = ActionDraft {
            rome_code: "manutention".into(),
            hours: "0".into(),
            engagement_id: "8".into(),
            minutes: "beaucoup".into(),
            ..draft
        };
        let errors = bad.check(&[7], today).unwrap_err();
        for field in ["rome_code", "hours", "engagement_id", "minutes"] {
            assert!(errors.message_for(field).is_some(), "{field}");
        }
    }

    #[test]
    fn an_interview_needs_no_placement() {
        let draft = ActionDraft {
            on: "2026-04-18".into(),
            kind: "entretien".into(),
            label: "Entretien individuel".into(),
            status: "a_proposer".into(),
            minutes: "45".into(),
            client: "ignored".into(),
            ..Default::default()
        };
        let action = draft.check(&[], day("2026-04-18")).unwrap();
        assert_eq!(action.placement, None);
        assert_eq!(action.status, ActionStatus::AProposer);
        assert_eq!(duration_text(action.minutes), "45 min");
        assert_eq!(duration_text(90), "1 h 30");
        assert_eq!(duration_text(300), "5 h");
    }
}
