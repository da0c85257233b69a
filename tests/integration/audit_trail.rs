use domain::audit::{ChainBreak, ChainReport, EntryRef};
use http::StatusCode;
use sqlx::{Column, Row};
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

/// The append-only tables, with a text column to overwrite in the attempts below.
const APPEND_ONLY: [(&str, &str); 2] = [
    ("audit_events", "summary"),
    ("assessment_history", "after_value"),
];

/// Every way of overwriting or removing a row of an append-only table is refused: UPDATE,
/// DELETE, an upsert (`INSERT … ON CONFLICT DO UPDATE`), on SQLite the conflict clauses that
/// delete the row in the way of an INSERT (`INSERT OR REPLACE`, `REPLACE`), on PostgreSQL
/// TRUNCATE, directly or by cascade.
async fn append_only_tables_refuse_every_overwrite(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let now = domain::time::to_stored(chrono::Utc::now());
    sqlx::query(
        "INSERT INTO assessment_history (siae_id, requirement_key, changed_at, changed_by, field, \
         before_value, after_value) SELECT MIN(id), '2.1 a', $1, 'test', 'statut', 'non_evalue', \
         'conforme' FROM organisations WHERE kind = 'siae'",
    )
    .bind(&now)
    .execute(&app.db.pool)
    .await
    .unwrap();
    for (table, column) in APPEND_ONLY {
        let id = app.count(&format!("SELECT MIN(id) FROM {table}")).await;
        let snapshot = format!("SELECT * FROM {table} ORDER BY id");
        let before = rows_as_text(&app, &snapshot).await;
        assert!(!before.is_empty(), "{table} is empty");
        // The row copied onto itself with one column changed, every other column as stored.
        let row = sqlx::query(&format!("SELECT * FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let columns: Vec<String> = row.columns().iter().map(|c| c.name().to_string()).collect();
        let values: Vec<String> = columns
            .iter()
            .map(|c| {
                if c == column {
                    "'effacé'".to_string()
                } else {
                    c.clone()
                }
            })
            .collect();
        let copy = format!(
            "({}) SELECT {} FROM {table} WHERE id = {id}",
            columns.join(", "),
            values.join(", ")
        );
        let mut attempts = vec![
            format!("UPDATE {table} SET {column} = 'effacé' WHERE id = {id}"),
            format!("DELETE FROM {table} WHERE id = {id}"),
            format!("DELETE FROM {table}"),
            format!(
                "INSERT INTO {table} {copy} ON CONFLICT (id) DO UPDATE SET {column} = excluded.{column}"
            ),
        ];
        match engine {
            Engine::Sqlite => {
                attempts.push(format!("INSERT OR REPLACE INTO {table} {copy}"));
                attempts.push(format!("REPLACE INTO {table} {copy}"));
            }
            Engine::Postgres => {
                attempts.push(format!("TRUNCATE {table}"));
                if table == "assessment_history" {
                    // It references organisations: truncating them truncates it too.
                    attempts.push("TRUNCATE organisations CASCADE".to_string());
                }
            }
        }
        for sql in &attempts {
            match sqlx::query(sql).execute(&app.db.pool).await {
                Ok(done) => panic!(
                    "{sql}: accepted ({} row(s) affected), though {table} is append-only",
                    done.rows_affected()
                ),
                Err(error) => {
                    assert!(error.to_string().contains("append-only"), "{sql}: {error}")
                }
            }
        }
        assert_eq!(
            rows_as_text(&app, &snapshot).await,
            before,
            "{table} changed"
        );
    }
    app.finish().await;
}
on_both_engines!(append_only_tables_refuse_every_overwrite);

/// The rows of a query, each column read as text (or NULL), for comparing before and after.
async fn rows_as_text(app: &TestApp, sql: &str) -> Vec<Vec<Option<String>>> {
    sqlx::query(sql)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|row| {
            (0..row.columns().len())
                .map(|i| {
                    row.try_get::<Option<String>, _>(i)
                        .or_else(|_| {
                            row.try_get::<Option<i64>, _>(i)
                                .map(|v| v.map(|v| v.to_string()))
                        })
                        .unwrap()
                })
                .collect()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The chain: each entry carries the hash of its content and of the entry before it.

/// Lets the test change the trail behind the application's back, as the owner of the tables (or
/// whoever holds the SQLite file) can.
async fn lift_the_triggers(app: &TestApp, engine: Engine) {
    let statements: &[&str] = match engine {
        Engine::Sqlite => &[
            "DROP TRIGGER audit_events_no_update",
            "DROP TRIGGER audit_events_no_delete",
        ],
        Engine::Postgres => {
            &["ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete"]
        }
    };
    for sql in statements {
        sqlx::query(sql).execute(&app.db.pool).await.unwrap();
    }
}

async fn run(app: &TestApp, sql: &str) {
    sqlx::query(sql)
        .execute(&app.db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn entry(app: &TestApp, id: i64) -> EntryRef {
    let occurred_at: String =
        sqlx::query_scalar("SELECT occurred_at FROM audit_events WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    EntryRef { id, occurred_at }
}

async fn verify(app: &TestApp) -> ChainReport {
    backend::audit::verify_chain(&app.db).await.unwrap()
}

/// `cedre journal verifier` on the test's database.
async fn journal_verifier(app: &TestApp) -> Result<(), String> {
    tests::cedre(&["--database-url", &app.url, "journal", "verifier"]).await
}

async fn the_chain_names_the_first_entry_altered_or_removed(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let mut admin = app.signed_in("admin@cedre.demo").await;
    let account = app
        .id_of(("accounts", "email"), "direction@cedre.demo")
        .await
        .to_string();
    for name in ["Pierre Morel 1", "Pierre Morel 2", "Pierre Morel 3"] {
        admin
            .post_form(
                "/api/comptes/modifier",
                &format!("/administration/comptes/{account}"),
                &[
                    ("id", &account),
                    ("email", "direction@cedre.demo"),
                    ("display_name", name),
                ],
            )
            .await;
    }

    // Untouched, the chain holds from the first entry to the last.
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_events ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let report = verify(&app).await;
    assert!(report.is_intact(), "{}", report.describe());
    assert_eq!(report.entries, ids.len() as i64);
    assert_eq!(report.first, Some(entry(&app, ids[0]).await));
    let (last, last_hash) = report.last.clone().unwrap();
    assert_eq!(last, entry(&app, *ids.last().unwrap()).await);
    let first_previous: String =
        sqlx::query_scalar("SELECT previous_hash FROM audit_events WHERE id = $1")
            .bind(ids[0])
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(first_previous, backend::db::audit::GENESIS);
    journal_verifier(&app)
        .await
        .expect("an untouched chain passes");

    lift_the_triggers(&app, engine).await;
    let k = ids[ids.len() / 2];
    let next = ids[ids.len() / 2 + 1];
    let summary: String = sqlx::query_scalar("SELECT summary FROM audit_events WHERE id = $1")
        .bind(k)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();

    // A summary changed: that entry no longer gives its hash.
    run(
        &app,
        &format!("UPDATE audit_events SET summary = 'falsifié' WHERE id = {k}"),
    )
    .await;
    let report = verify(&app).await;
    assert_eq!(
        report.broken,
        Some(ChainBreak::Altered(entry(&app, k).await))
    );
    let message = journal_verifier(&app).await.unwrap_err();
    let named = format!(
        "l'entrée n° {k} du {}",
        domain::time::display_datetime(
            domain::time::from_stored(&entry(&app, k).await.occurred_at).unwrap()
        )
    );
    assert!(
        message.starts_with("Journal d'audit altéré") && message.contains(&named),
        "{message}"
    );
    sqlx::query("UPDATE audit_events SET summary = $1 WHERE id = $2")
        .bind(&summary)
        .bind(k)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(verify(&app).await.is_intact(), "restored");

    // The same change with its hash computed again: the next entry no longer follows it.
    let row = sqlx::query("SELECT * FROM audit_events WHERE id = $1")
        .bind(k)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let text = |c: &str| row.get::<String, _>(c);
    let number = |c: &str| row.get::<Option<i64>, _>(c);
    let (occurred_at, actor_name, action, entity_type, changes, previous) = (
        text("occurred_at"),
        text("actor_name"),
        text("action"),
        text("entity_type"),
        text("changes"),
        text("previous_hash"),
    );
    let forged = backend::db::audit::entry_hash(
        &backend::db::audit::Content {
            occurred_at: &occurred_at,
            actor_account_id: number("actor_account_id"),
            actor_name: &actor_name,
            action: &action,
            entity_type: &entity_type,
            entity_id: number("entity_id"),
            organisation_id: number("organisation_id"),
            summary: "falsifié",
            changes: &changes,
        },
        &previous,
    );
    let genuine = text("entry_hash");
    sqlx::query("UPDATE audit_events SET summary = 'falsifié', entry_hash = $1 WHERE id = $2")
        .bind(&forged)
        .bind(k)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let report = verify(&app).await;
    assert_eq!(
        report.broken,
        Some(ChainBreak::Unlinked {
            entry: entry(&app, next).await,
            after: Some(entry(&app, k).await),
        })
    );
    assert!(report.describe().contains("empreinte recalculée"));
    sqlx::query("UPDATE audit_events SET summary = $1, entry_hash = $2 WHERE id = $3")
        .bind(&summary)
        .bind(&genuine)
        .bind(k)
        .execute(&app.db.pool)
        .await
        .unwrap();
    assert!(verify(&app).await.is_intact(), "restored");

    // The last entry removed: SQLite's counter tells; on PostgreSQL only the last hash, kept
    // elsewhere, does.
    let removed_last = *ids.last().unwrap();
    run(
        &app,
        &format!("DELETE FROM audit_events WHERE id = {removed_last}"),
    )
    .await;
    let report = verify(&app).await;
    match engine {
        Engine::Sqlite => {
            assert_eq!(
                report.broken,
                Some(ChainBreak::TailRemoved {
                    last: Some(entry(&app, ids[ids.len() - 2]).await),
                    counter: removed_last,
                })
            );
            let message = journal_verifier(&app).await.unwrap_err();
            assert!(
                message.contains(&format!("numéros manquants : n° {removed_last}")),
                "{message}"
            );
        }
        Engine::Postgres => {
            assert!(report.is_intact());
            assert_ne!(report.last.unwrap().1, last_hash, "the last hash changed");
        }
    }

    // An entry removed in the middle: the next one no longer follows the one before.
    run(&app, &format!("DELETE FROM audit_events WHERE id = {k}")).await;
    let before = ids[ids.len() / 2 - 1];
    let report = verify(&app).await;
    assert_eq!(
        report.broken,
        Some(ChainBreak::Unlinked {
            entry: entry(&app, next).await,
            after: Some(entry(&app, before).await),
        })
    );
    let message = journal_verifier(&app).await.unwrap_err();
    assert!(
        message.contains(&format!("numéros manquants : n° {k})")),
        "{message}"
    );
    app.finish().await;
}
on_both_engines!(the_chain_names_the_first_entry_altered_or_removed);

/// An entry written behind the application's back, without hashes, is refused; with the
/// refusal lifted, the verifier names it.
async fn entries_without_hashes_are_refused(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let insert = "INSERT INTO audit_events (occurred_at, actor_name, action, entity_type, summary, changes) \
                  VALUES ('2026-01-02T03:04:05.000000Z', 'intrus', 'test', 'test', 'ajout', '{}')";
    let error = sqlx::query(insert)
        .execute(&app.db.pool)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("audit_events_chained") || error.contains("are chained"),
        "{error}"
    );
    run(
        &app,
        match engine {
            Engine::Sqlite => "DROP TRIGGER audit_events_chained",
            Engine::Postgres => "ALTER TABLE audit_events DROP CONSTRAINT audit_events_chained",
        },
    )
    .await;
    run(&app, insert).await;
    let id = app.count("SELECT MAX(id) FROM audit_events").await;
    let report = verify(&app).await;
    assert_eq!(
        report.broken,
        Some(ChainBreak::Unchained(entry(&app, id).await))
    );
    // Not an entry from before the chain: `migrate` leaves it as it is.
    assert!(app.db.pending_migrations().await.unwrap().is_empty());
    app.db.migrate().await.unwrap();
    assert_eq!(
        verify(&app).await.broken,
        Some(ChainBreak::Unchained(entry(&app, id).await))
    );
    app.finish().await;
}
on_both_engines!(entries_without_hashes_are_refused);
