use super::{id_param, query_param};
use crate::api::referentiel::{
    load_siae_assessment, requirement_history, CiteManualVersion, LinkEvidence, SaveAssessment,
};
use crate::components::forms::{Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use crate::components::status::StatusBadge;
use crate::components::table::TableCard;
use crate::error::AppError;
use domain::assessment::{CitedVersion, Document, HistoryEntry, SiaeAssessment, Status};
use leptos::prelude::*;
use leptos_meta::Title;

/// One requirement of a SIAE's assessment: its text, the evaluation, the evidence, the history.
#[component]
pub fn RequirementPage() -> impl IntoView {
    let id = id_param();
    let key = query_param("cle").unwrap_or_default();
    let data = async move {
        let assessment = load_siae_assessment(id).await?;
        if assessment.referentiel.find(&key).is_none() {
            return Err(AppError::NotFound);
        }
        let history = requirement_history(id, key.clone()).await?;
        Ok((assessment, key, history))
    };
    loaded(
        data,
        |(assessment, key, history)| view! { <RequirementView assessment key history/> },
    )
}

#[component]
fn RequirementView(
    assessment: SiaeAssessment,
    key: String,
    history: Vec<HistoryEntry>,
) -> impl IntoView {
    let (section, requirement) = assessment
        .referentiel
        .find(&key)
        .map(|(s, r)| (s.clone(), r.clone()))
        .expect("checked by the loader");
    let siae = assessment.siae.clone();
    let id = siae.id;
    let applicability = requirement.applicability_for(assessment.siae_type(), siae.funded_fte);
    let current = assessment
        .assessments
        .get(&key)
        .cloned()
        .unwrap_or_default();
    let linked: Vec<i64> = assessment.evidence.get(&key).cloned().unwrap_or_default();
    let linked_documents: Vec<_> = assessment
        .documents
        .iter()
        .filter(|d| linked.contains(&d.id))
        .cloned()
        .collect();
    let other_documents: Vec<_> = assessment
        .documents
        .iter()
        .filter(|d| !linked.contains(&d.id))
        .cloned()
        .collect();
    let statuses = Status::ALL
        .iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let title = format!("Exigence {key} — {}", siae.name);
    let (key_form, key_links, key_upload, key_existing) =
        (key.clone(), key.clone(), key.clone(), key.clone());
    let can_edit = assessment.can_edit;
    view! {
        <Title text=title.clone()/>
        <p><a href=format!("/organisations/{id}/referentiel")>"← Auto-évaluation de "{siae.name.clone()}</a></p>
        <h1>{title}</h1>
        <section class="carte exigence" aria-labelledby="titre-exigence">
            <h2 id="titre-exigence">{format!("{} — {}", section.code, section.title)}</h2>
            <p class="exigence-texte">{requirement.text.clone()}</p>
            {(!requirement.points.is_empty()).then(|| view! {
                <ul>{requirement.points.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul>
            })}
            {requirement.note.clone().map(|n| view! { <p class="aide">{n}</p> })}
            {applicability.note.clone().map(|n| view! { <p class="note-application">{n}</p> })}
            {(!applicability.applies).then_some(view! { <p class="avertissement">"Cette exigence ne s'applique pas à ce type de structure."</p> })}
            {(!section.dispositions.is_empty()).then(|| view! {
                <h3>"Dispositions particulières"</h3>
                <ul>{section.dispositions.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
            })}
            {assessment.manual.get(&key).cloned().map(|sections| view! {
                <h3>"Sections du manuel qualité qui y répondent"</h3>
                <ul>{sections.into_iter().map(|s| view! {
                    <li><a href=crate::url::section_page(s.section_id)>{s.title}</a>{format!(" (version {} en vigueur)", s.number)}</li>
                }).collect_view()}</ul>
            })}
        </section>
        <section class="carte" aria-labelledby="titre-evaluation">
            <h2 id="titre-evaluation">"Évaluation"</h2>
            {if assessment.can_edit {
                view! {
                    <Form action={ServerAction::<SaveAssessment>::new()} class="formulaire">
                        <input type="hidden" name="siae_id" value=id/>
                        <input type="hidden" name="key" value=key_form/>
                        <SelectField id="eval-statut" name="draft[status]" label="Statut" options=statuses
                            selected=current.status.code().to_string() required=true/>
                        <TextArea id="eval-commentaire" name="draft[comment]" label="Commentaire" value=current.comment.clone()/>
                        <TextArea id="eval-justification" name="draft[justification]" label="Justification"
                            value=current.justification.clone() hint="Obligatoire pour « non applicable »."/>
                        <TextField id="eval-responsable" name="draft[responsible]" label="Personne responsable" value=current.responsible.clone()/>
                        <TextField id="eval-date" name="draft[target_date]" label="Date cible" input_type="date"
                            value=current.target_date.map(|d| d.to_string()).unwrap_or_default()/>
                        <button type="submit" class="bouton-principal">"Enregistrer l'évaluation"</button>
                    </Form>
                }.into_any()
            } else {
                view! {
                    <dl class="fiche">
                        <dt>"Statut"</dt><dd><StatusBadge status=current.status/></dd>
                        <dt>"Commentaire"</dt><dd>{current.comment.clone()}</dd>
                        <dt>"Justification"</dt><dd>{current.justification.clone()}</dd>
                        <dt>"Responsable"</dt><dd>{current.responsible.clone()}</dd>
                        <dt>"Date cible"</dt><dd>{current.target_date.map(domain::time::display_date).unwrap_or_default()}</dd>
                    </dl>
                }.into_any()
            }}
        </section>
        <TableCard heading_id="titre-preuves" title="Éléments de preuve" rows=linked_documents caption="Documents liés"
            headers=&["Document", "Déposé", "Empreinte SHA-256", "Action"]
            empty="Aucun document n'est lié à cette exigence."
            row=move |d: Document| { let key = key_links.clone(); view! {
                <tr>
                    <td><a href=format!("/organisations/{id}/preuves/{}", d.id)>{d.file_name.clone()}</a>{format!(" ({} Ko)", (d.size_bytes + 1023) / 1024)}</td>
                    <td>{format!("{} par {}", domain::time::display_datetime(d.uploaded_at), d.uploaded_by)}</td>
                    <td class="nombre"><code>{d.sha256[..16].to_string()}"…"</code></td>
                    <td>{can_edit.then(|| view! {
                        <Form action={ServerAction::<LinkEvidence>::new()} instance=("document_id", d.id.to_string())>
                            <input type="hidden" name="siae_id" value=id/>
                            <input type="hidden" name="key" value=key/>
                            <input type="hidden" name="document_id" value=d.id/>
                            <input type="hidden" name="linked" value="false"/>
                            <button type="submit" class="bouton-secondaire" aria-label=format!("Délier {}", d.file_name)>"Délier"</button>
                        </Form>
                    })}</td>
                </tr>
            }}>
            {can_edit.then(|| view! {
                <h3>"Déposer un document"</h3>
                <form method="post" enctype="multipart/form-data" action=format!("/organisations/{id}/preuves") class="formulaire">
                    <input type="hidden" name="exigence" value=key_upload/>
                    <div class="champ">
                        <label for="preuve-fichier">"Fichier (PDF, image PNG ou JPEG, document OpenDocument ou Office ; 10 Mo au plus)"</label>
                        <input id="preuve-fichier" type="file" name="fichier" required=true
                            accept=".pdf,.png,.jpg,.jpeg,.odt,.ods,.odp,.docx,.xlsx,.pptx"/>
                    </div>
                    <button type="submit" class="bouton-principal">"Déposer et lier à l'exigence"</button>
                </form>
                {(!other_documents.is_empty()).then(|| view! {
                    <h3>"Lier un document déjà déposé"</h3>
                    <Form action={ServerAction::<LinkEvidence>::new()} class="formulaire" instance=("linked", "true".to_string())>
                        <input type="hidden" name="siae_id" value=id/>
                        <input type="hidden" name="key" value=key_existing/>
                        <input type="hidden" name="linked" value="true"/>
                        <SelectField id="preuve-existante" name="document_id" label="Document" required=true
                            options=other_documents.iter().map(|d| (d.id.to_string(), d.file_name.clone())).collect()/>
                        <button type="submit" class="bouton-secondaire">"Lier"</button>
                    </Form>
                })}
            })}
        </TableCard>
        <CitedVersions assessment=assessment.clone() key=key.clone()/>
        <TableCard heading_id="titre-historique" title="Historique" rows=history caption="Historique des modifications"
            headers=&["Date", "Auteur", "Champ", "Avant", "Après"]
            empty="Aucune modification pour l'instant. Chaque changement d'évaluation apparaîtra ici : qui, quand, de quoi à quoi."
            row=|h: HistoryEntry| view! {
                <tr>
                    <td><time datetime=h.changed_at.to_rfc3339()>{domain::time::display_datetime(h.changed_at)}</time></td>
                    <td>{h.changed_by}</td><td>{h.field}</td><td>{h.before}</td><td>{h.after}</td>
                </tr>
            }/>
    }
}

/// The approved versions of the manual's sections cited as evidence for the requirement, and,
/// for those who edit the assessment, the form citing one more.
#[component]
fn CitedVersions(assessment: SiaeAssessment, key: String) -> impl IntoView {
    let id = assessment.siae.id;
    let cited = assessment
        .manual_evidence
        .get(&key)
        .cloned()
        .unwrap_or_default();
    let citable: Vec<(String, String)> = assessment
        .citable_versions
        .iter()
        .filter(|v| !cited.iter().any(|c| c.version_id == v.version_id))
        .map(|v| (v.version_id.to_string(), v.label()))
        .collect();
    let (can_edit, can_read) = (assessment.can_edit, assessment.can_read_manual);
    let key_rows = key.clone();
    view! {
        <TableCard heading_id="titre-preuves-manuel" title="Sections du manuel citées comme preuve" rows=cited
            caption="Versions citées" headers=&["Section du manuel", "Action"]
            empty="Aucune version d'une section du manuel n'est citée pour cette exigence."
            row=move |v: CitedVersion| { let key = key_rows.clone(); view! {
                <tr>
                    <td>{if can_read {
                        view! { <a href=crate::url::section_page(v.section_id)>{v.label()}</a> }.into_any()
                    } else {
                        view! { <span>{v.label()}</span> }.into_any()
                    }}</td>
                    <td>{can_edit.then(|| view! {
                        <Form action={ServerAction::<CiteManualVersion>::new()} instance=("version_id", v.version_id.to_string())>
                            <input type="hidden" name="siae_id" value=id/>
                            <input type="hidden" name="key" value=key/>
                            <input type="hidden" name="version_id" value=v.version_id/>
                            <input type="hidden" name="cited" value="false"/>
                            <button type="submit" class="bouton-secondaire" aria-label=format!("Ne plus citer {}", v.label())>"Ne plus citer"</button>
                        </Form>
                    })}</td>
                </tr>
            }}>
            {(can_edit && !citable.is_empty()).then(|| view! {
                <Form action={ServerAction::<CiteManualVersion>::new()} class="formulaire" instance=("cited", "true".to_string())>
                    <input type="hidden" name="siae_id" value=id/>
                    <input type="hidden" name="key" value=key.clone()/>
                    <input type="hidden" name="cited" value="true"/>
                    <SelectField id="preuve-manuel" name="version_id" label="Version en vigueur d'une section" required=true options=citable
                        hint="La version citée reste celle-ci : si la section change, la preuve reste la version approuvée à cette date."/>
                    <button type="submit" class="bouton-secondaire">"Citer comme preuve"</button>
                </Form>
            })}
        </TableCard>
    }
}
