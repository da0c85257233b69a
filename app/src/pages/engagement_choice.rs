//! The aid to choosing an engagement réciproque (fiche outil n°15): the accompagnateur answers
//! the grid's indicators for the person and sees the six engagements ranked, each with its
//! definition (fiche outil n°14), where it stands on the grid and what may follow. The answers
//! travel in the address (a plain GET form): nothing is stored, nothing names the person.

use super::query_param;
use crate::components::forms::SelectField;
use domain::parcours::choice::{rank, Agreement, Fit, GridLine, Indicators, GRID};
use leptos::prelude::*;
use leptos_meta::Title;

pub const PAGE: &str = "/parcours/aide-au-choix";

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

#[component]
pub fn EngagementChoicePage() -> impl IntoView {
    let typed = |name| query_param(name).unwrap_or_default();
    let (priority, horizon, project, works_now) = (
        typed("priorite"),
        typed("echeance"),
        typed("projet"),
        typed("capacite"),
    );
    let answers = Indicators::from_codes(&priority, &horizon, &project, &works_now);
    let yes_no = options(&[("oui", "Oui"), ("non", "Non")]);
    view! {
        <Title text="Aide au choix de l'engagement"/>
        <h1>"Aide au choix de l'engagement"</h1>
        <p class="aide">"Les indicateurs de repérage de la fiche outil n°15. L'engagement est déterminé en fonction de l'objectif principal poursuivi avec le demandeur d'emploi, et non de l'action de l'organisme ; en fonction d'une priorité : ce qui est le plus important pour la personne à ce moment-là. En cas de doute, le plus simple est de le lui demander. Les engagements qui correspondent le mieux viennent en premier ; le choix vous appartient."</p>
        <form method="get" action=PAGE class="formulaire carte">
            <SelectField id="choix-priorite" name="priorite" label="Priorité de la personne à ce moment" selected=priority empty="Non renseignée"
                options=options(&[("emploi", "Centrée sur le rapport à l'emploi"), ("peripherique", "Centrée sur des éléments périphériques à l'emploi (logement, santé, ressources, discriminations…)")])/>
            <SelectField id="choix-echeance" name="echeance" label="Échéance utile de l'action" selected=horizon empty="Non renseignée"
                options=options(&[("courte", "Courte : moins de trois mois"), ("moyenne", "Moyenne : de trois mois à deux ans"), ("longue", "Longue : plus de deux ans")])/>
            <SelectField id="choix-projet" name="projet" label="Référence à un projet professionnel" selected=project empty="Non renseignée"
                options=options(&[("oui", "Oui, un projet professionnel"), ("en_recherche", "En recherche ou à confirmer"), ("secondaire", "Secondaire : d'abord les compétences sociales ou d'organisation"), ("non", "Non, ou non exprimé")])/>
            <SelectField id="choix-capacite" name="capacite" label="Capacité à assurer immédiatement une mission de travail" selected=works_now empty="Non renseignée"
                options=yes_no/>
            <button type="submit" class="bouton-principal">"Voir les engagements"</button>
        </form>
        {if answers.answered() == 0 {
            view! { <p class="vide">"Renseignez un ou plusieurs indicateurs : les six engagements seront classés selon ce qu'ils ont en commun avec la situation de la personne."</p> }.into_any()
        } else {
            let answered = answers.answered();
            view! {
                <h2>"Engagements, du plus au moins adapté"</h2>
                {rank(&answers).into_iter().map(|fit| view! { <FitCard fit answered/> }).collect_view()}
            }.into_any()
        }}
        <GridTable/>
    }
}

#[component]
fn FitCard(fit: Fit, answered: usize) -> impl IntoView {
    let line = GridLine::of(fit.kind);
    let definition = fit.kind.definition();
    let heading_id = format!("engagement-{}", fit.kind.code());
    let labelled_by = heading_id.clone();
    let agreeing = fit.agreeing();
    let summary = if fit.priority_differs() {
        format!("{agreeing} indicateur(s) sur {answered} en commun ; la priorité de la personne n'est pas celle de cet engagement.")
    } else {
        format!("{agreeing} indicateur(s) sur {answered} en commun.")
    };
    let rows = [
        (
            "Priorité",
            format!(
                "emploi : {} ; éléments périphériques : {}",
                line.employment, line.peripheral
            ),
        ),
        ("Échéance utile", line.horizon.to_string()),
        ("Projet professionnel", line.project.to_string()),
        ("Capacité immédiate", line.works_now.to_string()),
    ];
    view! {
        <section class="carte" aria-labelledby=labelled_by>
            <h3 id=heading_id>{fit.kind.label()}</h3>
            <p><strong>{summary}</strong></p>
            <table>
                <caption>{format!("Ce que la grille dit de « {} »", fit.kind.label())}</caption>
                <thead><tr><th scope="col">"Indicateur"</th><th scope="col">"Selon la grille"</th><th scope="col">"Situation de la personne"</th></tr></thead>
                <tbody>
                    {rows.into_iter().zip(fit.indicators).map(|((name, grid), agreement)| view! {
                        <tr>
                            <th scope="row">{name}</th>
                            <td>{grid}</td>
                            <td>{match agreement {
                                Agreement::Agrees => "Correspond",
                                Agreement::Differs => "Ne correspond pas",
                                Agreement::Unanswered => "Non renseigné",
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p>{definition.purpose}</p>
            <ul>{definition.points.iter().map(|p| view! { <li>{*p}</li> }).collect_view()}</ul>
            <dl class="fiche">
                <dt>"Utilisation de la mise en situation de travail"</dt><dd>{line.placement_use}</dd>
                <dt>"Suite envisageable"</dt><dd>{line.next}</dd>
            </dl>
        </section>
    }
}

/// Fiche outil n°15's grid, whole, for reference.
#[component]
fn GridTable() -> impl IntoView {
    view! {
        <details class="carte">
            <summary>"La grille de repérage (fiche outil n°15)"</summary>
            <table>
                <caption>"Indicateurs de repérage de l'engagement à proposer"</caption>
                <thead><tr>
                    <th scope="col">"Engagement"</th>
                    <th scope="col">"Priorité centrée sur le rapport à l'emploi"</th>
                    <th scope="col">"Priorité centrée sur des éléments périphériques à l'emploi"</th>
                    <th scope="col">"Échéance utile de l'action"</th>
                    <th scope="col">"Référence à un projet professionnel"</th>
                    <th scope="col">"Capacité à assurer immédiatement une mission de travail"</th>
                    <th scope="col">"Utilisation de la mise en situation de travail"</th>
                    <th scope="col">"Suite envisageable"</th>
                </tr></thead>
                <tbody>
                    {GRID.iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.kind.label()}</th>
                            <td>{l.employment}</td><td>{l.peripheral}</td><td>{l.horizon}</td>
                            <td>{l.project}</td><td>{l.works_now}</td><td>{l.placement_use}</td><td>{l.next}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="aide">"Échéance courte : moins de trois mois ; moyenne : de trois mois à deux ans ; longue : plus de deux ans. L'organisme s'entend au sens large (ensemblier, AI, ETTI, chantier, EI…)."</p>
        </details>
    }
}
