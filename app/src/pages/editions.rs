use super::id_param;
use crate::api::manual::{load_editions, IssueEdition};
use crate::components::forms::Form;
use crate::components::load::loaded;
use domain::manual::edition::EditionsPage as Page;
use leptos::prelude::*;
use leptos_meta::Title;

/// The editions of a SIAE's manual: the completeness check and the issue form for those who
/// issue them, the issued editions and their PDF for every reader.
#[component]
pub fn EditionsPage() -> impl IntoView {
    loaded(
        load_editions(id_param()),
        |page| view! { <EditionsView page/> },
    )
}

#[component]
fn EditionsView(page: Page) -> impl IntoView {
    let title = format!("Éditions du manuel qualité — {}", page.siae_name);
    let siae_id = page.siae_id;
    let next = page.editions.first().map(|e| e.number).unwrap_or(0) + 1;
    view! {
        <Title text=title.clone()/>
        <p><a href=crate::url::manual_page(siae_id)>"← Manuel qualité"</a></p>
        <h1>{title}</h1>
        <p class="aide">"Une édition fige les versions en vigueur des sections, avec son numéro et sa date ; son PDF est conservé tel qu'émis, avec son empreinte SHA-256."</p>
        {page.gaps.map(|gaps| view! {
            <section class="carte" aria-labelledby="titre-emettre">
                <h2 id="titre-emettre">{format!("Émettre l'édition {next}")}</h2>
                {if gaps.is_empty() {
                    view! { <p>"Le manuel contient tout ce que le programme demande."</p> }.into_any()
                } else {
                    view! {
                        <div class="avertissement" role="note">
                            <p>{format!("Il manque encore {} élément{} :", gaps.len(), if gaps.len() > 1 { "s" } else { "" })}</p>
                            <ul class="manques">{gaps.iter().map(|g| view! { <li>{g.clone()}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                }}
                <Form action={ServerAction::<IssueEdition>::new()} class="formulaire">
                    <input type="hidden" name="siae_id" value=siae_id/>
                    {(!gaps.is_empty()).then(|| view! {
                        <div class="champ case">
                            <input type="checkbox" id="confirmer" name="confirmer" value="oui"/>
                            <label for="confirmer">"J'émets cette édition incomplète en connaissance de cause (les manques ci-dessus seront inscrits dans l'édition)."</label>
                        </div>
                    })}
                    <button type="submit" class="bouton-principal">{format!("Émettre l'édition {next}")}</button>
                </Form>
            </section>
        })}
        <section class="carte" aria-labelledby="titre-editions">
            <h2 id="titre-editions">"Éditions émises"</h2>
            {if page.editions.is_empty() {
                view! { <p>"Aucune édition n'est encore émise."</p> }.into_any()
            } else {
                view! {
                    <table>
                        <caption class="visuellement-cache">"Éditions émises du manuel"</caption>
                        <thead><tr>
                            <th scope="col">"Édition"</th><th scope="col">"Date"</th><th scope="col">"Émise par"</th>
                            <th scope="col">"Complète"</th><th scope="col">"PDF"</th><th scope="col">"SHA-256"</th>
                        </tr></thead>
                        <tbody>
                            {page.editions.iter().map(|e| view! {
                                <tr>
                                    <td>{e.number}</td>
                                    <td>{domain::time::display_date(e.issued_on)}</td>
                                    <td>{e.issuer_name.clone()}</td>
                                    <td>{if e.gaps.is_empty() { "Oui".to_string() } else { format!("Non ({} manques confirmés)", e.gaps.len()) }}</td>
                                    <td><a href=crate::url::edition_pdf(siae_id, e.id)>{format!("Édition {} ({} Ko)", e.number, e.pdf_bytes / 1024 + 1)}</a></td>
                                    <td><code class="empreinte">{e.pdf_sha256.clone()}</code></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}
