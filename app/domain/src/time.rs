//! Timestamps are stored as fixed-width UTC text so that both databases sort and compare them alike.

use chrono::{DateTime, NaiveDate, Utc};

pub const STORED_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

pub fn to_stored(at: DateTime<Utc>) -> String {
    at.format(STORED_FORMAT).to_string()
}

pub fn from_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `22/11/2026 à 19:22 UTC`, for people reading a French screen.
pub fn display_datetime(at: DateTime<Utc>) -> String {
    at.format("%d/%m/%Y à %H:%M UTC").to_string()
}

pub fn display_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn stored_form_is_fixed_width_and_round_trips() {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let text = to_stored(at);
        assert_eq!(text, "2026-01-02T03:04:05.000000Z");
        assert_eq!(from_stored(&text), Some(at));
        assert_eq!(display_datetime(at), "02/01/2026 à 03:04 UTC");
    }
}
