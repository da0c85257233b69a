//! PostgreSQL with two roles: the tables' owner applies the migrations (`cedre migrate`), the
//! server runs with a role that may only INSERT and SELECT on the append-only tables, with the
//! rights of .ci/postgres-app-role.sql. Skipped, saying so, without PostgreSQL.

use backend::Db;
use domain::assessment::AssessmentDraft;
use domain::audit::AuditFilter;
use rand::Rng;
use std::collections::BTreeSet;
use tests::{Engine, TestApp};

const GRANTS: &str = include_str!("../../.ci/postgres-app-role.sql");
const APPEND_ONLY: [&str; 3] = ["audit_events", "assessment_history", "security_events"];

/// `url` with another user and password.
fn as_role(url: &str, role: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (_, host) = rest.rsplit_once('@').unwrap();
    format!("{scheme}://{role}:{password}@{host}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serving_role_may_only_append_to_the_trail() {
    let Some(owner) = TestApp::start(Engine::Postgres).await else {
        eprintln!(
            "roles: CEDRE_TEST_POSTGRES_URL is not set, the two-role PostgreSQL test is skipped"
        );
        return;
    };
    let role = format!("cedre_app_{:016x}", rand::thread_rng().gen::<u64>());
    let password = "mot-de-passe-de-test";
    if let Err(error) = sqlx::query(&format!("CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
        .execute(&owner.db.pool)
        .await
    {
        panic!(
            "CREATE ROLE refused ({error}): the test role needs CREATEROLE, as .ci/postgres grants"
        );
    }
    sqlx::raw_sql(&GRANTS.replace("cedre_app", &role))
        .execute(&owner.db.pool)
        .await
        .expect(".ci/postgres-app-role.sql");
    let url = as_role(&owner.url, &role, password);
    let db = Db::connect(&url)
        .await
        .expect("connect as the serving role");

    // The owner migrated: nothing is pending, `migrate` changes nothing and needs no right on the
    // schema, the commands start with CEDRE_AUTO_MIGRATE=false.
    assert!(db.pending_migrations().await.unwrap().is_empty());
    db.migrate().await.unwrap();
    tests::cedre(&[
        "--database-url",
        &url,
        "--auto-migrate",
        "false",
        "journal",
        "verifier",
    ])
    .await
    .unwrap();
    let error = sqlx::query("CREATE TABLE intrus (id BIGINT)")
        .execute(&db.pool)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("permission denied"), "{error}");

    // It writes through the application: the demo, a sign-in, a change of account, a saved
    // assessment (with its history), each with its chained audit entry.
    backend::demo::load(&db)
        .await
        .expect("demo as the serving role");
    let app = TestApp::on(db.clone(), url.clone(), None);
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let account = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await
        .to_string();
    let response = admin
        .post_form(
            "/api/comptes/modifier",
            &format!("/administration/comptes/{account}"),
            &[
                ("id", &account),
                ("email", "direction@cedre.demo"),
                ("display_name", "Pierre Morel-Durand"),
            ],
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.body);
    let referent = app
        .id_of(("accounts", "email"), "referent@cedre.demo")
        .await;
    let referent = backend::Identity::load(&db, referent, "session de test".into())
        .await
        .unwrap()
        .unwrap();
    let siae = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let draft = AssessmentDraft {
        status: "en_cours".into(),
        comment: "écrit par le rôle de service".into(),
        ..Default::default()
    };
    backend::assessments::save(&db, &referent, siae, "2.1 a", &draft)
        .await
        .unwrap();
    assert!(app.count("SELECT COUNT(*) FROM assessment_history").await > 0);

    // It reads the trail, and the chain holds.
    let (entries, _) = backend::db::audit::page(&db.pool, &AuditFilter::default())
        .await
        .unwrap();
    assert!(entries
        .iter()
        .any(|e| e.summary.contains("Pierre Morel-Durand")));
    let report = backend::audit::verify_chain(&db).await.unwrap();
    assert!(report.is_intact(), "{}", report.describe());

    // It may not change or remove what it appended, nor lift the guards.
    for table in APPEND_ONLY {
        for sql in [
            format!("UPDATE {table} SET id = id"),
            format!("DELETE FROM {table}"),
            format!("TRUNCATE {table}"),
        ] {
            let error = sqlx::query(&sql).execute(&db.pool).await.unwrap_err();
            assert!(
                error.to_string().contains("permission denied"),
                "{sql}: {error}"
            );
        }
        let sql = format!("ALTER TABLE {table} DISABLE TRIGGER USER");
        let error = sqlx::query(&sql).execute(&db.pool).await.unwrap_err();
        assert!(
            error.to_string().contains("must be owner"),
            "{sql}: {error}"
        );
    }

    // Every table guarded by the migrations as append-only is append-only for the role.
    let guarded: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT c.relname::text FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid \
         WHERE t.tgname LIKE '%\\_no\\_truncate'",
    )
    .fetch_all(&owner.db.pool)
    .await
    .unwrap();
    assert_eq!(
        guarded.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        BTreeSet::from(APPEND_ONLY)
    );
    for table in &guarded {
        for (privilege, granted) in [
            ("SELECT", true),
            ("INSERT", true),
            ("UPDATE", false),
            ("DELETE", false),
            ("TRUNCATE", false),
            ("TRIGGER", false),
        ] {
            let has: bool = sqlx::query_scalar("SELECT has_table_privilege($1, $2, $3)")
                .bind(&role)
                .bind(table)
                .bind(privilege)
                .fetch_one(&owner.db.pool)
                .await
                .unwrap();
            assert_eq!(has, granted, "{privilege} on {table}");
        }
    }

    // Its rights go first (whether or not the database drop below succeeds); then the role can go.
    db.pool.close().await;
    drop(app);
    for sql in [
        format!("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}"),
        format!("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {role}"),
        format!("REVOKE ALL ON SCHEMA public FROM {role}"),
    ] {
        sqlx::query(&sql).execute(&owner.db.pool).await.unwrap();
    }
    let admin_url = tests::postgres_admin_url().unwrap();
    owner.finish().await;
    let admin_db = Db::connect(&admin_url).await.unwrap();
    sqlx::query(&format!("DROP ROLE {role}"))
        .execute(&admin_db.pool)
        .await
        .unwrap();
}
