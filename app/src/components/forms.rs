//! Form fields with their labels, so that no field is ever without one.

use leptos::prelude::*;

#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] required: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-aide");
    view! {
        <div class="champ">
            <label for=id>{label}{required.then_some(view! { <span class="obligatoire" aria-hidden="true">" *"</span> })}</label>
            {hint.map(|h| view! { <p class="aide" id=hint_id.clone()>{h}</p> })}
            <input
                id=id
                name=name
                type=input_type
                value=value
                required=required
                autocomplete=autocomplete
                aria-describedby=hint.map(|_| hint_id.clone())
            />
        </div>
    }
}

/// A `<select>` of `(value, label)` pairs.
#[component]
pub fn SelectField(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: String,
    #[prop(optional)] required: bool,
    /// The label of an empty first choice, if the field may be left empty.
    #[prop(optional)]
    empty: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div class="champ">
            <label for=id>{label}{required.then_some(view! { <span class="obligatoire" aria-hidden="true">" *"</span> })}</label>
            <select id=id name=name required=required>
                {empty.map(|e| view! { <option value="">{e}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let is_selected = value == selected;
                        view! { <option value=value selected=is_selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn TextArea(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-aide");
    view! {
        <div class="champ">
            <label for=id>{label}</label>
            {hint.map(|h| view! { <p class="aide" id=hint_id.clone()>{h}</p> })}
            <textarea id=id name=name aria-describedby=hint.map(|_| hint_id.clone())>{value}</textarea>
        </div>
    }
}
