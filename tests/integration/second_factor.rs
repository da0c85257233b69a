//! The second factor (TOTP, RFC 6238): the code step of a login and its ticket, replay and
//! throttling, enrolment with a QR code and recovery codes, removal, the administrator's reset,
//! and the roles that must have one before anything else.

use base64::Engine as _;
use http::StatusCode;
use tests::{assert_back_to, on_both_engines, Engine, TestApp};

const CODE_PAGE: &str = "/connexion/code?suite=%2F";
const PAGE: &str = "/double-authentification";

/// The code an application holding `secret` shows `offset` steps from now.
fn code(secret: &str, offset: i64) -> String {
    let now = backend::totp::step_at(chrono::Utc::now().timestamp());
    backend::totp::code_at(secret, now + offset).unwrap()
}

/// A code of six digits that none of the steps a login accepts now shows.
fn wrong_code(secret: &str) -> String {
    let accepted: Vec<String> = (-1..=1).map(|o| code(secret, o)).collect();
    (0..10)
        .map(|d| d.to_string().repeat(6))
        .find(|c| !accepted.contains(c))
        .unwrap()
}

async fn secret_of(app: &TestApp, account: i64) -> String {
    use sqlx::Row;
    sqlx::query("SELECT secret FROM second_factors WHERE account_id = $1")
        .bind(account)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .try_get("secret")
        .unwrap()
}

async fn count(app: &TestApp, sql: &str, account: i64) -> i64 {
    app.count(&sql.replace("{account}", &account.to_string()))
        .await
}

async fn a_login_with_a_second_factor_asks_for_the_code_and_accepts_it_once(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let admin = app.id_of(("accounts", "email"), "admin@cedre.demo").await;
    let secret = backend::demo::DEMO_TOTP_SECRET;
    let mut browser = app.client();
    let password = browser
        .login("admin@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(password.location(), Some(CODE_PAGE), "{}", password.body);
    // No session until the code: only the signed ticket.
    assert!(!browser.cookies.contains_key("cedre_session"));
    assert!(browser.cookies.contains_key("cedre_verification"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE account_id = {account}",
            admin
        )
        .await,
        0
    );
    assert_eq!(
        browser.get("/organisations").await.location(),
        Some("/connexion?suite=%2Forganisations")
    );
    let prompt = browser.get(CODE_PAGE).await;
    assert_eq!(prompt.status, StatusCode::OK);
    assert!(
        prompt.body.contains("Code de vérification"),
        "{}",
        prompt.body
    );
    assert!(
        prompt.body.contains(&format!(
            "code de ce compte de démonstration est <strong class=\"code-demo\">{}",
            code(secret, 0)
        )),
        "the demo shows the current code: {}",
        prompt.body
    );

    let refused = browser.login_code(&wrong_code(secret)).await;
    assert_back_to(&refused, "/connexion/code");
    let again = browser
        .get(
            refused
                .location()
                .unwrap()
                .trim_start_matches(tests::ORIGIN),
        )
        .await;
    assert!(
        again.body.contains("Code incorrect ou déjà utilisé"),
        "{}",
        again.body
    );
    assert!(!browser.cookies.contains_key("cedre_session"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM security_events WHERE kind = 'connexion_refusee' AND detail = 'code de vérification incorrect'").await,
        1
    );

    let current = code(secret, 0);
    let accepted = browser.login_code(&current).await;
    assert_eq!(accepted.location(), Some("/"), "{}", accepted.body);
    assert!(browser.cookies.contains_key("cedre_session"));
    assert!(
        !browser.cookies.contains_key("cedre_verification"),
        "the ticket is spent"
    );
    assert_eq!(browser.get("/organisations").await.status, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM security_events WHERE kind = 'connexion' AND detail = 'avec code de vérification'").await,
        1
    );

    // The same code, seen over a shoulder, opens nothing a second time.
    let mut thief = app.client().from_address("198.51.100.9");
    thief
        .login("admin@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    let replayed = thief
        .call(
            "/api/connexion/code",
            &[("verification", &current), ("suite", "/")],
        )
        .await;
    assert_eq!(
        replayed.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        replayed.body
    );
    assert!(!thief.cookies.contains_key("cedre_session"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE account_id = {account}",
            admin
        )
        .await,
        1
    );

    // A ticket altered to name another account is not a ticket.
    let referent = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let ticket = thief.cookies["cedre_verification"].clone();
    let forged = ticket.replacen(
        &format!("verification:{admin}:"),
        &format!("verification:{referent}:"),
        1,
    );
    assert_ne!(forged, ticket);
    thief.cookies.insert("cedre_verification".into(), forged);
    let refused = thief
        .call(
            "/api/connexion/code",
            &[("verification", &code(secret, 1)), ("suite", "/")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Votre connexion a expiré"),
        "{}",
        refused.body
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE account_id = {account}",
            referent
        )
        .await,
        0
    );
    app.finish().await;
}
on_both_engines!(a_login_with_a_second_factor_asks_for_the_code_and_accepts_it_once);

/// Six digits give a million codes: after a few wrong ones, even the right one must wait.
async fn code_attempts_are_throttled_per_account(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let secret = backend::demo::DEMO_TOTP_SECRET;
    let mut attacker = app.client().from_address("198.51.100.20");
    attacker
        .login("rq-federal@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    let wrong = wrong_code(secret);
    for attempt in 0..backend::throttle::FREE_PER_ACCOUNT_AND_ADDRESS {
        let refused = attacker
            .call(
                "/api/connexion/code",
                &[("verification", &wrong), ("suite", "/")],
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "attempt {attempt}"
        );
    }
    // From another address, with the right code: the count is the account's.
    let mut other = app.client().from_address("198.51.100.21");
    other
        .login("rq-federal@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    let throttled = other
        .call(
            "/api/connexion/code",
            &[("verification", &code(secret, 0)), ("suite", "/")],
        )
        .await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        throttled.body
    );
    assert!(!other.cookies.contains_key("cedre_session"));
    app.finish().await;
}
on_both_engines!(code_attempts_are_throttled_per_account);

/// The recovery codes shown on a page: `xxxxx-xxxxx` in `<code>`.
fn shown_recovery_codes(body: &str) -> Vec<String> {
    body.split("<code>")
        .skip(1)
        .filter_map(|rest| rest.split("</code>").next())
        .filter(|c| domain::second_factor::normalise_recovery_code(c).is_some() && c.len() == 11)
        .map(str::to_string)
        .collect()
}

async fn an_account_enrols_uses_a_recovery_code_and_removes_its_second_factor(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let account = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let page = referent.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Activer la double authentification"),
        "{}",
        page.body
    );

    let started = referent
        .post_form("/api/double-authentification/activer", PAGE, &[])
        .await;
    assert_eq!(started.location(), Some(PAGE), "{}", started.body);
    let secret = secret_of(&app, account).await;
    let page = referent.get(PAGE).await;
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    assert!(
        page.body.contains(&grouped.join(" ")),
        "the key is shown: {}",
        page.body
    );
    let qr = page
        .body
        .split("src=\"data:image/svg+xml;base64,")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a QR code image");
    let svg = base64::engine::general_purpose::STANDARD
        .decode(qr)
        .unwrap();
    let svg = String::from_utf8(svg).unwrap();
    assert!(svg.contains("<svg") && svg.contains("<path"), "{svg}");
    // Not active before a code confirms it: the login still needs no code.
    assert_eq!(count(&app, "SELECT COUNT(*) FROM second_factors WHERE account_id = {account} AND confirmed_at IS NULL", account).await, 1);

    let refused = referent
        .post_form(
            "/api/double-authentification/confirmer",
            PAGE,
            &[("verification", &wrong_code(&secret))],
        )
        .await;
    assert_back_to(&refused, PAGE);
    let shown = referent
        .get(
            refused
                .location()
                .unwrap()
                .trim_start_matches(tests::ORIGIN),
        )
        .await;
    assert!(
        shown.body.contains("Ce code ne correspond pas"),
        "{}",
        shown.body
    );
    assert!(
        shown.body.contains("aria-invalid=\"true\""),
        "beside its field: {}",
        shown.body
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM second_factors WHERE account_id = {account} AND confirmed_at IS NULL", account).await, 1);

    let confirmed = referent
        .post_form(
            "/api/double-authentification/confirmer",
            PAGE,
            &[("verification", &code(&secret, 0))],
        )
        .await;
    assert_eq!(confirmed.location(), Some(PAGE), "{}", confirmed.body);
    let page = referent.get(PAGE).await;
    let recovery = shown_recovery_codes(&page.body);
    assert_eq!(recovery.len(), 10, "{}", page.body);
    assert!(page.body.contains("La double authentification est activée"));
    assert!(
        shown_recovery_codes(&referent.get(PAGE).await.body).is_empty(),
        "shown once"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM recovery_codes WHERE account_id = {account} AND used_at IS NULL",
            account
        )
        .await,
        10
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.double_authentification' AND entity_id = {account}")).await,
        1
    );

    // Now the login asks for a code; a recovery code opens one session, once.
    let mut phone_lost = app.client();
    let password = phone_lost
        .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(password.location(), Some(CODE_PAGE));
    let used = recovery[3].to_uppercase().replace('-', " ");
    assert_eq!(phone_lost.login_code(&used).await.location(), Some("/"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM recovery_codes WHERE account_id = {account} AND used_at IS NULL",
            account
        )
        .await,
        9
    );
    let mut again = app.client();
    again
        .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    let refused = again
        .call(
            "/api/connexion/code",
            &[("verification", &recovery[3]), ("suite", "/")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Removal needs a code of the application.
    let refused = referent
        .call(
            "/api/double-authentification/retirer",
            &[("verification", &wrong_code(&secret))],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let removed = referent
        .post_form(
            "/api/double-authentification/retirer",
            PAGE,
            &[("verification", &code(&secret, 1))],
        )
        .await;
    assert_eq!(removed.location(), Some(PAGE), "{}", removed.body);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM second_factors WHERE account_id = {account}",
            account
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM recovery_codes WHERE account_id = {account}",
            account
        )
        .await,
        0
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.double_authentification_retrait' AND entity_id = {account}")).await,
        1
    );
    let mut plain = app.client();
    assert_eq!(
        plain
            .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
            .await
            .location(),
        Some("/")
    );
    app.finish().await;
}
on_both_engines!(an_account_enrols_uses_a_recovery_code_and_removes_its_second_factor);

async fn a_role_that_requires_it_enrols_before_anything_else(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let account = app
        .id_of(("accounts", "email"), "rq-federal@cedre.demo")
        .await;
    let mut lead = app.signed_in("rq-federal@cedre.demo").await;
    // Only an administrator resets it.
    let refused = lead
        .call(
            "/api/comptes/double-authentification",
            &[("id", &account.to_string())],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let reset = admin
        .post_form(
            "/api/comptes/double-authentification",
            &format!("/administration/comptes/{account}"),
            &[("id", &account.to_string())],
        )
        .await;
    assert_eq!(
        reset.location(),
        Some(format!("/administration/comptes/{account}").as_str()),
        "{}",
        reset.body
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM second_factors WHERE account_id = {account}",
            account
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM sessions WHERE account_id = {account}",
            account
        )
        .await,
        0,
        "its sessions end"
    );
    assert_eq!(
        lead.get("/organisations").await.location(),
        Some("/connexion?suite=%2Forganisations")
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.double_authentification_reinitialisation' AND entity_id = {account}")).await,
        1
    );

    // Password only now, but nothing opens before enrolment: pages, server functions, routes.
    let mut lead = app.client();
    assert_eq!(
        lead.login("rq-federal@cedre.demo", backend::demo::DEMO_PASSWORD)
            .await
            .location(),
        Some("/")
    );
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    for path in [
        "/",
        "/organisations".to_string().as_str(),
        &format!("/organisations/{rennes}/referentiel.csv"),
    ] {
        assert_eq!(lead.get(path).await.location(), Some(PAGE), "{path}");
    }
    let listed = lead.call("/api/organisations/liste", &[]).await;
    assert_eq!(listed.location(), Some(PAGE));
    assert!(!listed.body.contains("Emploi Solidaire"), "{}", listed.body);
    let page = lead.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("la double authentification est obligatoire"),
        "{}",
        page.body
    );

    lead.post_form("/api/double-authentification/activer", PAGE, &[])
        .await;
    let secret = secret_of(&app, account).await;
    assert_ne!(secret, backend::demo::DEMO_TOTP_SECRET, "a new secret");
    let confirmed = lead
        .post_form(
            "/api/double-authentification/confirmer",
            PAGE,
            &[("verification", &code(&secret, 0))],
        )
        .await;
    assert_eq!(confirmed.location(), Some(PAGE));
    assert_eq!(lead.get("/organisations").await.status, StatusCode::OK);
    // Its role requires it: it cannot be removed.
    let kept = lead
        .call(
            "/api/double-authentification/retirer",
            &[("verification", &code(&secret, 1))],
        )
        .await;
    assert_eq!(kept.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        kept.body
            .contains("Votre rôle exige la double authentification"),
        "{}",
        kept.body
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM second_factors WHERE account_id = {account} AND confirmed_at IS NOT NULL", account).await, 1);
    app.finish().await;
}
on_both_engines!(a_role_that_requires_it_enrols_before_anything_else);
