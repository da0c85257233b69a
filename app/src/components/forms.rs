//! Forms and their fields, each with its label. After a refused post, a form shows again what was
//! typed, each message beside its field and the others at its top: [`Form`] finds the echo of the
//! refusal (kept on the server, see `api::ssr`) and gives it to its fields through a context.

use crate::components::islands::{MarkdownInput, PasswordInput};
use crate::types::FormEcho;
use leptos::prelude::*;
use leptos::server_fn::client::Client;
use leptos::server_fn::codec::PostUrl;
use leptos::server_fn::request::ClientReq;
use leptos::server_fn::{Http, ServerFn};
use leptos::tachys::reactive_graph::OwnedView;
use leptos::web_sys::FormData;
use serde::de::DeserializeOwned;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The part of a field's name that validation messages use: `draft[siret]` → `siret`;
/// a plain name (`email`) is itself.
pub fn field_key(name: &str) -> &str {
    match (name.rfind('['), name.strip_suffix(']')) {
        (Some(open), Some(inner)) if open < inner.len() => &inner[open + 1..],
        _ => name,
    }
}

/// The echo taken for the page being rendered, if any.
#[derive(Clone, Debug, Default)]
struct PageEcho {
    echo: Option<Arc<FormEcho>>,
    /// Set by the form that shows the echo.
    shown: Arc<AtomicBool>,
    /// Set once the messages were shown at the top of the page instead.
    reported: Arc<AtomicBool>,
}

/// What became of the form this browser just had refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No form was refused.
    None,
    /// The page's form shows it again.
    Shown,
    /// It was refused, but its echo is gone (expired, or the server restarted).
    Lost,
}

/// Takes the echo of the form this browser just had refused (once) and provides it to the forms
/// of the page. Called once a page, by the layout and by the login page.
pub fn provide_form_echo() -> Refusal {
    #[cfg(feature = "ssr")]
    let taken = crate::api::ssr::take_form_echo();
    #[cfg(not(feature = "ssr"))]
    let taken: Option<Option<FormEcho>> = None;
    let refusal = match &taken {
        None => Refusal::None,
        Some(None) => Refusal::Lost,
        Some(Some(_)) => Refusal::Shown,
    };
    provide_context(PageEcho {
        echo: taken.flatten().map(Arc::new),
        ..Default::default()
    });
    refusal
}

/// The echo for the form posting to `action`; among several such forms on a page, the one whose
/// field `instance.0` has the value `instance.1`.
fn echo_for(action: &str, instance: Option<(&str, &str)>) -> Option<Arc<FormEcho>> {
    use_context::<PageEcho>()
        .and_then(|page| page.echo)
        .filter(|echo| {
            echo.action == action
                && instance.is_none_or(|(name, value)| echo.value(name) == Some(value))
        })
}

/// The messages of a refused form that the page did not show (the form is no longer offered: a
/// version came into force, a right was withdrawn), at the top of the page's content. Called by
/// `load::loaded` once the content is built; shows them once.
pub fn unshown_refusal() -> impl IntoView {
    let page = use_context::<PageEcho>().unwrap_or_default();
    let echo = page.echo.filter(|_| {
        !page.shown.load(Ordering::SeqCst) && !page.reported.swap(true, Ordering::SeqCst)
    })?;
    let messages: Vec<String> = echo.errors.iter().map(|e| e.message.clone()).collect();
    Some(view! {
        <div class="erreurs-formulaire" role="alert">
            <p>"Rien n'a été enregistré."</p>
            {messages.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
        </div>
    })
}

/// Whether the form of `ServFn` (with `instance`, as for [`Form`]) was just refused: a page opens
/// the `<details>` around it.
pub fn refused<ServFn: ServerFn>(instance: Option<(&str, &str)>) -> bool {
    echo_for(ServFn::PATH, instance).is_some()
}

/// What the fields of one form read: the echo of its refusal, if it was refused.
#[derive(Clone, Default)]
struct FormState {
    echo: Option<Arc<FormEcho>>,
    /// The fields whose message is shown beside them; the other messages go to the top.
    shown: Arc<Mutex<Vec<String>>>,
}

impl FormState {
    fn value(&self, name: &str) -> Option<String> {
        self.echo.as_ref()?.value(name).map(str::to_string)
    }

    fn message(&self, name: &str) -> Option<String> {
        let key = field_key(name);
        let message = self.echo.as_ref()?.errors.message_for(key)?;
        if let Ok(mut shown) = self.shown.lock() {
            shown.push(key.to_string());
        }
        Some(message)
    }

    /// The messages that no field showed beside itself, and whether any field showed one.
    fn remaining(&self) -> (Vec<String>, bool) {
        let Some(echo) = &self.echo else {
            return (Vec::new(), false);
        };
        let shown = self.shown.lock().map(|s| s.clone()).unwrap_or_default();
        let remaining = echo
            .errors
            .iter()
            .filter(|e| e.field.is_empty() || !shown.contains(&e.field))
            .map(|e| e.message.clone())
            .collect();
        (remaining, !shown.is_empty())
    }
}

/// A form posting to a server function (an [`ActionForm`]) that shows its refusal again: the
/// values typed, each message beside its field, the others at the top.
#[component]
pub fn Form<ServFn, OutputProtocol>(
    action: ServerAction<ServFn>,
    #[prop(optional)] class: Option<&'static str>,
    /// Among several forms of the same action on a page, the one this is: a field of the form
    /// and its value here (`("key", "2.1 a")`).
    #[prop(optional, into)]
    instance: Option<(&'static str, String)>,
    children: Children,
) -> impl IntoView
where
    ServFn: DeserializeOwned
        + ServerFn<Protocol = Http<PostUrl, OutputProtocol>>
        + Clone
        + Send
        + Sync
        + 'static,
    <<ServFn::Client as Client<ServFn::Error>>::Request as ClientReq<ServFn::Error>>::FormData:
        From<FormData>,
    ServFn::Output: Send + Sync + 'static,
    ServFn::Error: Send + Sync + 'static,
    <ServFn as ServerFn>::Client: Client<<ServFn as ServerFn>::Error>,
{
    let state = FormState {
        echo: echo_for(
            ServFn::PATH,
            instance
                .as_ref()
                .map(|(name, value)| (*name, value.as_str())),
        ),
        shown: Default::default(),
    };
    if state.echo.is_some() {
        if let Some(page) = use_context::<PageEcho>() {
            page.shown.store(true, Ordering::SeqCst);
        }
    }
    // The fields are built first, so that the top shows only what none of them showed.
    let owner = Owner::current().map(|o| o.child()).unwrap_or_default();
    let fields = owner.with(|| {
        provide_context(state.clone());
        children()
    });
    let (messages, beside) = state.remaining();
    let summary = (beside || !messages.is_empty()).then(|| {
        view! {
            <div class="erreurs-formulaire" role="alert">
                {beside.then_some(view! {
                    <p>"Rien n'a été enregistré : corrigez ce qui est signalé ci-dessous."</p>
                })}
                {messages.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
            </div>
        }
    });
    view! {
        <ActionForm action attr:class=class>
            {summary}
            {OwnedView::new_with_owner(fields, owner)}
        </ActionForm>
    }
}

/// The value typed before a refusal (if this field's form was refused) and its message.
fn echoed(name: &str) -> (Option<String>, Option<String>) {
    use_context::<FormState>()
        .map(|state| (state.value(name), state.message(name)))
        .unwrap_or_default()
}

/// The message of a field, named by the field's `aria-describedby`; "Erreur" is said, not only
/// shown in red.
pub fn field_message(id: Option<String>, message: String) -> impl IntoView {
    view! {
        <p class="erreur-champ" id=id>
            <span class="visuellement-cache">"Erreur : "</span>{message}
        </p>
    }
}

/// What a field gives its control: the id, the ids that describe it (hint, message), whether it
/// is invalid, and the value typed before a refusal.
struct Control {
    id: String,
    describedby: Option<String>,
    invalid: Option<&'static str>,
    typed: Option<String>,
}

/// A field: its label, hint and message, then the control built by `control`.
fn field<C: IntoView + 'static>(
    id: String,
    name: &str,
    label: &'static str,
    required: bool,
    hint: Option<&'static str>,
    control: impl FnOnce(Control) -> C,
) -> impl IntoView {
    let (typed, error) = echoed(name);
    let hint_id = hint.map(|_| format!("{id}-aide"));
    let error_id = error.as_ref().map(|_| format!("{id}-erreur"));
    let ids: Vec<&str> = [&hint_id, &error_id]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let describedby = (!ids.is_empty()).then(|| ids.join(" "));
    let invalid = error.as_ref().map(|_| "true");
    view! {
        <div class="champ">
            <label for=id.clone()>
                {label}
                {required.then_some(view! { <span class="obligatoire" aria-hidden="true">" *"</span> })}
            </label>
            {hint.map(|h| view! { <p class="aide" id=hint_id>{h}</p> })}
            {error.map(|message| field_message(error_id, message))}
            {control(Control { id, describedby, invalid, typed })}
        </div>
    }
}

#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    field(id, &name.clone(), label, required, hint, move |c| {
        view! {
            <input id=c.id name=name type=input_type value=c.typed.unwrap_or(value)
                required=required autocomplete=autocomplete
                aria-describedby=c.describedby aria-invalid=c.invalid/>
        }
    })
}

/// A `<select>` of `(value, label)` pairs.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] required: bool,
    /// The label of an empty first choice, if the field may be left empty.
    #[prop(optional)]
    empty: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    field(id, name, label, required, hint, move |c| {
        let selected = c.typed.unwrap_or(selected);
        view! {
            <select id=c.id name=name required=required
                aria-describedby=c.describedby aria-invalid=c.invalid>
                {empty.map(|e| view! { <option value="">{e}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        }
    })
}

#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] name: String,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    field(id, &name.clone(), label, required, hint, move |c| {
        view! {
            <textarea id=c.id name=name required=required
                aria-describedby=c.describedby aria-invalid=c.invalid>
                {c.typed.unwrap_or(value)}
            </textarea>
        }
    })
}

/// The Markdown text of a manual section, with its live preview (see [`MarkdownInput`]).
#[component]
pub fn MarkdownArea(
    #[prop(into)] id: String,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    field(id, name, label, false, hint, move |c| {
        view! {
            <MarkdownInput id=c.id name=name.to_string() value=c.typed.unwrap_or(value)
                describedby=c.describedby invalid=c.invalid.map(str::to_string)/>
        }
    })
}

/// The id of a grid cell, from its field's name: `champs[3.poste]` → `champ-champs-3-poste`.
fn cell_id(name: &str) -> String {
    let mut id = String::from("champ-");
    id.extend(
        name.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }),
    );
    id.trim_end_matches('-').to_string()
}

/// What a grid cell gives its control: its id, the value typed before a refusal, its message.
struct Cell {
    id: String,
    typed: Option<String>,
    error_id: Option<String>,
    error: Option<String>,
}

fn cell(name: &str) -> Cell {
    let (typed, error) = echoed(name);
    let id = cell_id(name);
    Cell {
        error_id: error.as_ref().map(|_| format!("{id}-erreur")),
        id,
        typed,
        error,
    }
}

/// A text field in a row of a grid (a table, an organigramme being edited): the column's
/// heading shows what it is and `label` names it for screen readers; its message comes below.
#[component]
pub fn CellInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] value: String,
) -> impl IntoView {
    let c = cell(&name);
    let invalid = c.error.as_ref().map(|_| "true");
    view! {
        <input id=c.id type="text" name=name value=c.typed.unwrap_or(value) aria-label=label
            aria-describedby=c.error_id.clone() aria-invalid=invalid/>
        {c.error.map(|m| field_message(c.error_id, m))}
    }
}

/// A `<select>` in a row of a grid, as [`CellInput`]; `empty` labels its empty first choice.
#[component]
pub fn CellSelect(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    empty: &'static str,
) -> impl IntoView {
    let c = cell(&name);
    let invalid = c.error.as_ref().map(|_| "true");
    let selected = c.typed.unwrap_or(selected);
    view! {
        <select id=c.id name=name aria-label=label aria-describedby=c.error_id.clone() aria-invalid=invalid>
            <option value="">{empty}</option>
            {options.into_iter().map(|(value, text)| {
                let is_selected = value == selected;
                view! { <option value=value selected=is_selected>{text}</option> }
            }).collect_view()}
        </select>
        {c.error.map(|m| field_message(c.error_id, m))}
    }
}

/// A box in a row of a grid (« retirer »), ticked again after a refusal if it was.
#[component]
pub fn CellCheckbox(#[prop(into)] name: String, #[prop(into)] label: String) -> impl IntoView {
    let c = cell(&name);
    let checked = c.typed.is_some();
    view! { <input id=c.id type="checkbox" name=name aria-label=label checked=checked/> }
}

/// A password field (with its show/hide button): its message is shown, what was typed never is.
#[component]
pub fn PasswordField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    autocomplete: &'static str,
) -> impl IntoView {
    let (_, error) = echoed(name);
    view! {
        <PasswordInput id=id.to_string() name=name.to_string() label=label.to_string()
            autocomplete=autocomplete.to_string() error/>
    }
}

#[cfg(test)]
mod tests {
    use super::field_key;

    #[test]
    fn messages_are_keyed_by_the_inner_name() {
        assert_eq!(field_key("draft[siret]"), "siret");
        assert_eq!(field_key("email"), "email");
        assert_eq!(field_key("display_name"), "display_name");
        assert_eq!(field_key("odd]"), "odd]");
    }
}
