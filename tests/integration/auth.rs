use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

async fn login_shows_errors_and_logout_ends_the_session(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut client = app.client();

    let refused = client
        .login("admin@cedre.demo", "mauvais mot de passe")
        .await;
    assert_eq!(refused.status, StatusCode::FOUND);
    tests::assert_back_to(&refused, "/connexion");
    assert!(!client.cookies.contains_key("cedre_session"));
    let page = client.get("/connexion").await;
    assert!(
        page.body
            .contains("Adresse électronique ou mot de passe incorrect."),
        "{}",
        page.body
    );
    // The message is shown once.
    assert!(!client.get("/connexion").await.body.contains("incorrect"));

    let password = client.login("Admin@Cedre.demo ", "cedre-demo-2026").await;
    assert_eq!(password.location(), Some("/connexion/code?suite=%2F"));
    let code = app.demo_code("admin@cedre.demo").await;
    let accepted = client.login_code(&code).await;
    assert_eq!(accepted.location(), Some("/"));
    let home = client.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Camille Martin"));
    let old_session = client.cookies["cedre_session"].clone();

    let logout = client.post_form("/api/deconnexion", "/", &[]).await;
    assert_eq!(logout.location(), Some("/connexion"));
    assert!(!client.cookies.contains_key("cedre_session"));
    // The old cookie no longer opens anything.
    client.cookies.insert("cedre_session".into(), old_session);
    assert_eq!(client.get("/").await.location(), Some("/connexion"));
    app.finish().await;
}
on_both_engines!(login_shows_errors_and_logout_ends_the_session);

async fn login_rotates_the_session(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let referent = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let direction = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await;
    let mut client = app.signed_in("referent@cedre.demo").await;
    let first = client.cookies["cedre_session"].clone();
    assert_eq!(
        session_hashes(&app, referent).await,
        [app.ctx.sessions.token_hash(&first)],
        "the database holds the hash of the cookie's token"
    );

    // The same account signs in again in the same browser: a new token, and the old one ends.
    let again = client.login("referent@cedre.demo", "cedre-demo-2026").await;
    assert_eq!(again.location(), Some("/"));
    let second = client.cookies["cedre_session"].clone();
    assert_ne!(first, second, "a new token at each login");
    assert_eq!(
        session_hashes(&app, referent).await,
        [app.ctx.sessions.token_hash(&second)],
        "the session of before the login ended; only the new one remains"
    );
    let mut stale = app.client();
    stale.cookies.insert("cedre_session".into(), first);
    assert_eq!(stale.get("/").await.location(), Some("/connexion"));
    assert_eq!(client.get("/").await.status, StatusCode::OK);

    // Another account signing in in that browser ends the first account's session too.
    client
        .login("direction@cedre.demo", "cedre-demo-2026")
        .await;
    let third = client.cookies["cedre_session"].clone();
    assert!(session_hashes(&app, referent).await.is_empty());
    assert_eq!(
        session_hashes(&app, direction).await,
        [app.ctx.sessions.token_hash(&third)]
    );
    app.finish().await;
}

/// The stored hashes of an account's sessions.
async fn session_hashes(app: &TestApp, account_id: i64) -> Vec<String> {
    use sqlx::Row;
    sqlx::query("SELECT token_hash FROM sessions WHERE account_id = $1 ORDER BY token_hash")
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get("token_hash").unwrap())
        .collect()
}
on_both_engines!(login_rotates_the_session);

const ATTACKER: &str = "198.51.100.66";
const OWNER: &str = "203.0.113.10";

async fn login_is_throttled_without_locking_the_owner_out(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut attacker = app.client().from_address(ATTACKER);
    for _ in 0..tests_throttle_free() {
        let refused = attacker
            .call(
                "/api/connexion",
                &[
                    ("email", "direction@cedre.demo"),
                    ("password", "pas le bon"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // From the attacker's address, even the right password now waits.
    let waiting = attacker
        .login("direction@cedre.demo", "cedre-demo-2026")
        .await;
    assert!(!attacker.cookies.contains_key("cedre_session"));
    assert_ne!(waiting.location(), Some("/"));
    assert!(attacker
        .get("/connexion")
        .await
        .body
        .contains("Trop de tentatives"));
    // The owner, from their own address, is not locked out by someone else's failures.
    let mut owner = app.client().from_address(OWNER);
    assert_eq!(
        owner
            .login("direction@cedre.demo", "cedre-demo-2026")
            .await
            .location(),
        Some("/")
    );
    // Another account from the attacker's address is not blocked either.
    let mut colleague = app.client().from_address(ATTACKER);
    assert_eq!(
        colleague
            .login("referent@cedre.demo", "cedre-demo-2026")
            .await
            .location(),
        Some("/")
    );
    // Once the wait is over (here: the last attempt moved back in time), the address may try again.
    sqlx::query("UPDATE login_attempts SET last_attempt_at = $1")
        .bind(domain::time::to_stored(
            chrono::Utc::now() - chrono::Duration::minutes(16),
        ))
        .execute(&app.db.pool)
        .await
        .unwrap();
    let mut later = app.client().from_address(ATTACKER);
    assert_eq!(
        later
            .login("direction@cedre.demo", "cedre-demo-2026")
            .await
            .location(),
        Some("/")
    );
    app.finish().await;
}
on_both_engines!(login_is_throttled_without_locking_the_owner_out);

fn tests_throttle_free() -> i64 {
    backend::throttle::FREE_PER_ACCOUNT_AND_ADDRESS
}

/// Forty wrong passwords sent at once: only the free attempts reach the password check.
async fn parallel_attempts_do_not_slip_past_the_limit(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let attempts: Vec<_> = (0..40)
        .map(|i| {
            let mut client = app.client().from_address(ATTACKER);
            tokio::spawn(async move {
                client
                    .call(
                        "/api/connexion",
                        &[
                            ("email", "direction@cedre.demo"),
                            ("password", &format!("essai {i}")),
                        ],
                    )
                    .await
                    .status
            })
        })
        .collect();
    let mut by_status = std::collections::BTreeMap::new();
    for attempt in attempts {
        *by_status
            .entry(attempt.await.unwrap().as_u16())
            .or_insert(0) += 1;
    }
    assert_eq!(
        by_status,
        std::collections::BTreeMap::from([(422, 5), (429, 35)]),
        "5 passwords checked (422), 35 refused before any check (429)"
    );
    app.finish().await;
}
on_both_engines!(parallel_attempts_do_not_slip_past_the_limit);

/// `X-Forwarded-For` names the client only when a trusted proxy sends it (the test router trusts
/// 10.0.0.0/8).
async fn the_client_address_comes_from_a_trusted_proxy_only(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    for (peer, forwarded, counted_as) in [
        ("10.0.0.5", "203.0.113.77", "203.0.113.77"),
        ("192.0.2.44", "203.0.113.88", "192.0.2.44"),
    ] {
        let mut client = app.client().from_address(peer);
        let request = http::Request::post("/api/connexion")
            .header("host", "cedre.test")
            .header("x-forwarded-for", forwarded)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(axum::body::Body::from(tests::encode_form(&[
                ("email", "direction@cedre.demo"),
                ("password", "pas le bon"),
            ])))
            .unwrap();
        assert_eq!(
            client.send(request).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
        let scope = format!("compte:direction@cedre.demo|adresse:{counted_as}");
        let counted: i64 =
            sqlx::query_scalar("SELECT attempts FROM login_attempts WHERE scope = $1")
                .bind(&scope)
                .fetch_one(&app.db.pool)
                .await
                .unwrap_or_else(|e| panic!("{scope}: {e}"));
        assert_eq!(counted, 1, "{scope}");
    }
    app.finish().await;
}
on_both_engines!(the_client_address_comes_from_a_trusted_proxy_only);

async fn visitors_are_sent_to_the_login_page(engine: Engine) {
    let Some(app) = TestApp::start(engine).await else {
        return;
    };
    let mut client = app.client();
    let response = client.get("/organisations?type=siae").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(
        response.location(),
        Some("/connexion?suite=%2Forganisations%3Ftype%3Dsiae")
    );
    assert_eq!(client.get("/connexion").await.status, StatusCode::OK);
    app.finish().await;
}
on_both_engines!(visitors_are_sent_to_the_login_page);

async fn a_temporary_password_must_be_changed_first(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    admin
        .post_form(
            "/api/comptes/creer",
            "/administration/comptes",
            &[
                ("email", "nouvelle@siae.fr"),
                ("display_name", "Nouvelle Accompagnatrice"),
            ],
        )
        .await;
    let page = admin
        .get(&format!(
            "/administration/comptes/{}",
            app.id_of(("accounts", "email"), "nouvelle@siae.fr").await
        ))
        .await;
    let temporary = page
        .body
        .split("première connexion : ")
        .nth(1)
        .expect("temporary password shown")
        .get(..19)
        .unwrap()
        .to_string();

    let mut newcomer = app.client();
    assert_eq!(
        newcomer
            .login("nouvelle@siae.fr", &temporary)
            .await
            .location(),
        Some("/")
    );
    assert_eq!(
        newcomer.get("/organisations").await.location(),
        Some("/mot-de-passe")
    );
    assert_eq!(newcomer.get("/mot-de-passe").await.status, StatusCode::OK);

    let common = newcomer
        .post_form(
            "/api/mot-de-passe",
            "/mot-de-passe",
            &[
                ("actuel", &temporary),
                ("nouveau", "azertyuiop123"),
                ("confirmation", "azertyuiop123"),
            ],
        )
        .await;
    tests::assert_back_to(&common, "/mot-de-passe");
    assert!(newcomer
        .get("/mot-de-passe")
        .await
        .body
        .contains("parmi les plus courants"));

    let changed = newcomer
        .post_form(
            "/api/mot-de-passe",
            "/mot-de-passe",
            &[
                ("actuel", &temporary),
                ("nouveau", "trois pommes sur la table"),
                ("confirmation", "trois pommes sur la table"),
            ],
        )
        .await;
    assert_eq!(changed.location(), Some("/"));
    assert_eq!(newcomer.get("/").await.status, StatusCode::OK);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.mot_de_passe'")
            .await,
        1
    );
    app.finish().await;
}
on_both_engines!(a_temporary_password_must_be_changed_first);

async fn a_disabled_account_loses_its_session_at_once(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut staff = app.signed_in("accompagnateur@cedre.demo").await;
    assert_eq!(staff.get("/").await.status, StatusCode::OK);
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let id = app
        .id_of(("accounts", "email"), "accompagnateur@cedre.demo")
        .await;
    let path = format!("/administration/comptes/{id}");
    admin
        .post_form(
            "/api/comptes/activer",
            &path,
            &[("id", &id.to_string()), ("active", "false")],
        )
        .await;
    assert_eq!(staff.get("/").await.location(), Some("/connexion"));
    let again = staff
        .login("accompagnateur@cedre.demo", "cedre-demo-2026")
        .await;
    assert_ne!(again.location(), Some("/"));
    assert!(staff
        .get("/connexion")
        .await
        .body
        .contains("Ce compte est désactivé"));
    app.finish().await;
}
on_both_engines!(a_disabled_account_loses_its_session_at_once);

#[tokio::test]
async fn cross_site_posts_are_refused_and_headers_are_set() {
    let app = TestApp::with_demo(Engine::Sqlite).await.unwrap();
    let mut client = app.signed_in("admin@cedre.demo").await;
    for (header, value) in [
        ("origin", "http://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let request = http::Request::post("/api/comptes/creer")
            .header("host", "cedre.test")
            .header(header, value)
            .header("content-type", "application/x-www-form-urlencoded")
            .header(
                "cookie",
                format!("cedre_session={}", client.cookies["cedre_session"]),
            )
            .body(axum::body::Body::from("email=x%40y.fr&display_name=X"))
            .unwrap();
        assert_eq!(
            client.send(request).await.status,
            StatusCode::FORBIDDEN,
            "{header}"
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE email = 'x@y.fr'")
            .await,
        0
    );

    let page = client.get("/").await;
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-"));
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    assert_eq!(page.headers["x-content-type-options"], "nosniff");
    assert_eq!(page.headers["referrer-policy"], "same-origin");
    let cookie = client.login("admin@cedre.demo", "cedre-demo-2026").await;
    let set_cookie = cookie.headers["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    app.finish().await;
}

async fn idle_and_expired_sessions_end(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut idle = app.signed_in("referent@cedre.demo").await;
    let mut expired = app.signed_in("direction@cedre.demo").await;
    let long_ago = domain::time::to_stored(chrono::Utc::now() - chrono::Duration::hours(3));
    let referent = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let direction = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await;
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE account_id = $2")
        .bind(&long_ago)
        .bind(referent)
        .execute(&app.db.pool)
        .await
        .unwrap();
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE account_id = $2")
        .bind(&long_ago)
        .bind(direction)
        .execute(&app.db.pool)
        .await
        .unwrap();
    for client in [&mut idle, &mut expired] {
        let response = client.get("/organisations").await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        assert!(
            !client.cookies.contains_key("cedre_session"),
            "the stale cookie is cleared"
        );
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM sessions").await, 0);
    app.finish().await;
}
on_both_engines!(idle_and_expired_sessions_end);

async fn the_command_line_creates_the_first_administrator(engine: Engine) {
    let Some(app) = TestApp::start(engine).await else {
        return;
    };
    let weak = backend::accounts::create_administrator(
        &app.db,
        "chef@federation.fr",
        "Chef",
        "motdepasse",
        false,
        "Fédération test",
    )
    .await;
    assert!(weak.unwrap_err().to_string().contains("12 caractères"));
    backend::accounts::create_administrator(
        &app.db,
        "chef@federation.fr",
        "Chef",
        "une longue phrase secrète",
        false,
        "Fédération test",
    )
    .await
    .unwrap();
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations WHERE kind = 'federation'")
            .await,
        1
    );
    let mut chef = app.client();
    assert_eq!(
        chef.login("chef@federation.fr", "une longue phrase secrète")
            .await
            .location(),
        Some("/")
    );
    // An administrator sets up a second factor before anything else.
    assert_eq!(
        chef.get("/").await.location(),
        Some("/double-authentification")
    );
    let enrol = chef.get("/double-authentification").await;
    assert!(
        enrol
            .body
            .contains("la double authentification est obligatoire"),
        "{}",
        enrol.body
    );
    // A second one joins the same federation.
    backend::accounts::create_administrator(
        &app.db,
        "adjoint@federation.fr",
        "Adjoint",
        "x-genere-x",
        true,
        "ignoré",
    )
    .await
    .unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM organisations").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.creation'")
            .await,
        2
    );
    app.finish().await;
}
on_both_engines!(the_command_line_creates_the_first_administrator);

/// After login, only a path of this site is followed: not one that a browser would turn into
/// another site by dropping a tab or reading a backslash.
async fn the_redirect_after_login_stays_on_this_site(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    for (next, expected) in [
        ("/organisations", "/organisations"),
        ("/\t/evil.example", "/"),
        ("/\\evil.example", "/"),
        ("//evil.example", "/"),
        ("/\r\n/evil.example", "/"),
    ] {
        let mut client = app.client();
        let response = client
            .post_form(
                "/api/connexion",
                "/connexion",
                &[
                    ("email", "referent@cedre.demo"),
                    ("password", backend::demo::DEMO_PASSWORD),
                    ("suite", next),
                ],
            )
            .await;
        assert_eq!(response.location(), Some(expected), "{next:?}");
    }
    app.finish().await;
}
on_both_engines!(the_redirect_after_login_stays_on_this_site);
