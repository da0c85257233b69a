//! A person's fiche individuelle de suivi (exemple n°4): who they are and their accueil, the
//! parcours as a timeline of engagements réciproques with their bilans (fiche outil n°19),
//! the actions, the exit; the forms that record each; who consulted the file (direction).

use crate::api::parcours::{
    load_person_file, AddAction, AddEngagement, RecordExit, SetActionStatus, UpdatePerson,
    WriteBilan,
};
use crate::components::forms::{Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use crate::components::table::Table;
use crate::pages::id_param;
use crate::url;
use domain::parcours::engagement::EngagementKind;
use domain::parcours::person::{ExitKind, PersonDraft};
use domain::parcours::record::{
    duration_text, Achievement, ActionKind, ActionStatus, ContractForm,
};
use domain::parcours::view::{ActionView, EngagementView, FileRead, PersonFile};
use domain::time::display_date;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PersonPage() -> impl IntoView {
    loaded(
        load_person_file(id_param()),
        |file| view! { <FileView file/> },
    )
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "oui"
    } else {
        "non"
    }
}

#[component]
fn FileView(file: PersonFile) -> impl IntoView {
    let d = file.details.clone();
    let name = d.full_name();
    let id = file.id;
    let staff: Vec<(String, String)> = file
        .staff
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let engagement_choices: Vec<(String, String)> = file
        .engagements
        .iter()
        .map(|e| {
            (
                e.id.to_string(),
                format!("{} du {}", e.kind.label(), display_date(e.signed_on)),
            )
        })
        .collect();
    let engagement_staff = staff.clone();
    let follow_up = file.follow_up_of().cloned();
    let open = file.exit.is_none();
    let lapses = file.lapses.clone();
    let draft = PersonDraft::from(&d);
    let optional = |date: Option<chrono::NaiveDate>| {
        date.map(display_date)
            .unwrap_or_else(|| "pas encore".to_string())
    };
    view! {
        <Title text=format!("Fiche de suivi — {name}")/>
        <div class="titre-page">
            <h1>{format!("Fiche individuelle de suivi — {name}")}</h1>
            <a class="bouton-secondaire" href=url::persons_page(file.siae_id)>"Personnes accompagnées"</a>
        </div>
        <p><span class="pastille">{file.phase.label()}</span>" "{file.siae_name.clone()}" — "<a href=url::follow_up_pdf(id)>"Fiche de suivi (PDF)"</a>" — "<a href=url::access_export(id)>"Toutes ses données (JSON, droit d'accès)"</a></p>
        {(!lapses.is_empty()).then(|| view! {
            <div class="avertissement" role="note">
                <p><strong>"Suivi a minima : à revoir"</strong></p>
                <ul>{lapses.iter().map(|l| view! { <li>{l.describe()}</li> }).collect_view()}</ul>
            </div>
        })}
        <section class="carte" aria-labelledby="titre-personne">
            <h2 id="titre-personne">"La personne"</h2>
            <dl class="fiche">
                <dt>"Nom"</dt><dd>{d.last_name.clone()}</dd>
                <dt>"Prénom"</dt><dd>{d.first_name.clone()}</dd>
                <dt>"Date de naissance"</dt><dd>{d.birth_date.map(display_date).unwrap_or_default()}</dd>
                <dt>"Téléphone"</dt><dd>{d.phone.clone()}</dd>
                <dt>"E-mail"</dt><dd>{d.email.clone()}</dd>
                <dt>"Adresse"</dt><dd>{d.address.clone()}</dd>
                <dt>"Date du pré-accueil"</dt><dd>{display_date(d.pre_accueil_on)}</dd>
                <dt>"Date de l'entretien individuel (accueil)"</dt><dd>{optional(d.accueil_on)}</dd>
                <dt>"Date d'inscription"</dt><dd>{optional(d.inscription_on)}</dd>
                <dt>"Accompagnateur"</dt><dd>{file.accompagnateur_name.clone().unwrap_or_else(|| "aucun".to_string())}</dd>
                <dt>"Sortie"</dt><dd>{file.exit.map(|(on, kind)| format!("{} le {}", kind.label(), display_date(on))).unwrap_or_else(|| "non".to_string())}</dd>
            </dl>
            <h3>"La demande, les attentes, les besoins, les projets de la personne"</h3>
            <p class="texte-libre">{if d.request.is_empty() { "Non renseignés.".to_string() } else { d.request.clone() }}</p>
        </section>
        <section class="carte" aria-labelledby="titre-parcours">
            <h2 id="titre-parcours">"Le parcours"</h2>
            {if file.engagements.is_empty() {
                view! { <p class="vide">"Aucun engagement réciproque pour l'instant."</p> }.into_any()
            } else {
                view! {
                    <ol class="parcours">
                        {file.engagements.iter().cloned().map(|e| view! { <EngagementItem person_id=id engagement=e/> }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
        <section class="carte" aria-labelledby="titre-actions">
            <h2 id="titre-actions">"Les actions"</h2>
            <Table rows=file.actions.clone() caption="Actions proposées à la personne"
                headers=&["Date", "Action proposée", "Objectifs poursuivis", "Engagement", "Échéance / délai", "Suites données, décisions prises", "Temps consacré", "État"]
                empty="Aucune action pour l'instant."
                row=move |a: ActionView| view! { <ActionRow person_id=id action=a/> }/>
        </section>
        {open.then(|| view! {
            <section class="carte" aria-labelledby="titre-nouvel-engagement">
                <h2 id="titre-nouvel-engagement">{if follow_up.is_some() { "Engagement suivant" } else { "Nouvel engagement réciproque" }}</h2>
                <p class="aide">"L'engagement suit la priorité de la personne à ce moment. "<a href="/parcours/aide-au-choix">"Aide au choix de l'engagement"</a></p>
                <Form action={ServerAction::<AddEngagement>::new()} class="formulaire">
                    <input type="hidden" name="person_id" value=id/>
                    {follow_up.as_ref().map(|f| view! { <input type="hidden" name="follows_id" value=f.id/> })}
                    <SelectField id="engagement-type" name="kind" label="Engagement" options=EngagementKind::options() empty="Choisir" required=true/>
                    <TextField id="engagement-date" name="signed_on" label="Date" input_type="date" value=domain::time::today().to_string() required=true/>
                    <SelectField id="engagement-accompagnateur" name="accompagnateur_id" label="Accompagnateur" options=engagement_staff selected=d.accompagnateur_id.map(|i| i.to_string()).unwrap_or_default() empty="Aucun"/>
                    <TextArea id="engagement-besoins" name="needs" label="Le(s) besoin(s) et/ou projet(s) exprimé(s) par la personne"
                        value=follow_up.as_ref().map(|f| f.needs.clone()).unwrap_or_else(|| d.request.clone())/>
                    <TextArea id="engagement-objet" name="object" label="L'objet de contractualisation" required=true hint="Une étape précise, qui rapproche la personne de son projet ou répond à ses besoins."/>
                    <TextArea id="engagement-moyens-structure" name="means_structure" label="Les moyens mobilisés par la structure" required=true/>
                    <TextArea id="engagement-moyens-personne" name="means_person" label="Les moyens mobilisés par la personne" required=true/>
                    <TextField id="engagement-echeance" name="due_on" label="L'échéance que l'on se donne" input_type="date" required=true/>
                    <SelectField id="engagement-forme" name="form" label="Forme" options=ContractForm::options() selected=ContractForm::Ecrit.code() required=true/>
                    <p><input type="checkbox" id="engagement-signe" name="signed" value="on"/>" "<label for="engagement-signe">"Signé par la personne et la structure"</label></p>
                    <p><input type="checkbox" id="engagement-remis" name="handed" value="on"/>" "<label for="engagement-remis">"Remis à la personne"</label></p>
                    <button type="submit" class="bouton-principal">"Enregistrer l'engagement"</button>
                </Form>
            </section>
            <section class="carte" aria-labelledby="titre-nouvelle-action">
                <h2 id="titre-nouvelle-action">"Nouvelle action"</h2>
                <Form action={ServerAction::<AddAction>::new()} class="formulaire">
                    <input type="hidden" name="person_id" value=id/>
                    <TextField id="action-date" name="on" label="Date" input_type="date" value=domain::time::today().to_string() required=true/>
                    <SelectField id="action-type" name="kind" label="Type d'action" options=ActionKind::options() empty="Choisir" required=true/>
                    <TextArea id="action-libelle" name="label" label="Action proposée" required=true/>
                    <TextArea id="action-objectif" name="objective" label="Objectifs poursuivis"/>
                    <SelectField id="action-engagement" name="engagement_id" label="Engagement" options=engagement_choices.clone() empty="Aucun"/>
                    <TextField id="action-echeance" name="due_on" label="Échéance / délai" input_type="date"/>
                    <SelectField id="action-etat" name="status" label="État" options=ActionStatus::options() selected=ActionStatus::AProposer.code() required=true/>
                    <TextArea id="action-decisions" name="decisions" label="Suites données, décisions prises"/>
                    <TextField id="action-minutes" name="minutes" label="Temps consacré (minutes)" input_type="number"/>
                    <fieldset>
                        <legend>"Pour une mise à disposition ou une mise en situation de travail"</legend>
                        <TextField id="action-client" name="client" label="Client"/>
                        <TextField id="action-rome" name="rome_code" label="Code ROME du métier" hint="Une lettre et quatre chiffres, par exemple N1103."/>
                        <TextField id="action-heures" name="hours" label="Heures de travail" hint="Par exemple 5 ou 7,5."/>
                    </fieldset>
                    <button type="submit" class="bouton-principal">"Enregistrer l'action"</button>
                </Form>
            </section>
            <section class="carte" aria-labelledby="titre-sortie">
                <h2 id="titre-sortie">"Sortie"</h2>
                <Form action={ServerAction::<RecordExit>::new()} class="formulaire">
                    <input type="hidden" name="person_id" value=id/>
                    <TextField id="sortie-date" name="exit_on" label="Date de sortie" input_type="date" required=true/>
                    <SelectField id="sortie-type" name="exit_kind" label="Type de sortie" options=ExitKind::options() empty="Choisir" required=true/>
                    <button type="submit" class="bouton-secondaire">"Enregistrer la sortie"</button>
                </Form>
            </section>
        })}
        <section class="carte" aria-labelledby="titre-modifier">
            <h2 id="titre-modifier">"Modifier la fiche"</h2>
            <Form action={ServerAction::<UpdatePerson>::new()} class="formulaire">
                <input type="hidden" name="person_id" value=id/>
                <TextField id="fiche-nom" name="last_name" label="Nom" value=draft.last_name required=true/>
                <TextField id="fiche-prenom" name="first_name" label="Prénom" value=draft.first_name/>
                <TextField id="fiche-naissance" name="birth_date" label="Date de naissance" input_type="date" value=draft.birth_date/>
                <TextField id="fiche-telephone" name="phone" label="Téléphone" input_type="tel" value=draft.phone/>
                <TextField id="fiche-email" name="email" label="E-mail" input_type="email" value=draft.email/>
                <TextArea id="fiche-adresse" name="address" label="Adresse" value=draft.address/>
                <TextField id="fiche-pre-accueil" name="pre_accueil_on" label="Date du pré-accueil" input_type="date" value=draft.pre_accueil_on required=true/>
                <TextField id="fiche-accueil" name="accueil_on" label="Date de l'entretien individuel (accueil)" input_type="date" value=draft.accueil_on/>
                <TextField id="fiche-inscription" name="inscription_on" label="Date d'inscription" input_type="date" value=draft.inscription_on/>
                <TextArea id="fiche-demande" name="request" label="La demande, les attentes, les besoins, les projets de la personne" value=draft.request/>
                <SelectField id="fiche-accompagnateur" name="accompagnateur_id" label="Accompagnateur" options=staff selected=draft.accompagnateur_id empty="Aucun"/>
                <button type="submit" class="bouton-principal">"Enregistrer la fiche"</button>
            </Form>
        </section>
        {file.reads.map(|reads| view! {
            <section class="carte" aria-labelledby="titre-consultations">
                <h2 id="titre-consultations">"Consultations de la fiche"</h2>
                <Table rows=reads caption="Qui a consulté la fiche, la plus récente d'abord"
                    headers=&["Date", "Par", "Document"]
                    empty="Personne n'a encore consulté la fiche."
                    row=|r: FileRead| view! {
                        <tr><td>{domain::time::display_datetime(r.at)}</td><td>{r.reader_name}</td><td>{r.what}</td></tr>
                    }/>
            </section>
        })}
    }
}

#[component]
fn EngagementItem(person_id: i64, engagement: EngagementView) -> impl IntoView {
    let e = engagement;
    let eid = e.id;
    let written = match (e.form, e.signed, e.handed) {
        (ContractForm::Oral, _, _) => "Oral".to_string(),
        (ContractForm::Ecrit, signed, handed) => {
            format!(
                "Écrit ; signé : {} ; remis à la personne : {}",
                yes_no(signed),
                yes_no(handed)
            )
        }
    };
    view! {
        <li>
            <h3>{format!("{} — du {} au {}", e.kind.label(), display_date(e.signed_on), display_date(e.due_on))}</h3>
            <dl class="fiche">
                <dt>"Accompagnateur"</dt><dd>{e.accompagnateur_name.clone().unwrap_or_default()}</dd>
                <dt>"Besoins et projet exprimés"</dt><dd>{e.needs.clone()}</dd>
                <dt>"Objet de contractualisation"</dt><dd>{e.object.clone()}</dd>
                <dt>"Moyens mobilisés par la structure"</dt><dd>{e.means_structure.clone()}</dd>
                <dt>"Moyens mobilisés par la personne"</dt><dd>{e.means_person.clone()}</dd>
                <dt>"Échéance"</dt><dd>{display_date(e.due_on)}</dd>
                <dt>"Convention"</dt><dd>{written}" "<a href=url::convention_pdf(person_id, eid)>"Imprimer la convention (PDF)"</a></dd>
            </dl>
            {match e.bilan.clone() {
                Some(b) => view! {
                    <h4>"Évaluation / bilan"</h4>
                    <dl class="fiche">
                        <dt>"Réalisée le"</dt><dd>{display_date(b.held_on)}</dd>
                        <dt>"Les actions envisagées ont-elles été réalisées ?"</dt><dd>{b.achieved.label()}</dd>
                        <dt>"Des suites sont-elles envisagées ?"</dt><dd>{if b.follow_up { "Oui" } else { "Non" }}</dd>
                        <dt>"Commentaires"</dt><dd>{b.comments}</dd>
                    </dl>
                }.into_any(),
                None => view! {
                    <Form action={ServerAction::<WriteBilan>::new()} class="formulaire" instance=("engagement_id", eid.to_string())>
                        <input type="hidden" name="person_id" value=person_id/>
                        <input type="hidden" name="engagement_id" value=eid/>
                        <TextField id=format!("bilan-{eid}-date") name="held_on" label="Bilan réalisé le" input_type="date" required=true/>
                        <SelectField id=format!("bilan-{eid}-realisees") name="achieved" label="Les actions envisagées ont-elles été réalisées ?" options=Achievement::options() empty="Choisir" required=true/>
                        <SelectField id=format!("bilan-{eid}-suites") name="follow_up" label="Des suites sont-elles envisagées ?" empty="Choisir" required=true
                            options=vec![("oui".into(), "Oui : un nouvel engagement suit".into()), ("non".into(), "Non".into())]/>
                        <TextArea id=format!("bilan-{eid}-commentaires") name="comments" label="Commentaires" hint="Événements, problèmes rencontrés, contraintes de la structure, démarches réalisées."/>
                        <button type="submit" class="bouton-secondaire">"Enregistrer le bilan"</button>
                    </Form>
                }.into_any(),
            }}
        </li>
    }
}

#[component]
fn ActionRow(person_id: i64, action: ActionView) -> impl IntoView {
    let a = action;
    let aid = a.id;
    let label = match &a.placement {
        Some(p) => format!(
            "{} — {} : {} ({}, {})",
            a.kind.label(),
            a.label,
            p.client,
            p.rome_code,
            duration_text(p.minutes)
        ),
        None => format!("{} — {}", a.kind.label(), a.label),
    };
    view! {
        <tr>
            <td>{display_date(a.on)}</td>
            <td>{label}</td>
            <td>{a.objective.clone()}</td>
            <td>{a.engagement_kind.map(|k| k.label()).unwrap_or_default()}</td>
            <td>{a.due_on.map(display_date).unwrap_or_default()}</td>
            <td>{a.decisions.clone()}</td>
            <td>{(a.minutes > 0).then(|| duration_text(a.minutes))}</td>
            <td>
                <Form action={ServerAction::<SetActionStatus>::new()} class="en-ligne" instance=("action_id", aid.to_string())>
                    <input type="hidden" name="person_id" value=person_id/>
                    <input type="hidden" name="action_id" value=aid/>
                    <SelectField id=format!("action-{aid}-etat") name="status" label="État" options=ActionStatus::options() selected=a.status.code()/>
                    <button type="submit" class="bouton-secondaire">"Mettre à jour"</button>
                </Form>
            </td>
        </tr>
    }
}
