use super::id_param;
use crate::api::organisations::{
    load_organisation_page, organisation_form_choices, CreateOrganisation, OrganisationChoices,
    UpdateOrganisation,
};
use crate::components::forms::{Form, SelectField, TextField};
use crate::components::load::loaded;
use domain::organisation::{OrganisationDraft, OrganisationKind, SiaeType};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    view! {
        <Title text="Nouvelle organisation"/>
        <h1>"Nouvelle organisation"</h1>
        {loaded(organisation_form_choices(), |choices| view! {
            <Form action={ServerAction::<CreateOrganisation>::new()} class="carte formulaire">
                <SelectField id="org-kind" name="draft[kind]" label="Type d'organisation" required=true
                    options=OrganisationKind::ALL.iter().map(|k| (k.code().to_string(), k.label().to_string())).collect()
                    selected="siae"/>
                <OrganisationFields draft=OrganisationDraft::default() choices/>
                <button type="submit" class="bouton-principal">"Créer l'organisation"</button>
            </Form>
        })}
    }
}

#[component]
pub fn EditOrganisationPage() -> impl IntoView {
    let id = id_param();
    let data = async move {
        let page = load_organisation_page(id).await?;
        let choices = organisation_form_choices().await?;
        Ok((page, choices))
    };
    loaded(data, move |(page, choices)| {
        let o = page.organisation;
        let title = format!("Modifier « {} »", o.name);
        view! {
            <Title text=title.clone()/>
            <h1>{title}</h1>
            <Form action={ServerAction::<UpdateOrganisation>::new()} class="carte formulaire">
                <input type="hidden" name="id" value=o.id/>
                <input type="hidden" name="draft[kind]" value=o.kind.code()/>
                <p>"Type : "{o.kind.label()}</p>
                <OrganisationFields draft=o.to_draft() choices/>
                <div class="actions">
                    <button type="submit" class="bouton-principal">"Enregistrer"</button>
                    <a href=format!("/organisations/{}", o.id)>"Annuler"</a>
                </div>
            </Form>
        }
    })
}

/// The fields common to creation and edition; those of a SIAE are grouped and explained.
#[component]
fn OrganisationFields(draft: OrganisationDraft, choices: OrganisationChoices) -> impl IntoView {
    let options = |list: Vec<(i64, String)>| {
        list.into_iter()
            .map(|(id, name)| (id.to_string(), name))
            .collect::<Vec<_>>()
    };
    let regions = options(choices.regions);
    let ensembliers = options(choices.ensembliers);
    let types = SiaeType::ALL
        .iter()
        .map(|t| (t.code().to_string(), t.label().to_string()))
        .collect();
    view! {
        <TextField id="org-name" name="draft[name]" label="Nom" value=draft.name required=true autocomplete="organization"/>
        <TextField id="org-city" name="draft[city]" label="Ville" value=draft.city/>
        <TextField id="org-siret" name="draft[siret]" label="SIRET" value=draft.siret
            hint="14 chiffres, espaces permis. Obligatoire pour une SIAE."/>
        <fieldset>
            <legend>"Pour une SIAE"</legend>
            <SelectField id="org-type" name="draft[siae_type]" label="Type de SIAE" options=types
                selected=draft.siae_type empty="—"/>
            <SelectField id="org-region" name="draft[region_id]" label="Association régionale" options=regions
                selected=draft.region_id empty="—"/>
            <SelectField id="org-ensemblier" name="draft[ensemblier_id]" label="Ensemblier" options=ensembliers
                selected=draft.ensemblier_id empty="Aucun"
                hint="L'ensemblier dont la SIAE fait partie : un lien d'un auditeur avec lui compte comme un lien avec elle."/>
            <TextField id="org-entry" name="draft[entry_date]" label="Date d'entrée dans la démarche CEDRE"
                input_type="date" value=draft.entry_date/>
            <TextField id="org-fte" name="draft[funded_fte]" label="ETP financés pour l'accompagnement socio-professionnel"
                value=draft.funded_fte hint="Par exemple 2,5."/>
        </fieldset>
    }
}
