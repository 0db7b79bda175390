//! What listings add to a person's data download and what deletion does
//! (listed in [`crate::data_rights`]): the download has every listing with
//! its decisions; at deletion the listings are withdrawn and no longer
//! name their seller, while the decisions stay (without a name) for the
//! policy figures.

use futures::TryStreamExt;
use serde_json::json;

use crate::error::AppError;
use crate::shared::db::{now, Db};
use crate::shared::export::JsonSink;

pub async fn export(db: &Db, user_id: i64, sink: &mut JsonSink) -> Result<(), AppError> {
    type Row = (
        i64,
        String,
        String,
        String,
        i64,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        i64,
    );
    let listings = sqlx::query_as::<_, Row>(
        r#"select id, title, description, category, price_minor, currency, unit, origin_country,
                  ships_from, hs_code, halal_cert, sni, status, created_at
           from listings where seller_id = $1 order by id"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|r| {
        json!({ "listing_id": r.0, "title": r.1, "description": r.2, "category": r.3,
                "price_minor_units": r.4, "currency": r.5, "unit": r.6, "origin_country": r.7,
                "ships_from": r.8, "hs_code": r.9, "halal_certificate": r.10, "sni": r.11,
                "status": r.12, "created_at": r.13 })
    });
    sink.array("listings", listings).await?;
    let decisions = sqlx::query_as::<_, (i64, i64, String, String, String, i64)>(
        r#"select d.listing_id, d.rule_set_version, d.outcome, d.reasons, d.as_of, d.decided_at
           from listing_decisions d join listings l on l.id = d.listing_id
           where l.seller_id = $1 order by d.id"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(listing, version, outcome, reasons, as_of, at)| {
        let reasons: serde_json::Value = serde_json::from_str(&reasons).unwrap_or_default();
        json!({ "listing_id": listing, "rule_set_version": version, "outcome": outcome,
                "reasons": reasons, "as_of": as_of, "decided_at": at })
    });
    sink.array("listing_decisions", decisions).await?;
    Ok(())
}

pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "update listings set status = 'withdrawn', seller_id = null, updated_at = $1 where seller_id = $2",
    )
    .bind(now())
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
