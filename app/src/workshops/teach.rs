//! The trainer's side of workshops: scheduling one for a course they may
//! edit, and taking attendance (only the course's editors).

use super::api::{AttendanceList, Attendee};
use super::domain::{parse_local, Zone};
use crate::courses::teach_server::editable;
use crate::error::{AppError, FieldCode, Validator};
use crate::profile::domain::{parse_text, parse_url};
use crate::shared::audit::{self, Entry};
use crate::shared::db::now;
use crate::shared::regions;
use crate::shared::session::server::Caller;
use crate::shared::session::CurrentUser;

pub struct WorkshopForm {
    pub title: String,
    pub online: bool,
    pub link: String,
    pub address: String,
    pub province: String,
    pub regency: String,
    pub starts: String,
    pub ends: String,
    pub closes: String,
    pub capacity: String,
    /// The module attendance completes (its id; empty: none).
    pub module: String,
}

pub async fn create(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    f: &WorkshopForm,
) -> Result<i64, AppError> {
    let db = &caller.state().db;
    let (course, _, _) = editable(db, user, slug).await?;
    let entered = [
        ("title", f.title.as_str()),
        ("link", f.link.as_str()),
        ("address", f.address.as_str()),
        ("province", f.province.as_str()),
        ("regency", f.regency.as_str()),
        ("starts", f.starts.as_str()),
        ("ends", f.ends.as_str()),
        ("closes", f.closes.as_str()),
        ("capacity", f.capacity.as_str()),
        ("module", f.module.as_str()),
    ];
    let mut v = Validator::default();
    let title = v
        .check(
            "title",
            parse_text(&f.title, 160).and_then(|t| t.ok_or(FieldCode::Required)),
        )
        .unwrap_or_default();
    let link = v.check("link", parse_url(&f.link)).flatten();
    let address = v.check("address", parse_text(&f.address, 300)).flatten();
    let (province, regency) = match regions::check_place(&f.province, &f.regency) {
        Ok((p, r)) => (p.map(|p| p.code.to_string()), r.map(|r| r.code.to_string())),
        Err((field, code)) => {
            v.check::<()>(field, Err(code));
            (None, None)
        }
    };
    if f.online && link.is_none() {
        v.check::<()>("link", Err(FieldCode::Required));
    }
    if !f.online && (regency.is_none() || address.is_none()) {
        v.check::<()>(
            if regency.is_none() {
                "regency"
            } else {
                "address"
            },
            Err(FieldCode::Required),
        );
    }
    // An online session is in Jakarta time; a venue in its province's.
    let zone = province
        .as_deref()
        .filter(|_| !f.online)
        .map(Zone::of_province)
        .unwrap_or(Zone::Wib);
    let time = |field: &str, input: &str, v: &mut Validator| {
        v.check(
            field,
            parse_local(input, zone).ok_or(FieldCode::InvalidDate),
        )
    };
    let starts = time("starts", &f.starts, &mut v);
    let ends = time("ends", &f.ends, &mut v);
    let closes = time("closes", &f.closes, &mut v);
    let capacity = v.check(
        "capacity",
        match f.capacity.trim().parse::<i64>() {
            Ok(n) if (1..=100_000).contains(&n) => Ok(n),
            _ => Err(FieldCode::InvalidNumber),
        },
    );
    if let (Some(s), Some(e)) = (starts, ends) {
        if e <= s {
            v.check::<()>("ends", Err(FieldCode::InvalidDate));
        }
    }
    if let (Some(s), Some(c)) = (starts, closes) {
        if c > s {
            v.check::<()>("closes", Err(FieldCode::InvalidDate));
        }
    }
    if starts.is_some_and(|s| s <= now()) {
        v.check::<()>("starts", Err(FieldCode::InvalidDate));
    }
    let module = match f.module.trim() {
        "" => None,
        m => {
            let found: Option<(i64,)> = match m.parse::<i64>() {
                Ok(m) => {
                    sqlx::query_as("select id from course_modules where id = $1 and course_id = $2")
                        .bind(m)
                        .bind(course)
                        .fetch_optional(&db.pool)
                        .await?
                }
                Err(_) => None,
            };
            if found.is_none() {
                v.check::<()>("module", Err(FieldCode::InvalidChoice));
            }
            found.map(|(m,)| m)
        }
    };
    v.finish(&entered)?;
    let (Some(starts), Some(ends), Some(closes), Some(capacity)) = (starts, ends, closes, capacity)
    else {
        return Err(AppError::Internal);
    };
    let mut tx = db.pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        r#"insert into workshops (course_id, trainer_id, title, online, link, address, province_code,
               regency_code, zone, starts_at, ends_at, closes_at, capacity, created_at, module_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
           returning id"#,
    )
    .bind(course)
    .bind(user.id)
    .bind(&title)
    .bind(i64::from(f.online))
    .bind(link.filter(|_| f.online))
    .bind(address.filter(|_| !f.online))
    .bind(province.filter(|_| !f.online))
    .bind(regency.filter(|_| !f.online))
    .bind(zone.as_str())
    .bind(starts)
    .bind(ends)
    .bind(closes)
    .bind(capacity)
    .bind(now())
    .bind(module)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        Entry {
            action: "workshops.created",
            actor: Some(user.id),
            subject: None,
            ip: &caller.ip,
            detail: &format!("workshop:{id}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The workshop's course slug, if the caller may edit that course.
async fn editable_workshop(caller: &Caller, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    let db = &caller.state().db;
    let row: Option<(String,)> = sqlx::query_as(
        "select c.slug from workshops w join courses c on c.id = w.course_id where w.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let (slug,) = row.ok_or(AppError::NotFound)?;
    editable(db, user, &slug).await.map(|_| ())
}

pub async fn attendance(
    caller: &Caller,
    user: &CurrentUser,
    id: i64,
) -> Result<AttendanceList, AppError> {
    editable_workshop(caller, user, id).await?;
    let db = &caller.state().db;
    let view = super::server::view(caller, id).await?;
    let rows: Vec<(i64, String, String, Option<i64>)> = sqlx::query_as(
        r#"select u.id, u.display_name, r.status, r.attended_at
           from workshop_registrations r join users u on u.id = r.user_id
           where r.workshop_id = $1 and r.status <> 'cancelled'
           order by case when r.status = 'seated' then 0 else 1 end, u.display_name, r.queue_no"#,
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(AttendanceList {
        item: view.item,
        people: rows
            .into_iter()
            .map(|(user_id, name, status, at)| Attendee {
                user_id,
                name,
                seated: status == "seated",
                present: at.is_some(),
            })
            .collect(),
    })
}

pub async fn mark(
    caller: &Caller,
    user: &CurrentUser,
    id: i64,
    person: i64,
    present: bool,
) -> Result<(), AppError> {
    editable_workshop(caller, user, id).await?;
    let db = &caller.state().db;
    let at = now();
    // What the locked transaction needs, read before it begins.
    let (course, module): (i64, Option<i64>) =
        sqlx::query_as("select course_id, module_id from workshops where id = $1")
            .bind(id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(AppError::NotFound)?;
    let parts = match module {
        Some(_) => Some(crate::courses::server::course_parts(db, course).await?),
        None => None,
    };
    let mut tx = db.begin_locked().await?;
    let done = sqlx::query(
        r#"update workshop_registrations set attended_at = $1
           where workshop_id = $2 and user_id = $3 and status = 'seated'"#,
    )
    .bind(present.then_some(at))
    .bind(id)
    .bind(person)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    // Attendance that counts as completing a module.
    if let (Some(module), Some(parts)) = (module, &parts) {
        if present {
            crate::courses::server::attend_module(&mut tx, caller, person, parts, module, id, at)
                .await?;
        } else {
            crate::courses::server::unattend_module(&mut tx, caller, person, parts, id, at).await?;
        }
    }
    audit::record(
        &mut *tx,
        Entry {
            action: "workshops.attendance",
            actor: Some(user.id),
            subject: Some(person),
            ip: &caller.ip,
            detail: &format!("workshop:{id}:{present}"),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
