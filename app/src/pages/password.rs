use crate::api::auth::ChangePassword;
use crate::components::islands::PasswordInput;
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
            <ActionForm action={ServerAction::<ChangePassword>::new()}>
                <PasswordInput id="actuel".into() name="actuel".into() label="Mot de passe actuel".into() autocomplete="current-password".into()/>
                <PasswordInput id="nouveau".into() name="nouveau".into() label="Nouveau mot de passe".into() autocomplete="new-password".into()/>
                <PasswordInput id="confirmation".into() name="confirmation".into() label="Confirmation du nouveau mot de passe".into() autocomplete="new-password".into()/>
                <button type="submit" class="bouton-principal">"Enregistrer le nouveau mot de passe"</button>
            </ActionForm>
        </section>
    }
}
