//! The two migration folders give the same tables as seen through `sqlx::Any` (names, order,
//! nullability, type families), the CHECK constraints refuse what the code never writes, on both
//! engines, migration 0003 upgrades a database that holds rows, and migration 0004 chains the
//! audit entries written before it and closes SQLite's REPLACE.
//!
//! Without PostgreSQL (`CEDRE_TEST_POSTGRES_URL` unset), the SQLite schema is compared with a parse
//! of migrations/postgres instead of a migrated PostgreSQL database; with it, the parse is also
//! compared with the real database, so that the fallback stays honest.

use backend::Db;
use rand::Rng;
use sqlx::migrate::Migrator;
use sqlx::Row;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tests::{on_both_engines, postgres_admin_url, Engine, TestApp};

// ---------------------------------------------------------------------------------------------
// Tables and columns as the code sees them.

/// How `sqlx::Any` decodes a column: SQLite `INTEGER` and PostgreSQL `BIGINT` are both `i64`,
/// whereas a PostgreSQL `INTEGER` is an `i32` and would not decode as `i64`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Family {
    Integer64,
    Text,
    Bytes,
    Other(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Column {
    name: String,
    family: Family,
    not_null: bool,
}

type Schema = BTreeMap<String, Vec<Column>>;

fn sqlite_family(declared: &str) -> Family {
    match declared.to_ascii_uppercase().as_str() {
        "INTEGER" | "BIGINT" => Family::Integer64,
        "TEXT" => Family::Text,
        "BLOB" => Family::Bytes,
        other => Family::Other(format!("sqlite {other}")),
    }
}

fn postgres_family(data_type: &str) -> Family {
    match data_type.to_ascii_lowercase().as_str() {
        "bigint" | "bigserial" | "int8" | "serial8" => Family::Integer64,
        "text" => Family::Text,
        "bytea" => Family::Bytes,
        other => Family::Other(format!("postgres {other}")),
    }
}

async fn sqlite_schema(db: &Db) -> Schema {
    let rows = sqlx::query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS declared, p.\"notnull\" AS not_null, \
         p.pk AS pk, (SELECT COUNT(*) FROM pragma_table_info(m.name) AS k WHERE k.pk > 0) AS pk_columns \
         FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations' \
         ORDER BY m.name, p.cid",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in rows {
        let table: String = row.try_get("table_name").unwrap();
        let declared: String = row.try_get("declared").unwrap();
        let not_null: i64 = row.try_get("not_null").unwrap();
        let pk: i64 = row.try_get("pk").unwrap();
        let pk_columns: i64 = row.try_get("pk_columns").unwrap();
        // An `INTEGER PRIMARY KEY` is the rowid and never NULL; any other SQLite primary key
        // column takes NULL unless it says NOT NULL (PostgreSQL implies it).
        let rowid = pk == 1 && pk_columns == 1 && declared.eq_ignore_ascii_case("INTEGER");
        schema.entry(table).or_default().push(Column {
            name: row.try_get("column_name").unwrap(),
            family: sqlite_family(&declared),
            not_null: not_null == 1 || rowid,
        });
    }
    schema
}

async fn postgres_schema(db: &Db) -> Schema {
    let rows = sqlx::query(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, \
         c.data_type::text AS data_type, c.is_nullable::text AS is_nullable \
         FROM information_schema.columns AS c JOIN information_schema.tables AS t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
         AND c.table_name <> '_sqlx_migrations' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for row in rows {
        let table: String = row.try_get("table_name").unwrap();
        let data_type: String = row.try_get("data_type").unwrap();
        let is_nullable: String = row.try_get("is_nullable").unwrap();
        schema.entry(table).or_default().push(Column {
            name: row.try_get("column_name").unwrap(),
            family: postgres_family(&data_type),
            not_null: is_nullable == "NO",
        });
    }
    schema
}

/// What differs between two schemas, one line per difference (empty when they agree).
fn drift(left_name: &str, left: &Schema, right_name: &str, right: &Schema) -> Vec<String> {
    let mut lines = Vec::new();
    let tables: std::collections::BTreeSet<&String> = left.keys().chain(right.keys()).collect();
    for table in tables {
        match (left.get(table), right.get(table)) {
            (Some(_), None) => lines.push(format!("{table}: only in {left_name}")),
            (None, Some(_)) => lines.push(format!("{table}: only in {right_name}")),
            (Some(l), Some(r)) if l != r => {
                let names = |cs: &[Column]| cs.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
                if names(l) != names(r) {
                    lines.push(format!(
                        "{table}: columns differ\n    {left_name}: {:?}\n    {right_name}: {:?}",
                        names(l),
                        names(r)
                    ));
                }
                for lc in l {
                    if let Some(rc) = r.iter().find(|c| c.name == lc.name) {
                        if lc != rc {
                            lines.push(format!(
                                "{table}.{}: {left_name} {:?} NOT NULL={} / {right_name} {:?} NOT NULL={}",
                                lc.name, lc.family, lc.not_null, rc.family, rc.not_null
                            ));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    lines
}

fn assert_no_drift(left_name: &str, left: &Schema, right_name: &str, right: &Schema) {
    let lines = drift(left_name, left, right_name, right);
    assert!(
        lines.is_empty(),
        "the schemas of {left_name} and {right_name} drifted apart:\n  {}",
        lines.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// The PostgreSQL migrations read as text: CREATE TABLE and the ALTER TABLE forms that change
// columns. Anything else that touches columns stops the test, asking for the parse to be extended.

fn migrations_dir(engine: Engine) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../migrations")
        .join(match engine {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        })
}

/// The statements of a PostgreSQL script, lower-cased, comments removed, `$$` bodies and string
/// literals kept whole.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = sql.chars().collect();
    let mut i = 0;
    let (mut in_string, mut in_dollar) = (false, false);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_string {
            current.push(c);
            in_string = c != '\'';
        } else if in_dollar {
            current.push(c);
            if c == '$' && next == Some('$') {
                current.push('$');
                i += 1;
                in_dollar = false;
            }
        } else if c == '-' && next == Some('-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            current.push(' ');
        } else if c == '\'' {
            current.push(c);
            in_string = true;
        } else if c == '$' && next == Some('$') {
            current.push_str("$$");
            i += 1;
            in_dollar = true;
        } else if c == ';' {
            out.push(current.split_whitespace().collect::<Vec<_>>().join(" "));
            current.clear();
        } else {
            current.extend(c.to_lowercase());
        }
        i += 1;
    }
    out.push(current.split_whitespace().collect::<Vec<_>>().join(" "));
    out.retain(|s| !s.is_empty());
    out
}

/// Splits at the commas outside parentheses and string literals.
fn top_level_items(body: &str) -> Vec<String> {
    let (mut items, mut current, mut depth, mut in_string) = (Vec::new(), String::new(), 0, false);
    for c in body.chars() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => depth -= 1,
            ',' if !in_string && depth == 0 => {
                items.push(current.trim().to_string());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    items.push(current.trim().to_string());
    items.retain(|s| !s.is_empty());
    items
}

/// The text outside parentheses and string literals: `NOT NULL` inside a CHECK says nothing
/// about the column's nullability.
fn outside_parentheses(text: &str) -> String {
    let (mut out, mut depth, mut in_string) = (String::new(), 0, false);
    for c in text.chars() {
        match c {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => depth -= 1,
            _ if depth == 0 && !in_string => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn column_definition(definition: &str) -> Column {
    let words: Vec<&str> = definition.split_whitespace().collect();
    let type_name = words[1].split('(').next().unwrap_or_default();
    let outside = outside_parentheses(definition);
    Column {
        name: words[0].to_string(),
        family: postgres_family(type_name),
        not_null: outside.contains("not null")
            || outside.contains("primary key")
            || type_name.ends_with("serial")
            || type_name.starts_with("serial"),
    }
}

fn parsed_postgres_schema() -> Schema {
    let dir = migrations_dir(Engine::Postgres);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    let mut schema = Schema::new();
    for file in files {
        let sql = std::fs::read_to_string(&file).unwrap();
        for statement in statements(&sql) {
            macro_rules! unknown {
                () => {
                    panic!(
                        "tests/integration/schema.rs does not understand this statement of {}; \
                         extend parsed_postgres_schema:\n{statement}",
                        file.display()
                    )
                };
            }
            if let Some(rest) = statement.strip_prefix("create table ") {
                let (name, body) = rest.split_once('(').unwrap_or_else(|| unknown!());
                let body = body.rsplit_once(')').unwrap_or_else(|| unknown!()).0;
                let mut columns = Vec::new();
                let mut primary_key = Vec::new();
                for item in top_level_items(body) {
                    let first = item.split_whitespace().next().unwrap_or_default();
                    if let Some(cols) = item.strip_prefix("primary key") {
                        let cols = cols.trim().trim_start_matches('(').trim_end_matches(')');
                        primary_key.extend(cols.split(',').map(|c| c.trim().to_string()));
                    } else if ["constraint", "check", "unique", "foreign", "exclude"]
                        .contains(&first)
                    {
                        if item.contains("primary key") {
                            unknown!();
                        }
                    } else {
                        columns.push(column_definition(&item));
                    }
                }
                for column in &mut columns {
                    column.not_null |= primary_key.contains(&column.name);
                }
                schema.insert(name.trim().to_string(), columns);
            } else if let Some(rest) = statement.strip_prefix("alter table ") {
                let rest = rest.strip_prefix("only ").unwrap_or(rest);
                let (table, actions) = rest.split_once(' ').unwrap_or_else(|| unknown!());
                if let Some(new_name) = actions.strip_prefix("rename to ") {
                    let columns = schema.remove(table).unwrap_or_else(|| unknown!());
                    schema.insert(new_name.trim().to_string(), columns);
                    continue;
                }
                let columns = schema.get_mut(table).unwrap_or_else(|| unknown!());
                for action in top_level_items(actions) {
                    if let Some(definition) = action.strip_prefix("add column ") {
                        let definition = definition.trim_start_matches("if not exists ");
                        columns.push(column_definition(definition));
                    } else if action.starts_with("add constraint ")
                        || action.starts_with("add check")
                    {
                        if action.contains("primary key") {
                            unknown!();
                        }
                    } else if let Some(name) = action.strip_prefix("drop column ") {
                        let name = name.trim_start_matches("if exists ");
                        let name = name.split_whitespace().next().unwrap_or_default();
                        columns.retain(|c| c.name != name);
                    } else if let Some(names) = action.strip_prefix("rename column ") {
                        let (old, new) = names.split_once(" to ").unwrap_or_else(|| unknown!());
                        let column = columns.iter_mut().find(|c| c.name == old.trim());
                        column.unwrap_or_else(|| unknown!()).name = new.trim().to_string();
                    } else if let Some(change) = action.strip_prefix("alter column ") {
                        let (name, change) = change.split_once(' ').unwrap_or_else(|| unknown!());
                        let column = columns.iter_mut().find(|c| c.name == name);
                        let column = column.unwrap_or_else(|| unknown!());
                        if change == "set not null" {
                            column.not_null = true;
                        } else if change == "drop not null" {
                            column.not_null = false;
                        } else if let Some(t) = change
                            .strip_prefix("type ")
                            .or_else(|| change.strip_prefix("set data type "))
                        {
                            column.family = postgres_family(t.split_whitespace().next().unwrap());
                        } else if !change.starts_with("set default")
                            && !change.starts_with("drop default")
                        {
                            unknown!();
                        }
                    } else if !action.starts_with("drop constraint ") {
                        unknown!();
                    }
                }
            } else if let Some(rest) = statement.strip_prefix("drop table ") {
                for name in rest.trim_start_matches("if exists ").split(',') {
                    let name = name.split_whitespace().next().unwrap_or_default();
                    schema.remove(name);
                }
            }
        }
    }
    schema
}

// ---------------------------------------------------------------------------------------------
// Scratch databases: migrated by the folder's files (all, or up to a version), without TestApp.

struct Scratch {
    db: Db,
    url: String,
    /// PostgreSQL: the administrator URL and the database to drop.
    cleanup: Option<(String, String)>,
    /// SQLite: the file to remove.
    file: Option<PathBuf>,
}

impl Scratch {
    /// `None` for PostgreSQL when no server is configured.
    async fn new(engine: Engine) -> Option<Self> {
        let name = format!("cedre_schema_{:016x}", rand::thread_rng().gen::<u64>());
        let mut file = None;
        let (url, cleanup) = match engine {
            Engine::Sqlite => {
                let path = std::env::temp_dir().join(format!("{name}.db"));
                let url = format!("sqlite://{}", path.display());
                file = Some(path);
                (url, None)
            }
            Engine::Postgres => {
                let admin = postgres_admin_url()?;
                let admin_db = Db::connect(&admin).await.expect("connect to PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin_db.pool)
                    .await
                    .unwrap();
                admin_db.pool.close().await;
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                (format!("{base}/{name}"), Some((admin, name)))
            }
        };
        let db = Db::connect(&url)
            .await
            .expect("connect to the scratch database");
        Some(Self {
            db,
            url,
            cleanup,
            file,
        })
    }

    /// Applies the folder's migrations numbered up to `last`, read from the files at run time.
    async fn migrate_up_to(&self, engine: Engine, last: i64) {
        let mut migrator = Migrator::new(migrations_dir(engine)).await.unwrap();
        let wanted: Vec<_> = migrator
            .migrations
            .iter()
            .filter(|m| m.version <= last)
            .cloned()
            .collect();
        migrator.migrations = Cow::Owned(wanted);
        migrator.run(&self.db.pool).await.unwrap();
    }

    async fn finish(self) {
        self.db.pool.close().await;
        if let Some((admin, name)) = self.cleanup {
            let admin_db = Db::connect(&admin).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin_db.pool)
                .await;
        }
        if let Some(path) = self.file {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrations_give_the_same_tables() {
    let sqlite = Scratch::new(Engine::Sqlite).await.unwrap();
    sqlite.db.migrate().await.unwrap();
    let sqlite_tables = sqlite_schema(&sqlite.db).await;
    sqlite.finish().await;
    assert!(sqlite_tables.contains_key("referentiel_versions"));
    let parsed = parsed_postgres_schema();
    match Scratch::new(Engine::Postgres).await {
        Some(postgres) => {
            postgres.db.migrate().await.unwrap();
            let postgres_tables = postgres_schema(&postgres.db).await;
            postgres.finish().await;
            assert_no_drift(
                "migrations/sqlite",
                &sqlite_tables,
                "migrations/postgres",
                &postgres_tables,
            );
            assert_no_drift(
                "PostgreSQL",
                &postgres_tables,
                "the parse of migrations/postgres",
                &parsed,
            );
        }
        None => {
            eprintln!(
                "schema: CEDRE_TEST_POSTGRES_URL is not set; the SQLite schema is compared with a \
                 parse of migrations/postgres, not with a migrated PostgreSQL database"
            );
            assert_no_drift(
                "migrations/sqlite",
                &sqlite_tables,
                "the parse of migrations/postgres",
                &parsed,
            );
        }
    }
}

#[test]
fn the_drift_check_sees_a_difference() {
    let column = |name: &str, family: Family, not_null: bool| Column {
        name: name.to_string(),
        family,
        not_null,
    };
    let left = Schema::from([(
        "t".to_string(),
        vec![
            column("id", Family::Integer64, true),
            column("at", Family::Text, true),
        ],
    )]);
    let mut right = left.clone();
    assert!(drift("l", &left, "r", &right).is_empty());
    right.get_mut("t").unwrap()[1].not_null = false;
    assert_eq!(drift("l", &left, "r", &right).len(), 1);
    right.get_mut("t").unwrap()[0].family = Family::Other("postgres integer".into());
    assert_eq!(drift("l", &left, "r", &right).len(), 2);
    right.insert("u".to_string(), Vec::new());
    assert!(drift("l", &left, "r", &right)
        .iter()
        .any(|l| l == "u: only in r"));
    let parsed = {
        let sql = "CREATE TABLE t (id BIGSERIAL PRIMARY KEY, n INTEGER, -- a comment; with a semicolon\n \
                   CHECK (n > 0));\n ALTER TABLE t ADD COLUMN s TEXT NOT NULL DEFAULT 'a,b;c', \
                   ADD CONSTRAINT t_s_check CHECK (s IN ('a', 'b'));";
        statements(sql)
    };
    assert_eq!(parsed.len(), 2, "{parsed:?}");
    assert_eq!(
        top_level_items("id bigserial primary key, n integer, check (n in (1, 2))").len(),
        3
    );
}

// ---------------------------------------------------------------------------------------------
// The CHECK constraints bite.

/// Runs a statement that must be refused by the named CHECK constraint.
async fn refused(db: &Db, constraint: &str, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for value in binds {
        query = query.bind(*value);
    }
    match query.execute(&db.pool).await {
        Ok(_) => panic!("accepted, though {constraint} should refuse it: {sql} {binds:?}"),
        Err(error) => {
            let message = error.to_string();
            assert!(
                message.to_lowercase().contains("check constraint") && message.contains(constraint),
                "{sql} {binds:?}: expected a refusal by {constraint}, got: {message}"
            );
        }
    }
}

async fn accepted(db: &Db, sql: &str, binds: &[&str]) {
    let mut query = sqlx::query(sql);
    for value in binds {
        query = query.bind(*value);
    }
    query
        .execute(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql} {binds:?} refused: {e}"));
}

const MALFORMED_TIMESTAMPS: [&str; 11] = [
    "2026-01-02 03:04:05.000000Z",
    "2026-01-02T03:04:05Z",
    "2026-01-02T03:04:05.000Z",
    "2026-01-02T03:04:05.000000",
    "2026-01-02T03:04:05.000000+00:00",
    "2026-1-02T03:04:05.000000Z",
    "2026-02-30T03:04:05.000000Z",
    "2026-13-02T03:04:05.000000Z",
    "2026-01-02T24:00:00.000000Z",
    "2026-01-02T03:60:05.000000Z",
    "",
];

const MALFORMED_DATES: [&str; 7] = [
    "2026-02-30",
    "2025-02-29",
    "2026-00-10",
    "2026-04-31",
    "02/01/2026",
    "2026-01-02T00:00:00.000000Z",
    "",
];

async fn checks_refuse_what_the_code_never_writes(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let db = &app.db;
    let now = domain::time::to_stored(chrono::Utc::now());

    // Flags are 0 or 1.
    refused(
        db,
        "accounts_active_check",
        "UPDATE accounts SET active = 2",
        &[],
    )
    .await;
    refused(
        db,
        "accounts_must_change_password_check",
        "UPDATE accounts SET must_change_password = -1",
        &[],
    )
    .await;
    refused(
        db,
        "organisations_active_check",
        "INSERT INTO organisations (kind, name, active, created_at, updated_at) \
         VALUES ('cabinet_audit', 'Audit 2', 2, $1, $1)",
        &[&now],
    )
    .await;
    accepted(
        db,
        "INSERT INTO organisations (kind, name, active, created_at, updated_at) \
         VALUES ('cabinet_audit', 'Audit 0', 0, $1, $1)",
        &[&now],
    )
    .await;

    // Timestamps are the stored form, and a real instant.
    for bad in MALFORMED_TIMESTAMPS {
        refused(
            db,
            "login_attempts_last_attempt_at_check",
            "INSERT INTO login_attempts (scope, attempts, last_attempt_at) VALUES ($1, 0, $1)",
            &[bad],
        )
        .await;
    }
    refused(
        db,
        "accounts_updated_at_check",
        "UPDATE accounts SET updated_at = $1",
        &["2026-01-02T03:04:05Z"],
    )
    .await;
    refused(
        db,
        "accounts_last_login_at_check",
        "UPDATE accounts SET last_login_at = $1",
        &["yesterday"],
    )
    .await;
    for good in [
        now.as_str(),
        "2024-02-29T23:59:59.999999Z",
        "2026-01-02T03:04:05.000000Z",
    ] {
        accepted(
            db,
            "INSERT INTO login_attempts (scope, attempts, last_attempt_at) VALUES ($1, 0, $1)",
            &[good],
        )
        .await;
    }
    accepted(db, "UPDATE accounts SET last_login_at = NULL", &[]).await;

    // Dates are YYYY-MM-DD, and a real day.
    for bad in MALFORMED_DATES {
        refused(
            db,
            "organisations_entry_date_check",
            "UPDATE organisations SET entry_date = $1 WHERE kind = 'siae'",
            &[bad],
        )
        .await;
    }
    refused(
        db,
        "referentiel_versions_in_force_from_check",
        "UPDATE referentiel_versions SET in_force_from = $1",
        &["2004-10-1"],
    )
    .await;
    accepted(
        db,
        "UPDATE organisations SET entry_date = $1 WHERE kind = 'siae'",
        &["2024-02-29"],
    )
    .await;

    // Codes are those of the domain.
    for state in ["abrogee", "", "Brouillon", "en vigueur"] {
        refused(
            db,
            "referentiel_versions_state_check",
            "UPDATE referentiel_versions SET state = $1",
            &[state],
        )
        .await;
    }
    for state in ["brouillon", "validee", "remplacee", "en_vigueur"] {
        accepted(db, "UPDATE referentiel_versions SET state = $1", &[state]).await;
    }
    refused(
        db,
        "memberships_role_check",
        "UPDATE memberships SET role = $1",
        &["super_administrateur"],
    )
    .await;
    accepted(
        db,
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, \
         updated_at) VALUES ('roles@cedre.test', 'Rôles', 'h', 0, 1, $1, $1)",
        &[&now],
    )
    .await;
    for role in domain::role::Role::ALL {
        accepted(
            db,
            "INSERT INTO memberships (account_id, organisation_id, role, created_at) SELECT a.id, o.id, $1, $2 \
             FROM accounts AS a, organisations AS o WHERE a.email = 'roles@cedre.test' AND o.kind = 'federation'",
            &[role.code(), &now],
        )
        .await;
    }
    refused(
        db,
        "organisations_kind_check",
        "UPDATE organisations SET kind = $1 WHERE kind = 'cabinet_audit'",
        &["association"],
    )
    .await;
    refused(
        db,
        "organisations_siae_type_check",
        "UPDATE organisations SET siae_type = $1 WHERE kind = 'siae'",
        &["SCOP"],
    )
    .await;
    refused(
        db,
        "assessments_status_check",
        "INSERT INTO assessments (siae_id, requirement_key, status, updated_at, updated_by) \
         VALUES ((SELECT MIN(id) FROM organisations WHERE kind = 'siae'), '2.1 a', 'parfait', $1, 'test')",
        &[&now],
    )
    .await;
    app.finish().await;
}
on_both_engines!(checks_refuse_what_the_code_never_writes);

// ---------------------------------------------------------------------------------------------
// Migration 0003 on a database that holds rows.

async fn upgrading_keeps_the_rows_and_fills_the_state(engine: Engine) {
    let Some(scratch) = Scratch::new(engine).await else {
        return;
    };
    scratch.migrate_up_to(engine, 2).await;
    let db = &scratch.db;
    let at = "2026-01-02T03:04:05.000000Z";
    for sql in [
        "INSERT INTO organisations (kind, name, active, created_at, updated_at) VALUES ('federation', 'Fédération', 1, $1, $1)",
        "INSERT INTO organisations (kind, name, active, created_at, updated_at) VALUES ('region', 'Région', 1, $1, $1)",
        "INSERT INTO organisations (kind, name, region_id, siae_type, entry_date, active, created_at, updated_at) \
         VALUES ('siae', 'SIAE', 2, 'AI', '2020-01-01', 1, $1, $1)",
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, updated_at) \
         VALUES ('a@cedre.test', 'A', 'h', 0, 1, $1, $1)",
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, updated_at) \
         VALUES ('b@cedre.test', 'B', 'h', 0, 1, $1, $1)",
        "INSERT INTO memberships (account_id, organisation_id, role, created_at) VALUES (1, 3, 'direction', $1)",
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, expires_at) VALUES ('t', 1, $1, $1, $1)",
        "INSERT INTO audit_events (occurred_at, actor_name, action, entity_type, summary, changes) \
         VALUES ($1, 'test', 'test', 'test', 'avant la migration', '{}')",
        "INSERT INTO referentiel_versions (code, label, definition, bureau_validated_on, in_force_from, created_at, updated_at) \
         VALUES ('v2004', 'a', '{}', '2004-09-01', '2004-10-01', $1, $1)",
        "INSERT INTO referentiel_versions (code, label, definition, bureau_validated_on, in_force_from, created_at, updated_at) \
         VALUES ('v2011', 'b', '{}', '2010-09-01', '2011-01-01', $1, $1)",
        "INSERT INTO referentiel_versions (code, label, definition, bureau_validated_on, in_force_from, created_at, updated_at) \
         VALUES ('v2012', 'c', '{}', '2012-09-01', NULL, $1, $1)",
        "INSERT INTO referentiel_versions (code, label, definition, bureau_validated_on, in_force_from, created_at, updated_at) \
         VALUES ('v2013', 'd', '{}', NULL, NULL, $1, $1)",
        "INSERT INTO siae_referentiel (siae_id, version_id, previous_version, assigned_at) VALUES (3, 2, 1, $1)",
        "INSERT INTO assessment_history (siae_id, requirement_key, changed_at, changed_by, field, before_value, after_value) \
         VALUES (3, '2.1 a', $1, 'test', 'statut', 'non_evalue', 'conforme')",
        "DELETE FROM accounts WHERE email = 'b@cedre.test'",
    ] {
        let query = sqlx::query(sql);
        let query = if sql.contains("$1") { query.bind(at) } else { query };
        query.execute(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let objects = "SELECT type || ' ' || name || ': ' || sql AS object FROM sqlite_master \
                   WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name";
    let objects_before: Vec<String> = if engine == Engine::Sqlite {
        sqlx::query_scalar(objects)
            .fetch_all(&db.pool)
            .await
            .unwrap()
    } else {
        Vec::new()
    };

    // Up to 0003 only: later migrations change other tables (0004 chains the trail, 0005 replaces
    // login_failures).
    scratch.migrate_up_to(engine, 3).await;

    let states: Vec<(String, String)> =
        sqlx::query("SELECT code, state FROM referentiel_versions ORDER BY code")
            .fetch_all(&db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("code"), r.get("state")))
            .collect();
    let expected = [
        ("v2004", "remplacee"),
        ("v2011", "en_vigueur"),
        ("v2012", "validee"),
        ("v2013", "brouillon"),
    ];
    assert_eq!(
        states,
        expected
            .map(|(c, s)| (c.to_string(), s.to_string()))
            .to_vec()
    );
    let count = |sql: &'static str| async move {
        sqlx::query(sql)
            .fetch_one(&db.pool)
            .await
            .unwrap()
            .get::<i64, _>(0)
    };
    // Every row is still there; the session was not cascaded away with a dropped table.
    assert_eq!(count("SELECT COUNT(*) FROM organisations").await, 3);
    assert_eq!(count("SELECT COUNT(*) FROM sessions").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM memberships").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM siae_referentiel").await, 1);
    assert_eq!(count("SELECT COUNT(*) FROM assessment_history").await, 1);
    // The append-only triggers still refuse.
    for sql in [
        "UPDATE audit_events SET summary = 'effacé'",
        "DELETE FROM audit_events",
        "DELETE FROM assessment_history",
    ] {
        let error = sqlx::query(sql).execute(&db.pool).await.unwrap_err();
        assert!(error.to_string().contains("append-only"), "{sql}: {error}");
    }
    // References are still enforced, and still cascade where they did.
    let error = sqlx::query(
        "INSERT INTO memberships (account_id, organisation_id, role, created_at) VALUES (99, 3, 'direction', $1)",
    )
    .bind(at)
    .execute(&db.pool)
    .await
    .unwrap_err();
    assert!(
        error.to_string().to_lowercase().contains("foreign key"),
        "{error}"
    );
    // The counters go on: the deleted account's id is not given again.
    let id: i64 = sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, updated_at) \
         VALUES ('c@cedre.test', 'C', 'h', 0, 1, $1, $1) RETURNING id",
    )
    .bind(at)
    .fetch_one(&db.pool)
    .await
    .unwrap()
    .get("id");
    assert_eq!(id, 3);
    if engine == Engine::Sqlite {
        let objects_after: Vec<String> = sqlx::query_scalar(objects)
            .fetch_all(&db.pool)
            .await
            .unwrap();
        assert_eq!(
            objects_after, objects_before,
            "indexes and triggers as before"
        );
        let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(foreign_keys, 1);
        sqlx::query("DELETE FROM memberships")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM accounts WHERE id = 1")
            .execute(&db.pool)
            .await
            .unwrap();
        assert_eq!(
            count("SELECT COUNT(*) FROM sessions").await,
            0,
            "ON DELETE CASCADE"
        );
    }
    scratch.finish().await;
}
on_both_engines!(upgrading_keeps_the_rows_and_fills_the_state);

/// Data that breaks a new rule stops the upgrade, naming the rule, and leaves the database as it was.
async fn upgrading_refuses_rows_that_break_a_rule(engine: Engine) {
    let Some(scratch) = Scratch::new(engine).await else {
        return;
    };
    scratch.migrate_up_to(engine, 2).await;
    let db = &scratch.db;
    sqlx::query(
        "INSERT INTO accounts (email, display_name, password_hash, must_change_password, active, created_at, updated_at) \
         VALUES ('a@cedre.test', 'A', 'h', 0, 1, '2026-01-02 03:04:05', '2026-01-02T03:04:05.000000Z')",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let error = db.migrate().await.unwrap_err().to_string();
    assert!(error.contains("accounts_created_at_check"), "{error}");
    let applied: i64 = sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(applied, 2);
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
    scratch.finish().await;
}
on_both_engines!(upgrading_refuses_rows_that_break_a_rule);

// ---------------------------------------------------------------------------------------------
// Migration 0004: the entries written before it are chained, once; REPLACE is refused.

const EARLIER_ENTRIES: [&str; 3] = [
    "INSERT INTO audit_events (occurred_at, actor_name, action, entity_type, summary, changes) \
     VALUES ('2025-03-01T08:00:00.000000Z', 'ligne de commande (cedre demo)', 'organisation.creation', \
     'organisation', 'Création de l''organisation « Fédération »', '{}')",
    "INSERT INTO audit_events (occurred_at, actor_account_id, actor_name, action, entity_type, entity_id, \
     organisation_id, summary, changes) VALUES ('2025-03-02T09:30:00.000000Z', 1, 'Camille', \
     'compte.modification', 'compte', 2, NULL, 'Modification du compte de « B » : nom', '{\"avant\": \"é\"}')",
    "INSERT INTO audit_events (occurred_at, actor_name, action, entity_type, entity_id, organisation_id, \
     summary, changes) VALUES ('2025-03-03T10:45:00.000000Z', 'Camille', 'organisation.modification', \
     'organisation', 1, 1, 'Modification', '[]')",
];

async fn upgrading_chains_the_earlier_entries(engine: Engine) {
    let Some(scratch) = Scratch::new(engine).await else {
        return;
    };
    let db = &scratch.db;
    scratch.migrate_up_to(engine, 3).await;
    for sql in EARLIER_ENTRIES {
        sqlx::query(sql)
            .execute(&db.pool)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    let url = scratch.url.clone();
    let cedre = |args: &'static [&'static str]| {
        let url = url.clone();
        async move {
            let mut all = vec!["--database-url", url.as_str()];
            all.extend_from_slice(args);
            tests::cedre(&all).await
        }
    };

    // Told not to migrate, the commands refuse a schema that is behind, naming what is missing;
    // the verifier never migrates.
    let refused = cedre(&["--auto-migrate", "false", "demo"])
        .await
        .unwrap_err();
    // Every migration from 0004 on, whatever the latest is.
    let latest = Migrator::new(migrations_dir(engine))
        .await
        .unwrap()
        .migrations
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap();
    let behind: Vec<i64> = (4..=latest).collect();
    let listed = behind
        .iter()
        .map(|v| format!("{v:04}"))
        .collect::<Vec<_>>()
        .join(", ");
    assert!(
        refused.contains(&format!(
            "n'est pas à jour (migrations en attente : {listed})"
        )) && refused.contains("cedre migrate"),
        "{refused}"
    );
    let refused = cedre(&["journal", "verifier"]).await.unwrap_err();
    assert!(refused.contains("0004"), "{refused}");
    assert_eq!(db.pending_migrations().await.unwrap().versions, behind);

    // The migrations alone (0004 and after) leave the earlier entries without hashes; the one
    // change 0004's triggers allow them is receiving both hashes, every other column unchanged.
    scratch.migrate_up_to(engine, i64::MAX).await;
    let pending = db.pending_migrations().await.unwrap();
    assert_eq!((pending.versions.len(), pending.unchained_entries), (0, 3));
    let genesis = backend::db::audit::GENESIS;
    let other = "ab".repeat(32);
    for (sql, binds) in [
        (
            "UPDATE audit_events SET summary = 'falsifié', previous_hash = $1, entry_hash = $2 WHERE id = 1",
            vec![genesis, other.as_str()],
        ),
        (
            "UPDATE audit_events SET previous_hash = $1 WHERE id = 1",
            vec![genesis],
        ),
        ("UPDATE audit_events SET summary = 'falsifié' WHERE id = 1", vec![]),
        ("DELETE FROM audit_events WHERE id = 1", vec![]),
    ] {
        let mut query = sqlx::query(sql);
        for b in binds {
            query = query.bind(b);
        }
        let error = query.execute(&db.pool).await.unwrap_err().to_string();
        assert!(
            error.contains("append-only") || error.contains("audit_events_chained"),
            "{sql}: {error}"
        );
    }
    let refused = cedre(&["--auto-migrate", "false", "demo"])
        .await
        .unwrap_err();
    assert!(
        refused.contains("3 entrées du journal d'audit à chaîner"),
        "{refused}"
    );

    // `cedre migrate` chains them, in id order, from the genesis hash; the entry it then writes
    // (the built-in référentiel's installation) follows them.
    cedre(&["migrate"]).await.unwrap();
    assert!(db.pending_migrations().await.unwrap().is_empty());
    let report = backend::audit::verify_chain(db).await.unwrap();
    assert!(report.is_intact(), "{}", report.describe());
    assert_eq!(report.entries, 4);
    let links: Vec<(String, String)> =
        sqlx::query_as("SELECT previous_hash, entry_hash FROM audit_events ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(links[0].0, genesis);
    for pair in links.windows(2) {
        assert_eq!(pair[1].0, pair[0].1);
    }
    cedre(&["journal", "verifier"]).await.unwrap();

    // Once chained, the entries are as append-only as the others; a second `migrate` changes
    // nothing; new entries go on the chain.
    let error = sqlx::query("UPDATE audit_events SET entry_hash = $1 WHERE id = 1")
        .bind(&other)
        .execute(&db.pool)
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("append-only"), "{error}");
    db.migrate().await.unwrap();
    let again: Vec<(String, String)> =
        sqlx::query_as("SELECT previous_hash, entry_hash FROM audit_events ORDER BY id")
            .fetch_all(&db.pool)
            .await
            .unwrap();
    assert_eq!(again, links);
    cedre(&["demo"]).await.unwrap();
    let report = backend::audit::verify_chain(db).await.unwrap();
    assert!(report.is_intact(), "{}", report.describe());
    assert!(report.entries > 4);
    cedre(&["--auto-migrate", "false", "journal", "verifier"])
        .await
        .unwrap();
    scratch.finish().await;
}
on_both_engines!(upgrading_chains_the_earlier_entries);

/// On SQLite, `INSERT OR REPLACE` deleted the row in its way without firing the DELETE trigger.
/// Two layers refuse it now, each on its own: the connection's `recursive_triggers` (db/mod.rs),
/// and the BEFORE INSERT triggers of 0004, which hold on any connection (the sqlite3 shell has
/// recursive triggers off). An upsert's DO UPDATE fires the UPDATE trigger: always refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_replace_is_refused_by_each_layer() {
    let scratch = Scratch::new(Engine::Sqlite).await.unwrap();
    scratch.migrate_up_to(Engine::Sqlite, 3).await;
    let db = &scratch.db;
    for sql in [
        "INSERT INTO organisations (kind, name, active, created_at, updated_at) \
         VALUES ('federation', 'Fédération', 1, '2025-03-01T08:00:00.000000Z', '2025-03-01T08:00:00.000000Z')",
        EARLIER_ENTRIES[0],
        "INSERT INTO assessment_history (siae_id, requirement_key, changed_at, changed_by, field, before_value, after_value) \
         VALUES (1, '2.1 a', '2025-03-01T08:00:00.000000Z', 'test', 'statut', 'non_evalue', 'conforme')",
    ] {
        sqlx::query(sql).execute(&db.pool).await.unwrap();
    }
    // The row copied onto itself, one column changed (the hashes copied too once they exist).
    let replace = |hashes: bool| {
        let h = if hashes {
            ", previous_hash, entry_hash"
        } else {
            ""
        };
        [
            format!(
                "INSERT OR REPLACE INTO audit_events (id, occurred_at, actor_name, action, entity_type, summary, changes{h}) \
                 SELECT id, occurred_at, actor_name, action, entity_type, 'effacé', changes{h} FROM audit_events WHERE id = 1"
            ),
            "REPLACE INTO assessment_history (id, siae_id, requirement_key, changed_at, changed_by, field, before_value, after_value) \
             SELECT id, siae_id, requirement_key, changed_at, changed_by, field, before_value, 'effacé' FROM assessment_history WHERE id = 1"
                .to_string(),
            format!(
                "INSERT INTO audit_events (id, occurred_at, actor_name, action, entity_type, summary, changes{h}) \
                 SELECT id, occurred_at, actor_name, action, entity_type, summary, changes{h} FROM audit_events \
                 WHERE id = 1 ON CONFLICT (id) DO UPDATE SET summary = 'effacé'"
            ),
        ]
    };
    let mut conn = db.pool.acquire().await.unwrap();
    let refused = |result: Result<(), String>, what: &str| match result {
        Ok(()) => panic!("{what}: accepted"),
        Err(e) => assert!(e.contains("append-only"), "{what}: {e}"),
    };

    // Before this change (0003, recursive triggers off): REPLACE overwrote the rows.
    execute(&mut conn, "PRAGMA recursive_triggers = OFF")
        .await
        .unwrap();
    let [audit, history, upsert] = replace(false);
    execute(&mut conn, &audit)
        .await
        .expect("the hole, as it was");
    execute(&mut conn, &history)
        .await
        .expect("the hole, as it was");
    refused(execute(&mut conn, &upsert).await, "upsert at 0003");
    let summary: String = sqlx::query_scalar("SELECT summary FROM audit_events WHERE id = 1")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(summary, "effacé", "REPLACE overwrote the entry");

    // The connection's setting alone refuses it.
    execute(&mut conn, "PRAGMA recursive_triggers = ON")
        .await
        .unwrap();
    for (i, sql) in replace(false).iter().enumerate() {
        refused(
            execute(&mut conn, sql).await,
            &format!("0003, recursive triggers on, attempt {i}"),
        );
    }

    // The triggers of 0004 alone refuse it.
    drop(conn);
    db.migrate().await.unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    execute(&mut conn, "PRAGMA recursive_triggers = OFF")
        .await
        .unwrap();
    for (i, sql) in replace(true).iter().enumerate() {
        refused(
            execute(&mut conn, sql).await,
            &format!("0004, recursive triggers off, attempt {i}"),
        );
    }
    execute(&mut conn, "PRAGMA recursive_triggers = ON")
        .await
        .unwrap();
    drop(conn);
    let on: i64 = sqlx::query_scalar("PRAGMA recursive_triggers")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(on, 1, "Cedre's connections have recursive triggers on");
    scratch.finish().await;
}

async fn execute(conn: &mut sqlx::AnyConnection, sql: &str) -> Result<(), String> {
    sqlx::query(sql)
        .execute(conn)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}
