//! Request guards and response headers every route gets.
use axum::{
    extract::Request,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// CSRF defence: a request that changes state (anything but GET/HEAD/OPTIONS) must come from
/// our own pages. Browsers say where a request comes from in `Sec-Fetch-Site` and `Origin`;
/// anything but same-origin is refused. Requests with neither header come from non-browser
/// clients (which carry no ambient cookies from a victim's browser) and pass.
///
/// The Open311 API is exempt: it authenticates by API key, never by cookie, so a cross-site
/// request to it carries no authority of the visitor's.
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/open311/");
    if !api && !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) && is_cross_site(&req) {
        tracing::warn!(uri = %req.uri(), "cross-site request refused");
        return (StatusCode::FORBIDDEN, "cross-site request refused / 拒绝跨站请求").into_response();
    }
    next.run(req).await
}

fn is_cross_site(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return true;
        }
    }
    match headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("null")) {
        None => false,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
            let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
            origin_host.is_empty() || origin_host != host
        }
    }
}

/// Security headers: no MIME sniffing, no framing, no referrer beyond our origin, a strict
/// default CSP for responses that did not set their own (pages set one with a nonce), and
/// no caching of pages and server-function answers, which may carry personal data.
pub async fn headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/pkg/") || req.uri().path().starts_with("/favicon");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'"),
        );
    }
    if !is_static {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}
