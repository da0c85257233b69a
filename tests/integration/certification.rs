//! A demande de certification through the region: prepared on an issued edition of the manual,
//! submitted with the self-assessment as it is, returned for completion and resubmitted (both
//! rounds kept), decided by the regional board with its meeting, forwarded to the federation —
//! each step by the role that takes it, from the right state only, in the timeline and the
//! audit trail.

use crate::manual::{approved_version, issue_edition, started, Manual};
use http::StatusCode;
use tests::{on_both_engines, Client, Engine, TestApp};

async fn call(client: &mut Client, path: &str, fields: &[(&str, String)]) -> tests::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client
        .call(&format!("/api/certification/demande/{path}"), &pairs)
        .await
}

async fn state(app: &TestApp, demande: i64) -> i64 {
    app.count(&format!(
        "SELECT CASE state WHEN 'brouillon' THEN 1 WHEN 'soumise' THEN 2 WHEN 'a_completer' THEN 3 \
         WHEN 'validee_region' THEN 4 WHEN 'refusee_region' THEN 5 WHEN 'transmise' THEN 6 \
         WHEN 'auditeur_designe' THEN 7 WHEN 'audit_en_cours' THEN 8 END \
         FROM demandes WHERE id = {demande}"
    ))
    .await
}

const BROUILLON: i64 = 1;
const SOUMISE: i64 = 2;
const A_COMPLETER: i64 = 3;
const VALIDEE_REGION: i64 = 4;
const TRANSMISE: i64 = 6;
const AUDITEUR_DESIGNE: i64 = 7;
const AUDIT_EN_COURS: i64 = 8;

async fn a_demande_goes_through_the_region_to_the_federation(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let mut region = app.signed_in("rq-region@cedre.demo").await;
    let mut board = app.signed_in("ca-region@cedre.demo").await;
    let Manual { siae, section } = started(&app, &mut referent).await;
    let page = format!("/organisations/{siae}/certification");
    let id = siae.to_string();

    // A demande is opened without an edition, but not submitted without one.
    let opened = call(
        &mut referent,
        "enregistrer",
        &[
            ("siae_id", id.clone()),
            ("message", "Nous demandons l'audit.".into()),
        ],
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let demande = app
        .count(&format!("SELECT id FROM demandes WHERE siae_id = {siae}"))
        .await;
    let ids = || vec![("siae_id", id.clone()), ("demande_id", demande.to_string())];
    let refused = call(&mut referent, "soumettre", &ids()).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("édition émise"), "{}", refused.body);
    assert_eq!(state(&app, demande).await, BROUILLON);

    approved_version(
        &app,
        &mut referent,
        &mut direction,
        section,
        "Chaque mardi.",
    )
    .await;
    let (edition, _) = issue_edition(&app, &mut referent, siae).await;
    let saved = call(
        &mut referent,
        "enregistrer",
        &[
            ("siae_id", id.clone()),
            ("edition_id", edition.to_string()),
            ("message", "Nous demandons l'audit.".into()),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let submitted = call(&mut referent, "soumettre", &ids()).await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(state(&app, demande).await, SOUMISE);
    // It waits on the region's home page; the SIAE's says where it stands.
    let home = region.get("/").await;
    assert!(
        home.body.contains(&format!(
            "<a href=\"/organisations/{siae}/certification\">Emploi Solidaire du Pays de Rennes</a> — Soumise à la région"
        )),
        "{}",
        home.body
    );
    let home = referent.get("/").await;
    assert!(
        home.body
            .contains("Demande de certification : soumise à la région."),
        "{}",
        home.body
    );

    // The SIAE cannot decide for the board, nor the board forward; the region returns it.
    let decision = |validated: &str, reasons: &str| {
        let mut fields = ids();
        fields.extend([
            ("held_on", "2026-11-20".to_string()),
            (
                "members_present",
                "Anne Le Bihan\nYves Morvan\n".to_string(),
            ),
            ("decision", validated.to_string()),
            ("reasons", reasons.to_string()),
        ]);
        fields
    };
    let own = call(&mut referent, "decision-region", &decision("valider", "")).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let early = call(&mut board, "transmettre", &ids()).await;
    assert_eq!(early.status, StatusCode::FORBIDDEN);
    assert_eq!(state(&app, demande).await, SOUMISE);
    let mut returned = ids();
    returned.push(("comment", "Joignez le plan d'action des écarts.".into()));
    let returned = call(&mut region, "renvoyer", &returned).await;
    assert_eq!(returned.status, StatusCode::OK, "{}", returned.body);
    assert_eq!(state(&app, demande).await, A_COMPLETER);
    let again = call(&mut direction, "soumettre", &ids()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);

    // A refusal says why; a validation records the meeting.
    let unexplained = call(&mut board, "decision-region", &decision("refuser", " ")).await;
    assert_eq!(unexplained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unexplained.body.contains("Un refus se motive"),
        "{}",
        unexplained.body
    );
    let validated = call(&mut board, "decision-region", &decision("valider", "")).await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    assert_eq!(state(&app, demande).await, VALIDEE_REGION);
    let forwarded = call(&mut region, "transmettre", &ids()).await;
    assert_eq!(forwarded.status, StatusCode::OK, "{}", forwarded.body);
    assert_eq!(state(&app, demande).await, TRANSMISE);
    // Nothing moves it back: it is the federation's now.
    let late = call(&mut referent, "soumettre", &ids()).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The timeline keeps every round, with what each carried.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM demande_events WHERE demande_id = {demande} \
             AND to_state = 'soumise' AND edition_id = {edition} AND assessment_snapshot IS NOT NULL"
        ))
        .await,
        2
    );
    let shown = referent.get(&page).await;
    assert_eq!(shown.status, StatusCode::OK);
    for expected in [
        "Transmise à la fédération",
        "Joignez le plan d&#x27;action des écarts.",
        "Sur l&#x27;édition 1 du manuel qualité.",
        "Réunion du 20/11/2026 ; présents : Anne Le Bihan, Yves Morvan.",
        "Auto-évaluation jointe : 0 exigences conformes sur",
    ] {
        let found = shown.body.contains(expected)
            || shown.body.contains(&expected.replace("&#x27;", "'"))
            || shown.body.contains(&expected.replace("&#x27;", "&#39;"));
        assert!(found, "the timeline shows « {expected} »: {}", shown.body);
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'certification.%'")
            .await,
        // opened, edition chosen, submitted, returned, resubmitted, validated, forwarded
        7
    );

    // The federation assigns the auditor once their ties are screened.
    let mut federation = app.signed_in("rq-federal@cedre.demo").await;
    let mut auditor = app.signed_in("auditeur@cedre.demo").await;
    let auditor_id = app
        .id_of(("accounts", "email"), "auditeur@cedre.demo")
        .await;
    let declare = |ended_on: &str| {
        vec![
            ("organisation_id", id.clone()),
            ("kind", "conseil".to_string()),
            ("started_on", "2020-01-01".to_string()),
            ("ended_on", ended_on.to_string()),
        ]
    };
    let tie = auditor
        .call(
            "/api/auditeur/liens/declarer",
            &declare("")
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(tie.status, StatusCode::OK, "{}", tie.body);
    let screened = federation.get(&page).await;
    assert!(
        screened.body.contains("Exclu : lien de moins de trois ans avec Emploi Solidaire du Pays de Rennes (l&#x27;a conseillée ou accompagnée)")
            || screened.body.contains("Exclu : lien de moins de trois ans avec Emploi Solidaire du Pays de Rennes (l'a conseillée ou accompagnée)"),
        "{}",
        screened.body
    );
    let assign = |justification: &str| {
        let mut fields = ids();
        fields.push(("auditor_id", auditor_id.to_string()));
        fields.push(("justification", justification.to_string()));
        fields
    };
    let blocked = call(&mut federation, "designer", &assign("Urgent")).await;
    assert_eq!(blocked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blocked.body.contains("moins de trois ans"),
        "{}",
        blocked.body
    );
    assert_eq!(state(&app, demande).await, TRANSMISE);
    // The tie ended in 2021: no longer blocking, but to justify.
    let tie_id = app
        .count(&format!(
            "SELECT MAX(id) FROM auditor_ties WHERE account_id = {auditor_id}"
        ))
        .await;
    let withdrawn = auditor
        .call(
            "/api/auditeur/liens/retirer",
            &[("tie_id", &tie_id.to_string())],
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    let older = auditor
        .call(
            "/api/auditeur/liens/declarer",
            &declare("2021-06-30")
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(older.status, StatusCode::OK, "{}", older.body);
    let unjustified = call(&mut federation, "designer", &assign(" ")).await;
    assert_eq!(unjustified.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unjustified.body.contains("justifiez"),
        "{}",
        unjustified.body
    );
    let assigned = call(
        &mut federation,
        "designer",
        &assign("Mission ponctuelle terminée en 2021."),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    assert_eq!(state(&app, demande).await, AUDITEUR_DESIGNE);

    // Before declaring on their honour, the auditor sees nothing of the demande but its SIAE.
    let home = auditor.get("/").await;
    assert!(
        home.body
            .contains(&format!("/organisations/{siae}/certification")),
        "{}",
        home.body
    );
    let before = auditor.get(&page).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        before.body.contains("Déclaration sur l&#x27;honneur")
            || before.body.contains("Déclaration sur l'honneur")
    );
    assert!(!before.body.contains("Nous demandons"), "{}", before.body);
    assert!(!before.body.contains("Historique de la demande"));
    let stranger = call(&mut referent, "declarer-sur-l-honneur", &ids()).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN);
    let confirmed = call(&mut auditor, "declarer-sur-l-honneur", &ids()).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(state(&app, demande).await, AUDIT_EN_COURS);
    let after = auditor.get(&page).await;
    assert!(after.body.contains("Nous demandons"), "{}", after.body);
    assert!(after.body.contains("Mission ponctuelle terminée en 2021."));
    // The auditor sets the dates agreed with the SIAE; only they can, and the end follows the start.
    let dates = |starts: &str, ends: &str| {
        let mut fields = ids();
        fields.push(("starts_on", starts.to_string()));
        fields.push(("ends_on", ends.to_string()));
        fields
    };
    let backwards = call(&mut auditor, "dates", &dates("2027-02-03", "2027-02-02")).await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let not_theirs = call(&mut federation, "dates", &dates("2027-02-02", "2027-02-03")).await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let scheduled = call(&mut auditor, "dates", &dates("2027-02-02", "2027-02-03")).await;
    assert_eq!(scheduled.status, StatusCode::OK, "{}", scheduled.body);
    assert_eq!(state(&app, demande).await, AUDIT_EN_COURS);
    let shown = referent.get(&page).await;
    assert!(
        shown.body.contains("du 02/02/2027 au 03/02/2027"),
        "{}",
        shown.body
    );
    let auditor_name = app.identity("auditeur@cedre.demo").await.display_name;
    assert!(
        shown
            .body
            .contains(&format!("<dt>Auditeur</dt><dd>{auditor_name}</dd>")),
        "the SIAE sees who audits it: {}",
        shown.body
    );
    assert!(shown
        .body
        .contains("Audit prévu du 02/02/2027 au 03/02/2027."));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'auditeur.lien%'")
            .await,
        3
    );

    // Another region neither sees it nor acts on it; nothing changes.
    let mut aura = app.signed_in("rq-aura@cedre.demo").await;
    // Rennes is out of its sight altogether: not found, as a SIAE that does not exist.
    let hidden = aura.get(&page).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    assert!(!hidden.body.contains("Nous demandons"));
    let outsider = call(&mut aura, "transmettre", &ids()).await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&outsider.status),
        "{}",
        outsider.status
    );
    assert_eq!(state(&app, demande).await, AUDIT_EN_COURS);
    app.finish().await;
}
on_both_engines!(a_demande_goes_through_the_region_to_the_federation);
