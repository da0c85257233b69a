//! The security journal: what it records, who reads it, and its purge.

use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

const NEW_PASSWORD: &str = "trois pommes sur la table";

async fn count_kind(app: &TestApp, kind: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) FROM security_events WHERE kind = '{kind}'"
    ))
    .await
}

async fn sign_ins_refusals_and_changes_are_journaled_for_administrators(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut stranger = app.client().from_address("203.0.113.5");
    stranger.login("direction@cedre.demo", "pas le bon").await;
    stranger.login("personne@cedre.demo", "pas le bon").await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    assert_eq!(
        referent.get("/administration/comptes").await.status,
        StatusCode::FORBIDDEN
    );
    let refused = referent
        .post_form(
            "/api/comptes/creer",
            "/",
            &[("email", "x@y.fr"), ("display_name", "X")],
        )
        .await;
    assert_eq!(refused.location(), Some("/interdit"));
    assert_eq!(
        referent.get("/interdit").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        referent.get("/administration/securite").await.status,
        StatusCode::FORBIDDEN,
        "administrators only"
    );
    referent
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
    referent
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
    referent.post_form("/api/deconnexion", "/", &[]).await;

    assert_eq!(count_kind(&app, "connexion_refusee").await, 2);
    assert_eq!(count_kind(&app, "connexion").await, 1);
    assert_eq!(
        count_kind(&app, "acces_refuse").await,
        3,
        "the page, the post, the journal"
    );
    assert_eq!(count_kind(&app, "mot_de_passe_refuse").await, 1);
    assert_eq!(count_kind(&app, "mot_de_passe").await, 1);
    assert_eq!(count_kind(&app, "deconnexion").await, 1);

    let mut admin = app.signed_in("admin@cedre.demo").await;
    let page = admin.get("/administration/securite").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "<td>Connexion refusée</td>",
        "mot de passe incorrect",
        "adresse inconnue",
        "personne@cedre.demo",
        "203.0.113.5",
        "<td>Accès refusé</td>",
        "GET /administration/comptes",
        "POST /api/comptes/creer",
        "<td>Mot de passe changé</td>",
        "mot de passe actuel incorrect",
        "<td>Déconnexion</td>",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    assert!(admin
        .get("/administration/journal")
        .await
        .body
        .contains("href=\"/administration/securite\""));
    let refusals = admin
        .get("/administration/securite?type=acces_refuse&compte=referent")
        .await
        .body;
    assert_eq!(
        refusals.matches("<td>Accès refusé</td>").count(),
        3,
        "{refusals}"
    );
    assert!(!refusals.contains("<td>Déconnexion</td>"));
    let by_address = admin
        .get("/administration/securite?adresse=203.0.113")
        .await
        .body;
    assert_eq!(by_address.matches("<td>Connexion refusée</td>").count(), 2);
    assert!(!by_address.contains("<td>Connexion</td>"));

    // Append-only: no change, no early removal.
    assert!(sqlx::query("UPDATE security_events SET account = 'x'")
        .execute(&app.db.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM security_events")
        .execute(&app.db.pool)
        .await
        .is_err());
    app.finish().await;
}
on_both_engines!(sign_ins_refusals_and_changes_are_journaled_for_administrators);

async fn the_journal_is_purged_past_its_retention_period(engine: Engine) {
    let Some(app) = TestApp::start(engine).await else {
        return;
    };
    for days in [400, 200, 40, 10] {
        sqlx::query(
            "INSERT INTO security_events (occurred_at, kind, account_id, account, address, detail) \
             VALUES ($1, 'connexion', NULL, $2, '192.0.2.1', '')",
        )
        .bind(domain::time::to_stored(
            chrono::Utc::now() - chrono::Duration::days(days),
        ))
        .bind(format!("il y a {days} jours"))
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    assert_eq!(backend::security::purge(&app.db, 365).await.unwrap(), 1);
    assert_eq!(backend::security::purge(&app.db, 180).await.unwrap(), 1);
    assert_eq!(backend::security::purge(&app.db, 30).await.unwrap(), 1);
    assert!(backend::security::purge(&app.db, 7)
        .await
        .unwrap_err()
        .to_string()
        .contains("au moins 30 jours"));
    assert!(
        sqlx::query("DELETE FROM security_events")
            .execute(&app.db.pool)
            .await
            .is_err(),
        "the database itself keeps the last 30 days"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM security_events").await, 1);
    app.finish().await;
}
on_both_engines!(the_journal_is_purged_past_its_retention_period);
