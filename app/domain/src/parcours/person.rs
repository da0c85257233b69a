//! A person the SIAE supports (exemple n°4, the fiche individuelle de suivi): who they are,
//! the dates of their accueil, what they ask for, who follows them; their phase is derived
//! from the records, never typed in; their exit (sortie) is recorded for the observatoire.

use super::{chosen_account, coded, past_date, text, MAX_TEXT_CHARS};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Names and contact fields stay short.
const MAX_FIELD_CHARS: usize = 200;

/// The person's file as typed in its form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonDraft {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub pre_accueil_on: String,
    pub accueil_on: String,
    pub inscription_on: String,
    pub request: String,
    pub accompagnateur_id: String,
}

/// The person's file, checked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub last_name: String,
    pub first_name: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub email: String,
    pub address: String,
    /// The first contact (pré-accueil).
    pub pre_accueil_on: NaiveDate,
    /// The individual interview (accueil).
    pub accueil_on: Option<NaiveDate>,
    pub inscription_on: Option<NaiveDate>,
    /// « La demande, les attentes, les besoins, les projets de la personne ».
    pub request: String,
    pub accompagnateur_id: Option<i64>,
}

impl PersonDraft {
    pub fn check(&self, today: NaiveDate) -> Result<PersonDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let last_name = text(
            &mut errors,
            "last_name",
            &self.last_name,
            MAX_FIELD_CHARS,
            Some("Indiquez le nom de la personne."),
        );
        let first_name = text(
            &mut errors,
            "first_name",
            &self.first_name,
            MAX_FIELD_CHARS,
            None,
        );
        let birth_date = past_date(&mut errors, "birth_date", &self.birth_date, false, today);
        let phone = text(&mut errors, "phone", &self.phone, 30, None);
        let email = text(&mut errors, "email", &self.email, MAX_FIELD_CHARS, None);
        if !email.is_empty() && crate::email::Email::parse(&email).is_err() {
            errors.add(
                "email",
                "Adresse e-mail invalide (par exemple nom@exemple.fr).",
            );
        }
        let address = text(&mut errors, "address", &self.address, 500, None);
        let pre_accueil_on = past_date(
            &mut errors,
            "pre_accueil_on",
            &self.pre_accueil_on,
            true,
            today,
        );
        let accueil_on = past_date(&mut errors, "accueil_on", &self.accueil_on, false, today);
        let inscription_on = past_date(
            &mut errors,
            "inscription_on",
            &self.inscription_on,
            false,
            today,
        );
        if let (Some(first), Some(accueil)) = (pre_accueil_on, accueil_on) {
            if accueil < first {
                errors.add(
                    "accueil_on",
                    "L'accueil ne peut précéder le premier contact (pré-accueil).",
                );
            }
        }
        match (accueil_on, inscription_on) {
            (None, Some(_)) => errors.add(
                "inscription_on",
                "L'inscription suit l'entretien individuel d'accueil : indiquez d'abord sa date.",
            ),
            (Some(accueil), Some(inscription)) if inscription < accueil => errors.add(
                "inscription_on",
                "L'inscription ne peut précéder l'entretien individuel d'accueil.",
            ),
            _ => {}
        }
        if let (Some(born), Some(first)) = (birth_date, pre_accueil_on) {
            if born >= first {
                errors.add(
                    "birth_date",
                    "La date de naissance doit précéder le premier contact.",
                );
            }
        }
        let request = text(&mut errors, "request", &self.request, MAX_TEXT_CHARS, None);
        let accompagnateur_id =
            chosen_account(&mut errors, "accompagnateur_id", &self.accompagnateur_id);
        match pre_accueil_on {
            Some(pre_accueil_on) if errors.is_empty() => Ok(PersonDetails {
                last_name,
                first_name,
                birth_date,
                phone,
                email,
                address,
                pre_accueil_on,
                accueil_on,
                inscription_on,
                request,
                accompagnateur_id,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&PersonDetails> for PersonDraft {
    fn from(p: &PersonDetails) -> Self {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Self {
            last_name: p.last_name.clone(),
            first_name: p.first_name.clone(),
            birth_date: date(p.birth_date),
            phone: p.phone.clone(),
            email: p.email.clone(),
            address: p.address.clone(),
            pre_accueil_on: p.pre_accueil_on.to_string(),
            accueil_on: date(p.accueil_on),
            inscription_on: date(p.inscription_on),
            request: p.request.clone(),
            accompagnateur_id: p
                .accompagnateur_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
        }
    }
}

impl PersonDetails {
    /// « Nom Prénom », as the tableau de synthèse lists people.
    pub fn full_name(&self) -> String {
        full_name(&self.last_name, &self.first_name)
    }

    /// The names of the fields that differ from `other` (never their values: the trail of a
    /// person's file says what changed, not what it says).
    pub fn changed_fields(&self, other: &Self) -> Vec<String> {
        let mut changed = Vec::new();
        let mut compare = |label: &str, differs: bool| {
            if differs {
                changed.push(label.to_string());
            }
        };
        compare("nom", self.last_name != other.last_name);
        compare("prénom", self.first_name != other.first_name);
        compare("date de naissance", self.birth_date != other.birth_date);
        compare("téléphone", self.phone != other.phone);
        compare("e-mail", self.email != other.email);
        compare("adresse", self.address != other.address);
        compare("pré-accueil", self.pre_accueil_on != other.pre_accueil_on);
        compare("accueil", self.accueil_on != other.accueil_on);
        compare("inscription", self.inscription_on != other.inscription_on);
        compare("demande et projet", self.request != other.request);
        compare(
            "accompagnateur",
            self.accompagnateur_id != other.accompagnateur_id,
        );
        changed
    }
}

pub fn full_name(last_name: &str, first_name: &str) -> String {
    if first_name.is_empty() {
        last_name.to_string()
    } else {
        format!("{last_name} {first_name}")
    }
}

coded! {
    /// Where a person stands, derived from the records (the three missions of the seed:
    /// accueil, then pré-embauche, then the parcours formalised by engagements; then the exit).
    pub enum Phase {
        /// From the first contact to the inscription.
        Accueil => "accueil", "Accueil",
        /// Inscribed; tests, evaluations and the negotiation of the parcours, before the
        /// first engagement.
        PreEmbauche => "pre_embauche", "Pré-embauche",
        /// At least one engagement réciproque.
        EnParcours => "en_parcours", "En parcours",
        Sorti => "sorti", "Sorti",
    }
}

impl Phase {
    pub fn of(inscribed: bool, engagements: usize, exited: bool) -> Self {
        if exited {
            Self::Sorti
        } else if engagements > 0 {
            Self::EnParcours
        } else if inscribed {
            Self::PreEmbauche
        } else {
            Self::Accueil
        }
    }
}

coded! {
    /// How a person left (the observatoire's categories; the first four are positive exits).
    pub enum ExitKind {
        EmploiDurable => "emploi_durable", "Emploi durable",
        EmploiTransition => "emploi_transition", "Emploi de transition",
        FormationQualifiante => "formation_qualifiante", "Formation qualifiante",
        AutreSortiePositive => "autre_positive", "Autre sortie positive",
        AutreSortie => "autre", "Autre sortie",
    }
}

impl ExitKind {
    /// The programme's headline result counts these.
    pub fn is_positive(self) -> bool {
        self != Self::AutreSortie
    }
}

/// The exit as typed in its form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExitDraft {
    pub exit_on: String,
    pub exit_kind: String,
}

impl ExitDraft {
    /// The exit's date and kind: not before the person's first contact, not in the future.
    pub fn check(
        &self,
        first_contact: NaiveDate,
        today: NaiveDate,
    ) -> Result<(NaiveDate, ExitKind), FieldErrors> {
        let mut errors = FieldErrors::new();
        let on = past_date(&mut errors, "exit_on", &self.exit_on, true, today);
        if on.is_some_and(|on| on < first_contact) {
            errors.add(
                "exit_on",
                "La sortie ne peut précéder le premier contact avec la personne.",
            );
        }
        let kind = self.exit_kind.parse::<ExitKind>().ok();
        if kind.is_none() {
            errors.add("exit_kind", "Choisissez le type de sortie.");
        }
        match (on, kind) {
            (Some(on), Some(kind)) if errors.is_empty() => Ok((on, kind)),
            _ => Err(errors),
        }
    }
}

coded! {
    /// How a list of people is sorted.
    pub enum PersonSort {
        Name => "nom", "Nom",
        Phase => "phase", "Phase",
        Inscription => "inscription", "Date d'inscription",
        Due => "echeance", "Prochaine échéance",
    }
}

/// People per page of a list.
pub const PAGE_SIZE: usize = 25;

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn draft() -> PersonDraft {
        PersonDraft {
            last_name: "Christian".into(),
            pre_accueil_on: "2026-04-10".into(),
            accueil_on: "2026-04-18".into(),
            inscription_on: "2026-04-18".into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_phase_follows_the_records() {
        assert_eq!(Phase::of(false, 0, false), Phase::Accueil);
        assert_eq!(Phase::of(true, 0, false), Phase::PreEmbauche);
        assert_eq!(Phase::of(true, 1, false), Phase::EnParcours);
        assert_eq!(Phase::of(true, 3, true), Phase::Sorti);
        assert_eq!(Phase::of(false, 0, true), Phase::Sorti);
    }

    #[test]
    fn the_accueil_dates_follow_each_other() {
        let today = day("2026-05-01");
        let checked = draft().check(today).unwrap();
        assert_eq!(checked.pre_accueil_on, day("2026-04-10"));
        assert_eq!(checked.inscription_on, Some(day("2026-04-18")));

        let early = PersonDraft {
            accueil_on: "2026-04-01".into(),
            inscription_on: "2026-03-30".into(),
            ..draft()
        };
        let errors = early.check(today).unwrap_err();
        assert_eq!(
            errors.message_for("accueil_on").as_deref(),
            Some("L'accueil ne peut précéder le premier contact (pré-accueil).")
        );
        assert_eq!(
            errors.message_for("inscription_on").as_deref(),
            Some("L'inscription ne peut précéder l'entretien individuel d'accueil.")
        );

        let inscribed_without_accueil = PersonDraft {
            accueil_on: String::new(),
            ..draft()
        };
        assert!(inscribed_without_accueil
            .check(today)
            .unwrap_err()
            .message_for("inscription_on")
            .is_some());

        let future = PersonDraft {
            pre_accueil_on: "2026-05-02".into(),
            accueil_on: String::new(),
            inscription_on: String::new(),
            ..draft()
        };
        assert_eq!(
            future
                .check(today)
                .unwrap_err()
                .message_for("pre_accueil_on")
                .as_deref(),
            Some("Cette date est à venir : indiquez une date passée ou aujourd'hui.")
        );
    }

    #[test]
    fn a_name_and_a_first_contact_are_required() {
        let errors = PersonDraft::default().check(day("2026-05-01")).unwrap_err();
        assert_eq!(
            errors.message_for("last_name").as_deref(),
            Some("Indiquez le nom de la personne.")
        );
        assert_eq!(
            errors.message_for("pre_accueil_on").as_deref(),
            Some("Indiquez la date.")
        );
        let bad_mail = PersonDraft {
            email: "pas une adresse".into(),
            ..draft()
        };
        assert!(bad_mail
            .check(day("2026-05-01"))
            .unwrap_err()
            .message_for("email")
            .is_some());
    }

    #[test]
    fn the_trail_names_the_fields_changed_not_their_values() {
        let before = draft().check(day("2026-05-01")).unwrap();
        let after = PersonDetails {
            phone: "06 12 34 56 78".into(),
            request: "Travailler dans les espaces verts".into(),
            ..before.clone()
        };
        assert_eq!(
            after.changed_fields(&before),
            vec!["téléphone".to_string(), "demande et projet".to_string()]
        );
    }

    #[test]
    fn an_exit_has_a_kind_and_a_date_after_the_first_contact() {
        let first = day("2026-04-10");
        let today = day("2026-09-01");
        let exit = ExitDraft {
            exit_on: "2026-08-31".into(),
            exit_kind: "emploi_durable".into(),
        };
        assert_eq!(
            exit.check(first, today),
            Ok((day("2026-08-31"), ExitKind::EmploiDurable))
        );
        let early = ExitDraft {
            exit_on: "2026-04-01".into(),
            exit_kind: "sans objet".into(),
        };
        let errors = early.check(first, today).unwrap_err();
        assert!(errors.message_for("exit_on").is_some());
        assert_eq!(
            errors.message_for("exit_kind").as_deref(),
            Some("Choisissez le type de sortie.")
        );
        assert!(ExitKind::FormationQualifiante.is_positive());
        assert!(!ExitKind::AutreSortie.is_positive());
    }
}
