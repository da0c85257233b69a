//! Cedre's web application: pages rendered on the server, with small interactive islands
//! hydrated in the browser (see docs/ARCHITECTURE.md for why islands).

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod pages;
pub mod types;
pub mod url;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<leptos::nonce::Nonce>().cloned())
    {
        provide_context(nonce);
    }
    view! {
        <!DOCTYPE html>
        <html lang="fr">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                // `/pkg/cedre.<hash>.css` when cargo-leptos fingerprinted the files (see server::http::static_files)
                <HashedStylesheet options=options.clone() id="leptos"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    use components::layout::Layout;
    use pages::*;
    provide_meta_context();
    // Async: each page is rendered whole before it is sent, so that its HTTP status
    // (403, 404) and headers are known; pages are small and this costs little.
    let ssr = SsrMode::Async;
    view! {
        <Title formatter=|title: String| format!("{title} — Cedre")/>
        <Router>
            <Routes fallback=errors::NotFoundPage>
                <Route path=path!("/connexion") view=login::LoginPage ssr=ssr.clone()/>
                <Route path=path!("/connexion/code") view=login_code::LoginCodePage ssr=ssr.clone()/>
                <Route path=path!("/verification/:code") view=verification::VerificationPage ssr=ssr.clone()/>
                <ParentRoute path=path!("") view=Layout ssr=ssr.clone()>
                    <Route path=path!("/") view=home::HomePage ssr=ssr.clone()/>
                    <Route path=path!("/mot-de-passe") view=password::PasswordPage ssr=ssr.clone()/>
                    <Route path=path!("/mes-sessions") view=sessions::SessionsPage ssr=ssr.clone()/>
                    <Route path=path!("/double-authentification") view=second_factor::SecondFactorPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations") view=organisations::OrganisationsPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/nouvelle") view=organisation_form::NewOrganisationPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id") view=organisation::OrganisationPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/modifier") view=organisation_form::EditOrganisationPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/referentiel") view=assessment::AssessmentPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/referentiel/exigence") view=requirement::RequirementPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/manuel") view=manual::ManualPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/manuel/editions") view=editions::EditionsPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/certification") view=certification::CertificationPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/certification/audit") view=audit_grid::AuditPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/certification/actions") view=action_plan::ActionPlanPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/certification/audit-blanc/actions") view=action_plan::AuditBlancPlanPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/certification/audit/import/:upload") view=audit_grid::GridImportPage ssr=ssr.clone()/>
                    <Route path=path!("/declaration-de-liens") view=ties::TiesPage ssr=ssr.clone()/>
                    <Route path=path!("/manuel/sections/:id") view=manual_section::ManualSectionPage ssr=ssr.clone()/>
                    <Route path=path!("/manuel/sections/:id/comparer") view=manual_section::CompareVersionsPage ssr=ssr.clone()/>
                    <Route path=path!("/suivi") view=overview::OverviewPage ssr=ssr.clone()/>
                    <Route path=path!("/programme") view=programme::ProgrammePage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/personnes") view=persons::PersonsPage ssr=ssr.clone()/>
                    <Route path=path!("/organisations/:id/personnes/synthese") view=persons::SynthesisPage ssr=ssr.clone()/>
                    <Route path=path!("/personnes/:id") view=person::PersonPage ssr=ssr.clone()/>
                    <Route path=path!("/parcours/aide-au-choix") view=engagement_choice::EngagementChoicePage ssr=ssr.clone()/>
                    <Route path=path!("/referentiel/versions") view=versions::VersionsPage ssr=ssr.clone()/>
                    <Route path=path!("/referentiel/versions/:id") view=versions::VersionPage ssr=ssr.clone()/>
                    <Route path=path!("/administration/comptes") view=accounts::AccountsPage ssr=ssr.clone()/>
                    <Route path=path!("/administration/comptes/:id") view=account::AccountPage ssr=ssr.clone()/>
                    <Route path=path!("/administration/journal") view=audit::AuditTrailPage ssr=ssr.clone()/>
                    <Route path=path!("/administration/securite") view=security::SecurityJournalPage ssr=ssr.clone()/>
                    <Route path=path!("/administration/courriels") view=outbox::OutboxPage ssr=ssr.clone()/>
                    <Route path=path!("/interdit") view=errors::ForbiddenPage ssr=ssr.clone()/>
                    <Route path=path!("/erreur") view=errors::InternalErrorPage ssr=ssr.clone()/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
