use crate::api::auth::Logout;
use crate::components::forms::{provide_form_echo, Refusal};
use crate::components::islands::NavMenu;
use crate::components::session::{current_flash, current_me, is_demo};
use crate::types::{FlashKind, FlashMessage, Me};
use domain::organisation::{OrgRef, OrganisationKind};
use domain::policy::{Action, Target};
use leptos::prelude::*;
use leptos_router::components::Outlet;

/// The frame of every signed-in page: header, navigation, flash message, content, footer.
#[component]
pub fn Layout() -> impl IntoView {
    let me = current_me();
    let flash = page_flash(provide_form_echo());
    view! {
        <a class="lien-evitement" href="#contenu">"Aller au contenu"</a>
        <header class="entete">
            <a class="marque" href="/">
                <span class="logo" aria-hidden="true">"◆"</span>
                " Cedre"
                <span class="sous-titre">"Démarche qualité CEDRE"</span>
            </a>
            {me.map(|me| view! { <Navigation me/> })}
        </header>
        <FlashBanner flash/>
        <main id="contenu" tabindex="-1">
            <Outlet/>
        </main>
        <Footer/>
    }
}

/// Every page ends with the footer (signed-in pages, login, errors): on a demonstration
/// installation it carries the « Démonstration » banner, kept in view at the bottom of the window.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        {is_demo().then(|| view! {
            <p class="bandeau-demo" role="note">
                <strong>"Démonstration"</strong>
                " — données fictives, mots de passe publics : n'y saisissez aucune donnée réelle."
            </p>
        })}
        <footer class="pied">
            <p>"Cedre — outil de la démarche qualité CEDRE des structures d'insertion par l'activité économique."</p>
        </footer>
    }
}

#[component]
fn Navigation(me: Me) -> impl IntoView {
    let own_siae = me.memberships.iter().find(|m| {
        m.organisation_kind == OrganisationKind::Siae
            && me.actor.may(
                Action::ViewAssessment,
                Target::Organisation(OrgRef {
                    id: m.organisation_id,
                    kind: m.organisation_kind,
                    region_id: m.region_id,
                }),
            )
    });
    let follows_siae = me.memberships.iter().any(|m| {
        matches!(
            m.organisation_kind,
            OrganisationKind::Region | OrganisationKind::Federation
        )
    });
    let links: Vec<(String, &str)> = [
        (true, "/".to_string(), "Accueil"),
        (
            own_siae.is_some(),
            own_siae
                .map(|m| format!("/organisations/{}/referentiel", m.organisation_id))
                .unwrap_or_default(),
            "Auto-évaluation",
        ),
        (
            own_siae.is_some(),
            own_siae
                .map(|m| crate::url::manual_page(m.organisation_id))
                .unwrap_or_default(),
            "Manuel qualité",
        ),
        (
            own_siae.is_some(),
            own_siae
                .map(|m| crate::url::persons_page(m.organisation_id))
                .unwrap_or_default(),
            "Personnes accompagnées",
        ),
        (
            own_siae.is_some(),
            crate::pages::engagement_choice::PAGE.to_string(),
            "Choix d'engagement",
        ),
        (follows_siae, "/suivi".to_string(), "Suivi des SIAE"),
        (
            !me.memberships.is_empty(),
            "/organisations".to_string(),
            "Organisations",
        ),
        (
            !me.memberships.is_empty(),
            "/referentiel/versions".to_string(),
            "Référentiel",
        ),
        (
            me.actor.may(Action::ViewNetwork, Target::Global)
                || me.actor.may(Action::SetProgrammeRules, Target::Global),
            "/programme".to_string(),
            "Règles du programme",
        ),
        (
            me.actor.may(Action::ManageAccounts, Target::Global),
            "/administration/comptes".to_string(),
            "Comptes",
        ),
        (
            me.actor.may(Action::ViewAuditTrail, Target::Global),
            "/administration/journal".to_string(),
            "Journal d'audit",
        ),
        (
            me.actor.may(Action::ViewAuditTrail, Target::Global),
            "/administration/securite".to_string(),
            "Journal de sécurité",
        ),
        (
            me.actor.may(Action::ViewOutbox, Target::Global),
            "/administration/courriels".to_string(),
            "Courriels",
        ),
    ]
    .into_iter()
    .filter_map(|(shown, href, text)| shown.then_some((href, text)))
    .collect();
    let roles = me
        .memberships
        .iter()
        .map(|m| format!("{} — {}", m.role.label(), m.organisation_name))
        .collect::<Vec<_>>()
        .join(" ; ");
    view! {
        <NavMenu>
            <nav aria-label="Navigation principale">
                <ul class="liens">
                    {links
                        .into_iter()
                        .map(|(href, text)| view! { <li><a href=href>{text}</a></li> })
                        .collect_view()}
                </ul>
            </nav>
            <div class="utilisateur">
                <p>
                    <span class="nom">{me.display_name.clone()}</span>
                    <span class="roles">{roles}</span>
                </p>
                <a href="/mot-de-passe">"Mot de passe"</a>
                <a href="/mes-sessions">"Mes sessions"</a>
                <a href="/double-authentification">"Double authentification"</a>
                <ActionForm action={ServerAction::<Logout>::new()} attr:class="en-ligne">
                    <button type="submit" class="bouton-secondaire">"Se déconnecter"</button>
                </ActionForm>
            </div>
        </NavMenu>
    }
}

/// The message of the page: the flash message, or, when a refused form could not be shown again,
/// a word about it (a refused form shows its own messages).
pub fn page_flash(refusal: Refusal) -> Option<FlashMessage> {
    current_flash().or_else(|| {
        (refusal == Refusal::Lost).then(|| FlashMessage {
            kind: FlashKind::Erreur,
            text: "Le formulaire envoyé n'a pas été enregistré. Vérifiez-le, puis envoyez-le à nouveau."
                .to_string(),
        })
    })
}

#[component]
pub fn FlashBanner(flash: Option<FlashMessage>) -> impl IntoView {
    flash.map(|f| match f.kind {
        FlashKind::Succes => {
            view! { <div class="flash succes" role="status"><p>{f.text}</p></div> }.into_any()
        }
        FlashKind::Erreur => {
            view! { <div class="flash erreur" role="alert"><p>{f.text}</p></div> }.into_any()
        }
    })
}
