//! The forms of the structured sections of the manual: an organigramme edited as a grid of its
//! posts (rename, move under another post, remove, add), a fiche de poste, the tools and the
//! indicators tables. Plain forms, posting to one server function: they work without
//! JavaScript, and a refused save comes back as typed, each message beside its cell.

use crate::api::manual::SaveStructuredDraft;
use crate::components::forms::{
    CellCheckbox, CellInput, CellSelect, Form, SelectField, TextArea, TextField,
};
use domain::manual::chart::{OrgChart, NEW_ROWS as NEW_POSTS};
use domain::manual::content::{FormContext, SectionContent};
use domain::manual::job::JobDescription;
use domain::manual::tables::{TableRow, NEW_ROWS};
use leptos::prelude::*;

/// The form of a structured section, showing `content` (its open version, else the one in force).
#[component]
pub fn StructuredEditor(
    section_id: i64,
    revision: Option<i64>,
    content: SectionContent,
    change_note: String,
    context: FormContext,
) -> impl IntoView {
    // Built inside the form, whose fields read the echo of a refused save.
    let grid = move || {
        match content {
        SectionContent::Organigramme(chart) => chart_grid(chart).into_any(),
        SectionContent::FicheDePoste(job) => job_fields(job, context.posts).into_any(),
        SectionContent::Outils(rows) => {
            table_grid(rows, &[("procedure", context.procedures)]).into_any()
        }
        SectionContent::Indicateurs(rows) => table_grid(rows, &[]).into_any(),
        // Text written before the kind had its form: the form starts empty, the text stays
        // in the versions that hold it.
        SectionContent::Text(_) => view! {
            <p class="aide">"La version précédente de cette section est un texte : elle reste consultable dans l'historique ; cette nouvelle version se remplit par le formulaire ci-dessous."</p>
        }.into_any(),
    }
    };
    view! {
        <Form action={ServerAction::<SaveStructuredDraft>::new()} class="formulaire">
            <input type="hidden" name="section_id" value=section_id/>
            {revision.map(|r| view! { <input type="hidden" name="revision" value=r/> })}
            {grid()}
            <TextField id="section-note" name="change_note" label="Ce qui change (note de modification)" value=change_note
                hint="Elle figure dans l'annexe « Modifications » de la prochaine édition du manuel."/>
            <button type="submit" class="bouton-principal">"Enregistrer le brouillon"</button>
        </Form>
    }
}

fn chart_grid(chart: OrgChart) -> impl IntoView {
    let order: Vec<(usize, u32, String, String, Option<u32>)> = chart
        .tree_order()
        .into_iter()
        .map(|(depth, n)| (depth, n.id, n.post.clone(), n.holder.clone(), n.parent))
        .collect();
    let parents: Vec<(String, String)> = order
        .iter()
        .map(|(depth, id, post, ..)| (id.to_string(), format!("{}{post}", "— ".repeat(*depth))))
        .collect();
    let existing = order.into_iter().map(|(depth, id, post, holder, parent)| {
        let others: Vec<(String, String)> = parents
            .iter()
            .filter(|(value, _)| *value != id.to_string())
            .cloned()
            .collect();
        view! {
            <tr>
                <td class=format!("niveau-{}", depth.min(6))>
                    <CellInput name=format!("champs[p{id}.poste]") label=format!("Intitulé du poste « {post} »") value=post.clone()/>
                </td>
                <td><CellInput name=format!("champs[p{id}.titulaire]") label=format!("Titulaire du poste « {post} »") value=holder/></td>
                <td><CellSelect name=format!("champs[p{id}.rattachement]") label=format!("Poste auquel « {post} » est rattaché")
                    options=others selected=parent.map(|p| p.to_string()).unwrap_or_default() empty="(en tête de l'organigramme)"/></td>
                <td><CellCheckbox name=format!("champs[p{id}.retirer]") label=format!("Retirer « {post} »")/></td>
            </tr>
        }
    }).collect_view();
    let new_rows = (1..=NEW_POSTS).map(|k| view! {
        <tr class="ligne-nouvelle">
            <td><CellInput name=format!("champs[nouveau{k}.poste]") label=format!("Nouveau poste {k} : intitulé")/></td>
            <td><CellInput name=format!("champs[nouveau{k}.titulaire]") label=format!("Nouveau poste {k} : titulaire")/></td>
            <td><CellSelect name=format!("champs[nouveau{k}.rattachement]") label=format!("Nouveau poste {k} : rattaché à")
                options=parents.clone() empty="(en tête de l'organigramme)"/></td>
            <td></td>
        </tr>
    }).collect_view();
    view! {
        <p class="aide">"Renommez un poste en changeant son intitulé, déplacez-le en changeant son rattachement, retirez-le en cochant la case (les postes qui lui sont rattachés remontent d'un niveau). Les lignes vides ajoutent des postes."</p>
        <table class="grille-edition">
            <caption>"Les postes de l'organigramme"</caption>
            <thead><tr>
                <th scope="col">"Poste ou fonction"</th><th scope="col">"Titulaire (facultatif)"</th>
                <th scope="col">"Rattaché à"</th><th scope="col">"Retirer"</th>
            </tr></thead>
            <tbody>{existing}{new_rows}</tbody>
        </table>
    }
}

fn job_fields(job: JobDescription, posts: Vec<String>) -> impl IntoView {
    let reporting = if posts.is_empty() {
        view! {
            <TextField id="fiche-rattachement" name="champs[rattachement]" label="Rattachement hiérarchique" value=job.reports_to
                hint="Le poste auquel celui-ci rend compte. Quand l'organigramme hiérarchique sera écrit, ses postes seront proposés ici."/>
        }.into_any()
    } else {
        let options = posts.into_iter().map(|p| (p.clone(), p)).collect();
        view! {
            <SelectField id="fiche-rattachement" name="champs[rattachement]" label="Rattachement hiérarchique" options
                selected=job.reports_to empty="(aucun)" hint="Un poste de l'organigramme hiérarchique."/>
        }.into_any()
    };
    view! {
        <TextField id="fiche-intitule" name="champs[intitule]" label="Intitulé du poste" value=job.title required=true/>
        {reporting}
        <TextArea id="fiche-finalite" name="champs[finalite]" label="Finalité du poste" value=job.purpose/>
        <TextArea id="fiche-missions" name="champs[missions]" label="Missions et activités" value=job.missions.join("\n")
            hint="Une par ligne."/>
        <TextArea id="fiche-competences" name="champs[competences]" label="Compétences requises" value=job.competences.join("\n")
            hint="Une par ligne."/>
        <TextArea id="fiche-conditions" name="champs[conditions]" label="Conditions d'exercice" value=job.conditions
            hint="Temps de travail, lieux, déplacements, contraintes particulières."/>
    }
}

/// The grid of a table: a line of cells per row, then blank lines; `choices` turns a column
/// into a list.
fn table_grid<R: TableRow>(rows: Vec<R>, choices: &[(&str, Vec<String>)]) -> impl IntoView {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.cells().into_iter().map(str::to_string).collect())
        .chain((0..NEW_ROWS).map(|_| vec![String::new(); R::COLUMNS.len()]))
        .collect();
    let count = rows.len();
    let lines = cells.into_iter().enumerate().map(|(n, values)| {
        let line = n + 1;
        let row = R::COLUMNS.iter().zip(values).map(|(column, value)| {
            let name = format!("champs[l{n}.{}]", column.key);
            let label = format!("Ligne {line} : {}", column.label);
            let list = choices.iter().find(|(key, _)| *key == column.key);
            let control = match list {
                Some((_, options)) if !options.is_empty() => {
                    let options = options.iter().map(|o| (o.clone(), o.clone())).collect();
                    view! { <CellSelect name label options selected=value empty="(aucune)"/> }.into_any()
                }
                _ => view! { <CellInput name label value/> }.into_any(),
            };
            view! { <td>{control}</td> }
        }).collect_view();
        let remove = (n < count).then(|| view! {
            <CellCheckbox name=format!("champs[l{n}.retirer]") label=format!("Retirer la ligne {line}")/>
        });
        view! { <tr>{row}<td>{remove}</td></tr> }
    }).collect_view();
    view! {
        <p class="aide">"Les lignes vides ajoutent des lignes ; cochez « Retirer » pour en enlever une."</p>
        <table class="grille-edition">
            <caption>"Les lignes du tableau"</caption>
            <thead><tr>
                {R::COLUMNS.iter().map(|c| view! { <th scope="col">{c.label}</th> }).collect_view()}
                <th scope="col">"Retirer"</th>
            </tr></thead>
            <tbody>{lines}</tbody>
        </table>
    }
}
