//! The organisations of the CEDRE programme and the SIAE types.

use crate::siret::Siret;
use crate::validation::FieldErrors;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub type OrganisationId = i64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrganisationKind {
    Federation,
    Region,
    Siae,
    CabinetAudit,
}

impl OrganisationKind {
    pub const ALL: [Self; 4] = [
        Self::Federation,
        Self::Region,
        Self::Siae,
        Self::CabinetAudit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Federation => "federation",
            Self::Region => "region",
            Self::Siae => "siae",
            Self::CabinetAudit => "cabinet_audit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Federation => "Fédération",
            Self::Region => "Association régionale",
            Self::Siae => "SIAE",
            Self::CabinetAudit => "Cabinet d'audit externe",
        }
    }
}

impl FromStr for OrganisationKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| UnknownCode(s.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Valeur inconnue : « {0} ».")]
pub struct UnknownCode(pub String);

/// The legal forms of SIAE, and the *ensemblier* that groups several of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SiaeType {
    #[serde(rename = "AI")]
    Ai,
    #[serde(rename = "ETTI")]
    Etti,
    #[serde(rename = "EI")]
    Ei,
    #[serde(rename = "ACI")]
    Aci,
    #[serde(rename = "ensemblier")]
    Ensemblier,
}

impl SiaeType {
    pub const ALL: [Self; 5] = [Self::Ai, Self::Etti, Self::Ei, Self::Aci, Self::Ensemblier];

    pub fn code(self) -> &'static str {
        match self {
            Self::Ai => "AI",
            Self::Etti => "ETTI",
            Self::Ei => "EI",
            Self::Aci => "ACI",
            Self::Ensemblier => "ensemblier",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ai => "Association intermédiaire (AI)",
            Self::Etti => "Entreprise de travail temporaire d'insertion (ETTI)",
            Self::Ei => "Entreprise d'insertion (EI)",
            Self::Aci => "Atelier et chantier d'insertion (ACI)",
            Self::Ensemblier => "Ensemblier",
        }
    }
}

impl fmt::Display for SiaeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for SiaeType {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownCode(s.to_string()))
    }
}

/// Funded full-time equivalents for socio-professional support, kept in hundredths to stay exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Fte(pub i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Le nombre d'ETP financés doit être un nombre positif avec au plus deux décimales (par exemple 2,5).")]
pub struct FteError;

impl Fte {
    /// Accepts a French decimal comma or a dot.
    pub fn parse(input: &str) -> Result<Self, FteError> {
        let normalised = input.trim().replace(',', ".");
        let (whole, fraction) = normalised.split_once('.').unwrap_or((&normalised, ""));
        if whole.is_empty() || fraction.len() > 2 {
            return Err(FteError);
        }
        let whole: i64 = whole.parse().map_err(|_| FteError)?;
        let fraction: i64 = if fraction.is_empty() {
            0
        } else {
            format!("{fraction:0<2}").parse().map_err(|_| FteError)?
        };
        if !(0..=10_000).contains(&whole) {
            return Err(FteError);
        }
        Ok(Self(whole * 100 + fraction))
    }
}

impl fmt::Display for Fte {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, hundredths) = (self.0 / 100, self.0 % 100);
        if hundredths == 0 {
            write!(f, "{whole}")
        } else if hundredths % 10 == 0 {
            write!(f, "{whole},{}", hundredths / 10)
        } else {
            write!(f, "{whole},{hundredths:02}")
        }
    }
}

/// Where an organisation sits, which is all the policy needs to know of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    /// For a SIAE, its association régionale; for a region, itself.
    pub region_id: Option<OrganisationId>,
}

/// An organisation as stored, with the name of its region for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub kind: OrganisationKind,
    pub name: String,
    pub siret: Option<Siret>,
    pub siae_type: Option<SiaeType>,
    pub region_id: Option<OrganisationId>,
    pub region_name: Option<String>,
    /// For a SIAE that belongs to an ensemblier, the ensemblier (itself a SIAE) and its name.
    pub ensemblier_id: Option<OrganisationId>,
    pub ensemblier_name: Option<String>,
    pub entry_date: Option<NaiveDate>,
    pub funded_fte: Option<Fte>,
    pub city: Option<String>,
    pub active: bool,
}

impl Organisation {
    pub fn org_ref(&self) -> OrgRef {
        OrgRef {
            id: self.id,
            kind: self.kind,
            region_id: match self.kind {
                OrganisationKind::Region => Some(self.id),
                OrganisationKind::Siae => self.region_id,
                OrganisationKind::Federation | OrganisationKind::CabinetAudit => None,
            },
        }
    }

    /// The form's initial values when editing this organisation.
    pub fn to_draft(&self) -> OrganisationDraft {
        OrganisationDraft {
            kind: self.kind.code().to_string(),
            name: self.name.clone(),
            siret: self
                .siret
                .as_ref()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            siae_type: self
                .siae_type
                .map(|t| t.code().to_string())
                .unwrap_or_default(),
            region_id: self.region_id.map(|r| r.to_string()).unwrap_or_default(),
            ensemblier_id: self
                .ensemblier_id
                .map(|e| e.to_string())
                .unwrap_or_default(),
            entry_date: self.entry_date.map(|d| d.to_string()).unwrap_or_default(),
            funded_fte: self.funded_fte.map(|f| f.to_string()).unwrap_or_default(),
            city: self.city.clone().unwrap_or_default(),
        }
    }
}

/// An organisation as typed in a form, before validation. A field the form omits is empty.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganisationDraft {
    pub kind: String,
    pub name: String,
    pub siret: String,
    pub siae_type: String,
    pub region_id: String,
    pub ensemblier_id: String,
    pub entry_date: String,
    pub funded_fte: String,
    pub city: String,
}

/// An organisation whose fields obey the rules of its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidOrganisation {
    pub kind: OrganisationKind,
    pub name: String,
    pub siret: Option<Siret>,
    pub siae_type: Option<SiaeType>,
    pub region_id: Option<OrganisationId>,
    pub ensemblier_id: Option<OrganisationId>,
    pub entry_date: Option<NaiveDate>,
    pub funded_fte: Option<Fte>,
    pub city: Option<String>,
}

pub const MAX_NAME_CHARS: usize = 200;

impl OrganisationDraft {
    /// Every problem is reported at once, one French sentence each.
    pub fn validate(&self) -> Result<ValidOrganisation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = self.kind.parse::<OrganisationKind>().map_err(|_| {
            errors.add("kind", "Choisissez le type d'organisation.");
        });
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errors.add("name", "Le nom est obligatoire.");
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.add(
                "name",
                format!("Le nom ne doit pas dépasser {MAX_NAME_CHARS} caractères."),
            );
        }
        let siret = optional(&self.siret)
            .map(Siret::parse)
            .transpose()
            .unwrap_or_else(|e| {
                errors.add("siret", e.to_string());
                None
            });
        let siae_type = optional(&self.siae_type)
            .map(str::parse::<SiaeType>)
            .transpose()
            .unwrap_or_else(|_| {
                errors.add("siae_type", "Le type de SIAE est inconnu.");
                None
            });
        let region_id = optional(&self.region_id)
            .map(str::parse::<OrganisationId>)
            .transpose()
            .unwrap_or_else(|_| {
                errors.add("region_id", "L'association régionale choisie est inconnue.");
                None
            });
        let ensemblier_id = optional(&self.ensemblier_id)
            .map(str::parse::<OrganisationId>)
            .transpose()
            .unwrap_or_else(|_| {
                errors.add("ensemblier_id", "L'ensemblier choisi est inconnu.");
                None
            });
        if ensemblier_id.is_some() && siae_type == Some(SiaeType::Ensemblier) {
            errors.add(
                "ensemblier_id",
                "Un ensemblier ne fait pas partie d'un autre ensemblier.",
            );
        }
        let entry_date = optional(&self.entry_date)
            .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d"))
            .transpose()
            .unwrap_or_else(|_| {
                errors.add(
                    "entry_date",
                    "La date d'entrée dans la démarche doit être une date valide (AAAA-MM-JJ).",
                );
                None
            });
        let funded_fte = optional(&self.funded_fte)
            .map(Fte::parse)
            .transpose()
            .unwrap_or_else(|e| {
                errors.add("funded_fte", e.to_string());
                None
            });
        if kind == Ok(OrganisationKind::Siae) {
            for (field, missing, message) in [
                (
                    "siret",
                    siret.is_none() && optional(&self.siret).is_none(),
                    "Le SIRET est obligatoire pour une SIAE.",
                ),
                (
                    "siae_type",
                    siae_type.is_none() && optional(&self.siae_type).is_none(),
                    "Le type de SIAE (AI, ETTI, EI, ACI, ensemblier) est obligatoire.",
                ),
                (
                    "region_id",
                    region_id.is_none() && optional(&self.region_id).is_none(),
                    "Une SIAE doit être rattachée à une association régionale.",
                ),
                (
                    "entry_date",
                    entry_date.is_none() && optional(&self.entry_date).is_none(),
                    "La date d'entrée dans la démarche CEDRE est obligatoire pour une SIAE.",
                ),
                (
                    "funded_fte",
                    funded_fte.is_none() && optional(&self.funded_fte).is_none(),
                    "Le nombre d'ETP financés pour l'accompagnement est obligatoire pour une SIAE (0 si aucun).",
                ),
            ] {
                if missing {
                    errors.add(field, message);
                }
            }
        }
        match (kind, errors.is_empty()) {
            (Ok(kind), true) => {
                let is_siae = kind == OrganisationKind::Siae;
                Ok(ValidOrganisation {
                    kind,
                    name,
                    siret,
                    siae_type: siae_type.filter(|_| is_siae),
                    region_id: region_id.filter(|_| is_siae),
                    ensemblier_id: ensemblier_id.filter(|_| is_siae),
                    entry_date: entry_date.filter(|_| is_siae),
                    funded_fte: funded_fte.filter(|_| is_siae),
                    city: optional(&self.city).map(str::to_string),
                })
            }
            _ => Err(errors),
        }
    }
}

fn optional(field: &str) -> Option<&str> {
    Some(field.trim()).filter(|f| !f.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fte_parses_french_decimals() {
        assert_eq!(Fte::parse("2,5"), Ok(Fte(250)));
        assert_eq!(Fte::parse("3"), Ok(Fte(300)));
        assert_eq!(Fte::parse("0.75"), Ok(Fte(75)));
        assert_eq!(Fte(250).to_string(), "2,5");
        assert_eq!(Fte(75).to_string(), "0,75");
        assert_eq!(Fte(300).to_string(), "3");
        for bad in ["", "-1", "1,234", "deux", ",5"] {
            assert_eq!(Fte::parse(bad), Err(FteError), "{bad}");
        }
    }

    fn siae_draft() -> OrganisationDraft {
        OrganisationDraft {
            kind: "siae".into(),
            name: " Tremplin Emploi ".into(),
            siret: "120 027 016 00019".into(),
            siae_type: "ETTI".into(),
            region_id: "2".into(),
            ensemblier_id: "".into(),
            entry_date: "2025-03-01".into(),
            funded_fte: "1,5".into(),
            city: "".into(),
        }
    }

    #[test]
    fn a_siae_may_belong_to_an_ensemblier_which_belongs_to_none() {
        let member = OrganisationDraft {
            ensemblier_id: " 8 ".into(),
            ..siae_draft()
        };
        assert_eq!(member.validate().unwrap().ensemblier_id, Some(8));
        let errors = OrganisationDraft {
            siae_type: "ensemblier".into(),
            ..member.clone()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            errors.message_for("ensemblier_id").as_deref(),
            Some("Un ensemblier ne fait pas partie d'un autre ensemblier.")
        );
        let errors = OrganisationDraft {
            ensemblier_id: "Avenir".into(),
            ..siae_draft()
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            errors.message_for("ensemblier_id").as_deref(),
            Some("L'ensemblier choisi est inconnu.")
        );
        let region = OrganisationDraft {
            kind: "region".into(),
            ..member
        };
        assert_eq!(region.validate().unwrap().ensemblier_id, None);
    }

    #[test]
    fn valid_siae_draft_is_normalised() {
        let valid = siae_draft().validate().unwrap();
        assert_eq!(valid.name, "Tremplin Emploi");
        assert_eq!(valid.siret.unwrap().as_str(), "12002701600019");
        assert_eq!(valid.siae_type, Some(SiaeType::Etti));
        assert_eq!(valid.funded_fte, Some(Fte(150)));
        assert_eq!(valid.city, None);
    }

    #[test]
    fn siae_draft_reports_every_problem() {
        let draft = OrganisationDraft {
            siret: "123".into(),
            siae_type: "".into(),
            region_id: "".into(),
            ..siae_draft()
        };
        let errors = draft.validate().unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.message_for("siret").unwrap().contains("14 chiffres"));
    }

    #[test]
    fn region_needs_only_a_name_and_drops_siae_fields() {
        let draft = OrganisationDraft {
            kind: "region".into(),
            siret: "".into(),
            ..siae_draft()
        };
        let valid = draft.validate().unwrap();
        assert_eq!(valid.siae_type, None);
        assert_eq!(valid.region_id, None);
        assert!(OrganisationDraft {
            kind: "region".into(),
            ..Default::default()
        }
        .validate()
        .is_err());
    }

    #[test]
    fn codes_round_trip() {
        for t in SiaeType::ALL {
            assert_eq!(t.code().parse::<SiaeType>(), Ok(t));
        }
        for k in OrganisationKind::ALL {
            assert_eq!(k.code().parse::<OrganisationKind>(), Ok(k));
        }
    }
}
