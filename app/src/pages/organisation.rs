use super::home::SiaeTable;
use super::id_param;
use crate::api::organisations::{load_organisation_page, SetOrganisationActive};
use crate::components::forms::Form;
use crate::components::load::loaded;
use crate::components::table::TableCard;
use crate::types::OrganisationPage as Page;
use domain::account::Member;
use domain::organisation::OrganisationKind;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OrganisationPage() -> impl IntoView {
    loaded(
        load_organisation_page(id_param()),
        |page| view! { <OrganisationView page/> },
    )
}

#[component]
fn OrganisationView(page: Page) -> impl IntoView {
    let o = page.organisation;
    let id = o.id;
    let is_siae = o.kind == OrganisationKind::Siae;
    view! {
        <Title text=o.name.clone()/>
        <div class="titre-page">
            <h1>{o.name.clone()}</h1>
            <p>
                {page.can_view_assessment.then_some(view! {
                    <a class="bouton-principal" href=format!("/organisations/{id}/referentiel")>"Auto-évaluation"</a>
                })}" "
                // Who reads a SIAE's assessment reads its issued editions (ViewIssuedManual grants the
                // same, tests/integration/policy.rs): the region and the federation find them here.
                {page.can_view_assessment.then_some(view! {
                    <a class="bouton-secondaire" href=crate::url::editions_page(id)>"Éditions du manuel qualité"</a>
                })}" "
                {page.can_view_demande.then_some(view! {
                    <a class="bouton-secondaire" href=crate::url::certification_page(id)>"Certification"</a>
                })}" "
                {page.can_edit.then_some(view! {
                    <a class="bouton-secondaire" href=format!("/organisations/{id}/modifier")>"Modifier"</a>
                })}
            </p>
        </div>
        {(!o.active).then_some(view! { <p class="avertissement">"Cette organisation est désactivée."</p> })}
        <section class="carte" aria-labelledby="titre-profil">
            <h2 id="titre-profil">"Profil"</h2>
            <dl class="fiche">
                <dt>"Type"</dt>
                <dd>{o.siae_type.map(|t| t.label().to_string()).unwrap_or_else(|| o.kind.label().to_string())}</dd>
                {o.region_name.clone().map(|r| view! {
                    <dt>"Association régionale"</dt>
                    <dd><a href=format!("/organisations/{}", o.region_id.unwrap_or_default())>{r}</a></dd>
                })}
                {o.ensemblier_name.clone().map(|e| view! { <dt>"Ensemblier"</dt><dd>{e}</dd> })}
                {o.siret.clone().map(|s| view! { <dt>"SIRET"</dt><dd class="nombre">{s.to_string()}</dd> })}
                {is_siae.then_some(view! {
                    <dt>"Entrée dans la démarche CEDRE"</dt>
                    <dd>{o.entry_date.map(domain::time::display_date).unwrap_or_default()}</dd>
                    <dt>"ETP financés pour l'accompagnement socio-professionnel"</dt>
                    <dd>{o.funded_fte.map(|f| f.to_string()).unwrap_or_default()}</dd>
                })}
                {o.city.clone().map(|c| view! { <dt>"Ville"</dt><dd>{c}</dd> })}
            </dl>
        </section>
        {(o.kind == OrganisationKind::Region).then_some(view! {
            <section class="carte" aria-labelledby="titre-siae">
                <h2 id="titre-siae">"SIAE de la région"</h2>
                <SiaeTable siae=page.siae/>
            </section>
        })}
        {page.members.map(|members| view! { <Members members/> })}
        {page.can_edit.then_some(view! {
            <section class="carte" aria-labelledby="titre-etat">
                <h2 id="titre-etat">"État"</h2>
                <Form action={ServerAction::<SetOrganisationActive>::new()}>
                    <input type="hidden" name="id" value=id/>
                    <input type="hidden" name="active" value=(!o.active).to_string()/>
                    <p class="aide">{if o.active {
                        "Une organisation désactivée n'apparaît plus dans les listes de travail ; ses rôles ne donnent plus accès à rien. Rien n'est effacé."
                    } else {
                        "La réactivation rend leurs droits aux rôles tenus dans cette organisation."
                    }}</p>
                    <button type="submit" class="bouton-secondaire">
                        {if o.active { "Désactiver l'organisation" } else { "Réactiver l'organisation" }}
                    </button>
                </Form>
            </section>
        })}
    }
}

#[component]
fn Members(members: Vec<Member>) -> impl IntoView {
    view! {
        <TableCard heading_id="titre-membres" title="Personnes et rôles" rows=members caption="Personnes et rôles"
            headers=&["Nom", "Rôle", "Adresse électronique"]
            empty="Personne n'a encore de rôle dans cette organisation. Les rôles attribués par l'administrateur apparaîtront ici."
            row=|m: Member| view! {
                <tr>
                    <td>{m.display_name}{(!m.active).then_some(" (compte désactivé)")}</td>
                    <td>{m.role.label()}</td>
                    <td><a href=format!("mailto:{}", m.email)>{m.email.clone()}</a></td>
                </tr>
            }/>
    }
}
