//! What the accounts feature adds to a person's data download and what it
//! erases at deletion (listed in [`crate::data_rights`]).
//!
//! Download: the account, the audit entries by or about the person (the
//! address an entry was made from only when they made it), the messages
//! sent to their email address or number, and their open verifications
//! (never a code's hash).
//!
//! Deletion: the account row stays (counts and audit events keep their
//! subject) with its name, contact, password hash and language choice
//! erased and `deleted_at` set, so the address is free for a new
//! registration; every session ends (the epoch moves on); messages to the
//! person's contacts and their verifications are deleted; the addresses
//! of the audit entries they made are blanked. Audit details never held
//! a name or contact (identifiers are pseudonymised when written).

use futures::TryStreamExt;
use serde_json::json;

use crate::error::AppError;
use crate::shared::db::{now, Db};
use crate::shared::export::JsonSink;

/// display name, email, phone, role, locale, privacy version, agreed at,
/// created at, updated at.
type AccountRow = (
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<i64>,
    i64,
    i64,
);

pub async fn export(db: &Db, user_id: i64, sink: &mut JsonSink) -> Result<(), AppError> {
    let row: Option<AccountRow> = sqlx::query_as(
        r#"select display_name, email, phone, role, locale, privacy_version, privacy_agreed_at,
                  created_at, updated_at
           from users where id = $1 and deleted_at is null"#,
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((name, email, phone, role, locale, privacy, agreed, created, updated)) = row else {
        return Err(AppError::NotFound);
    };
    sink.field(
        "account",
        &json!({
            "id": user_id,
            "display_name": name,
            "email": email,
            "phone": phone,
            "role": role,
            "language": locale,
            "privacy_notice_version": privacy,
            "privacy_notice_agreed_at": agreed,
            "created_at": created,
            "updated_at": updated,
        }),
    )
    .await?;

    let audit = sqlx::query_as::<_, (i64, String, Option<i64>, Option<i64>, String, String)>(
        r#"select at, action, actor_id, subject_id, ip, detail from audit_log
           where actor_id = $1 or subject_id = $1 order by id"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(at, action, actor, subject, ip, detail)| {
        let by_you = actor == Some(user_id);
        json!({
            "at": at,
            "action": action,
            "by_you": by_you,
            "about_you": subject == Some(user_id),
            "ip": if by_you { Some(ip) } else { None },
            "detail": detail,
        })
    });
    sink.array("audit_log", audit).await?;

    let messages = sqlx::query_as::<
        _,
        (
            i64,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<i64>,
        ),
    >(
        r#"select created_at, channel, destination, kind, status, subject, body, sent_at
           from messages where destination = $1 or destination = $2 order by id"#,
    )
    .bind(email.as_deref())
    .bind(phone.as_deref())
    .fetch(&db.pool)
    .map_ok(
        |(created, channel, to, kind, status, subject, body, sent)| {
            json!({
                "created_at": created,
                "channel": channel,
                "to": to,
                "kind": kind,
                "status": status,
                "subject": subject,
                "body": body,
                "sent_at": sent,
            })
        },
    );
    sink.array("messages", messages).await?;

    let verifications = sqlx::query_as::<_, (String, String, String, i64, i64, Option<i64>)>(
        r#"select purpose, channel, destination, created_at, expires_at, used_at
           from verifications where user_id = $1 order by created_at"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(purpose, channel, to, created, expires, used)| {
        json!({
            "purpose": purpose,
            "channel": channel,
            "to": to,
            "created_at": created,
            "expires_at": expires,
            "used_at": used,
        })
    });
    sink.array("verifications", verifications).await?;
    Ok(())
}

pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> Result<(), AppError> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("select email, phone from users where id = $1 and deleted_at is null")
            .bind(user_id)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((email, phone)) = row else {
        return Err(AppError::NotFound);
    };
    sqlx::query("delete from messages where destination = $1 or destination = $2")
        .bind(email.as_deref())
        .bind(phone.as_deref())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "delete from verifications where user_id = $1 or destination = $2 or destination = $3",
    )
    .bind(user_id)
    .bind(email.as_deref())
    .bind(phone.as_deref())
    .execute(&mut **tx)
    .await?;
    sqlx::query("update audit_log set ip = '' where actor_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        r#"update users
           set display_name = '', email = null, phone = null, password_hash = '',
               locale = 'id', privacy_version = null, privacy_agreed_at = null, demo = 0,
               session_epoch = session_epoch + 1, deleted_at = $1, updated_at = $1
           where id = $2"#,
    )
    .bind(now())
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
