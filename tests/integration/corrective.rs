//! The action plan answering an audit: the SIAE plans corrective actions for its major
//! non-conformity within the programme's delay, declares them done with their evidence; the
//! auditor or the federation checks their efficacy (an ineffective one goes back to the SIAE);
//! the non-conformity is lifted only once every action is effective. The plan is as
//! confidential as the report (each reading recorded); reminders before a deadline and the
//! escalation of a late action go to the outbox once each.

use crate::audit_cycle::{reported, reported_of, UnderAudit};
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

/// The plan of an audit blanc drawn in one step, its fields named as the form names them.
async fn adopt(client: &mut Client, fields: &[(String, String)]) -> Response {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client
        .call("/api/certification/audit-blanc/plan", &pairs)
        .await
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
    let page_of = |siae: i64, kind| {
        format!(
            "https://cedre.exemple.org{}",
            app::url::action_plan(siae, kind)
        )
    };
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

/// An audit blanc's findings become the SIAE's own plan in one step, all or nothing; the SIAE
/// checks its actions itself (never their owner), lifts its non-conformity, and a late action
/// is escalated within the SIAE only. The region and the federation, which did not fund it,
/// never read it.
async fn an_audit_blanc_becomes_the_siae_s_own_plan_in_one_step(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let UnderAudit {
        siae,
        demande,
        mut referent,
        mut federation,
        mut auditor,
    } = reported_of(
        &app,
        "audit_blanc",
        &[(
            "2.3 a",
            "piste_de_progres",
            "Les réunions de régulation ne laissent aucune trace.",
        )],
    )
    .await;
    let today = domain::time::today();
    let id = siae.to_string();
    let plan = format!("/organisations/{siae}/certification/audit-blanc/actions");
    let finding = |kind: &str| {
        format!("SELECT id FROM audit_findings WHERE demande_id = {demande} AND kind = '{kind}'")
    };
    let nc = app.count(&finding("non_conformite_majeure")).await;
    let piste = app.count(&finding("piste_de_progres")).await;
    let actions_sql =
        format!("SELECT COUNT(*) FROM corrective_actions WHERE demande_id = {demande}");

    // The certification page leads to it; there is no certification plan.
    let page = referent
        .get(&format!("/organisations/{siae}/certification"))
        .await;
    assert!(
        page.body.contains("Plan d'actions de l'audit blanc"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Plan d'actions correctives"));
    let certification_plan = referent
        .get(&format!("/organisations/{siae}/certification/actions"))
        .await;
    assert_eq!(certification_plan.status, StatusCode::NOT_FOUND);

    // Read by the SIAE, with the deadlines the programme would allow proposed (3 months for a
    // major non-conformity, 6 for a piste de progrès by default); not by the region nor the
    // federation, which did not fund it, nor another SIAE, nor its auditor once reported.
    let page = referent.get(&plan).await;
    assert_eq!(page.status, StatusCode::OK);
    let major_due = today.checked_add_months(Months::new(3)).unwrap();
    let piste_due = today.checked_add_months(Months::new(6)).unwrap();
    for expected in [
        "Faire des constats de l'audit blanc notre plan d'actions".to_string(),
        "Exigence 2.1 a — Non-conformité majeure".to_string(),
        "Exigence 2.3 a — Piste de progrès".to_string(),
        format!("name=\"champs[e{nc}]\" type=\"date\" value=\"{major_due}\""),
        format!("name=\"champs[e{piste}]\" type=\"date\" value=\"{piste_due}\""),
    ] {
        assert!(page.body.contains(&expected), "{expected}: {}", page.body);
    }
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let mut forez = app.signed_in("referent.forez@cedre.demo").await;
    for (client, status) in [
        (&mut region, StatusCode::FORBIDDEN),
        (&mut federation, StatusCode::FORBIDDEN),
        (&mut forez, StatusCode::NOT_FOUND),
        (&mut auditor, StatusCode::NOT_FOUND),
    ] {
        let refused = client.get(&plan).await;
        assert_eq!(refused.status, status);
        assert!(
            !refused.body.contains("régulation ne laissent"),
            "{}",
            refused.body
        );
    }

    // In one step, whole or not at all.
    let referent_id = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let nc_due = today + Duration::days(10);
    let adoption = |piste_cause: &str| {
        [
            ("siae_id".to_string(), id.clone()),
            ("owner_id".to_string(), referent_id.to_string()),
            (
                format!("champs[a{nc}]"),
                "Tracer chaque entretien d'accueil".to_string(),
            ),
            (
                format!("champs[c{nc}]"),
                "Aucune trame d'entretien".to_string(),
            ),
            (format!("champs[e{nc}]"), nc_due.to_string()),
            (
                format!("champs[a{piste}]"),
                "Tenir un relevé de décisions".to_string(),
            ),
            (format!("champs[c{piste}]"), piste_cause.to_string()),
            (format!("champs[e{piste}]"), piste_due.to_string()),
        ]
    };
    // An owner reads the plan that names them (its reminders link to it): not an accompagnateur.
    let accompagnateur_id = app
        .id_of(("accounts", "email"), "accompagnateur@cedre.demo")
        .await;
    let mut to_accompagnateur = adoption("Aucun relevé prévu");
    to_accompagnateur[1].1 = accompagnateur_id.to_string();
    let unread_owner = adopt(&mut referent, &to_accompagnateur).await;
    assert_eq!(unread_owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unread_owner
            .body
            .contains("Choisissez le responsable parmi les comptes de la structure."),
        "{}",
        unread_owner.body
    );
    let incomplete = adopt(&mut referent, &adoption(" ")).await;
    assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        incomplete.body.contains("La cause est obligatoire."),
        "{}",
        incomplete.body
    );
    assert_eq!(app.count(&actions_sql).await, 0);
    let by_federation = adopt(&mut federation, &adoption("Aucun relevé prévu")).await;
    assert_eq!(by_federation.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count(&actions_sql).await, 0);
    let adopted = adopt(&mut referent, &adoption("Aucun relevé prévu")).await;
    assert_eq!(adopted.status, StatusCode::OK, "{}", adopted.body);
    assert_eq!(app.count(&actions_sql).await, 2);
    let again = adopt(&mut referent, &adoption("Aucun relevé prévu")).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count(&actions_sql).await, 2);
    let page = referent.get(&plan).await;
    assert!(
        !page.body.contains("Établir le plan d'actions"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Tenir un relevé de décisions"),
        "{}",
        page.body
    );

    // A late action is escalated to the SIAE alone, with the link to this plan.
    let page_of = |siae: i64, kind| {
        format!(
            "https://cedre.exemple.org{}",
            app::url::action_plan(siae, kind)
        )
    };
    backend::corrective::remind(&app.db, nc_due + Duration::days(1), &page_of)
        .await
        .unwrap();
    assert_eq!(
        recipients(&app).await,
        ["referent@cedre.demo", "direction@cedre.demo"]
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM mail_outbox WHERE body LIKE '%tiré de son audit blanc%' \
             AND body LIKE '%/organisations/{siae}/certification/audit-blanc/actions%'"
        ))
        .await,
        2
    );

    // Declared done; checked by the SIAE, never by the action's owner nor by the federation.
    let first = app
        .id_of(
            ("corrective_actions", "description"),
            "Tracer chaque entretien d'accueil",
        )
        .await;
    let kind = ("kind", "audit_blanc".to_string());
    let done = call(
        &mut referent,
        "/realiser",
        &[
            ("siae_id", id.clone()),
            kind.clone(),
            ("action_id", first.to_string()),
            ("evidence", "Registre des entretiens".to_string()),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let verify = [
        ("siae_id", id.clone()),
        kind.clone(),
        ("action_id", first.to_string()),
        ("efficace", "oui".to_string()),
        ("comment", String::new()),
    ];
    // The page offers the check to the direction, not to the action's owner.
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let check_form = "Enregistrer la vérification";
    assert!(!referent.get(&plan).await.body.contains(check_form));
    assert!(direction.get(&plan).await.body.contains(check_form));
    let by_owner = call(&mut referent, "/verifier", &verify).await;
    assert_eq!(by_owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        by_owner
            .body
            .contains("Vous êtes responsable de cette action"),
        "{}",
        by_owner.body
    );
    let by_federation = call(&mut federation, "/verifier", &verify).await;
    assert_eq!(by_federation.status, StatusCode::FORBIDDEN);
    assert_eq!(state_of(&app, first).await, "realisee");
    let checked = call(&mut direction, "/verifier", &verify).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert_eq!(state_of(&app, first).await, "efficace");

    // The non-conformity is lifted by the SIAE; a piste de progrès is taken up, never lifted.
    let lift = |item: i64| {
        [
            ("siae_id", id.clone()),
            kind.clone(),
            ("item", item.to_string()),
        ]
    };
    let lifted = call(&mut direction, "/lever", &lift(nc)).await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
    let not_liftable = call(&mut direction, "/lever", &lift(piste)).await;
    assert_eq!(not_liftable.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM corrective_liftings WHERE demande_id = {demande}"
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'correctif.%' AND entity_id = {demande}"
        ))
        .await,
        // Drawn in one step, 1 declared, 1 checked, 1 lifted.
        4
    );
    app.finish().await;
}

on_both_engines!(an_audit_blanc_becomes_the_siae_s_own_plan_in_one_step);
