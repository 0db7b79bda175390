//! A person's data rights (UU PDP 27/2022): the one place that lists what
//! every feature adds to "Download my data" and what it erases, withdraws
//! or hands over when an account is deleted.
//!
//! A feature that keeps personal data adds a `data` module with
//! `export(db, user_id, sink)` (one or more top-level fields of the JSON
//! file, rows streamed) and `erase(tx, user_id)` (run inside the deletion's
//! transaction), and one line to each function below. Erasing keeps rows
//! that others rely on or that are counted (a business, a listing's
//! decision, an audit event) and removes or blanks what identifies the
//! person; what it hands over (a business to its registry, a course to an
//! administrator) is said in that feature's module.

use crate::error::AppError;
use crate::shared::db::{now, Db};
use crate::shared::export::JsonSink;

/// The format's name and version, the first fields of every file.
pub const FORMAT: &str = "naik-kelas-personal-data";
pub const FORMAT_VERSION: i64 = 1;

/// Writes everything the portal holds about `user_id`.
pub async fn export(db: &Db, user_id: i64, sink: &mut JsonSink) -> Result<(), AppError> {
    sink.field("format", &FORMAT).await?;
    sink.field("format_version", &FORMAT_VERSION).await?;
    sink.field("exported_at", &now()).await?;
    crate::accounts::data::export(db, user_id, sink).await?;
    crate::profile::data::export(db, user_id, sink).await?;
    crate::courses::data::export(db, user_id, sink).await?;
    crate::workshops::data::export(db, user_id, sink).await?;
    crate::listings::data::export(db, user_id, sink).await?;
    Ok(())
}

/// Erases `user_id`'s personal data in the caller's transaction. Features
/// first (their rows may point at the account), the account last.
pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    db: &Db,
    user_id: i64,
) -> Result<(), AppError> {
    crate::workshops::data::erase(tx, db, user_id).await?;
    crate::listings::data::erase(tx, user_id).await?;
    crate::courses::data::erase(tx, user_id).await?;
    crate::profile::data::erase(tx, user_id).await?;
    crate::accounts::data::erase(tx, user_id).await
}
