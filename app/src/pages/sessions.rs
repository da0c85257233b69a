use crate::api::sessions::{list_sessions, EndSession};
use crate::components::load::loaded;
use domain::session::OpenSession;
use leptos::prelude::*;
use leptos_meta::Title;

/// « Mes sessions »: where the user is signed in, and a button to end each session.
#[component]
pub fn SessionsPage() -> impl IntoView {
    view! {
        <Title text="Mes sessions"/>
        <h1>"Mes sessions"</h1>
        <p class="aide">"Les navigateurs où vous êtes connecté. Si vous n'en reconnaissez pas un, fermez sa session et changez votre mot de passe (ce qui ferme toutes les autres)."</p>
        {loaded(list_sessions(), |sessions| view! { <SessionsTable sessions/> })}
    }
}

#[component]
fn SessionsTable(sessions: Vec<OpenSession>) -> impl IntoView {
    view! {
        <table>
            <caption class="visuellement-cache">"Sessions ouvertes"</caption>
            <thead><tr>
                <th scope="col">"Navigateur"</th><th scope="col">"Adresse"</th>
                <th scope="col">"Ouverte le (UTC)"</th><th scope="col">"Dernière activité (UTC)"</th>
                <th scope="col">"Action"</th>
            </tr></thead>
            <tbody>
                {sessions.into_iter().map(|s| {
                    let browser = s.browser();
                    let label = if s.current {
                        "Se déconnecter (cette session)".to_string()
                    } else {
                        format!("Fermer la session {browser} ({})", s.address)
                    };
                    view! {
                        <tr>
                            <td>{browser.clone()}{s.current.then_some(view! { <strong>" — cette session"</strong> })}</td>
                            <td>{s.address.clone()}</td>
                            <td><time datetime=s.started_at.to_rfc3339()>{domain::time::display_datetime(s.started_at)}</time></td>
                            <td><time datetime=s.last_seen_at.to_rfc3339()>{domain::time::display_datetime(s.last_seen_at)}</time></td>
                            <td>
                                <ActionForm action={ServerAction::<EndSession>::new()} attr:class="en-ligne">
                                    <input type="hidden" name="id" value=s.id.clone()/>
                                    <button type="submit" class="bouton-secondaire" aria-label=label>
                                        {if s.current { "Se déconnecter" } else { "Fermer" }}
                                    </button>
                                </ActionForm>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
