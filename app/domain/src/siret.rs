//! SIRET: the 14-digit identifier of an establishment (SIREN + NIC), checked with Luhn.

use serde::{Deserialize, Serialize};
use std::fmt;

/// La Poste's establishments share one SIREN and use a different checksum (digit sum divisible by 5).
const LA_POSTE_SIREN: &str = "356000000";

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Siret(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SiretError {
    #[error("Le SIRET doit comporter 14 chiffres.")]
    Length,
    #[error("Le SIRET ne doit contenir que des chiffres.")]
    NotDigits,
    #[error("Le SIRET est invalide : sa clé de contrôle ne correspond pas.")]
    Checksum,
}

impl Siret {
    /// Accepts the usual spellings (`123 456 789 00012`, with spaces or dots) and keeps the digits.
    pub fn parse(input: &str) -> Result<Self, SiretError> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '-')
            .collect();
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(SiretError::NotDigits);
        }
        if compact.len() != 14 {
            return Err(SiretError::Length);
        }
        let valid = if compact.starts_with(LA_POSTE_SIREN) {
            digit_sum(&compact).is_multiple_of(5)
        } else {
            luhn_valid(&compact)
        };
        if valid {
            Ok(Self(compact))
        } else {
            Err(SiretError::Checksum)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn siren(&self) -> &str {
        &self.0[..9]
    }
}

impl fmt::Display for Siret {
    /// The usual French grouping: `123 456 789 00012`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{} {} {} {}", &s[0..3], &s[3..6], &s[6..9], &s[9..])
    }
}

fn digit_sum(digits: &str) -> u32 {
    digits.bytes().map(|b| u32::from(b - b'0')).sum()
}

fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_siret_with_usual_spacing() {
        // SIRET of the INSEE head office, a public, valid number.
        let s = Siret::parse("120 027 016 00019").unwrap();
        assert_eq!(s.as_str(), "12002701600019");
        assert_eq!(s.siren(), "120027016");
        assert_eq!(s.to_string(), "120 027 016 00019");
    }

    #[test]
    fn rejects_wrong_checksum() {
        assert_eq!(Siret::parse("12002701600018"), Err(SiretError::Checksum));
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert_eq!(Siret::parse("1200270160001"), Err(SiretError::Length));
        assert_eq!(Siret::parse("1200270160001A"), Err(SiretError::NotDigits));
        assert_eq!(Siret::parse(""), Err(SiretError::Length));
    }

    #[test]
    fn la_poste_establishments_use_their_own_rule() {
        // Digit sums: 3+5+6+1 = 15 (valid), 3+5+6+2 = 16 (invalid).
        assert!(Siret::parse("35600000000001").is_ok());
        assert_eq!(Siret::parse("35600000000002"), Err(SiretError::Checksum));
    }
}
