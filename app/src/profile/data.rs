//! What the profile feature adds to a person's data download and what it
//! does at deletion (listed in [`crate::data_rights`]).
//!
//! Download: the business they own, with its KBLI codes, channels,
//! milestones and history. Deletion: the business stays (it is the ministry's record
//! of an MSME, counted on the dashboards) but loses its owner and the
//! owner's personal fields (owner name, WhatsApp number); a pending NIB
//! submission or claim is withdrawn (nobody is left to hear the decision),
//! so it leaves the staff queue. Its history stays, without the person.

use futures::TryStreamExt;
use serde_json::json;

use crate::error::AppError;
use crate::shared::db::Db;
use crate::shared::export::JsonSink;

pub async fn export(db: &Db, user_id: i64, sink: &mut JsonSink) -> Result<(), AppError> {
    let Some(business) = super::server::my_business(db, user_id).await?.profile else {
        return sink.field("business", &serde_json::Value::Null).await;
    };
    let id = business.id;
    sink.field("business", &business).await?;
    let milestones = sqlx::query_as::<_, (String, i64)>(
        "select milestone, reached_at from business_milestones where business_id = $1 order by reached_at",
    )
    .bind(id)
    .fetch(&db.pool)
    .map_ok(|(m, at)| json!({ "milestone": m, "reached_at": at }));
    sink.array("business_milestones", milestones).await?;
    let history = sqlx::query_as::<_, (i64, String, String)>(
        "select at, kind, detail from business_events where business_id = $1 order by id",
    )
    .bind(id)
    .fetch(&db.pool)
    .map_ok(|(at, kind, detail)| json!({ "at": at, "kind": kind, "detail": detail }));
    sink.array("business_history", history).await?;
    Ok(())
}

pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        r#"update businesses
           set owner_id = null, owner_name = '', whatsapp = null, claim_business_id = null,
               nib_status = case when nib_status = 'pending' then 'none' else nib_status end,
               nib_submitted_at = case when nib_status = 'pending' then null
                                       else nib_submitted_at end
           where owner_id = $1"#,
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
