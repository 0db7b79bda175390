//! Server-only trainers' reports. Every figure is counted from the columns
//! each enrolment keeps up to date in the transaction that records
//! progress (`current_module_id`, `modules_done`, `active_at`, the quiz
//! sums; see `server::settle`), so "who is stuck where" is one count over
//! a partial index, whatever the course's size. The CSV export reads the
//! learners in batches by id (keyset, never an offset) and hands each
//! batch to the HTTP body as soon as it is written: memory stays flat and
//! the header row leaves before the first query.

use std::collections::HashMap;

use sqlx::any::AnyArguments;
use sqlx::query::QueryAs;
use sqlx::Any;

use super::domain::pick;
use super::report::{
    LearnerRow, ReportFilter, ReportSummary, ReportView, StuckRow, IDLE_DAYS, PER_PAGE,
};
use super::teach_server::editable;
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::shared::db::{now, Db};
use crate::shared::export::Chunk;
use crate::shared::regions;
use crate::shared::session::CurrentUser;
use crate::shared::ui::format_date;

/// A bound value of a filter.
enum Arg {
    Int(i64),
    Text(String),
}

fn bind_all<'q, O>(
    mut q: QueryAs<'q, Any, O, AnyArguments<'q>>,
    args: &'q [Arg],
) -> QueryAs<'q, Any, O, AnyArguments<'q>> {
    for a in args {
        q = match a {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(t) => q.bind(t.as_str()),
        };
    }
    q
}

/// The course and the filter, checked: a module of this course, a
/// province and regency from the official list.
pub struct Scope {
    pub course: i64,
    pub slug: String,
    title_id: String,
    title_en: String,
    /// (id, position, title id, title en), in order.
    modules: Vec<(i64, i64, String, String)>,
    module: Option<i64>,
    province: Option<String>,
    regency: Option<String>,
}

impl Scope {
    fn title(&self, english: bool) -> String {
        pick(&self.title_id, &self.title_en, english).0.to_string()
    }

    fn number(&self, module: i64) -> Option<i64> {
        self.modules.iter().find(|m| m.0 == module).map(|m| m.1 + 1)
    }

    /// `join` and `where` for the region filter, its arguments after
    /// those already taken (`$1` is always the course).
    fn region(&self, args: &mut Vec<Arg>) -> (&'static str, String) {
        let mut cond = String::new();
        if let Some(r) = &self.regency {
            args.push(Arg::Text(r.clone()));
            cond.push_str(&format!(" and b.regency_code = ${}", args.len()));
        } else if let Some(p) = &self.province {
            args.push(Arg::Text(p.clone()));
            cond.push_str(&format!(" and b.province_code = ${}", args.len()));
        }
        if cond.is_empty() {
            ("", cond)
        } else {
            (" join businesses b on b.owner_id = e.user_id", cond)
        }
    }
}

/// Checks who is asking and what they asked for.
pub async fn scope(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    filter: &ReportFilter,
) -> Result<Scope, AppError> {
    let (course, _, _) = editable(db, user, slug).await?;
    let (title_id, title_en): (String, String) =
        sqlx::query_as("select title_id, title_en from courses where id = $1")
            .bind(course)
            .fetch_one(&db.pool)
            .await?;
    let modules: Vec<(i64, i64, String, String)> = sqlx::query_as(
        "select id, position, title_id, title_en from course_modules where course_id = $1 order by position",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    let module = match filter.module.trim() {
        "" => None,
        m => Some(
            m.parse::<i64>()
                .ok()
                .filter(|m| modules.iter().any(|x| x.0 == *m))
                .ok_or_else(|| AppError::field("module", FieldCode::InvalidChoice))?,
        ),
    };
    let (province, regency) = regions::check_place(&filter.province, &filter.regency)
        .map_err(|(field, code)| AppError::field(field, code))?;
    Ok(Scope {
        course,
        slug: slug.to_string(),
        title_id,
        title_en,
        modules,
        module,
        province: province.map(|p| p.code.to_string()),
        regency: regency.map(|r| r.code.to_string()),
    })
}

fn average(points: i64, taken: i64) -> Option<i64> {
    // Rounded half up, in whole percent.
    (taken > 0).then(|| (points * 2 + taken) / (taken * 2))
}

async fn summary(db: &Db, s: &Scope) -> Result<ReportSummary, AppError> {
    let mut args = vec![Arg::Int(s.course)];
    let (join, cond) = s.region(&mut args);
    let sql = format!(
        r#"select count(*),
               cast(coalesce(sum(case when e.completed_at is not null then 1 else 0 end), 0) as bigint),
               cast(coalesce(sum(case when e.completed_at is null and (e.last_lesson_id is not null
                   or e.modules_done > 0 or e.quiz_taken > 0) then 1 else 0 end), 0) as bigint),
               cast(coalesce(sum(e.quiz_points), 0) as bigint),
               cast(coalesce(sum(e.quiz_taken), 0) as bigint)
           from enrolments e{join} where e.course_id = $1{cond}"#
    );
    let (enrolled, completed, in_progress, points, taken): (i64, i64, i64, i64, i64) =
        bind_all(sqlx::query_as(&sql), &args)
            .fetch_one(&db.pool)
            .await?;
    Ok(ReportSummary {
        enrolled,
        not_started: enrolled - completed - in_progress,
        in_progress,
        completed,
        quiz_average: average(points, taken),
        quiz_attempts: taken,
    })
}

/// Who is stuck where: learners not done, by the first module they have
/// not completed, with how many of them have been idle.
async fn stuck(db: &Db, s: &Scope, english: bool) -> Result<Vec<StuckRow>, AppError> {
    let mut args = vec![Arg::Int(s.course), Arg::Int(now() - IDLE_DAYS * 86_400)];
    let (join, cond) = s.region(&mut args);
    let sql = format!(
        r#"select e.current_module_id, count(*),
               cast(coalesce(sum(case when e.active_at < $2 then 1 else 0 end), 0) as bigint)
           from enrolments e{join}
           where e.course_id = $1 and e.completed_at is null and e.current_module_id is not null{cond}
           group by e.current_module_id"#
    );
    let counts: Vec<(i64, i64, i64)> = bind_all(sqlx::query_as(&sql), &args)
        .fetch_all(&db.pool)
        .await?;
    let counts: HashMap<i64, (i64, i64)> =
        counts.into_iter().map(|(m, n, i)| (m, (n, i))).collect();
    Ok(s.modules
        .iter()
        .map(|(id, position, tid, ten)| {
            let (here, idle) = counts.get(id).copied().unwrap_or((0, 0));
            StuckRow {
                module_id: *id,
                number: position + 1,
                title: pick(tid, ten, english).0.to_string(),
                here,
                idle,
            }
        })
        .collect())
}

/// The learners' columns, in the order [`Learner`] reads them.
const LEARNER_COLUMNS: &str = "e.user_id, u.display_name, b.province_code, b.regency_code, \
    e.enrolled_at, e.active_at, e.modules_done, e.current_module_id, e.quiz_points, \
    e.quiz_taken, e.completed_at";

type Learner = (
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
);

/// The filter's `where` (after `e.course_id = $1`) and whether only those
/// stuck on a module are wanted (then the idlest come first).
fn learner_filter(s: &Scope, args: &mut Vec<Arg>) -> String {
    let mut cond = String::new();
    if let Some(m) = s.module {
        args.push(Arg::Int(m));
        cond.push_str(&format!(
            " and e.completed_at is null and e.current_module_id = ${}",
            args.len()
        ));
    }
    if let Some(r) = &s.regency {
        args.push(Arg::Text(r.clone()));
        cond.push_str(&format!(" and b.regency_code = ${}", args.len()));
    } else if let Some(p) = &s.province {
        args.push(Arg::Text(p.clone()));
        cond.push_str(&format!(" and b.province_code = ${}", args.len()));
    }
    cond
}

fn learner_row(s: &Scope, l: Learner) -> LearnerRow {
    let (_, name, province, regency, enrolled, active, done, current, points, taken, completed) = l;
    LearnerRow {
        name,
        region: regions::place_name(province.as_deref(), regency.as_deref()),
        enrolled: format_date(enrolled),
        active: format_date(active),
        modules_done: done,
        current: current
            .filter(|_| completed.is_none())
            .and_then(|m| s.number(m)),
        quiz_average: average(points, taken),
        completed: completed.map(format_date),
    }
}

pub async fn report(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
    filter: &ReportFilter,
    page: i64,
) -> Result<ReportView, AppError> {
    let english = crate::shared::request_locale() == Locale::en;
    let s = scope(db, user, slug, filter).await?;
    let summary = summary(db, &s).await?;
    let stuck = stuck(db, &s, english).await?;
    let matching = match s.module {
        Some(m) => stuck
            .iter()
            .find(|r| r.module_id == m)
            .map_or(0, |r| r.here),
        None => summary.enrolled,
    };
    let pages = ((matching + PER_PAGE - 1) / PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let mut args = vec![Arg::Int(s.course)];
    let cond = learner_filter(&s, &mut args);
    // Stuck on a module: the longest idle first (the partial index's
    // order); otherwise in order of enrolment.
    let order = if s.module.is_some() {
        "e.active_at, e.user_id"
    } else {
        "e.user_id"
    };
    args.push(Arg::Int((page - 1) * PER_PAGE));
    let sql = format!(
        r#"select {LEARNER_COLUMNS} from enrolments e join users u on u.id = e.user_id
           left join businesses b on b.owner_id = e.user_id
           where e.course_id = $1{cond} order by {order} limit {PER_PAGE} offset ${}"#,
        args.len()
    );
    let rows: Vec<Learner> = bind_all(sqlx::query_as(&sql), &args)
        .fetch_all(&db.pool)
        .await?;
    Ok(ReportView {
        slug: s.slug.clone(),
        title: s.title(english),
        modules_total: s.modules.len() as i64,
        summary,
        stuck,
        learners: rows.into_iter().map(|l| learner_row(&s, l)).collect(),
        matching,
        page,
        pages,
        filter: ReportFilter {
            module: s.module.map(|m| m.to_string()).unwrap_or_default(),
            province: s.province.clone().unwrap_or_default(),
            regency: s.regency.clone().unwrap_or_default(),
        },
    })
}

/// Learners per batch of the CSV export.
const BATCH: i64 = 1000;

/// A text cell that a spreadsheet would read as a formula is prefixed
/// with an apostrophe (CSV injection).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_error(err: csv::Error) -> AppError {
    tracing::error!(error = %err, "could not write a CSV row");
    AppError::Internal
}

fn writer() -> csv::Writer<Vec<u8>> {
    csv::Writer::from_writer(Vec::with_capacity(256 * 1024))
}

/// Sends what the writer wrote as one chunk. `false`: the client left.
async fn send(w: csv::Writer<Vec<u8>>, tx: &tokio::sync::mpsc::Sender<Chunk>) -> bool {
    match w.into_inner() {
        Ok(bytes) => tx.send(Ok(bytes)).await.is_ok(),
        Err(_) => false,
    }
}

/// The report's learners as CSV, one row each with the date every module
/// was completed, in the caller's language, through `tx`.
pub async fn export_csv(
    db: &Db,
    s: &Scope,
    locale: Locale,
    tx: &tokio::sync::mpsc::Sender<Chunk>,
) -> Result<(), AppError> {
    let mut w = writer();
    let mut header: Vec<String> = vec![
        td_string!(locale, report.name).to_string(),
        td_string!(locale, report.province).to_string(),
        td_string!(locale, report.regency).to_string(),
        td_string!(locale, report.enrolled_on).to_string(),
        td_string!(locale, report.active_on).to_string(),
        td_string!(locale, report.modules_done).to_string(),
        td_string!(locale, report.modules_total).to_string(),
        td_string!(locale, report.current_module).to_string(),
        td_string!(locale, report.quiz_average).to_string(),
        td_string!(locale, report.completed_on).to_string(),
    ];
    for m in &s.modules {
        header.push(td_string!(locale, report.module_done, n = m.1 + 1).to_string());
    }
    w.write_record(&header).map_err(csv_error)?;
    if !send(w, tx).await {
        return Ok(());
    }
    let index: HashMap<i64, usize> = s
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.0, i))
        .collect();
    let mut last = 0_i64;
    loop {
        let mut args = vec![Arg::Int(s.course), Arg::Int(last)];
        let cond = learner_filter(s, &mut args);
        let sql = format!(
            r#"select {LEARNER_COLUMNS} from enrolments e join users u on u.id = e.user_id
               left join businesses b on b.owner_id = e.user_id
               where e.course_id = $1 and e.user_id > $2{cond} order by e.user_id limit {BATCH}"#
        );
        let rows: Vec<Learner> = bind_all(sqlx::query_as(&sql), &args)
            .fetch_all(&db.pool)
            .await?;
        let (Some(first), Some(end)) = (rows.first().map(|r| r.0), rows.last().map(|r| r.0)) else {
            break;
        };
        let done: Vec<(i64, i64, i64)> = sqlx::query_as(
            r#"select c.user_id, c.module_id, c.completed_at from module_completions c
               join course_modules m on m.id = c.module_id
               where c.user_id >= $1 and c.user_id <= $2 and m.course_id = $3"#,
        )
        .bind(first)
        .bind(end)
        .bind(s.course)
        .fetch_all(&db.pool)
        .await?;
        let mut by_user: HashMap<i64, Vec<(usize, i64)>> = HashMap::new();
        for (u, m, at) in done {
            if let Some(i) = index.get(&m) {
                by_user.entry(u).or_default().push((*i, at));
            }
        }
        let full = rows.len() as i64 == BATCH;
        let mut w = writer();
        for l in rows {
            last = l.0;
            let (province, regency) = (l.2.clone(), l.3.clone());
            let dates = by_user.remove(&l.0).unwrap_or_default();
            let r = learner_row(s, l);
            let mut record = vec![
                cell(&r.name),
                province
                    .as_deref()
                    .and_then(regions::province)
                    .map(|p| regions::display_name(p.name))
                    .unwrap_or_default(),
                regency
                    .as_deref()
                    .and_then(regions::regency)
                    .map(|r| regions::display_name(r.name))
                    .unwrap_or_default(),
                r.enrolled,
                r.active,
                r.modules_done.to_string(),
                s.modules.len().to_string(),
                r.current.map(|c| c.to_string()).unwrap_or_default(),
                r.quiz_average.map(|q| q.to_string()).unwrap_or_default(),
                r.completed.unwrap_or_default(),
            ];
            let mut per_module = vec![String::new(); s.modules.len()];
            for (i, at) in dates {
                per_module[i] = format_date(at);
            }
            record.extend(per_module);
            w.write_record(&record).map_err(csv_error)?;
        }
        if !send(w, tx).await || !full {
            break;
        }
    }
    Ok(())
}
