use super::id_param;
use crate::api::referentiel::{
    list_versions, load_version, AddRequirement, CreateVersion, EditRequirement,
    RecordVersionDates, RetireRequirement,
};
use crate::components::forms::{refused, Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use crate::components::session::current_me;
use crate::components::table::Table;
use domain::policy::{Action, Target};
use domain::referentiel::{Referentiel, Section, Version};
use leptos::prelude::*;
use leptos_meta::Title;

fn manages() -> bool {
    current_me().is_some_and(|m| m.actor.may(Action::ManageReferentiel, Target::Global))
}

#[component]
pub fn VersionsPage() -> impl IntoView {
    let can_manage = manages();
    view! {
        <Title text="Versions du référentiel"/>
        <h1>"Versions du référentiel"</h1>
        <p class="aide">"Le séminaire CEDRE propose des évolutions tous les deux ans ; le bureau de la fédération valide chaque version. Une SIAE est évaluée sur la version en vigueur à son entrée dans la démarche."</p>
        {loaded(list_versions(), move |versions| view! {
            <Table rows=versions.clone() caption="Versions du référentiel"
                headers=&["Code", "Libellé", "État"]
                empty="Aucune version du référentiel n'est installée."
                row=|v: Version| view! {
                    <tr>
                        <td><a href=format!("/referentiel/versions/{}", v.id)>{v.code.clone()}</a></td>
                        <td>{v.label.clone()}</td>
                        <td>{v.state_label()}</td>
                    </tr>
                }/>
            {can_manage.then(|| view! {
                <section class="carte" aria-labelledby="titre-nouvelle-version">
                    <h2 id="titre-nouvelle-version">"Nouvelle version"</h2>
                    <Form action={ServerAction::<CreateVersion>::new()} class="formulaire">
                        <SelectField id="version-base" name="base_id" label="À partir de" required=true
                            options=versions.iter().map(|v| (v.id.to_string(), format!("{} — {}", v.code, v.label))).collect()/>
                        <TextField id="version-code" name="code" label="Code" required=true hint="Par exemple CEDRE-2027."/>
                        <TextField id="version-libelle" name="label" label="Libellé" required=true hint="Par exemple Version janvier 2027."/>
                        <button type="submit" class="bouton-principal">"Créer la version"</button>
                    </Form>
                </section>
            })}
        })}
    }
}

#[component]
pub fn VersionPage() -> impl IntoView {
    let can_manage = manages();
    loaded(
        load_version(id_param()),
        move |(version, referentiel)| view! { <VersionView version referentiel can_manage/> },
    )
}

#[component]
fn VersionView(version: Version, referentiel: Referentiel, can_manage: bool) -> impl IntoView {
    let editable = can_manage && version.is_draft();
    let title = format!("{} — {}", referentiel.title, version.label);
    view! {
        <Title text=title.clone()/>
        <p><a href="/referentiel/versions">"← Versions du référentiel"</a></p>
        <h1>{title}</h1>
        <p>{format!("Code {} — {}.", version.code, version.state_label())}</p>
        {(can_manage && version.is_draft()).then(|| view! { <VersionDates version=version.clone()/> })}
        {referentiel.sections.into_iter().map(|section| view! { <SectionView section version_id=version.id editable/> }).collect_view()}
    }
}

#[component]
fn VersionDates(version: Version) -> impl IntoView {
    view! {
        <section class="carte" aria-labelledby="titre-dates">
            <h2 id="titre-dates">"Validation et entrée en vigueur"</h2>
            <p class="aide">"Enregistrez d'abord la validation par le bureau de la fédération, puis la date d'entrée en vigueur. Une version en vigueur ne se modifie plus."</p>
            <Form action={ServerAction::<RecordVersionDates>::new()} class="formulaire">
                <input type="hidden" name="version_id" value=version.id/>
                <TextField id="date-bureau" name="validated_on" label="Validée par le bureau le" input_type="date"
                    value=version.bureau_validated_on.map(|d| d.to_string()).unwrap_or_default()/>
                <TextField id="date-vigueur" name="in_force_from" label="En vigueur à partir du" input_type="date"/>
                <button type="submit" class="bouton-principal">"Enregistrer les dates"</button>
            </Form>
        </section>
    }
}

#[component]
fn SectionView(section: Section, version_id: i64, editable: bool) -> impl IntoView {
    let anchor = section.code.replace('.', "-");
    view! {
        <section class="carte section-version" aria-labelledby=format!("version-section-{anchor}")>
            <h2 id=format!("version-section-{anchor}")>{format!("{} — {}", section.code, section.title)}</h2>
            {section.objective.clone().map(|o| view! { <p><em>{o}</em></p> })}
            {(!section.quality_objectives.is_empty()).then(|| view! {
                <h3>"Objectifs qualité poursuivis"</h3>
                <ul>{section.quality_objectives.iter().map(|o| view! { <li>{o.clone()}</li> }).collect_view()}</ul>
            })}
            <h3>"Exigences"</h3>
            {section.requirements.clone().into_iter().map(|r| {
                let key = r.key(&section);
                let (key_edit, key_retire) = (key.clone(), key.clone());
                view! {
                    <div class="exigence">
                        <p><strong>{key.clone()}</strong>" — "{r.text.clone()}</p>
                        {(!r.points.is_empty()).then(|| view! { <ul>{r.points.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view()}</ul> })}
                        {editable.then(|| {
                            let slug = key.replace(['.', ' '], "-");
                            let open = refused::<EditRequirement>(Some(("key", &key)))
                                || refused::<RetireRequirement>(Some(("key", &key)));
                            view! {
                                <details open=open>
                                    <summary>{format!("Modifier ou retirer l'exigence {key}")}</summary>
                                    <Form action={ServerAction::<EditRequirement>::new()} class="formulaire" instance=("key", key.clone())>
                                        <input type="hidden" name="version_id" value=version_id/>
                                        <input type="hidden" name="key" value=key_edit/>
                                        <TextArea id=format!("texte-{slug}") name="text" label="Texte" value=r.text.clone()/>
                                        <TextArea id=format!("points-{slug}") name="points" label="Points (un par ligne)" value=r.points.join("\n")/>
                                        <button type="submit" class="bouton-principal">"Enregistrer"</button>
                                    </Form>
                                    <Form action={ServerAction::<RetireRequirement>::new()} instance=("key", key.clone())>
                                        <input type="hidden" name="version_id" value=version_id/>
                                        <input type="hidden" name="key" value=key_retire/>
                                        <button type="submit" class="bouton-secondaire">{format!("Retirer l'exigence {key}")}</button>
                                    </Form>
                                </details>
                            }
                        })}
                    </div>
                }
            }).collect_view()}
            {(!section.dispositions.is_empty()).then(|| view! {
                <h3>"Dispositions particulières"</h3>
                <ul>{section.dispositions.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
            })}
            {(!section.means.is_empty()).then(|| view! {
                <h3>"Moyens à mettre en œuvre (mentionnés à titre indicatif)"</h3>
                <ul>{section.means.iter().map(|m| view! { <li>{m.clone()}</li> }).collect_view()}</ul>
            })}
            {editable.then(|| {
                let prefix = format!("ajout-{anchor}");
                let open = refused::<AddRequirement>(Some(("section", &section.code)));
                view! {
                    <details open=open>
                        <summary>{format!("Ajouter une exigence à la section {}", section.code)}</summary>
                        <Form action={ServerAction::<AddRequirement>::new()} class="formulaire" instance=("section", section.code.clone())>
                            <input type="hidden" name="version_id" value=version_id/>
                            <input type="hidden" name="section" value=section.code.clone()/>
                            <TextField id=format!("{prefix}-code") name="code" label="Lettre" required=true/>
                            <TextArea id=format!("{prefix}-texte") name="text" label="Texte" required=true/>
                            <TextArea id=format!("{prefix}-points") name="points" label="Points (un par ligne)"/>
                            <button type="submit" class="bouton-principal">"Ajouter"</button>
                        </Form>
                    </details>
                }
            })}
        </section>
    }
}
