//! Password policy (ANSSI / NIST SP 800-63B style): a minimum length, no composition rules,
//! and a refusal of passwords that are common or derived from the account's identity.

pub const MIN_CHARS: usize = 12;
/// Bounds the cost of hashing a hostile input.
pub const MAX_CHARS: usize = 256;

/// Frequent passwords from public breach lists, with French ones; lower-case, one a line.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Le mot de passe doit comporter au moins {MIN_CHARS} caractères.")]
    TooShort,
    #[error("Le mot de passe ne doit pas dépasser {MAX_CHARS} caractères.")]
    TooLong,
    #[error("Ce mot de passe figure parmi les plus courants : choisissez-en un autre, par exemple une phrase de plusieurs mots.")]
    Common,
    #[error("Le mot de passe ne doit pas reprendre votre adresse électronique ou votre nom.")]
    Personal,
}

/// `identity` holds what an attacker would try first: the e-mail address and the display name.
pub fn check(password: &str, identity: &[&str]) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if length > MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    let lowered = password.to_lowercase();
    if is_common(&lowered) {
        return Err(PasswordError::Common);
    }
    let personal = identity.iter().any(|item| {
        let item = item.trim().to_lowercase();
        let local = item.split('@').next().unwrap_or_default();
        (local.chars().count() >= 4 && lowered.contains(local))
            || (!item.is_empty() && lowered == item)
    });
    if personal {
        return Err(PasswordError::Personal);
    }
    Ok(())
}

/// Also catches a common password padded with digits or repeated characters (`azertyuiop2024`, `aaaaaaaaaaaa`).
fn is_common(lowered: &str) -> bool {
    let stripped = lowered.trim_end_matches(|c: char| c.is_ascii_digit() || "!?.*_-".contains(c));
    let mut chars = lowered.chars();
    let first = chars.next();
    let single_repeated_char = first.is_some() && chars.all(|c| Some(c) == first);
    single_repeated_char
        || COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .any(|common| common == lowered || (stripped.len() >= 6 && common == stripped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(check("courte", &[]), Err(PasswordError::TooShort));
        // 12 accented characters are 24 bytes but 12 characters.
        assert_eq!(check("éèàùçéèàùçéè", &[]), Ok(()));
        assert_eq!(check(&"ab".repeat(200), &[]), Err(PasswordError::TooLong));
    }

    #[test]
    fn no_composition_rules() {
        assert_eq!(check("le chat dort sur le toit", &[]), Ok(()));
    }

    #[test]
    fn common_passwords_are_refused_even_padded() {
        assert_eq!(check("azertyuiop123", &[]), Err(PasswordError::Common));
        assert_eq!(check("MotDePasse2024!", &[]), Err(PasswordError::Common));
        assert_eq!(check("123456789012", &[]), Err(PasswordError::Common));
        assert_eq!(check("aaaaaaaaaaaaaaa", &[]), Err(PasswordError::Common));
    }

    #[test]
    fn identity_is_refused() {
        assert_eq!(
            check(
                "marie.durand-2026",
                &["marie.durand@exemple.fr", "Marie Durand"]
            ),
            Err(PasswordError::Personal)
        );
    }
}
