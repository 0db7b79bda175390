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

/// Writes an entry. Failing to audit is logged, not hidden, but does not
/// turn the user's request into an error.
pub async fn record<'e, E>(executor: E, entry: Entry<'_>)
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    insert(executor, entry, None).await
}

/// Convenience for callers holding a [`Db`].
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
    let result = sqlx::query(
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
    .execute(executor)
    .await;
    if let Err(err) = result {
        tracing::error!(error = %err, action = entry.action, "could not write audit entry");
    }
}
