use crate::api::second_factor::{
    load_second_factor_page, BeginEnrolment, ConfirmEnrolment, DisableSecondFactor,
    RenewRecoveryCodes,
};
use crate::components::forms::{Form, TextField};
use crate::components::load::loaded;
use crate::types::SecondFactorPage as Page;
use leptos::prelude::*;
use leptos_meta::Title;

/// « Double authentification »: set up an authenticator application, get recovery codes, remove it.
#[component]
pub fn SecondFactorPage() -> impl IntoView {
    view! {
        <Title text="Double authentification"/>
        <h1>"Double authentification"</h1>
        {loaded(load_second_factor_page(), |page| view! { <SecondFactorView page/> })}
    }
}

#[component]
fn SecondFactorView(page: Page) -> impl IntoView {
    let codes = (!page.new_recovery_codes.is_empty()).then(|| {
        let codes = page.new_recovery_codes.clone();
        view! {
            <section class="flash succes" role="status" aria-labelledby="titre-codes">
                <h2 id="titre-codes">"Vos codes de secours"</h2>
                <p>"Chacun ouvre une seule connexion si vous n'avez plus votre téléphone. Ils ne sont affichés qu'une fois : imprimez-les ou notez-les et rangez-les à l'abri."</p>
                <ul class="codes-de-secours">
                    {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
                </ul>
            </section>
        }
    });
    let state = if page.enabled {
        view! { <Enabled page=page.clone()/> }.into_any()
    } else if let Some(pending) = page.pending.clone() {
        view! {
            <section class="carte" aria-labelledby="titre-activation">
                <h2 id="titre-activation">"Activer la double authentification"</h2>
                <ol>
                    <li>"Ouvrez une application d'authentification sur votre téléphone (FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator…)."</li>
                    <li>"Ajoutez un compte en scannant ce code QR, ou en saisissant la clé ci-dessous."</li>
                    <li>"Saisissez le code à 6 chiffres que l'application affiche."</li>
                </ol>
                <img class="code-qr" src=pending.qr_code width="220" height="220"
                    alt="Code QR à scanner avec votre application d'authentification (la clé est aussi écrite en dessous)"/>
                <p>"Clé à saisir : "<code class="cle-totp">{pending.secret}</code></p>
                <Form action={ServerAction::<ConfirmEnrolment>::new()} class="formulaire">
                    <TextField id="verification" name="verification" label="Code affiché par l'application"
                        required=true autocomplete="one-time-code"/>
                    <button type="submit" class="bouton-principal">"Activer"</button>
                </Form>
            </section>
        }
        .into_any()
    } else {
        view! {
            <section class="carte" aria-labelledby="titre-activation">
                <h2 id="titre-activation">"Protéger votre compte"</h2>
                <p>"À chaque connexion, en plus de votre mot de passe, Cedre vous demandera un code à 6 chiffres affiché par une application de votre téléphone. Un mot de passe volé ne suffit plus."</p>
                <Form action={ServerAction::<BeginEnrolment>::new()}>
                    <button type="submit" class="bouton-principal">"Activer la double authentification"</button>
                </Form>
            </section>
        }
        .into_any()
    };
    view! {
        {(page.required && !page.enabled).then_some(view! {
            <p class="avertissement" role="note">
                "Votre rôle donne accès aux données de tout le réseau : la double authentification est obligatoire. Activez-la pour continuer."
            </p>
        })}
        {codes}
        {state}
    }
}

#[component]
fn Enabled(page: Page) -> impl IntoView {
    view! {
        <section class="carte" aria-labelledby="titre-active">
            <h2 id="titre-active">"Active"</h2>
            <p>"Un code de votre application est demandé à chaque connexion."</p>
            <p>{format!("Codes de secours encore utilisables : {}.", page.recovery_codes_left)}</p>
            <h3>"Nouveaux codes de secours"</h3>
            <p class="aide">"Les codes actuels cessent de fonctionner."</p>
            <Form action={ServerAction::<RenewRecoveryCodes>::new()} class="formulaire">
                <TextField id="verification-codes" name="verification" label="Code affiché par l'application"
                    required=true autocomplete="one-time-code"/>
                <button type="submit" class="bouton-secondaire">"Obtenir de nouveaux codes de secours"</button>
            </Form>
            {(!page.required).then_some(view! {
                <h3>"Retirer la double authentification"</h3>
                <Form action={ServerAction::<DisableSecondFactor>::new()} class="formulaire">
                    <TextField id="verification-retrait" name="verification" label="Code affiché par l'application"
                        required=true autocomplete="one-time-code"/>
                    <button type="submit" class="bouton-secondaire">"Retirer"</button>
                </Form>
            })}
        </section>
    }
}
