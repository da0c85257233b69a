//! Password hashing (argon2id with the crate's recommended parameters) and temporary passwords.
//!
//! A hash costs tens of milliseconds of CPU and 19 MiB: it runs on the blocking pool, never on
//! the async workers, and at most [`MAX_CONCURRENT_HASHES`] at a time, so that a burst of
//! logins queues instead of stalling every other request of a small server.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::Rng;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

pub const MAX_CONCURRENT_HASHES: usize = 2;

static HASHING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(MAX_CONCURRENT_HASHES));

async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let _turn = HASHING
        .acquire()
        .await
        .expect("the semaphore is never closed");
    tokio::task::spawn_blocking(work)
        .await
        .expect("password hashing does not panic")
}

pub async fn hash(password: &str) -> String {
    let password = password.to_string();
    off_the_workers(move || hash_now(&password)).await
}

pub async fn verify(password: &str, stored_hash: &str) -> bool {
    let (password, stored_hash) = (password.to_string(), stored_hash.to_string());
    off_the_workers(move || verify_now(&password, &stored_hash)).await
}

/// Spends the same time as a real check when the account does not exist, so that response
/// times do not tell which e-mail addresses have an account.
pub async fn verify_against_nothing(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let password = password.to_string();
    off_the_workers(move || {
        let dummy = DUMMY.get_or_init(|| hash_now("compte inexistant, hachage factice"));
        verify_now(&password, dummy)
    })
    .await;
}

fn hash_now(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

fn verify_now(password: &str, stored_hash: &str) -> bool {
    PasswordHash::new(stored_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
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

    #[tokio::test]
    async fn hash_verifies_only_the_right_password() {
        let h = hash("une phrase de passe assez longue").await;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("une phrase de passe assez longue", &h).await);
        assert!(!verify("une autre phrase de passe", &h).await);
        assert!(!verify("x", "pas un hachage").await);
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy() {
        let t = temporary();
        assert_eq!(t.len(), 19);
        assert!(domain::password::check(&t, &[]).is_ok());
        assert_ne!(t, temporary());
    }
}
