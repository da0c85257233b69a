use super::query_param;
use crate::api::accounts::{list_accounts, CreateAccount};
use crate::components::forms::{Form, TextField};
use crate::components::load::loaded;
use crate::components::table::Table;
use domain::account::Account;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let search = query_param("q");
    view! {
        <Title text="Comptes"/>
        <h1>"Comptes"</h1>
        <form method="get" class="filtres" role="search" aria-label="Rechercher un compte">
            <TextField id="recherche-compte" name="q" label="Nom ou adresse électronique" input_type="search"
                value=search.clone().unwrap_or_default()/>
            <button type="submit" class="bouton-secondaire">"Rechercher"</button>
        </form>
        {loaded(list_accounts(search), |accounts| view! { <AccountTable accounts/> })}
        <section class="carte" aria-labelledby="titre-nouveau-compte">
            <h2 id="titre-nouveau-compte">"Nouveau compte"</h2>
            <p class="aide">"Un mot de passe temporaire est généré et affiché une seule fois ; la personne devra le changer à sa première connexion. Attribuez-lui ensuite ses rôles."</p>
            <Form action={ServerAction::<CreateAccount>::new()} class="formulaire">
                <TextField id="nouveau-nom" name="display_name" label="Nom affiché" required=true autocomplete="off"/>
                <TextField id="nouveau-email" name="email" label="Adresse électronique" input_type="email" required=true autocomplete="off"/>
                <button type="submit" class="bouton-principal">"Créer le compte"</button>
            </Form>
        </section>
    }
}

#[component]
fn AccountTable(accounts: Vec<Account>) -> impl IntoView {
    view! {
        <Table rows=accounts caption="Comptes"
            headers=&["Nom", "Adresse électronique", "État", "Dernière connexion"]
            empty="Aucun compte ne correspond à cette recherche."
            row=|a: Account| view! {
                <tr>
                    <td><a href=format!("/administration/comptes/{}", a.id)>{a.display_name}</a></td>
                    <td>{a.email}</td>
                    <td>{account_state(a.active, a.must_change_password)}</td>
                    <td>{a.last_login_at.map(domain::time::display_datetime).unwrap_or_else(|| "Jamais".into())}</td>
                </tr>
            }/>
    }
}

pub fn account_state(active: bool, must_change_password: bool) -> &'static str {
    match (active, must_change_password) {
        (false, _) => "Désactivé",
        (true, true) => "Mot de passe temporaire",
        (true, false) => "Actif",
    }
}
