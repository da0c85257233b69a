//! Temporary passwords shown once and never in a cookie; password change throttled and renewing
//! the session; « Mes sessions ».

use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

const FIREFOX: &str =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const PHONE: &str = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36";
const NEW_PASSWORD: &str = "trois pommes sur la table";

/// Every cookie a response sets, as sent and, when it is a signed base64 value, decoded.
fn cookie_texts(response: &tests::Response) -> Vec<String> {
    let mut texts = Vec::new();
    for value in response.headers.get_all(http::header::SET_COOKIE) {
        let value = value.to_str().unwrap().to_string();
        let pair = value.split(';').next().unwrap().to_string();
        let content = pair.split_once('=').map(|(_, v)| v).unwrap_or_default();
        let unsigned = content.rsplit_once('.').map(|(v, _)| v).unwrap_or(content);
        if let Some(bytes) = app::api::ssr::base64_url::decode(unsigned) {
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        texts.push(value);
    }
    texts
}

fn shown_password(body: &str) -> Option<String> {
    body.split("première connexion : ")
        .nth(1)
        .and_then(|rest| rest.get(..19))
        .map(str::to_string)
}

async fn a_temporary_password_is_shown_once_and_never_travels_in_a_cookie(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let mut other_browser = app.signed_in("admin@cedre.demo").await;
    let created = admin
        .post_form(
            "/api/comptes/creer",
            "/administration/comptes",
            &[("email", "lea@siae.fr"), ("display_name", "Léa Petit")],
        )
        .await;
    let id = app.id_of(("accounts", "email"), "lea@siae.fr").await;
    let path = format!("/administration/comptes/{id}");
    assert_eq!(created.location(), Some(path.as_str()));
    // Another session of the same administrator does not see it.
    assert_eq!(shown_password(&other_browser.get(&path).await.body), None);
    let page = admin.get(&path).await;
    let temporary = shown_password(&page.body).expect("shown on the account's page");
    assert_eq!(
        page.headers["cache-control"], "no-store",
        "not kept by a cache"
    );
    assert!(page.body.contains("Le compte a été créé."), "{}", page.body);
    for text in cookie_texts(&created).iter().chain(&cookie_texts(&page)) {
        assert!(!text.contains(&temporary), "in a cookie: {text}");
    }
    assert_eq!(shown_password(&admin.get(&path).await.body), None, "once");
    // The password works.
    assert_eq!(
        app.client()
            .login("lea@siae.fr", &temporary)
            .await
            .location(),
        Some("/")
    );

    let reset = admin
        .post_form(
            "/api/comptes/reinitialiser",
            &path,
            &[("id", &id.to_string())],
        )
        .await;
    let page = admin.get(&path).await;
    let again = shown_password(&page.body).expect("shown after a reset");
    assert_ne!(again, temporary);
    for text in cookie_texts(&reset).iter().chain(&cookie_texts(&page)) {
        assert!(!text.contains(&again), "in a cookie: {text}");
    }
    assert_eq!(shown_password(&admin.get(&path).await.body), None, "once");
    app.finish().await;
}
on_both_engines!(a_temporary_password_is_shown_once_and_never_travels_in_a_cookie);

async fn changing_the_password_renews_the_session_and_ends_the_others(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut here = app.signed_in("referent@cedre.demo").await;
    let mut elsewhere = app.signed_in("referent@cedre.demo").await;
    let mut colleague = app.signed_in("direction@cedre.demo").await;
    let before = here.cookies["cedre_session"].clone();
    let changed = here
        .post_form(
            "/api/mot-de-passe",
            "/mot-de-passe",
            &[
                ("actuel", backend::demo::DEMO_PASSWORD),
                ("nouveau", NEW_PASSWORD),
                ("confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    assert_eq!(changed.location(), Some("/"));
    let after = here.cookies["cedre_session"].clone();
    assert_ne!(before, after, "a new session cookie");
    assert_eq!(here.get("/").await.status, StatusCode::OK);
    assert_eq!(elsewhere.get("/").await.location(), Some("/connexion"));
    assert_eq!(colleague.get("/").await.status, StatusCode::OK);
    here.cookies.insert("cedre_session".into(), before);
    assert_eq!(
        here.get("/").await.location(),
        Some("/connexion"),
        "the old token is dead"
    );
    let referent = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM sessions WHERE account_id = {referent}"
        ))
        .await,
        1
    );
    app.finish().await;
}
on_both_engines!(changing_the_password_renews_the_session_and_ends_the_others);

async fn changing_the_password_is_throttled(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut thief = app.signed_in("referent@cedre.demo").await;
    for _ in 0..backend::throttle::FREE_PER_ACCOUNT_AND_ADDRESS {
        let refused = thief
            .post_form(
                "/api/mot-de-passe",
                "/mot-de-passe",
                &[
                    ("actuel", "une supposition"),
                    ("nouveau", NEW_PASSWORD),
                    ("confirmation", NEW_PASSWORD),
                ],
            )
            .await;
        tests::assert_back_to(&refused, "/mot-de-passe");
        assert!(thief
            .get("/mot-de-passe")
            .await
            .body
            .contains("Le mot de passe actuel est incorrect."));
    }
    // Even the right password now waits.
    let waiting = thief
        .post_form(
            "/api/mot-de-passe",
            "/mot-de-passe",
            &[
                ("actuel", backend::demo::DEMO_PASSWORD),
                ("nouveau", NEW_PASSWORD),
                ("confirmation", NEW_PASSWORD),
            ],
        )
        .await;
    tests::assert_back_to(&waiting, "/mot-de-passe");
    assert!(thief
        .get("/mot-de-passe")
        .await
        .body
        .contains("Trop de tentatives"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.mot_de_passe'")
            .await,
        0
    );
    // The login page has its own counters: the owner can still sign in.
    app.signed_in("referent@cedre.demo").await;
    app.finish().await;
}
on_both_engines!(changing_the_password_is_throttled);

/// The `id` of the end-session form in the table row that mentions `text`.
fn session_id(body: &str, text: &str) -> String {
    let row = body
        .split("<tr>")
        .find(|row| row.contains(text))
        .unwrap_or_else(|| panic!("no row with {text}: {body}"));
    row.split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string()
}

async fn users_see_and_end_their_sessions(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut desk = app
        .client()
        .with_user_agent(FIREFOX)
        .from_address("203.0.113.10");
    desk.login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    let mut phone = app
        .client()
        .with_user_agent(PHONE)
        .from_address("198.51.100.7");
    phone
        .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    let mut admin = app.signed_in("admin@cedre.demo").await;

    let home = desk.get("/").await;
    assert!(home.body.contains("href=\"/mes-sessions\""));
    // The desk moved: the session notes its new address.
    desk.address = ("203.0.113.11".parse::<std::net::IpAddr>().unwrap(), 50000).into();
    let page = desk.get("/mes-sessions").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Firefox sur Windows",
        "Chrome sur Android",
        "203.0.113.11",
        "198.51.100.7",
        "cette session",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert_eq!(
        page.body.matches("name=\"id\"").count(),
        2,
        "not the admin's"
    );
    let phone_id = session_id(&page.body, "Chrome sur Android");
    let desk_id = session_id(&page.body, "Firefox sur Windows");

    // Nobody else can end it.
    admin
        .post_form(
            "/api/sessions/fermer",
            "/mes-sessions",
            &[("id", &phone_id)],
        )
        .await;
    assert!(admin
        .get("/mes-sessions")
        .await
        .body
        .contains("Cette session est déjà fermée."));
    assert_eq!(phone.get("/").await.status, StatusCode::OK);

    let ended = desk
        .post_form(
            "/api/sessions/fermer",
            "/mes-sessions",
            &[("id", &phone_id)],
        )
        .await;
    assert_eq!(ended.location(), Some("/mes-sessions"));
    assert_eq!(phone.get("/").await.location(), Some("/connexion"));
    let page = desk.get("/mes-sessions").await;
    assert!(page.body.contains("La session a été fermée."));
    assert!(!page.body.contains("Chrome sur Android"));

    let out = desk
        .post_form("/api/sessions/fermer", "/mes-sessions", &[("id", &desk_id)])
        .await;
    assert_eq!(out.location(), Some("/connexion"));
    assert!(!desk.cookies.contains_key("cedre_session"));
    assert_eq!(desk.get("/").await.location(), Some("/connexion"));
    app.finish().await;
}
on_both_engines!(users_see_and_end_their_sessions);
