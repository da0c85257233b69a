use super::query_param;
use crate::api::auth::Login;
use crate::components::forms::TextField;
use crate::components::islands::PasswordInput;
use crate::components::layout::{FlashBanner, Footer};
use crate::components::session::current_flash;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = query_param("suite").unwrap_or_else(|| "/".to_string());
    view! {
        <Title text="Connexion"/>
        <header class="entete">
            <a class="marque" href="/"><span class="logo" aria-hidden="true">"◆"</span>" Cedre"
                <span class="sous-titre">"Démarche qualité CEDRE"</span></a>
        </header>
        <main id="contenu" class="page-connexion">
            <section class="carte connexion" aria-labelledby="titre-connexion">
                <h1 id="titre-connexion">"Connexion"</h1>
                <p>"Accédez au suivi de la démarche qualité de votre structure."</p>
                <FlashBanner flash=current_flash()/>
                <ActionForm action={ServerAction::<Login>::new()}>
                    <input type="hidden" name="suite" value=next/>
                    <TextField id="email" name="email" label="Adresse électronique" input_type="email"
                        required=true autocomplete="username"/>
                    <PasswordInput id="password".into() name="password".into() label="Mot de passe".into()
                        autocomplete="current-password".into()/>
                    <button type="submit" class="bouton-principal">"Se connecter"</button>
                </ActionForm>
                <p class="aide">"Mot de passe oublié ? Demandez un mot de passe temporaire à l'administrateur de votre fédération."</p>
            </section>
        </main>
        <Footer/>
    }
}
