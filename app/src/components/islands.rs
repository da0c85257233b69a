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

/// The text of a manual section, with its preview rendered by the server as the user types:
/// a pause of [`PREVIEW_PAUSE`] after the last key posts the text to `/manuel/apercu`, which
/// answers the HTML of the preview (escaped by the server); an answer overtaken by a later key is
/// dropped. The WASM holds no Markdown parser and no renderer of it. Without script, the form
/// still posts the text, and the page shows the preview of the saved draft.
#[island]
pub fn MarkdownInput(
    id: String,
    name: String,
    value: String,
    describedby: Option<String>,
    invalid: Option<String>,
) -> impl IntoView {
    let preview = NodeRef::<leptos::html::Div>::new();
    let typed = StoredValue::new(0u64);
    let on_input = move |event| {
        let text = event_target_value(&event);
        typed.update_value(|n| *n += 1);
        let mine = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Some(html) = rendered_preview(text).await {
                        if let Some(div) = preview.get_untracked() {
                            if typed.get_value() == mine {
                                div.set_inner_html(&html);
                            }
                        }
                    }
                });
            },
            PREVIEW_PAUSE,
        );
    };
    view! {
        <textarea id=id name=name aria-describedby=describedby aria-invalid=invalid on:input=on_input>
            {value}
        </textarea>
        <div class="apercu-direct texte-section" role="region" aria-live="polite" aria-label="Aperçu de ce que vous écrivez" node_ref=preview></div>
    }
}

/// How long the user pauses before the preview is asked for.
const PREVIEW_PAUSE: std::time::Duration = std::time::Duration::from_millis(400);

/// The server's HTML of the preview of `text`, or `None` when the request failed.
async fn rendered_preview(text: String) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_body(&wasm_bindgen::JsValue::from_str(&text));
        let request = web_sys::Request::new_with_str_and_init("/manuel/apercu", &init).ok()?;
        request
            .headers()
            .set("Content-Type", "text/plain; charset=utf-8")
            .ok()?;
        let answer = wasm_bindgen_futures::JsFuture::from(window().fetch_with_request(&request))
            .await
            .ok()?;
        let answer: web_sys::Response = answer.dyn_into().ok()?;
        if !answer.ok() {
            return None;
        }
        let body = wasm_bindgen_futures::JsFuture::from(answer.text().ok()?)
            .await
            .ok()?;
        body.as_string()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = text;
        None
    }
}
