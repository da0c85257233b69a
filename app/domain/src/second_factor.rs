//! The second factor (a code from an authenticator application): who must have one, and the
//! shape of the single-use recovery codes given with it.

use crate::role::Role;

/// The roles that see every organisation or manage accounts: a stolen password alone must not
/// open them. Every other account may enrol by choice.
pub const REQUIRED_FOR: [Role; 2] = [Role::Administrateur, Role::ResponsableQualiteFederal];

/// Whether an account holding `roles` must sign in with a second factor.
pub fn required(roles: impl IntoIterator<Item = Role>) -> bool {
    roles.into_iter().any(|role| REQUIRED_FOR.contains(&role))
}

/// Recovery codes given at enrolment, each usable once when the phone is lost.
pub const RECOVERY_CODES: usize = 10;
/// Letters of a recovery code: no 0/O, 1/I/L to misread on paper.
pub const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
/// A recovery code is two groups of five letters, `xxxxx-xxxxx` (about 50 bits).
pub const RECOVERY_GROUP: usize = 5;

/// What the user typed, read as a recovery code: lower case, without spaces or dashes;
/// `None` if it cannot be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == 2 * RECOVERY_GROUP && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(code)
}

/// A normalised recovery code as it is printed: `xxxxx-xxxxx`.
pub fn display_recovery_code(code: &str) -> String {
    let (first, second) = code.split_at(code.len().min(RECOVERY_GROUP));
    format!("{first}-{second}")
}

/// What the user typed at the code prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypedCode {
    /// Six digits from the application.
    OneTime(String),
    /// A recovery code, normalised.
    Recovery(String),
}

impl TypedCode {
    pub fn read(typed: &str) -> Option<Self> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            return Some(Self::OneTime(digits));
        }
        normalise_recovery_code(typed).map(Self::Recovery)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administrators_and_the_federal_quality_lead_must_have_one() {
        assert!(required([Role::Administrateur]));
        assert!(required([
            Role::ReferentQualite,
            Role::ResponsableQualiteFederal
        ]));
        for role in [
            Role::ReferentQualite,
            Role::Direction,
            Role::Accompagnateur,
            Role::ReferentQualiteRegional,
            Role::MembreCaRegional,
            Role::MembreComiteCertification,
            Role::AuditeurExterne,
        ] {
            assert!(!required([role]), "{role:?}");
        }
        assert!(!required([]));
    }

    #[test]
    fn typed_codes_are_read_as_digits_or_recovery_codes() {
        assert_eq!(
            TypedCode::read(" 123 456 "),
            Some(TypedCode::OneTime("123456".into()))
        );
        assert_eq!(
            TypedCode::read("ABCDE-fghjk"),
            Some(TypedCode::Recovery("abcdefghjk".into()))
        );
        assert_eq!(
            TypedCode::read("abcde-fghj1"),
            None,
            "1 is not in the alphabet"
        );
        assert_eq!(TypedCode::read("12345"), None);
        assert_eq!(display_recovery_code("abcdefghjk"), "abcde-fghjk");
    }
}
