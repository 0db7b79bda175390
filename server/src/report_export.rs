//! `GET /teach/{slug}/report.csv`: a course's learner report as CSV, for
//! the course's editors only, with the page's filters. Streamed as it is
//! read (see `app::courses::report_server::export_csv`): the header row
//! leaves at once and memory stays flat for any number of learners.

use app::courses::report::ReportFilter;
use app::shared::session::server::PageUser;
use app::shared::state::{AppState, ClientIp};
use axum::body::Body;
use axum::extract::{Path, Query, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub const PATH: &str = "/teach/{slug}/report.csv";

fn status(err: &app::error::AppError) -> Response {
    (
        StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        err.to_string(),
    )
        .into_response()
}

pub async fn download(
    state: AppState,
    Path(slug): Path<String>,
    Query(filter): Query<ReportFilter>,
    req: Request,
) -> Response {
    let user = match req.extensions().get::<PageUser>().map(|u| u.0.clone()) {
        Some(Ok(Some(user))) => user,
        Some(Err(err)) => return status(&err),
        _ => {
            let to = app::shared::paths::login_then(&format!("/teach/{slug}/report"));
            let mut res = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&to) {
                res.headers_mut().insert(header::LOCATION, location);
            }
            return res;
        }
    };
    if !user.role.can_teach() {
        return status(&app::error::AppError::Forbidden);
    }
    let scope = match app::courses::report_server::scope(&state.db, &user, &slug, &filter).await {
        Ok(scope) => scope,
        Err(err) => return status(&err),
    };
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map(|c| c.addr.clone())
        .unwrap_or_else(|| "unknown".into());
    app::shared::audit::record_db(
        &state.db,
        app::shared::audit::Entry {
            action: "courses.report_exported",
            actor: Some(user.id),
            subject: None,
            ip: &ip,
            detail: &format!("course:{}", scope.course),
        },
    )
    .await;
    let locale = app::shared::locale_from_headers(req.headers());
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let db = state.db.clone();
    let course = scope.course;
    tokio::spawn(async move {
        if let Err(err) = app::courses::report_server::export_csv(&db, &scope, locale, &tx).await {
            tracing::warn!(course, error = %err, "report export failed");
            // The body ends with an error: the client sees a failed
            // download, not a silently short file.
            let _ = tx
                .send(Err(std::io::Error::other("report export failed")))
                .await;
        }
    });
    // Fused: the compression layer polls once more after the end, which
    // a bare `unfold` answers with a panic.
    let chunks = futures::StreamExt::fuse(futures::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    }));
    let mut res = Response::new(Body::from_stream(chunks));
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    let name: String = slug
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"report-{name}.csv\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
