//! An account that must change its password reaches nothing but the password change: plain HTTP
//! routes (evidence upload and download, CSV and PDF exports) are closed like pages and server
//! functions, and answer with the redirection, never with data.

use http::StatusCode;
use tests::{on_both_engines, Engine, TestApp};

async fn every_route_waits_for_the_new_password(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let rennes = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let pdf = b"%PDF-1.4\n% plan de formation confidentiel\n%%EOF\n";
    let stored = crate::uploads::upload(&mut referent, rennes, "plan.pdf", pdf).await;
    assert!(stored.status.is_redirection());
    let id = app.count("SELECT id FROM evidence_documents").await;
    // Before: the routes answer with data.
    assert_eq!(
        referent
            .get(&format!("/organisations/{rennes}/preuves/{id}"))
            .await
            .status,
        StatusCode::OK
    );

    // An administrator resets the password: the next request must change it first.
    sqlx::query("UPDATE accounts SET must_change_password = 1 WHERE email = 'referent@cedre.demo'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    for path in [
        format!("/organisations/{rennes}/preuves/{id}"),
        format!("/organisations/{rennes}/referentiel.csv"),
        format!("/organisations/{rennes}/referentiel.pdf"),
        format!("/organisations/{rennes}/referentiel"),
    ] {
        let response = referent.get(&path).await;
        assert_eq!(
            (response.status, response.location()),
            (StatusCode::SEE_OTHER, Some("/mot-de-passe")),
            "{path}"
        );
        assert!(
            !response.body.contains("confidentiel")
                && !response.body.contains("Emploi Solidaire")
                && !response.body.starts_with("%PDF"),
            "{path}: {}",
            response.body
        );
    }
    let upload = crate::uploads::upload(&mut referent, rennes, "autre.pdf", pdf).await;
    assert_eq!(
        (upload.status, upload.location()),
        (StatusCode::SEE_OTHER, Some("/mot-de-passe"))
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evidence_documents").await,
        1,
        "nothing was stored"
    );
    // The password change itself stays open.
    assert_eq!(referent.get("/mot-de-passe").await.status, StatusCode::OK);
    app.finish().await;
}
on_both_engines!(every_route_waits_for_the_new_password);
