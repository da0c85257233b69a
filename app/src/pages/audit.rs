use super::query_param;
use crate::api::audit::audit_trail;
use crate::components::forms::{SelectField, TextField};
use crate::components::load::loaded;
use crate::components::table::Table;
use domain::audit::{AuditEntry, AuditFilter, ENTITY_TYPES};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditTrailPage() -> impl IntoView {
    let filter = AuditFilter {
        entity_type: query_param("objet"),
        actor: query_param("auteur"),
        organisation_id: query_param("organisation").and_then(|o| o.parse().ok()),
        from: query_param("du"),
        to: query_param("au"),
        page: query_param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0),
    };
    let page = filter.page;
    let kinds = ENTITY_TYPES
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    let query = filter_query(&filter);
    view! {
        <Title text="Journal d'audit"/>
        <h1>"Journal d'audit"</h1>
        <p class="aide">"Chaque modification des données y est enregistrée : qui, quand, quoi. Le journal ne peut être ni modifié ni effacé."</p>
        <form method="get" class="filtres" role="search" aria-label="Filtrer le journal">
            <SelectField id="journal-objet" name="objet" label="Objet" options=kinds
                selected=filter.entity_type.clone().unwrap_or_default() empty="Tous"/>
            <TextField id="journal-auteur" name="auteur" label="Auteur" value=filter.actor.clone().unwrap_or_default()/>
            <TextField id="journal-du" name="du" label="Du" input_type="date" value=filter.from.clone().unwrap_or_default()/>
            <TextField id="journal-au" name="au" label="Au" input_type="date" value=filter.to.clone().unwrap_or_default()/>
            <button type="submit" class="bouton-secondaire">"Filtrer"</button>
        </form>
        {loaded(audit_trail(filter), move |result| view! {
            <AuditTable events=result.events/>
            <nav class="pagination" aria-label="Pages du journal">
                {(page > 0).then(|| view! { <a href=format!("?{query}&page={}", page - 1)>"← Plus récents"</a> })}
                {result.has_more.then(|| view! { <a href=format!("?{query}&page={}", page + 1)>"Plus anciens →"</a> })}
            </nav>
        })}
    }
}

fn filter_query(filter: &AuditFilter) -> String {
    [
        ("objet", filter.entity_type.clone()),
        ("auteur", filter.actor.clone()),
        (
            "organisation",
            filter.organisation_id.map(|o| o.to_string()),
        ),
        ("du", filter.from.clone()),
        ("au", filter.to.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k}={}", crate::url::encode(&v))))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
fn AuditTable(events: Vec<AuditEntry>) -> impl IntoView {
    view! {
        <Table rows=events caption="Entrées du journal d'audit" class="journal"
            headers=&["Date", "Auteur", "Modification", "Détail"]
            empty="Aucune entrée ne correspond à ces critères."
            row=|e: AuditEntry| view! {
                <tr>
                    <td><time datetime=e.occurred_at.to_rfc3339()>{domain::time::display_datetime(e.occurred_at)}</time></td>
                    <td>{e.actor_name}</td>
                    <td>{e.summary}</td>
                    <td><details><summary>{e.action}</summary><pre>{e.changes}</pre></details></td>
                </tr>
            }/>
    }
}
