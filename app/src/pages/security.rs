use super::query_param;
use crate::api::audit::security_journal;
use crate::components::forms::{SelectField, TextField};
use crate::components::load::loaded;
use domain::security::{SecurityEntry, SecurityFilter, SecurityKind};
use leptos::prelude::*;
use leptos_meta::Title;

/// The security journal, beside the audit trail: sign-ins, sign-outs, password changes and
/// refused accesses, with their address.
#[component]
pub fn SecurityJournalPage() -> impl IntoView {
    let filter = SecurityFilter {
        kind: query_param("type"),
        account: query_param("compte"),
        address: query_param("adresse"),
        from: query_param("du"),
        to: query_param("au"),
        page: query_param("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(0),
    };
    let page = filter.page;
    let kinds = SecurityKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let query = filter_query(&filter);
    view! {
        <Title text="Journal de sécurité"/>
        <h1>"Journal de sécurité"</h1>
        <p class="aide">"Connexions réussies et refusées, déconnexions, changements de mot de passe et accès refusés : quand (heure UTC), quel compte, depuis quelle adresse. Le journal ne peut être modifié ; il est effacé au-delà de sa durée de conservation. Les modifications des données sont dans le "<a href="/administration/journal">"journal d'audit"</a>"."</p>
        <form method="get" class="filtres" role="search" aria-label="Filtrer le journal de sécurité">
            <SelectField id="securite-type" name="type" label="Événement" options=kinds
                selected=filter.kind.clone().unwrap_or_default() empty="Tous"/>
            <TextField id="securite-compte" name="compte" label="Compte" value=filter.account.clone().unwrap_or_default()/>
            <TextField id="securite-adresse" name="adresse" label="Adresse" value=filter.address.clone().unwrap_or_default()/>
            <TextField id="securite-du" name="du" label="Du" input_type="date" value=filter.from.clone().unwrap_or_default()/>
            <TextField id="securite-au" name="au" label="Au" input_type="date" value=filter.to.clone().unwrap_or_default()/>
            <button type="submit" class="bouton-secondaire">"Filtrer"</button>
        </form>
        {loaded(security_journal(filter), move |result| view! {
            <SecurityTable events=result.events/>
            <nav class="pagination" aria-label="Pages du journal de sécurité">
                {(page > 0).then(|| view! { <a href=format!("?{query}&page={}", page - 1)>"← Plus récents"</a> })}
                {result.has_more.then(|| view! { <a href=format!("?{query}&page={}", page + 1)>"Plus anciens →"</a> })}
            </nav>
        })}
    }
}

fn filter_query(filter: &SecurityFilter) -> String {
    [
        ("type", filter.kind.clone()),
        ("compte", filter.account.clone()),
        ("adresse", filter.address.clone()),
        ("du", filter.from.clone()),
        ("au", filter.to.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k}={}", crate::url::encode(&v))))
    .collect::<Vec<_>>()
    .join("&")
}

#[component]
fn SecurityTable(events: Vec<SecurityEntry>) -> impl IntoView {
    if events.is_empty() {
        return view! { <p class="vide">"Aucune entrée ne correspond à ces critères."</p> }
            .into_any();
    }
    view! {
        <table class="journal">
            <caption class="visuellement-cache">"Entrées du journal de sécurité"</caption>
            <thead><tr>
                <th scope="col">"Date (UTC)"</th><th scope="col">"Événement"</th>
                <th scope="col">"Compte"</th><th scope="col">"Adresse"</th><th scope="col">"Détail"</th>
            </tr></thead>
            <tbody>
                {events.into_iter().map(|e| view! {
                    <tr>
                        <td><time datetime=e.occurred_at.to_rfc3339()>{domain::time::display_datetime(e.occurred_at)}</time></td>
                        <td>{e.kind.label()}</td>
                        <td>{e.account}</td>
                        <td>{e.address}</td>
                        <td>{e.detail}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}
