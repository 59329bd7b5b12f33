//! Open311 GeoReport v2 under `/open311/v2/` (JSON), so existing 311 client apps can file and
//! track appeals: services are the appeal categories, requests are appeals. What a request
//! shows is the public, anonymised view: never the reporter, contact or building.
//! Documented in docs/open311.md.
use crate::router::ServerState;
use app::appeals::{self, AppealCategory, AppealState, NewAppeal, Source};
use app::error::AppError;
use app::i18n::Locale;
use app::state::AppState;
use app::time::{format_iso, parse_iso};
use std::net::SocketAddr;
use axum::{
    extract::{ConnectInfo, Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Form, Json, Router,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Requests a list answers at most (the standard's limit), and by default: a page of 100, as
/// cities that page their GeoReport APIs do (`page`, `page_size`).
pub const MAX_REQUESTS: i64 = 1000;
pub const DEFAULT_PAGE_SIZE: i64 = 100;
/// Pages beyond this are refused: dates narrow a search better than a deep page.
pub const MAX_PAGE: i64 = 1000;
/// The default window of a list without dates: the last 90 days.
const DEFAULT_WINDOW_MS: i64 = 90 * 86_400_000;

pub fn routes() -> Router<ServerState> {
    Router::new()
        .route("/open311/v2/services.json", get(services))
        .route("/open311/v2/services/{file}", get(service))
        .route("/open311/v2/requests.json", get(list_requests).post(post_request))
        .route("/open311/v2/requests/{file}", get(one_request))
}

/// The standard error answer: a status and `[{"code", "description"}]`.
fn error(status: StatusCode, description: &str) -> Response {
    (status, Json(json!([{ "code": status.as_u16(), "description": description }]))).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "open311");
    error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")
}

/// English when the client asks for it first; Chinese otherwise.
fn locale(headers: &HeaderMap) -> Locale {
    let lang = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if lang.trim_start().to_ascii_lowercase().starts_with("en") { Locale::en } else { Locale::zh }
}

/// `{code}.json` → `code`; anything else is not found.
fn strip_json(file: &str) -> Option<&str> {
    file.strip_suffix(".json").filter(|s| !s.is_empty())
}

fn service_json(c: AppealCategory, locale: Locale) -> Value {
    json!({
        "service_code": c.code(),
        "service_name": c.label(locale),
        "description": c.label(locale),
        "metadata": false,
        "type": "realtime",
        "keywords": "",
        "group": if locale == Locale::en { "Appeals" } else { "诉求" },
    })
}

/// `GET services.json`: the categories.
async fn services(headers: HeaderMap) -> Response {
    let l = locale(&headers);
    Json(AppealCategory::ALL.iter().map(|c| service_json(*c, l)).collect::<Vec<_>>()).into_response()
}

/// `GET services/{code}.json`: a service's definition (no extra attributes).
async fn service(Path(file): Path<String>) -> Response {
    match strip_json(&file).map(AppealCategory::parse) {
        Some(Ok(c)) => Json(json!({ "service_code": c.code(), "attributes": [] })).into_response(),
        _ => error(StatusCode::NOT_FOUND, "service_code not found"),
    }
}

/// The SQL of a request's public fields. The last note is looked up only for a request
/// without a reply, the only one whose status notes show it (half of a page skips the lookup).
const REQUEST_SELECT: &str = "SELECT a.id, a.category, a.state, a.description, a.reply, a.deadline_at, a.created_at,
        a.updated_at, c.name AS community, g.name AS grid, d.name AS department,
        CASE WHEN a.reply IS NULL THEN
          (SELECT e.note FROM appeal_event e WHERE e.appeal_id = a.id AND e.note <> '' ORDER BY e.id DESC LIMIT 1)
        END AS last_note
   FROM appeal a JOIN community c ON c.id = a.community_id JOIN grid g ON g.id = a.grid_id
   LEFT JOIN department d ON d.id = a.department_id";

/// The columns of `RequestRow`, in its order.
const REQUEST_FIELDS: &str = "id, category, state, description, reply, deadline_at, created_at, updated_at,
    community, grid, department, last_note";

/// A row of `REQUEST_SELECT`, as `Db::json_list` carries it (one page is one row, see there).
#[derive(Deserialize)]
struct RequestRow {
    id: i64,
    category: String,
    state: String,
    description: String,
    reply: Option<String>,
    deadline_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
    community: String,
    grid: String,
    department: Option<String>,
    last_note: Option<String>,
}

/// The requests `select` finds with `binds` for its `$1`, `$2`…, newest first.
async fn fetch_requests(app: &AppState, select: &str, binds: &[i64]) -> Result<Vec<RequestRow>, sqlx::Error> {
    let mut rows: Vec<RequestRow> = app.db.fetch_json_rows(app.db.read(), REQUEST_FIELDS, select, binds).await?;
    // An aggregate keeps its input's order in practice on both engines, but neither promises it.
    rows.sort_unstable_by(|a, b| (b.created_at, b.id).cmp(&(a.created_at, a.id)));
    Ok(rows)
}

/// A request as GeoReport v2 shows it (the unknown location fields are always null).
/// Serialized straight from the row, without a `serde_json::Value` map per request between.
#[derive(Serialize)]
struct ServiceRequest {
    service_request_id: String,
    status: &'static str,
    status_notes: String,
    service_name: &'static str,
    service_code: &'static str,
    description: String,
    agency_responsible: String,
    service_notice: &'static str,
    requested_datetime: String,
    updated_datetime: String,
    expected_datetime: Option<String>,
    address: String,
    address_id: Option<()>,
    zipcode: Option<()>,
    lat: Option<()>,
    long: Option<()>,
    media_url: Option<()>,
}

fn request_json(r: RequestRow, locale: Locale) -> Result<ServiceRequest, sqlx::Error> {
    let decode = |what: &str| sqlx::Error::Decode(format!("open311 {what}").into());
    let category = AppealCategory::parse(&r.category).map_err(|_| decode("category"))?;
    let state = AppealState::from_code(&r.state).ok_or_else(|| decode("state"))?;
    Ok(ServiceRequest {
        service_request_id: r.id.to_string(),
        status: state.open311_status(),
        status_notes: r.reply.or(r.last_note).unwrap_or_else(|| state.label(locale).to_string()),
        service_name: category.label(locale),
        service_code: category.code(),
        description: r.description,
        address: format!("{} {}", r.community, r.grid),
        // Handled in the community itself (or not yet dispatched): the community is responsible.
        agency_responsible: r.department.unwrap_or(r.community),
        service_notice: "",
        requested_datetime: format_iso(r.created_at),
        updated_datetime: format_iso(r.updated_at),
        expected_datetime: r.deadline_at.map(format_iso),
        address_id: None,
        zipcode: None,
        lat: None,
        long: None,
        media_url: None,
    })
}

/// The requests as the answer's JSON array.
fn requests_json(rows: Vec<RequestRow>, locale: Locale) -> Response {
    match rows.into_iter().map(|r| request_json(r, locale)).collect::<Result<Vec<_>, _>>() {
        Ok(items) => Json(items).into_response(),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    service_request_id: Option<String>,
    service_code: Option<String>,
    start_date: Option<String>,
    end_date: Option<String>,
    status: Option<String>,
    page: Option<String>,
    page_size: Option<String>,
}

/// A comma-separated list, each item checked by `parse`; an error names the parameter.
fn list<T>(input: &str, name: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, Response> {
    input
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).ok_or_else(|| error(StatusCode::BAD_REQUEST, &format!("invalid {name}"))))
        .collect()
}

/// `GET requests.json`: by id list, or by service codes, status and a date window (the last
/// 90 days by default), newest first, a page (`page`, `page_size`) at a time.
async fn list_requests(
    State(app): State<AppState>,
    headers: HeaderMap,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(q)) = q else { return error(StatusCode::BAD_REQUEST, "invalid query parameters") };
    let l = locale(&headers);
    // Every value below is parsed into numbers or known codes before it reaches SQL.
    let mut conditions = Vec::new();
    let mut window = None;
    if let Some(ids) = q.service_request_id.as_deref().filter(|s| !s.trim().is_empty()) {
        let ids = match list(ids, "service_request_id", |s| s.parse::<i64>().ok()) {
            Ok(ids) if ids.len() <= MAX_REQUESTS as usize => ids,
            Ok(_) => return error(StatusCode::BAD_REQUEST, "too many service_request_id values"),
            Err(e) => return e,
        };
        conditions.push(app::appeals::store::id_list("a.id", &ids));
    } else {
        if let Some(codes) = q.service_code.as_deref().filter(|s| !s.trim().is_empty()) {
            let codes = match list(codes, "service_code", |s| AppealCategory::parse(s).ok()) {
                Ok(c) => c,
                Err(e) => return e,
            };
            let quoted: Vec<String> = codes.iter().map(|c| format!("'{}'", c.code())).collect();
            conditions.push(format!("a.category IN ({})", quoted.join(", ")));
        }
        match q.status.as_deref().map(str::trim) {
            None | Some("") => {}
            Some("open") => conditions.push("a.state <> 'closed'".into()),
            Some("closed") => conditions.push("a.state = 'closed'".into()),
            Some(_) => return error(StatusCode::BAD_REQUEST, "invalid status (open or closed)"),
        }
        let parse_date = |v: &Option<String>, name: &str| match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => parse_iso(s).map(Some).ok_or_else(|| error(StatusCode::BAD_REQUEST, &format!("invalid {name}"))),
        };
        let (start, end) = match (parse_date(&q.start_date, "start_date"), parse_date(&q.end_date, "end_date")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        let end = end.unwrap_or_else(|| app.clock.now_ms());
        let start = start.unwrap_or(end - DEFAULT_WINDOW_MS);
        if start > end {
            return error(StatusCode::BAD_REQUEST, "start_date is after end_date");
        }
        // Bound, not written into the SQL: `end` is "now" by default, and a statement that
        // differs on every request is parsed and planned anew each time.
        window = Some((start, end));
        conditions.push("a.created_at >= $1 AND a.created_at <= $2".into());
    }
    let number = |v: &Option<String>, name: &str, default: i64, max: i64| match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s.parse::<i64>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| error(StatusCode::BAD_REQUEST, &format!("invalid {name} (1 to {max})"))),
    };
    let (page, size) = match (number(&q.page, "page", 1, MAX_PAGE), number(&q.page_size, "page_size", DEFAULT_PAGE_SIZE, MAX_REQUESTS)) {
        (Ok(p), Ok(s)) => (p, s),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let offset = (page - 1) * size;
    // Newest first by the date filed: the order of the date index, so a page reads its own
    // rows only (ordering by id made every row of the window be read, joined and sorted).
    let sql = format!(
        "{REQUEST_SELECT} WHERE {} ORDER BY a.created_at DESC, a.id DESC LIMIT {size} OFFSET {offset}",
        conditions.join(" AND ")
    );
    let binds = window.map(|(start, end)| vec![start, end]).unwrap_or_default();
    match fetch_requests(&app, &sql, &binds).await {
        Ok(rows) => requests_json(rows, l),
        Err(e) => internal(e),
    }
}

/// `GET requests/{id}.json`: one request, as a one-element array.
async fn one_request(State(app): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let Some(id) = strip_json(&file).and_then(|s| s.parse::<i64>().ok()) else {
        return error(StatusCode::NOT_FOUND, "service_request_id not found");
    };
    match fetch_requests(&app, &format!("{REQUEST_SELECT} WHERE a.id = $1"), &[id]).await {
        Ok(rows) if rows.is_empty() => error(StatusCode::NOT_FOUND, "service_request_id not found"),
        Ok(rows) => requests_json(rows, locale(&headers)),
        Err(e) => internal(e),
    }
}

#[derive(Deserialize, Default)]
struct PostForm {
    api_key: Option<String>,
    service_code: Option<String>,
    description: Option<String>,
    address_id: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
}

/// `POST requests.json` (form-encoded, as the standard has it): files an appeal for a client
/// app holding a key admins issued. `address_id` is a building id of the district (there are
/// no coordinates to place a `lat`/`long`); the contact is kept for the callback only.
async fn post_request(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    form: Result<Form<PostForm>, axum::extract::rejection::FormRejection>,
) -> Response {
    let Ok(Form(f)) = form else { return error(StatusCode::BAD_REQUEST, "the body must be form-encoded") };
    let key = f.api_key.as_deref().unwrap_or("").trim().to_string();
    if key.is_empty() {
        return error(StatusCode::FORBIDDEN, "api_key was not provided");
    }
    let key_id = match appeals::check_api_key(&app, &key).await {
        Ok(Some(id)) => id,
        Ok(None) => return error(StatusCode::FORBIDDEN, "invalid api_key"),
        Err(e) => return internal(e),
    };
    // Per key and per address: one leaked key, or one client looping, cannot flood the queues.
    let limits = [
        (format!("open311:key:{key_id}"), app.limits.open311_per_key),
        (format!("open311:addr:{}", peer.ip()), app.limits.open311_per_address),
    ];
    match app::ratelimit::hit(&app, &limits).await {
        Ok(()) => {}
        Err(AppError::Throttled { retry_after_secs }) => {
            let mut resp = error(StatusCode::TOO_MANY_REQUESTS, &format!("too many requests; retry after {retry_after_secs} s"));
            resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after_secs));
            return resp;
        }
        Err(e) => return internal(e),
    }
    let Some(code) = f.service_code.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "service_code was not provided");
    };
    let Ok(category) = AppealCategory::parse(code) else {
        return error(StatusCode::BAD_REQUEST, "service_code not found");
    };
    let Some(description) = f.description.as_deref().filter(|s| !s.trim().is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "description was not provided");
    };
    let Ok(description) = appeals::parse_description(description) else {
        return error(StatusCode::BAD_REQUEST, "description must be 5 to 2000 characters of text");
    };
    let Some(address) = f.address_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return error(StatusCode::BAD_REQUEST, "address_id (a building id) was not provided");
    };
    let Ok(building_id) = address.parse::<i64>() else {
        return error(StatusCode::BAD_REQUEST, "invalid address_id");
    };
    let name = [f.first_name, f.last_name]
        .into_iter()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let contact_name = match name.as_str() {
        "" => None,
        name => match app::accounts::DisplayName::parse(name) {
            Ok(n) => Some(n.as_str().to_string()),
            Err(_) => return error(StatusCode::BAD_REQUEST, "invalid first_name or last_name"),
        },
    };
    let contact_phone = match f.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(p) => match app::accounts::Phone::parse(p) {
            Ok(p) => Some(p.as_str().to_string()),
            Err(_) => return error(StatusCode::BAD_REQUEST, "invalid phone"),
        },
    };
    let new = NewAppeal {
        building_id,
        category,
        urgency: category.default_urgency(),
        description,
        source: Source::Open311,
        reporter_id: None,
        filed_by: None,
        contact_name,
        contact_phone,
        api_key_id: Some(key_id),
    };
    match appeals::insert(&app, new).await {
        Ok(id) => {
            if let Err(e) = appeals::note_key_use(&app, key_id).await {
                tracing::warn!(error = %e, "noting an API key's use");
            }
            Json(json!([{ "service_request_id": id.to_string(), "service_notice": "", "account_id": null }])).into_response()
        }
        Err(AppError::Invalid(_)) => error(StatusCode::BAD_REQUEST, "address_id is not a building of the district"),
        Err(e) => internal(e),
    }
}
