//! Demo accounts stay in the demo: the published password is refused outside a database loaded by
//! `cedre demo`, and a demonstration installation says so on every page.

use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

async fn a_demonstration_says_so_on_every_page(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut visitor = app.client();
    let login = visitor.get("/connexion").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(
        login.body.contains("class=\"bandeau-demo\"") && login.body.contains("Démonstration"),
        "{}",
        login.body
    );
    let mut referent = app.signed_in("referent@cedre.demo").await;
    for path in ["/", "/organisations", "/page-inconnue"] {
        let page = referent.get(path).await;
        assert!(page.body.contains("class=\"bandeau-demo\""), "{path}");
    }
    app.finish().await;

    // An installation that `cedre demo` did not load shows no banner.
    let Some(app) = TestApp::start(engine).await else {
        return;
    };
    let login = app.client().get("/connexion").await;
    assert_eq!(login.status, StatusCode::OK);
    assert!(!login.body.contains("bandeau-demo"));
    app.finish().await;
}
on_both_engines!(a_demonstration_says_so_on_every_page);

async fn the_published_password_is_closed_outside_a_demonstration(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    backend::accounts::create_administrator(
        &app.db,
        "vraie.admin@coorace.fr",
        "Vraie Administratrice",
        "un mot de passe bien à elle",
        false,
        "COORACE — Fédération nationale",
    )
    .await
    .unwrap();
    let active = "SELECT COUNT(*) FROM accounts WHERE active = 1";
    let demo_accounts = backend::demo::ACCOUNTS.len() as i64;
    assert_eq!(app.count(active).await, demo_accounts + 1);

    // In the demonstration the demo accounts are what it is for: nothing changes.
    assert!(backend::demo::disable_published_passwords(&app.db)
        .await
        .unwrap()
        .is_empty());
    let mut referent = app.signed_in("referent@cedre.demo").await;
    assert_eq!(referent.get("/").await.status, StatusCode::OK);

    // The same accounts in a database not loaded by `cedre demo` (a copy put in production,
    // or the demo password chosen by hand): `cedre serve` disables them before serving.
    sqlx::query("DELETE FROM instance_settings WHERE key = 'demo'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let disabled = backend::demo::disable_published_passwords(&app.db)
        .await
        .unwrap();
    assert_eq!(disabled.len() as i64, demo_accounts);
    assert!(disabled.contains(&"admin@cedre.demo".to_string()));
    assert_eq!(app.count(active).await, 1, "only the real account is left");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action = 'compte.desactivation'")
            .await,
        demo_accounts
    );
    // Their sessions ended, and the published password no longer opens them.
    assert_eq!(referent.get("/").await.location(), Some("/connexion"));
    let mut visitor = app.client();
    assert_ne!(
        visitor
            .login("admin@cedre.demo", backend::demo::DEMO_PASSWORD)
            .await
            .location(),
        Some("/")
    );
    // A second start finds nothing more to do; the real administrator still signs in.
    assert!(backend::demo::disable_published_passwords(&app.db)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        app.client()
            .login("vraie.admin@coorace.fr", "un mot de passe bien à elle")
            .await
            .location(),
        Some("/")
    );
    app.finish().await;
}
on_both_engines!(the_published_password_is_closed_outside_a_demonstration);
