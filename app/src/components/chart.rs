//! Progress by section as an SVG bar chart, drawn on the server (no script needed).

use domain::assessment::SectionProgress;
use leptos::prelude::*;

const BAR_HEIGHT: i32 = 26;
const GAP: i32 = 12;
const LABEL_WIDTH: i32 = 60;
const BAR_WIDTH: i32 = 420;

#[component]
pub fn ProgressChart(progress: Vec<SectionProgress>, #[prop(into)] title: String) -> impl IntoView {
    let height = progress.len() as i32 * (BAR_HEIGHT + GAP) + GAP;
    let width = LABEL_WIDTH + BAR_WIDTH + 70;
    let description = progress
        .iter()
        .map(|p| {
            format!(
                "{} : {} % ({} sur {})",
                p.code,
                p.percent(),
                p.conforme,
                p.applicable
            )
        })
        .collect::<Vec<_>>()
        .join(" ; ");
    view! {
        <svg class="graphique" viewBox=format!("0 0 {width} {height}") role="img" aria-labelledby="graphique-titre graphique-desc"
            xmlns="http://www.w3.org/2000/svg">
            <title id="graphique-titre">{title}</title>
            <desc id="graphique-desc">{description}</desc>
            {progress.into_iter().enumerate().map(|(i, p)| {
                let y = GAP + i as i32 * (BAR_HEIGHT + GAP);
                let filled = BAR_WIDTH * p.percent() as i32 / 100;
                let started = BAR_WIDTH * (p.conforme + p.en_cours) as i32 / p.applicable.max(1) as i32;
                view! {
                    <g>
                        <text x="0" y=y + 18 class="graphique-libelle">{p.code.clone()}</text>
                        <rect x=LABEL_WIDTH y=y width=BAR_WIDTH height=BAR_HEIGHT rx="4" class="graphique-fond"/>
                        <rect x=LABEL_WIDTH y=y width=started height=BAR_HEIGHT rx="4" class="graphique-en-cours"/>
                        <rect x=LABEL_WIDTH y=y width=filled height=BAR_HEIGHT rx="4" class="graphique-conforme"/>
                        <text x=LABEL_WIDTH + BAR_WIDTH + 10 y=y + 18 class="graphique-valeur">{format!("{} %", p.percent())}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}
