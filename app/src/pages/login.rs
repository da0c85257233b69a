use super::query_param;
use crate::api::auth::Login;
use crate::components::forms::{provide_form_echo, Form, PasswordField, TextField};
use crate::components::layout::{page_flash, FlashBanner, Footer};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn LoginPage() -> impl IntoView {
    let next = query_param("suite").unwrap_or_else(|| "/".to_string());
    let flash = page_flash(provide_form_echo());
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
                <FlashBanner flash/>
                <Form action={ServerAction::<Login>::new()}>
                    <input type="hidden" name="suite" value=next/>
                    <TextField id="email" name="email" label="Adresse électronique" input_type="email"
                        required=true autocomplete="username"/>
                    <PasswordField id="password" name="password" label="Mot de passe" autocomplete="current-password"/>
                    <button type="submit" class="bouton-principal">"Se connecter"</button>
                </Form>
                <p class="aide">"Mot de passe oublié ? Demandez un mot de passe temporaire à l'administrateur de votre fédération."</p>
            </section>
        </main>
        <Footer/>
    }
}
