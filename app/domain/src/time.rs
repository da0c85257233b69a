//! Times: stored as fixed-width UTC text, so that both databases sort and compare them alike;
//! shown to people in the federation's time zone (`CEDRE_TIMEZONE`, Europe/Paris by default),
//! in French formats, without any « UTC ».
//!
//! Only the server formats times: the islands never do, so the time-zone database
//! (chrono-tz) is left out of the WASM build, where times would show in UTC.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

pub const STORED_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// The time zone used when none is configured.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Paris";

pub fn to_stored(at: DateTime<Utc>) -> String {
    at.format(STORED_FORMAT).to_string()
}

pub fn from_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// `23/11/2026 à 14:05`: the time in the configured time zone, for people reading a French screen,
/// a PDF or a spreadsheet. The single place where a time becomes text for a person.
pub fn display_datetime(at: DateTime<Utc>) -> String {
    local(at).format("%d/%m/%Y à %H:%M").to_string()
}

pub fn display_date(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Today's date where the federation is (not in UTC: just after midnight in Paris, UTC is still
/// on the day before).
pub fn today() -> NaiveDate {
    date_of(Utc::now())
}

/// The date of an instant where the federation is.
pub fn date_of(at: DateTime<Utc>) -> NaiveDate {
    local(at).date()
}

/// The instant a local day begins, in UTC: to filter stored times by the dates people type
/// (`du 23/11/2026` means from 23/11/2026 00:00 in Paris, that is 22/11/2026 23:00 UTC).
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    utc_of_local(midnight)
}

#[cfg(not(target_arch = "wasm32"))]
mod zone {
    use chrono_tz::Tz;
    use std::sync::OnceLock;

    static TIME_ZONE: OnceLock<Tz> = OnceLock::new();

    /// Checks an IANA time-zone name (`Europe/Paris`, `America/Cayenne`, `Indian/Reunion`…).
    pub fn parse(name: &str) -> Result<Tz, String> {
        name.trim().parse::<Tz>().map_err(|_| {
            format!(
                "fuseau horaire inconnu : « {name} » (attendu : un nom de la base IANA, par exemple {})",
                super::DEFAULT_TIME_ZONE
            )
        })
    }

    /// Sets the time zone of every displayed time, once, at start-up. A second call with another
    /// zone is refused: times already shown would not agree with the next ones.
    pub fn set(name: &str) -> Result<(), String> {
        let zone = parse(name)?;
        let set = TIME_ZONE.get_or_init(|| zone);
        if *set == zone {
            Ok(())
        } else {
            Err(format!("le fuseau horaire est déjà fixé à {}", set.name()))
        }
    }

    pub fn current() -> Tz {
        *TIME_ZONE.get_or_init(|| chrono_tz::Europe::Paris)
    }

    pub fn local(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
        at.with_timezone(&current()).naive_local()
    }

    /// A local time that a change of time skips (02:30 on the last Sunday of March) is taken at
    /// the end of the gap; one that happens twice, at its first occurrence.
    pub fn utc_of_local(local: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        let zone = current();
        let mut probe = local;
        for _ in 0..4 {
            if let Some(at) = zone.from_local_datetime(&probe).earliest() {
                return at.with_timezone(&chrono::Utc);
            }
            probe += chrono::Duration::minutes(30);
        }
        local.and_utc()
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use zone::{parse as check_time_zone, set as set_time_zone};

/// The name of the configured time zone (`Europe/Paris`).
#[cfg(not(target_arch = "wasm32"))]
pub fn time_zone_name() -> &'static str {
    zone::current().name()
}

#[cfg(not(target_arch = "wasm32"))]
fn local(at: DateTime<Utc>) -> NaiveDateTime {
    zone::local(at)
}

#[cfg(not(target_arch = "wasm32"))]
fn utc_of_local(local: NaiveDateTime) -> DateTime<Utc> {
    zone::utc_of_local(local)
}

#[cfg(target_arch = "wasm32")]
fn local(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc()
}

#[cfg(target_arch = "wasm32")]
fn utc_of_local(local: NaiveDateTime) -> DateTime<Utc> {
    local.and_utc()
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
    }

    // The tests run with the default zone: nothing in them sets another.

    #[test]
    fn winter_time_in_paris_is_utc_plus_one() {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(display_datetime(at), "02/01/2026 à 04:04");
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 13, 5, 0).unwrap();
        assert_eq!(display_datetime(at), "23/11/2026 à 14:05");
    }

    #[test]
    fn summer_time_in_paris_is_utc_plus_two() {
        let at = Utc.with_ymd_and_hms(2026, 7, 14, 8, 30, 0).unwrap();
        assert_eq!(display_datetime(at), "14/07/2026 à 10:30");
    }

    #[test]
    fn the_changes_of_time_fall_on_the_last_sundays_of_march_and_october() {
        // 29 March 2026, 01:00 UTC: clocks go from 02:00 to 03:00 in Paris.
        let before = Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(display_datetime(before), "29/03/2026 à 01:59");
        assert_eq!(display_datetime(after), "29/03/2026 à 03:00");
        // 25 October 2026, 01:00 UTC: clocks go back from 03:00 to 02:00.
        let before = Utc.with_ymd_and_hms(2026, 10, 25, 0, 59, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 10, 25, 1, 0, 0).unwrap();
        assert_eq!(display_datetime(before), "25/10/2026 à 02:59");
        assert_eq!(display_datetime(after), "25/10/2026 à 02:00");
    }

    #[test]
    fn a_late_evening_in_utc_is_already_the_next_day_in_paris() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(display_datetime(at), "01/01/2027 à 00:30");
        assert_eq!(
            local(at).date(),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }

    #[test]
    fn a_local_day_starts_at_its_midnight_in_paris() {
        let winter = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            start_of_day(winter),
            Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap()
        );
        let summer = NaiveDate::from_ymd_opt(2026, 7, 14).unwrap();
        assert_eq!(
            start_of_day(summer),
            Utc.with_ymd_and_hms(2026, 7, 13, 22, 0, 0).unwrap()
        );
    }

    #[test]
    fn no_utc_is_shown() {
        let at = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
        assert!(!display_datetime(at).contains("UTC"));
    }

    #[test]
    fn time_zones_are_checked_by_name() {
        assert!(check_time_zone("Europe/Paris").is_ok());
        assert!(check_time_zone("Indian/Reunion").is_ok());
        assert!(check_time_zone("Europe/Lutèce")
            .unwrap_err()
            .contains("fuseau horaire inconnu"));
        assert_eq!(time_zone_name(), "Europe/Paris");
        // Setting the zone already in force is accepted; changing it afterwards is not.
        assert!(set_time_zone("Europe/Paris").is_ok());
        assert!(set_time_zone("America/Cayenne").is_err());
    }
}
