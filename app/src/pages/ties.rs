//! An external auditor's declaration of ties with organisations of the network: screened by the
//! federation before every assignment.

use crate::api::certification::{load_ties, DeclareTie, WithdrawTie};
use crate::components::forms::{Form, SelectField, TextField};
use crate::components::load::loaded;
use domain::certification::conflict::TieKind;
use domain::certification::view::TiesPage as Page;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn TiesPage() -> impl IntoView {
    loaded(load_ties(), |page| view! { <TiesView page/> })
}

#[component]
fn TiesView(page: Page) -> impl IntoView {
    let kinds = TieKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label().to_string()))
        .collect();
    let organisations = page
        .organisations
        .iter()
        .map(|(id, name)| (id.to_string(), name.clone()))
        .collect();
    view! {
        <Title text="Déclaration de liens"/>
        <h1>"Déclaration de liens"</h1>
        <p class="aide">"Déclarez les structures et associations régionales du réseau pour lesquelles vous avez travaillé, que vous avez conseillées ou au conseil d'administration desquelles vous avez siégé. Un lien de moins de trois ans avec une structure ou son association régionale vous exclut de son audit ; un lien plus ancien, ou avec une autre structure de la région, est présenté à la fédération qui justifie sa décision."</p>
        <section class="carte" aria-labelledby="titre-liens">
            <h2 id="titre-liens">"Liens déclarés"</h2>
            {if page.ties.is_empty() {
                view! { <p class="vide">"Aucun lien déclaré."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption class="visuellement-cache">"Liens déclarés"</caption>
                        <thead><tr><th scope="col">"Organisation"</th><th scope="col">"Nature"</th><th scope="col">"Période"</th><th scope="col">"Action"</th></tr></thead>
                        <tbody>{page.ties.into_iter().map(|t| view! {
                            <tr>
                                <td>{t.organisation_name.clone()}</td>
                                <td>{t.kind.label()}</td>
                                <td>{format!("du {}{}", domain::time::display_date(t.started_on),
                                    t.ended_on.map(|e| format!(" au {}", domain::time::display_date(e))).unwrap_or_else(|| " à ce jour".into()))}</td>
                                <td>
                                    <Form action={ServerAction::<WithdrawTie>::new()} instance=("tie_id", t.id.to_string())>
                                        <input type="hidden" name="tie_id" value=t.id/>
                                        <button type="submit" class="bouton-secondaire" aria-label=format!("Retirer le lien avec {}", t.organisation_name)>"Retirer"</button>
                                    </Form>
                                </td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="carte" aria-labelledby="titre-declarer">
            <h2 id="titre-declarer">"Déclarer un lien"</h2>
            <Form action={ServerAction::<DeclareTie>::new()} class="formulaire">
                <SelectField id="lien-organisation" name="organisation_id" label="Organisation" options=organisations required=true/>
                <SelectField id="lien-nature" name="kind" label="Nature du lien" options=kinds required=true/>
                <TextField id="lien-debut" name="started_on" label="Début" input_type="date" required=true/>
                <TextField id="lien-fin" name="ended_on" label="Fin" input_type="date" hint="Laissée vide : le lien dure encore."/>
                <button type="submit" class="bouton-principal">"Déclarer le lien"</button>
            </Form>
        </section>
    }
}
