use super::{id_param, query_param};
use crate::api::manual::{
    compare_versions, load_section, ApproveVersion, SaveDraft, SendBackVersion, SetAnswers,
    SubmitVersion,
};
use crate::components::forms::{Form, MarkdownArea, TextArea, TextField};
use crate::components::load::loaded;
use crate::components::section_content::{read_content, SectionContentView};
use crate::pages::section_forms::StructuredEditor;
use domain::manual::content::ContentForm;
use domain::manual::diff::DiffPiece;
use domain::manual::section::SectionKind;
use domain::manual::version::{SectionVersion, VersionState};
use domain::manual::view::SectionPage;
use leptos::prelude::*;
use leptos_meta::Title;

/// A section of the manual: its version in force, the draft being written or reviewed, the
/// approved versions before it.
#[component]
pub fn ManualSectionPage() -> impl IntoView {
    loaded(
        load_section(id_param()),
        |page| view! { <SectionView page/> },
    )
}

#[component]
fn SectionView(page: SectionPage) -> impl IntoView {
    let section = page.section.clone();
    let title = format!("{} — {}", section.title, page.siae_name);
    let siae_id = section.siae_id;
    let editor_text = page
        .open
        .as_ref()
        .or(page.in_force.as_ref())
        .map(|v| v.body.clone())
        .unwrap_or_default();
    let editor_note = page
        .open
        .as_ref()
        .map(|v| v.change_note.clone())
        .unwrap_or_default();
    let revision = page.open.as_ref().map(|v| v.revision);
    let editable = page.can_edit
        && page
            .open
            .as_ref()
            .is_none_or(|v| v.status.state != VersionState::EnRelecture);
    view! {
        <Title text=title.clone()/>
        <p><a href=crate::url::manual_page(siae_id)>"← Manuel qualité de "{page.siae_name.clone()}</a></p>
        <h1>{section.title.clone()}</h1>
        <p class="aide">{section.kind.label()}" — "{page.hint.clone()}</p>
        {(!section.answers.is_empty()).then(|| view! {
            <p>"Répond aux exigences : "{section.answers.iter().map(|key| view! {
                <a class="exigence-lien" href=crate::url::requirement_page(siae_id, key)>{key.clone()}</a>" "
            }).collect_view()}</p>
        })}
        <section class="carte" aria-labelledby="titre-vigueur">
            <h2 id="titre-vigueur">"Version en vigueur"</h2>
            {match page.in_force.clone() {
                Some(v) => view! { <InForceVersion version=v kind=section.kind/> }.into_any(),
                None => view! { <p>"Aucune version n'est encore approuvée."</p> }.into_any(),
            }}
        </section>
        {page.open.clone().map(|open| view! {
            <OpenVersion open page=page.clone()/>
        })}
        {editable.then(|| view! {
            <section class="carte" aria-labelledby="titre-edition">
                <h2 id="titre-edition">{if page.open.is_some() { "Modifier le brouillon" } else { "Préparer une nouvelle version" }}</h2>
                {if section.kind.form() != ContentForm::Text {
                    view! {
                        <StructuredEditor section_id=section.id revision content=read_content(section.kind, &editor_text)
                            change_note=editor_note.clone() context=page.form_context.clone()/>
                    }.into_any()
                } else { view! {
                <p class="aide">"Le texte s'écrit en Markdown : une ligne vide sépare les paragraphes ; "<code>"## Titre"</code>", "<code>"- élément"</code>", "<code>"**gras**"</code>", "<code>"*italique*"</code>". L'aperçu du brouillon enregistré s'affiche ci-dessus."</p>
                <Form action={ServerAction::<SaveDraft>::new()} class="formulaire">
                    <input type="hidden" name="section_id" value=section.id/>
                    {revision.map(|r| view! { <input type="hidden" name="revision" value=r/> })}
                    <MarkdownArea id="section-texte" name="body" label="Texte de la section" value=editor_text/>
                    <TextField id="section-note" name="change_note" label="Ce qui change (note de modification)" value=editor_note
                        hint="Elle figure dans l'annexe « Modifications » de la prochaine édition du manuel."/>
                    <button type="submit" class="bouton-principal">"Enregistrer le brouillon"</button>
                </Form>
                }.into_any() }}
            </section>
        })}
        {page.can_edit.then(|| view! {
            <section class="carte" aria-labelledby="titre-exigences">
                <h2 id="titre-exigences">"Exigences du référentiel auxquelles répond la section"</h2>
                <Form action={ServerAction::<SetAnswers>::new()} class="formulaire">
                    <input type="hidden" name="section_id" value=section.id/>
                    <TextField id="section-exigences" name="answers" label="Exigences" value=section.answers.join(", ")
                        hint="Leurs clés, séparées par des virgules : par exemple « 2.3 a, 2.3 d ». L'auto-évaluation montre la section en vigueur à côté de chacune."/>
                    <button type="submit" class="bouton-secondaire">"Enregistrer les exigences"</button>
                </Form>
            </section>
        })}
        <History history=page.history.clone() section_id=section.id/>
    }
}

#[component]
fn InForceVersion(version: SectionVersion, kind: SectionKind) -> impl IntoView {
    let status = version.status.clone();
    view! {
        <p class="version-meta">
            {format!(
                "Version {} approuvée le {} par {} — écrite par {}. Révision prévue le {}.",
                status.number.unwrap_or_default(),
                status.approved_on.map(domain::time::display_date).unwrap_or_default(),
                version.approver_name.clone().unwrap_or_default(),
                version.author_name,
                status.review_due.map(domain::time::display_date).unwrap_or_default(),
            )}
        </p>
        <div class="texte-section"><SectionContentView kind body=version.body/></div>
    }
}

#[component]
fn OpenVersion(open: SectionVersion, page: SectionPage) -> impl IntoView {
    let state = open.status.state;
    let own = open.status.author_id == page.account_id;
    let section_id = page.section.id;
    view! {
        <section class="carte" aria-labelledby="titre-brouillon">
            <h2 id="titre-brouillon">{format!("{} — aperçu", state.label())}</h2>
            <p class="version-meta">{format!(
                "Écrite par {}, enregistrée le {} (révision {}).",
                open.author_name,
                domain::time::display_datetime(open.updated_at),
                open.revision
            )}</p>
            {open.status.review_comment.clone().filter(|_| state == VersionState::Renvoyee).map(|comment| view! {
                <div class="avertissement" role="note"><p>"Renvoyée avec ce commentaire : "{comment}</p></div>
            })}
            {(!open.change_note.is_empty()).then(|| view! { <p>"Note de modification : "{open.change_note.clone()}</p> })}
            <div class="texte-section"><SectionContentView kind=page.section.kind body=open.body.clone()/></div>
            {(page.can_edit && state != VersionState::EnRelecture).then(|| view! {
                <Form action={ServerAction::<SubmitVersion>::new()}>
                    <input type="hidden" name="section_id" value=section_id/>
                    <input type="hidden" name="version_id" value=open.id/>
                    <button type="submit" class="bouton-principal">"Soumettre à relecture"</button>
                </Form>
            })}
            {(page.can_approve && state == VersionState::EnRelecture).then(|| if own {
                view! { <p class="aide">"Vous avez écrit cette version : une autre personne (référent qualité ou direction) doit la relire et l'approuver."</p> }.into_any()
            } else {
                view! {
                    <div class="relecture">
                        <Form action={ServerAction::<ApproveVersion>::new()} class="formulaire">
                            <input type="hidden" name="section_id" value=section_id/>
                            <input type="hidden" name="version_id" value=open.id/>
                            <TextField id="revision-date" name="review_due" label="Date de la prochaine révision" input_type="date"
                                hint="Laissée vide : dans douze mois."/>
                            <button type="submit" class="bouton-principal">"Approuver"</button>
                        </Form>
                        <Form action={ServerAction::<SendBackVersion>::new()} class="formulaire">
                            <input type="hidden" name="section_id" value=section_id/>
                            <input type="hidden" name="version_id" value=open.id/>
                            <TextArea id="renvoi-commentaire" name="comment" label="Ce qu'il faut reprendre" required=true/>
                            <button type="submit" class="bouton-secondaire">"Renvoyer à l'auteur"</button>
                        </Form>
                    </div>
                }.into_any()
            })}
        </section>
    }
}

#[component]
fn History(history: Vec<SectionVersion>, section_id: i64) -> impl IntoView {
    (!history.is_empty()).then(|| {
        let previous: Vec<Option<i64>> = history
            .iter()
            .enumerate()
            .map(|(i, _)| history.get(i + 1).map(|v| v.id))
            .collect();
        view! {
            <section class="carte" aria-labelledby="titre-versions">
                <h2 id="titre-versions">"Versions approuvées"</h2>
                <table>
                    <caption class="visuellement-cache">"Versions approuvées de la section"</caption>
                    <thead><tr>
                        <th scope="col">"Version"</th><th scope="col">"État"</th><th scope="col">"Approuvée le"</th>
                        <th scope="col">"Par"</th><th scope="col">"Modifications"</th><th scope="col">"Comparer"</th>
                    </tr></thead>
                    <tbody>
                        {history.into_iter().zip(previous).map(|(v, previous)| view! {
                            <tr class=if v.status.state == VersionState::Obsolete { "obsolete" } else { "" }>
                                <td>{v.status.number}</td>
                                <td>{v.status.state.label()}</td>
                                <td>{v.status.approved_on.map(domain::time::display_date)}</td>
                                <td>{v.approver_name.clone()}</td>
                                <td>{v.change_note.clone()}</td>
                                <td>{previous.map(|from| view! {
                                    <a href=format!("/manuel/sections/{section_id}/comparer?de={from}&a={}", v.id)>
                                        {format!("Avec la version {}", v.status.number.unwrap_or_default() - 1)}
                                    </a>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}

/// Two versions of a section side by side in one text: removed words struck, added ones marked.
#[component]
pub fn CompareVersionsPage() -> impl IntoView {
    let section_id = id_param();
    let number = |name: &str| query_param(name).and_then(|v| v.parse().ok()).unwrap_or(0);
    let (from, to) = (number("de"), number("a"));
    loaded(
        compare_versions(section_id, from, to),
        move |(before, after, pieces)| {
            let label = |v: &SectionVersion| match (v.status.number, v.status.state) {
                (Some(n), VersionState::Obsolete) => format!("version {n} (obsolète)"),
                (Some(n), _) => format!("version {n}"),
                (None, state) => state.label().to_lowercase(),
            };
            let title = format!("Comparaison : {} → {}", label(&before), label(&after));
            view! {
                <Title text=title.clone()/>
                <p><a href=crate::url::section_page(section_id)>"← La section"</a></p>
                <h1>{title}</h1>
                <p class="aide">"Les mots retirés sont barrés, les mots ajoutés soulignés."</p>
                <div class="comparaison">
                    {pieces.into_iter().map(|piece| match piece {
                        DiffPiece::Same(text) => view! { <span>{text}</span> }.into_any(),
                        DiffPiece::Removed(text) => view! { <del>{text}</del> }.into_any(),
                        DiffPiece::Added(text) => view! { <ins>{text}</ins> }.into_any(),
                    }).collect_view()}
                </div>
            }
        },
    )
}
