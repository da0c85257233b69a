//! A user's open sessions, as « Mes sessions » shows them, and the browser and address a
//! session comes from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Stored User-Agents are cut to this many characters (a CHECK on `sessions` says the same).
pub const USER_AGENT_MAX_CHARS: usize = 300;
/// Stored addresses are cut to this many characters.
pub const ADDRESS_MAX_CHARS: usize = 100;

/// Where a request comes from: its browser (User-Agent) and its address.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub user_agent: String,
    pub address: String,
}

impl Client {
    /// Cut to what the database stores.
    pub fn new(user_agent: &str, address: &str) -> Self {
        Self {
            user_agent: user_agent
                .trim()
                .chars()
                .take(USER_AGENT_MAX_CHARS)
                .collect(),
            address: address.trim().chars().take(ADDRESS_MAX_CHARS).collect(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSession {
    /// A public identifier, derived from the session and useless for anything but ending it.
    pub id: String,
    pub started_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
    pub address: String,
    /// The session this page was opened with.
    pub current: bool,
}

impl OpenSession {
    pub fn browser(&self) -> String {
        browser_summary(&self.user_agent)
    }
}

/// « Firefox sur Windows »: the browser and system named by a User-Agent, for people to
/// recognise their sessions; « Navigateur inconnu » when it says nothing known.
pub fn browser_summary(user_agent: &str) -> String {
    let ua = user_agent;
    let browser = if ua.contains("Edg/") || ua.contains("Edge/") {
        Some("Edge")
    } else if ua.contains("OPR/") || ua.contains("Opera") {
        Some("Opera")
    } else if ua.contains("Firefox/") || ua.contains("FxiOS/") {
        Some("Firefox")
    } else if ua.contains("Chrome/") || ua.contains("CriOS/") || ua.contains("Chromium/") {
        Some("Chrome")
    } else if ua.contains("Safari/") {
        Some("Safari")
    } else {
        None
    };
    let system = if ua.contains("Android") {
        Some("Android")
    } else if ua.contains("iPhone") || ua.contains("iPad") {
        Some("iOS")
    } else if ua.contains("Windows") {
        Some("Windows")
    } else if ua.contains("Mac OS X") || ua.contains("Macintosh") {
        Some("macOS")
    } else if ua.contains("CrOS") {
        Some("ChromeOS")
    } else if ua.contains("Linux") {
        Some("Linux")
    } else {
        None
    };
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} sur {s}"),
        (Some(b), None) => b.to_string(),
        (None, Some(s)) => format!("Navigateur inconnu sur {s}"),
        (None, None) => "Navigateur inconnu".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agents_are_summarised() {
        for (ua, expected) in [
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox sur Windows"),
            ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari sur macOS"),
            ("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36", "Chrome sur Android"),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0", "Edge sur Windows"),
            ("curl/8.5.0", "Navigateur inconnu"),
            ("", "Navigateur inconnu"),
        ] {
            assert_eq!(browser_summary(ua), expected, "{ua}");
        }
    }

    #[test]
    fn clients_are_cut_to_what_is_stored() {
        let client = Client::new(&"é".repeat(400), " 192.0.2.1 ");
        assert_eq!(client.user_agent.chars().count(), USER_AGENT_MAX_CHARS);
        assert_eq!(client.address, "192.0.2.1");
    }
}
