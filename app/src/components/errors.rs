use crate::components::session::set_status;
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;

/// An error in place of a page's content; sets the page's HTTP status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    set_status(error.status());
    let title = match &error {
        AppError::Unauthenticated => "Connexion requise",
        AppError::Forbidden => "Accès refusé",
        AppError::NotFound => "Page introuvable",
        AppError::Invalid(_) => "Demande refusée",
        AppError::Throttled => "Trop de tentatives",
        AppError::Internal | AppError::Transport(_) => "Erreur interne",
    };
    let link = match &error {
        AppError::Unauthenticated => view! { <a href="/connexion">"Se connecter"</a> }.into_any(),
        _ => view! { <a href="/">"Revenir à l'accueil"</a> }.into_any(),
    };
    view! {
        <Title text=title/>
        <section class="panneau-erreur" aria-labelledby="titre-erreur">
            <h1 id="titre-erreur">{title}</h1>
            <p>{error.to_string()}</p>
            <p>{link}</p>
        </section>
    }
}
