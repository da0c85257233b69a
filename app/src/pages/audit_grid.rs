//! The external audit of a SIAE: for its auditor, the grid they fill (each requirement's frozen
//! self-assessment and evidence, the previous audit's result, their appreciation and findings)
//! and the compte-rendu they submit; for the report's readers (the SIAE, the federation, then
//! the committee), the same, read-only, and for the federation who read it.

use super::id_param;
use crate::api::audits::{
    load_audit, load_grid_import, AddFinding, ApplyGridImport, Appreciate, RemoveFinding,
    SaveSummary,
};
use crate::api::certification::{OpenToCommittee, SubmitReport};
use crate::components::forms::{Form, SelectField, TextArea};
use crate::components::load::loaded;
use crate::url;
use domain::assessment::Status;
use domain::certification::audit::{AuditGrid, FindingKind, FrozenDocument, GridLine};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    loaded(load_audit(id_param()), |grid| view! { <AuditView grid/> })
}

fn short(sha256: &str) -> String {
    sha256.chars().take(12).collect()
}

#[component]
fn AuditView(grid: AuditGrid) -> impl IntoView {
    let title = format!("Audit — {}", grid.siae_name);
    let siae_id = grid.siae_id;
    let submitted = grid.submitted_at.is_some();
    view! {
        <Title text=title.clone()/>
        <p><a href=url::certification_page(siae_id)>"← Certification de "{grid.siae_name.clone()}</a></p>
        <h1>{title}</h1>
        <section class="carte" aria-labelledby="titre-dossier">
            <h2 id="titre-dossier">"Dossier audité"</h2>
            <dl class="fiche">
                <dt>"État"</dt><dd>{grid.state.label()}</dd>
                <dt>"Auditeur"</dt><dd>{grid.auditor_name.clone()}</dd>
                {grid.audit_dates.map(|(starts, ends)| view! {
                    <dt>"Audit"</dt>
                    <dd>{format!("du {} au {}", domain::time::display_date(starts), domain::time::display_date(ends))}</dd>
                })}
                <dt>"Figé le"</dt><dd>{domain::time::display_datetime(grid.snapshot.taken_at)}</dd>
                <dt>"Manuel qualité"</dt>
                <dd><a href=url::dossier_file(siae_id, None)>{format!("Édition {}", grid.snapshot.edition_number)}</a>
                    {format!(" (SHA-256 {}…)", short(&grid.snapshot.edition_sha256))}</dd>
                <dt>"Pièces"</dt><dd>{format!("{} document(s) joint(s) à l'auto-évaluation", grid.snapshot.documents.len())}</dd>
                {grid.submitted_at.map(|at| view! {
                    <dt>"Compte-rendu"</dt>
                    <dd><a href=url::audit_report_pdf(siae_id)>{format!("Remis le {} (PDF)", domain::time::display_datetime(at))}</a></dd>
                })}
            </dl>
            <p class="aide">"Ce dossier est celui que l'auditeur a reçu au début de l'audit : les modifications faites ensuite par la structure n'y apparaissent pas."</p>
        </section>
        <Counts grid=grid.clone()/>
        {grid.can_open_to_committee.then(|| view! {
            <section class="carte" aria-labelledby="titre-comite">
                <h2 id="titre-comite">"Comité de certification"</h2>
                <Form action={ServerAction::<OpenToCommittee>::new()}>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="demande_id" value=grid.demande_id/>
                    <button type="submit" class="bouton-principal">"Ouvrir le compte-rendu au comité de certification"</button>
                </Form>
            </section>
        })}
        {grid.editable.then(|| view! { <Offline siae_id/> })}
        <Summary grid=grid.clone()/>
        <section aria-labelledby="titre-exigences">
            <h2 id="titre-exigences">"Exigences"</h2>
            {grid.lines.iter().cloned().map(|line| view! {
                <Line line siae_id editable=grid.editable/>
            }).collect_view()}
        </section>
        {grid.readings.clone().filter(|_| submitted).map(|readings| view! { <Readings readings/> })}
    }
}

/// The grid taken offline: downloaded as a spreadsheet, filled on site, sent back.
#[component]
fn Offline(siae_id: i64) -> impl IntoView {
    view! {
        <section class="carte" id="hors-ligne" aria-labelledby="titre-hors-ligne">
            <h2 id="titre-hors-ligne">"Travailler hors ligne"</h2>
            <p><a href=url::offline_grid(siae_id)>"Télécharger la grille d'audit (CSV)"</a>
                " : remplissez les colonnes « Appréciation », « Commentaire » et « Nouveaux constats » (un par ligne, « Type : texte »), sans toucher à « Exigence » ni à « Empreinte »."</p>
            <form method="post" enctype="multipart/form-data" action=url::grid_upload(siae_id) class="formulaire">
                <div class="champ">
                    <label for="grille-fichier">"Grille remplie (CSV, 1 Mo au plus)"</label>
                    <input id="grille-fichier" type="file" name="grille" required=true accept=".csv,text/csv"/>
                </div>
                <button type="submit" class="bouton-secondaire">"Vérifier la grille remplie"</button>
            </form>
            <p class="aide">"Rien n'est modifié avant votre confirmation ; une exigence modifiée dans l'application depuis le téléchargement est signalée."</p>
        </section>
    }
}

/// What a grid filled offline would change, to confirm; or every line that prevents it.
#[component]
pub fn GridImportPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map().get_untracked();
    let upload_id = params
        .get("upload")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    loaded(load_grid_import(id_param(), upload_id), |preview| {
        view! { <GridImportView preview/> }
    })
}

#[component]
fn GridImportView(preview: domain::certification::offline::ImportPreview) -> impl IntoView {
    let siae_id = preview.siae_id;
    let title = format!("Grille remplie hors ligne — {}", preview.siae_name);
    let status_change = |c: &domain::certification::offline::LineChange| {
        c.status
            .map(|(before, after)| format!("{} → {}", before.label(), after.label()))
            .unwrap_or_default()
    };
    view! {
        <Title text=title.clone()/>
        <p><a href=format!("{}#hors-ligne", url::audit_page(siae_id))>"← Grille d'audit"</a></p>
        <h1>{title}</h1>
        <p>{format!("Fichier : {}", preview.file_name)}</p>
        {if preview.applied {
            view! { <p role="status">"Cette grille est appliquée."</p> }.into_any()
        } else if !preview.errors.is_empty() {
            view! {
                <section class="carte" aria-labelledby="titre-erreurs-grille">
                    <h2 id="titre-erreurs-grille">"La grille ne peut pas être appliquée"</h2>
                    <p>"Rien n'a été modifié. Corrigez ces lignes dans le fichier et déposez-le de nouveau :"</p>
                    <table>
                        <caption class="visuellement-cache">"Lignes refusées"</caption>
                        <thead><tr><th scope="col">"Ligne"</th><th scope="col">"Exigence"</th><th scope="col">"Motif"</th></tr></thead>
                        <tbody>
                            {preview.errors.iter().map(|e| view! {
                                <tr><td>{e.line}</td><td>{e.key.clone()}</td><td>{e.message.clone()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </section>
            }.into_any()
        } else if preview.changes.is_empty() {
            view! { <p>"La grille ne change rien à l'audit."</p> }.into_any()
        } else {
            view! {
                <section class="carte" aria-labelledby="titre-changements">
                    <h2 id="titre-changements">{format!("{} exigence(s) modifiée(s)", preview.changes.len())}</h2>
                    <table>
                        <caption class="visuellement-cache">"Ce que la grille modifie"</caption>
                        <thead><tr><th scope="col">"Exigence"</th><th scope="col">"Appréciation"</th><th scope="col">"Commentaire"</th><th scope="col">"Nouveaux constats"</th></tr></thead>
                        <tbody>
                            {preview.changes.iter().map(|c| view! {
                                <tr>
                                    <td>{c.key.clone()}</td>
                                    <td>{status_change(c)}</td>
                                    <td>{c.comment.as_ref().map(|(_, after)| after.clone()).unwrap_or_default()}</td>
                                    <td>{c.new_findings.iter().map(|(k, t)| format!("{} : {t}", k.label())).collect::<Vec<_>>().join(" ; ")}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <Form action={ServerAction::<ApplyGridImport>::new()}>
                        <input type="hidden" name="siae_id" value=siae_id/>
                        <input type="hidden" name="upload_id" value=preview.upload_id/>
                        <button type="submit" class="bouton-principal">"Appliquer ces modifications"</button>
                    </Form>
                </section>
            }.into_any()
        }}
    }
}

#[component]
fn Counts(grid: AuditGrid) -> impl IntoView {
    view! {
        <section class="carte" aria-labelledby="titre-constats">
            <h2 id="titre-constats">"Constats"</h2>
            <table>
                <caption class="visuellement-cache">"Nombre de constats par type"</caption>
                <thead><tr><th scope="col">"Constat"</th><th scope="col">"Nombre"</th></tr></thead>
                <tbody>
                    {grid.counts().into_iter().map(|(kind, n)| view! {
                        <tr><td>{kind.label()}</td><td>{n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Summary(grid: AuditGrid) -> impl IntoView {
    let siae_id = grid.siae_id;
    view! {
        <section class="carte" id="synthese" aria-labelledby="titre-synthese">
            <h2 id="titre-synthese">"Synthèse du compte-rendu"</h2>
            {if grid.editable {
                view! {
                    <Form action={ServerAction::<SaveSummary>::new()} class="formulaire">
                        <input type="hidden" name="siae_id" value=siae_id/>
                        <TextArea id="synthese-texte" name="summary" label="Synthèse" value=grid.summary.clone()
                            hint="Ce que l'auditeur retient de l'audit : points forts, pistes de progrès, non-conformités."/>
                        <button type="submit" class="bouton-secondaire">"Enregistrer la synthèse"</button>
                    </Form>
                    <Form action={ServerAction::<SubmitReport>::new()}>
                        <input type="hidden" name="siae_id" value=siae_id/>
                        <input type="hidden" name="demande_id" value=grid.demande_id/>
                        <p class="aide">"À la remise, le compte-rendu est mis en PDF et ne se modifie plus ; il est transmis à la structure et au responsable qualité fédéral. Chaque exigence doit avoir reçu une appréciation."</p>
                        <button type="submit" class="bouton-principal">"Remettre le compte-rendu"</button>
                    </Form>
                }.into_any()
            } else if grid.summary.is_empty() {
                view! { <p>"La synthèse n'est pas encore rédigée."</p> }.into_any()
            } else {
                view! { <div class="texte-long">{grid.summary.lines().map(|l| view! { <p>{l.to_string()}</p> }).collect_view()}</div> }.into_any()
            }}
        </section>
    }
}

fn document_link(siae_id: i64, d: &FrozenDocument) -> impl IntoView {
    view! {
        <a href=url::dossier_file(siae_id, Some(d.document_id))>{d.file_name.clone()}</a>
        {format!(" (SHA-256 {}…)", short(&d.sha256))}
    }
}

#[component]
fn Line(line: GridLine, siae_id: i64, editable: bool) -> impl IntoView {
    let key = line.key.clone();
    let heading = format!("{} — {}", line.key, line.section);
    let frozen = match &line.frozen {
        Some(f) if f.comment.is_empty() => f.status.label().to_string(),
        Some(f) => format!("{} — {}", f.status.label(), f.comment),
        None => Status::NonEvalue.label().to_string(),
    };
    let previous = match &line.previous {
        Some(p) if p.findings.is_empty() => format!("{} : {}", p.from, p.status.label()),
        Some(p) => format!(
            "{} : {} ({})",
            p.from,
            p.status.label(),
            p.findings
                .iter()
                .map(|k| k.label().to_lowercase())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => "aucun audit précédent".to_string(),
    };
    let names = |ids: &[i64]| -> String {
        ids.iter()
            .filter_map(|id| line.documents.iter().find(|d| d.document_id == *id))
            .map(|d| d.file_name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let findings = line.result.findings.clone();
    view! {
        <article class="carte exigence-audit" id=url::anchor(&key)>
            <h3>{heading}</h3>
            <p>{line.title.clone()}</p>
            <dl class="fiche">
                <dt>"Auto-évaluation"</dt><dd>{frozen}</dd>
                <dt>"Preuves"</dt>
                <dd>{if line.documents.is_empty() {
                    view! { "aucune" }.into_any()
                } else {
                    view! { <ul>{line.documents.iter().map(|d| view! { <li>{document_link(siae_id, d)}</li> }).collect_view()}</ul> }.into_any()
                }}</dd>
                <dt>"Audit précédent"</dt><dd>{previous}</dd>
                <dt>"Appréciation de l'auditeur"</dt>
                <dd>{if line.result.comment.is_empty() {
                    line.result.status.label().to_string()
                } else {
                    format!("{} — {}", line.result.status.label(), line.result.comment)
                }}</dd>
            </dl>
            {(!findings.is_empty()).then(|| view! {
                <ul class="constats">
                    {findings.into_iter().map(|f| {
                        let evidence = names(&f.evidence);
                        view! {
                            <li class=format!("constat {}", f.kind.code())>
                                <strong>{f.kind.label()}</strong>" : "{f.text.clone()}
                                {(!evidence.is_empty()).then(|| view! { <br/><span class="aide">{format!("Preuves vues : {evidence}")}</span> })}
                                {editable.then(|| view! {
                                    <Form action={ServerAction::<RemoveFinding>::new()} class="en-ligne">
                                        <input type="hidden" name="siae_id" value=siae_id/>
                                        <input type="hidden" name="finding_id" value=f.id/>
                                        <input type="hidden" name="requirement_key" value=f.requirement_key.clone()/>
                                        <button type="submit" class="bouton-lien">"Retirer"</button>
                                    </Form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            {editable.then(|| view! { <LineForms line=line.clone() siae_id/> })}
        </article>
    }
}

#[component]
fn LineForms(line: GridLine, siae_id: i64) -> impl IntoView {
    let key = line.key.clone();
    let id = url::anchor(&key);
    let statuses: Vec<(String, String)> = Status::ALL
        .into_iter()
        .filter(|s| *s != Status::NonEvalue)
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let kinds: Vec<(String, String)> = FindingKind::ALL
        .into_iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let current = match line.result.status {
        Status::NonEvalue => String::new(),
        status => status.code().to_string(),
    };
    let unassessed = current.is_empty();
    let (key_a, key_b, key_c, key_d) = (key.clone(), key.clone(), key.clone(), key);
    let (status_id, comment_id, kind_id, text_id) = (
        format!("{id}-appreciation"),
        format!("{id}-commentaire"),
        format!("{id}-type"),
        format!("{id}-constat"),
    );
    let comment = line.result.comment.clone();
    let documents = line.documents.clone();
    view! {
        <details class="saisie-audit" open=unassessed>
            <summary>"Apprécier et relever un constat"</summary>
            <Form action={ServerAction::<Appreciate>::new()} class="formulaire" instance=("requirement_key", key_a)>
                <input type="hidden" name="siae_id" value=siae_id/>
                <input type="hidden" name="requirement_key" value=key_b/>
                <SelectField id=status_id name="status" label="Appréciation" options=statuses
                    selected=current required=true empty="(à apprécier)"/>
                <TextArea id=comment_id name="comment" label="Commentaire" value=comment/>
                <button type="submit" class="bouton-secondaire">"Enregistrer l'appréciation"</button>
            </Form>
            <Form action={ServerAction::<AddFinding>::new()} class="formulaire" instance=("requirement_key", key_c)>
                <input type="hidden" name="siae_id" value=siae_id/>
                <input type="hidden" name="requirement_key" value=key_d/>
                <SelectField id=kind_id name="kind" label="Type de constat" options=kinds required=true/>
                <TextArea id=text_id name="text" label="Constat" required=true/>
                {(!documents.is_empty()).then(|| view! {
                    <fieldset>
                        <legend>"Preuves vues"</legend>
                        {documents.iter().map(|d| {
                            let box_id = format!("{id}-preuve-{}", d.document_id);
                            view! {
                                <p><input type="checkbox" id=box_id.clone() name=format!("preuves[d{}]", d.document_id) value=d.document_id/>
                                    " "<label for=box_id>{d.file_name.clone()}</label></p>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                <button type="submit" class="bouton-secondaire">"Ajouter le constat"</button>
            </Form>
        </details>
    }
}

#[component]
fn Readings(readings: Vec<domain::certification::audit::Reading>) -> impl IntoView {
    view! {
        <section class="carte" aria-labelledby="titre-lectures">
            <h2 id="titre-lectures">"Lectures du compte-rendu"</h2>
            {if readings.is_empty() {
                view! { <p>"Personne n'a encore lu le compte-rendu."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption class="visuellement-cache">"Qui a lu le compte-rendu, et quand"</caption>
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"Lecteur"</th><th scope="col">"Lu"</th></tr></thead>
                        <tbody>
                            {readings.iter().map(|r| view! {
                                <tr>
                                    <td>{domain::time::display_datetime(r.read_at)}</td>
                                    <td>{r.reader_name.clone()}</td>
                                    <td>{if r.what == "pdf" { "PDF" } else { "en ligne" }}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
