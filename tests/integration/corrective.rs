//! The action plan answering an audit: the SIAE plans corrective actions for its major
//! non-conformity within the programme's delay, declares them done with their evidence; the
//! auditor or the federation checks their efficacy (an ineffective one goes back to the SIAE);
//! the non-conformity is lifted only once every action is effective. The plan is as
//! confidential as the report (each reading recorded); reminders before a deadline and the
//! escalation of a late action go to the outbox once each.

use crate::audit_cycle::{reported, UnderAudit};
use chrono::{Duration, Months};
use http::StatusCode;
use tests::{on_both_engines, Client, Engine, Response, TestApp};

async fn call(client: &mut Client, path: &str, pairs: &[(&str, String)]) -> Response {
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client
        .call(&format!("/api/certification/actions{path}"), &pairs)
        .await
}

async fn state_of(app: &TestApp, action: i64) -> String {
    use sqlx::Row;
    sqlx::query("SELECT state FROM corrective_actions WHERE id = $1")
        .bind(action)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get("state")
}

async fn recipients(app: &TestApp) -> Vec<String> {
    use sqlx::Row;
    sqlx::query(
        "SELECT to_address FROM mail_outbox WHERE subject LIKE '%action corrective%' ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("to_address"))
    .collect()
}

fn display(day: chrono::NaiveDate) -> String {
    day.format("%d/%m/%Y").to_string()
}

async fn a_non_conformity_is_lifted_once_its_actions_are_found_effective(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let UnderAudit {
        siae,
        demande,
        mut referent,
        mut federation,
        mut auditor,
    } = reported(&app).await;
    let today = domain::time::today();
    let plan = format!("/organisations/{siae}/certification/actions");
    let id = siae.to_string();
    let finding = app
        .count(&format!(
            "SELECT id FROM audit_findings WHERE demande_id = {demande} AND kind = 'non_conformite_majeure'"
        ))
        .await;
    let item = finding.to_string();
    let readings_sql = format!("SELECT COUNT(*) FROM report_readings WHERE demande_id = {demande}");
    let readings = || app.count(&readings_sql);

    // The SIAE reads its plan (a reading of the report); the region and another SIAE do not.
    let latest = today.checked_add_months(Months::new(3)).unwrap();
    let before = readings().await;
    let page = referent.get(&plan).await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Exigence 2.1 a — Non-conformité majeure".to_string(),
        "Aucun entretien d'accueil n'est tracé.".to_string(),
        format!("À lever au plus tard le {}.", display(latest)),
        "Non levée.".to_string(),
    ] {
        assert!(page.body.contains(&expected), "{expected}: {}", page.body);
    }
    assert_eq!(readings().await, before + 1);
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let refused = region.get(&plan).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("entretien d"), "{}", refused.body);
    let mut forez = app.signed_in("referent.forez@cedre.demo").await;
    let hidden = forez.get(&plan).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(!hidden.body.contains("entretien d"));

    // Planned within the programme's delay, with an owner of the SIAE.
    let referent_id = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let direction_id = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await;
    let action = |description: &str, owner: i64, due: chrono::NaiveDate| {
        vec![
            ("siae_id", id.clone()),
            ("item", item.clone()),
            ("description", description.to_string()),
            ("root_cause", "L'entretien n'a pas de trame.".to_string()),
            ("owner_id", owner.to_string()),
            ("due_on", due.to_string()),
        ]
    };
    let too_late = call(
        &mut referent,
        "/prevoir",
        &action(
            "Tracer chaque entretien",
            referent_id,
            latest + Duration::days(1),
        ),
    )
    .await;
    assert_eq!(too_late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        too_late.body.contains(&format!(
            "L'échéance ne peut dépasser le {}, délai fixé par le programme.",
            display(latest)
        )),
        "{}",
        too_late.body
    );
    let forez_id = app
        .id_of(("accounts", "email"), "referent.forez@cedre.demo")
        .await;
    let foreign_owner = call(
        &mut referent,
        "/prevoir",
        &action("Tracer chaque entretien", forez_id, latest),
    )
    .await;
    assert_eq!(foreign_owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM corrective_actions").await,
        0
    );
    let by_auditor = call(
        &mut auditor,
        "/prevoir",
        &action("Intrusion", referent_id, latest),
    )
    .await;
    assert_eq!(by_auditor.status, StatusCode::NOT_FOUND);
    for (description, owner, due) in [
        (
            "Écrire la trame d'entretien",
            referent_id,
            today + Duration::days(30),
        ),
        (
            "Former l'équipe à la trame",
            direction_id,
            today + Duration::days(3),
        ),
    ] {
        let planned = call(&mut referent, "/prevoir", &action(description, owner, due)).await;
        assert_eq!(planned.status, StatusCode::OK, "{}", planned.body);
    }
    let first = app
        .id_of(
            ("corrective_actions", "description"),
            "Écrire la trame d'entretien",
        )
        .await;
    let second = app
        .id_of(
            ("corrective_actions", "description"),
            "Former l'équipe à la trame",
        )
        .await;

    // The reminder before the deadline goes to the owner and the référent, once; the
    // escalation of a late action to the SIAE, its region and the federation, once.
    let page_of =
        |siae: i64| format!("https://cedre.exemple.org/organisations/{siae}/certification/actions");
    backend::corrective::remind(&app.db, today, &page_of)
        .await
        .unwrap();
    assert_eq!(
        recipients(&app).await,
        ["direction@cedre.demo", "referent@cedre.demo"]
    );
    backend::corrective::remind(&app.db, today, &page_of)
        .await
        .unwrap();
    assert_eq!(recipients(&app).await.len(), 2, "once");
    backend::corrective::remind(&app.db, today + Duration::days(4), &page_of)
        .await
        .unwrap();
    assert_eq!(
        recipients(&app).await[2..],
        [
            "referent@cedre.demo",
            "direction@cedre.demo",
            "rq-region@cedre.demo",
            "rq-federal@cedre.demo"
        ]
    );

    // Nothing is lifted while an action is open.
    let lift = vec![("siae_id", id.clone()), ("item", item.clone())];
    let early = call(&mut federation, "/lever", &lift).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("pas encore close"), "{}", early.body);

    // Declared done with evidence; checked: not effective (back to the SIAE), then effective.
    let declare = |action: i64, evidence: &str| {
        vec![
            ("siae_id", id.clone()),
            ("action_id", action.to_string()),
            ("evidence", evidence.to_string()),
        ]
    };
    let verify = |action: i64, effective: &str, comment: &str| {
        vec![
            ("siae_id", id.clone()),
            ("action_id", action.to_string()),
            ("efficace", effective.to_string()),
            ("comment", comment.to_string()),
        ]
    };
    let without_evidence = call(&mut referent, "/realiser", &declare(first, " ")).await;
    assert_eq!(without_evidence.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(state_of(&app, first).await, "ouverte");
    let done = call(
        &mut referent,
        "/realiser",
        &declare(first, "Trame du 2 décembre"),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(state_of(&app, first).await, "realisee");
    let self_checked = call(&mut referent, "/verifier", &verify(first, "oui", "")).await;
    assert_eq!(self_checked.status, StatusCode::FORBIDDEN);
    assert_eq!(state_of(&app, first).await, "realisee");
    let unexplained = call(&mut auditor, "/verifier", &verify(first, "non", "")).await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sent_back = call(
        &mut auditor,
        "/verifier",
        &verify(first, "non", "La trame n'est pas utilisée."),
    )
    .await;
    assert_eq!(sent_back.status, StatusCode::OK, "{}", sent_back.body);
    assert_eq!(state_of(&app, first).await, "ouverte");
    for action in [first, second] {
        let done = call(
            &mut referent,
            "/realiser",
            &declare(action, "Registre des entretiens"),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    let checked = call(&mut auditor, "/verifier", &verify(first, "oui", "")).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    let still_one = call(&mut auditor, "/lever", &lift).await;
    assert_eq!(still_one.status, StatusCode::UNPROCESSABLE_ENTITY);
    let checked = call(&mut federation, "/verifier", &verify(second, "oui", "")).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);

    // Lifted, once; nothing more is planned for it.
    let by_siae = call(&mut referent, "/lever", &lift).await;
    assert_eq!(by_siae.status, StatusCode::FORBIDDEN);
    let lifted = call(&mut auditor, "/lever", &lift).await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM corrective_liftings WHERE finding_id = {finding}"
        ))
        .await,
        1
    );
    let again = call(&mut federation, "/lever", &lift).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let after = call(
        &mut referent,
        "/prevoir",
        &action("Encore une", referent_id, latest),
    )
    .await;
    assert_eq!(after.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = referent.get(&plan).await;
    assert!(page.body.contains("Levée le"), "{}", page.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'correctif.%' AND entity_id = {demande}"
        ))
        .await,
        // 2 planned, 3 declared, 3 checked, 1 lifted.
        9
    );
    app.finish().await;
}

on_both_engines!(a_non_conformity_is_lifted_once_its_actions_are_found_effective);
