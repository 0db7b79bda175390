//! The onboarding journey's milestones, stored once each with the day it
//! was first reached, and the function later features call inside their
//! own transaction when a seller completes the core course or gets a first
//! listing allowed: [`reach_for_owner`].

use super::domain::Milestone;
use crate::error::AppError;
use crate::shared::db::Db;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Marks `milestone` reached for a business at `at`, unless it was
/// reached before (its first date is kept). One atomic statement (`on
/// conflict do nothing` on the primary key), so any number of simultaneous
/// calls record it once. Returns whether it is new.
pub async fn reach(
    tx: &mut Tx,
    business_id: i64,
    milestone: Milestone,
    at: i64,
) -> Result<bool, AppError> {
    let done = sqlx::query(
        r#"insert into business_milestones (business_id, milestone, reached_at)
           values ($1, $2, $3)
           on conflict (business_id, milestone) do nothing"#,
    )
    .bind(business_id)
    .bind(milestone.as_str())
    .bind(at)
    .execute(&mut **tx)
    .await?;
    let new = done.rows_affected() == 1;
    if new {
        record_event(tx, business_id, None, "milestone", milestone.as_str(), at).await?;
    }
    Ok(new)
}

/// Appends an entry to a business's history (`business_events`): what
/// happened, who did it (none for the portal itself) and a short detail
/// (the fields changed, the NIB, a staff reason; never a personal value).
pub async fn record_event(
    tx: &mut Tx,
    business_id: i64,
    actor: Option<i64>,
    kind: &str,
    detail: &str,
    at: i64,
) -> Result<(), AppError> {
    sqlx::query(
        r#"insert into business_events (business_id, at, actor_id, kind, detail)
           values ($1, $2, $3, $4, $5)"#,
    )
    .bind(business_id)
    .bind(at)
    .bind(actor)
    .bind(kind)
    .bind(detail)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// For other features (training, listings): marks `milestone` reached for
/// the business owned by `owner`, in the caller's transaction. A seller
/// without a business profile yet gets one started (named after the
/// account), so the step is not lost. Returns whether it is new.
pub async fn reach_for_owner(
    tx: &mut Tx,
    owner: i64,
    milestone: Milestone,
    at: i64,
) -> Result<bool, AppError> {
    let found: Option<(i64,)> = sqlx::query_as("select id from businesses where owner_id = $1")
        .bind(owner)
        .fetch_optional(&mut **tx)
        .await?;
    let id = match found {
        Some((id,)) => id,
        None => {
            let (id,): (i64,) = sqlx::query_as(
                r#"insert into businesses (owner_id, source, name, created_at, updated_at)
                   select id, 'portal', display_name, $2, $2 from users where id = $1
                   returning id"#,
            )
            .bind(owner)
            .bind(at)
            .fetch_one(&mut **tx)
            .await?;
            id
        }
    };
    reach(tx, id, milestone, at).await
}

/// The milestones a business has reached, with their dates.
pub async fn milestones(db: &Db, business_id: i64) -> Result<Vec<(Milestone, i64)>, AppError> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "select milestone, reached_at from business_milestones where business_id = $1",
    )
    .bind(business_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, at)| Some((Milestone::parse(&m)?, at)))
        .collect())
}

/// A confirmed claim: the seller's draft business and the registry's
/// record join. The registry record (with its NIB, now verified) gets the
/// owner and every field the seller filled in; KBLI codes and channels
/// the seller gave replace the registry's; each milestone keeps the
/// earlier of its two dates; the draft's history moves across; the draft
/// is deleted. Returns the joined
/// business's id.
pub async fn merge_claim(
    tx: &mut Tx,
    db: &Db,
    draft: i64,
    registry: i64,
    owner: i64,
    staff: i64,
    at: i64,
) -> Result<i64, AppError> {
    let taken: Option<(Option<i64>,)> = sqlx::query_as(&format!(
        "select owner_id from businesses where id = $1{}",
        db.for_update()
    ))
    .bind(registry)
    .fetch_optional(&mut **tx)
    .await?;
    match taken {
        Some((None,)) => {}
        // Claimed by someone else meanwhile, or gone.
        _ => return Err(AppError::Conflict),
    }
    let reached: Vec<(String, i64)> = sqlx::query_as(
        "select milestone, reached_at from business_milestones where business_id = $1",
    )
    .bind(draft)
    .fetch_all(&mut **tx)
    .await?;
    let kbli: Vec<(String, String)> =
        sqlx::query_as("select kbli_version, code from business_kbli where business_id = $1")
            .bind(draft)
            .fetch_all(&mut **tx)
            .await?;
    let channels: Vec<(i64, String, String, String)> = sqlx::query_as(
        "select position, kind, name, url from business_channels where business_id = $1",
    )
    .bind(draft)
    .fetch_all(&mut **tx)
    .await?;
    // Free the owner (one business per owner) before the registry record
    // takes them; copy the draft's filled fields across.
    sqlx::query("update businesses set owner_id = null where id = $1")
        .bind(draft)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        r#"update businesses set
               owner_id = $1,
               owner_name = coalesce(nullif((select owner_name from businesses where id = $2), ''), owner_name),
               whatsapp = coalesce((select whatsapp from businesses where id = $2), whatsapp),
               cluster = coalesce((select cluster from businesses where id = $2), cluster),
               province_code = coalesce((select province_code from businesses where id = $2), province_code),
               regency_code = coalesce((select regency_code from businesses where id = $2), regency_code),
               address = coalesce((select address from businesses where id = $2), address),
               domicile_country = (select domicile_country from businesses where id = $2),
               year_founded = coalesce((select year_founded from businesses where id = $2), year_founded),
               employees = coalesce((select employees from businesses where id = $2), employees),
               capital_idr = coalesce((select capital_idr from businesses where id = $2), capital_idr),
               annual_sales_idr = coalesce((select annual_sales_idr from businesses where id = $2), annual_sales_idr),
               size_basis = coalesce((select size_basis from businesses where id = $2), size_basis),
               size_class = coalesce((select size_class from businesses where id = $2), size_class),
               halal_cert = coalesce((select halal_cert from businesses where id = $2), halal_cert),
               sni_cert = coalesce((select sni_cert from businesses where id = $2), sni_cert),
               nib_status = 'verified', nib_submitted_at = $3, nib_decided_at = $3,
               nib_decided_by = $4, nib_reason = null, updated_at = $3
           where id = $5"#,
    )
    .bind(owner)
    .bind(draft)
    .bind(at)
    .bind(staff)
    .bind(registry)
    .execute(&mut **tx)
    .await?;
    if !kbli.is_empty() {
        sqlx::query("delete from business_kbli where business_id = $1")
            .bind(registry)
            .execute(&mut **tx)
            .await?;
        for (version, code) in &kbli {
            sqlx::query(
                "insert into business_kbli (business_id, kbli_version, code) values ($1, $2, $3)",
            )
            .bind(registry)
            .bind(version)
            .bind(code)
            .execute(&mut **tx)
            .await?;
        }
    }
    if !channels.is_empty() {
        sqlx::query("delete from business_channels where business_id = $1")
            .bind(registry)
            .execute(&mut **tx)
            .await?;
        for (position, kind, name, url) in &channels {
            sqlx::query(
                r#"insert into business_channels (business_id, position, kind, name, url)
                   values ($1, $2, $3, $4, $5)"#,
            )
            .bind(registry)
            .bind(position)
            .bind(kind)
            .bind(name)
            .bind(url)
            .execute(&mut **tx)
            .await?;
        }
    }
    for (milestone, reached_at) in &reached {
        // The earlier date wins: insert, or move an existing date back.
        sqlx::query(
            r#"insert into business_milestones (business_id, milestone, reached_at)
               values ($1, $2, $3)
               on conflict (business_id, milestone) do update
               set reached_at = case when excluded.reached_at < business_milestones.reached_at
                                     then excluded.reached_at
                                     else business_milestones.reached_at end"#,
        )
        .bind(registry)
        .bind(milestone)
        .bind(reached_at)
        .execute(&mut **tx)
        .await?;
    }
    // The draft's history becomes the joined record's (before the draft,
    // and with it its events, is deleted).
    sqlx::query("update business_events set business_id = $1 where business_id = $2")
        .bind(registry)
        .bind(draft)
        .execute(&mut **tx)
        .await?;
    reach(tx, registry, Milestone::NibVerified, at).await?;
    sqlx::query("delete from businesses where id = $1")
        .bind(draft)
        .execute(&mut **tx)
        .await?;
    Ok(registry)
}
