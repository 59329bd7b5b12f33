//! The server functions as a client without their source would see them: every registered
//! endpoint, and the fields each requires, learnt from its own answers ("missing field `x`").
use super::TestApp;

/// Fields learnt for an endpoint: (name, typed) — typed fields take only numbers or booleans.
pub type Fields = Vec<(String, bool)>;

pub async fn post(app: &TestApp, endpoint: &str, content_type: &str, body: Vec<u8>, session: Option<&str>) -> (u16, String) {
    let mut req = app.client.post(app.url(endpoint)).header("content-type", content_type).header("origin", &app.addr).body(body);
    if let Some(s) = session {
        req = req.header("cookie", format!("linli_session={s}"));
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    (status, resp.text().await.unwrap_or_default())
}

/// A POST announcing a body one byte over the limit: the answer must come from the headers
/// alone (the body is never sent, as a client that gets 413 early would stop sending it).
pub async fn oversized(app: &TestApp, path: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.addr.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {FORM}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        1024 * 1024 + 1
    );
    conn.write_all(head.as_bytes()).await.unwrap();
    let mut answer = vec![0; 64];
    let n = conn.read(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer[..n]).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

pub fn form(fields: &[(String, String)]) -> Vec<u8> {
    fields.iter().map(|(k, v)| format!("{}={}", super::enc(k), super::enc(v))).collect::<Vec<_>>().join("&").into_bytes()
}

pub const FORM: &str = "application/x-www-form-urlencoded";

fn missing_field(body: &str) -> Option<String> {
    let rest = &body[body.find("missing field `")? + "missing field `".len()..];
    Some(rest[..rest.find('`')?].to_string())
}

fn type_error(body: &str) -> bool {
    ["invalid digit", "invalid type", "invalid float", "`true` or `false`", "number too large", "cannot parse"].iter().any(|e| body.contains(e))
}

/// Learns an endpoint's required fields, anonymously (nothing gets past the policy). Any 5xx
/// on the way is a failure too.
pub async fn learn(app: &TestApp, path: &str, failures: &mut Vec<String>) -> Fields {
    let mut values: Vec<(String, String)> = Vec::new();
    for _ in 0..16 {
        let (status, body) = post(app, path, FORM, form(&values), None).await;
        if status >= 500 {
            failures.push(format!("{path} with {values:?}: {status} {body}"));
        }
        match missing_field(&body) {
            Some(field) if status == 400 => values.push((field, "1".into())),
            _ if status == 400 && body.contains("`true` or `false`") => {
                if let Some(last) = values.last_mut() {
                    last.1 = "true".into();
                }
            }
            _ => break,
        }
    }
    let mut fields = Vec::new();
    for (i, (name, _)) in values.iter().enumerate() {
        let mut probe = values.clone();
        probe[i].1 = "x".into();
        let (status, body) = post(app, path, FORM, form(&probe), None).await;
        if status >= 500 {
            failures.push(format!("{path} with {probe:?}: {status} {body}"));
        }
        fields.push((name.clone(), status == 400 && type_error(&body)));
    }
    fields
}


/// Every server function's path (`/api/…`), as registered.
pub fn all() -> std::collections::BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect()
}
