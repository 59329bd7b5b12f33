//! The appeals' routes that are not pages or server functions: photo upload (a multipart form
//! post, which works without JavaScript) and download, and the rates as CSV.
use crate::router::{session_token, ServerState};
use app::appeals;
use app::error::{AppError, Conflict};
use app::state::AppState;
use axum::{
    extract::{DefaultBodyLimit, Multipart, Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Router,
};
use tower_http::limit::RequestBodyLimitLayer;

/// A photo upload's body: the photo and the form around it.
pub const UPLOAD_LIMIT: usize = appeals::MAX_PHOTO_BYTES + 64 * 1024;

/// The upload route, with its own body limit (the rest of the site keeps the 1 MiB one).
pub fn upload_routes() -> Router<ServerState> {
    Router::new()
        .route("/appeals/{id}/photos", post(upload_photo))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(RequestBodyLimitLayer::new(UPLOAD_LIMIT))
}

pub fn read_routes() -> Router<ServerState> {
    Router::new().route("/appeals/photos/{id}", get(photo)).route("/appeals/rates.csv", get(rates_csv))
}

/// `POST /appeals/{id}/photos` (multipart, field `photo`): adds a photo, then back to the
/// appeal; a refusal comes back as `?photo_error=…`, which the page explains.
async fn upload_photo(State(app): State<AppState>, Path(id): Path<i64>, headers: HeaderMap, mut form: Multipart) -> Response {
    let back = |code: Option<&str>| match code {
        None => Redirect::to(&format!("/appeals/{id}")).into_response(),
        Some(code) => Redirect::to(&format!("/appeals/{id}?photo_error={code}")).into_response(),
    };
    let caller = match app::request::caller_with(&app, session_token(&app, &headers)).await {
        Ok(c) => c,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    if caller.is_none() {
        return Redirect::to(&format!("/login?next=/appeals/{id}")).into_response();
    }
    let mut bytes = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("photo") => match field.bytes().await {
                Ok(b) => bytes = Some(b.to_vec()),
                Err(_) => return back(Some("invalid")),
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return back(Some("invalid")),
        }
    }
    let Some(bytes) = bytes else { return back(Some("invalid")) };
    match appeals::add_photo(&app, caller.as_ref(), id, bytes).await {
        Ok(_) => back(None),
        Err(AppError::Conflict(Conflict::TooManyPhotos)) => back(Some("too_many")),
        Err(AppError::Conflict(_)) => back(Some("state")),
        Err(AppError::Forbidden | AppError::Unauthenticated) => back(Some("forbidden")),
        Err(AppError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(AppError::Invalid(_)) => back(Some("invalid")),
        Err(e) => {
            tracing::error!(error = %e, "adding a photo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `GET /appeals/photos/{id}`: for those who see the appeal in full; 404 for everyone else.
async fn photo(State(app): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    let caller = match app::request::caller_with(&app, session_token(&app, &headers)).await {
        Ok(c) => c,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    match appeals::photo(&app, caller.as_ref(), id).await {
        Ok((content_type, bytes)) => (
            [(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "private, no-store".to_string())],
            bytes,
        )
            .into_response(),
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "not found / 未找到").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "reading a photo");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[derive(serde::Deserialize)]
struct RatesQuery {
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `GET /appeals/rates.csv?unit=street:3&from=2026-01&to=2026-12`: the rates page as CSV.
async fn rates_csv(State(app): State<AppState>, Query(q): Query<RatesQuery>) -> Response {
    let scope = appeals::RateScope::from_unit(q.unit.as_deref());
    let (from, to) = appeals::period(app.clock.now_ms(), q.from.as_deref(), q.to.as_deref());
    match appeals::report(&app, scope, &from, &to).await {
        Ok(report) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (header::CONTENT_DISPOSITION, "attachment; filename=\"linli-appeal-rates.csv\""),
            ],
            appeals::csv(&report),
        )
            .into_response(),
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "no such unit / 无此单位").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rates CSV");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
