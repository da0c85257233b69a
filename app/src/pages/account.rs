use super::accounts::account_state;
use super::id_param;
use crate::api::accounts::{
    load_account_page, AddMembership, RemoveMembership, ResetPassword, SetAccountActive,
    UpdateAccount,
};
use crate::api::second_factor::ResetSecondFactor;
use crate::components::forms::{Form, SelectField, TextField};
use crate::components::load::loaded;
use crate::components::table::TableCard;
use crate::types::AccountPage as Page;
use domain::role::{MembershipDetail, Role};
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
    let temporary = page.temporary_password.map(|password| {
        format!(
            "Mot de passe temporaire, à transmettre à {} et à changer à la première connexion : {password}",
            account.display_name
        )
    });
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
        {temporary.map(|text| view! {
            <div class="flash succes" role="status">
                <p>{text}</p>
                <p class="aide">"Il n'est affiché qu'une fois : notez-le maintenant. Il n'est conservé nulle part en clair."</p>
            </div>
        })}
        <p class="etat">"État : "{account_state(account.active, account.must_change_password)}</p>
        <section class="carte" aria-labelledby="titre-identite">
            <h2 id="titre-identite">"Identité"</h2>
            <Form action={ServerAction::<UpdateAccount>::new()} class="formulaire">
                <input type="hidden" name="id" value=id/>
                <TextField id="compte-nom" name="display_name" label="Nom affiché" value=account.display_name.clone() required=true/>
                <TextField id="compte-email" name="email" label="Adresse électronique" input_type="email" value=account.email.clone() required=true/>
                <button type="submit" class="bouton-principal">"Enregistrer"</button>
            </Form>
        </section>
        <TableCard heading_id="titre-roles" title="Rôles" rows=memberships caption="Rôles du compte"
            headers=&["Rôle", "Organisation", "Action"]
            empty="Aucun rôle : ce compte ne donne accès à rien tant qu'un rôle ne lui est pas attribué."
            row=move |m: MembershipDetail| view! {
                <tr>
                    <td>{m.role.label()}</td>
                    <td><a href=format!("/organisations/{}", m.organisation_id)>{m.organisation_name.clone()}</a></td>
                    <td>
                        <Form action={ServerAction::<RemoveMembership>::new()} class="en-ligne"
                            instance=("membership_id", m.id.to_string())>
                            <input type="hidden" name="account_id" value=id/>
                            <input type="hidden" name="membership_id" value=m.id/>
                            <button type="submit" class="bouton-secondaire"
                                aria-label=format!("Retirer le rôle {} — {}", m.role.label(), m.organisation_name)>
                                "Retirer"
                            </button>
                        </Form>
                    </td>
                </tr>
            }>
            <h3>"Attribuer un rôle"</h3>
            <Form action={ServerAction::<AddMembership>::new()} class="formulaire">
                <input type="hidden" name="account_id" value=id/>
                <SelectField id="role-organisation" name="organisation_id" label="Organisation" options=organisations required=true empty="Choisir…"/>
                <SelectField id="role-role" name="role" label="Rôle" options=roles required=true empty="Choisir…"/>
                <button type="submit" class="bouton-principal">"Attribuer"</button>
            </Form>
        </TableCard>
        <section class="carte" aria-labelledby="titre-acces">
            <h2 id="titre-acces">"Accès"</h2>
            <Form action={ServerAction::<ResetPassword>::new()} class="en-ligne">
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="bouton-secondaire">"Attribuer un mot de passe temporaire"</button>
            </Form>
            <Form action={ServerAction::<SetAccountActive>::new()} class="en-ligne">
                <input type="hidden" name="id" value=id/>
                <input type="hidden" name="active" value=(!account.active).to_string()/>
                <button type="submit" class="bouton-secondaire">
                    {if account.active { "Désactiver le compte" } else { "Réactiver le compte" }}
                </button>
            </Form>
            <p class="aide">"Un compte désactivé ne peut plus se connecter et ses sessions en cours sont fermées ; son historique est conservé."</p>
            <h3>"Double authentification"</h3>
            {if page.second_factor {
                view! {
                    <p>"Active : un code de son application est demandé à chaque connexion."</p>
                    <Form action={ServerAction::<ResetSecondFactor>::new()} class="en-ligne">
                        <input type="hidden" name="id" value=id/>
                        <button type="submit" class="bouton-secondaire">"Réinitialiser la double authentification"</button>
                    </Form>
                    <p class="aide">"Pour une personne qui a perdu son téléphone et ses codes de secours : vérifiez son identité autrement avant. Ses sessions sont fermées ; si son rôle l'exige, elle configurera une nouvelle application à sa prochaine connexion."</p>
                }.into_any()
            } else {
                view! { <p>"Non configurée."</p> }.into_any()
            }}
        </section>
    }
}
