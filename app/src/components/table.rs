//! Tables of rows, and the sentence that says why there are none when a table would be empty.

use leptos::prelude::*;

/// A table with its caption (for screen readers) and column headers; when there are no rows,
/// the sentence `empty` instead, which says why and what will appear.
#[component]
pub fn Table<T, R, V>(
    rows: Vec<T>,
    /// What the table lists, read by screen readers.
    #[prop(into)]
    caption: String,
    headers: &'static [&'static str],
    /// Shown instead of an empty table.
    #[prop(into)]
    empty: String,
    /// One `<tr>` a row.
    row: R,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView
where
    T: 'static,
    R: FnMut(T) -> V + 'static,
    V: IntoView + 'static,
{
    if rows.is_empty() {
        return view! { <p class="vide">{empty}</p> }.into_any();
    }
    view! {
        <table class=class>
            <caption class="visuellement-cache">{caption}</caption>
            <thead><tr>
                {headers.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}
            </tr></thead>
            <tbody>{rows.into_iter().map(row).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

/// A card (`<section class="carte">`) named by its heading, holding a [`Table`] (or the sentence
/// that says why it is empty), then whatever `children` add below it (a form, a link).
#[component]
pub fn TableCard<T, R, V>(
    /// The id of the heading, which names the section.
    heading_id: &'static str,
    #[prop(into)] title: String,
    rows: Vec<T>,
    #[prop(into)] caption: String,
    headers: &'static [&'static str],
    #[prop(into)] empty: String,
    row: R,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    T: 'static,
    R: FnMut(T) -> V + 'static,
    V: IntoView + 'static,
{
    view! {
        <section class="carte" aria-labelledby=heading_id>
            <h2 id=heading_id>{title}</h2>
            <Table rows caption headers empty row/>
            {children.map(|c| c())}
        </section>
    }
}
