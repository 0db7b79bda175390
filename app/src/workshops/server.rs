//! Server-only workshop logic. Every seat decision runs in one
//! `begin_locked` transaction holding the workshop's row (`for update` on
//! PostgreSQL, the write lock on SQLite): fifty simultaneous registrations
//! for ten seats give ten seats and forty places in order, and two
//! cancellations at once promote two different people, once each.

use super::api::{MyPlace, WorkshopItem, WorkshopView};
use super::domain::{local_time, Zone};
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::audit::{self, Entry};
use crate::shared::db::{now, Db};
use crate::shared::outbound::{self, Channel, NewMessage};
use crate::shared::regions;
use crate::shared::session::server::Caller;

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// id, course slug, course title id/en, title, online, link, address,
/// province, regency, zone, starts, ends, closes, capacity.
type Row = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
    i64,
    i64,
);

const COLUMNS: &str =
    "w.id, c.slug, c.title_id, c.title_en, w.title, w.online, w.link, w.address, \
    w.province_code, w.regency_code, w.zone, w.starts_at, w.ends_at, w.closes_at, w.capacity";

async fn counts(db: &Db, id: i64) -> Result<(i64, i64), AppError> {
    let (seated, waiting): (i64, i64) = sqlx::query_as(
        r#"select coalesce(sum(case when status = 'seated' then 1 else 0 end), 0),
                  coalesce(sum(case when status = 'waiting' then 1 else 0 end), 0)
           from workshop_registrations where workshop_id = $1"#,
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok((seated, waiting))
}

async fn item(db: &Db, r: Row, english: bool) -> Result<WorkshopItem, AppError> {
    let (
        id,
        slug,
        tid,
        ten,
        title,
        online,
        _link,
        address,
        province,
        regency,
        zone,
        starts,
        ends,
        closes,
        capacity,
    ) = r;
    let zone = Zone::parse(&zone).unwrap_or(Zone::Wib);
    let (seated, waiting) = counts(db, id).await?;
    let module: Option<(i64, String, String)> = sqlx::query_as(
        r#"select m.position, m.title_id, m.title_en from workshops w
           join course_modules m on m.id = w.module_id where w.id = $1"#,
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(WorkshopItem {
        module: module.map(|(position, tid, ten)| {
            (
                position + 1,
                crate::courses::domain::pick(&tid, &ten, english)
                    .0
                    .to_string(),
            )
        }),
        id,
        course_slug: slug,
        course_title: crate::courses::domain::pick(&tid, &ten, english)
            .0
            .to_string(),
        title,
        online: online == 1,
        place: if online == 1 {
            String::new()
        } else {
            let p = regions::place_name(province.as_deref(), regency.as_deref());
            match address {
                Some(a) if !a.is_empty() => format!("{a}, {p}"),
                _ => p,
            }
        },
        starts: local_time(starts, zone),
        ends: local_time(ends, zone),
        closes: local_time(closes, zone),
        open: closes > now(),
        capacity,
        seated,
        waiting,
    })
}

/// Upcoming workshops, the caller's regency first, then their province,
/// then online ones, then the rest; soonest first within each.
pub async fn list(caller: &Caller) -> Result<Vec<WorkshopItem>, AppError> {
    let db = &caller.state().db;
    let english = crate::shared::request_locale() == Locale::en;
    let (province, regency): (String, String) = match &caller.user {
        Some(u) => sqlx::query_as::<_, (Option<String>, Option<String>)>(
            "select province_code, regency_code from businesses where owner_id = $1",
        )
        .bind(u.id)
        .fetch_optional(&db.pool)
        .await?
        .map(|(p, r)| (p.unwrap_or_default(), r.unwrap_or_default()))
        .unwrap_or_default(),
        None => Default::default(),
    };
    let rows: Vec<Row> = sqlx::query_as(&format!(
        r#"select {COLUMNS} from workshops w join courses c on c.id = w.course_id
           where w.ends_at > $1 and c.status = 'published'
           order by case when w.regency_code = $2 and $2 <> '' then 0
                         when w.province_code = $3 and $3 <> '' then 1
                         when w.online = 1 then 2 else 3 end,
                    w.starts_at, w.id
           limit 100"#
    ))
    .bind(now())
    .bind(&regency)
    .bind(&province)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(item(db, r, english).await?);
    }
    Ok(out)
}

pub async fn view(caller: &Caller, id: i64) -> Result<WorkshopView, AppError> {
    let db = &caller.state().db;
    let english = crate::shared::request_locale() == Locale::en;
    let row: Option<Row> = sqlx::query_as(&format!(
        "select {COLUMNS} from workshops w join courses c on c.id = w.course_id where w.id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let row = row.ok_or(AppError::NotFound)?;
    let link = row.6.clone();
    let item = item(db, row, english).await?;
    let mine = match &caller.user {
        Some(u) => my_place(db, id, u.id).await?,
        None => None,
    };
    Ok(WorkshopView {
        // The link of an online session is for those with a seat.
        link: if matches!(mine, Some(MyPlace::Seated)) {
            link
        } else {
            None
        },
        item,
        mine,
    })
}

async fn my_place(db: &Db, workshop: i64, user: i64) -> Result<Option<MyPlace>, AppError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "select status, queue_no from workshop_registrations where workshop_id = $1 and user_id = $2",
    )
    .bind(workshop)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        Some((s, _)) if s == "seated" => Some(MyPlace::Seated),
        Some((s, q)) if s == "waiting" => {
            let (ahead,): (i64,) = sqlx::query_as(
                r#"select count(*) from workshop_registrations
                   where workshop_id = $1 and status = 'waiting' and queue_no < $2"#,
            )
            .bind(workshop)
            .bind(q)
            .fetch_one(&db.pool)
            .await?;
            Some(MyPlace::Waiting(ahead + 1))
        }
        _ => None,
    })
}

/// Locks the workshop for a seat decision; its capacity and deadline.
async fn lock(db: &Db, tx: &mut Tx, id: i64) -> Result<(i64, i64), AppError> {
    let row: Option<(i64, i64)> = sqlx::query_as(&format!(
        "select capacity, closes_at from workshops where id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.ok_or(AppError::NotFound)
}

/// Registers the caller: a seat while one is free, else the end of the
/// waiting list. Registering again changes nothing.
pub async fn register(caller: &Caller, user: i64, id: i64) -> Result<(), AppError> {
    let db = &caller.state().db;
    let at = now();
    let mut tx = db.begin_locked().await?;
    let (capacity, closes) = lock(db, &mut tx, id).await?;
    if closes <= at {
        return Err(AppError::field("workshop", FieldCode::RegistrationClosed));
    }
    let current: Option<(String,)> = sqlx::query_as(
        "select status from workshop_registrations where workshop_id = $1 and user_id = $2",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(&mut *tx)
    .await?;
    if matches!(&current, Some((s,)) if s != "cancelled") {
        return Ok(());
    }
    let (seated, next): (i64, i64) = sqlx::query_as(
        r#"select coalesce(sum(case when status = 'seated' then 1 else 0 end), 0),
                  coalesce(max(queue_no), 0) + 1
           from workshop_registrations where workshop_id = $1"#,
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let status = if seated < capacity {
        "seated"
    } else {
        "waiting"
    };
    sqlx::query(
        r#"insert into workshop_registrations (workshop_id, user_id, status, queue_no, registered_at)
           values ($1, $2, $3, $4, $5)
           on conflict (workshop_id, user_id) do update
           set status = excluded.status, queue_no = excluded.queue_no,
               registered_at = excluded.registered_at, promoted_at = null"#,
    )
    .bind(id)
    .bind(user)
    .bind(status)
    .bind(next)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Entry {
            action: "workshops.registered",
            actor: Some(user),
            subject: None,
            ip: &caller.ip,
            detail: &format!("workshop:{id}:{status}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels the caller's seat or place; a freed seat goes to the first on
/// the waiting list, who is told.
pub async fn cancel(caller: &Caller, user: i64, id: i64) -> Result<(), AppError> {
    let db = &caller.state().db;
    let mut tx = db.begin_locked().await?;
    lock(db, &mut tx, id).await?;
    release(&mut tx, db, id, user).await?;
    audit::record(
        &mut *tx,
        Entry {
            action: "workshops.cancelled",
            actor: Some(user),
            subject: None,
            ip: &caller.ip,
            detail: &format!("workshop:{id}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Inside a transaction holding the workshop's lock: cancels `user`'s
/// registration and, if it held a seat, seats the first waiting person
/// and queues their message. Also used when an account is deleted.
pub async fn release(tx: &mut Tx, db: &Db, id: i64, user: i64) -> Result<(), AppError> {
    let _ = db;
    let was: Option<(String,)> = sqlx::query_as(
        "select status from workshop_registrations where workshop_id = $1 and user_id = $2",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((was,)) = was.filter(|(s,)| s != "cancelled") else {
        return Ok(());
    };
    sqlx::query(
        "update workshop_registrations set status = 'cancelled' where workshop_id = $1 and user_id = $2",
    )
    .bind(id)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    if was != "seated" {
        return Ok(());
    }
    let next: Option<(i64,)> = sqlx::query_as(
        r#"select user_id from workshop_registrations
           where workshop_id = $1 and status = 'waiting' order by queue_no limit 1"#,
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((promoted,)) = next else {
        return Ok(());
    };
    sqlx::query(
        r#"update workshop_registrations set status = 'seated', promoted_at = $1
           where workshop_id = $2 and user_id = $3"#,
    )
    .bind(now())
    .bind(id)
    .bind(promoted)
    .execute(&mut **tx)
    .await?;
    tell_promoted(tx, id, promoted).await
}

async fn tell_promoted(tx: &mut Tx, workshop: i64, user: i64) -> Result<(), AppError> {
    let row: Option<(Option<String>, Option<String>, String, String)> = sqlx::query_as(
        r#"select u.email, u.phone, u.locale, w.title from users u, workshops w
           where u.id = $1 and w.id = $2"#,
    )
    .bind(user)
    .bind(workshop)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((email, phone, locale, title)) = row else {
        return Ok(());
    };
    let (channel, to) = match (email, phone) {
        (Some(e), _) => (Channel::Email, e),
        (None, Some(p)) => (Channel::Sms, p),
        (None, None) => return Ok(()),
    };
    let locale: Locale = locale.parse().unwrap_or_default();
    let subject = td_string!(locale, msg.workshop_seat_subject).to_string();
    let body = td_string!(locale, msg.workshop_seat, title = title, id = workshop).to_string();
    outbound::enqueue(
        &mut **tx,
        NewMessage {
            channel,
            destination: &to,
            locale: locale.as_str(),
            kind: "workshops.promoted",
            subject: &subject,
            body: &body,
        },
    )
    .await?;
    Ok(())
}
