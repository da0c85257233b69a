use super::id_param;
use crate::api::referentiel::{list_versions, load_siae_assessment, MoveSiaeVersion, SetMean};
use crate::components::chart::ProgressChart;
use crate::components::forms::{Form, SelectField};
use crate::components::load::loaded;
use crate::components::session::current_me;
use crate::components::status::StatusBadge;
use crate::components::table::Table;
use domain::assessment::{gaps, Document, Gap, SectionProgress, SiaeAssessment};
use domain::policy::{Action, Target};
use domain::referentiel::{Section, Version};
use leptos::prelude::*;
use leptos_meta::Title;

/// A SIAE's self-assessment: progress by specification, gaps by deadline, requirements and means.
#[component]
pub fn AssessmentPage() -> impl IntoView {
    let id = id_param();
    let manages =
        current_me().is_some_and(|m| m.actor.may(Action::ManageReferentiel, Target::Global));
    let data = async move {
        let assessment = load_siae_assessment(id).await?;
        let versions = if manages {
            list_versions().await?
        } else {
            Vec::new()
        };
        Ok((assessment, versions))
    };
    loaded(
        data,
        |(assessment, versions)| view! { <AssessmentView assessment versions/> },
    )
}

#[component]
fn AssessmentView(assessment: SiaeAssessment, versions: Vec<Version>) -> impl IntoView {
    let today = domain::time::today();
    let siae = assessment.siae.clone();
    let id = siae.id;
    let progress = assessment.progress();
    let gaps = gaps(
        &assessment.referentiel,
        assessment.siae_type(),
        siae.funded_fte,
        &assessment.assessments,
        today,
    );
    let overdue = gaps.iter().filter(|g| g.overdue).count();
    let title = format!("Auto-évaluation — {}", siae.name);
    let version = assessment.version.clone();
    view! {
        <Title text=title.clone()/>
        <div class="titre-page">
            <h1>{title}</h1>
            <p>
                <a class="bouton-secondaire" href=format!("/organisations/{id}/referentiel.csv")>"Exporter en CSV"</a>" "
                <a class="bouton-secondaire" href=format!("/organisations/{id}/referentiel.pdf")>"Exporter en PDF"</a>
            </p>
        </div>
        <p>
            "Référentiel : "<a href=format!("/referentiel/versions/{}", version.id)>{format!("{} — {}", assessment.referentiel.title, version.label)}</a>
            {format!(" ({}). ", version.code)}
            {siae.siae_type.map(|t| t.label())}". "
            {(!assessment.can_edit).then_some("Consultation seule.")}
        </p>
        {assessment.changes.clone().filter(|c| !c.is_empty()).map(|changes| view! {
            <section class="carte" aria-labelledby="titre-changements">
                <h2 id="titre-changements">"Ce qui a changé avec cette version"</h2>
                <ul>
                    {(!changes.added.is_empty()).then(|| view! { <li>{format!("Exigences ajoutées : {}", changes.added.join(", "))}</li> })}
                    {(!changes.modified.is_empty()).then(|| view! { <li>{format!("Exigences modifiées : {}", changes.modified.join(", "))}</li> })}
                    {(!changes.removed.is_empty()).then(|| view! { <li>{format!("Exigences retirées : {}", changes.removed.join(", "))}</li> })}
                </ul>
                <p class="aide">"Les évaluations des exigences conservées sont reprises ; relisez celles qui ont été modifiées."</p>
            </section>
        })}
        <section class="carte" aria-labelledby="titre-avancement">
            <h2 id="titre-avancement">"Avancement par spécification"</h2>
            <p class="aide">"Part des exigences applicables jugées conformes (les exigences non applicables, justifiées, sont exclues)."</p>
            <ProgressChart progress=progress.clone() title=format!("Avancement de {} par spécification", siae.name)/>
            <ul class="legende">
                <li><span class="legende-conforme"></span>"Conforme"</li>
                <li><span class="legende-en-cours"></span>"En cours (ou conforme)"</li>
            </ul>
            <Table rows=progress caption="Avancement par spécification"
                headers=&["Spécification", "Conformes", "En cours", "Non conformes", "Non évaluées", "Avancement"]
                empty="Ce référentiel n'a aucune spécification."
                row=|p: SectionProgress| view! {
                    <tr>
                        <td><a href=format!("#section-{}", p.code.replace('.', "-"))>{format!("{} {}", p.code, p.title)}</a></td>
                        <td>{format!("{} / {}", p.conforme, p.applicable)}</td>
                        <td>{p.en_cours}</td><td>{p.non_conforme}</td><td>{p.non_evalue}</td>
                        <td>{format!("{} %", p.percent())}</td>
                    </tr>
                }/>
        </section>
        <section class="carte" aria-labelledby="titre-ecarts">
            <h2 id="titre-ecarts">"Écarts à traiter"</h2>
            {(overdue > 0).then(|| view! { <p class="en-retard-texte">{format!("{overdue} exigence(s) en retard sur la date cible.")}</p> })}
            <Table rows=gaps caption="Exigences non conformes, par date cible"
                headers=&["Exigence", "Statut", "Responsable", "Date cible"]
                empty="Aucun écart : toutes les exigences applicables sont conformes."
                row=move |g: Gap| view! {
                    <tr class:en-retard=g.overdue>
                        <td><a href=crate::url::requirement_page(id, &g.requirement_key)>{g.requirement_key.clone()}</a>" — "{g.text}</td>
                        <td><StatusBadge status=g.status/></td>
                        <td>{g.responsible}</td>
                        <td>
                            {g.target_date.map(domain::time::display_date).unwrap_or_else(|| "—".into())}
                            {g.overdue.then_some(view! { <span class="en-retard-texte">" (en retard)"</span> })}
                        </td>
                    </tr>
                }/>
        </section>
        <h2>"Exigences et moyens"</h2>
        {assessment.referentiel.sections.iter().map(|section| view! { <SectionBlock section=section.clone() assessment=assessment.clone()/> }).collect_view()}
        {(!versions.is_empty()).then(|| view! { <MoveVersion siae_id=id current=version.id versions/> })}
    }
}

#[component]
fn SectionBlock(section: Section, assessment: SiaeAssessment) -> impl IntoView {
    let id = assessment.siae.id;
    let anchor = section.code.replace('.', "-");
    let siae_type = assessment.siae_type();
    let fte = assessment.siae.funded_fte;
    view! {
        <details class="section-ref" id=format!("section-{anchor}") open=true>
            <summary>{format!("{} — {}", section.code, section.title)}</summary>
            {section.objective.clone().map(|o| view! { <p><em>{o}</em></p> })}
            <table>
                <caption class="visuellement-cache">{format!("Exigences de la section {}", section.code)}</caption>
                <thead><tr><th scope="col">"Exigence"</th><th scope="col">"Statut"</th><th scope="col">"Preuves"</th></tr></thead>
                <tbody>
                    {section.requirements.iter().map(|r| {
                        let key = r.key(&section);
                        let applicability = r.applicability_for(siae_type, fte);
                        let current = assessment.assessments.get(&key).cloned().unwrap_or_default();
                        let evidence = assessment.evidence.get(&key).map(Vec::len).unwrap_or(0);
                        view! {
                            <tr>
                                <td class="exigence">
                                    <a href=crate::url::requirement_page(id, &key)>{key.clone()}</a>" — "{r.text.clone()}
                                    {applicability.note.clone().map(|n| view! { <p class="note-application">{n}</p> })}
                                </td>
                                <td>{if applicability.applies {
                                    view! { <StatusBadge status=current.status/> }.into_any()
                                } else {
                                    view! { <span class="pastille statut-non_applicable">"Ne s'applique pas"</span> }.into_any()
                                }}</td>
                                <td>{evidence}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(!section.means.is_empty()).then(|| view! {
                <Means section=section.clone() assessment=assessment.clone()/>
            })}
        </details>
    }
}

/// The indicative means as a checklist of ideas, each tickable with the document that shows it.
#[component]
fn Means(section: Section, assessment: SiaeAssessment) -> impl IntoView {
    let id = assessment.siae.id;
    let documents: Vec<Document> = assessment.documents.clone();
    let heading = format!("moyens-{}", section.code.replace('.', "-"));
    view! {
        <h3 id=heading>"Moyens à mettre en œuvre (mentionnés à titre indicatif)"</h3>
        <ul class="moyens">
            {section.means.clone().into_iter().enumerate().map(|(i, mean)| {
                let section_code = section.code.clone();
                let documents = documents.clone();
                let check = assessment.means.iter().find(|m| m.section_code == section_code && m.mean == mean).cloned();
                let checked = check.is_some();
                let document = check.as_ref().and_then(|c| c.document_id).and_then(|d| documents.iter().find(|x| x.id == d)).cloned();
                let select_id = format!("moyen-{}-{i}", section_code.replace('.', "-"));
                view! {
                    <li>
                        <span aria-hidden="true">{if checked { "☑" } else { "☐" }}</span>
                        <span>{mean.clone()}</span>
                        {check.as_ref().map(|c| view! { <span class="aide">{format!("(coché par {})", c.checked_by)}</span> })}
                        {document.map(|d| view! { <a href=format!("/organisations/{id}/preuves/{}", d.id)>{d.file_name}</a> })}
                        {assessment.can_edit.then(|| view! {
                            <Form action={ServerAction::<SetMean>::new()} instance=("mean", mean.clone())>
                                <input type="hidden" name="siae_id" value=id/>
                                <input type="hidden" name="section" value=section_code.clone()/>
                                <input type="hidden" name="mean" value=mean.clone()/>
                                <input type="hidden" name="checked" value=(!checked).to_string()/>
                                {(!checked && !documents.is_empty()).then(|| view! {
                                    <label class="visuellement-cache" for=select_id.clone()>{format!("Document montrant « {mean} »")}</label>
                                    <select id=select_id.clone() name="document_id">
                                        <option value="">"Sans document"</option>
                                        {documents.iter().map(|d| view! { <option value=d.id>{d.file_name.clone()}</option> }).collect_view()}
                                    </select>
                                })}
                                <button type="submit" class="bouton-secondaire" aria-label=format!("{} « {mean} »", if checked { "Décocher" } else { "Cocher" })>
                                    {if checked { "Décocher" } else { "Cocher" }}
                                </button>
                            </Form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn MoveVersion(siae_id: i64, current: i64, versions: Vec<Version>) -> impl IntoView {
    let choices: Vec<Version> = versions
        .into_iter()
        .filter(|v| !v.is_draft() && v.id != current)
        .collect();
    view! {
        <section class="carte" aria-labelledby="titre-version">
            <h2 id="titre-version">"Version du référentiel (renouvellement)"</h2>
            {if choices.is_empty() {
                view! { <p class="vide">"Aucune autre version en vigueur. Les nouvelles versions validées par le bureau apparaîtront ici."</p> }.into_any()
            } else {
                view! {
                    <Form action={ServerAction::<MoveSiaeVersion>::new()} class="formulaire">
                        <input type="hidden" name="siae_id" value=siae_id/>
                        <SelectField id="version-cible" name="version_id" label="Évaluer la structure sur la version"
                            options=choices.into_iter().map(|v| (v.id.to_string(), format!("{} — {}", v.code, v.label))).collect()/>
                        <button type="submit" class="bouton-principal">"Changer de version"</button>
                    </Form>
                }.into_any()
            }}
        </section>
    }
}
