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

/// Server functions take form-encoded bodies (what forms and the hydrated app send): any other
/// media type is refused with 415, and a body that is not well-formed — an escape that is not
/// `%` and two hex digits, or bytes that decode to something other than UTF-8 — with 400,
/// before anything decodes it leniently (which would turn it into replacement characters).
pub async fn require_form(req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")));
    if !form {
        return (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "请以表单方式提交 / send the request as a form (application/x-www-form-urlencoded)",
        )
            .into_response();
    }
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > crate::router::BODY_LIMIT) {
        // The body limit answers this one (413) without reading it.
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::router::BODY_LIMIT).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    if !well_formed_form(&bytes) {
        let error = app::error::AppError::Request("malformed form body".into());
        return (StatusCode::BAD_REQUEST, [(header::CONTENT_TYPE, "application/json")], serde_json::to_string(&error).unwrap_or_default())
            .into_response();
    }
    next.run(Request::from_parts(parts, axum::body::Body::from(bytes))).await
}

/// Every escape is `%XX`, and every name and value decodes to UTF-8.
pub fn well_formed_form(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').flat_map(|pair| pair.splitn(2, |b| *b == b'=')).all(|part| {
        let mut i = 0;
        while i < part.len() {
            if part[i] == b'%' {
                if i + 2 >= part.len() || !(part[i + 1].is_ascii_hexdigit() && part[i + 2].is_ascii_hexdigit()) {
                    return false;
                }
                i += 3;
            } else {
                i += 1;
            }
        }
        percent_encoding::percent_decode(part).decode_utf8().is_ok()
    })
}

/// The body limit's refusal says why, in both languages (tower-http's says "length limit
/// exceeded").
pub async fn explain_too_large(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    if resp.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return resp;
    }
    (StatusCode::PAYLOAD_TOO_LARGE, "提交的内容过大 / the request is too large").into_response()
}

#[cfg(test)]
mod tests {
    use super::well_formed_form;

    #[test]
    fn form_bodies_must_escape_well_and_decode_to_utf8() {
        for ok in ["", "a=1", "a=1&b=", "title=%E8%AE%AE%E9%A2%98&x=a+b", "a", "%41=%42"] {
            assert!(well_formed_form(ok.as_bytes()), "{ok}");
        }
        for bad in ["a=%E5%AD", "a=%FF%FE", "a=%", "a=%4", "a=%ZZ", "%E5=1", "a=1&b=%C0%AF"] {
            assert!(!well_formed_form(bad.as_bytes()), "{bad}");
        }
    }
}
