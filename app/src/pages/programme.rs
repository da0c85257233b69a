//! The programme's delays, set by the federation: what the deadlines and reminders of every
//! SIAE are computed from.

use crate::api::programme::{programme_rules, SetProgrammeRules};
use crate::components::forms::{Form, TextField};
use crate::components::load::loaded;
use domain::certification::programme::{reminders_text, RulesDraft, RulesPage};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProgrammePage() -> impl IntoView {
    view! {
        <Title text="Règles du programme"/>
        <h1>"Règles du programme"</h1>
        {loaded(programme_rules(), |page| view! { <RulesView page/> })}
    }
}

#[component]
fn RulesView(page: RulesPage) -> impl IntoView {
    let rules = page.rules.clone();
    let set = match &page.set_by {
        Some(name) => format!(
            "En vigueur depuis le {}, fixées par {name}.",
            domain::time::display_datetime(page.set_at)
        ),
        None => "Réglages initiaux de l'installation.".to_string(),
    };
    let draft = RulesDraft::from(&page.rules);
    view! {
        <p class="aide">"Les délais de la démarche sont fixés par la fédération. Ils donnent à chaque structure certifiée sa prochaine échéance et la date à partir de laquelle sa certification est à risque (tableaux de suivi), et les rappels envoyés avant la fin d'un certificat."</p>
        <section class="carte" aria-labelledby="titre-regles">
            <h2 id="titre-regles">"Délais en vigueur"</h2>
            <dl class="fiche">
                <dt>"Levée d'une non-conformité majeure"</dt><dd>{format!("{} mois", rules.major_nc_months)}</dd>
                <dt>"Levée d'une non-conformité mineure"</dt><dd>{format!("{} mois", rules.minor_nc_months)}</dd>
                <dt>"Rappels avant la fin d'un certificat"</dt><dd>{format!("{} mois avant", reminders_text(&rules.expiry_reminders))}</dd>
                <dt>"Début du renouvellement au plus tard"</dt><dd>{format!("{} mois avant la fin du certificat", rules.renewal_lead_months)}</dd>
            </dl>
            <p>{set}</p>
        </section>
        {page.can_set.then(|| view! {
            <section class="carte" aria-labelledby="titre-modifier-regles">
                <h2 id="titre-modifier-regles">"Modifier les délais"</h2>
                <Form action={ServerAction::<SetProgrammeRules>::new()} class="formulaire">
                    <TextField id="regles-majeure" name="major_nc_months" label="Mois pour lever une non-conformité majeure" input_type="number" value=draft.major_nc_months required=true/>
                    <TextField id="regles-mineure" name="minor_nc_months" label="Mois pour lever une non-conformité mineure" input_type="number" value=draft.minor_nc_months required=true/>
                    <TextField id="regles-rappels" name="expiry_reminders" label="Rappels avant la fin d'un certificat (mois, séparés par des virgules)" value=draft.expiry_reminders hint="Par exemple : 6, 3, 1."/>
                    <TextField id="regles-renouvellement" name="renewal_lead_months" label="Mois avant la fin d'un certificat pour commencer le renouvellement" input_type="number" value=draft.renewal_lead_months required=true/>
                    <button type="submit" class="bouton-principal">"Mettre en vigueur"</button>
                </Form>
            </section>
        })}
    }
}
