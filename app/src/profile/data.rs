//! What the profile feature adds to a person's data download and what it
//! does at deletion (listed in [`crate::data_rights`]).
//!
//! Download: the business they own, with its KBLI codes, channels and
//! milestones. Deletion: the business stays (it is the ministry's record
//! of an MSME, counted on the dashboards) but loses its owner and the
//! owner's personal fields (owner name, WhatsApp number); a pending claim
//! is withdrawn.

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
    Ok(())
}

pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        r#"update businesses
           set owner_id = null, owner_name = '', whatsapp = null, claim_business_id = null,
               nib_status = case when nib_status = 'pending' and nib is null then 'none'
                                 else nib_status end
           where owner_id = $1"#,
    )
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
