//! `GET /media/{key}`: uploaded files from the media store. Keys are
//! content hashes ([`app::courses::images::valid_key`]), so a file never
//! changes under its name: served with its type, `nosniff` (set for every
//! answer) and a year's cache.

use app::shared::state::AppState;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub async fn serve(state: AppState, key: String) -> Response {
    if !app::courses::images::valid_key(&key) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match app::shared::media::get(&state.media, &key).await {
        Ok(Some(bytes)) => {
            let kind = if key.ends_with(".png") {
                "image/png"
            } else {
                "image/jpeg"
            };
            (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
                    (
                        header::CACHE_CONTROL,
                        HeaderValue::from_static("public, max-age=31536000, immutable"),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, HeaderValue::from_static("5"))],
        )
            .into_response(),
    }
}
