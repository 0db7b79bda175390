//! Server-only training logic: the catalogue, a course with the reader's
//! progress, lessons, quiz attempts graded on the server, completion and
//! certificates. Every write that decides something ("is an attempt
//! left?", "is this the last module?") is one transaction; "once only"
//! rules rest on unique keys (`lesson_progress`, `module_completions`,
//! `certificates (course_id, user_id)`, `quiz_attempts (quiz, user,
//! number)`), never on a check followed by a write.

use std::collections::{HashMap, HashSet};

use rand::seq::SliceRandom;

use super::api::{
    AttemptResult, CatalogueResult, CertificateView, CourseCard, CourseView, GradedQuestion,
    LessonItem, LessonView, ModuleView, MyCourse, Next, QuestionView, QuizInfo, QuizView, Text,
};
use super::domain::{self, pick, Lang, QuestionKind};
use super::markdown;
use crate::error::{AppError, FieldCode};
use crate::i18n::*;
use crate::profile::domain::Milestone;
use crate::shared::audit::{self, Entry};
use crate::shared::db::{like_pattern, now, Db};
use crate::shared::outbound::{self, Channel, NewMessage};
use crate::shared::request_locale;
use crate::shared::session::server::Caller;
use crate::shared::session::{CurrentUser, Role};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

fn english() -> bool {
    request_locale() == Locale::en
}

fn text(id: &str, en: &str, english: bool) -> Text {
    let (t, only_in) = pick(id, en, english);
    Text {
        text: t.to_string(),
        only_in,
    }
}

pub const PER_PAGE: i64 = 12;

/// id, slug, title id/en, summary id/en, cluster, minutes, core.
type CardRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
);

pub async fn catalogue(
    db: &Db,
    user: Option<i64>,
    q: &str,
    cluster: &str,
    lang: &str,
    page: i64,
) -> Result<CatalogueResult, AppError> {
    let english = english();
    let page = page.clamp(1, 100_000);
    let q: String = q.trim().chars().take(100).collect();
    let cluster = match cluster {
        "textiles_fashion" | "food_beverages" | "handicrafts" | "other" => cluster,
        _ => "",
    };
    let lang = Lang::parse(lang).map(Lang::as_str).unwrap_or("");
    // A cluster filter also shows the courses for every cluster.
    let filter = r#"c.status = 'published'
        and ($1 = '' or lower(c.title_id) like $2 or lower(c.title_en) like $2
             or lower(c.summary_id) like $2 or lower(c.summary_en) like $2)
        and ($3 = '' or c.cluster = $3 or c.cluster = 'all')
        and ($4 = '' or ($4 = 'id' and c.title_id <> '') or ($4 = 'en' and c.title_en <> ''))"#;
    let pattern = like_pattern(&q.to_lowercase());
    let (total,): (i64,) =
        sqlx::query_as(&format!("select count(*) from courses c where {filter}"))
            .bind(&q)
            .bind(&pattern)
            .bind(cluster)
            .bind(lang)
            .fetch_one(&db.pool)
            .await?;
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        r#"select c.id, c.slug, c.title_id, c.title_en, c.summary_id, c.summary_en, c.cluster,
                  c.minutes, c.core
           from courses c where {filter}
           order by c.core desc, c.id limit $5 offset $6"#
    ))
    .bind(&q)
    .bind(&pattern)
    .bind(cluster)
    .bind(lang)
    .bind(PER_PAGE)
    .bind((page - 1) * PER_PAGE)
    .fetch_all(&db.pool)
    .await?;
    let mut items = Vec::with_capacity(rows.len());
    for (id, slug, tid, ten, sid, sen, cluster, minutes, core) in rows {
        let (lessons,): (i64,) = sqlx::query_as(
            r#"select count(*) from lessons l join course_modules m on m.id = l.module_id
               where m.course_id = $1"#,
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        let done = match user {
            Some(u) => enrolled_done(db, id, u).await?,
            None => None,
        };
        let mut languages = Vec::new();
        if !tid.is_empty() {
            languages.push(Lang::Id);
        }
        if !ten.is_empty() {
            languages.push(Lang::En);
        }
        items.push(CourseCard {
            slug,
            title: text(&tid, &ten, english),
            summary: text(&sid, &sen, english),
            cluster,
            minutes,
            lessons,
            languages,
            core: core == 1,
            done,
        });
    }
    Ok(CatalogueResult {
        items,
        total,
        page,
        per_page: PER_PAGE,
        q,
        cluster: cluster.to_string(),
        lang: lang.to_string(),
    })
}

/// Lessons done in a course, if the user is enrolled.
async fn enrolled_done(db: &Db, course: i64, user: i64) -> Result<Option<i64>, AppError> {
    let enrolled: Option<(i64,)> =
        sqlx::query_as("select id from enrolments where course_id = $1 and user_id = $2")
            .bind(course)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    if enrolled.is_none() {
        return Ok(None);
    }
    let (done,): (i64,) = sqlx::query_as(
        r#"select count(*) from lesson_progress p
           join lessons l on l.id = p.lesson_id
           join course_modules m on m.id = l.module_id
           where m.course_id = $1 and p.user_id = $2"#,
    )
    .bind(course)
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok(Some(done))
}

/// A course's row as the logic needs it.
#[derive(sqlx::FromRow, Clone)]
struct CourseRow {
    id: i64,
    slug: String,
    owner_id: Option<i64>,
    core: i64,
    minutes: i64,
    title_id: String,
    title_en: String,
    summary_id: String,
    summary_en: String,
    status: String,
    requires_course_id: Option<i64>,
}

const COURSE_COLUMNS: &str = "id, slug, owner_id, core, minutes, title_id, title_en, \
    summary_id, summary_en, status, requires_course_id";

async fn course_by_id(db: &Db, id: i64) -> Result<CourseRow, AppError> {
    sqlx::query_as(&format!(
        "select {COURSE_COLUMNS} from courses where id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

async fn course_by_slug(db: &Db, slug: &str) -> Result<CourseRow, AppError> {
    sqlx::query_as(&format!(
        "select {COURSE_COLUMNS} from courses where slug = $1"
    ))
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(AppError::NotFound)
}

/// Whether `user` may edit (and so preview) a course: its owner, a trainer
/// an administrator assigned, or an administrator.
async fn can_edit(
    db: &Db,
    user: Option<&CurrentUser>,
    course: &CourseRow,
) -> Result<bool, AppError> {
    let Some(user) = user else {
        return Ok(false);
    };
    if user.role == Role::Admin {
        return Ok(true);
    }
    if user.role != Role::Trainer {
        return Ok(false);
    }
    if course.owner_id == Some(user.id) {
        return Ok(true);
    }
    let assigned: Option<(i64,)> =
        sqlx::query_as("select 1 from course_editors where course_id = $1 and user_id = $2")
            .bind(course.id)
            .bind(user.id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(assigned.is_some())
}

/// A published course, or (for its editors) a draft; anything else is 404
/// (drafts are not revealed).
async fn visible_course(caller: &Caller, slug: &str) -> Result<(CourseRow, bool), AppError> {
    let db = &caller.state().db;
    let course = course_by_slug(db, slug).await?;
    let editor = can_edit(db, caller.user.as_ref(), &course).await?;
    if course.status != "published" && !editor {
        return Err(AppError::NotFound);
    }
    Ok((course, editor))
}

struct ModuleRow {
    id: i64,
    position: i64,
    title_id: String,
    title_en: String,
    sequential: bool,
    lessons: Vec<(i64, String, String)>,
    quiz: Option<(i64, i64, i64, i64)>,
}

/// A course's modules in order, with their lessons and quiz settings.
async fn modules(db: &Db, course: i64) -> Result<Vec<ModuleRow>, AppError> {
    let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        r#"select id, position, title_id, title_en, sequential from course_modules
           where course_id = $1 order by position"#,
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    let lessons: Vec<(i64, i64, String, String)> = sqlx::query_as(
        r#"select l.module_id, l.id, l.title_id, l.title_en from lessons l
           join course_modules m on m.id = l.module_id
           where m.course_id = $1 order by m.position, l.position"#,
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    let quizzes: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
        r#"select q.module_id, q.id, q.pass_percent, q.draw, q.max_attempts from quizzes q
           join course_modules m on m.id = q.module_id where m.course_id = $1"#,
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, position, title_id, title_en, sequential)| ModuleRow {
            id,
            position,
            title_id,
            title_en,
            sequential: sequential == 1,
            lessons: lessons
                .iter()
                .filter(|l| l.0 == id)
                .map(|l| (l.1, l.2.clone(), l.3.clone()))
                .collect(),
            quiz: quizzes
                .iter()
                .find(|q| q.0 == id)
                .map(|q| (q.1, q.2, q.3, q.4)),
        })
        .collect())
}

/// One learner's progress in a course.
struct Progress {
    enrolled: bool,
    last_lesson: Option<i64>,
    completed_at: Option<i64>,
    lessons_done: HashSet<i64>,
    modules_done: HashSet<i64>,
    /// Per quiz: (attempts started, passed, an attempt open).
    quizzes: HashMap<i64, (i64, bool, bool)>,
}

async fn progress(db: &Db, course: i64, user: Option<i64>) -> Result<Progress, AppError> {
    let mut p = Progress {
        enrolled: false,
        last_lesson: None,
        completed_at: None,
        lessons_done: HashSet::new(),
        modules_done: HashSet::new(),
        quizzes: HashMap::new(),
    };
    let Some(user) = user else {
        return Ok(p);
    };
    let e: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "select last_lesson_id, completed_at from enrolments where course_id = $1 and user_id = $2",
    )
    .bind(course)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    if let Some((last, completed)) = e {
        p.enrolled = true;
        p.last_lesson = last;
        p.completed_at = completed;
    }
    let done: Vec<(i64,)> = sqlx::query_as(
        r#"select p.lesson_id from lesson_progress p join lessons l on l.id = p.lesson_id
           join course_modules m on m.id = l.module_id
           where m.course_id = $1 and p.user_id = $2"#,
    )
    .bind(course)
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    p.lessons_done = done.into_iter().map(|(l,)| l).collect();
    let mods: Vec<(i64,)> = sqlx::query_as(
        r#"select c.module_id from module_completions c join course_modules m on m.id = c.module_id
           where m.course_id = $1 and c.user_id = $2"#,
    )
    .bind(course)
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    p.modules_done = mods.into_iter().map(|(m,)| m).collect();
    let attempts: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        r#"select a.quiz_id, count(*),
                  coalesce(max(case when a.passed = 1 then 1 else 0 end), 0),
                  coalesce(max(case when a.submitted_at is null then 1 else 0 end), 0)
           from quiz_attempts a join quizzes q on q.id = a.quiz_id
           join course_modules m on m.id = q.module_id
           where m.course_id = $1 and a.user_id = $2 group by a.quiz_id"#,
    )
    .bind(course)
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    p.quizzes = attempts
        .into_iter()
        .map(|(q, n, passed, open)| (q, (n, passed == 1, open == 1)))
        .collect();
    Ok(p)
}

/// Which modules the learner may open: the first always; a sequential one
/// once the previous module is complete.
fn unlocked(mods: &[ModuleRow], p: &Progress, editor: bool) -> Vec<bool> {
    mods.iter()
        .enumerate()
        .map(|(i, m)| {
            editor
                || (p.enrolled
                    && (i == 0 || !m.sequential || p.modules_done.contains(&mods[i - 1].id)))
        })
        .collect()
}

/// "Owner · Naik Kelas", or the portal's name for its own courses.
fn issuer_label(owner: Option<String>) -> String {
    match owner {
        Some(n) if !n.is_empty() => format!("{n} · Naik Kelas"),
        _ => "Naik Kelas".to_string(),
    }
}

async fn issuer_name(db: &Db, course: &CourseRow) -> Result<String, AppError> {
    let owner: Option<(String,)> = match course.owner_id {
        Some(owner) => {
            sqlx::query_as("select display_name from users where id = $1")
                .bind(owner)
                .fetch_optional(&db.pool)
                .await?
        }
        None => None,
    };
    Ok(issuer_label(owner.map(|(n,)| n)))
}

pub async fn course_view(caller: &Caller, slug: &str) -> Result<CourseView, AppError> {
    let db = &caller.state().db;
    let english = english();
    let (course, editor) = visible_course(caller, slug).await?;
    let user = caller.user.as_ref().map(|u| u.id);
    let mods = modules(db, course.id).await?;
    let p = progress(db, course.id, user).await?;
    let open = unlocked(&mods, &p, editor);
    let requires = match course.requires_course_id {
        Some(r) => {
            let row: Option<(String, String, String)> =
                sqlx::query_as("select slug, title_id, title_en from courses where id = $1")
                    .bind(r)
                    .fetch_optional(&db.pool)
                    .await?;
            match row {
                Some((s, tid, ten)) => {
                    let met = match user {
                        Some(u) => completed(db, r, u).await?,
                        None => false,
                    };
                    Some((s, text(&tid, &ten, english), met))
                }
                None => None,
            }
        }
        None => None,
    };
    let certificate: Option<(String,)> = match user {
        Some(u) => {
            sqlx::query_as("select code from certificates where course_id = $1 and user_id = $2")
                .bind(course.id)
                .bind(u)
                .fetch_optional(&db.pool)
                .await?
        }
        None => None,
    };
    let total = mods.iter().map(|m| m.lessons.len() as i64).sum();
    let resume = p.last_lesson.or_else(|| {
        mods.iter()
            .flat_map(|m| m.lessons.iter())
            .find(|l| !p.lessons_done.contains(&l.0))
            .map(|l| l.0)
    });
    let modules = mods
        .iter()
        .zip(open)
        .map(|(m, unlocked)| ModuleView {
            id: m.id,
            position: m.position,
            title: text(&m.title_id, &m.title_en, english),
            sequential: m.sequential,
            unlocked,
            complete: p.modules_done.contains(&m.id),
            lessons: m
                .lessons
                .iter()
                .map(|(id, tid, ten)| LessonItem {
                    id: *id,
                    title: text(tid, ten, english),
                    done: p.lessons_done.contains(id),
                })
                .collect(),
            quiz: m.quiz.map(|(qid, pass_percent, draw, max_attempts)| {
                let (used, passed, open) = p.quizzes.get(&qid).copied().unwrap_or_default();
                QuizInfo {
                    draw,
                    pass_percent,
                    max_attempts,
                    used,
                    passed,
                    open,
                }
            }),
        })
        .collect();
    Ok(CourseView {
        id: course.id,
        slug: course.slug.clone(),
        title: text(&course.title_id, &course.title_en, english),
        summary: text(&course.summary_id, &course.summary_en, english),
        minutes: course.minutes,
        core: course.core == 1,
        published: course.status == "published",
        issuer: issuer_name(db, &course).await?,
        requires,
        signed_in: user.is_some(),
        enrolled: p.enrolled,
        completed_at: p.completed_at,
        certificate: certificate.map(|(c,)| c),
        modules,
        resume,
        done: p.lessons_done.len() as i64,
        total,
    })
}

async fn completed(db: &Db, course: i64, user: i64) -> Result<bool, AppError> {
    let row: Option<(Option<i64>,)> =
        sqlx::query_as("select completed_at from enrolments where course_id = $1 and user_id = $2")
            .bind(course)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(matches!(row, Some((Some(_),))))
}

pub async fn enrol(caller: &Caller, user: i64, slug: &str) -> Result<(), AppError> {
    let db = &caller.state().db;
    let course = course_by_slug(db, slug).await?;
    if course.status != "published" {
        return Err(AppError::NotFound);
    }
    if let Some(r) = course.requires_course_id {
        if !completed(db, r, user).await? {
            return Err(AppError::field("course", FieldCode::PrerequisiteMissing));
        }
    }
    // The unique key makes a second enrolment (or forty at once) a no-op.
    let mut tx = db.pool.begin().await?;
    let new = sqlx::query(
        r#"insert into enrolments (course_id, user_id, enrolled_at, active_at, current_module_id)
           values ($1, $2, $3, $3,
                   (select id from course_modules where course_id = $1 order by position limit 1))
           on conflict (course_id, user_id) do nothing"#,
    )
    .bind(course.id)
    .bind(user)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if new.rows_affected() == 1 {
        audit::record(
            &mut *tx,
            Entry {
                action: "courses.enrolled",
                actor: Some(user),
                subject: None,
                ip: &caller.ip,
                detail: &format!("course:{}", course.id),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The lesson `id` of course `slug`, with the module it is in, if the
/// caller may open it: enrolled and the module unlocked, or an editor
/// previewing.
struct Opened {
    course: CourseRow,
    editor: bool,
    mods: Vec<ModuleRow>,
    module_index: usize,
    progress: Progress,
}

async fn open_module(
    caller: &Caller,
    slug: &str,
    find: impl Fn(&ModuleRow) -> bool,
) -> Result<Opened, AppError> {
    let db = &caller.state().db;
    let (course, editor) = visible_course(caller, slug).await?;
    let user = caller.require_user()?.id;
    let mods = modules(db, course.id).await?;
    let module_index = mods.iter().position(find).ok_or(AppError::NotFound)?;
    let progress = progress(db, course.id, Some(user)).await?;
    if !editor {
        if !progress.enrolled {
            return Err(AppError::field("course", FieldCode::NotEnrolled));
        }
        if !unlocked(&mods, &progress, false)[module_index] {
            return Err(AppError::field("course", FieldCode::PrerequisiteMissing));
        }
    }
    Ok(Opened {
        course,
        editor,
        mods,
        module_index,
        progress,
    })
}

/// What follows lesson `id` in module `m`: the next lesson, else the
/// module's quiz, else the next module's first lesson, else the course.
fn next_after(mods: &[ModuleRow], m: usize, id: i64) -> Next {
    let lessons = &mods[m].lessons;
    let at = lessons.iter().position(|l| l.0 == id).unwrap_or(0);
    if let Some(l) = lessons.get(at + 1) {
        return Next::Lesson(l.0);
    }
    if mods[m].quiz.is_some() {
        return Next::Quiz(mods[m].id);
    }
    match mods.get(m + 1).and_then(|n| n.lessons.first()) {
        Some(l) => Next::Lesson(l.0),
        None => Next::Course,
    }
}

/// A lesson's title and text in both languages, and its video link.
pub(super) type LessonTexts = (String, String, String, String, Option<String>);

pub(super) async fn lesson_texts(db: &Db, id: i64) -> Result<LessonTexts, AppError> {
    Ok(sqlx::query_as(
        "select title_id, title_en, body_id, body_en, video_url from lessons where id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?)
}

pub async fn lesson_view(caller: &Caller, slug: &str, id: i64) -> Result<LessonView, AppError> {
    let db = &caller.state().db;
    let english = english();
    let o = open_module(caller, slug, |m| m.lessons.iter().any(|l| l.0 == id)).await?;
    let (title_id, title_en, body_id, body_en, video) = lesson_texts(db, id).await?;
    let (body, only_in) = pick(&body_id, &body_en, english);
    let m = &o.mods[o.module_index];
    if o.progress.enrolled {
        // Remember where to resume (a plain write of the caller's own row).
        sqlx::query(
            "update enrolments set last_lesson_id = $1 where course_id = $2 and user_id = $3",
        )
        .bind(id)
        .bind(o.course.id)
        .bind(caller.require_user()?.id)
        .execute(&db.pool)
        .await?;
    }
    Ok(LessonView {
        course_slug: o.course.slug.clone(),
        course_title: text(&o.course.title_id, &o.course.title_en, english),
        module_title: text(&m.title_id, &m.title_en, english),
        id,
        title: text(&title_id, &title_en, english),
        html: markdown::render(body),
        only_in,
        video_url: video,
        done: o.progress.lessons_done.contains(&id),
        next: next_after(&o.mods, o.module_index, id),
        preview: o.editor && !o.progress.enrolled,
    })
}

pub async fn complete_lesson(
    caller: &Caller,
    user: i64,
    slug: &str,
    id: i64,
) -> Result<Next, AppError> {
    let db = &caller.state().db;
    let o = open_module(caller, slug, |m| m.lessons.iter().any(|l| l.0 == id)).await?;
    let next = next_after(&o.mods, o.module_index, id);
    if !o.progress.enrolled {
        // An editor previewing: nothing to record.
        return Ok(next);
    }
    let at = now();
    let mut tx = db.begin_locked().await?;
    sqlx::query(
        r#"insert into lesson_progress (user_id, lesson_id, done_at) values ($1, $2, $3)
           on conflict (user_id, lesson_id) do nothing"#,
    )
    .bind(user)
    .bind(id)
    .bind(at)
    .execute(&mut *tx)
    .await?;
    sqlx::query("update enrolments set last_lesson_id = $1 where course_id = $2 and user_id = $3")
        .bind(id)
        .bind(o.course.id)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    settle(&mut tx, caller, user, &o.course, &o.mods, at).await?;
    tx.commit().await?;
    Ok(next)
}

/// Records what the learner has now completed, inside the caller's
/// transaction: each module whose lessons are done and quiz passed
/// (`on conflict do nothing`; a module completed otherwise, by attending a
/// workshop, stays complete), the enrolment's place for the trainers'
/// reports (first module not complete, modules done, last activity), then
/// the course when every module is, with its certificate (the unique key
/// on course and holder issues it once, whatever runs at the same time),
/// the message to the holder and, for the core course, the onboarding
/// milestone. The enrolment's row is locked first, so two completions by
/// one learner at once settle one after the other, each seeing the other's.
async fn settle(
    tx: &mut Tx,
    caller: &Caller,
    user: i64,
    course: &CourseRow,
    mods: &[ModuleRow],
    at: i64,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let locked: Option<(i64,)> = sqlx::query_as(&format!(
        "select modules_done from enrolments where course_id = $1 and user_id = $2{}",
        db.for_update()
    ))
    .bind(course.id)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await?;
    if locked.is_none() {
        return Ok(());
    }
    let done: Vec<(i64,)> = sqlx::query_as(
        r#"select p.lesson_id from lesson_progress p join lessons l on l.id = p.lesson_id
           join course_modules m on m.id = l.module_id
           where m.course_id = $1 and p.user_id = $2"#,
    )
    .bind(course.id)
    .bind(user)
    .fetch_all(&mut **tx)
    .await?;
    let done: HashSet<i64> = done.into_iter().map(|(l,)| l).collect();
    let passed: Vec<(i64,)> = sqlx::query_as(
        "select distinct quiz_id from quiz_attempts where user_id = $1 and passed = 1",
    )
    .bind(user)
    .fetch_all(&mut **tx)
    .await?;
    let passed: HashSet<i64> = passed.into_iter().map(|(q,)| q).collect();
    let earlier: Vec<(i64,)> = sqlx::query_as(
        r#"select c.module_id from module_completions c join course_modules m on m.id = c.module_id
           where m.course_id = $1 and c.user_id = $2"#,
    )
    .bind(course.id)
    .bind(user)
    .fetch_all(&mut **tx)
    .await?;
    let earlier: HashSet<i64> = earlier.into_iter().map(|(m,)| m).collect();
    let mut all = !mods.is_empty();
    let mut count = 0_i64;
    let mut current = None;
    for m in mods {
        let lessons_done = m.lessons.iter().filter(|l| done.contains(&l.0)).count();
        let quiz = m.quiz.map(|(q, ..)| passed.contains(&q));
        if earlier.contains(&m.id) {
            count += 1;
        } else if domain::module_complete(m.lessons.len(), lessons_done, quiz) {
            sqlx::query(
                r#"insert into module_completions (user_id, module_id, completed_at)
                   values ($1, $2, $3) on conflict (user_id, module_id) do nothing"#,
            )
            .bind(user)
            .bind(m.id)
            .bind(at)
            .execute(&mut **tx)
            .await?;
            count += 1;
        } else {
            all = false;
            current = current.or(Some(m.id));
        }
    }
    sqlx::query(
        r#"update enrolments set modules_done = $1, current_module_id = $2, active_at = $3
           where course_id = $4 and user_id = $5"#,
    )
    .bind(count)
    .bind(current)
    .bind(at)
    .bind(course.id)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    if !all {
        return Ok(());
    }
    sqlx::query(
        r#"update enrolments set completed_at = $1
           where course_id = $2 and user_id = $3 and completed_at is null"#,
    )
    .bind(at)
    .bind(course.id)
    .bind(user)
    .execute(&mut **tx)
    .await?;
    let (holder, role, email, phone, locale): (
        String,
        String,
        Option<String>,
        Option<String>,
        String,
    ) = sqlx::query_as("select display_name, role, email, phone, locale from users where id = $1")
        .bind(user)
        .fetch_one(&mut **tx)
        .await?;
    let code = domain::format_code(&crate::shared::secret::random_bytes::<16>());
    // Read in the transaction: a locked transaction that waited for a
    // second pool connection could wait behind its own queue.
    let owner: Option<(String,)> = match course.owner_id {
        Some(owner) => {
            sqlx::query_as("select display_name from users where id = $1")
                .bind(owner)
                .fetch_optional(&mut **tx)
                .await?
        }
        None => None,
    };
    let issuer = issuer_label(owner.map(|(n,)| n));
    let issued: Option<(i64,)> = sqlx::query_as(
        r#"insert into certificates (code, course_id, user_id, holder_name, course_title_id,
               course_title_en, issuer_name, issued_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           on conflict (course_id, user_id) do nothing returning id"#,
    )
    .bind(&code)
    .bind(course.id)
    .bind(user)
    .bind(&holder)
    .bind(&course.title_id)
    .bind(&course.title_en)
    .bind(&issuer)
    .bind(at)
    .fetch_optional(&mut **tx)
    .await?;
    if issued.is_none() {
        return Ok(());
    }
    audit::record(
        &mut **tx,
        Entry {
            action: "courses.certificate_issued",
            actor: Some(user),
            subject: None,
            ip: &caller.ip,
            detail: &format!("course:{}", course.id),
        },
    )
    .await?;
    if course.core == 1 && role == Role::Seller.as_str() {
        crate::profile::journey::reach_for_owner(tx, user, Milestone::CourseCompleted, at).await?;
    }
    let locale: Locale = locale.parse().unwrap_or_default();
    let title = pick(&course.title_id, &course.title_en, locale == Locale::en).0;
    let link = format!("{}/certificates/{code}", caller.state().base_url);
    let (channel, to) = match (email, phone) {
        (Some(e), _) => (Channel::Email, e),
        (None, Some(p)) => (Channel::Sms, p),
        (None, None) => return Ok(()),
    };
    let subject = td_string!(locale, msg.certificate_subject).to_string();
    let body = td_string!(locale, msg.certificate, course = title, link = link).to_string();
    outbound::enqueue(
        &mut **tx,
        NewMessage {
            channel,
            destination: &to,
            locale: locale.as_str(),
            kind: "courses.certificate",
            subject: &subject,
            body: &body,
        },
    )
    .await?;
    Ok(())
}

/// A course with its modules, read before a locked transaction begins
/// (everything read inside one goes through its own connection).
pub(crate) struct CourseParts {
    course: CourseRow,
    mods: Vec<ModuleRow>,
}

pub(crate) async fn course_parts(db: &Db, course: i64) -> Result<CourseParts, AppError> {
    let course = course_by_id(db, course).await?;
    let mods = modules(db, course.id).await?;
    Ok(CourseParts { course, mods })
}

/// Attendance at workshop `workshop` completes module `module` of the
/// course for `user` (enrolling them if they were not), inside the
/// caller's transaction, then settles the course as a lesson would.
pub(crate) async fn attend_module(
    tx: &mut Tx,
    caller: &Caller,
    user: i64,
    parts: &CourseParts,
    module: i64,
    workshop: i64,
    at: i64,
) -> Result<(), AppError> {
    let (course, mods) = (&parts.course, &parts.mods);
    if !mods.iter().any(|m| m.id == module) {
        return Ok(());
    }
    sqlx::query(
        r#"insert into enrolments (course_id, user_id, enrolled_at, active_at, current_module_id)
           values ($1, $2, $3, $3, $4) on conflict (course_id, user_id) do nothing"#,
    )
    .bind(course.id)
    .bind(user)
    .bind(at)
    .bind(mods.first().map(|m| m.id))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        r#"insert into module_completions (user_id, module_id, completed_at, workshop_id)
           values ($1, $2, $3, $4) on conflict (user_id, module_id) do nothing"#,
    )
    .bind(user)
    .bind(module)
    .bind(at)
    .bind(workshop)
    .execute(&mut **tx)
    .await?;
    settle(tx, caller, user, course, mods, at).await
}

/// Attendance withdrawn: the completion that attendance alone gave is
/// taken back while the course is not yet complete (a certificate, once
/// issued, stands), and the learner's place is settled again.
pub(crate) async fn unattend_module(
    tx: &mut Tx,
    caller: &Caller,
    user: i64,
    parts: &CourseParts,
    workshop: i64,
    at: i64,
) -> Result<(), AppError> {
    let (course, mods) = (&parts.course, &parts.mods);
    sqlx::query(
        r#"delete from module_completions where user_id = $1 and workshop_id = $2
           and not exists (select 1 from enrolments e where e.course_id = $3 and e.user_id = $1
                           and e.completed_at is not null)"#,
    )
    .bind(user)
    .bind(workshop)
    .bind(course.id)
    .execute(&mut **tx)
    .await?;
    settle(tx, caller, user, course, mods, at).await
}

/// The module with id `module` as a quiz's home.
async fn open_quiz(
    caller: &Caller,
    slug: &str,
    module: i64,
) -> Result<(Opened, i64, i64, i64, i64), AppError> {
    let o = open_module(caller, slug, |m| m.id == module).await?;
    let (quiz, pass, draw, max) = o.mods[o.module_index].quiz.ok_or(AppError::NotFound)?;
    Ok((o, quiz, pass, draw, max))
}

pub async fn quiz_view(
    caller: &Caller,
    user: i64,
    slug: &str,
    module: i64,
) -> Result<QuizView, AppError> {
    let db = &caller.state().db;
    let english = english();
    let (o, quiz, pass_percent, draw, max_attempts) = open_quiz(caller, slug, module).await?;
    let (used, passed, _) = o.progress.quizzes.get(&quiz).copied().unwrap_or_default();
    let m = &o.mods[o.module_index];
    let open: Option<(i64,)> = sqlx::query_as(
        "select id from quiz_attempts where quiz_id = $1 and user_id = $2 and submitted_at is null",
    )
    .bind(quiz)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    let open = match open {
        Some((attempt,)) => Some((attempt, attempt_questions(db, attempt, english).await?)),
        None => None,
    };
    let last: Option<(i64,)> = sqlx::query_as(
        r#"select id from quiz_attempts where quiz_id = $1 and user_id = $2
           and submitted_at is not null order by number desc limit 1"#,
    )
    .bind(quiz)
    .bind(user)
    .fetch_optional(&db.pool)
    .await?;
    let last = match last {
        Some((attempt,)) => Some(graded(db, attempt, english).await?),
        None => None,
    };
    Ok(QuizView {
        course_slug: o.course.slug.clone(),
        course_title: text(&o.course.title_id, &o.course.title_en, english),
        module_id: m.id,
        module_title: text(&m.title_id, &m.title_en, english),
        info: QuizInfo {
            draw,
            pass_percent,
            max_attempts,
            used,
            passed,
            open: open.is_some(),
        },
        open,
        last,
    })
}

/// The questions drawn for an attempt, without their answers.
async fn attempt_questions(
    db: &Db,
    attempt: i64,
    english: bool,
) -> Result<Vec<QuestionView>, AppError> {
    let qs: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        r#"select a.position, q.id, q.kind, q.text_id, q.text_en from attempt_questions a
           join quiz_questions q on q.id = a.question_id
           where a.attempt_id = $1 order by a.position"#,
    )
    .bind(attempt)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(qs.len());
    for (position, qid, kind, tid, ten) in qs {
        let choices: Vec<(i64, String, String)> = sqlx::query_as(
            "select id, text_id, text_en from quiz_choices where question_id = $1 order by position",
        )
        .bind(qid)
        .fetch_all(&db.pool)
        .await?;
        out.push(QuestionView {
            position,
            kind: QuestionKind::parse(&kind).unwrap_or(QuestionKind::Single),
            text: text(&tid, &ten, english),
            choices: choices
                .into_iter()
                .map(|(id, cid, cen)| (id, pick(&cid, &cen, english).0.to_string()))
                .collect(),
        });
    }
    Ok(out)
}

/// question id, text id/en, explanation id/en, answer, right.
type GradedRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
);

/// A submitted attempt with its feedback.
async fn graded(db: &Db, attempt: i64, english: bool) -> Result<AttemptResult, AppError> {
    let (number, correct, total, passed): (i64, Option<i64>, i64, Option<i64>) =
        sqlx::query_as("select number, correct, total, passed from quiz_attempts where id = $1")
            .bind(attempt)
            .fetch_one(&db.pool)
            .await?;
    let qs: Vec<GradedRow> = sqlx::query_as(
        r#"select q.id, q.text_id, q.text_en, q.explain_id, q.explain_en, a.answer, a.correct
               from attempt_questions a join quiz_questions q on q.id = a.question_id
               where a.attempt_id = $1 order by a.position"#,
    )
    .bind(attempt)
    .fetch_all(&db.pool)
    .await?;
    let mut questions = Vec::with_capacity(qs.len());
    for (qid, tid, ten, eid, een, answer, right) in qs {
        let picked: HashSet<i64> = answer
            .unwrap_or_default()
            .split(',')
            .filter_map(|s| s.parse().ok())
            .collect();
        let choices: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "select id, text_id, text_en, correct from quiz_choices where question_id = $1 order by position",
        )
        .bind(qid)
        .fetch_all(&db.pool)
        .await?;
        questions.push(GradedQuestion {
            text: pick(&tid, &ten, english).0.to_string(),
            right: right == Some(1),
            choices: choices
                .into_iter()
                .map(|(id, cid, cen, c)| {
                    (
                        pick(&cid, &cen, english).0.to_string(),
                        picked.contains(&id),
                        c == 1,
                    )
                })
                .collect(),
            explain: pick(&eid, &een, english).0.to_string(),
        });
    }
    Ok(AttemptResult {
        number,
        correct: correct.unwrap_or(0),
        total,
        passed: passed == Some(1),
        questions,
    })
}

pub async fn start_quiz(
    caller: &Caller,
    user: i64,
    slug: &str,
    module: i64,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (o, quiz, _pass, draw, max_attempts) = open_quiz(caller, slug, module).await?;
    if !o.progress.enrolled {
        return Err(AppError::field("course", FieldCode::NotEnrolled));
    }
    let at = now();
    // One decision per learner at a time: the enrolment row is locked (and
    // on SQLite the write lock taken), so forty simultaneous starts make at
    // most the attempts allowed; the unique key on the attempt number backs
    // it.
    let mut tx = db.begin_locked().await?;
    sqlx::query(&format!(
        "select id from enrolments where course_id = $1 and user_id = $2{}",
        db.for_update()
    ))
    .bind(o.course.id)
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    let (count, open, passed): (i64, i64, i64) = sqlx::query_as(
        r#"select count(*),
                  coalesce(max(case when submitted_at is null then 1 else 0 end), 0),
                  coalesce(max(case when passed = 1 then 1 else 0 end), 0)
           from quiz_attempts where quiz_id = $1 and user_id = $2"#,
    )
    .bind(quiz)
    .bind(user)
    .fetch_one(&mut *tx)
    .await?;
    if open == 1 || passed == 1 {
        // Resume the open attempt; a passed quiz needs no other.
        return Ok(());
    }
    if count >= max_attempts {
        return Err(AppError::field("quiz", FieldCode::NoAttemptsLeft));
    }
    let pool: Vec<(i64,)> = sqlx::query_as("select id from quiz_questions where quiz_id = $1")
        .bind(quiz)
        .fetch_all(&mut *tx)
        .await?;
    let mut ids: Vec<i64> = pool.into_iter().map(|(q,)| q).collect();
    ids.shuffle(&mut rand::thread_rng());
    ids.truncate(draw.max(1) as usize);
    let (attempt,): (i64,) = sqlx::query_as(
        r#"insert into quiz_attempts (quiz_id, user_id, number, started_at, total)
           values ($1, $2, $3, $4, $5) returning id"#,
    )
    .bind(quiz)
    .bind(user)
    .bind(count + 1)
    .bind(at)
    .bind(ids.len() as i64)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| {
        if crate::shared::db::is_unique_violation(&e) {
            AppError::Conflict
        } else {
            e.into()
        }
    })?;
    for (position, q) in ids.iter().enumerate() {
        sqlx::query(
            "insert into attempt_questions (attempt_id, position, question_id) values ($1, $2, $3)",
        )
        .bind(attempt)
        .bind(position as i64)
        .bind(q)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn submit_quiz(
    caller: &Caller,
    user: i64,
    attempt: i64,
    answers: &[String],
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let row: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("select quiz_id, user_id, submitted_at from quiz_attempts where id = $1")
            .bind(attempt)
            .fetch_optional(&db.pool)
            .await?;
    // Someone else's attempt is as unknown as a missing one.
    let Some((quiz, owner, submitted)) = row.filter(|r| r.1 == user) else {
        return Err(AppError::NotFound);
    };
    let _ = owner;
    if submitted.is_some() {
        return Err(AppError::Conflict);
    }
    let (module, pass_percent): (i64, i64) =
        sqlx::query_as("select module_id, pass_percent from quizzes where id = $1")
            .bind(quiz)
            .fetch_one(&db.pool)
            .await?;
    let (course_id, slug): (i64, String) = sqlx::query_as(
        "select c.id, c.slug from course_modules m join courses c on c.id = m.course_id where m.id = $1",
    )
    .bind(module)
    .fetch_one(&db.pool)
    .await?;
    let _ = course_id;
    let o = open_module(caller, &slug, |m| m.id == module).await?;
    // The drawn questions and their choices.
    let drawn: Vec<(i64, i64, String)> = sqlx::query_as(
        r#"select a.position, q.id, q.kind from attempt_questions a
           join quiz_questions q on q.id = a.question_id
           where a.attempt_id = $1 order by a.position"#,
    )
    .bind(attempt)
    .fetch_all(&db.pool)
    .await?;
    let mut picked: HashMap<i64, Vec<i64>> = HashMap::new();
    for a in answers.iter().take(200) {
        let (pos, choice) = a
            .split_once(':')
            .and_then(|(p, c)| Some((p.parse::<i64>().ok()?, c.parse::<i64>().ok()?)))
            .ok_or(AppError::BadRequest)?;
        picked.entry(pos).or_default().push(choice);
    }
    let mut graded = Vec::with_capacity(drawn.len());
    let mut unanswered = false;
    for (position, qid, kind) in &drawn {
        let choices: Vec<(i64, i64)> =
            sqlx::query_as("select id, correct from quiz_choices where question_id = $1")
                .bind(qid)
                .fetch_all(&db.pool)
                .await?;
        let mine = picked.remove(position).unwrap_or_default();
        // A forged answer: a choice id that is not one of this question's.
        if mine.iter().any(|c| !choices.iter().any(|(id, _)| id == c)) {
            return Err(AppError::field("quiz", FieldCode::InvalidChoice));
        }
        if mine.is_empty() {
            unanswered = true;
        }
        let correct: Vec<i64> = choices.iter().filter(|c| c.1 == 1).map(|c| c.0).collect();
        let kind = QuestionKind::parse(kind).unwrap_or(QuestionKind::Single);
        let right = domain::is_right(kind, &correct, &mine);
        let answer = mine
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(",");
        graded.push((*position, answer, right));
    }
    if !picked.is_empty() {
        // Answers to questions that were not drawn.
        return Err(AppError::field("quiz", FieldCode::InvalidChoice));
    }
    if unanswered {
        return Err(AppError::field("quiz", FieldCode::AnswerEveryQuestion));
    }
    let correct = graded.iter().filter(|g| g.2).count() as i64;
    let total = graded.len() as i64;
    let passed = domain::passes(correct, total, pass_percent);
    let at = now();
    let mut tx = db.begin_locked().await?;
    // Submitted once: of two submissions at once, one sets the time.
    let done = sqlx::query(
        r#"update quiz_attempts set submitted_at = $1, correct = $2, passed = $3
           where id = $4 and user_id = $5 and submitted_at is null"#,
    )
    .bind(at)
    .bind(correct)
    .bind(i64::from(passed))
    .bind(attempt)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict);
    }
    for (position, answer, right) in &graded {
        sqlx::query(
            "update attempt_questions set answer = $1, correct = $2 where attempt_id = $3 and position = $4",
        )
        .bind(answer)
        .bind(i64::from(*right))
        .bind(attempt)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    }
    // The trainers' report: the sum and count of scores, added in place.
    let percent = if total > 0 { correct * 100 / total } else { 0 };
    sqlx::query(
        r#"update enrolments set quiz_points = quiz_points + $1, quiz_taken = quiz_taken + 1,
               active_at = $2
           where course_id = $3 and user_id = $4"#,
    )
    .bind(percent)
    .bind(at)
    .bind(o.course.id)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if passed {
        settle(&mut tx, caller, user, &o.course, &o.mods, at).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn certificate(caller: &Caller, code: &str) -> Result<CertificateView, AppError> {
    let db = &caller.state().db;
    let english = english();
    let code = domain::parse_code(code).ok_or(AppError::NotFound)?;
    let row: Option<(String, i64, String, String, String, i64, String)> = sqlx::query_as(
        r#"select t.holder_name, t.holder_removed, t.course_title_id, t.course_title_en,
                  c.slug, t.issued_at, t.issuer_name
           from certificates t join courses c on c.id = t.course_id where t.code = $1"#,
    )
    .bind(&code)
    .fetch_optional(&db.pool)
    .await?;
    let (holder_name, removed, tid, ten, slug, issued_at, issuer) =
        row.ok_or(AppError::NotFound)?;
    let url = format!("{}/certificates/{code}", caller.state().base_url);
    Ok(CertificateView {
        qr_svg: qr_svg(&url),
        code,
        holder_name: if removed == 1 {
            String::new()
        } else {
            holder_name
        },
        holder_removed: removed == 1,
        course_title: text(&tid, &ten, english),
        course_slug: slug,
        issued_at,
        issuer,
        url,
    })
}

/// A QR code of `data` as SVG markup (no inline style: colours as
/// attributes, so the page CSP holds).
fn qr_svg(data: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(data.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(160, 160)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}

pub async fn my_courses(caller: &Caller, user: i64) -> Result<Vec<MyCourse>, AppError> {
    let db = &caller.state().db;
    let english = english();
    let rows: Vec<(i64, String, String, String, Option<i64>)> = sqlx::query_as(
        r#"select c.id, c.slug, c.title_id, c.title_en, e.completed_at from enrolments e
           join courses c on c.id = e.course_id where e.user_id = $1 order by e.enrolled_at desc"#,
    )
    .bind(user)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, slug, tid, ten, completed) in rows {
        let (total,): (i64,) = sqlx::query_as(
            r#"select count(*) from lessons l join course_modules m on m.id = l.module_id
               where m.course_id = $1"#,
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        let certificate: Option<(String,)> =
            sqlx::query_as("select code from certificates where course_id = $1 and user_id = $2")
                .bind(id)
                .bind(user)
                .fetch_optional(&db.pool)
                .await?;
        out.push(MyCourse {
            slug,
            title: text(&tid, &ten, english),
            done: enrolled_done(db, id, user).await?.unwrap_or(0),
            total,
            completed: completed.is_some(),
            certificate: certificate.map(|(c,)| c),
        });
    }
    Ok(out)
}
