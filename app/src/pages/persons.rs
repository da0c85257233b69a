//! The people a SIAE supports, for its staff: search by name, sorted and paginated lists, the
//! suivi a minima of the whole SIAE, the first contact of a new person, and the tableau de
//! synthèse des parcours (exemple n°5).

use crate::api::parcours::{list_persons, load_synthesis, RegisterPerson, SetProposalDelay};
use crate::components::forms::{Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use crate::components::table::Table;
use crate::pages::{id_param, query_param};
use crate::url;
use domain::parcours::person::{PersonSort, PAGE_SIZE};
use domain::parcours::view::{PersonList, PersonListItem, SuiviLine, Synthesis, SynthesisLine};
use domain::time::display_date;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PersonsPage() -> impl IntoView {
    let search = query_param("q").unwrap_or_default();
    let sort = query_param("tri").unwrap_or_default();
    let page = query_param("page").and_then(|p| p.parse().ok());
    view! {
        <Title text="Personnes accompagnées"/>
        {loaded(list_persons(id_param(), search, sort, page), |list| view! { <PersonsView list/> })}
    }
}

#[component]
fn PersonsView(list: PersonList) -> impl IntoView {
    let siae_id = list.siae_id;
    let base = url::persons_page(siae_id);
    let link = {
        let (search, sort) = (list.search.clone(), list.sort);
        let base = base.clone();
        move |page: usize| {
            format!(
                "{base}?q={}&tri={}&page={page}",
                url::encode(&search),
                sort.code()
            )
        }
    };
    let count = list.matching;
    let (page, pages) = (list.page, list.pages);
    let staff: Vec<(String, String)> = list
        .staff
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let today = domain::time::today().to_string();
    view! {
        <div class="titre-page">
            <h1>{format!("Personnes accompagnées — {}", list.siae_name)}</h1>
            <a class="bouton-secondaire" href=url::synthesis_page(siae_id)>"Tableau de synthèse des parcours"</a>
        </div>
        <form method="get" class="filtres" role="search" aria-label="Chercher une personne">
            <TextField id="filtre-q" name="q" label="Nom ou prénom" input_type="search" value=list.search.clone()/>
            <SelectField id="filtre-tri" name="tri" label="Trier par" options=PersonSort::options() selected=list.sort.code()/>
            <button type="submit" class="bouton-secondaire">"Chercher"</button>
        </form>
        <p class="compte">{match count {
            0 => String::new(),
            1 => "1 personne".to_string(),
            n => format!("{n} personnes"),
        }}</p>
        <Table rows=list.items caption="Personnes accompagnées"
            headers=&["Nom", "Phase", "Accompagnateur", "Inscription", "Engagement en cours", "Échéance"]
            empty=if list.search.is_empty() { "Aucune personne n'est encore enregistrée : ouvrez la fiche d'une personne dès le premier contact." } else { "Aucune personne ne porte ce nom." }
            row=|p: PersonListItem| view! {
                <tr>
                    <td><a href=url::person_page(p.id)>{p.full_name}</a></td>
                    <td>{p.phase.label()}</td>
                    <td>{p.accompagnateur_name.unwrap_or_default()}</td>
                    <td>{p.inscription_on.map(display_date).unwrap_or_default()}</td>
                    <td>{p.current_engagement.map(|k| k.label()).unwrap_or_default()}</td>
                    <td>{p.next_due.map(display_date).unwrap_or_default()}</td>
                </tr>
            }/>
        {(pages > 1).then(|| view! {
            <nav class="pagination" aria-label="Pages">
                {(page > 1).then(|| view! { <a href=link(page - 1)>"Page précédente"</a> })}
                <span>{format!("Page {page} sur {pages} ({PAGE_SIZE} par page)")}</span>
                {(page < pages).then(|| view! { <a href=link(page + 1)>"Page suivante"</a> })}
            </nav>
        })}
        <SuiviCard lines=list.suivi delay=list.proposal_delay_days/>
        {list.can_set_delay.then(|| view! {
            <section class="carte" aria-labelledby="titre-delai">
                <h2 id="titre-delai">"Délai de première proposition"</h2>
                <p class="aide">"La structure se fixe un délai entre l'inscription d'une personne et une première proposition (par exemple une mission de travail dans le mois) : au-delà, la personne apparaît dans le suivi a minima."</p>
                <Form action={ServerAction::<SetProposalDelay>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <TextField id="delai-jours" name="proposal_delay_days" label="Délai (jours)" input_type="number"
                        value=list.proposal_delay_days.to_string() required=true/>
                    <button type="submit" class="bouton-secondaire">"Enregistrer le délai"</button>
                </Form>
            </section>
        })}
        <section class="carte" aria-labelledby="titre-nouvelle">
            <h2 id="titre-nouvelle">"Nouvelle personne"</h2>
            <p class="aide">"La fiche s'ouvre au premier contact (pré-accueil) ; les dates d'accueil et d'inscription s'ajoutent ensuite."</p>
            <Form action={ServerAction::<RegisterPerson>::new()} class="formulaire">
                <input type="hidden" name="siae_id" value=siae_id/>
                <TextField id="nouvelle-nom" name="last_name" label="Nom" required=true/>
                <TextField id="nouvelle-prenom" name="first_name" label="Prénom"/>
                <TextField id="nouvelle-pre-accueil" name="pre_accueil_on" label="Date du pré-accueil" input_type="date" value=today required=true/>
                <TextField id="nouvelle-telephone" name="phone" label="Téléphone" input_type="tel"/>
                <TextArea id="nouvelle-demande" name="request" label="La demande, les attentes, les besoins, les projets de la personne"/>
                <SelectField id="nouvelle-accompagnateur" name="accompagnateur_id" label="Accompagnateur" options=staff empty="Personne pour l'instant"/>
                <button type="submit" class="bouton-principal">"Ouvrir la fiche"</button>
            </Form>
        </section>
    }
}

/// The suivi a minima: each person left without objective or check, and why.
#[component]
pub fn SuiviCard(lines: Vec<SuiviLine>, delay: i64) -> impl IntoView {
    view! {
        <section class="carte" aria-labelledby="titre-suivi">
            <h2 id="titre-suivi">"Suivi a minima"</h2>
            <p class="aide">{format!("Aucune personne en insertion n'est laissée sans objectif et sans vérification de celui-ci : échéance passée sans bilan, aucun engagement en cours, ou aucune proposition dans les {delay} jours qui suivent l'inscription.")}</p>
            <Table rows=lines caption="Personnes à revoir"
                headers=&["Personne", "Accompagnateur", "À revoir"]
                empty="Chaque personne inscrite a un objectif et une échéance à venir."
                row=|l: SuiviLine| view! {
                    <tr>
                        <td><a href=url::person_page(l.person_id)>{l.full_name}</a></td>
                        <td>{l.accompagnateur_name.unwrap_or_default()}</td>
                        <td><ul>{l.lapses.iter().map(|x| view! { <li>{x.describe()}</li> }).collect_view()}</ul></td>
                    </tr>
                }/>
        </section>
    }
}

#[component]
pub fn SynthesisPage() -> impl IntoView {
    view! {
        <Title text="Tableau de synthèse des parcours"/>
        {loaded(load_synthesis(id_param()), |s| view! { <SynthesisView synthesis=s/> })}
    }
}

#[component]
fn SynthesisView(synthesis: Synthesis) -> impl IntoView {
    let list = |items: Vec<String>| {
        view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }
    };
    view! {
        <div class="titre-page">
            <h1>{format!("Tableau de synthèse des parcours — {}", synthesis.siae_name)}</h1>
            <a class="bouton-secondaire" href=url::persons_page(synthesis.siae_id)>"Personnes accompagnées"</a>
        </div>
        <p class="aide">"Les personnes en parcours, leur engagement en cours et ses actions : à proposer (en attente), en cours, réalisées."</p>
        <Table rows=synthesis.lines caption="Tableau de synthèse des parcours"
            headers=&["Date", "Nom Prénom", "Objectifs poursuivis", "Engagement", "À proposer", "En cours", "Réalisées", "Échéance", "Évaluation / bilan"]
            empty="Aucune personne n'est en parcours : le tableau se remplit avec les engagements réciproques."
            row=move |l: SynthesisLine| {
                let e = l.engagement.clone();
                view! {
                    <tr>
                        <td>{e.as_ref().map(|e| display_date(e.signed_on)).unwrap_or_default()}</td>
                        <td><a href=url::person_page(l.person_id)>{l.full_name}</a></td>
                        <td>{e.as_ref().map(|e| e.object.clone()).unwrap_or_default()}</td>
                        <td>{e.as_ref().map(|e| e.kind.label()).unwrap_or_default()}</td>
                        <td>{list(l.to_propose)}</td>
                        <td>{list(l.in_progress)}</td>
                        <td>{list(l.done)}</td>
                        <td>{e.as_ref().map(|e| display_date(e.due_on)).unwrap_or_default()}</td>
                        <td>{e.and_then(|e| e.bilan).map(|b| format!("{} — {}", b.achieved.label(), b.comments)).unwrap_or_default()}</td>
                    </tr>
                }
            }/>
    }
}
