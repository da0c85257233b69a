use super::id_param;
use crate::api::manual::{load_manual, AddSection, MoveSection, StartManual};
use crate::components::forms::{Form, SelectField, TextField};
use crate::components::load::loaded;
use domain::manual::section::{Section, SectionKind};
use domain::manual::view::{ManualOverview, SectionSummary};
use leptos::prelude::*;
use leptos_meta::Title;

/// The manuel qualité of a SIAE: its sections in order, the version in force of each, what is
/// being written or reviewed, and the sections due for review.
#[component]
pub fn ManualPage() -> impl IntoView {
    loaded(
        load_manual(id_param()),
        |manual| view! { <ManualView manual/> },
    )
}

#[component]
fn ManualView(manual: ManualOverview) -> impl IntoView {
    let title = format!("Manuel qualité — {}", manual.siae_name);
    let siae_id = manual.siae_id;
    let today = domain::time::today();
    let overdue: Vec<SectionSummary> = manual
        .sections
        .iter()
        .filter(|s| s.review_overdue(today))
        .cloned()
        .collect();
    let kinds: Vec<(String, String)> = SectionKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let can_edit = manual.can_edit;
    let count = manual.sections.len();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="aide">"Le manuel décrit comment la structure conduit ses missions ; il est envoyé à l'auditeur avant l'audit. Chaque section a ses versions : un brouillon est relu puis approuvé par une autre personne (référent qualité ou direction) avant d'entrer en vigueur."</p>
        <p><a href=crate::url::editions_page(siae_id)>"Éditions du manuel (PDF)"</a></p>
        {(!overdue.is_empty()).then(|| view! {
            <div class="avertissement" role="note">
                <p>"Sections dont la date de révision est passée :"</p>
                <ul>{overdue.into_iter().map(|s| view! {
                    <li><a href=crate::url::section_page(s.section.id)>{s.section.title.clone()}</a></li>
                }).collect_view()}</ul>
            </div>
        })}
        {if manual.sections.is_empty() {
            view! {
                <section class="carte" aria-labelledby="titre-debut">
                    <h2 id="titre-debut">"Le manuel n'est pas commencé"</h2>
                    {if can_edit {
                        view! {
                            <p>"Cedre propose les sections que le programme CEDRE demande, chacune avec ce qu'elle doit contenir et les exigences du référentiel auxquelles elle répond. Vous pourrez en ajouter et les réordonner."</p>
                            <Form action={ServerAction::<StartManual>::new()}>
                                <input type="hidden" name="siae_id" value=siae_id/>
                                <button type="submit" class="bouton-principal">"Commencer le manuel"</button>
                            </Form>
                        }.into_any()
                    } else {
                        view! { <p>"Le référent qualité ou la direction de la structure le commencera."</p> }.into_any()
                    }}
                </section>
            }.into_any()
        } else {
            view! {
                <table class="sections-manuel">
                    <caption class="visuellement-cache">"Sections du manuel"</caption>
                    <thead><tr>
                        <th scope="col">"N°"</th><th scope="col">"Section"</th><th scope="col">"Exigences"</th>
                        <th scope="col">"En vigueur"</th><th scope="col">"Révision prévue"</th>
                        {can_edit.then(|| view! { <th scope="col">"En cours"</th><th scope="col">"Ordre"</th> })}
                    </tr></thead>
                    <tbody>
                        {manual.sections.iter().enumerate().map(|(index, s)| view! {
                            <SectionRow summary=s.clone() place=index + 1 count can_edit siae_id today/>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {(can_edit && count > 0).then(|| view! {
            <section class="carte" aria-labelledby="titre-ajout">
                <h2 id="titre-ajout">"Ajouter une section"</h2>
                <Form action={ServerAction::<AddSection>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <SelectField id="section-type" name="kind" label="Type" options=kinds required=true empty="Choisir…"/>
                    <TextField id="section-titre" name="title" label="Titre" required=true
                        hint="Par exemple : « Fiche de poste — Encadrant technique » ou « Procédure d'accueil »."/>
                    <button type="submit" class="bouton-principal">"Ajouter"</button>
                </Form>
            </section>
        })}
    }
}

#[component]
fn SectionRow(
    summary: SectionSummary,
    place: usize,
    count: usize,
    can_edit: bool,
    siae_id: i64,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let section = summary.section.clone();
    let overdue = summary.review_overdue(today);
    view! {
        <tr>
            <td>{place}</td>
            <td><a href=crate::url::section_page(section.id)>{section.title.clone()}</a>
                <br/><span class="aide">{section.kind.label()}</span></td>
            <td>{section.answers.join(", ")}</td>
            <td>{match &summary.in_force {
                Some(v) => format!("Version {} du {}", v.number, domain::time::display_date(v.approved_on)),
                None => "Aucune".to_string(),
            }}</td>
            <td class=if overdue { "en-retard" } else { "" }>{summary.in_force.as_ref().map(|v| {
                let date = domain::time::display_date(v.review_due);
                if overdue { format!("{date} (dépassée)") } else { date }
            })}</td>
            {can_edit.then(|| view! {
                <td>{summary.open.map(|s| s.label())}</td>
                <td>
                    {(place > 1).then(|| move_button(siae_id, &section, "haut"))}
                    {(place < count).then(|| move_button(siae_id, &section, "bas"))}
                </td>
            })}
        </tr>
    }
}

/// Moves a section one place up (`haut`) or down (`bas`).
fn move_button(siae_id: i64, section: &Section, direction: &'static str) -> impl IntoView {
    let (label, symbol) = if direction == "haut" {
        ("Monter", "↑")
    } else {
        ("Descendre", "↓")
    };
    let id = section.id;
    let aria = format!("{label} « {} »", section.title);
    view! {
        <Form action={ServerAction::<MoveSection>::new()} class="en-ligne"
            instance=("section_id", format!("{id}-{direction}"))>
            <input type="hidden" name="siae_id" value=siae_id/>
            <input type="hidden" name="section_id" value=id/>
            <input type="hidden" name="vers" value=direction/>
            <button type="submit" class="bouton-secondaire" aria-label=aria>{symbol}</button>
        </Form>
    }
}
