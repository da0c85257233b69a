use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

async fn the_audit_trail_is_append_only(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let before = app.count("SELECT COUNT(*) FROM audit_events").await;
    assert!(before > 0);
    for sql in [
        "UPDATE audit_events SET summary = 'effacé'",
        "DELETE FROM audit_events",
    ] {
        let error = sqlx::query(sql).execute(&app.db.pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_events").await, before);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE summary = 'effacé'")
            .await,
        0
    );
    app.finish().await;
}
on_both_engines!(the_audit_trail_is_append_only);

async fn administrators_browse_and_filter_the_trail(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let id = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await
        .to_string();
    admin
        .post_form(
            "/api/comptes/modifier",
            &format!("/administration/comptes/{id}"),
            &[
                ("id", &id),
                ("email", "direction@cedre.demo"),
                ("display_name", "Pierre Morel-Durand"),
            ],
        )
        .await;
    let accounts_only = admin
        .get("/administration/journal?objet=compte&auteur=camille")
        .await;
    assert_eq!(accounts_only.status, StatusCode::OK);
    assert!(accounts_only
        .body
        .contains("Modification du compte de Pierre Morel-Durand"));
    assert!(accounts_only.body.contains("Pierre Morel-Durand"));
    assert!(
        !accounts_only
            .body
            .contains("Création de l&#39;organisation")
            && !accounts_only.body.contains("Création de l'organisation")
    );
    let organisations = admin
        .get("/administration/journal?objet=organisation")
        .await;
    assert!(!organisations.body.contains("Modification du compte"));
    let past = admin.get("/administration/journal?au=2000-01-01").await;
    assert!(past.body.contains("Aucune entrée"));
    // More entries than a page holds: the first page links to the next one.
    for i in 0..backend::audit::PAGE_SIZE {
        let name = format!("Pierre Morel {i}");
        admin
            .post_form(
                "/api/comptes/modifier",
                &format!("/administration/comptes/{id}"),
                &[
                    ("id", &id),
                    ("email", "direction@cedre.demo"),
                    ("display_name", &name),
                ],
            )
            .await;
    }
    assert!(admin
        .get("/administration/journal")
        .await
        .body
        .contains("Plus anciens"));
    assert!(admin
        .get("/administration/journal?page=1")
        .await
        .body
        .contains("Plus récents"));
    app.finish().await;
}
on_both_engines!(administrators_browse_and_filter_the_trail);
