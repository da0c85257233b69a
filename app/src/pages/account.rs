use super::accounts::account_state;
use super::id_param;
use crate::api::accounts::{
    load_account_page, AddMembership, RemoveMembership, ResetPassword, SetAccountActive,
    UpdateAccount,
};
use crate::components::forms::{SelectField, TextField};
use crate::components::load::loaded;
use crate::types::AccountPage as Page;
use domain::role::Role;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountPage() -> impl IntoView {
    loaded(
        load_account_page(id_param()),
        |page| view! { <AccountView page/> },
    )
}

#[component]
fn AccountView(page: Page) -> impl IntoView {
    let account = page.detail.account;
    let id = account.id;
    let memberships = page.detail.memberships;
    let organisations: Vec<(String, String)> = page
        .organisations
        .iter()
        .map(|o| (o.id.to_string(), format!("{} ({})", o.name, o.kind.label())))
        .collect();
    let roles: Vec<(String, String)> = Role::ALL
        .iter()
        .map(|r| {
            (
                format!("{r:?}"),
                format!("{} — dans : {}", r.label(), r.organisation_kind().label()),
            )
        })
        .collect();
    view! {
        <Title text=account.display_name.clone()/>
        <h1>{account.display_name.clone()}</h1>
        <p class="etat">"État : "{account_state(account.active, account.must_change_password)}</p>
        <section class="carte" aria-labelledby="titre-identite">
            <h2 id="titre-identite">"Identité"</h2>
            <ActionForm action={ServerAction::<UpdateAccount>::new()} attr:class="formulaire">
                <input type="hidden" name="id" value=id/>
                <TextField id="compte-nom" name="display_name" label="Nom affiché" value=account.display_name.clone() required=true/>
                <TextField id="compte-email" name="email" label="Adresse électronique" input_type="email" value=account.email.clone() required=true/>
                <button type="submit" class="bouton-principal">"Enregistrer"</button>
            </ActionForm>
        </section>
        <section class="carte" aria-labelledby="titre-roles">
            <h2 id="titre-roles">"Rôles"</h2>
            {if memberships.is_empty() {
                view! { <p class="vide">"Aucun rôle : ce compte ne donne accès à rien tant qu'un rôle ne lui est pas attribué."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption class="visuellement-cache">"Rôles du compte"</caption>
                        <thead><tr><th scope="col">"Rôle"</th><th scope="col">"Organisation"</th><th scope="col">"Action"</th></tr></thead>
                        <tbody>
                            {memberships.into_iter().map(|m| view! {
                                <tr>
                                    <td>{m.role.label()}</td>
                                    <td><a href=format!("/organisations/{}", m.organisation_id)>{m.organisation_name.clone()}</a></td>
                                    <td>
                                        <ActionForm action={ServerAction::<RemoveMembership>::new()} attr:class="en-ligne">
                                            <input type="hidden" name="account_id" value=id/>
                                            <input type="hidden" name="membership_id" value=m.id/>
                                            <button type="submit" class="bouton-secondaire"
                                                aria-label=format!("Retirer le rôle {} — {}", m.role.label(), m.organisation_name)>
                                                "Retirer"
                                            </button>
                                        </ActionForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <h3>"Attribuer un rôle"</h3>
            <ActionForm action={ServerAction::<AddMembership>::new()} attr:class="formulaire">
                <input type="hidden" name="account_id" value=id/>
                <SelectField id="role-organisation" name="organisation_id" label="Organisation" options=organisations required=true empty="Choisir…"/>
                <SelectField id="role-role" name="role" label="Rôle" options=roles required=true empty="Choisir…"/>
                <button type="submit" class="bouton-principal">"Attribuer"</button>
            </ActionForm>
        </section>
        <section class="carte" aria-labelledby="titre-acces">
            <h2 id="titre-acces">"Accès"</h2>
            <ActionForm action={ServerAction::<ResetPassword>::new()} attr:class="en-ligne">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="bouton-secondaire">"Attribuer un mot de passe temporaire"</button>
            </ActionForm>
            <ActionForm action={ServerAction::<SetAccountActive>::new()} attr:class="en-ligne">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="active" value=(!account.active).to_string()/>
                <button type="submit" class="bouton-secondaire">
                    {if account.active { "Désactiver le compte" } else { "Réactiver le compte" }}
                </button>
            </ActionForm>
            <p class="aide">"Un compte désactivé ne peut plus se connecter et ses sessions en cours sont fermées ; son historique est conservé."</p>
        </section>
    }
}
