//! The parcours of the people a SIAE supports (seed 002, fiches outil 14 to 19, exemples 4
//! and 5): the person's file, the six engagements réciproques and the aid to choosing one,
//! the actions, the bilans, the exits, and the suivi a minima computed from them.

pub mod choice;
pub mod engagement;
pub mod person;
pub mod record;
pub mod suivi;
pub mod view;

/// A closed list of choices stored by a code and read by a French label: the enum, its
/// `ALL` in display order, `code`, `label` and `FromStr` (from the code).
macro_rules! coded {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $label:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }

            pub fn label(self) -> &'static str {
                match self { $(Self::$variant => $label,)+ }
            }

            /// Every choice as `(code, label)`, for a form's list.
            pub fn options() -> Vec<(String, String)> {
                Self::ALL.iter().map(|c| (c.code().to_string(), c.label().to_string())).collect()
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(code: &str) -> Result<Self, String> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|c| c.code() == code)
                    .ok_or_else(|| format!("unknown {} {code}", stringify!($name)))
            }
        }
    };
}
pub(crate) use coded;

use crate::validation::FieldErrors;
use chrono::{Datelike, NaiveDate};

/// The longest free text of a record (needs, object, means, comments, decisions).
pub const MAX_TEXT_CHARS: usize = 4_000;

/// A date typed in a form (`aaaa-mm-jj`), required or not, never in the future: every date of
/// a parcours records what happened, except échéances.
pub(crate) fn past_date(
    errors: &mut FieldErrors,
    field: &str,
    text: &str,
    required: bool,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        if required {
            errors.add(field, "Indiquez la date.");
        }
        return None;
    }
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(day) if day > today => {
            errors.add(
                field,
                "Cette date est à venir : indiquez une date passée ou aujourd'hui.",
            );
            None
        }
        Ok(day) if day.year_ce().1 < 1900 => {
            errors.add(field, "Date invalide (jj/mm/aaaa).");
            None
        }
        Ok(day) => Some(day),
        Err(_) => {
            errors.add(field, "Date invalide (jj/mm/aaaa).");
            None
        }
    }
}

/// A date typed in a form, in the future or not (an échéance, a deadline).
pub(crate) fn any_date(errors: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    if day.is_none() {
        errors.add(field, "Date invalide (jj/mm/aaaa).");
    }
    day
}

/// A free text, trimmed, at most `max` characters; required or not.
pub(crate) fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    max: usize,
    required: Option<&str>,
) -> String {
    let value = value.trim();
    if value.is_empty() {
        if let Some(message) = required {
            errors.add(field, message);
        }
    } else if value.chars().count() > max {
        errors.add(field, format!("{max} caractères au plus."));
    }
    value.to_string()
}

/// An account chosen in a list (an accompagnateur): its id, or `None` when left empty.
pub(crate) fn chosen_account(errors: &mut FieldErrors, field: &str, value: &str) -> Option<i64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let id = value.parse::<i64>().ok();
    if id.is_none() {
        errors.add(field, "Choisissez une personne de la liste.");
    }
    id
}
