//! The built site's files and how long browsers keep them.
//!
//! - `/pkg/*` (JS glue, WASM, CSS): cargo-leptos (`hash-files = true`) puts a content hash in each
//!   name (`cedre.<hash>.css`); a new build makes new names, so these are cached for a year as
//!   `immutable`. A name without a hash (a build without hashing) must match the page that links
//!   it: `no-cache` (the browser revalidates it with `If-Modified-Since`).
//! - the files of the site root (the favicon, from `style/assets`): a short cache, never immutable.
//! - everything else (pages, server functions, documents) is per user: `no-store`, set by
//!   [`no_store_by_default`] unless the handler chose its own policy.
//!
//! Static files are served outside the session middleware: a file costs no database lookup.
//! Precompressed `.br`/`.gz` siblings (written by `.ci/precompress`) are sent to browsers that
//! accept them, with `Vary: Accept-Encoding` so that a shared cache keeps the variants apart.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::header::{ACCEPT_ENCODING, CACHE_CONTROL, VARY};
use http::{HeaderValue, StatusCode};
use std::path::{Path, PathBuf};
use tower_http::services::ServeDir;

/// A fingerprinted file: its name changes whenever its content does.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// A file of the site root (favicon): kept an hour, then revalidated.
pub const SHORT: &str = "public, max-age=3600";
/// A `/pkg` file without a hash in its name: always revalidated, as it must match the page.
pub const REVALIDATE: &str = "no-cache";
/// Pages, server function answers, documents: they are per user.
pub const NO_STORE: &str = "no-store";

/// The file cargo-leptos writes beside the server binary: `js: <hash>`, `wasm: <hash>`, `css: <hash>`.
pub const HASH_FILE: &str = "hash.txt";

/// Serves the files of `dir`, with their precompressed variants.
pub fn files(dir: impl AsRef<Path>) -> ServeDir {
    ServeDir::new(dir).precompressed_br().precompressed_gzip()
}

/// The policy of `/pkg`: hashed names are immutable, others are revalidated.
pub async fn pkg_policy(request: Request, next: Next) -> Response {
    let policy = if is_fingerprinted(request.uri().path()) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    file_policy(next.run(request).await, policy)
}

/// The policy of the site root's files (the favicon); the fallback's answers keep theirs.
pub async fn site_root_policy(request: Request, next: Next) -> Response {
    file_policy(next.run(request).await, SHORT)
}

fn file_policy(mut response: Response, policy: &'static str) -> Response {
    let status = response.status();
    if !(status.is_success() || status == StatusCode::NOT_MODIFIED) {
        return response;
    }
    let headers = response.headers_mut();
    if !headers.contains_key(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.append(VARY, HeaderValue::from_name(ACCEPT_ENCODING));
    }
    response
}

/// Every answer that did not choose its own cache policy is not stored: pages and server
/// function answers are per user, and so are redirects and errors.
pub async fn no_store_by_default(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .entry(CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(NO_STORE));
    response
}

/// Whether the last segment of `path` is a name fingerprinted by cargo-leptos:
/// `stem.<hash>.ext`, the hash being an MD5 in unpadded base64url (22 characters).
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    let (Some(_extension), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !stem.is_empty()
        && hash.len() == 22
        && hash
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The hash file beside the running binary, where cargo-leptos writes it.
pub fn hash_file_beside_binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(HASH_FILE))
}

/// The fingerprinted names listed by a hash file, e.g. `cedre.<hash>.css`.
pub fn fingerprinted_names(output_name: &str, hash_file_text: &str) -> Vec<String> {
    hash_file_text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .filter(|(kind, _)| matches!(kind.trim(), "js" | "wasm" | "css"))
        .map(|(kind, hash)| format!("{output_name}.{}.{}", hash.trim(), kind.trim()))
        .collect()
}

/// The names of the hash file missing from the `pkg` folder: a site built by another build than
/// the binary's, whose pages would link files that do not exist.
pub fn missing_files(pkg_dir: &Path, output_name: &str, hash_file_text: &str) -> Vec<String> {
    fingerprinted_names(output_name, hash_file_text)
        .into_iter()
        .filter(|name| !pkg_dir.join(name).is_file())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprinted_names_are_recognised() {
        assert!(is_fingerprinted("/cedre.ab-Cd_ef0123456789ABCD.css"));
        assert!(is_fingerprinted("cedre.ab-Cd_ef0123456789ABCD.wasm"));
        assert!(!is_fingerprinted("/cedre.css"));
        assert!(!is_fingerprinted("/cedre_bg.wasm"));
        assert!(!is_fingerprinted("/cedre.ab-Cd_ef0123456789ABCD.css/"));
        assert!(!is_fingerprinted("/.ab-Cd_ef0123456789ABCD.css"));
        assert!(!is_fingerprinted("/cedre.ab-Cd_ef0123456789ABC.css"));
        assert!(!is_fingerprinted("/cedre.ab+Cd_ef0123456789ABCD.css"));
        // A precompressed file asked for by its own name is not the fingerprinted asset.
        assert!(!is_fingerprinted("/cedre.ab-Cd_ef0123456789ABCD.css.br"));
    }

    #[test]
    fn hash_file_lists_the_three_files() {
        let text = "js: AAAAAAAAAAAAAAAAAAAAAA\nwasm: BBBBBBBBBBBBBBBBBBBBBB\ncss: CCCCCCCCCCCCCCCCCCCCCC\n";
        assert_eq!(
            fingerprinted_names("cedre", text),
            [
                "cedre.AAAAAAAAAAAAAAAAAAAAAA.js",
                "cedre.BBBBBBBBBBBBBBBBBBBBBB.wasm",
                "cedre.CCCCCCCCCCCCCCCCCCCCCC.css"
            ]
        );
        assert!(fingerprinted_names("cedre", text)
            .iter()
            .all(|name| is_fingerprinted(name)));
    }
}
