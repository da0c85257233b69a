//! The interactive parts, hydrated in the browser. Everything else is server-rendered HTML,
//! so the WASM holds only these islands and does not grow with each page.

use crate::components::forms::field_message;
use leptos::prelude::*;

/// The navigation, folded behind a button on narrow screens.
#[island]
pub fn NavMenu(children: Children) -> impl IntoView {
    let (open, set_open) = signal(false);
    view! {
        <button
            type="button"
            class="bouton-menu"
            aria-controls="navigation-principale"
            aria-expanded=move || open.get().to_string()
            on:click=move |_| set_open.update(|o| *o = !*o)
        >
            <span aria-hidden="true">"☰ "</span>
            {move || if open.get() { "Fermer le menu" } else { "Menu" }}
        </button>
        <div id="navigation-principale" class="menu" class:ouvert=open>
            {children()}
        </div>
    }
}

/// A password field with a button that shows or hides what was typed, and the message of a
/// refused form beside it (its value is never shown again).
#[island]
pub fn PasswordInput(
    id: String,
    name: String,
    label: String,
    autocomplete: String,
    error: Option<String>,
) -> impl IntoView {
    let (visible, set_visible) = signal(false);
    let error_id = error.as_ref().map(|_| format!("{id}-erreur"));
    view! {
        <div class="champ">
            <label for=id.clone()>{label}</label>
            {error.map(|message| field_message(error_id.clone(), message))}
            <div class="mot-de-passe">
                <input
                    id=id
                    name=name
                    type=move || if visible.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    required=true
                    aria-describedby=error_id.clone()
                    aria-invalid=error_id.as_ref().map(|_| "true")
                />
                <button
                    type="button"
                    class="bouton-secondaire"
                    aria-pressed=move || visible.get().to_string()
                    on:click=move |_| set_visible.update(|v| *v = !*v)
                >
                    {move || if visible.get() { "Masquer" } else { "Afficher" }}
                </button>
            </div>
        </div>
    }
}
