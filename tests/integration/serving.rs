//! How long browsers may keep each answer: fingerprinted static files for a year (immutable), the
//! site root's files (favicon) briefly, pages and server function answers not at all (they are
//! per user). The cache policy does not depend on the database engine: these run on SQLite.

use axum::body::Body;
use http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, IF_MODIFIED_SINCE, LAST_MODIFIED, SET_COOKIE,
    STRICT_TRANSPORT_SECURITY, VARY,
};
use http::{Request, StatusCode};
use std::path::PathBuf;
use tests::{Engine, Response, TestApp};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const CSS_HASH: &str = "Q3NzSGFzaDAxMjM0NTY3OD";
const JS_HASH: &str = "SnNIYXNoMDEyMzQ1Njc4OT";
const WASM_HASH: &str = "V2FzbUhhc2gwMTIzNDU2Nz";
const CSS: &str = "body { color: #1d3557; }";

/// A built site as cargo-leptos leaves it with `hash-files = true`: fingerprinted files in `pkg/`
/// (with the precompressed siblings of `.ci/precompress`), the favicon at the root, and the hash
/// file, which lives beside the binary, outside the site.
struct Site {
    dir: PathBuf,
}

impl Site {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("cedre-site-{:016x}", rand::random::<u64>()));
        let pkg = dir.join("site/pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        let write = |path: PathBuf, content: &[u8]| std::fs::write(path, content).unwrap();
        write(pkg.join(format!("cedre.{CSS_HASH}.css")), CSS.as_bytes());
        write(
            pkg.join(format!("cedre.{CSS_HASH}.css.br")),
            b"brotli bytes",
        );
        write(pkg.join(format!("cedre.{CSS_HASH}.css.gz")), b"gzip bytes");
        write(
            pkg.join(format!("cedre.{JS_HASH}.js")),
            b"export default 1;",
        );
        write(pkg.join(format!("cedre.{WASM_HASH}.wasm")), b"\0asm");
        write(pkg.join("cedre.css"), CSS.as_bytes());
        write(dir.join("site/favicon.svg"), b"<svg/>");
        write(
            dir.join("hash.txt"),
            format!("js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\n").as_bytes(),
        );
        Self { dir }
    }

    async fn app(&self) -> TestApp {
        let app = TestApp::serving_site(
            Engine::Sqlite,
            self.dir.join("site").to_str().unwrap(),
            Some(&self.dir.join("hash.txt")),
        )
        .await
        .unwrap();
        backend::demo::load(&app.db).await.unwrap();
        app
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn header(response: &Response, name: http::header::HeaderName) -> &str {
    response
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn cache_control(response: &Response) -> &str {
    header(response, CACHE_CONTROL)
}

fn file_request(path: &str, encodings: &str) -> Request<Body> {
    Request::get(path)
        .header(http::header::HOST, "cedre.test")
        .header(ACCEPT_ENCODING, encodings)
        .body(Body::empty())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_and_server_function_answers_are_not_stored() {
    let site = Site::new();
    let app = site.app().await;
    let mut visitor = app.client();

    let login = visitor.get("/connexion").await;
    assert_eq!(login.status, StatusCode::OK);
    assert_eq!(cache_control(&login), "no-store");
    let elsewhere = visitor.get("/organisations").await;
    assert_eq!(
        elsewhere.location(),
        Some("/connexion?suite=%2Forganisations")
    );
    assert_eq!(cache_control(&elsewhere), "no-store");
    // A path that is neither a page nor a file still goes through the session: to the login page.
    let unknown = visitor.get("/nulle-part").await;
    assert_eq!(unknown.location(), Some("/connexion?suite=%2Fnulle-part"));
    assert_eq!(cache_control(&unknown), "no-store");

    // Server functions, called by a form (redirect) or by a script (status).
    let refused = visitor
        .login("referent@cedre.demo", "pas le bon mot de passe")
        .await;
    assert_eq!(refused.status, StatusCode::FOUND);
    assert_eq!(cache_control(&refused), "no-store");
    let scripted = visitor
        .call(
            "/api/connexion",
            &[
                ("email", "referent@cedre.demo"),
                ("password", "pas le bon mot de passe"),
                ("suite", "/"),
            ],
        )
        .await;
    assert_eq!(cache_control(&scripted), "no-store", "{scripted:?}");
    let accepted = visitor
        .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(accepted.location(), Some("/"));
    assert_eq!(cache_control(&accepted), "no-store");

    let mut referent = app.signed_in("referent@cedre.demo").await;
    for path in ["/", "/organisations"] {
        let page = referent.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_eq!(cache_control(&page), "no-store", "{path}");
    }
    let missing = referent.get("/nulle-part").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(cache_control(&missing), "no-store");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fingerprinted_files_are_immutable_and_other_files_are_not() {
    let site = Site::new();
    let app = site.app().await;
    let mut client = app.client();

    // The page links the fingerprinted names of the hash file.
    let page = client.get("/connexion").await;
    for name in [
        format!("/pkg/cedre.{CSS_HASH}.css"),
        format!("/pkg/cedre.{JS_HASH}.js"),
        format!("/pkg/cedre.{WASM_HASH}.wasm"),
    ] {
        assert!(
            page.body.contains(&name),
            "{name} not linked: {}",
            page.body
        );
    }
    assert!(!page.body.contains("/pkg/cedre.css"), "{}", page.body);

    let css = format!("/pkg/cedre.{CSS_HASH}.css");
    let plain = client.send(file_request(&css, "identity")).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.body, CSS);
    assert_eq!(cache_control(&plain), IMMUTABLE);
    assert!(
        header(&plain, VARY).contains("accept-encoding"),
        "{plain:?}"
    );
    // Security headers apply to files too.
    assert_eq!(
        header(&plain, "x-content-type-options".parse().unwrap()),
        "nosniff"
    );

    // The precompressed variants are sent to browsers that accept them, with the same policy.
    let brotli = client.send(file_request(&css, "gzip, deflate, br")).await;
    assert_eq!(brotli.status, StatusCode::OK);
    assert_eq!(header(&brotli, CONTENT_ENCODING), "br");
    assert_eq!(brotli.body, "brotli bytes");
    assert_eq!(cache_control(&brotli), IMMUTABLE);
    let gzip = client.send(file_request(&css, "gzip")).await;
    assert_eq!(header(&gzip, CONTENT_ENCODING), "gzip");
    assert_eq!(cache_control(&gzip), IMMUTABLE);

    // A revalidation keeps the policy.
    let mut conditional = file_request(&css, "identity");
    conditional.headers_mut().insert(
        IF_MODIFIED_SINCE,
        header(&plain, LAST_MODIFIED).parse().unwrap(),
    );
    let not_modified = client.send(conditional).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    assert_eq!(cache_control(&not_modified), IMMUTABLE);

    // A name without a hash may change content: revalidated every time.
    let unhashed = client
        .send(file_request("/pkg/cedre.css", "identity"))
        .await;
    assert_eq!(unhashed.status, StatusCode::OK);
    assert_eq!(cache_control(&unhashed), "no-cache");

    // A missing file is not cached, even under a fingerprinted name.
    let missing = client
        .send(file_request(
            "/pkg/cedre.AAAAAAAAAAAAAAAAAAAAAA.css",
            "identity",
        ))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(cache_control(&missing), "no-store");

    // The favicon keeps its name across builds: a short cache, and no login needed.
    let favicon = client.get("/favicon.svg").await;
    assert_eq!(favicon.status, StatusCode::OK);
    assert_eq!(favicon.body, "<svg/>");
    assert_eq!(cache_control(&favicon), "public, max-age=3600");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_files_are_served_without_the_session() {
    let site = Site::new();
    let app = site.app().await;
    let mut client = app.client();
    client
        .cookies
        .insert("cedre_session".into(), "ended-long-ago".into());

    // A page looks the session up, finds it stale and clears the cookie...
    let page = client.get("/connexion").await;
    assert!(
        header(&page, SET_COOKIE).starts_with("cedre_session=;"),
        "{page:?}"
    );
    // ...a static file does not look it up at all.
    client
        .cookies
        .insert("cedre_session".into(), "ended-long-ago".into());
    let css = client.get(&format!("/pkg/cedre.{CSS_HASH}.css")).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.headers.get(SET_COOKIE).is_none(), "{css:?}");
    app.finish().await;
}

/// Behind HTTPS, a cookie set over plain HTTP or by a sibling domain must not pass for Cedre's:
/// the `__Host-` names, `Secure`, and HSTS so that the browser never comes back over HTTP.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_https_cookies_are_host_bound_and_transport_is_strict() {
    let plain = TestApp::with_demo(Engine::Sqlite).await.unwrap();
    let mut visitor = plain.client();
    let login = visitor.get("/connexion").await;
    assert!(login.headers.get(STRICT_TRANSPORT_SECURITY).is_none());
    let accepted = visitor
        .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(accepted.location(), Some("/"));
    let set = header(&accepted, SET_COOKIE);
    assert!(set.starts_with("cedre_session="), "{set}");
    assert!(!set.contains("Secure"), "{set}");

    let app = plain.over_https();
    let mut visitor = app.client();
    let login = visitor.get("/connexion").await;
    assert_eq!(
        header(&login, STRICT_TRANSPORT_SECURITY),
        "max-age=63072000"
    );
    let accepted = visitor
        .login("referent@cedre.demo", backend::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(accepted.location(), Some("/"), "{}", accepted.body);
    let set = header(&accepted, SET_COOKIE);
    assert!(set.starts_with("__Host-cedre_session="), "{set}");
    assert!(
        set.contains("; Secure") && set.contains("; Path=/"),
        "{set}"
    );
    assert!(!set.contains("Domain"), "{set}");
    let home = visitor.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(header(&home, STRICT_TRANSPORT_SECURITY), "max-age=63072000");
    assert!(
        home.body.contains("Emploi Solidaire"),
        "signed in: {}",
        home.body
    );

    // The same token under the unprefixed name, as a plain-HTTP page could plant it, is ignored.
    let token = visitor.cookies["__Host-cedre_session"].clone();
    let mut planted = app.client();
    planted.cookies.insert("cedre_session".into(), token);
    assert_eq!(planted.get("/").await.location(), Some("/connexion"));
    app.finish().await;
}
