//! The certificate a committee's certification gives (seed « B », step 8): valid three years
//! from the decision, carrying a verification code that anyone can check on the public page
//! `/verification/{code}`, which shows only the SIAE's name, the validity and the status.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long a certification lasts.
pub const VALIDITY: Months = Months::new(36);

/// The first and last days of a certificate decided on `decided_on`.
pub fn validity(decided_on: NaiveDate) -> (NaiveDate, NaiveDate) {
    let until = decided_on
        .checked_add_months(VALIDITY)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    (decided_on, until)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CertificateStatus {
    Valide,
    Expire,
    Retire,
}

impl CertificateStatus {
    pub fn of(valid_until: NaiveDate, withdrawn: bool, today: NaiveDate) -> Self {
        if withdrawn {
            Self::Retire
        } else if today > valid_until {
            Self::Expire
        } else {
            Self::Valide
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Valide => "Valide",
            Self::Expire => "Expiré",
            Self::Retire => "Retiré",
        }
    }
}

/// What the public verification page shows: nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub siae_name: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: CertificateStatus,
}

/// A SIAE's latest certificate, as its pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: CertificateStatus,
}

/// Where a SIAE stands in the programme, for the tables that list SIAE: its latest demande and
/// its latest certificate.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificationGlance {
    pub state: Option<super::demande::DemandeState>,
    pub certificate: Option<Certificate>,
    /// Its next deadline and the day from which it is at risk, under the programme's rules.
    pub outlook: super::programme::Outlook,
}

impl CertificationGlance {
    /// One line for a table cell.
    pub fn label(&self) -> String {
        let date = crate::time::display_date;
        let renewal = self
            .state
            .filter(|s| s.is_open())
            .map(|s| format!(" ; demande en cours : {}", s.label().to_lowercase()))
            .unwrap_or_default();
        match (&self.certificate, self.state) {
            (Some(c), _) => match c.status {
                CertificateStatus::Valide => {
                    format!("Certifiée jusqu'au {}{renewal}", date(c.valid_until))
                }
                CertificateStatus::Expire => {
                    format!("Certificat expiré le {}{renewal}", date(c.valid_until))
                }
                CertificateStatus::Retire => format!("Certificat retiré{renewal}"),
            },
            (None, Some(state)) => state.label().to_string(),
            (None, None) => "Aucune demande".to_string(),
        }
    }

    /// A valid certificate ends within `months` of `today`.
    pub fn expires_within(&self, months: u32, today: NaiveDate) -> bool {
        self.certificate.as_ref().is_some_and(|c| {
            c.status == CertificateStatus::Valide
                && today
                    .checked_add_months(Months::new(months))
                    .is_some_and(|limit| c.valid_until <= limit)
        })
    }
}

/// Crockford's base 32: no I, L, O or U, so that a code read aloud or typed is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A verification code from 80 random bits: 16 characters in four groups (`7KQ2-…`).
pub fn code_from(random: [u8; 10]) -> String {
    let mut bits: u128 = 0;
    for byte in random {
        bits = (bits << 8) | u128::from(byte);
    }
    let chars: Vec<char> = (0..16)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    chars
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as someone typed it (any case, with or without dashes or spaces, O for 0, I and L
/// for 1), in its stored form; `None` when it cannot be a code.
pub fn normalise_code(typed: &str) -> Option<String> {
    let chars: Vec<char> = typed
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    let valid = chars.len() == 16 && chars.iter().all(|c| ALPHABET.contains(&(*c as u8)));
    valid.then(|| {
        chars
            .chunks(4)
            .map(|group| group.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn three_years_to_the_day_before() {
        assert_eq!(
            validity(date(2027, 3, 10)),
            (date(2027, 3, 10), date(2030, 3, 9))
        );
        // 29 February: the anniversary falls on 28 February, the last valid day is the 27th.
        assert_eq!(validity(date(2028, 2, 29)).1, date(2031, 2, 27));
    }

    #[test]
    fn status_by_date_and_withdrawal() {
        let until = date(2030, 3, 9);
        assert_eq!(
            CertificateStatus::of(until, false, date(2030, 3, 9)),
            CertificateStatus::Valide
        );
        assert_eq!(
            CertificateStatus::of(until, false, date(2030, 3, 10)),
            CertificateStatus::Expire
        );
        assert_eq!(
            CertificateStatus::of(until, true, date(2028, 1, 1)),
            CertificateStatus::Retire
        );
    }

    #[test]
    fn a_glance_says_where_a_siae_stands() {
        use crate::certification::demande::DemandeState;
        let certificate = |status| Certificate {
            code: "0000-0000-0000-0000".into(),
            valid_from: date(2027, 3, 10),
            valid_until: date(2030, 3, 9),
            status,
        };
        let glance = |state, status: Option<CertificateStatus>| CertificationGlance {
            state,
            certificate: status.map(certificate),
            ..CertificationGlance::default()
        };
        assert_eq!(glance(None, None).label(), "Aucune demande");
        assert_eq!(
            glance(Some(DemandeState::Soumise), None).label(),
            "Soumise à la région"
        );
        let certified = glance(
            Some(DemandeState::Certifiee),
            Some(CertificateStatus::Valide),
        );
        assert_eq!(certified.label(), "Certifiée jusqu'au 09/03/2030");
        assert!(certified.expires_within(3, date(2029, 12, 9)));
        assert!(!certified.expires_within(3, date(2029, 12, 8)));
        assert_eq!(
            glance(
                Some(DemandeState::Brouillon),
                Some(CertificateStatus::Expire)
            )
            .label(),
            "Certificat expiré le 09/03/2030 ; demande en cours : en préparation"
        );
    }

    #[test]
    fn codes_are_grouped_and_read_back_as_typed() {
        assert_eq!(code_from([0; 10]), "0000-0000-0000-0000");
        assert_eq!(code_from([255; 10]), "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        let code = code_from([1, 35, 69, 103, 137, 171, 205, 239, 16, 50]);
        assert_eq!(code, "04HM-ASW9-NF6Y-Y41J");
        assert_eq!(
            normalise_code("04hm asw9 nf6y y4ij").as_deref(),
            Some(code.as_str())
        );
        assert_eq!(
            normalise_code("04HMASW9NF6YY41J").as_deref(),
            Some(code.as_str())
        );
        assert_eq!(normalise_code("04HM-ASW9-NF6Y-Y41U"), None);
        assert_eq!(normalise_code("04HM-AST9"), None);
        assert_eq!(normalise_code("../../etc/passwd"), None);
    }
}
