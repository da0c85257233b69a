//! A version of a manual section cited as evidence for a requirement of the self-assessment:
//! only an approved version of the SIAE's own manual, by those who edit the assessment; once
//! replaced it stays cited as what it was, marked obsolete, on the page and in the PDF.

use crate::manual::{approved_version, open_version, started, Manual};
use http::StatusCode;
use tests::{on_both_engines, Client, Engine, TestApp};

async fn call(client: &mut Client, fields: Vec<(&'static str, String)>) -> tests::Response {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    client.call("/api/referentiel/preuve-manuel", &pairs).await
}

async fn a_section_version_is_cited_as_evidence_and_stays_what_it_was(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut referent = app.signed_in("referent@cedre.demo").await;
    let mut direction = app.signed_in("direction@cedre.demo").await;
    let Manual { siae, section } = started(&app, &mut referent).await;
    approved_version(
        &app,
        &mut referent,
        &mut direction,
        section,
        "Chaque mardi.",
    )
    .await;
    let first = app
        .count(&format!(
            "SELECT id FROM manual_section_versions WHERE section_id = {section} AND number = 1"
        ))
        .await;
    let cite = |version: i64, cited: &'static str| {
        vec![
            ("siae_id", siae.to_string()),
            ("key", "2.3 a".to_string()),
            ("version_id", version.to_string()),
            ("cited", cited.to_string()),
        ]
    };
    let rows_sql =
        format!("SELECT COUNT(*) FROM assessment_manual_evidence WHERE siae_id = {siae}");
    let rows = || app.count(&rows_sql);

    // An accompagnateur reads the manual but does not edit the assessment.
    let mut accompagnateur = app.signed_in("accompagnateur@cedre.demo").await;
    let refused = call(&mut accompagnateur, cite(first, "true")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(rows().await, 0);

    let cited = call(&mut referent, cite(first, "true")).await;
    assert_eq!(cited.status, StatusCode::OK, "{}", cited.body);
    assert_eq!(rows().await, 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'manuel.preuve' AND entity_id = {section}"
        ))
        .await,
        1
    );

    // A draft is not evidence: it can still change.
    approved_version(
        &app,
        &mut referent,
        &mut direction,
        section,
        "Chaque jeudi.",
    )
    .await;
    let third_text = "Un brouillon";
    let saved = referent
        .call(
            "/api/manuel/brouillon",
            &[
                ("section_id", &section.to_string()),
                ("body", third_text),
                ("change_note", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let draft = open_version(&app, section).await;
    let refused = call(&mut referent, cite(draft, "true")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("version approuvée"),
        "{}",
        refused.body
    );
    assert_eq!(rows().await, 1);

    // The first version, now obsolete, stays cited as what it was.
    let page = referent
        .get(&format!(
            "/organisations/{siae}/referentiel/exigence?cle=2.3%20a"
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let today = domain::time::display_date(domain::time::today());
    let first_label =
        format!("Procédure de régulation pédagogique, version 1 du {today} (obsolète)");
    assert!(page.body.contains(&first_label), "{}", page.body);
    // The second version, in force, is offered for citing.
    assert!(page.body.contains(&format!(
        "Procédure de régulation pédagogique, version 2 du {today}</option>"
    )));
    let pdf = referent
        .get(&format!("/organisations/{siae}/referentiel.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    let text = tests::pdf_text(&pdf.bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(&format!("Manuel qualité : {first_label}")),
        "{text}"
    );

    let withdrawn = call(&mut referent, cite(first, "false")).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.body);
    assert_eq!(rows().await, 0);
    app.finish().await;
}
on_both_engines!(a_section_version_is_cited_as_evidence_and_stays_what_it_was);
