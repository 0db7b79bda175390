//! What workshops add to a person's data download and what deletion does
//! (listed in [`crate::data_rights`]): their registrations are in the
//! download; at deletion each seat they held is freed, promoting the next
//! person on that waiting list, under the workshop's lock.

use futures::TryStreamExt;
use serde_json::json;

use crate::error::AppError;
use crate::shared::db::Db;
use crate::shared::export::JsonSink;

pub async fn export(db: &Db, user_id: i64, sink: &mut JsonSink) -> Result<(), AppError> {
    let rows = sqlx::query_as::<_, (i64, String, String, i64, Option<i64>)>(
        r#"select r.workshop_id, w.title, r.status, r.registered_at, r.attended_at
           from workshop_registrations r join workshops w on w.id = r.workshop_id
           where r.user_id = $1 order by r.registered_at"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(id, title, status, at, attended)| {
        json!({ "workshop_id": id, "title": title, "status": status,
                "registered_at": at, "attended_at": attended })
    });
    sink.array("workshop_registrations", rows).await?;
    Ok(())
}

pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    db: &Db,
    user_id: i64,
) -> Result<(), AppError> {
    let mine: Vec<(i64,)> = sqlx::query_as(
        r#"select workshop_id from workshop_registrations
           where user_id = $1 and status <> 'cancelled' order by workshop_id"#,
    )
    .bind(user_id)
    .fetch_all(&mut **tx)
    .await?;
    for (workshop,) in mine {
        sqlx::query(&format!(
            "select id from workshops where id = $1{}",
            db.for_update()
        ))
        .bind(workshop)
        .fetch_one(&mut **tx)
        .await?;
        super::server::release(tx, db, workshop, user_id).await?;
    }
    sqlx::query("delete from workshop_registrations where user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("update workshops set trainer_id = null where trainer_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
