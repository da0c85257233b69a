//! What a version of a manual section holds, shown on a page: its Markdown, or its organigramme
//! drawn as an SVG by the server (with the same chart as a list, for screen readers), its fiche
//! de poste, its table. Bodies are read on the server; the WASM never parses them.

use crate::components::markdown::MarkdownText;
use domain::manual::chart::OrgChart;
use domain::manual::chart_layout::{layout, LINE_HEIGHT};
use domain::manual::content::SectionContent;
use domain::manual::job::JobDescription;
use domain::manual::section::SectionKind;
use domain::manual::tables::TableRow;
use leptos::prelude::*;

/// The content of a stored body of a section of `kind`.
pub fn read_content(kind: SectionKind, body: &str) -> SectionContent {
    #[cfg(feature = "ssr")]
    let content = SectionContent::read(kind, body);
    #[cfg(not(feature = "ssr"))]
    let content = {
        let _ = body;
        SectionContent::empty(kind)
    };
    content
}

#[component]
pub fn SectionContentView(kind: SectionKind, body: String) -> impl IntoView {
    match read_content(kind, &body) {
        SectionContent::Text(text) => view! { <MarkdownText text/> }.into_any(),
        SectionContent::Organigramme(chart) => {
            view! { <ChartDrawing chart title=kind.label()/> }.into_any()
        }
        SectionContent::FicheDePoste(job) => view! { <JobView job/> }.into_any(),
        SectionContent::Outils(rows) => table_view(&rows, "Outils référencés").into_any(),
        SectionContent::Indicateurs(rows) => table_view(&rows, "Indicateurs d'activité").into_any(),
    }
}

/// The organigramme drawn from `chart_layout` (the PDF draws the same boxes), then as a list.
#[component]
pub fn ChartDrawing(chart: OrgChart, title: &'static str) -> impl IntoView {
    if chart.is_empty() {
        return view! { <p class="aide">"(organigramme vide)"</p> }.into_any();
    }
    let drawing = layout(&chart);
    let list: Vec<(usize, String, String)> = chart
        .tree_order()
        .into_iter()
        .map(|(depth, n)| (depth, n.post.clone(), n.holder.clone()))
        .collect();
    let description = list
        .iter()
        .map(|(depth, post, _)| format!("{}{post}", "— ".repeat(*depth)))
        .collect::<Vec<_>>()
        .join(" ; ");
    // Drawn half as large again as in the PDF, then narrowed by CSS to the page if wider.
    let (width, height) = (drawing.width + 2, drawing.height + 2);
    view! {
        <figure class="organigramme">
            <svg viewBox=format!("-1 -1 {width} {height}") width=width * 3 / 2 height=height * 3 / 2
                role="img" aria-label=format!("{title} : {description}") xmlns="http://www.w3.org/2000/svg">
                {drawing.links.into_iter().map(|s| view! {
                    <line x1=s.x1 y1=s.y1 x2=s.x2 y2=s.y2 class="organigramme-lien"/>
                }).collect_view()}
                {drawing.boxes.into_iter().map(|b| {
                    let middle = b.x + b.width / 2;
                    let first = b.y + 6 + LINE_HEIGHT - 2;
                    let posts = b.post_lines.len() as i32;
                    view! {
                        <g>
                            <rect x=b.x y=b.y width=b.width height=b.height rx="3" class="organigramme-poste"/>
                            {b.post_lines.into_iter().enumerate().map(|(i, line)| view! {
                                <text x=middle y=first + i as i32 * LINE_HEIGHT class="organigramme-intitule">{line}</text>
                            }).collect_view()}
                            {b.holder_lines.into_iter().enumerate().map(|(i, line)| view! {
                                <text x=middle y=first + (posts + i as i32) * LINE_HEIGHT class="organigramme-titulaire">{line}</text>
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <details>
                <summary>"L'organigramme en liste"</summary>
                <ul class="organigramme-liste">
                    {list.into_iter().map(|(depth, post, holder)| view! {
                        <li class=format!("niveau-{}", depth.min(6))>
                            {post}{(!holder.is_empty()).then(|| format!(" — {holder}"))}
                        </li>
                    }).collect_view()}
                </ul>
            </details>
        </figure>
    }
    .into_any()
}

#[component]
fn JobView(job: JobDescription) -> impl IntoView {
    let list = |items: Vec<String>| {
        view! { <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }
    };
    view! {
        <dl class="fiche-de-poste">
            <dt>"Intitulé du poste"</dt><dd>{job.title}</dd>
            <dt>"Rattachement hiérarchique"</dt><dd>{job.reports_to}</dd>
            <dt>"Finalité du poste"</dt><dd>{job.purpose}</dd>
            <dt>"Missions et activités"</dt><dd>{list(job.missions)}</dd>
            <dt>"Compétences requises"</dt><dd>{list(job.competences)}</dd>
            <dt>"Conditions d'exercice"</dt><dd>{job.conditions}</dd>
        </dl>
    }
}

fn table_view<R: TableRow>(rows: &[R], caption: &'static str) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="aide">"(tableau vide)"</p> }.into_any();
    }
    view! {
        <table>
            <caption class="visuellement-cache">{caption}</caption>
            <thead><tr>
                {R::COLUMNS.iter().map(|c| view! { <th scope="col">{c.label}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {rows.iter().map(|r| view! {
                    <tr>{r.cells().into_iter().map(|c| view! { <td>{c.to_string()}</td> }).collect_view()}</tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
