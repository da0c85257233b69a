//! The action plan answering a SIAE's latest audit: for each non-conformity and for the
//! committee's conditions, the corrective actions, their evidence and the checks of their
//! efficacy; lifted once all are effective.

use crate::api::corrective::{load_action_plan, DeclareAction, LiftItem, PlanAction, VerifyAction};
use crate::components::forms::{Form, SelectField, TextArea, TextField};
use crate::components::load::loaded;
use crate::pages::id_param;
use domain::certification::corrective::{
    ActionPlan, ActionState, Answers, CorrectiveAction, PlanItem,
};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ActionPlanPage() -> impl IntoView {
    loaded(
        load_action_plan(id_param()),
        |plan| view! { <PlanView plan/> },
    )
}

#[component]
fn PlanView(plan: ActionPlan) -> impl IntoView {
    let siae_id = plan.siae_id;
    let today = domain::time::today();
    let title = format!("Plan d'actions correctives — {}", plan.siae_name);
    let owners: Vec<(String, String)> = plan
        .owners
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    let (can_plan, can_verify) = (plan.can_plan, plan.can_verify);
    view! {
        <Title text=title.clone()/>
        <h1>{title}</h1>
        <p class="aide">"Chaque non-conformité de l'audit, et les conditions du comité le cas échéant, reçoivent des actions correctives : ce qui sera fait, sa cause, son responsable et son échéance, dans le délai fixé par le programme. La structure déclare chaque action réalisée avec sa preuve ; l'auditeur de l'audit ou le responsable qualité fédéral en vérifie l'efficacité. Une non-conformité n'est levée que lorsque toutes ses actions sont efficaces. Ce plan répond au compte-rendu d'audit : il est confidentiel comme lui, et chaque lecture est enregistrée."</p>
        <p><a href=crate::url::certification_page(siae_id)>"Retour à la certification"</a></p>
        {if plan.items.is_empty() {
            view! { <p class="vide">"L'audit n'a relevé aucune non-conformité et le comité n'a fixé aucune condition : il n'y a pas d'action corrective à prévoir."</p> }.into_any()
        } else {
            plan.items.into_iter().enumerate().map(|(n, item)| view! {
                <Item siae_id n item owners=owners.clone() can_plan can_verify today/>
            }).collect_view().into_any()
        }}
    }
}

/// The form value naming what an item answers.
fn item_code(answers: &Answers) -> String {
    match answers {
        Answers::Finding { id, .. } => id.to_string(),
        Answers::Conditions { .. } => "conditions".to_string(),
    }
}

#[component]
fn Item(
    siae_id: i64,
    n: usize,
    item: PlanItem,
    owners: Vec<(String, String)>,
    can_plan: bool,
    can_verify: bool,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let code = item_code(&item.answers);
    let heading_id = format!("titre-point-{n}");
    let (heading, text) = match &item.answers {
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
    };
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
                None => view! { <p class="statut statut-expire">"Non levée."</p> }.into_any(),
            }}
            {if item.actions.is_empty() {
                view! { <p class="vide">"Aucune action corrective prévue."</p> }.into_any()
            } else {
                view! {
                    <ul class="actions-correctives">
                        {item.actions.into_iter().map(|action| view! {
                            <li><ActionView siae_id action can_plan can_verify today/></li>
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
                            <input type="hidden" name="siae_id" value=siae_id/>
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
            {(open && can_verify && all_effective).then(|| view! {
                <Form action={ServerAction::<LiftItem>::new()} instance=("item", lift_code.clone())>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="item" value=lift_code.clone()/>
                    <button type="submit" class="bouton-principal">"Lever"</button>
                </Form>
            })}
        </section>
    }
}

#[component]
fn ActionView(
    siae_id: i64,
    action: CorrectiveAction,
    can_plan: bool,
    can_verify: bool,
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
                <input type="hidden" name="siae_id" value=siae_id/>
                <input type="hidden" name="action_id" value=id/>
                <TextArea id=format!("preuve-{id}") name="evidence" label="Preuve de réalisation" required=true
                    hint="Ce qui montre que l'action est faite : document, compte-rendu, date."/>
                <button type="submit" class="bouton-secondaire">"Déclarer réalisée"</button>
            </Form>
        })}
        {(can_verify && action.state == ActionState::Realisee).then(|| view! {
            <Form action={ServerAction::<VerifyAction>::new()} class="formulaire" instance=("action_id", id.to_string())>
                <input type="hidden" name="siae_id" value=siae_id/>
                <input type="hidden" name="action_id" value=id/>
                <SelectField id=format!("efficace-{id}") name="efficace" label="Efficacité" required=true empty="Choisir"
                    options=vec![("oui".into(), "Efficace : clore l'action".into()), ("non".into(), "Non efficace : la structure la reprend".into())]/>
                <TextArea id=format!("verification-{id}") name="comment" label="Commentaire" hint="Obligatoire si l'action n'est pas efficace."/>
                <button type="submit" class="bouton-secondaire">"Enregistrer la vérification"</button>
            </Form>
        })}
    }
}
