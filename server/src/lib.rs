//! The `cedre` server: configuration, the HTTP stack around the Leptos application, the command line.

pub mod cli;
pub mod config;
pub mod http;
pub mod jobs;
pub mod pdf_child;

use crate::http::static_files;
use app::api::ssr::ServerContext;
use axum::extract::FromRef;
use axum::handler::Handler;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower::ServiceBuilder;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: ServerContext,
    pub trusted_proxies: http::client_address::TrustedProxies,
}

/// The whole application as one router: pages, server functions, documents, static files, and the
/// middleware that every request crosses (outermost first): security headers, cache policy
/// (`no-store` unless the answer chose its own), CSRF check, and — for all but the static files,
/// which need no database lookup — the session and
/// the keeping of a posted form's values for the echo of a refusal.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let ctx = state.ctx.clone();
    let provide = move || provide_context(ctx.clone());
    let options = state.leptos_options.clone();
    let site_root = options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", options.site_pkg_dir);
    let session = from_fn_with_state(state.clone(), http::session::layer);

    // A path that is neither a route nor a file of the site root: the "page not found" page,
    // rendered for the caller like any page.
    let not_found = ServiceBuilder::new()
        .layer(from_fn(static_files::no_store_by_default))
        .layer(session.clone())
        .service(
            leptos_axum::file_and_error_handler_with_context::<AppState, _>(
                provide.clone(),
                app::shell,
            )
            .with_state(state.clone()),
        );

    let application = Router::new()
        .leptos_routes_with_context(&state, routes, provide, {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .merge(http::documents::routes())
        .merge(http::certification::routes())
        .merge(http::logo::routes())
        .merge(http::parcours::routes())
        .layer(from_fn(app::api::ssr::keep_posted_form))
        .layer(session);

    Router::new()
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            ServiceBuilder::new()
                .layer(from_fn(static_files::pkg_policy))
                .service(static_files::files(pkg_dir)),
        )
        .merge(application)
        .fallback_service(
            ServiceBuilder::new()
                .layer(from_fn(static_files::site_root_policy))
                .service(
                    static_files::files(site_root)
                        .fallback(not_found)
                        .call_fallback_on_method_not_allowed(true),
                ),
        )
        .layer(from_fn(http::security::csrf))
        .layer(from_fn(static_files::no_store_by_default))
        .layer(from_fn_with_state(
            state.ctx.transport,
            http::security::headers,
        ))
        .with_state(state)
}
