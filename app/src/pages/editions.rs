use super::id_param;
use crate::api::manual::{
    load_editions, AcknowledgeEdition, GiveEdition, IssueEdition, RemoveLogo,
};
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
    let issues = page.gaps.is_some();
    let to_acknowledge: Vec<(i64, i64)> = page
        .recipients
        .iter()
        .filter(|r| r.account_id == page.account_id && r.acknowledged_at.is_none())
        .filter_map(|r| {
            page.editions
                .iter()
                .find(|e| e.id == r.edition_id)
                .map(|e| (e.id, e.number))
        })
        .collect();
    let distribution = page
        .editions
        .first()
        .cloned()
        .filter(|_| page.gaps.is_some())
        .map(|latest| {
            let given: Vec<_> = page
                .recipients
                .iter()
                .filter(|r| r.edition_id == latest.id)
                .cloned()
                .collect();
            let not_given: Vec<(i64, String)> = page
                .members
                .iter()
                .filter(|(id, _)| !given.iter().any(|r| r.account_id == *id))
                .cloned()
                .collect();
            (latest, given, not_given)
        });
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
        {issues.then(|| view! { <LogoCard siae_id has_logo=page.has_logo/> })}
        {to_acknowledge.into_iter().map(|(edition_id, number)| view! {
            <div class="avertissement" role="note">
                <p>{format!("L'édition {number} du manuel vous a été remise : lisez-la (lien ci-dessous), puis confirmez.")}</p>
                <Form action={ServerAction::<AcknowledgeEdition>::new()} instance=("edition_id", edition_id.to_string())>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <input type="hidden" name="edition_id" value=edition_id/>
                    <button type="submit" class="bouton-principal">{format!("J'ai lu l'édition {number}")}</button>
                </Form>
            </div>
        }).collect_view()}
        {distribution.map(|(latest, given, not_given)| view! {
            <section class="carte" aria-labelledby="titre-diffusion">
                <h2 id="titre-diffusion">{format!("Diffusion de l'édition {}", latest.number)}</h2>
                {if given.is_empty() {
                    view! { <p>"Elle n'est encore remise à personne."</p> }.into_any()
                } else {
                    view! {
                        <ul>{given.into_iter().map(|r| view! {
                            <li>{r.name.clone()}" — "{match r.acknowledged_at {
                                Some(at) => format!("lue le {}", domain::time::display_datetime(at)),
                                None => "pas encore lue".to_string(),
                            }}</li>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
                {(!not_given.is_empty()).then(|| view! {
                    <Form action={ServerAction::<GiveEdition>::new()} class="formulaire">
                        <input type="hidden" name="siae_id" value=siae_id/>
                        <input type="hidden" name="edition_id" value=latest.id/>
                        <fieldset>
                            <legend>"La remettre à"</legend>
                            {not_given.into_iter().map(|(id, name)| {
                                let field = format!("remise-{id}");
                                view! {
                                    <div class="champ case">
                                        <input type="checkbox" id=field.clone() name=format!("destinataires[{id}]") value="oui"/>
                                        <label for=field>{name}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="bouton-secondaire">"Remettre l'édition"</button>
                    </Form>
                })}
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

/// The logo of the cover: the current one, a plain multipart form to send another, and a button
/// to take it off.
#[component]
fn LogoCard(siae_id: i64, has_logo: bool) -> impl IntoView {
    let address = format!("/organisations/{siae_id}/manuel/logo");
    view! {
        <section class="carte" aria-labelledby="titre-logo">
            <h2 id="titre-logo">"Logo de la couverture"</h2>
            {has_logo.then(|| view! {
                <img class="logo-apercu" src=address.clone() alt="Le logo actuel de la couverture"/>
            })}
            <form method="post" enctype="multipart/form-data" action=address class="formulaire">
                <div class="champ">
                    <label for="logo-fichier">"Image PNG ou JPEG (1 Mo et 4000 pixels de côté au plus)"</label>
                    <input id="logo-fichier" type="file" name="logo" required=true accept=".png,.jpg,.jpeg,image/png,image/jpeg"/>
                </div>
                <button type="submit" class="bouton-secondaire">{if has_logo { "Remplacer le logo" } else { "Déposer le logo" }}</button>
            </form>
            {has_logo.then(|| view! {
                <Form action={ServerAction::<RemoveLogo>::new()}>
                    <input type="hidden" name="siae_id" value=siae_id/>
                    <button type="submit" class="bouton-secondaire">"Retirer le logo"</button>
                </Form>
            })}
            <p class="aide">"Les éditions déjà émises gardent la couverture avec laquelle elles ont été émises."</p>
        </section>
    }
}
