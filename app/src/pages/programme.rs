//! The programme's delays, set by the federation: what the deadlines and reminders of every
//! SIAE are computed from.

use crate::api::programme::{programme_rules, SetAuditPrice, SetProgrammeRules};
use crate::components::forms::{Form, TextField};
use crate::components::load::loaded;
use domain::certification::cost::euros;
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
    let prices = page.prices.clone();
    let totals = page.totals.clone();
    let can_set = page.can_set;
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
        <section class="carte" aria-labelledby="titre-prix">
            <h2 id="titre-prix">"Prix d'un audit"</h2>
            <p class="aide">"Fixé chaque année par la fédération, facturé par l'auditeur à la structure auditée ; le prix en vigueur l'année où l'auditeur est désigné s'applique à l'audit."</p>
            <table>
                <caption class="visuellement-cache">"Prix d'un audit par année"</caption>
                <thead><tr><th scope="col">"À partir de"</th><th scope="col">"Audit"</th><th scope="col">"Frais de mission"</th><th scope="col">"Total TTC"</th></tr></thead>
                <tbody>{prices.into_iter().map(|p| view! {
                    <tr><td>{p.year}</td><td>{euros(p.audit_cents)}</td><td>{euros(p.expenses_cents)}</td><td>{euros(p.total_cents())}</td></tr>
                }).collect_view()}</tbody>
            </table>
            {can_set.then(|| view! {
                <Form action={ServerAction::<SetAuditPrice>::new()} class="formulaire">
                    <TextField id="prix-annee" name="year" label="Année" input_type="number" required=true/>
                    <TextField id="prix-audit" name="audit" label="Audit (€ TTC)" required=true hint="Par exemple : 1 400."/>
                    <TextField id="prix-frais" name="expenses" label="Frais de mission (€ TTC)" required=true hint="Par exemple : 200."/>
                    <button type="submit" class="bouton-principal">"Fixer le prix"</button>
                </Form>
            })}
        </section>
        {(!totals.is_empty()).then(|| view! {
            <section class="carte" aria-labelledby="titre-couts">
                <h2 id="titre-couts">"Coût des audits par année et par région"</h2>
                <table>
                    <caption class="visuellement-cache">"Coût des audits par année (de désignation de l'auditeur) et par association régionale"</caption>
                    <thead><tr><th scope="col">"Année"</th><th scope="col">"Association régionale"</th><th scope="col">"Audits"</th><th scope="col">"Facturés"</th><th scope="col">"Coût total"</th><th scope="col">"Pris en charge"</th><th scope="col">"À la charge des structures"</th></tr></thead>
                    <tbody>{totals.into_iter().map(|t| view! {
                        <tr><td>{t.year}</td><td>{t.region_name.clone()}</td><td>{t.audits}</td><td>{t.invoiced}</td>
                            <td>{euros(t.total_cents)}</td><td>{euros(t.funded_cents)}</td><td>{euros(t.total_cents - t.funded_cents)}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            </section>
        })}
    }
}
