use crate::components::errors::ErrorPanel;
use crate::components::layout::Footer;
use crate::error::AppError;
use leptos::prelude::*;

/// Unknown addresses; rendered outside the layout, since the router matched nothing.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <header class="entete">
            <a class="marque" href="/"><span class="logo" aria-hidden="true">"◆"</span>" Cedre"</a>
        </header>
        <main id="contenu">
            <ErrorPanel error=AppError::NotFound/>
        </main>
        <Footer/>
    }
}

#[component]
pub fn ForbiddenPage() -> impl IntoView {
    view! { <ErrorPanel error=AppError::Forbidden/> }
}

#[component]
pub fn InternalErrorPage() -> impl IntoView {
    view! { <ErrorPanel error=AppError::Internal/> }
}
