use domain::assessment::Status;
use leptos::prelude::*;

/// A requirement's status as a coloured badge; the text carries the meaning, not the colour.
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    view! { <span class=format!("pastille statut-{}", status.code())>{status.label()}</span> }
}
