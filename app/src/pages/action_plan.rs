//! The action plans answering a SIAE's latest audits: for each non-conformity and for the
//! committee's conditions, the corrective actions, their evidence and the checks of their
//! efficacy; lifted once all are effective. The plan of an audit blanc is the SIAE's own,
//! drawn in one step from all its findings.

use crate::api::corrective::{
    load_action_plan, AdoptAuditBlanc, DeclareAction, LiftItem, PlanAction, VerifyAction,
};
use crate::components::forms::{Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use crate::pages::id_param;
use domain::certification::audit::FindingKind;
use domain::certification::corrective::{
    ActionPlan, ActionState, Answers, CorrectiveAction, PlanItem,
};
use domain::certification::demande::DemandeKind;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ActionPlanPage() -> impl IntoView {
    loaded(
        load_action_plan(id_param(), None),
        |plan| view! { <PlanView plan/> },
    )
}

#[component]
pub fn AuditBlancPlanPage() -> impl IntoView {
    loaded(
        load_action_plan(id_param(), Some(DemandeKind::AuditBlanc.code().to_string())),
        |plan| view! { <PlanView plan/> },
    )
}

/// What the forms of a plan say about it: its SIAE, and its audit when it is an audit blanc.
#[derive(Clone, Copy)]
struct Of {
    siae_id: i64,
    kind: DemandeKind,
}

impl Of {
    fn hidden(self) -> impl IntoView {
        view! {
            <input type="hidden" name="siae_id" value=self.siae_id/>
            {(self.kind == DemandeKind::AuditBlanc).then(|| view! {
                <input type="hidden" name="kind" value=self.kind.code()/>
            })}
        }
    }
}

#[component]
fn PlanView(plan: ActionPlan) -> impl IntoView {
    let of = Of {
        siae_id: plan.siae_id,
        kind: plan.kind,
    };
    let today = domain::time::today();
    let blanc = plan.kind == DemandeKind::AuditBlanc;
    let title = if blanc {
        format!("Plan d'actions de l'audit blanc — {}", plan.siae_name)
    } else {
        format!("Plan d'actions correctives — {}", plan.siae_name)
    };
    let owners: Vec<(String, String)> = plan
        .owners
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let can_plan = plan.can_plan;
    let adopt = plan
        .can_adopt
        .then(|| view! { <Adoption of items=plan.items.clone() owners=owners.clone()/> });
    let intro = if blanc {
        "L'audit blanc est la répétition de l'audit : ses constats restent ceux de la structure (et de qui l'a financé), jamais ceux du comité. La structure en fait son plan d'actions : chaque non-conformité et chaque piste de progrès reçoit une action, sa cause, un responsable et une échéance qu'elle choisit. Elle déclare chaque action réalisée avec sa preuve ; une autre personne de la direction ou le référent qualité, jamais le responsable de l'action, en vérifie l'efficacité. Les rappels et les retards ne sont adressés qu'à la structure."
    } else {
        "Chaque non-conformité de l'audit, et les conditions du comité le cas échéant, reçoivent des actions correctives : ce qui sera fait, sa cause, son responsable et son échéance, dans le délai fixé par le programme. La structure déclare chaque action réalisée avec sa preuve ; l'auditeur de l'audit ou le responsable qualité fédéral en vérifie l'efficacité. Une non-conformité n'est levée que lorsque toutes ses actions sont efficaces. Ce plan répond au compte-rendu d'audit : il est confidentiel comme lui, et chaque lecture est enregistrée."
    };
    let checks: Vec<Vec<bool>> = plan
        .items
        .iter()
        .map(|i| i.actions.iter().map(|a| plan.may_check(a)).collect())
        .collect();
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="aide">{intro}</p>
        <p><a href=crate::url::certification_page(of.siae_id)>"Retour à la certification"</a></p>
        {adopt}
        {if plan.items.is_empty() {
            let empty = if blanc {
                "L'audit blanc n'a relevé ni non-conformité ni piste de progrès : il n'y a pas d'action à prévoir."
            } else {
                "L'audit n'a relevé aucune non-conformité et le comité n'a fixé aucune condition : il n'y a pas d'action corrective à prévoir."
            };
            view! { <p class="vide">{empty}</p> }.into_any()
        } else {
            let can_verify = plan.can_verify;
            plan.items.into_iter().zip(checks).enumerate().map(|(n, (item, checks))| view! {
                <Item of n item owners=owners.clone() can_plan can_verify checks today/>
            }).collect_view().into_any()
        }}
    }
}

/// The heading of a finding (or the conditions) and its text.
fn described(answers: &Answers) -> (String, String) {
    match answers {
        Answers::Finding {
            requirement_key,
            kind,
            text,
            ..
        } => (
            format!("Exigence {requirement_key} — {}", kind.label()),
            text.clone(),
        ),
        Answers::Conditions { text } => (
            "Conditions du comité de certification".to_string(),
            text.clone(),
        ),
    }
}

/// The plan of an audit blanc drawn in one step: for each finding, the action (its text to
/// start from), its cause and the deadline proposed; one owner for all.
#[component]
fn Adoption(of: Of, items: Vec<PlanItem>, owners: Vec<(String, String)>) -> impl IntoView {
    let rows = items
        .into_iter()
        .filter_map(|item| match &item.answers {
            Answers::Finding { id, text, .. } => {
                Some((*id, described(&item.answers).0, text.clone(), item.proposed_due))
            }
            Answers::Conditions { .. } => None,
        })
        .map(|(id, heading, text, proposed)| {
            view! {
                <fieldset>
                    <legend>{heading}</legend>
                    <p>{text.clone()}</p>
                    <TextArea id=format!("adoption-action-{id}") name=format!("champs[a{id}]") label="Action" value=text required=true
                        hint="Ce que la structure fera : partez du constat et précisez-le."/>
                    <TextArea id=format!("adoption-cause-{id}") name=format!("champs[c{id}]") label="Cause de l'écart" required=true/>
                    <TextField id=format!("adoption-echeance-{id}") name=format!("champs[e{id}]") label="Échéance" input_type="date"
                        value=proposed.map(|d| d.to_string()).unwrap_or_default() required=true
                        hint="Proposée : le délai que le programme laisserait après un audit de certification."/>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="carte" aria-labelledby="titre-adoption">
            <h2 id="titre-adoption">"Faire des constats de l'audit blanc notre plan d'actions"</h2>
            <p class="aide">"En une fois : une action pour chaque non-conformité et chaque piste de progrès. Rien n'est enregistré tant qu'un champ est à corriger."</p>
            <Form action={ServerAction::<AdoptAuditBlanc>::new()} class="formulaire">
                {of.hidden()}
                <SelectField id="adoption-responsable" name="owner_id" label="Responsable des actions" options=owners empty="Choisir" required=true/>
                {rows}
                <button type="submit" class="bouton-principal">"Établir le plan d'actions"</button>
            </Form>
        </section>
    }
}

/// The form value naming what an item answers.
fn item_code(answers: &Answers) -> String {
    match answers {
        Answers::Finding { id, .. } => id.to_string(),
        Answers::Conditions { .. } => "conditions".to_string(),
    }
}

/// A finding or the conditions with their actions; `checks`: for each action, whether the
/// caller may check it.
#[component]
fn Item(
    of: Of,
    n: usize,
    item: PlanItem,
    owners: Vec<(String, String)>,
    can_plan: bool,
    can_verify: bool,
    checks: Vec<bool>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let code = item_code(&item.answers);
    let heading_id = format!("titre-point-{n}");
    let (heading, text) = described(&item.answers);
    // A piste de progrès is taken up, not lifted: only a non-conformity or conditions are.
    let liftable = !matches!(
        item.answers,
        Answers::Finding {
            kind: FindingKind::PisteDeProgres,
            ..
        }
    );
    let date = domain::time::display_date;
    let lifted = item.lifted.clone();
    let open = lifted.is_none();
    let all_effective = !item.actions.is_empty()
        && item
            .actions
            .iter()
            .all(|a| a.state == ActionState::Efficace);
    let lift_code = code.clone();
    view! {
        <section class="carte" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>{heading}</h2>
            <p>{text}</p>
            {item.latest_due.map(|d| view! { <p>{format!("À lever au plus tard le {}.", date(d))}</p> })}
            {match lifted {
                Some((name, at)) => view! { <p class="statut statut-valide">{format!("Levée le {} par {name}.", domain::time::display_datetime(at))}</p> }.into_any(),
                None if liftable => view! { <p class="statut statut-expire">"Non levée."</p> }.into_any(),
                None => ().into_any(),
            }}
            {if item.actions.is_empty() {
                view! { <p class="vide">"Aucune action corrective prévue."</p> }.into_any()
            } else {
                view! {
                    <ul class="actions-correctives">
                        {item.actions.into_iter().zip(checks).map(|(action, can_check)| view! {
                            <li><ActionView of action can_plan can_check today/></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {(open && can_plan).then(|| {
                let prefix = format!("action-{n}");
                let refused = crate::components::forms::refused::<PlanAction>(Some(("item", &code)));
                view! {
                    <details open=refused>
                        <summary>"Prévoir une action corrective"</summary>
                        <Form action={ServerAction::<PlanAction>::new()} class="formulaire" instance=("item", code.clone())>
                            {of.hidden()}
                            <input type="hidden" name="item" value=code.clone()/>
                            <TextArea id=format!("{prefix}-description") name="description" label="Action" required=true/>
                            <TextArea id=format!("{prefix}-cause") name="root_cause" label="Cause de l'écart" required=true/>
                            <SelectField id=format!("{prefix}-responsable") name="owner_id" label="Responsable" options=owners.clone() empty="Choisir" required=true/>
                            <TextField id=format!("{prefix}-echeance") name="due_on" label="Échéance" input_type="date" required=true/>
                            <button type="submit" class="bouton-principal">"Prévoir l'action"</button>
                        </Form>
                    </details>
                }
            })}
            {(open && liftable && can_verify && all_effective).then(|| view! {
                <Form action={ServerAction::<LiftItem>::new()} instance=("item", lift_code.clone())>
                    {of.hidden()}
                    <input type="hidden" name="item" value=lift_code.clone()/>
                    <button type="submit" class="bouton-principal">"Lever"</button>
                </Form>
            })}
        </section>
    }
}

#[component]
fn ActionView(
    of: Of,
    action: CorrectiveAction,
    can_plan: bool,
    can_check: bool,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let date = domain::time::display_date;
    let id = action.id;
    let late = action.is_late(today);
    view! {
        <dl class="fiche">
            <dt>"Action"</dt><dd>{action.description.clone()}</dd>
            <dt>"Cause"</dt><dd>{action.root_cause.clone()}</dd>
            <dt>"Responsable"</dt><dd>{action.owner_name.clone()}</dd>
            <dt>"Échéance"</dt>
            <dd class=if late { "alerte" } else { "" }>{date(action.due_on)}{late.then_some(" — en retard")}</dd>
            <dt>"État"</dt><dd>{action.state.label()}</dd>
            {(!action.evidence.is_empty()).then(|| view! { <dt>"Preuve de réalisation"</dt><dd>{action.evidence.clone()}</dd> })}
            {action.check.clone().map(|c| view! {
                <dt>"Dernière vérification"</dt>
                <dd>{format!("{} le {} par {}{}", if c.effective { "Efficace" } else { "Non efficace" },
                    domain::time::display_datetime(c.at), c.by_name,
                    if c.comment.is_empty() { String::new() } else { format!(" : {}", c.comment) })}</dd>
            })}
        </dl>
        {(can_plan && action.state == ActionState::Ouverte).then(|| view! {
            <Form action={ServerAction::<DeclareAction>::new()} class="formulaire" instance=("action_id", id.to_string())>
                {of.hidden()}
                <input type="hidden" name="action_id" value=id/>
                <TextArea id=format!("preuve-{id}") name="evidence" label="Preuve de réalisation" required=true
                    hint="Ce qui montre que l'action est faite : document, compte-rendu, date."/>
                <button type="submit" class="bouton-secondaire">"Déclarer réalisée"</button>
            </Form>
        })}
        {(can_check && action.state == ActionState::Realisee).then(|| view! {
            <Form action={ServerAction::<VerifyAction>::new()} class="formulaire" instance=("action_id", id.to_string())>
                {of.hidden()}
                <input type="hidden" name="action_id" value=id/>
                <SelectField id=format!("efficace-{id}") name="efficace" label="Efficacité" required=true empty="Choisir"
                    options=vec![("oui".into(), "Efficace : clore l'action".into()), ("non".into(), "Non efficace : la structure la reprend".into())]/>
                <TextArea id=format!("verification-{id}") name="comment" label="Commentaire" hint="Obligatoire si l'action n'est pas efficace."/>
                <button type="submit" class="bouton-secondaire">"Enregistrer la vérification"</button>
            </Form>
        })}
    }
}
