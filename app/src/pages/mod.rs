//! One module per page.

pub mod account;
pub mod accounts;
pub mod action_plan;
pub mod assessment;
pub mod audit;
pub mod audit_grid;
pub mod certification;
pub mod editions;
pub mod engagement_choice;
pub mod errors;
pub mod home;
pub mod login;
pub mod login_code;
pub mod manual;
pub mod manual_section;
pub mod organisation;
pub mod organisation_form;
pub mod organisations;
pub mod outbox;
pub mod overview;
pub mod password;
pub mod person;
pub mod persons;
pub mod programme;
pub mod requirement;
pub mod second_factor;
pub mod section_forms;
pub mod security;
pub mod sessions;
pub mod ties;
pub mod verification;
pub mod versions;

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A numeric path parameter (`/organisations/:id`); 0 when absent or malformed, which no row has.
pub fn id_param() -> i64 {
    use_params_map()
        .get_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// A query parameter, trimmed; `None` when empty.
pub fn query_param(name: &str) -> Option<String> {
    use_query_map()
        .get_untracked()
        .get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
