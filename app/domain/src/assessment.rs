//! Self-assessment: the status of each requirement for a SIAE, and the progress computed from it.

use crate::organisation::{Fte, Organisation, SiaeType};
use crate::referentiel::{Referentiel, Version, VersionChanges};
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    #[default]
    NonEvalue,
    NonConforme,
    EnCours,
    Conforme,
    NonApplicable,
}

impl Status {
    pub const ALL: [Self; 5] = [
        Self::NonEvalue,
        Self::NonConforme,
        Self::EnCours,
        Self::Conforme,
        Self::NonApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NonEvalue => "non_evalue",
            Self::NonConforme => "non_conforme",
            Self::EnCours => "en_cours",
            Self::Conforme => "conforme",
            Self::NonApplicable => "non_applicable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NonEvalue => "Non évalué",
            Self::NonConforme => "Non conforme",
            Self::EnCours => "En cours",
            Self::Conforme => "Conforme",
            Self::NonApplicable => "Non applicable",
        }
    }
}

impl FromStr for Status {
    type Err = crate::organisation::UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|x| x.code() == s)
            .ok_or_else(|| crate::organisation::UnknownCode(s.to_string()))
    }
}

/// The assessment of one requirement by one SIAE.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub requirement_key: String,
    pub status: Status,
    pub comment: String,
    pub justification: String,
    pub responsible: String,
    pub target_date: Option<NaiveDate>,
}

/// An assessment as typed in the form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AssessmentDraft {
    pub status: String,
    pub comment: String,
    pub justification: String,
    pub responsible: String,
    pub target_date: String,
}

pub const MAX_TEXT_CHARS: usize = 4000;

impl AssessmentDraft {
    pub fn validate(&self, requirement_key: &str) -> Result<Assessment, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = self.status.parse::<Status>().unwrap_or_else(|_| {
            errors.add("status", "Choisissez un statut.");
            Status::NonEvalue
        });
        let justification = self.justification.trim().to_string();
        if status == Status::NonApplicable && justification.is_empty() {
            errors.add(
                "justification",
                "Le statut « non applicable » doit être justifié.",
            );
        }
        let target_date = Some(self.target_date.trim())
            .filter(|d| !d.is_empty())
            .and_then(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| {
                        errors.add(
                            "target_date",
                            "La date cible doit être une date valide (AAAA-MM-JJ).",
                        )
                    })
                    .ok()
            });
        for (field, name, text) in [
            ("comment", "commentaire", &self.comment),
            ("justification", "justification", &self.justification),
            ("responsible", "responsable", &self.responsible),
        ] {
            if text.chars().count() > MAX_TEXT_CHARS {
                errors.add(
                    field,
                    format!("Le champ {name} ne doit pas dépasser {MAX_TEXT_CHARS} caractères."),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Assessment {
            requirement_key: requirement_key.to_string(),
            status,
            comment: self.comment.trim().to_string(),
            justification,
            responsible: self.responsible.trim().to_string(),
            target_date,
        })
    }
}

/// An uploaded evidence document, without its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
    pub uploaded_by: String,
}

/// An indicative mean the SIAE ticked, with the document that shows it, if any.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeanCheck {
    pub section_code: String,
    pub mean: String,
    pub document_id: Option<i64>,
    pub checked_at: chrono::DateTime<chrono::Utc>,
    pub checked_by: String,
}

/// One change of one field of an assessment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub changed_at: chrono::DateTime<chrono::Utc>,
    pub changed_by: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

impl Assessment {
    /// The fields as the history shows them: (French name, value).
    pub fn fields(&self) -> [(&'static str, String); 5] {
        [
            ("Statut", self.status.label().to_string()),
            ("Commentaire", self.comment.clone()),
            ("Justification", self.justification.clone()),
            ("Responsable", self.responsible.clone()),
            (
                "Date cible",
                self.target_date
                    .map(crate::time::display_date)
                    .unwrap_or_default(),
            ),
        ]
    }
}

/// Progress of one section: the share of its applicable requirements found *conforme*.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionProgress {
    pub code: String,
    pub title: String,
    pub applicable: usize,
    pub conforme: usize,
    pub en_cours: usize,
    pub non_conforme: usize,
    pub non_evalue: usize,
}

impl SectionProgress {
    /// Whole percent, rounded down so that 100 % means everything is conforme.
    pub fn percent(&self) -> u32 {
        percent(self.conforme, self.applicable)
    }
}

/// Whole percent, rounded down so that 100 % means everything counted is done; nothing to count is 100 %.
pub fn percent(part: usize, whole: usize) -> u32 {
    (part * 100).checked_div(whole).map_or(100, |p| p as u32)
}

/// The share of all applicable requirements found conforme, across sections.
pub fn overall(progress: &[SectionProgress]) -> u32 {
    let (conforme, applicable) = progress
        .iter()
        .fold((0, 0), |(c, a), p| (c + p.conforme, a + p.applicable));
    percent(conforme, applicable)
}

/// A requirement that is not yet conforme, with its deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    pub requirement_key: String,
    pub text: String,
    pub status: Status,
    pub responsible: String,
    pub target_date: Option<NaiveDate>,
    pub overdue: bool,
}

/// Requirements that do not apply to the type, or are justified as not applicable, are left out.
pub fn progress(
    referentiel: &Referentiel,
    siae_type: SiaeType,
    funded_fte: Option<Fte>,
    assessments: &HashMap<String, Assessment>,
) -> Vec<SectionProgress> {
    referentiel
        .sections
        .iter()
        .map(|section| {
            let mut p = SectionProgress {
                code: section.code.clone(),
                title: section.title.clone(),
                applicable: 0,
                conforme: 0,
                en_cours: 0,
                non_conforme: 0,
                non_evalue: 0,
            };
            for requirement in &section.requirements {
                if !requirement.applicability_for(siae_type, funded_fte).applies {
                    continue;
                }
                let status = assessments
                    .get(&requirement.key(section))
                    .map(|a| a.status)
                    .unwrap_or_default();
                match status {
                    Status::NonApplicable => continue,
                    Status::Conforme => p.conforme += 1,
                    Status::EnCours => p.en_cours += 1,
                    Status::NonConforme => p.non_conforme += 1,
                    Status::NonEvalue => p.non_evalue += 1,
                }
                p.applicable += 1;
            }
            p
        })
        .collect()
}

/// The applicable requirements not yet conforme, by target date (undated last), overdue flagged.
pub fn gaps(
    referentiel: &Referentiel,
    siae_type: SiaeType,
    funded_fte: Option<Fte>,
    assessments: &HashMap<String, Assessment>,
    today: NaiveDate,
) -> Vec<Gap> {
    let mut gaps: Vec<Gap> = referentiel
        .requirements()
        .filter(|(_, r)| r.applicability_for(siae_type, funded_fte).applies)
        .filter_map(|(section, requirement)| {
            let key = requirement.key(section);
            let assessment = assessments.get(&key).cloned().unwrap_or_default();
            if matches!(assessment.status, Status::Conforme | Status::NonApplicable) {
                return None;
            }
            Some(Gap {
                overdue: assessment.target_date.is_some_and(|d| d < today),
                requirement_key: key,
                text: requirement.text.clone(),
                status: assessment.status,
                responsible: assessment.responsible,
                target_date: assessment.target_date,
            })
        })
        .collect();
    gaps.sort_by_key(|g| (g.target_date.is_none(), g.target_date));
    gaps
}

/// Everything the SIAE's référentiel page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiaeAssessment {
    pub siae: Organisation,
    pub version: Version,
    pub referentiel: Referentiel,
    /// What changed since the previous version, when the SIAE was moved to this one.
    pub changes: Option<VersionChanges>,
    pub assessments: HashMap<String, Assessment>,
    pub documents: Vec<Document>,
    /// Document ids linked to each requirement.
    pub evidence: HashMap<String, Vec<i64>>,
    pub means: Vec<MeanCheck>,
    /// The sections of the manual in force that answer each requirement (for those who may
    /// read the manual).
    pub manual: HashMap<String, Vec<ManualReference>>,
    /// The approved section versions cited as evidence, by requirement.
    pub manual_evidence: HashMap<String, Vec<CitedVersion>>,
    /// For those who edit the assessment: the versions in force that can be cited.
    pub citable_versions: Vec<CitedVersion>,
    /// The caller reads the manual's sections (the citations link to them).
    pub can_read_manual: bool,
    pub can_edit: bool,
}

/// A section of the manual in force, named beside a requirement it answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualReference {
    pub section_id: i64,
    pub title: String,
    pub number: i64,
}

/// An approved version of a section of the manual, cited as evidence. An obsolete one stays
/// cited — as what it was — and is marked so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedVersion {
    pub version_id: i64,
    pub section_id: i64,
    pub title: String,
    pub number: i64,
    pub approved_on: chrono::NaiveDate,
    pub obsolete: bool,
}

impl CitedVersion {
    /// « Procédure de régulation pédagogique, version 2 du 03/11/2026 (obsolète) ».
    pub fn label(&self) -> String {
        format!(
            "{}, version {} du {}{}",
            self.title,
            self.number,
            crate::time::display_date(self.approved_on),
            if self.obsolete { " (obsolète)" } else { "" }
        )
    }
}

impl SiaeAssessment {
    pub fn siae_type(&self) -> SiaeType {
        self.siae.siae_type.unwrap_or(SiaeType::Ensemblier)
    }

    pub fn progress(&self) -> Vec<SectionProgress> {
        progress(
            &self.referentiel,
            self.siae_type(),
            self.siae.funded_fte,
            &self.assessments,
        )
    }
}

/// One line of the regional or federal overview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SiaeProgress {
    pub siae: Organisation,
    pub version_code: String,
    pub progress: Vec<SectionProgress>,
    /// Share of all applicable requirements found conforme, in whole percent.
    pub overall: u32,
    /// Its certification, for those who follow its demandes.
    pub certification: Option<crate::certification::certificate::CertificationGlance>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referentiel::{Applicability, Requirement, Section};

    fn referentiel() -> Referentiel {
        let requirement = |code: &str, applicability| Requirement {
            code: code.into(),
            text: format!("Exigence {code}"),
            points: vec![],
            note: None,
            applicability,
        };
        Referentiel {
            code: "T".into(),
            title: "Test".into(),
            label: "v1".into(),
            scale: "conformite".into(),
            sections: vec![Section {
                code: "1".into(),
                title: "Section".into(),
                objective: None,
                quality_objectives: vec![],
                dispositions: vec![],
                means: vec![],
                requirements: vec![
                    requirement("a", None),
                    requirement("b", None),
                    requirement("c", None),
                    requirement(
                        "d",
                        Some(Applicability::Seulement {
                            types: vec![SiaeType::Aci],
                        }),
                    ),
                ],
            }],
        }
    }

    fn assessed(key: &str, status: Status, target: Option<&str>) -> (String, Assessment) {
        (
            key.to_string(),
            Assessment {
                requirement_key: key.into(),
                status,
                target_date: target.map(|d| d.parse().unwrap()),
                ..Default::default()
            },
        )
    }

    #[test]
    fn progress_counts_applicable_requirements_only() {
        let assessments: HashMap<_, _> = [
            assessed("1 a", Status::Conforme, None),
            assessed("1 b", Status::NonApplicable, None),
        ]
        .into();
        let ai = progress(&referentiel(), SiaeType::Ai, None, &assessments);
        // d does not apply to an AI, b is justified as not applicable: a and c remain.
        assert_eq!(
            (ai[0].conforme, ai[0].applicable, ai[0].percent()),
            (1, 2, 50)
        );
        let aci = progress(&referentiel(), SiaeType::Aci, None, &assessments);
        assert_eq!(
            (aci[0].conforme, aci[0].applicable, aci[0].percent()),
            (1, 3, 33)
        );
    }

    #[test]
    fn gaps_are_sorted_by_date_and_overdue_flagged() {
        let assessments: HashMap<_, _> = [
            assessed("1 a", Status::EnCours, Some("2026-12-01")),
            assessed("1 b", Status::NonConforme, Some("2026-01-10")),
            assessed("1 c", Status::Conforme, Some("2025-01-01")),
        ]
        .into();
        let today = "2026-06-01".parse().unwrap();
        let gaps = gaps(&referentiel(), SiaeType::Aci, None, &assessments, today);
        let keys: Vec<&str> = gaps.iter().map(|g| g.requirement_key.as_str()).collect();
        assert_eq!(keys, ["1 b", "1 a", "1 d"]);
        assert_eq!(
            gaps.iter().map(|g| g.overdue).collect::<Vec<_>>(),
            [true, false, false]
        );
    }

    #[test]
    fn not_applicable_needs_a_justification() {
        let draft = AssessmentDraft {
            status: "non_applicable".into(),
            ..Default::default()
        };
        assert!(draft
            .validate("1 a")
            .unwrap_err()
            .message_for("justification")
            .unwrap()
            .contains("justifié"));
        let draft = AssessmentDraft {
            justification: "Pas de clients".into(),
            ..draft
        };
        assert_eq!(draft.validate("1 a").unwrap().status, Status::NonApplicable);
        let bad_date = AssessmentDraft {
            status: "en_cours".into(),
            target_date: "31/12/2026".into(),
            ..Default::default()
        };
        assert!(bad_date.validate("1 a").is_err());
    }
}
