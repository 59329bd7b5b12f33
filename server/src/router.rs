//! The HTTP surface: pages, server functions, health check and static files.
use app::error::AppError;
use app::state::AppState;
use crate::security;
use app::{shell, App};
use axum::{
    body::Body,
    extract::{FromRef, Request, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes};
use std::sync::OnceLock;
use tower::ServiceBuilder;
use tower_http::{
    compression::CompressionLayer,
    CompressionLevel,
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::ServeDir,
    set_header::SetResponseHeaderLayer,
    trace::TraceLayer,
};

/// Compression level of answers (brotli and gzip alike).
pub const COMPRESSION_LEVEL: i32 = 4;

/// Largest request body accepted (forms and server-function calls).
pub const BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone, FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
}

/// The app's page routes, listed once per process.
///
/// Listing them runs the app with a process-wide flag set (leptos_server 0.8's
/// `SuppressResourceLoad`) under which any resource first polled, in any render on any thread,
/// waits forever. Built once, before any router serves, nothing can render in that window. In
/// the tests every app is built in the same process while other apps serve pages: listed per
/// router, about one page render in a few hundred never finished (leptos-rs/leptos#4773).
fn page_routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(app: AppState, leptos_options: LeptosOptions) -> Router {
    let state = ServerState { leptos_options: leptos_options.clone(), app: app.clone() };
    let routes = page_routes();
    let site_root = leptos_options.site_root.to_string();

    // Hashed bundle files never change under the same name: cache them for a year.
    let pkg = ServiceBuilder::new()
        .layer(bundle_compression())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        // Which copy is sent depends on Accept-Encoding, also when it is a precompressed file
        // (ServeDir does not say so, and the compression layer only says so when it compresses).
        .layer(SetResponseHeaderLayer::overriding(header::VARY, HeaderValue::from_static("accept-encoding")))
        // Release builds write each file's brotli-11 copy beside it (`cargo leptos build
        // --release --precompress`), sent as it is: the WASM in 112.7 KB instead of 134.7 at
        // level 4, and no compressing on a first visit. Not its gzip copies: cargo-leptos's
        // encoder made the WASM 158.5 KB, larger than `gzip -1` (156.3) and level 4 on the fly
        // (144.1), so a browser without brotli gets `bundle_compression`'s gzip, as does every
        // file of a build without copies.
        .service(ServeDir::new(format!("{site_root}/pkg")).precompressed_br());
    // Other public files keep their names across releases: a day, then revalidate.
    let public = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=86400"),
        ))
        .service(ServeDir::new(&site_root).fallback(get(not_found).with_state(state.clone())));

    let x_request_id = header::HeaderName::from_static("x-request-id");
    let page_cache = crate::page_cache::PageCache::new(app.page_cache_ms);
    let base = Router::new();
    // The benchmark's ceiling route exists only in `bench` builds.
    #[cfg(feature = "bench")]
    let base = base.route("/__ceiling", get(crate::ceiling::serve));
    let router = base
        .route("/healthz", get(healthz))
        .route("/account/export", get(export_my_data))
        .route("/api/{*fn_name}", post(server_fn))
        .merge(crate::appeals_http::read_routes())
        .merge(crate::open311::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            {
                let app = app.clone();
                move || app::request::provide_request_context(app.clone())
            },
            {
                let options = leptos_options.clone();
                move || shell(options.clone())
            },
        )
        // Pages and server functions above finish even when their client goes away.
        .layer(axum::middleware::from_fn(crate::run_to_end::layer))
        // Every route above takes bodies up to 1 MiB; photo uploads, merged after, their own.
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .merge(crate::appeals_http::upload_routes())
        .nest_service("/pkg", pkg)
        .fallback_service(public)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(x_request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http())
                .layer(PropagateRequestIdLayer::new(x_request_id))
                .layer(axum::middleware::from_fn(security::headers))
                .layer(axum::middleware::from_fn(security::refuse_cross_site))
                .layer(axum::middleware::from_fn(security::require_form))
                .layer(axum::middleware::from_fn(security::explain_too_large))
                // Pages and data in gzip, even to browsers that take brotli: for what we
                // render (5–50 KB of HTML or JSON) gzip at level 4 is as small as brotli at
                // level 4 and costs about 60% of its time, which was a quarter of a page's
                // CPU (`bundle_compression` has the figures). The bundle, above, already
                // carries its encoding, which this layer leaves alone. The deflate engine is
                // zlib-rs (server/Cargo.toml), not flate2's default miniz_oxide: on the saved
                // bench pages 54 against 151 µs for the proposal page (4,222 against 4,080
                // bytes), 104 against 223 µs for Open311 (5,267 against 5,003); side by side
                // under wrk, the proposal page +5% a second, Open311 +14%, home +2%.
                .layer(CompressionLayer::new().no_br().quality(CompressionLevel::Precise(COMPRESSION_LEVEL)))
                // Inside compression: it keeps pages uncompressed, each copy compressed anew.
                .layer(axum::middleware::from_fn_with_state(page_cache, crate::page_cache::layer))
                // Inside compression: it reads the error body before it is compressed.
                .layer(axum::middleware::from_fn(server_fn_status)),
        )
        .with_state(state);
    #[cfg(feature = "bench")]
    crate::ceiling::install(&router);
    router
}

/// Compression of the hashed bundle where the build left no compressed copy: brotli for
/// browsers that take it, as the bundle's size matters on a first visit and is paid once (a
/// year's cache).
///
/// Everything else (pages, answers, the favicon, the 404 page) is gzip only (the router's
/// outer layer). Brotli's fixed cost per response (a 512 KB
/// hash table allocated and zeroed at level 4, Huffman trees) outweighs what it gains on a
/// small page: on the city bench's pages (5–17 KB of HTML) gzip at level 4 came within 2.4% of
/// brotli's size at level 4 in 55–60% of the time (the 2,000-comment proposal: 4,081 against
/// 4,028 bytes, 97 against 167 µs), and on the 52 KB Open311 list it was smaller (5,007
/// against 5,205 bytes, 195 against 268 µs). Under load brotli was a quarter of the server's
/// CPU for a proposal page (`bench/profile.sh`).
fn bundle_compression() -> CompressionLayer {
    CompressionLayer::new().quality(CompressionLevel::Precise(COMPRESSION_LEVEL))
}

/// 200 when the database answers, 503 otherwise (for load balancers and orchestration).
async fn healthz(State(app): State<AppState>) -> Response {
    if app.db.ping().await {
        (StatusCode::OK, "ok").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
    }
}

async fn server_fn(State(app): State<AppState>, req: Request<Body>) -> Response {
    handle_server_fns_with_context(move || app::request::provide_request_context(app.clone()), req).await.into_response()
}

/// Server-function errors are `AppError`s encoded as JSON, which leptos always answers with
/// 500. This gives each the HTTP status that says what kind of failure it was.
async fn server_fn_status(req: Request<Body>, next: axum::middleware::Next) -> Response {
    let resp = next.run(req).await;
    if resp.status() != StatusCode::INTERNAL_SERVER_ERROR || !resp.headers().contains_key("serverfnerror") {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT).await.unwrap_or_default();
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = status_of(&err);
        if let AppError::Throttled { retry_after_secs } = err {
            parts.headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn status_of(err: &AppError) -> StatusCode {
    match err {
        AppError::Invalid(_) | AppError::Request(_) => StatusCode::BAD_REQUEST,
        AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::PhoneTaken | AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Any path that is neither a page nor a file: the app's 404 page.
async fn not_found(State(state): State<ServerState>, req: Request<Body>) -> Response {
    let app = state.app.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || app::request::provide_request_context(app.clone()),
        move || shell(options.clone()),
    );
    handler(req).await.into_response()
}

/// `GET /account/export`: everything stored about the logged-in account, as a JSON download.
/// Served only to the session's owner, never cached, and not a link that could be replayed:
/// the session cookie is the only key.
async fn export_my_data(State(app): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let token = session_token(&app, &headers);
    let account = match token {
        Some(t) => app::accounts::session::resolve(&app, &t).await,
        None => Ok(None),
    };
    let data = match account {
        Ok(Some(account)) => app::residents::export(&app.db, account.account_id).await,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "login required / 请先登录").into_response(),
        Err(e) => Err(e),
    };
    match data {
        Ok(json) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"linli-my-data.json\""),
                (header::CACHE_CONTROL, "no-store"),
            ],
            json.to_string(),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "exporting account data");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// The session token in a request's cookies (for routes outside server functions).
pub fn session_token(app: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    let name = app::accounts::session::cookie_name(app.secure_cookies);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}
