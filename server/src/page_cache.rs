//! A one-second cache of what anonymous visitors read (pages and Open311 lists), the way busy
//! sites put a "microcache" in front of their renderer: under load, one render serves every
//! visitor of that second instead of each rendering it again (bench/RESULTS.md has the figures
//! with and without it).
//!
//! Only GETs without a session cookie are cached, keyed by what changes how a page reads: the
//! path and query, the language and elder-mode cookies and `Accept-Language`. Only whole 200
//! answers that set no cookie are kept. Logged-in people always get a fresh render, so what
//! they just did is on the page; an anonymous reader sees it within a second. Each copy served
//! gets a fresh CSP nonce, so no two responses share one. `LINLI_PAGE_CACHE_MS` sets the
//! lifetime (0 turns it off).
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Entries kept at most (each a rendered page of tens of kilobytes).
const MAX_ENTRIES: usize = 2_000;
/// Answers larger than this are not kept.
const MAX_BODY: usize = 2 << 20;

#[derive(Clone)]
struct Entry {
    at: Instant,
    headers: HeaderMap,
    body: Bytes,
    /// The CSP nonce in `headers` and `body`, replaced in every copy served.
    nonce: Option<String>,
}

#[derive(Clone)]
pub struct PageCache {
    ttl: Duration,
    entries: Arc<Mutex<HashMap<String, Entry>>>,
}

impl PageCache {
    pub fn new(ttl_ms: u64) -> PageCache {
        PageCache { ttl: Duration::from_millis(ttl_ms), entries: Arc::default() }
    }
}

/// The key of a cacheable request, or None: not a GET, a session cookie, or a route whose
/// answer is personal or streamed.
fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    if ["/api/", "/pkg/", "/__ceiling", "/healthz", "/account", "/appeals/photo"].iter().any(|p| path.starts_with(p)) {
        return None;
    }
    let cookies: Vec<&str> = req.headers().get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).map(str::trim).collect();
    if cookies.iter().any(|c| c.starts_with("linli_session=") || c.starts_with("__Host-linli_session=")) {
        return None;
    }
    let prefs: Vec<&str> = cookies.iter().copied().filter(|c| c.starts_with("i18n_pref_locale=") || c.starts_with("linli_elder=")).collect();
    let language = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    Some(format!("{}\n{}\n{language}", req.uri(), prefs.join(";")))
}

/// The nonce of a page's Content-Security-Policy.
fn nonce(headers: &HeaderMap) -> Option<String> {
    let csp = headers.get(header::CONTENT_SECURITY_POLICY)?.to_str().ok()?;
    let start = csp.find("'nonce-")? + "'nonce-".len();
    let len = csp[start..].find('\'')?;
    Some(csp[start..start + len].to_string())
}

fn serve_copy(entry: &Entry) -> Response {
    let (mut headers, mut body) = (entry.headers.clone(), entry.body.clone());
    if let Some(old) = &entry.nonce {
        // A fresh nonce of the same length, in the policy and in the page.
        let fresh: String = app::accounts::session::random_token().chars().take(old.len()).collect();
        if let Some(csp) = headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()) {
            if let Ok(v) = HeaderValue::from_str(&csp.replace(old.as_str(), &fresh)) {
                headers.insert(header::CONTENT_SECURITY_POLICY, v);
            }
        }
        if let Ok(text) = std::str::from_utf8(&body) {
            body = Bytes::from(text.replace(old.as_str(), &fresh));
        }
    }
    let mut resp = Response::new(Body::from(body));
    *resp.headers_mut() = headers;
    resp
}

pub async fn layer(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    if cache.ttl.is_zero() {
        return next.run(req).await;
    }
    let Some(key) = key(&req) else { return next.run(req).await };
    let hit = cache.entries.lock().expect("not poisoned").get(&key).filter(|e| e.at.elapsed() < cache.ttl).cloned();
    if let Some(entry) = hit {
        return serve_copy(&entry);
    }
    let resp = next.run(req).await;
    let keep = resp.status() == StatusCode::OK
        && !resp.headers().contains_key(header::SET_COOKIE)
        && resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if !keep {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            tracing::warn!(error = %e, "page cache: reading a response");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if body.len() > MAX_BODY {
        return Response::from_parts(parts, Body::from(body));
    }
    let entry = Entry { at: Instant::now(), nonce: nonce(&parts.headers), headers: parts.headers.clone(), body: body.clone() };
    {
        let mut entries = cache.entries.lock().expect("not poisoned");
        if entries.len() >= MAX_ENTRIES {
            let ttl = cache.ttl;
            entries.retain(|_, e| e.at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, entry);
    }
    Response::from_parts(parts, Body::from(body))
}
