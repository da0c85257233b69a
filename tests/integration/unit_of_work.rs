//! The unit of work: a change and its audit entry are one transaction, and concurrent writers
//! wait their turn instead of failing.

use backend::{BackendError, Identity};
use domain::assessment::AssessmentDraft;
use domain::organisation::OrganisationDraft;
use std::time::{Duration, Instant};
use tests::{on_both_engines, Engine, TestApp};

async fn identity(app: &TestApp, email: &str) -> Identity {
    let id = app.id_of(("accounts", "email"), email).await;
    Identity::load(&app.db, id, "session de test".into())
        .await
        .unwrap()
        .unwrap()
}

/// Makes every insert into the trail fail, as a disk error or a broken constraint would.
async fn break_the_audit_trail(app: &TestApp, engine: Engine) {
    let statements: &[&str] = match engine {
        Engine::Sqlite => &[
            "CREATE TRIGGER injected_failure BEFORE INSERT ON audit_events \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
        ],
        Engine::Postgres => &[
            "CREATE FUNCTION injected_failure() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER injected_failure BEFORE INSERT ON audit_events \
             FOR EACH ROW EXECUTE FUNCTION injected_failure()",
        ],
    };
    for sql in statements {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
}

async fn a_change_whose_audit_entry_fails_leaves_nothing(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let admin = identity(&app, "admin@cedre.demo").await;
    let forez = app
        .id_of(("organisations", "name"), "Recyclerie du Forez")
        .await;
    let audit_rows = app.count("SELECT COUNT(*) FROM audit_events").await;
    let organisations = app.count("SELECT COUNT(*) FROM organisations").await;
    break_the_audit_trail(&app, engine).await;

    let mut draft = OrganisationDraft {
        kind: "siae".into(),
        name: "Recyclerie du Forez et des Monts".into(),
        siret: "80937865797548".into(),
        siae_type: "EI".into(),
        region_id: app
            .id_of(("organisations", "name"), "COORACE Auvergne-Rhône-Alpes")
            .await
            .to_string(),
        entry_date: "2022-09-01".into(),
        funded_fte: "1".into(),
        city: "Montbrison".into(),
        ensemblier_id: String::new(),
    };
    let update = backend::organisations::update(&app.db, &admin, forez, &draft).await;
    assert!(
        matches!(update, Err(BackendError::Database(_))),
        "{update:?}"
    );
    draft.siret = "40483304800022".into();
    draft.name = "Nouvelle structure".into();
    let create = backend::organisations::create(&app.db, &admin, &draft).await;
    assert!(
        matches!(create, Err(BackendError::Database(_))),
        "{create:?}"
    );

    let name: String = sqlx::query_scalar("SELECT name FROM organisations WHERE id = $1")
        .bind(forez)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(name, "Recyclerie du Forez");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM organisations").await,
        organisations
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_events").await,
        audit_rows
    );
    app.finish().await;
}
on_both_engines!(a_change_whose_audit_entry_fails_leaves_nothing);

const WRITERS: usize = 16;
const RUN_FOR: Duration = Duration::from_secs(3);

async fn concurrent_writers_all_succeed(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let referent = identity(&app, "referent@cedre.demo").await;
    let siae = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let keys = ["2.1 a", "2.1 b", "2.2 a", "2.3 a"];
    let started = Instant::now();
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (db, referent) = (app.db.clone(), referent.clone());
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                let mut latencies = Vec::new();
                let mut failures = Vec::new();
                let mut n = 0;
                while started.elapsed() < RUN_FOR {
                    // Writers share requirements, so that saves of the same row race each other.
                    let key = keys[(writer + n) % keys.len()];
                    let comment = format!("rédacteur {writer}, enregistrement {n}");
                    let draft = AssessmentDraft {
                        status: "en_cours".into(),
                        comment: comment.clone(),
                        ..Default::default()
                    };
                    let at = Instant::now();
                    match backend::assessments::save(&db, &referent, siae, key, &draft).await {
                        Ok(()) => {
                            latencies.push(at.elapsed());
                            acknowledged.push((key, comment));
                        }
                        Err(e) => failures.push(e.to_string()),
                    }
                    n += 1;
                }
                (acknowledged, latencies, failures)
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    let mut latencies = Vec::new();
    let mut failures = Vec::new();
    for writer in writers {
        let (a, l, f) = writer.await.unwrap();
        acknowledged.extend(a);
        latencies.extend(l);
        failures.extend(f);
    }
    let elapsed = started.elapsed();
    assert_eq!(failures, Vec::<String>::new(), "every save succeeds");
    assert!(
        acknowledged.len() >= WRITERS,
        "each writer saved at least once"
    );
    for (key, comment) in &acknowledged {
        let found = app
            .count(&format!(
                "SELECT COUNT(*) FROM assessment_history WHERE siae_id = {siae} \
                 AND requirement_key = '{key}' AND field = 'Commentaire' AND after_value = '{comment}'"
            ))
            .await;
        assert_eq!(found, 1, "{key}: {comment} is in the history");
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM audit_events WHERE action = 'autoevaluation.modification' AND organisation_id = {siae}"
        ))
        .await,
        acknowledged.len() as i64,
        "one audit entry per acknowledged save"
    );
    // Concurrent changes appended one after the other: the chain did not fork.
    let chain = backend::audit::verify_chain(&app.db).await.unwrap();
    assert!(chain.is_intact(), "{}", chain.describe());
    assert_eq!(
        chain.entries,
        app.count("SELECT COUNT(*) FROM audit_events").await
    );
    latencies.sort();
    let percentile =
        |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{engine:?}: {WRITERS} writers, {} saves in {:.1} s = {:.0} saves/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; 0 failures",
        acknowledged.len(),
        elapsed.as_secs_f64(),
        acknowledged.len() as f64 / elapsed.as_secs_f64(),
        percentile(0.50).as_secs_f64() * 1000.0,
        percentile(0.99).as_secs_f64() * 1000.0,
        latencies.last().unwrap().as_secs_f64() * 1000.0,
    );
    app.finish().await;
}
on_both_engines!(concurrent_writers_all_succeed);
