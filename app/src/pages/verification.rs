//! The public verification of a certificate (`/verification/{code}`, the address of its QR
//! code): anyone, signed in or not, reads the SIAE's name, the validity and the status —
//! nothing else. An unknown code is « introuvable », as a malformed one: the page never says
//! whether a code existed.

use crate::api::certification::verify_certificate;
use crate::components::layout::Footer;
use crate::components::load::loaded;
use domain::certification::certificate::{CertificateStatus, Verification};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn VerificationPage() -> impl IntoView {
    let code = use_params_map()
        .get_untracked()
        .get("code")
        .unwrap_or_default();
    view! {
        <Title text="Vérification d'un certificat CEDRE"/>
        <header class="entete">
            <a class="marque" href="/"><span class="logo" aria-hidden="true">"◆"</span>" Cedre"
                <span class="sous-titre">"Démarche qualité CEDRE"</span></a>
        </header>
        <main id="contenu" class="page-connexion">
            <section class="carte connexion" aria-labelledby="titre-verification">
                <h1 id="titre-verification">"Vérification d'un certificat"</h1>
                {loaded(verify_certificate(code.clone()), move |found| view! { <Found found code/> })}
            </section>
        </main>
        <Footer/>
    }
}

#[component]
fn Found(found: Verification, code: String) -> impl IntoView {
    let status_class = match found.status {
        CertificateStatus::Valide => "statut statut-valide",
        CertificateStatus::Expire | CertificateStatus::Retire => "statut statut-expire",
    };
    view! {
        <dl class="fiche">
            <dt>"Structure"</dt><dd>{found.siae_name}</dd>
            <dt>"Code"</dt><dd><code>{code}</code></dd>
            <dt>"Valide du"</dt><dd>{domain::time::display_date(found.valid_from)}</dd>
            <dt>"au"</dt><dd>{domain::time::display_date(found.valid_until)}</dd>
            <dt>"Statut"</dt><dd><strong class=status_class>{found.status.label()}</strong></dd>
        </dl>
        {(found.status != CertificateStatus::Valide).then(|| view! {
            <p class="avertissement" role="note">"Ce certificat n'est plus valide : la structure ne peut plus se prévaloir de la certification CEDRE à ce titre."</p>
        })}
    }
}
