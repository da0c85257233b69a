//! Helpers for the integration tests: a fresh, migrated database per test (SQLite always,
//! PostgreSQL when `CEDRE_TEST_POSTGRES_URL` names a server), the application router built on
//! it, and a client that keeps cookies and posts forms the way a browser without script does.

use app::api::ssr::ServerContext;
use axum::body::Body;
use axum::Router;
use backend::sessions::{SessionPolicy, Sessions};
use backend::Db;
use http::{header, Request, StatusCode};
use rand::Rng;
use std::collections::BTreeMap;
use tower::ServiceExt;

pub const ORIGIN: &str = "http://cedre.test";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    pub ctx: ServerContext,
    /// The database's URL, for the command line or another role.
    pub url: String,
    cleanup: Option<(String, String)>,
}

/// The administrator connection for PostgreSQL tests, e.g. `postgres://cedre:cedre@127.0.0.1/postgres`.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("CEDRE_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CEDRE_TEST_REQUIRE_POSTGRES").is_err(),
                "CEDRE_TEST_REQUIRE_POSTGRES is set but CEDRE_TEST_POSTGRES_URL is not"
            );
            None
        }
    }
}

/// What the router serves: the built site in `site_root` (its `pkg/` folder and root files); with
/// `hash_file`, pages link the fingerprinted names it lists, as after `cargo leptos build` with
/// `hash-files = true`.
fn site_options(
    site_root: &str,
    hash_file: Option<&std::path::Path>,
) -> leptos::prelude::LeptosOptions {
    leptos::prelude::LeptosOptions::builder()
        .output_name("cedre")
        .site_root(site_root)
        .hash_files(hash_file.is_some())
        // An absolute path: Leptos joins it to the binary's folder, which it then replaces.
        .hash_file(
            hash_file
                .map(|path| path.to_string_lossy().as_ref().into())
                .unwrap_or_else(|| "hash.txt".into()),
        )
        .build()
}

fn unique_name() -> String {
    format!("cedre_test_{:016x}", rand::thread_rng().gen::<u64>())
}

impl TestApp {
    /// `None` when the engine is not available here (PostgreSQL without a URL).
    pub async fn start(engine: Engine) -> Option<Self> {
        Self::serving_site(engine, "target/site", None).await
    }

    /// The application serving the built site in `site_root` (its `pkg/` folder and root files);
    /// with `hash_file`, pages link the fingerprinted names it lists, as after
    /// `cargo leptos build` with `hash-files = true`.
    pub async fn serving_site(
        engine: Engine,
        site_root: &str,
        hash_file: Option<&std::path::Path>,
    ) -> Option<Self> {
        let (url, cleanup) = match engine {
            Engine::Sqlite => {
                let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
                (format!("sqlite://{}", path.display()), None)
            }
            Engine::Postgres => {
                let admin = postgres_admin_url()?;
                let name = unique_name();
                let admin_db = Db::connect(&admin)
                    .await
                    .expect("connect to the PostgreSQL test server");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&admin_db.pool)
                    .await
                    .unwrap();
                admin_db.pool.close().await;
                let base = admin
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(&admin);
                (format!("{base}/{name}"), Some((admin, name)))
            }
        };
        let db = Db::connect(&url)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        backend::referentiels::ensure_builtin(&db)
            .await
            .expect("install the référentiel");
        Some(Self::on_site(
            db,
            url,
            cleanup,
            site_options(site_root, hash_file),
        ))
    }

    /// The application served from `db` (whose URL is `url`); `cleanup` drops its database at
    /// [`TestApp::finish`].
    pub fn on(db: Db, url: String, cleanup: Option<(String, String)>) -> Self {
        Self::on_site(db, url, cleanup, site_options("target/site", None))
    }

    fn on_site(
        db: Db,
        url: String,
        cleanup: Option<(String, String)>,
        options: leptos::prelude::LeptosOptions,
    ) -> Self {
        let ctx = ServerContext {
            db: db.clone(),
            sessions: Sessions::new(b"test secret".to_vec(), SessionPolicy::default()),
            transport: Default::default(),
            echoes: Default::default(),
            renderer: backend::pdf::Renderer::InProcess,
            public_url: None,
            sends_mail: false,
        };
        let router = cedre::build_router(cedre::AppState {
            leptos_options: options,
            ctx: ctx.clone(),
            trusted_proxies: "10.0.0.0/8".parse().unwrap(),
        });
        Self {
            router,
            db,
            ctx,
            url,
            cleanup,
        }
    }

    /// The same application configured as served over HTTPS (`CEDRE_SECURE_COOKIES=true`).
    pub fn over_https(mut self) -> Self {
        self.ctx.transport = app::api::ssr::Transport { https: true };
        self.router = cedre::build_router(cedre::AppState {
            leptos_options: site_options("target/site", None),
            ctx: self.ctx.clone(),
            trusted_proxies: "10.0.0.0/8".parse().unwrap(),
        });
        self
    }

    pub async fn with_demo(engine: Engine) -> Option<Self> {
        let app = Self::start(engine).await?;
        backend::demo::load(&app.db)
            .await
            .expect("load the demo data");
        Some(app)
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: BTreeMap::new(),
            address: ([192, 0, 2, 1], 50000).into(),
            user_agent: None,
        }
    }

    /// A client signed in as a demo account.
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut client = self.client();
        let mut response = client.login(email, backend::demo::DEMO_PASSWORD).await;
        if response.location() == Some("/connexion/code?suite=%2F") {
            response = client.login_code(&self.demo_code(email).await).await;
        }
        assert_eq!(
            response.location(),
            Some("/"),
            "login of {email} failed: {}",
            response.body
        );
        client
    }

    /// The code the application of a demo account with a second factor shows now (the next one
    /// if it was used: a login accepts two in a row at most).
    pub async fn demo_code(&self, email: &str) -> String {
        let account = self.id_of(("accounts", "email"), email).await;
        backend::demo::current_code(&self.db, account)
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{email}: its codes of this minute are used"))
    }

    /// A demo account as the backend sees its caller, for calling use cases directly.
    pub async fn identity(&self, email: &str) -> backend::Identity {
        let account = self.id_of(("accounts", "email"), email).await;
        backend::Identity::load(&self.db, account, String::new())
            .await
            .unwrap()
            .unwrap_or_else(|| panic!("{email} is an active account"))
    }

    pub async fn count(&self, sql: &str) -> i64 {
        use sqlx::Row;
        sqlx::query(sql)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>(0)
            .unwrap()
    }

    pub async fn id_of(&self, table_column: (&str, &str), value: &str) -> i64 {
        use sqlx::Row;
        let (table, column) = table_column;
        sqlx::query(&format!("SELECT id FROM {table} WHERE {column} = $1"))
            .bind(value)
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
            .try_get::<i64, _>("id")
            .unwrap()
    }

    /// Every row of every table (migrations' bookkeeping aside), as text, sorted by table and
    /// row: two snapshots differ when a row was added, removed or changed anywhere.
    /// `sessions.last_seen_at` is left out: reading a page may refresh it; so are the security
    /// journal, which records the refused accesses themselves, and the throttling counters, which
    /// count every attempt, refused or not.
    pub async fn snapshot(&self) -> Snapshot {
        use sqlx::{Column, Row};
        let tables_sql = match self.db.engine {
            backend::db::Engine::Sqlite => {
                "SELECT name AS t FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
            }
            backend::db::Engine::Postgres => {
                "SELECT table_name::text AS t FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations'"
            }
        };
        let tables: Vec<String> = sqlx::query(tables_sql)
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.try_get::<String, _>("t").unwrap())
            .collect();
        assert!(tables.len() >= 10, "the tables are listed: {tables:?}");
        let mut snapshot = Snapshot::new();
        for table in tables
            .into_iter()
            .filter(|t| t != "security_events" && t != "login_attempts")
        {
            let rows = sqlx::query(&format!("SELECT * FROM {table}"))
                .fetch_all(&self.db.pool)
                .await
                .unwrap();
            let mut dumped: Vec<String> = rows
                .iter()
                .map(|row| {
                    row.columns()
                        .iter()
                        .filter(|c| !(table == "sessions" && c.name() == "last_seen_at"))
                        .map(|c| {
                            let i = c.ordinal();
                            let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
                                format!("{v:?}")
                            } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
                                format!("{v:?}")
                            } else if let Ok(v) = row.try_get::<Option<Vec<u8>>, _>(i) {
                                format!("{:?}", v.map(|b| sha256_hex(&b)))
                            } else {
                                panic!("{table}.{} does not decode", c.name())
                            };
                            format!("{}={value}", c.name())
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            dumped.sort();
            snapshot.insert(table, dumped);
        }
        snapshot
    }

    /// Drops the PostgreSQL database of this test.
    pub async fn finish(self) {
        self.db.pool.close().await;
        if let Some((admin, name)) = self.cleanup {
            let admin_db = Db::connect(&admin).await.unwrap();
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&admin_db.pool)
                .await;
        }
    }
}

/// See [`TestApp::snapshot`].
pub type Snapshot = BTreeMap<String, Vec<String>>;

/// The rows that differ between two snapshots, table by table (empty when nothing changed).
pub fn snapshot_changes(before: &Snapshot, after: &Snapshot) -> Vec<String> {
    let mut changes = Vec::new();
    let none = Vec::new();
    let tables: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for table in tables {
        let b = before.get(table).unwrap_or(&none);
        let a = after.get(table).unwrap_or(&none);
        for row in b.iter().filter(|r| !a.contains(r)) {
            changes.push(format!("{table}: - {row}"));
        }
        for row in a.iter().filter(|r| !b.contains(r)) {
            changes.push(format!("{table}: + {row}"));
        }
    }
    changes
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub struct Client {
    router: Router,
    pub cookies: BTreeMap<String, String>,
    /// The address the requests come from (the test router trusts 10.0.0.0/8 as proxies).
    pub address: std::net::SocketAddr,
    /// The `User-Agent` sent with every request, if any.
    pub user_agent: Option<String>,
}

#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: http::HeaderMap,
    /// The body as text (lossy for binary files); `bytes` holds it exactly.
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

impl Client {
    /// A client of its own address.
    pub fn from_address(mut self, address: &str) -> Self {
        self.address = (address.parse::<std::net::IpAddr>().unwrap(), 50000).into();
        self
    }

    /// A client of its own browser.
    pub fn with_user_agent(mut self, user_agent: &str) -> Self {
        self.user_agent = Some(user_agent.to_string());
        self
    }

    pub async fn send(&mut self, mut request: Request<Body>) -> Response {
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(self.address));
        if let Some(user_agent) = &self.user_agent {
            if let Ok(value) = http::HeaderValue::from_str(user_agent) {
                request.headers_mut().insert(header::USER_AGENT, value);
            }
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 10 << 20)
            .await
            .unwrap();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let request = Request::get(path)
            .header(header::HOST, "cedre.test")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// Posts a form as a browser without script does: same origin, expecting HTML, coming from `referer`.
    pub async fn post_form(
        &mut self,
        path: &str,
        referer: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let request = Request::post(path)
            .header(header::HOST, "cedre.test")
            .header(header::ORIGIN, ORIGIN)
            .header(header::REFERER, format!("{ORIGIN}{referer}"))
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::from(encode_form(fields)))
            .unwrap();
        self.send(request).await
    }

    /// Calls a server function the way a script would: no HTML expected, the status tells the outcome.
    pub async fn call(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let request = Request::post(path)
            .header(header::HOST, "cedre.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::from(encode_form(fields)))
            .unwrap();
        self.send(request).await
    }

    /// Uploads an evidence file as the page's form does (multipart, same origin).
    pub async fn upload(
        &mut self,
        siae_id: i64,
        requirement: &str,
        file_name: &str,
        content: &[u8],
    ) -> Response {
        self.post_multipart(
            &format!("/organisations/{siae_id}/preuves"),
            &[
                ("exigence", None, requirement.as_bytes()),
                ("fichier", Some(file_name), content),
            ],
        )
        .await
    }

    /// Posts a multipart form as the browser does: each part's name, file name (for a file) and
    /// content.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        parts: &[(&str, Option<&str>, &[u8])],
    ) -> Response {
        let boundary = "----cedre-test-boundary";
        let mut body = Vec::new();
        for (name, file_name, content) in parts {
            let disposition = match file_name {
                Some(file) => format!(
                    "form-data; name=\"{name}\"; filename=\"{file}\"\r\nContent-Type: application/octet-stream"
                ),
                None => format!("form-data; name=\"{name}\""),
            };
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(header::HOST, "cedre.test")
            .header(header::ORIGIN, ORIGIN)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, self.cookie_header())
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts plain text as a script of the page does (same origin).
    pub async fn post_text(&mut self, path: &str, text: &str) -> Response {
        let request = Request::post(path)
            .header(header::HOST, "cedre.test")
            .header(header::ORIGIN, ORIGIN)
            .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .header(header::COOKIE, self.cookie_header())
            .body(Body::from(text.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// The second step of a login with a second factor.
    pub async fn login_code(&mut self, code: &str) -> Response {
        self.post_form(
            "/api/connexion/code",
            "/connexion/code?suite=%2F",
            &[("verification", code), ("suite", "/")],
        )
        .await
    }

    pub async fn login(&mut self, email: &str, password: &str) -> Response {
        self.post_form(
            "/api/connexion",
            "/connexion",
            &[("email", email), ("password", password), ("suite", "/")],
        )
        .await
    }
}

pub fn encode_form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", app::url::encode(k), app::url::encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Runs `cedre ARGS…` as the binary does, in this process; the error is what the binary prints
/// before exiting with code 1.
pub async fn cedre(args: &[&str]) -> Result<(), String> {
    use clap::Parser;
    let cli =
        cedre::config::Cli::try_parse_from(std::iter::once("cedre").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
    let command = cli.command.unwrap_or(cedre::config::Command::Serve);
    cedre::cli::run(cli.settings, command)
        .await
        .map_err(|e| format!("{e:#}"))
}

/// Says, past the test harness's capture, that a PostgreSQL story did not run: without it the
/// harness would report the story as passed. `.ci/run` sets `CEDRE_TEST_REQUIRE_POSTGRES`, which
/// turns a missing server into a failure instead (see [`postgres_admin_url`]).
pub fn postgres_story_skipped(story: &str) {
    use std::io::Write;
    // `eprintln!` is captured by the harness and shown only on failure; a write to the standard
    // error stream itself is not.
    let _ = writeln!(
        std::io::stderr(),
        "PostgreSQL story skipped: {story} (CEDRE_TEST_POSTGRES_URL is not set; `source .ci/postgres` sets it)"
    );
}

/// Runs a story on SQLite and, when available, on PostgreSQL; a PostgreSQL story that cannot run
/// says so on the standard error stream.
#[macro_export]
macro_rules! on_both_engines {
    ($story:ident) => {
        mod $story {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$story(tests::Engine::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if tests::postgres_admin_url().is_some() {
                    super::$story(tests::Engine::Postgres).await;
                } else {
                    tests::postgres_story_skipped(module_path!());
                }
            }
        }
    };
}

/// A refused form post goes back to the form (server functions add `__path`/`__err` to the query).
pub fn assert_back_to(response: &Response, form_path: &str) {
    let location = response.location().unwrap_or_default();
    let expected = format!("{ORIGIN}{form_path}");
    assert!(
        location == expected
            || location.starts_with(&format!("{expected}?"))
            || location.starts_with(&format!("{expected}&")),
        "expected a return to {expected}, got {location:?} ({})",
        response.status
    );
}

/// A small real PNG (240 × 80), for the logo of a manual's cover.
pub const LOGO_PNG: &[u8] = include_bytes!("../fixtures/logo.png");

/// The text of a PDF, read back with poppler's `pdftotext`.
pub fn pdf_text(bytes: &[u8]) -> String {
    let path = std::env::temp_dir().join(format!("cedre-{}.pdf", rand::random::<u64>()));
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&output.stdout).into_owned()
}
