//! The audit log: who did what, when, from where. One table for every
//! feature; each feature names its own actions (`accounts.login`, …).

use super::db::{now, Db};

/// One audit entry. `actor` is the signed-in user (if any), `subject` the
/// user the action was about (if different or known), `detail` a short
/// machine-readable note: never a password, token or cookie.
pub struct Entry<'a> {
    pub action: &'a str,
    pub actor: Option<i64>,
    pub subject: Option<i64>,
    pub ip: &'a str,
    pub detail: &'a str,
}

/// Writes an entry inside the caller's transaction: the action and its
/// audit row commit together or not at all, so a failure here fails the
/// action.
pub async fn record<'e, E>(executor: E, entry: Entry<'_>) -> Result<(), crate::error::AppError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    statement(&entry, None).execute(executor).await?;
    Ok(())
}

fn statement<'q>(
    entry: &Entry<'q>,
    dedupe_key: Option<&'q str>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    sqlx::query(
        r#"insert into audit_log (at, action, actor_id, subject_id, ip, detail, dedupe_key)
           values ($1, $2, $3, $4, $5, $6, $7)
           on conflict (dedupe_key) do nothing"#,
    )
    .bind(now())
    .bind(entry.action)
    .bind(entry.actor)
    .bind(entry.subject)
    .bind(entry.ip)
    .bind(entry.detail)
    .bind(dedupe_key)
}

/// Outside a transaction (events with nothing else to commit: a refused
/// request, a sign-in attempt): failing to audit is logged, not hidden,
/// but does not turn the user's request into an error.
pub async fn record_db(db: &Db, entry: Entry<'_>) {
    insert(&db.pool, entry, None).await
}

/// Writes an entry unless one with the same `dedupe_key` exists (one
/// atomic statement: a unique index on the key, `on conflict do nothing`),
/// for events that could otherwise repeat without bound.
pub async fn record_once(db: &Db, entry: Entry<'_>, dedupe_key: &str) {
    insert(&db.pool, entry, Some(dedupe_key)).await
}

/// Entries without a key never conflict (NULLs are distinct in a unique
/// index on both engines).
async fn insert<'e, E>(executor: E, entry: Entry<'_>, dedupe_key: Option<&str>)
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    if let Err(err) = statement(&entry, dedupe_key).execute(executor).await {
        tracing::error!(error = %err, action = entry.action, "could not write audit entry");
    }
}
