use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

fn siae_form<'a>(name: &'a str, siret: &'a str, region: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("draft[kind]", "siae"),
        ("draft[name]", name),
        ("draft[siret]", siret),
        ("draft[siae_type]", "ACI"),
        ("draft[region_id]", region),
        ("draft[entry_date]", "2026-01-05"),
        ("draft[funded_fte]", "2,5"),
        ("draft[city]", "Morlaix"),
    ]
}

async fn administrator_creates_and_edits_an_organisation(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let region = app
        .id_of(("organisations", "name"), "COORACE Bretagne")
        .await
        .to_string();
    let before = app.count("SELECT COUNT(*) FROM organisations").await;
    let audit_before = app.count("SELECT COUNT(*) FROM audit_events").await;

    // A wrong SIRET is refused with a French message, and nothing is written.
    let refused = admin
        .post_form(
            "/api/organisations/creer",
            "/organisations/nouvelle",
            &siae_form("Ateliers du Léon", "12345678901234", &region),
        )
        .await;
    tests::assert_back_to(&refused, "/organisations/nouvelle");
    let form = admin.get("/organisations/nouvelle").await;
    assert!(form.body.contains("clé de contrôle"), "{}", form.body);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations").await,
        before
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audit_before
    );

    // A SIRET already used is refused too.
    let taken = admin
        .post_form(
            "/api/organisations/creer",
            "/organisations/nouvelle",
            &siae_form("Doublon", "826 018 159 08302", &region),
        )
        .await;
    tests::assert_back_to(&taken, "/organisations/nouvelle");
    assert!(admin
        .get("/organisations/nouvelle")
        .await
        .body
        .contains("déjà ce SIRET"));

    let created = admin
        .post_form(
            "/api/organisations/creer",
            "/organisations/nouvelle",
            &siae_form("Ateliers du Léon", "120 027 016 00019", &region),
        )
        .await;
    let id = app
        .id_of(("organisations", "name"), "Ateliers du Léon")
        .await;
    assert_eq!(
        created.location(),
        Some(format!("/organisations/{id}").as_str())
    );
    let page = admin.get(&format!("/organisations/{id}")).await;
    assert!(
        page.body.contains("a été créée")
            && page.body.contains("120 027 016 00019")
            && page.body.contains("2,5")
    );
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) FROM audit_events WHERE action = 'organisation.creation' AND entity_id = {id}")).await,
        1
    );

    let mut edit = siae_form("Ateliers du Léon", "120 027 016 00019", &region);
    edit[6] = ("draft[funded_fte]", "3");
    let path = format!("/organisations/{id}/modifier");
    let id_text = id.to_string();
    let mut fields = vec![("id", id_text.as_str())];
    fields.extend(edit);
    admin
        .post_form("/api/organisations/modifier", &path, &fields)
        .await;
    let changes: String = {
        use sqlx::Row;
        sqlx::query("SELECT changes FROM audit_events WHERE action = 'organisation.modification'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .try_get("changes")
            .unwrap()
    };
    assert_eq!(
        serde_json::from_str::<domain::audit::AuditEvent>(&changes).unwrap(),
        domain::audit::AuditEvent::OrganisationUpdated {
            organisation_id: id,
            name: "Ateliers du Léon".into(),
            changes: vec![domain::audit::FieldChange {
                field: "etp_finances".into(),
                before: "2,5".into(),
                after: "3".into(),
            }],
        }
    );

    // The regional referent of the region now sees it; the one of another region does not.
    assert_eq!(
        app.signed_in("rq-region@cedre.demo")
            .await
            .get(&format!("/organisations/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.signed_in("rq-aura@cedre.demo")
            .await
            .get(&format!("/organisations/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}
on_both_engines!(administrator_creates_and_edits_an_organisation);

async fn memberships_must_fit_the_organisation(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let account = app
        .id_of(("accounts", "email"), "referent.forez@cedre.demo")
        .await
        .to_string();
    let region = app
        .id_of(("organisations", "name"), "COORACE Auvergne-Rhône-Alpes")
        .await
        .to_string();
    let path = format!("/administration/comptes/{account}");
    let wrong = [
        ("account_id", account.as_str()),
        ("organisation_id", region.as_str()),
        ("role", "Direction"),
    ];
    admin
        .post_form("/api/comptes/roles/ajouter", &path, &wrong)
        .await;
    let page = admin.get(&path).await.body;
    assert!(
        page.contains("exerce dans une organisation de type"),
        "{page}"
    );
    let right = [
        ("account_id", account.as_str()),
        ("organisation_id", region.as_str()),
        ("role", "MembreCaRegional"),
    ];
    admin
        .post_form("/api/comptes/roles/ajouter", &path, &right)
        .await;
    let mut karim = app.signed_in("referent.forez@cedre.demo").await;
    let grenoble = app
        .id_of(("organisations", "name"), "Chantier Nature Dauphiné")
        .await;
    assert_eq!(
        karim
            .get(&format!("/organisations/{grenoble}"))
            .await
            .status,
        StatusCode::OK,
        "the new role adds its rights"
    );
    app.finish().await;
}
on_both_engines!(memberships_must_fit_the_organisation);

async fn demo_data_refuses_a_database_in_use(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let error = backend::demo::load(&app.db).await.unwrap_err();
    assert!(error.to_string().contains("contient déjà"), "{error}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations WHERE kind = 'siae'")
            .await,
        7
    );
    let types = app
        .count("SELECT COUNT(DISTINCT siae_type) FROM organisations")
        .await;
    assert_eq!(types, 5, "every SIAE type is represented");
    app.finish().await;
}
on_both_engines!(demo_data_refuses_a_database_in_use);
