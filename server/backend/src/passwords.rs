//! Password hashing (argon2id with the crate's recommended parameters) and temporary passwords.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::Rng;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

pub fn verify(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the same time as a real check when the account does not exist, so that response
/// times do not tell which e-mail addresses have an account.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("compte inexistant, hachage factice"));
    let _ = verify(password, dummy);
}

/// Sixteen characters from an alphabet without look-alikes, in groups of four: easy to copy by hand.
pub fn temporary() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let chars: Vec<char> = (0..16)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_verifies_only_the_right_password() {
        let h = hash("une phrase de passe assez longue");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("une phrase de passe assez longue", &h));
        assert!(!verify("une autre phrase de passe", &h));
        assert!(!verify("x", "pas un hachage"));
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy() {
        let t = temporary();
        assert_eq!(t.len(), 19);
        assert!(domain::password::check(&t, &[]).is_ok());
        assert_ne!(t, temporary());
    }
}
