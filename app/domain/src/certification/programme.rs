//! The programme's delays, set by the federation rather than written in the code (the time
//! allowed to lift a non-conformity, the reminders before a certificate expires, the latest
//! start of a renewal), and what follows from them for a SIAE: its next deadline and the date
//! from which its certification is at risk.

use super::certificate::{CertificateStatus, CertificationGlance};
use crate::validation::FieldErrors;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRules {
    /// Months allowed to lift a major non-conformity (the deadline of its corrective actions).
    pub major_nc_months: u32,
    /// Months allowed to lift a minor non-conformity.
    pub minor_nc_months: u32,
    /// Reminders before a certificate expires, in months before its last day, largest first.
    pub expiry_reminders: Vec<u32>,
    /// Months before expiry by which a renewal must start to be decided in time.
    pub renewal_lead_months: u32,
}

impl Default for ProgrammeRules {
    /// The federation's first settings: three months for a major non-conformity, six for a
    /// minor one, reminders six, three and one month before expiry, a renewal started six
    /// months ahead (a cycle — region, audit, committee — takes about that).
    fn default() -> Self {
        Self {
            major_nc_months: 3,
            minor_nc_months: 6,
            expiry_reminders: vec![6, 3, 1],
            renewal_lead_months: 6,
        }
    }
}

/// The rules in force, as their page shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesPage {
    pub rules: ProgrammeRules,
    /// Who set them (`None`: the installation's first settings) and when.
    pub set_by: Option<String>,
    pub set_at: chrono::DateTime<chrono::Utc>,
    pub can_set: bool,
    /// The price of an audit, year by year, the latest first.
    pub prices: Vec<super::cost::AuditPrice>,
    /// What the audits cost, by year and region (for those who follow the network).
    pub totals: Vec<super::cost::CostTotal>,
}

/// The rules as typed in the federation's form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesDraft {
    pub major_nc_months: String,
    pub minor_nc_months: String,
    pub expiry_reminders: String,
    pub renewal_lead_months: String,
}

impl From<&ProgrammeRules> for RulesDraft {
    fn from(rules: &ProgrammeRules) -> Self {
        Self {
            major_nc_months: rules.major_nc_months.to_string(),
            minor_nc_months: rules.minor_nc_months.to_string(),
            expiry_reminders: reminders_text(&rules.expiry_reminders),
            renewal_lead_months: rules.renewal_lead_months.to_string(),
        }
    }
}

/// `6, 3, 1`.
pub fn reminders_text(months: &[u32]) -> String {
    months
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A certificate lasts 36 months: no delay of the programme can exceed it.
const MAX_MONTHS: u32 = 36;

impl RulesDraft {
    pub fn check(&self) -> Result<ProgrammeRules, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut months = |field: &str, text: &str, min: u32| match text.trim().parse::<u32>() {
            Ok(n) if (min..=MAX_MONTHS).contains(&n) => n,
            _ => {
                errors.add(
                    field,
                    format!("Indiquez un nombre de mois entre {min} et {MAX_MONTHS}."),
                );
                0
            }
        };
        let major_nc_months = months("major_nc_months", &self.major_nc_months, 1);
        let minor_nc_months = months("minor_nc_months", &self.minor_nc_months, 1);
        let renewal_lead_months = months("renewal_lead_months", &self.renewal_lead_months, 1);
        let mut expiry_reminders = Vec::new();
        for part in self
            .expiry_reminders
            .split([',', ';', ' '])
            .filter(|p| !p.trim().is_empty())
        {
            match part.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_MONTHS).contains(&n) => expiry_reminders.push(n),
                _ => {
                    errors.add(
                        "expiry_reminders",
                        format!(
                            "« {} » n'est pas un nombre de mois entre 1 et {MAX_MONTHS} (ex. : 6, 3, 1).",
                            part.trim()
                        ),
                    );
                    break;
                }
            }
        }
        expiry_reminders.sort_unstable_by(|a, b| b.cmp(a));
        expiry_reminders.dedup();
        if major_nc_months > 0 && minor_nc_months > 0 && major_nc_months > minor_nc_months {
            errors.add(
                "major_nc_months",
                "Une non-conformité majeure ne peut avoir plus de temps qu'une mineure.",
            );
        }
        if errors.is_empty() {
            Ok(ProgrammeRules {
                major_nc_months,
                minor_nc_months,
                expiry_reminders,
                renewal_lead_months,
            })
        } else {
            Err(errors)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeadlineKind {
    /// The committee's conditions are to be met.
    Conditions,
    /// The latest day to start the renewal so that it can be decided before expiry.
    RenewalStart,
    /// The certificate's last day.
    Expiry,
}

impl DeadlineKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Conditions => "Levée des conditions du comité",
            Self::RenewalStart => "Début du renouvellement au plus tard",
            Self::Expiry => "Fin de validité du certificat",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub on: NaiveDate,
    pub kind: DeadlineKind,
}

/// What lies ahead of a SIAE's certification.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outlook {
    /// The first deadline still to meet (possibly passed).
    pub next_deadline: Option<Deadline>,
    /// The day from which the certification is at risk if nothing is done: the conditions'
    /// deadline, or the latest start of a renewal not started.
    pub at_risk_on: Option<NaiveDate>,
}

impl Outlook {
    /// A SIAE with `glance`, whose conditions (if any) are due `conditions_due` and not met yet.
    pub fn of(
        glance: &CertificationGlance,
        conditions_due: Option<NaiveDate>,
        rules: &ProgrammeRules,
    ) -> Self {
        let Some(certificate) = glance
            .certificate
            .as_ref()
            .filter(|c| c.status == CertificateStatus::Valide)
        else {
            return Self::default();
        };
        let renewing = glance.state.is_some_and(|s| s.is_open());
        let renewal_start = (!renewing)
            .then(|| {
                certificate
                    .valid_until
                    .checked_sub_months(Months::new(rules.renewal_lead_months))
            })
            .flatten();
        let mut deadlines: Vec<Deadline> = [
            conditions_due.map(|on| Deadline {
                on,
                kind: DeadlineKind::Conditions,
            }),
            renewal_start.map(|on| Deadline {
                on,
                kind: DeadlineKind::RenewalStart,
            }),
            Some(Deadline {
                on: certificate.valid_until,
                kind: DeadlineKind::Expiry,
            }),
        ]
        .into_iter()
        .flatten()
        .collect();
        deadlines.sort_by_key(|d| d.on);
        Self {
            next_deadline: deadlines.first().copied(),
            at_risk_on: [conditions_due, renewal_start].into_iter().flatten().min(),
        }
    }
}

/// The reminder due on `today` for a certificate ending `valid_until`: the smallest number of
/// months among `reminders` whose date has come (a reminder missed while the server was down
/// is replaced by the next one, not sent late in a row).
pub fn reminder_due(reminders: &[u32], valid_until: NaiveDate, today: NaiveDate) -> Option<u32> {
    if today > valid_until {
        return None;
    }
    reminders
        .iter()
        .copied()
        .filter(|m| {
            valid_until
                .checked_sub_months(Months::new(*m))
                .is_some_and(|from| today >= from)
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certification::certificate::Certificate;
    use crate::certification::demande::DemandeState;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn glance(state: DemandeState, until: &str, status: CertificateStatus) -> CertificationGlance {
        CertificationGlance {
            state: Some(state),
            certificate: Some(Certificate {
                code: "AAAA-BBBB-CCCC-DDDD".into(),
                valid_from: day("2024-03-15"),
                valid_until: day(until),
                status,
            }),
            outlook: Outlook::default(),
        }
    }

    #[test]
    fn the_rules_are_checked_field_by_field_in_french() {
        let draft = RulesDraft {
            major_nc_months: "3".into(),
            minor_nc_months: "6".into(),
            expiry_reminders: "1; 6, 3 3".into(),
            renewal_lead_months: "6".into(),
        };
        assert_eq!(
            draft.check().unwrap(),
            ProgrammeRules {
                major_nc_months: 3,
                minor_nc_months: 6,
                expiry_reminders: vec![6, 3, 1],
                renewal_lead_months: 6,
            }
        );
        let bad = RulesDraft {
            major_nc_months: "8".into(),
            minor_nc_months: "6".into(),
            expiry_reminders: "6, trois".into(),
            renewal_lead_months: "40".into(),
        };
        let errors = bad.check().unwrap_err();
        assert_eq!(
            errors.message_for("major_nc_months").as_deref(),
            Some("Une non-conformité majeure ne peut avoir plus de temps qu'une mineure.")
        );
        assert_eq!(
            errors.message_for("expiry_reminders").as_deref(),
            Some("« trois » n'est pas un nombre de mois entre 1 et 36 (ex. : 6, 3, 1).")
        );
        assert_eq!(
            errors.message_for("renewal_lead_months").as_deref(),
            Some("Indiquez un nombre de mois entre 1 et 36.")
        );
        assert_eq!(errors.message_for("minor_nc_months"), None);
        assert_eq!(
            RulesDraft::from(&ProgrammeRules::default()).check(),
            Ok(ProgrammeRules::default())
        );
    }

    #[test]
    fn a_certified_siae_is_at_risk_from_the_latest_start_of_its_renewal() {
        let rules = ProgrammeRules::default();
        let certified = glance(
            DemandeState::Certifiee,
            "2027-03-14",
            CertificateStatus::Valide,
        );
        assert_eq!(
            Outlook::of(&certified, None, &rules),
            Outlook {
                next_deadline: Some(Deadline {
                    on: day("2026-09-14"),
                    kind: DeadlineKind::RenewalStart
                }),
                at_risk_on: Some(day("2026-09-14")),
            }
        );
        // A renewal under way: only the expiry lies ahead, nothing is at risk.
        let renewing = glance(
            DemandeState::AuditEnCours,
            "2027-03-14",
            CertificateStatus::Valide,
        );
        assert_eq!(
            Outlook::of(&renewing, None, &rules),
            Outlook {
                next_deadline: Some(Deadline {
                    on: day("2027-03-14"),
                    kind: DeadlineKind::Expiry
                }),
                at_risk_on: None,
            }
        );
        // Conditions due first come first, and put the certification at risk.
        let conditional = glance(
            DemandeState::CertifieeSousConditions,
            "2027-03-14",
            CertificateStatus::Valide,
        );
        assert_eq!(
            Outlook::of(&conditional, Some(day("2024-06-15")), &rules),
            Outlook {
                next_deadline: Some(Deadline {
                    on: day("2024-06-15"),
                    kind: DeadlineKind::Conditions
                }),
                at_risk_on: Some(day("2024-06-15")),
            }
        );
        // A longer lead moves the date.
        let rules = ProgrammeRules {
            renewal_lead_months: 9,
            ..ProgrammeRules::default()
        };
        assert_eq!(
            Outlook::of(&certified, None, &rules).at_risk_on,
            Some(day("2026-06-14"))
        );
    }

    #[test]
    fn nothing_lies_ahead_without_a_valid_certificate() {
        let rules = ProgrammeRules::default();
        for status in [CertificateStatus::Expire, CertificateStatus::Retire] {
            let lost = glance(DemandeState::Certifiee, "2025-03-14", status);
            assert_eq!(Outlook::of(&lost, None, &rules), Outlook::default());
        }
        assert_eq!(
            Outlook::of(&CertificationGlance::default(), None, &rules),
            Outlook::default()
        );
    }

    #[test]
    fn the_reminder_due_is_the_nearest_whose_date_has_come() {
        let until = day("2027-03-14");
        let reminders = [6, 3, 1];
        assert_eq!(reminder_due(&reminders, until, day("2026-09-13")), None);
        assert_eq!(reminder_due(&reminders, until, day("2026-09-14")), Some(6));
        assert_eq!(reminder_due(&reminders, until, day("2026-12-13")), Some(6));
        assert_eq!(reminder_due(&reminders, until, day("2026-12-14")), Some(3));
        assert_eq!(reminder_due(&reminders, until, day("2027-02-14")), Some(1));
        assert_eq!(reminder_due(&reminders, until, day("2027-03-14")), Some(1));
        assert_eq!(reminder_due(&reminders, until, day("2027-03-15")), None);
        assert_eq!(reminder_due(&[], until, day("2027-03-01")), None);
    }
}
