use crate::api::auth::ChangePassword;
use crate::components::forms::{Form, PasswordField};
use crate::components::session::current_me;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PasswordPage() -> impl IntoView {
    let must_change = current_me().is_some_and(|m| m.must_change_password);
    view! {
        <Title text="Changer de mot de passe"/>
        <section class="carte etroite" aria-labelledby="titre-mdp">
            <h1 id="titre-mdp">"Changer de mot de passe"</h1>
            {must_change.then_some(view! {
                <p class="avertissement" role="note">
                    "Votre mot de passe est temporaire : choisissez-en un nouveau pour continuer."
                </p>
            })}
            <p class="aide">
                {format!("Au moins {} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner ; les mots de passe trop courants sont refusés.", domain::password::MIN_CHARS)}
            </p>
            <Form action={ServerAction::<ChangePassword>::new()}>
                <PasswordField id="actuel" name="actuel" label="Mot de passe actuel" autocomplete="current-password"/>
                <PasswordField id="nouveau" name="nouveau" label="Nouveau mot de passe" autocomplete="new-password"/>
                <PasswordField id="confirmation" name="confirmation" label="Confirmation du nouveau mot de passe" autocomplete="new-password"/>
                <button type="submit" class="bouton-principal">"Enregistrer le nouveau mot de passe"</button>
            </Form>
        </section>
    }
}
