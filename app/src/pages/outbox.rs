use crate::api::audit::outbox;
use crate::components::load::loaded;
use domain::outbox::{MailStatus, OutboxMail, EXPIRY_DAYS, MAX_ATTEMPTS};
use leptos::prelude::*;
use leptos_meta::Title;

/// The mail outbox, for the administrators: each notice mailed, to whom, and whether it left.
#[component]
pub fn OutboxPage() -> impl IntoView {
    view! {
        <Title text="Courriels"/>
        <h1>"Courriels"</h1>
        {loaded(outbox(), |page| view! {
            {if page.sends_mail {
                view! { <p class="aide">{format!("Les courriels partent par le serveur SMTP configuré. Un envoi qui échoue est retenté de plus en plus tard ({MAX_ATTEMPTS} tentatives au plus) ; un courriel non parti au bout de {EXPIRY_DAYS} jours ne l'est plus. Les 200 derniers courriels, du plus récent au plus ancien.")}</p> }.into_any()
            } else {
                view! { <p class="avertissement" role="status">"Aucun serveur SMTP n'est configuré (CEDRE_SMTP_URL) : les notifications restent dans l'application, sur la page d'accueil de chacun, et les courriels ci-dessous ne partent pas."</p> }.into_any()
            }}
            <OutboxTable mails=page.mails now=page.now/>
        })}
    }
}

#[component]
fn OutboxTable(mails: Vec<OutboxMail>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    if mails.is_empty() {
        return view! { <p class="vide">"Aucun courriel n'a été écrit."</p> }.into_any();
    }
    view! {
        <table class="journal">
            <caption class="visuellement-cache">"Courriels écrits par l'application"</caption>
            <thead><tr>
                <th scope="col">"Écrit le"</th><th scope="col">"Destinataire"</th>
                <th scope="col">"Objet"</th><th scope="col">"Envoi"</th>
            </tr></thead>
            <tbody>
                {mails.into_iter().map(|mail| {
                    let status = mail.status(now);
                    let (class, text) = status_text(&status);
                    view! {
                        <tr>
                            <td><time datetime=mail.created_at.to_rfc3339()>{domain::time::display_datetime(mail.created_at)}</time></td>
                            <td>{mail.to_address}</td>
                            <td>
                                <details>
                                    <summary>{mail.subject}</summary>
                                    <pre class="courriel">{mail.body}</pre>
                                </details>
                            </td>
                            <td class=class>
                                {text}
                                {mail.last_error.filter(|_| !matches!(status, MailStatus::Sent { .. })).map(|error| view! {
                                    <br/><small>{format!("Dernière erreur : {error}")}</small>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn status_text(status: &MailStatus) -> (&'static str, String) {
    match status {
        MailStatus::Sent { at } => (
            "",
            format!("Envoyé le {}", domain::time::display_datetime(*at)),
        ),
        MailStatus::Pending { attempts: 0, .. } => ("", "En attente".to_string()),
        MailStatus::Pending { attempts, next } => (
            "alerte",
            format!(
                "{attempts} échec(s) ; nouvelle tentative le {}",
                domain::time::display_datetime(*next)
            ),
        ),
        MailStatus::GivenUp => ("alerte", format!("Abandonné après {MAX_ATTEMPTS} échecs")),
        MailStatus::Expired => (
            "alerte",
            format!("Non envoyé en {EXPIRY_DAYS} jours : abandonné"),
        ),
    }
}
