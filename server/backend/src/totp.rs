//! Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226) as authenticator applications
//! compute them: HMAC-SHA1, 6 digits, 30-second steps, a 20-byte secret written in base32.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

pub const DIGITS: u32 = 6;
pub const STEP_SECONDS: i64 = 30;
/// Steps accepted either side of the current one: a phone's clock may be a little off, and a
/// code typed at the end of its step arrives in the next.
pub const DRIFT_STEPS: i64 = 1;

/// A new random secret (160 bits, the size RFC 4226 recommends), in base32.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    base32(&bytes)
}

/// The step that `unix_seconds` falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of `step` for the base32 `secret` (`None` if the secret is not base32).
pub fn code_at(secret: &str, step: i64) -> Option<String> {
    let key = from_base32(secret)?;
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).ok()?;
    mac.update(&(step as u64).to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[hash.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    Some(format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    ))
}

/// The step, within the drift around `now_step`, whose code is `code`; compared in constant time.
pub fn matching_step(secret: &str, code: &str, now_step: i64) -> Option<i64> {
    let code = code.trim().replace(' ', "");
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    (now_step - DRIFT_STEPS..=now_step + DRIFT_STEPS).find(|step| {
        code_at(secret, *step).is_some_and(|expected| constant_time_eq(&expected, &code))
    })
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The `otpauth://` address that authenticator applications read from the QR code.
pub fn provisioning_uri(issuer: &str, account: &str, secret: &str) -> String {
    let label = format!("{issuer}:{account}");
    format!(
        "otpauth://totp/{}?secret={secret}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent_encode(&label),
        percent_encode(issuer)
    )
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'@' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648) without padding, as authenticator applications expect.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buffer = [0u8; 5];
        buffer[..chunk.len()].copy_from_slice(chunk);
        let bits = u64::from_be_bytes([
            0, 0, 0, buffer[0], buffer[1], buffer[2], buffer[3], buffer[4],
        ]);
        let symbols = (chunk.len() * 8).div_ceil(5);
        for i in 0..symbols {
            let index = (bits >> (35 - i * 5)) & 0x1f;
            out.push(ALPHABET[index as usize] as char);
        }
    }
    out
}

/// Reads base32, ignoring case, spaces and padding.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut bits: u64 = 0;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a as char == c.to_ascii_uppercase())?;
        bits = (bits << 5) | value as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 secret is the ASCII of "12345678901234567890"; the RFC
    /// prints 8 digits, of which authenticator applications show the last 6.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = base32(b"12345678901234567890");
        assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
            (20_000_000_000, "353130"),
        ] {
            assert_eq!(code_at(&secret, step_at(time)).unwrap(), code, "t = {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_no_further() {
        let secret = new_secret();
        let now = step_at(1_700_000_000);
        for offset in -1..=1 {
            let code = code_at(&secret, now + offset).unwrap();
            assert_eq!(matching_step(&secret, &code, now), Some(now + offset));
        }
        for offset in [-3, -2, 2, 3] {
            let code = code_at(&secret, now + offset).unwrap();
            let found = matching_step(&secret, &code, now);
            // Another step of the window may share the code by chance (one in a million).
            assert!(found.is_none() || code_at(&secret, found.unwrap()) == Some(code));
        }
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn base32_round_trips_and_refuses_other_letters() {
        for length in 0..=21 {
            let bytes: Vec<u8> = (0..length).map(|i| (i * 37 + 11) as u8).collect();
            let text = base32(&bytes);
            assert_eq!(from_base32(&text).unwrap_or_default(), bytes, "{text}");
        }
        assert_eq!(from_base32("JBSWY3DP"), Some(b"Hello".to_vec()));
        assert_eq!(from_base32("jbsw y3dp"), Some(b"Hello".to_vec()));
        assert_eq!(from_base32("JBSWY3D1"), None);
    }

    #[test]
    fn the_provisioning_address_names_the_issuer_and_account() {
        assert_eq!(
            provisioning_uri("Cedre", "marie@exemple.fr", "JBSWY3DP"),
            "otpauth://totp/Cedre%3Amarie@exemple.fr?secret=JBSWY3DP&issuer=Cedre&algorithm=SHA1&digits=6&period=30"
        );
    }
}
