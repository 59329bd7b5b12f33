//! The benchmark's ceiling (only in builds with the `bench` feature): `GET /__ceiling?path=P`
//! answers with the bytes that page `P` answered the first time it was asked for through this
//! route, from memory, through the same middleware as every page (request id, tracing,
//! security headers, compression). Measured side by side with `P` itself, it says how much of
//! a page's cost is ours (the database and rendering) and how much is the HTTP stack's.
use axum::{
    body::Body,
    extract::{Query, Request},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Router,
};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use tower::ServiceExt;

/// The application's router, to render a page the first time (set when the router is built).
static APP: OnceLock<Router> = OnceLock::new();
/// (path, cookie) → (content type, body)
static PAGES: OnceLock<Mutex<HashMap<(String, String), (HeaderValue, axum::body::Bytes)>>> = OnceLock::new();

pub fn install(app: &Router) {
    let _ = APP.set(app.clone());
}

pub async fn serve(Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let Some(path) = query.get("path").filter(|p| p.starts_with('/')).cloned() else {
        return (StatusCode::BAD_REQUEST, "?path=/… is required").into_response();
    };
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let pages = PAGES.get_or_init(Default::default);
    let key = (path.clone(), cookie.clone());
    let cached = pages.lock().expect("not poisoned").get(&key).cloned();
    let (content_type, body) = match cached {
        Some(page) => page,
        None => {
            let Some(app) = APP.get() else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
            let mut inner = Request::builder().uri(&path).header(header::ACCEPT_ENCODING, "identity");
            if !cookie.is_empty() {
                inner = inner.header(header::COOKIE, &cookie);
            }
            let resp = match app.clone().oneshot(inner.body(Body::empty()).expect("a request")).await {
                Ok(resp) => resp,
                Err(never) => match never {},
            };
            if resp.status() != StatusCode::OK {
                return (StatusCode::BAD_GATEWAY, format!("{path} answered {}", resp.status())).into_response();
            }
            let content_type = resp.headers().get(header::CONTENT_TYPE).cloned().unwrap_or(HeaderValue::from_static("text/html"));
            let Ok(body) = axum::body::to_bytes(resp.into_body(), 64 << 20).await else {
                return StatusCode::BAD_GATEWAY.into_response();
            };
            pages.lock().expect("not poisoned").insert(key, (content_type.clone(), body.clone()));
            (content_type, body)
        }
    };
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}
