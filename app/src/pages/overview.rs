use super::query_param;
use crate::api::referentiel::referentiel_overview;
use crate::components::forms::{SelectField, TextField};
use crate::components::load::loaded;
use domain::assessment::SiaeProgress;
use domain::organisation::SiaeType;
use leptos::prelude::*;
use leptos_meta::Title;
use std::collections::BTreeMap;

/// Every SIAE the user may follow, with its progress by specification: sortable and filterable.
#[component]
pub fn OverviewPage() -> impl IntoView {
    let siae_type = query_param("type").and_then(|t| t.parse::<SiaeType>().ok());
    let region = query_param("region").and_then(|r| r.parse::<i64>().ok());
    let search = query_param("q");
    let sort = query_param("tri").unwrap_or_else(|| "nom".into());
    let base_query = [
        ("type", siae_type.map(|t| t.code().to_string())),
        ("region", region.map(|r| r.to_string())),
        ("q", search.clone()),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| format!("{k}={}&", crate::url::encode(&v))))
    .collect::<String>();
    view! {
        <Title text="Suivi des SIAE"/>
        <h1>"Suivi des SIAE"</h1>
        <p class="aide">"Avancement de l'auto-évaluation de chaque structure : part des exigences applicables jugées conformes, par spécification du référentiel."</p>
        {loaded(referentiel_overview(siae_type, None, search.clone()), move |rows| {
            // The regions offered are those of the structures the user follows.
            let regions: BTreeMap<i64, String> =
                rows.iter().filter_map(|r| Some((r.siae.region_id?, r.siae.region_name.clone()?))).collect();
            let rows: Vec<SiaeProgress> = rows.into_iter().filter(|r| region.is_none() || r.siae.region_id == region).collect();
            view! {
                <Filters siae_type region regions search sort=sort.clone()/>
                <OverviewTable rows sort base_query/>
            }
        })}
    }
}

#[component]
fn Filters(
    siae_type: Option<SiaeType>,
    region: Option<i64>,
    regions: BTreeMap<i64, String>,
    search: Option<String>,
    sort: String,
) -> impl IntoView {
    let types = SiaeType::ALL
        .iter()
        .map(|t| (t.code().to_string(), t.label().to_string()))
        .collect();
    let several_regions = regions.len() > 1;
    let regions: Vec<(String, String)> = regions
        .into_iter()
        .map(|(id, name)| (id.to_string(), name))
        .collect();
    view! {
        <form method="get" class="filtres" role="search" aria-label="Filtrer les structures">
            <SelectField id="suivi-type" name="type" label="Type de SIAE" options=types
                selected=siae_type.map(|t| t.code().to_string()).unwrap_or_default() empty="Tous les types"/>
            {several_regions.then(|| view! {
                <SelectField id="suivi-region" name="region" label="Association régionale" options=regions
                    selected=region.map(|r| r.to_string()).unwrap_or_default() empty="Toutes les régions"/>
            })}
            <TextField id="suivi-q" name="q" label="Nom ou SIRET" input_type="search" value=search.unwrap_or_default()/>
            <input type="hidden" name="tri" value=sort/>
            <button type="submit" class="bouton-secondaire">"Filtrer"</button>
        </form>
    }
}

fn sorted(mut rows: Vec<SiaeProgress>, sort: &str) -> Vec<SiaeProgress> {
    match sort {
        "type" => rows.sort_by_key(|r| (r.siae.siae_type.map(|t| t.code()), r.siae.name.clone())),
        "region" => rows.sort_by_key(|r| (r.siae.region_name.clone(), r.siae.name.clone())),
        "entree" => rows.sort_by_key(|r| (r.siae.entry_date, r.siae.name.clone())),
        "avancement" => rows.sort_by_key(|r| (std::cmp::Reverse(r.overall), r.siae.name.clone())),
        _ => rows.sort_by_key(|r| r.siae.name.to_lowercase()),
    }
    rows
}

#[component]
fn OverviewTable(rows: Vec<SiaeProgress>, sort: String, base_query: String) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="vide">"Aucune structure à suivre avec ces critères. Les SIAE de votre périmètre apparaîtront ici."</p> }.into_any();
    }
    let sections: Vec<String> = rows[0].progress.iter().map(|p| p.code.clone()).collect();
    let rows = sorted(rows, &sort);
    let header = move |key: &'static str, label: &'static str| {
        let current = sort == key;
        view! {
            <th scope="col" aria-sort=if current { "ascending" } else { "none" } class="tri">
                <a href=format!("?{base_query}tri={key}")>{label}{current.then_some(" ▲")}</a>
            </th>
        }
    };
    view! {
        <table>
            <caption class="visuellement-cache">"Avancement des SIAE par spécification"</caption>
            <thead><tr>
                {header("nom", "Structure")}
                {header("type", "Type")}
                {header("region", "Association régionale")}
                {header("entree", "Entrée")}
                <th scope="col">"Certification"</th>
                {sections.iter().map(|s| view! { <th scope="col">{s.clone()}</th> }).collect_view()}
                {header("avancement", "Global")}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td><a href=format!("/organisations/{}/referentiel", r.siae.id)>{r.siae.name.clone()}</a></td>
                        <td>{r.siae.siae_type.map(|t| t.code()).unwrap_or("—")}</td>
                        <td>{r.siae.region_name.clone().unwrap_or_default()}</td>
                        <td>{r.siae.entry_date.map(domain::time::display_date).unwrap_or_default()}</td>
                        <CertificationCell glance=r.certification.clone()/>
                        {r.progress.iter().map(|p| view! { <td class="nombre">{format!("{} %", p.percent())}</td> }).collect_view()}
                        <td class="nombre"><strong>{format!("{} %", r.overall)}</strong></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }.into_any()
}

/// Where a SIAE stands in the certification (« — » for those who do not follow its demandes);
/// a certificate ending within six months is marked.
#[component]
pub fn CertificationCell(
    glance: Option<domain::certification::certificate::CertificationGlance>,
) -> impl IntoView {
    match glance {
        Some(glance) => {
            let today = domain::time::today();
            let at_risk = glance.outlook.at_risk_on.filter(|on| *on <= today);
            let soon = glance.expires_within(6, today);
            let date = domain::time::display_date;
            view! {
                <td class=if soon || at_risk.is_some() { "alerte" } else { "" }>
                    {glance.label()}{soon.then_some(" (échéance dans moins de six mois)")}
                    {at_risk.map(|on| view! { <br/>{format!("À risque depuis le {}", date(on))} })}
                    {glance.outlook.next_deadline.map(|d| view! {
                        <br/><small>{format!("Prochaine échéance : {} le {}", d.kind.label().to_lowercase(), date(d.on))}</small>
                    })}
                </td>
            }
            .into_any()
        }
        None => view! { <td>"—"</td> }.into_any(),
    }
}
