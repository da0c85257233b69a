//! The cycle's notices: each step writes, in its own change, a mail to who must act next (never
//! to who made the step); a refused step writes none. The background sender delivers them to a
//! real SMTP server started here; one that cannot be reached leaves the step done, the mail in
//! the outbox with its error and a later attempt, and the next round sends it.

use crate::manual::{approved_version, issue_edition, started, Manual};
use backend::mailer::{deliver_due, Mailer, Round};
use chrono::{Duration, Utc};
use http::StatusCode;
use std::sync::{Arc, Mutex};
use tests::{on_both_engines, Client, Engine, TestApp};

/// A mail as the SMTP server received it.
#[derive(Clone, Debug)]
struct Received {
    from: String,
    to: Vec<String>,
    data: String,
}

#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    current: Option<Received>,
}

impl mailin_embedded::Handler for Inbox {
    fn data_start(
        &mut self,
        _domain: &str,
        from: &str,
        _is8bit: bool,
        to: &[String],
    ) -> mailin_embedded::Response {
        self.current = Some(Received {
            from: from.to_string(),
            to: to.to_vec(),
            data: String::new(),
        });
        mailin_embedded::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = self.current.as_mut() {
            current.data.push_str(&String::from_utf8_lossy(buf));
        }
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        if let Some(mail) = self.current.take() {
            self.received.lock().unwrap().push(mail);
        }
        mailin_embedded::response::OK
    }
}

/// An SMTP server on a free port of this machine, serving until the tests end.
fn smtp_server() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let received = inbox.received.clone();
    let mut server = mailin_embedded::Server::new(inbox);
    server
        .with_name("smtp.test")
        .with_ssl(mailin_embedded::SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (port, received)
}

/// A port where nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The outbox's mails as (recipient, subject), in order.
async fn outbox(app: &TestApp) -> Vec<(String, String)> {
    use sqlx::Row;
    sqlx::query("SELECT to_address, subject FROM mail_outbox ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("to_address"), r.get("subject")))
        .collect()
}

/// The text of a mail's headers and body, its subject's encoded words and its body's
/// quoted-printable or base64 undone.
fn decoded(data: &str) -> (String, String) {
    use base64::Engine as _;
    let (headers, body) = data.split_once("\r\n\r\n").expect("headers, then the body");
    let unfolded = headers.replace("\r\n ", " ");
    let subject_line = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .expect("a Subject header");
    // RFC 2047: the space between two encoded words is not part of the text.
    let mut subject = String::new();
    let mut previous_encoded = false;
    for word in subject_line.split(' ') {
        let encoded = word
            .strip_prefix("=?utf-8?b?")
            .and_then(|w| w.strip_suffix("?="));
        let joins_encoded_words = previous_encoded && encoded.is_some();
        if !subject.is_empty() && !joins_encoded_words {
            subject.push(' ');
        }
        match encoded {
            Some(b64) => subject.push_str(
                &String::from_utf8(
                    base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .unwrap(),
                )
                .unwrap(),
            ),
            None => subject.push_str(word),
        }
        previous_encoded = encoded.is_some();
    }
    let body = if unfolded.contains("Content-Transfer-Encoding: base64") {
        let compact: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(compact)
                .unwrap(),
        )
        .unwrap()
    } else if unfolded.contains("Content-Transfer-Encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&joined[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    } else {
        body.to_string()
    };
    (subject.trim().to_string(), body.replace("\r\n", "\n"))
}

async fn step(client: &mut Client, path: &str, siae: i64, demande: i64, more: &[(&str, &str)]) {
    let (siae, demande) = (siae.to_string(), demande.to_string());
    let mut fields = vec![("siae_id", siae.as_str()), ("demande_id", demande.as_str())];
    fields.extend_from_slice(more);
    let response = client
        .call(&format!("/api/certification/demande/{path}"), &fields)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
}

async fn each_step_mails_who_acts_next_through_a_real_smtp_server(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let Manual { siae, section } = started(&app, &mut referent).await;
    approved_version(
        &app,
        &mut referent,
        &mut direction,
        section,
        "Chaque mardi.",
    )
    .await;
    let (edition, _) = issue_edition(&app, &mut referent, siae).await;
    let opened = referent
        .call(
            "/api/certification/demande/enregistrer",
            &[
                ("siae_id", &siae.to_string()),
                ("edition_id", &edition.to_string()),
                ("message", "Nous demandons l'audit."),
            ],
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let demande = app
        .count(&format!("SELECT id FROM demandes WHERE siae_id = {siae}"))
        .await;
    assert!(
        outbox(&app).await.is_empty(),
        "preparing a demande tells no one"
    );

    // A step refused (the region cannot submit the SIAE's demande) writes no mail.
    let refused = region
        .call(
            "/api/certification/demande/soumettre",
            &[
                ("siae_id", &siae.to_string()),
                ("demande_id", &demande.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(outbox(&app).await.is_empty());

    // Submitted: the region's référent and its board hear of it, not the SIAE that submitted.
    step(&mut referent, "soumettre", siae, demande, &[]).await;
    let soumise = "Certification CEDRE — Emploi Solidaire du Pays de Rennes : soumise à la région";
    assert_eq!(
        outbox(&app).await,
        [
            ("rq-region@cedre.demo".to_string(), soumise.to_string()),
            ("ca-region@cedre.demo".to_string(), soumise.to_string()),
        ]
    );
    // Returned for completion: the SIAE's référent and direction, not the region that returned it.
    step(
        &mut region,
        "renvoyer",
        siae,
        demande,
        &[("comment", "Joignez le compte-rendu du dernier conseil.")],
    )
    .await;
    let a_completer = "Certification CEDRE — Emploi Solidaire du Pays de Rennes : à compléter";
    assert_eq!(
        outbox(&app).await[2..],
        [
            ("referent@cedre.demo".to_string(), a_completer.to_string()),
            ("direction@cedre.demo".to_string(), a_completer.to_string()),
        ]
    );

    // The SMTP server cannot be reached: nothing is sent, each mail keeps its error and a later
    // attempt, and the demande stays where the step put it.
    let now = Utc::now();
    let down = Mailer::new(
        &format!("smtp://127.0.0.1:{}", closed_port()),
        "Cedre <cedre@exemple.org>",
    )
    .unwrap();
    assert_eq!(
        deliver_due(&app.db, &down, now).await.unwrap(),
        Round { sent: 0, failed: 4 }
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error IS NOT NULL")
            .await,
        4
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM demandes WHERE id = {demande} AND state = 'a_completer'"
        ))
        .await,
        1
    );
    // Not due again before a minute.
    let (port, received) = smtp_server();
    let up = Mailer::new(
        &format!("smtp://127.0.0.1:{port}"),
        "Cedre <cedre@exemple.org>",
    )
    .unwrap();
    assert_eq!(
        deliver_due(&app.db, &up, now).await.unwrap(),
        Round::default()
    );
    assert_eq!(
        deliver_due(&app.db, &up, now + Duration::minutes(2))
            .await
            .unwrap(),
        Round { sent: 4, failed: 0 }
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL AND attempts = 2 AND last_error IS NULL")
            .await,
        4
    );
    // Sent once: the next round finds nothing.
    assert_eq!(
        deliver_due(&app.db, &up, now + Duration::hours(1))
            .await
            .unwrap(),
        Round::default()
    );

    let received = received.lock().unwrap().clone();
    let recipients: Vec<Vec<String>> = received.iter().map(|m| m.to.clone()).collect();
    assert_eq!(
        recipients,
        [
            ["rq-region@cedre.demo"],
            ["ca-region@cedre.demo"],
            ["referent@cedre.demo"],
            ["direction@cedre.demo"]
        ]
    );
    assert!(received.iter().all(|m| m.from == "cedre@exemple.org"));
    let (subject, body) = decoded(&received[2].data);
    assert_eq!(subject, a_completer);
    assert!(
        body.contains("La demande de certification de la structure « Emploi Solidaire du Pays de Rennes » est désormais : à compléter."),
        "{body}"
    );
    assert!(
        body.contains(&format!(
            "http://cedre.test/organisations/{siae}/certification"
        )),
        "{body}"
    );
    // The mail says where to look, not what the region wrote.
    assert!(!body.contains("compte-rendu du dernier conseil"), "{body}");

    // The administrators see the outbox; the others do not.
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let page = admin.get("/administration/courriels").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("ca-region@cedre.demo"), "{}", page.body);
    assert!(page.body.contains("Envoyé le"), "{}", page.body);
    let page = referent.get("/administration/courriels").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(!page.body.contains("ca-region@cedre.demo"));
    app.finish().await;
}

on_both_engines!(each_step_mails_who_acts_next_through_a_real_smtp_server);
