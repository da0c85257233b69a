use super::query_param;
use crate::api::organisations::list_organisations;
use crate::components::forms::{SelectField, TextField};
use crate::components::load::loaded;
use crate::components::session::current_me;
use crate::components::table::Table;
use domain::organisation::{Organisation, OrganisationKind};
use domain::policy::{Action, Target};
use leptos::prelude::*;
use leptos_meta::Title;

/// The directory: every organisation the user may see, filtered by kind and name.
#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let kind = query_param("type").and_then(|k| k.parse::<OrganisationKind>().ok());
    let search = query_param("q");
    let can_create =
        current_me().is_some_and(|m| m.actor.may(Action::CreateOrganisation, Target::Global));
    let kinds = OrganisationKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    view! {
        <Title text="Organisations"/>
        <div class="titre-page">
            <h1>"Organisations"</h1>
            {can_create.then_some(view! { <a class="bouton-principal" href="/organisations/nouvelle">"Nouvelle organisation"</a> })}
        </div>
        <form method="get" class="filtres" role="search" aria-label="Filtrer les organisations">
            <SelectField id="filtre-type" name="type" label="Type" options=kinds
                selected=kind.map(|k| k.code().to_string()).unwrap_or_default() empty="Tous les types"/>
            <TextField id="filtre-q" name="q" label="Nom ou SIRET" input_type="search" value=search.clone().unwrap_or_default()/>
            <button type="submit" class="bouton-secondaire">"Filtrer"</button>
        </form>
        {loaded(list_organisations(kind, None, search), |organisations| view! { <OrganisationTable organisations/> })}
    }
}

#[component]
fn OrganisationTable(organisations: Vec<Organisation>) -> impl IntoView {
    let count = organisations.len();
    view! {
        {(count > 0).then(|| view! {
            <p class="compte">{format!("{count} organisation{}", if count > 1 { "s" } else { "" })}</p>
        })}
        <Table rows=organisations caption="Organisations"
            headers=&["Nom", "Type", "Association régionale", "SIRET", "Ville", "État"]
            empty="Aucune organisation ne correspond à ces critères."
            row=|o: Organisation| view! {
                <tr>
                    <td><a href=format!("/organisations/{}", o.id)>{o.name}</a></td>
                    <td>{o.siae_type.map(|t| format!("SIAE — {}", t.code())).unwrap_or_else(|| o.kind.label().to_string())}</td>
                    <td>{o.region_name.unwrap_or_default()}</td>
                    <td class="nombre">{o.siret.map(|s| s.to_string()).unwrap_or_default()}</td>
                    <td>{o.city.unwrap_or_default()}</td>
                    <td>{if o.active { "Active" } else { "Désactivée" }}</td>
                </tr>
            }/>
    }
}
