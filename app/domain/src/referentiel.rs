//! A référentiel as data: sections (the six specifications of 2004, or whatever a later
//! programme uses), their requirements, and the rules that say how each applies to a SIAE type.
//! The types read from a data file refuse unknown keys: a misspelt key (`point` for `points`)
//! must stop the import, not silently drop what it held.

use crate::organisation::{Fte, SiaeType};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referentiel {
    pub code: String,
    pub title: String,
    pub label: String,
    /// How requirements are assessed; `conformite` for the 2004 référentiel.
    #[serde(default = "default_scale")]
    pub scale: String,
    pub sections: Vec<Section>,
}

/// The assessment scales the application knows; `conformite` is the one of the 2004 référentiel
/// (non évalué, non conforme, en cours, conforme, non applicable).
pub const SCALES: &[&str] = &["conformite"];

fn default_scale() -> String {
    "conformite".to_string()
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub code: String,
    pub title: String,
    #[serde(default)]
    pub objective: Option<String>,
    #[serde(default)]
    pub quality_objectives: Vec<String>,
    #[serde(default)]
    pub dispositions: Vec<String>,
    /// Indicative means, « mentionnés à titre indicatif ».
    #[serde(default)]
    pub means: Vec<String>,
    pub requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The letter within its section (`a`), or empty when the section is one requirement.
    pub code: String,
    pub text: String,
    #[serde(default)]
    pub points: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub applicability: Option<Applicability>,
}

/// How a requirement applies by SIAE type, from the *dispositions particulières*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Applicability {
    /// Applies to all, and particularly to these types (2.1 d: AI and ETTI).
    Particulierement { types: Vec<SiaeType> },
    /// Applies to all, these types included (2.2 b: also ACI and EI).
    Aussi { types: Vec<SiaeType> },
    /// Applies only to these types.
    Seulement { types: Vec<SiaeType> },
    /// Applies to all, with a coverage of employees that depends on the type (2.2 a).
    Couverture { rules: Vec<CoverageRule> },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageRule {
    pub types: Vec<SiaeType>,
    pub coverage: Coverage,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Every employee in insertion.
    Tous,
    /// At least as many employees as funded FTE for socio-professional support.
    EtpFinances,
    /// At least one third of the employees in insertion.
    UnTiers,
}

/// What a requirement asks of one SIAE.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicabilityNote {
    pub applies: bool,
    /// Said beside the requirement, in French; `None` when nothing particular applies.
    pub note: Option<String>,
}

impl Requirement {
    /// The stable key of a requirement across versions: `2.1 a`, or `2.6` for an unlettered one.
    pub fn key(&self, section: &Section) -> String {
        if self.code.is_empty() {
            section.code.clone()
        } else {
            format!("{} {}", section.code, self.code)
        }
    }

    pub fn applicability_for(
        &self,
        siae_type: SiaeType,
        funded_fte: Option<Fte>,
    ) -> ApplicabilityNote {
        let Some(rule) = &self.applicability else {
            return ApplicabilityNote {
                applies: true,
                note: None,
            };
        };
        match rule {
            Applicability::Particulierement { types } => ApplicabilityNote {
                applies: true,
                note: Some(if types.contains(&siae_type) {
                    format!(
                        "Concerne plus particulièrement les {}, dont votre structure.",
                        list(types)
                    )
                } else {
                    format!("Concerne plus particulièrement les {}.", list(types))
                }),
            },
            Applicability::Aussi { types } => ApplicabilityNote {
                applies: true,
                note: Some(format!("S'adresse aussi aux {}.", list(types))),
            },
            Applicability::Seulement { types } => ApplicabilityNote {
                applies: types.contains(&siae_type),
                note: Some(format!("Ne concerne que les {}.", list(types))),
            },
            Applicability::Couverture { rules } => {
                let coverage = rules
                    .iter()
                    .find(|r| r.types.contains(&siae_type))
                    .map(|r| r.coverage);
                let note = match coverage {
                    Some(Coverage::Tous) => "À appliquer à chaque salarié en insertion.".to_string(),
                    Some(Coverage::UnTiers) => "À appliquer au minimum à un tiers des salariés en insertion.".to_string(),
                    Some(Coverage::EtpFinances) => match funded_fte {
                        Some(fte) => format!(
                            "À appliquer au minimum à {} salarié(s) en insertion : autant que d'équivalents temps plein financés pour l'accompagnement socioprofessionnel ({fte}).",
                            minimum_employees(fte)
                        ),
                        None => "À appliquer au minimum à autant de salariés en insertion que d'équivalents temps plein financés pour l'accompagnement socioprofessionnel (à renseigner dans la fiche de la structure).".to_string(),
                    },
                    None => format!(
                        "Selon le type de chaque structure : {}.",
                        rules
                            .iter()
                            .map(|r| format!("{} pour les {}", coverage_phrase(r.coverage), list(&r.types)))
                            .collect::<Vec<_>>()
                            .join(" ; ")
                    ),
                };
                ApplicabilityNote {
                    applies: true,
                    note: Some(note),
                }
            }
        }
    }
}

/// Employees count in whole persons: 1.5 funded FTE means at least 2 employees.
pub fn minimum_employees(fte: Fte) -> i64 {
    (fte.0 + 99) / 100
}

fn coverage_phrase(coverage: Coverage) -> &'static str {
    match coverage {
        Coverage::Tous => "chaque salarié en insertion",
        Coverage::EtpFinances => {
            "au moins autant de salariés que d'ETP financés pour l'accompagnement"
        }
        Coverage::UnTiers => "au moins un tiers des salariés en insertion",
    }
}

fn list(types: &[SiaeType]) -> String {
    let codes: Vec<&str> = types.iter().map(|t| t.code()).collect();
    match codes.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} et {last}", rest.join(", ")),
        None => String::new(),
    }
}

impl Referentiel {
    /// Every requirement with its section, in order.
    pub fn requirements(&self) -> impl Iterator<Item = (&Section, &Requirement)> {
        self.sections
            .iter()
            .flat_map(|s| s.requirements.iter().map(move |r| (s, r)))
    }

    pub fn find(&self, key: &str) -> Option<(&Section, &Requirement)> {
        self.requirements().find(|(s, r)| r.key(s) == key)
    }

    /// Checks what a loaded or edited référentiel must hold: sections and unique keys.
    pub fn validate(&self) -> Result<(), String> {
        if !SCALES.contains(&self.scale.as_str()) {
            return Err(format!(
                "L'échelle d'évaluation « {} » n'est pas prise en charge (échelles connues : {}).",
                self.scale,
                SCALES.join(", ")
            ));
        }
        if self.sections.is_empty() {
            return Err("Un référentiel doit comporter au moins une section.".into());
        }
        let mut keys = std::collections::HashSet::new();
        for (section, requirement) in self.requirements() {
            if requirement.text.trim().is_empty() {
                return Err(format!(
                    "L'exigence {} n'a pas de texte.",
                    requirement.key(section)
                ));
            }
            if !keys.insert(requirement.key(section)) {
                return Err(format!(
                    "L'exigence {} apparaît deux fois.",
                    requirement.key(section)
                ));
            }
        }
        Ok(())
    }
}

/// A version of the référentiel as stored: its dates say whether it is a draft or in force.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    pub id: i64,
    pub code: String,
    pub label: String,
    pub based_on_id: Option<i64>,
    pub state: VersionState,
    pub bureau_validated_on: Option<NaiveDate>,
    pub in_force_from: Option<NaiveDate>,
}

/// Where a version stands: *brouillon → validée par le bureau → en vigueur → remplacée*.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionState {
    Brouillon,
    Validee,
    EnVigueur,
    Remplacee,
}

impl VersionState {
    pub const ALL: [Self; 4] = [
        Self::Brouillon,
        Self::Validee,
        Self::EnVigueur,
        Self::Remplacee,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Brouillon => "brouillon",
            Self::Validee => "validee",
            Self::EnVigueur => "en_vigueur",
            Self::Remplacee => "remplacee",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Brouillon => "Brouillon",
            Self::Validee => "Validée par le bureau",
            Self::EnVigueur => "En vigueur",
            Self::Remplacee => "Remplacée",
        }
    }
}

impl std::str::FromStr for VersionState {
    type Err = ();

    fn from_str(code: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|s| s.code() == code).ok_or(())
    }
}

impl Version {
    /// A version's text can be edited until it is put in force.
    pub fn is_draft(&self) -> bool {
        matches!(self.state, VersionState::Brouillon | VersionState::Validee)
    }

    /// In force, or replaced by a newer one but still applying to the SIAE that entered before.
    pub fn has_been_in_force(&self) -> bool {
        matches!(
            self.state,
            VersionState::EnVigueur | VersionState::Remplacee
        )
    }

    pub fn state_label(&self) -> String {
        let on = |d: Option<NaiveDate>| d.map(crate::time::display_date).unwrap_or_default();
        match self.state {
            VersionState::Brouillon => "Brouillon".to_string(),
            VersionState::Validee => format!(
                "Validée par le bureau le {}, pas encore en vigueur",
                on(self.bureau_validated_on)
            ),
            VersionState::EnVigueur => format!("En vigueur depuis le {}", on(self.in_force_from)),
            VersionState::Remplacee => format!(
                "En vigueur depuis le {}, remplacée par une version plus récente",
                on(self.in_force_from)
            ),
        }
    }
}

/// What can happen to a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VersionEvent {
    /// The federation's bureau validated the text at its meeting of that day.
    ValidateByBureau { on: NaiveDate },
    /// The version applies to SIAE entering the approach from that day.
    PutInForce { from: NaiveDate },
    /// A newer version was put in force on that day.
    Supersede { on: NaiveDate },
}

/// The référentiel version lifecycle on the [`crate::workflow`] shape.
pub struct VersionLifecycle;

impl crate::workflow::Machine for VersionLifecycle {
    type State = Version;
    type Event = VersionEvent;

    fn required_action(_: &VersionEvent) -> crate::policy::Action {
        crate::policy::Action::ManageReferentiel
    }

    fn next(version: &Version, event: &VersionEvent) -> Result<Version, crate::workflow::Refusal> {
        use crate::workflow::Refusal;
        use VersionState::*;
        let mut next = version.clone();
        match (version.state, event) {
            (Brouillon, VersionEvent::ValidateByBureau { on }) => {
                next.state = Validee;
                next.bureau_validated_on = Some(*on);
            }
            (Validee, VersionEvent::PutInForce { from }) => {
                if Some(*from) < version.bureau_validated_on {
                    return Err(Refusal::invalid(
                        "in_force_from",
                        "La date d'entrée en vigueur ne peut précéder la validation par le bureau.",
                    ));
                }
                next.state = EnVigueur;
                next.in_force_from = Some(*from);
            }
            (Brouillon, VersionEvent::PutInForce { .. }) => {
                return Err(Refusal::invalid(
                    "in_force_from",
                    "Une version n'entre en vigueur qu'après sa validation par le bureau de la fédération.",
                ))
            }
            (EnVigueur, VersionEvent::Supersede { .. }) => next.state = Remplacee,
            (Validee, VersionEvent::ValidateByBureau { .. }) => {
                return Err(Refusal::invalid(
                    "validated_on",
                    "Cette version est déjà validée par le bureau.",
                ))
            }
            (EnVigueur | Remplacee, VersionEvent::ValidateByBureau { .. } | VersionEvent::PutInForce { .. }) => {
                return Err(Refusal::invalid("", "Cette version est déjà en vigueur."))
            }
            (_, VersionEvent::Supersede { .. }) => {
                return Err(Refusal::invalid(
                    "",
                    "Seule une version en vigueur peut être remplacée.",
                ))
            }
        }
        Ok(next)
    }
}

/// What changed between two versions, requirement by requirement (by key).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionChanges {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub modified: Vec<String>,
}

impl VersionChanges {
    pub fn between(old: &Referentiel, new: &Referentiel) -> Self {
        let mut changes = Self::default();
        for (section, requirement) in new.requirements() {
            let key = requirement.key(section);
            match old.find(&key) {
                None => changes.added.push(key),
                Some((_, before)) if before != requirement => changes.modified.push(key),
                Some(_) => {}
            }
        }
        for (section, requirement) in old.requirements() {
            let key = requirement.key(section);
            if new.find(&key).is_none() {
                changes.removed.push(key);
            }
        }
        changes
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requirement(applicability: Option<Applicability>) -> Requirement {
        Requirement {
            code: "a".into(),
            text: "Exigence".into(),
            points: vec![],
            note: None,
            applicability,
        }
    }

    #[test]
    fn particular_emphasis_names_the_types() {
        let r = requirement(Some(Applicability::Particulierement {
            types: vec![SiaeType::Ai, SiaeType::Etti],
        }));
        let ai = r.applicability_for(SiaeType::Ai, None);
        assert!(ai.applies);
        assert_eq!(
            ai.note.as_deref(),
            Some("Concerne plus particulièrement les AI et ETTI, dont votre structure.")
        );
        assert_eq!(
            r.applicability_for(SiaeType::Ei, None).note.as_deref(),
            Some("Concerne plus particulièrement les AI et ETTI.")
        );
    }

    #[test]
    fn coverage_depends_on_type_and_funded_fte() {
        let r = requirement(Some(Applicability::Couverture {
            rules: vec![
                CoverageRule {
                    types: vec![SiaeType::Ei, SiaeType::Aci],
                    coverage: Coverage::Tous,
                },
                CoverageRule {
                    types: vec![SiaeType::Etti],
                    coverage: Coverage::EtpFinances,
                },
                CoverageRule {
                    types: vec![SiaeType::Ai],
                    coverage: Coverage::UnTiers,
                },
            ],
        }));
        assert!(r
            .applicability_for(SiaeType::Aci, None)
            .note
            .unwrap()
            .contains("chaque salarié"));
        assert!(r
            .applicability_for(SiaeType::Ai, None)
            .note
            .unwrap()
            .contains("un tiers"));
        let etti = r
            .applicability_for(SiaeType::Etti, Some(Fte(150)))
            .note
            .unwrap();
        assert!(
            etti.contains("au minimum à 2 salarié(s)") && etti.contains("(1,5)"),
            "{etti}"
        );
        let ensemblier = r
            .applicability_for(SiaeType::Ensemblier, None)
            .note
            .unwrap();
        assert!(
            ensemblier.starts_with("Selon le type de chaque structure"),
            "{ensemblier}"
        );
    }

    #[test]
    fn only_for_some_types() {
        let r = requirement(Some(Applicability::Seulement {
            types: vec![SiaeType::Aci],
        }));
        assert!(r.applicability_for(SiaeType::Aci, None).applies);
        assert!(!r.applicability_for(SiaeType::Ai, None).applies);
    }

    #[test]
    fn minimum_employees_rounds_up() {
        assert_eq!(minimum_employees(Fte(150)), 2);
        assert_eq!(minimum_employees(Fte(200)), 2);
        assert_eq!(minimum_employees(Fte(0)), 0);
    }

    mod lifecycle {
        use super::super::*;
        use crate::policy::{Action, Actor, Target};
        use crate::role::{Membership, Role};
        use crate::workflow::{transition, Refusal};
        use VersionState::*;

        fn day(d: u32) -> NaiveDate {
            NaiveDate::from_ymd_opt(2027, 1, d).unwrap()
        }

        fn version(state: VersionState, validated: Option<u32>, since: Option<u32>) -> Version {
            Version {
                id: 2,
                code: "2027-01".into(),
                label: "Janvier 2027".into(),
                based_on_id: Some(1),
                state,
                bureau_validated_on: validated.map(day),
                in_force_from: since.map(day),
            }
        }

        fn actor(role: Role) -> Actor {
            Actor {
                account_id: 1,
                memberships: vec![Membership {
                    role,
                    organisation_id: 1,
                    region_id: None,
                }],
            }
        }

        #[test]
        fn transitions_as_a_table() {
            let rq = actor(Role::ResponsableQualiteFederal);
            let validate = |d| VersionEvent::ValidateByBureau { on: day(d) };
            let in_force = |d| VersionEvent::PutInForce { from: day(d) };
            let supersede = VersionEvent::Supersede { on: day(20) };
            // (state before, event, state after or the refused field)
            let table: Vec<(Version, VersionEvent, Result<Version, &str>)> = vec![
                (
                    version(Brouillon, None, None),
                    validate(5),
                    Ok(version(Validee, Some(5), None)),
                ),
                (
                    version(Validee, Some(5), None),
                    in_force(10),
                    Ok(version(EnVigueur, Some(5), Some(10))),
                ),
                (
                    version(Validee, Some(5), None),
                    in_force(5),
                    Ok(version(EnVigueur, Some(5), Some(5))),
                ),
                (
                    version(Validee, Some(5), None),
                    in_force(4),
                    Err("in_force_from"),
                ),
                (
                    version(Brouillon, None, None),
                    in_force(10),
                    Err("in_force_from"),
                ),
                (
                    version(Validee, Some(5), None),
                    validate(6),
                    Err("validated_on"),
                ),
                (version(EnVigueur, Some(5), Some(10)), validate(6), Err("")),
                (version(EnVigueur, Some(5), Some(10)), in_force(12), Err("")),
                (
                    version(EnVigueur, Some(5), Some(10)),
                    supersede.clone(),
                    Ok(version(Remplacee, Some(5), Some(10))),
                ),
                (
                    version(Remplacee, Some(5), Some(10)),
                    supersede.clone(),
                    Err(""),
                ),
                (version(Brouillon, None, None), supersede.clone(), Err("")),
                (version(Remplacee, Some(5), Some(10)), in_force(12), Err("")),
            ];
            for (before, event, expected) in table {
                let got = transition::<VersionLifecycle>(&before, &event, &rq, Target::Global);
                match (got, expected) {
                    (Ok(t), Ok(after)) => {
                        assert_eq!(t.from, before);
                        assert_eq!(t.to, after, "{before:?} {event:?}");
                    }
                    (Err(Refusal::Invalid { field, .. }), Err(expected)) => {
                        assert_eq!(field, expected, "{before:?} {event:?}")
                    }
                    (got, expected) => {
                        panic!("{before:?} {event:?}: {got:?}, expected {expected:?}")
                    }
                }
            }
        }

        #[test]
        fn only_those_who_manage_the_referentiel_move_a_version() {
            let draft = version(Brouillon, None, None);
            let event = VersionEvent::ValidateByBureau { on: day(5) };
            for role in [
                Role::ReferentQualite,
                Role::AuditeurExterne,
                Role::ReferentQualiteRegional,
            ] {
                assert_eq!(
                    transition::<VersionLifecycle>(&draft, &event, &actor(role), Target::Global),
                    Err(Refusal::Forbidden {
                        action: Action::ManageReferentiel
                    }),
                    "{role:?}"
                );
            }
        }

        #[test]
        fn states_have_stable_codes_and_editing_stops_in_force() {
            for state in VersionState::ALL {
                assert_eq!(state.code().parse::<VersionState>(), Ok(state));
            }
            assert!(version(Validee, Some(5), None).is_draft());
            assert!(!version(EnVigueur, Some(5), Some(10)).is_draft());
            assert!(version(Remplacee, Some(5), Some(10)).has_been_in_force());
        }
    }
}
