//! `GET /account/data.json`: "Download my data", everything the portal
//! holds about the signed-in person (see `app::data_rights`) as one JSON
//! file, streamed as it is read: memory stays flat however much there is.

use app::shared::export::JsonSink;
use app::shared::session::server::PageUser;
use app::shared::state::{AppState, ClientIp};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub const PATH: &str = "/account/data.json";

pub async fn download(state: AppState, req: Request) -> Response {
    // Resolved by the `page_user` middleware, as for every page.
    let user = match req.extensions().get::<PageUser>().map(|u| u.0.clone()) {
        Some(Ok(Some(user))) => user,
        Some(Err(err)) => {
            return (StatusCode::from_u16(err.status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
            .into_response()
        }
        _ => {
            let to = app::shared::paths::login_then(PATH);
            let mut res = StatusCode::SEE_OTHER.into_response();
            if let Ok(location) = HeaderValue::from_str(&to) {
                res.headers_mut().insert(header::LOCATION, location);
            }
            return res;
        }
    };
    let ip = req
        .extensions()
        .get::<ClientIp>()
        .map(|c| c.addr.clone())
        .unwrap_or_else(|| "unknown".into());
    app::shared::audit::record_db(
        &state.db,
        app::shared::audit::Entry {
            action: "accounts.data_exported",
            actor: Some(user.id),
            subject: Some(user.id),
            ip: &ip,
            detail: "",
        },
    )
    .await;

    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let db = state.db.clone();
    let user_id = user.id;
    tokio::spawn(async move {
        let mut sink = JsonSink::new(tx);
        match app::data_rights::export(&db, user_id, &mut sink).await {
            Ok(()) => {
                let _ = sink.finish().await;
            }
            Err(err) => {
                tracing::warn!(user = user_id, error = %err, "data export failed");
                sink.abort().await;
            }
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
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"naik-kelas-data-{user_id}.json\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
