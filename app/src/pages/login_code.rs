use super::query_param;
use crate::api::auth::LoginCode;
use crate::api::second_factor::load_code_prompt;
use crate::components::forms::{provide_form_echo, Form, TextField};
use crate::components::layout::{page_flash, FlashBanner, Footer};
use crate::components::load::loaded;
use leptos::prelude::*;
use leptos_meta::Title;

/// The second step of a login: the code of the account's authenticator application.
#[component]
pub fn LoginCodePage() -> impl IntoView {
    let next = query_param("suite").unwrap_or_else(|| "/".to_string());
    let flash = page_flash(provide_form_echo());
    view! {
        <Title text="Code de vérification"/>
        <header class="entete">
            <a class="marque" href="/"><span class="logo" aria-hidden="true">"◆"</span>" Cedre"
                <span class="sous-titre">"Démarche qualité CEDRE"</span></a>
        </header>
        <main id="contenu" class="page-connexion">
            <section class="carte connexion" aria-labelledby="titre-code">
                <h1 id="titre-code">"Code de vérification"</h1>
                <FlashBanner flash/>
                {loaded(load_code_prompt(), move |prompt| if prompt.waiting {
                    view! {
                        <p>"Votre compte est protégé par la double authentification. Saisissez le code à 6 chiffres affiché par votre application (ou l'un de vos codes de secours)."</p>
                        {prompt.demo_code.map(|code| view! {
                            <p class="avertissement" role="note">
                                "Démonstration : le code de ce compte de démonstration est "<strong class="code-demo">{code}</strong>"."
                            </p>
                        })}
                        <Form action={ServerAction::<LoginCode>::new()}>
                            <input type="hidden" name="suite" value=next.clone()/>
                            <TextField id="verification" name="verification" label="Code de vérification"
                                required=true autocomplete="one-time-code"
                                hint="6 chiffres, ou un code de secours de la forme xxxxx-xxxxx."/>
                            <button type="submit" class="bouton-principal">"Valider"</button>
                        </Form>
                        <p class="aide">"Téléphone perdu et plus de code de secours ? L'administrateur de votre fédération peut réinitialiser votre double authentification."</p>
                    }.into_any()
                } else {
                    view! {
                        <p role="status">"Votre connexion a expiré (5 minutes pour saisir le code) ou n'a pas commencé."</p>
                        <p><a href="/connexion">"Se connecter"</a></p>
                    }.into_any()
                })}
            </section>
        </main>
        <Footer/>
    }
}
