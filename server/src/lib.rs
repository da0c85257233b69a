//! The `cedre` server: configuration, the HTTP stack around the Leptos application, the command line.

pub mod cli;
pub mod config;
pub mod http;

use app::api::ssr::ServerContext;
use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::services::ServeDir;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: ServerContext,
    pub trusted_proxies: http::client_address::TrustedProxies,
}

/// The whole application as one router: pages, server functions, static files, and the
/// middleware that every request crosses (outermost first): security headers, CSRF check, session.
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(app::App);
    let ctx = state.ctx.clone();
    let provide = move || provide_context(ctx.clone());
    let options = state.leptos_options.clone();
    let pkg_dir = format!("{}/{}", options.site_root, options.site_pkg_dir);
    Router::new()
        .leptos_routes_with_context(&state, routes, provide.clone(), {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .merge(http::documents::routes())
        .nest_service(
            &format!("/{}", options.site_pkg_dir),
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide, app::shell))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            http::session::layer,
        ))
        .layer(axum::middleware::from_fn(http::security::csrf))
        .layer(axum::middleware::from_fn(http::security::headers))
        .with_state(state)
}
