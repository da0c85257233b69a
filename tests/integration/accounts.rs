use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

async fn administrator_manages_accounts(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let before = app.count("SELECT COUNT(*) FROM accounts").await;

    for (email, name, message) in [
        ("pas-une-adresse", "Jeanne", "n&#39;est pas valide"),
        ("referent@cedre.demo", "Jeanne", "déjà cette adresse"),
        ("jeanne@exemple.fr", "  ", "nom affiché est obligatoire"),
    ] {
        let response = admin
            .post_form(
                "/api/comptes/creer",
                "/administration/comptes",
                &[("email", email), ("display_name", name)],
            )
            .await;
        tests::assert_back_to(&response, "/administration/comptes");
        let page = admin.get("/administration/comptes").await;
        assert!(
            page.body.contains(message) || page.body.contains(&message.replace("&#39;", "'")),
            "{email}: {}",
            page.body
        );
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts").await,
        before,
        "refused creations wrote nothing"
    );

    admin
        .post_form(
            "/api/comptes/creer",
            "/administration/comptes",
            &[
                ("email", "Jeanne@Exemple.fr"),
                ("display_name", "Jeanne Roux"),
            ],
        )
        .await;
    let id = app.id_of(("accounts", "email"), "jeanne@exemple.fr").await;
    let path = format!("/administration/comptes/{id}");
    let page = admin.get(&path).await;
    assert!(
        page.body.contains("Mot de passe temporaire"),
        "{}",
        page.body
    );
    // The temporary password is shown once: the next visit no longer carries it.
    assert!(!admin.get(&path).await.body.contains("première connexion :"));

    let id_text = id.to_string();
    admin
        .post_form(
            "/api/comptes/modifier",
            &path,
            &[
                ("id", &id_text),
                ("email", "jeanne.roux@exemple.fr"),
                ("display_name", "Jeanne Roux"),
            ],
        )
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM accounts WHERE email = 'jeanne.roux@exemple.fr'")
            .await,
        1
    );

    admin
        .post_form("/api/comptes/reinitialiser", &path, &[("id", &id_text)])
        .await;
    assert!(admin
        .get(&path)
        .await
        .body
        .contains("Nouveau mot de passe temporaire"));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE entity_type = 'compte' AND entity_id = {id}"
        ))
        .await,
        3,
        "creation, edition and reset are in the trail"
    );
    app.finish().await;
}
on_both_engines!(administrator_manages_accounts);

async fn an_administrator_cannot_lock_themself_out(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let id = app
        .id_of(("accounts", "email"), "admin@cedre.demo")
        .await
        .to_string();
    let path = format!("/administration/comptes/{id}");
    admin
        .post_form(
            "/api/comptes/activer",
            &path,
            &[("id", &id), ("active", "false")],
        )
        .await;
    assert!(admin.get(&path).await.body.contains("votre propre compte"));
    let membership = app
        .count(&format!(
            "SELECT id FROM memberships WHERE account_id = {id}"
        ))
        .await
        .to_string();
    admin
        .post_form(
            "/api/comptes/roles/retirer",
            &path,
            &[("account_id", &id), ("membership_id", &membership)],
        )
        .await;
    let page = admin.get(&path).await.body;
    assert!(page.contains("retirer votre propre rôle"), "{page}");
    assert_eq!(
        admin.get("/administration/comptes").await.status,
        StatusCode::OK,
        "still an administrator"
    );
    app.finish().await;
}
on_both_engines!(an_administrator_cannot_lock_themself_out);
