//! The Bianmin HTTP server: state, router and middleware. `main.rs` is the CLI.

mod freshness_layer;
mod live;
mod middleware;
mod page_cache;
pub mod routes;

use anyhow::Context;
use app::ssr::config::Config;
use app::ssr::mailer::Mailer;
use app::ssr::state::Shared;
use app::ssr::{AppState, db};
use app::{App, shell};
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use migrations::{Migrator, MigratorTrait};
use std::path::Path;
use std::sync::Arc;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Leptos options from the environment cargo-leptos sets, with defaults matching the
/// workspace metadata so the release binary also runs on its own.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    let env = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.to_owned());
    LeptosOptions::builder()
        .output_name(env("LEPTOS_OUTPUT_NAME", "bianmin"))
        .site_root(env("LEPTOS_SITE_ROOT", "target/site"))
        .site_pkg_dir(env("LEPTOS_SITE_PKG_DIR", "pkg"))
        .site_addr(config.bind)
        .build()
}

/// Connects to the database, runs migrations and sets up the mailer.
pub async fn build_state(config: Config, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).with_context(|| format!("creating {}", config.data_dir.display()))?;
    }
    let db = db::connect(&config.database_url).await.context("connecting to the database")?;
    Migrator::up(&db, None).await.context("running migrations")?;
    state_on(db, config, leptos_options)
}

/// The state over an open, migrated connection (a test hands one that counts its
/// queries).
pub fn state_on(db: sea_orm::DatabaseConnection, config: Config, leptos_options: LeptosOptions) -> anyhow::Result<AppState> {
    let mailer = Mailer::from_config(&config.mail)?;
    let files = app::ssr::files::open_store(&config).with_context(|| format!("opening the file store ({:?})", config.storage))?;
    let pkg_dir = Path::new(&*leptos_options.site_root).join(&*leptos_options.site_pkg_dir);
    let asset_version = app::ssr::state::asset_version(&pkg_dir, &leptos_options.output_name);
    let watches = app::ssr::freshness::Watches::default();
    Ok(AppState::new(Shared {
        asset_version,
        leptos_options,
        db,
        mailer,
        config: Arc::new(config),
        files,
        queue: app::ssr::live::QueueHub::new(watches.get(app::ssr::freshness::QUEUE)),
        slots: app::ssr::state::SlotGate::new(watches.get(app::ssr::freshness::SEATS)),
        locals: Default::default(),
        sessions: app::ssr::session_cache::SessionCache::new(watches.get(app::ssr::freshness::SESSIONS)),
        watches,
    }))
}

/// The whole application as an axum router (tests drive it in-process).
pub fn build_router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    let options = state.leptos_options.clone();
    let pkg_dir = Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let pkg_path = format!("/{}", options.site_pkg_dir);
    // Pages link the assets under `/v/<version>/pkg/`: a new build is a new address,
    // so those are cached for good. `/pkg/` itself is revalidated (cheap 304s).
    let static_files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .service(ServeDir::new(&pkg_dir).precompressed_br().precompressed_gzip());
    let versioned_files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")))
        .service(ServeDir::new(&pkg_dir).precompressed_br().precompressed_gzip());
    let versioned_path = format!("/v/{}{pkg_path}", state.asset_version);

    let router = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(routes::downloads())
        .merge(live::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), move || shell(options.clone()))
        .nest_service(&pkg_path, static_files)
        .nest_service(&versioned_path, versioned_files)
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell));
    middleware::apply(router, routes::uploads(), routes::UPLOAD_LIMIT_BYTES, &state).with_state(state)
}
