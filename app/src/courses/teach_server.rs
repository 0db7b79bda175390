//! Server-only authoring: validation of what trainers write, and the
//! writes, each behind [`editable`] (the caller may edit this course) and
//! with its audit row in the same transaction.

use super::domain::{valid_slug, QuestionKind};
use super::teach::{CourseDraft, EditModule, EditQuestion, EditQuiz, LessonDraft, TeachCourse};
use crate::error::{AppError, FieldCode, Validator};
use crate::profile::domain::{parse_count, parse_text, parse_url};
use crate::shared::audit::{self, Entry};
use crate::shared::db::{now, on_unique, Db};
use crate::shared::session::server::Caller;
use crate::shared::session::{CurrentUser, Role};

/// id, owner, status.
pub(crate) type Editable = (i64, Option<i64>, String);

/// The course `slug` if `user` may edit it: an administrator, its owner,
/// or a trainer an administrator assigned. Otherwise 403 for a trainer
/// (404 if it does not exist).
pub(crate) async fn editable(
    db: &Db,
    user: &CurrentUser,
    slug: &str,
) -> Result<Editable, AppError> {
    let row: Option<Editable> =
        sqlx::query_as("select id, owner_id, status from courses where slug = $1")
            .bind(slug)
            .fetch_optional(&db.pool)
            .await?;
    let row = row.ok_or(AppError::NotFound)?;
    if user.role == Role::Admin || row.1 == Some(user.id) {
        return Ok(row);
    }
    let assigned: Option<(i64,)> =
        sqlx::query_as("select 1 from course_editors where course_id = $1 and user_id = $2")
            .bind(row.0)
            .bind(user.id)
            .fetch_optional(&db.pool)
            .await?;
    if assigned.is_some() {
        Ok(row)
    } else {
        Err(AppError::Forbidden)
    }
}

async fn audit_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    caller: &Caller,
    user: i64,
    action: &str,
    course: i64,
) -> Result<(), AppError> {
    audit::record(
        &mut **tx,
        Entry {
            action,
            actor: Some(user),
            subject: None,
            ip: &caller.ip,
            detail: &format!("course:{course}"),
        },
    )
    .await
}

pub async fn list(caller: &Caller, user: &CurrentUser) -> Result<Vec<TeachCourse>, AppError> {
    let db = &caller.state().db;
    let rows: Vec<(String, String, String, String, Option<String>)> = sqlx::query_as(
        r#"select c.slug, c.title_id, c.title_en, c.status, u.display_name from courses c
           left join users u on u.id = c.owner_id
           where $1 = 1 or c.owner_id = $2
              or exists (select 1 from course_editors e where e.course_id = c.id and e.user_id = $2)
           order by c.id"#,
    )
    .bind(i64::from(user.role == Role::Admin))
    .bind(user.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(slug, title_id, title_en, status, owner)| TeachCourse {
            slug,
            title_id,
            title_en,
            published: status == "published",
            owner: owner.unwrap_or_default(),
        })
        .collect())
}

/// A course's own fields as the form posts them.
pub struct CourseFields {
    /// The slug of a published course to complete first, or empty.
    pub requires: String,
    pub slug: String,
    pub title_id: String,
    pub title_en: String,
    pub summary_id: String,
    pub summary_en: String,
    pub cluster: String,
    pub minutes: String,
}

struct ValidCourse {
    slug: String,
    title_id: String,
    title_en: String,
    summary_id: String,
    summary_en: String,
    cluster: String,
    minutes: i64,
}

impl CourseFields {
    /// Every field as typed, sent back with an error.
    fn entered(&self) -> [(&str, &str); 8] {
        [
            ("slug", self.slug.as_str()),
            ("title_id", self.title_id.as_str()),
            ("title_en", self.title_en.as_str()),
            ("summary_id", self.summary_id.as_str()),
            ("summary_en", self.summary_en.as_str()),
            ("cluster", self.cluster.as_str()),
            ("minutes", self.minutes.as_str()),
            ("requires", self.requires.as_str()),
        ]
    }
}

/// The course to complete first, by slug: a published course, and not
/// one that (through its own requirements) requires this one.
async fn required_course(
    db: &Db,
    f: &CourseFields,
    this: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let slug = f.requires.trim();
    if slug.is_empty() {
        return Ok(None);
    }
    let refuse = || AppError::field("requires", FieldCode::InvalidChoice).with_values(&f.entered());
    let found: Option<(i64, Option<i64>)> = sqlx::query_as(
        "select id, requires_course_id from courses where slug = $1 and status = 'published'",
    )
    .bind(slug)
    .fetch_optional(&db.pool)
    .await?;
    let (id, mut next) = found.ok_or_else(refuse)?;
    if Some(id) == this {
        return Err(refuse());
    }
    for _ in 0..32 {
        let Some(n) = next else { break };
        if Some(n) == this {
            return Err(refuse());
        }
        next = sqlx::query_as::<_, (Option<i64>,)>(
            "select requires_course_id from courses where id = $1",
        )
        .bind(n)
        .fetch_optional(&db.pool)
        .await?
        .and_then(|(r,)| r);
    }
    Ok(Some(id))
}

fn validate_course(f: &CourseFields) -> Result<ValidCourse, AppError> {
    let entered = f.entered();
    let mut v = Validator::default();
    let slug = f.slug.trim().to_string();
    if !valid_slug(&slug) {
        v.check::<()>("slug", Err(FieldCode::InvalidSlug));
    }
    let title_id = v.check("title_id", parse_text(&f.title_id, 160)).flatten();
    let title_en = v.check("title_en", parse_text(&f.title_en, 160)).flatten();
    if title_id.is_none() && title_en.is_none() {
        // A title in at least one language.
        v.check::<()>("title_id", Err(FieldCode::Required));
    }
    let summary_id = v
        .check("summary_id", parse_text(&f.summary_id, 600))
        .flatten();
    let summary_en = v
        .check("summary_en", parse_text(&f.summary_en, 600))
        .flatten();
    let cluster = match f.cluster.trim() {
        c @ ("all" | "textiles_fashion" | "food_beverages" | "handicrafts" | "other") => {
            c.to_string()
        }
        _ => {
            v.check::<()>("cluster", Err(FieldCode::InvalidChoice));
            String::new()
        }
    };
    let minutes = v.check("minutes", parse_count(&f.minutes)).flatten();
    v.finish(&entered)?;
    Ok(ValidCourse {
        slug,
        title_id: title_id.unwrap_or_default(),
        title_en: title_en.unwrap_or_default(),
        summary_id: summary_id.unwrap_or_default(),
        summary_en: summary_en.unwrap_or_default(),
        cluster,
        minutes: minutes.unwrap_or(0).min(100_000),
    })
}

pub async fn create(
    caller: &Caller,
    user: &CurrentUser,
    f: &CourseFields,
) -> Result<String, AppError> {
    let c = validate_course(f)?;
    let db = &caller.state().db;
    let requires = required_course(db, f, None).await?;
    let at = now();
    let mut tx = db.pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        r#"insert into courses (slug, owner_id, cluster, minutes, title_id, title_en, summary_id,
               summary_en, status, requires_course_id, created_at, updated_at)
           values ($1, $2, $3, $4, $5, $6, $7, $8, 'draft', $10, $9, $9) returning id"#,
    )
    .bind(&c.slug)
    .bind(user.id)
    .bind(&c.cluster)
    .bind(c.minutes)
    .bind(&c.title_id)
    .bind(&c.title_en)
    .bind(&c.summary_id)
    .bind(&c.summary_en)
    .bind(at)
    .bind(requires)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| on_unique("slug", FieldCode::SlugTaken)(e).with_values(&f.entered()))?;
    audit_in(&mut tx, caller, user.id, "courses.created", id).await?;
    tx.commit().await?;
    Ok(c.slug)
}

/// A draft's own fields: titles, summaries, cluster, minutes, required slug.
type DraftRow = (String, String, String, String, String, i64, String);

pub async fn edit_course(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
) -> Result<CourseDraft, AppError> {
    let db = &caller.state().db;
    let (id, owner_id, status) = editable(db, user, slug).await?;
    let (title_id, title_en, summary_id, summary_en, cluster, minutes, requires): DraftRow =
        sqlx::query_as(
            r#"select c.title_id, c.title_en, c.summary_id, c.summary_en, c.cluster, c.minutes,
                      coalesce(r.slug, '')
               from courses c left join courses r on r.id = c.requires_course_id where c.id = $1"#,
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let owner = match owner_id {
        Some(o) => sqlx::query_as::<_, (String,)>("select display_name from users where id = $1")
            .bind(o)
            .fetch_optional(&db.pool)
            .await?
            .map(|(n,)| n)
            .unwrap_or_default(),
        None => String::new(),
    };
    let editors: Vec<(i64, String)> = sqlx::query_as(
        r#"select u.id, u.display_name from course_editors e join users u on u.id = e.user_id
           where e.course_id = $1 order by u.display_name"#,
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let admin = user.role == Role::Admin;
    let trainers: Vec<(i64, String)> = if admin {
        sqlx::query_as(
            r#"select id, display_name from users where role = 'trainer' and deleted_at is null
               order by display_name limit 500"#,
        )
        .fetch_all(&db.pool)
        .await?
    } else {
        Vec::new()
    };
    let mods: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
        "select id, position, title_id, title_en, sequential from course_modules where course_id = $1 order by position",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    let mut modules = Vec::with_capacity(mods.len());
    for (mid, position, mt_id, mt_en, sequential) in mods {
        let lessons: Vec<(i64, String, String)> = sqlx::query_as(
            "select id, title_id, title_en from lessons where module_id = $1 order by position",
        )
        .bind(mid)
        .fetch_all(&db.pool)
        .await?;
        let quiz: Option<(i64, i64, i64, i64)> = sqlx::query_as(
            "select id, pass_percent, draw, max_attempts from quizzes where module_id = $1",
        )
        .bind(mid)
        .fetch_optional(&db.pool)
        .await?;
        let quiz = match quiz {
            Some((qid, pass_percent, draw, max_attempts)) => {
                let qs: Vec<(i64, String, String, String)> = sqlx::query_as(
                    "select id, kind, text_id, text_en from quiz_questions where quiz_id = $1 order by position, id",
                )
                .bind(qid)
                .fetch_all(&db.pool)
                .await?;
                let mut questions = Vec::with_capacity(qs.len());
                for (qid, kind, text_id, text_en) in qs {
                    let choices: Vec<(String, String, i64)> = sqlx::query_as(
                        "select text_id, text_en, correct from quiz_choices where question_id = $1 order by position",
                    )
                    .bind(qid)
                    .fetch_all(&db.pool)
                    .await?;
                    questions.push(EditQuestion {
                        id: qid,
                        kind,
                        text_id,
                        text_en,
                        choices: choices
                            .into_iter()
                            .map(|(a, b, c)| (a, b, c == 1))
                            .collect(),
                    });
                }
                Some(EditQuiz {
                    pass_percent,
                    draw,
                    max_attempts,
                    questions,
                })
            }
            None => None,
        };
        modules.push(EditModule {
            id: mid,
            position,
            title_id: mt_id,
            title_en: mt_en,
            sequential: sequential == 1,
            lessons,
            quiz,
        });
    }
    let courses: Vec<(String, String, String)> = sqlx::query_as(
        "select slug, title_id, title_en from courses where status = 'published' and id <> $1 order by id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(CourseDraft {
        requires,
        courses: courses
            .into_iter()
            .map(|(s, a, b)| (s, if a.is_empty() { b } else { a }))
            .collect(),
        slug: slug.to_string(),
        title_id,
        title_en,
        summary_id,
        summary_en,
        cluster,
        minutes,
        published: status == "published",
        owner_id,
        owner,
        editors,
        trainers,
        admin,
        modules,
    })
}

pub async fn save(caller: &Caller, user: &CurrentUser, f: &CourseFields) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, &f.slug).await?;
    let c = validate_course(f)?;
    let requires = required_course(db, f, Some(id)).await?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        r#"update courses set title_id = $1, title_en = $2, summary_id = $3, summary_en = $4,
               cluster = $5, minutes = $6, updated_at = $7, requires_course_id = $9 where id = $8"#,
    )
    .bind(&c.title_id)
    .bind(&c.title_en)
    .bind(&c.summary_id)
    .bind(&c.summary_en)
    .bind(&c.cluster)
    .bind(c.minutes)
    .bind(now())
    .bind(id)
    .bind(requires)
    .execute(&mut *tx)
    .await?;
    audit_in(&mut tx, caller, user.id, "courses.saved", id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn publish(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    publish: bool,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    if publish {
        // Every module has a lesson with a title and text in a language,
        // and every quiz has questions.
        let (modules, empty, quizless): (i64, i64, i64) = sqlx::query_as(
            r#"select count(*),
                  coalesce(sum(case when not exists (select 1 from lessons l where l.module_id = m.id
                        and (l.title_id <> '' or l.title_en <> '') and (l.body_id <> '' or l.body_en <> ''))
                      then 1 else 0 end), 0),
                  coalesce(sum(case when exists (select 1 from quizzes q where q.module_id = m.id
                        and not exists (select 1 from quiz_questions x where x.quiz_id = q.id))
                      then 1 else 0 end), 0)
               from course_modules m where m.course_id = $1"#,
        )
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
        if modules == 0 || empty > 0 || quizless > 0 {
            return Err(AppError::field("publish", FieldCode::NotReady));
        }
    }
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        r#"update courses set status = $1,
               published_at = case when $1 = 'published' then coalesce(published_at, $2) else published_at end,
               updated_at = $2 where id = $3"#,
    )
    .bind(if publish { "published" } else { "draft" })
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let action = if publish {
        "courses.published"
    } else {
        "courses.withdrawn"
    };
    audit_in(&mut tx, caller, user.id, action, id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn add_module(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    title_id: &str,
    title_en: &str,
    sequential: bool,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    let (tid, ten) = module_titles(title_id, title_en)?;
    // The next position, decided inside one locked transaction (two
    // additions at once get two positions; the unique key backs it).
    let mut tx = db.begin_locked().await?;
    sqlx::query(&format!(
        "select id from courses where id = $1{}",
        db.for_update()
    ))
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let (next,): (i64,) = sqlx::query_as(
        "select coalesce(max(position) + 1, 0) from course_modules where course_id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let (module,): (i64,) = sqlx::query_as(
        r#"insert into course_modules (course_id, position, title_id, title_en, sequential)
           values ($1, $2, $3, $4, $5) returning id"#,
    )
    .bind(id)
    .bind(next)
    .bind(tid.unwrap_or_default())
    .bind(ten.unwrap_or_default())
    .bind(i64::from(sequential && next > 0))
    .fetch_one(&mut *tx)
    .await?;
    // A module added last is where those who had done every module are
    // now (for the trainers' report; a course completed stays completed).
    sqlx::query(
        "update enrolments set current_module_id = $1 where course_id = $2 and current_module_id is null",
    )
    .bind(module)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    audit_in(&mut tx, caller, user.id, "courses.module_added", id).await?;
    tx.commit().await?;
    Ok(())
}

/// A module's titles as posted: at least one language.
fn module_titles(
    title_id: &str,
    title_en: &str,
) -> Result<(Option<String>, Option<String>), AppError> {
    let mut v = Validator::default();
    let tid = v
        .check("module_title_id", parse_text(title_id, 160))
        .flatten();
    let ten = v
        .check("module_title_en", parse_text(title_en, 160))
        .flatten();
    if tid.is_none() && ten.is_none() {
        v.check::<()>("module_title_id", Err(FieldCode::Required));
    }
    v.finish(&[("module_title_id", title_id), ("module_title_en", title_en)])?;
    Ok((tid, ten))
}

pub async fn save_module(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    module: i64,
    title_id: &str,
    title_en: &str,
    sequential: bool,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    module_of(db, id, module).await?;
    let (tid, ten) = module_titles(title_id, title_en)?;
    let mut tx = db.pool.begin().await?;
    // The first module never waits for one before it.
    sqlx::query(
        r#"update course_modules set title_id = $1, title_en = $2,
               sequential = case when position = 0 then 0 else $3 end
           where id = $4"#,
    )
    .bind(tid.unwrap_or_default())
    .bind(ten.unwrap_or_default())
    .bind(i64::from(sequential))
    .bind(module)
    .execute(&mut *tx)
    .await?;
    audit_in(&mut tx, caller, user.id, "courses.module_saved", id).await?;
    tx.commit().await?;
    Ok(())
}

/// The module `module` of course `id`, or 404.
async fn module_of(db: &Db, course: i64, module: i64) -> Result<(), AppError> {
    let found: Option<(i64,)> =
        sqlx::query_as("select id from course_modules where id = $1 and course_id = $2")
            .bind(module)
            .bind(course)
            .fetch_optional(&db.pool)
            .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

pub async fn add_lesson(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    module: i64,
) -> Result<i64, AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    module_of(db, id, module).await?;
    let mut tx = db.begin_locked().await?;
    sqlx::query(&format!(
        "select id from course_modules where id = $1{}",
        db.for_update()
    ))
    .bind(module)
    .fetch_one(&mut *tx)
    .await?;
    let (next,): (i64,) =
        sqlx::query_as("select coalesce(max(position) + 1, 0) from lessons where module_id = $1")
            .bind(module)
            .fetch_one(&mut *tx)
            .await?;
    let (lesson,): (i64,) =
        sqlx::query_as("insert into lessons (module_id, position) values ($1, $2) returning id")
            .bind(module)
            .bind(next)
            .fetch_one(&mut *tx)
            .await?;
    audit_in(&mut tx, caller, user.id, "courses.lesson_added", id).await?;
    tx.commit().await?;
    Ok(lesson)
}

/// The lesson `lesson` of course `course`, or 404.
async fn lesson_of(db: &Db, course: i64, lesson: i64) -> Result<(), AppError> {
    let found: Option<(i64,)> = sqlx::query_as(
        r#"select l.id from lessons l join course_modules m on m.id = l.module_id
           where l.id = $1 and m.course_id = $2"#,
    )
    .bind(lesson)
    .bind(course)
    .fetch_optional(&db.pool)
    .await?;
    found.map(|_| ()).ok_or(AppError::NotFound)
}

pub async fn edit_lesson(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    lesson: i64,
) -> Result<LessonDraft, AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    lesson_of(db, id, lesson).await?;
    let (title_id, title_en, body_id, body_en, video) =
        super::server::lesson_texts(db, lesson).await?;
    let images: Vec<(String, i64, i64)> = sqlx::query_as(
        "select key, width, height from course_images where course_id = $1 order by uploaded_at desc limit 50",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(LessonDraft {
        images,
        course_slug: slug.to_string(),
        id: lesson,
        title_id,
        title_en,
        body_id,
        body_en,
        video_url: video.unwrap_or_default(),
    })
}

pub struct LessonFields {
    pub title_id: String,
    pub title_en: String,
    pub body_id: String,
    pub body_en: String,
    pub video_url: String,
}

use super::domain::LESSON_MAX;

pub async fn save_lesson(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    lesson: i64,
    f: &LessonFields,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    lesson_of(db, id, lesson).await?;
    let entered = [
        ("title_id", f.title_id.as_str()),
        ("title_en", f.title_en.as_str()),
        ("body_id", f.body_id.as_str()),
        ("body_en", f.body_en.as_str()),
        ("video_url", f.video_url.as_str()),
    ];
    let mut v = Validator::default();
    let title_id = v.check("title_id", parse_text(&f.title_id, 160)).flatten();
    let title_en = v.check("title_en", parse_text(&f.title_en, 160)).flatten();
    let body_id = v
        .check("body_id", parse_text(&f.body_id, LESSON_MAX))
        .flatten();
    let body_en = v
        .check("body_en", parse_text(&f.body_en, LESSON_MAX))
        .flatten();
    let video = v.check("video_url", parse_url(&f.video_url)).flatten();
    if title_id.is_none() && title_en.is_none() {
        v.check::<()>("title_id", Err(FieldCode::Required));
    }
    // Each language written is written whole: a title with its text.
    if title_id.is_some() != body_id.is_some() {
        v.check::<()>(
            if title_id.is_some() {
                "body_id"
            } else {
                "title_id"
            },
            Err(FieldCode::Required),
        );
    }
    if title_en.is_some() != body_en.is_some() {
        v.check::<()>(
            if title_en.is_some() {
                "body_en"
            } else {
                "title_en"
            },
            Err(FieldCode::Required),
        );
    }
    // Text values are sent back in full with an error (they may be long).
    if let Err(AppError::Invalid { fields, .. }) = v.finish(&[]) {
        return Err(AppError::Invalid {
            fields,
            values: entered
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        });
    }
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        r#"update lessons set title_id = $1, title_en = $2, body_id = $3, body_en = $4, video_url = $5
           where id = $6"#,
    )
    .bind(title_id.unwrap_or_default())
    .bind(title_en.unwrap_or_default())
    .bind(body_id.unwrap_or_default())
    .bind(body_en.unwrap_or_default())
    .bind(video)
    .bind(lesson)
    .execute(&mut *tx)
    .await?;
    audit_in(&mut tx, caller, user.id, "courses.lesson_saved", id).await?;
    tx.commit().await?;
    Ok(())
}

fn parse_in(input: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, FieldCode> {
    match input.trim().parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(FieldCode::InvalidNumber),
    }
}

pub async fn save_quiz(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    module: i64,
    pass_percent: &str,
    draw: &str,
    max_attempts: &str,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    module_of(db, id, module).await?;
    let mut v = Validator::default();
    let pass = v.check("pass_percent", parse_in(pass_percent, 1..=100));
    let draw_n = v.check("draw", parse_in(draw, 1..=50));
    let max = v.check("max_attempts", parse_in(max_attempts, 1..=20));
    v.finish(&[
        ("pass_percent", pass_percent),
        ("draw", draw),
        ("max_attempts", max_attempts),
    ])?;
    let (Some(pass), Some(draw_n), Some(max)) = (pass, draw_n, max) else {
        return Err(AppError::Internal);
    };
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        r#"insert into quizzes (module_id, pass_percent, draw, max_attempts) values ($1, $2, $3, $4)
           on conflict (module_id) do update set pass_percent = excluded.pass_percent,
               draw = excluded.draw, max_attempts = excluded.max_attempts"#,
    )
    .bind(module)
    .bind(pass)
    .bind(draw_n)
    .bind(max)
    .execute(&mut *tx)
    .await?;
    audit_in(&mut tx, caller, user.id, "courses.quiz_saved", id).await?;
    tx.commit().await?;
    Ok(())
}

pub struct QuestionFields {
    pub kind: String,
    pub text_id: String,
    pub text_en: String,
    pub explain_id: String,
    pub explain_en: String,
    pub choices: Vec<(String, String, bool)>,
}

pub async fn add_question(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    module: i64,
    q: &QuestionFields,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    module_of(db, id, module).await?;
    let quiz: Option<(i64,)> = sqlx::query_as("select id from quizzes where module_id = $1")
        .bind(module)
        .fetch_optional(&db.pool)
        .await?;
    let (quiz,) = quiz.ok_or(AppError::NotFound)?;
    let mut v = Validator::default();
    let kind = v.check(
        "kind",
        QuestionKind::parse(&q.kind).ok_or(FieldCode::InvalidChoice),
    );
    let text_id = v.check("text_id", parse_text(&q.text_id, 500)).flatten();
    let text_en = v.check("text_en", parse_text(&q.text_en, 500)).flatten();
    if text_id.is_none() && text_en.is_none() {
        v.check::<()>("text_id", Err(FieldCode::Required));
    }
    let explain_id = v
        .check("explain_id", parse_text(&q.explain_id, 1000))
        .flatten();
    let explain_en = v
        .check("explain_en", parse_text(&q.explain_en, 1000))
        .flatten();
    let mut choices = Vec::new();
    for (i, (cid, cen, ok)) in q.choices.iter().enumerate() {
        let a = v
            .check(&format!("choice{}_id", i + 1), parse_text(cid, 300))
            .flatten();
        let b = v
            .check(&format!("choice{}_en", i + 1), parse_text(cen, 300))
            .flatten();
        if a.is_some() || b.is_some() {
            choices.push((a.unwrap_or_default(), b.unwrap_or_default(), *ok));
        }
    }
    let right = choices.iter().filter(|c| c.2).count();
    if choices.len() < 2 {
        v.check::<()>("choice2_id", Err(FieldCode::Required));
    }
    match kind {
        Some(QuestionKind::Single) if right != 1 => {
            v.check::<()>("choice1_ok", Err(FieldCode::InvalidChoice));
        }
        Some(QuestionKind::Multiple) if right == 0 => {
            v.check::<()>("choice1_ok", Err(FieldCode::InvalidChoice));
        }
        _ => {}
    }
    let entered: Vec<(String, String)> = [
        ("kind", q.kind.clone()),
        ("text_id", q.text_id.clone()),
        ("text_en", q.text_en.clone()),
        ("explain_id", q.explain_id.clone()),
        ("explain_en", q.explain_en.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .chain(q.choices.iter().enumerate().flat_map(|(i, (a, b, _))| {
        [
            (format!("choice{}_id", i + 1), a.clone()),
            (format!("choice{}_en", i + 1), b.clone()),
        ]
    }))
    .collect();
    let pairs: Vec<(&str, &str)> = entered
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    v.finish(&pairs)?;
    let Some(kind) = kind else {
        return Err(AppError::Internal);
    };
    let mut tx = db.pool.begin().await?;
    let (question,): (i64,) = sqlx::query_as(
        r#"insert into quiz_questions (quiz_id, position, kind, text_id, text_en, explain_id, explain_en)
           values ($1, (select coalesce(max(position) + 1, 0) from quiz_questions where quiz_id = $1),
                   $2, $3, $4, $5, $6) returning id"#,
    )
    .bind(quiz)
    .bind(kind.as_str())
    .bind(text_id.unwrap_or_default())
    .bind(text_en.unwrap_or_default())
    .bind(explain_id.unwrap_or_default())
    .bind(explain_en.unwrap_or_default())
    .fetch_one(&mut *tx)
    .await?;
    for (i, (a, b, ok)) in choices.iter().enumerate() {
        sqlx::query(
            "insert into quiz_choices (question_id, position, text_id, text_en, correct) values ($1, $2, $3, $4, $5)",
        )
        .bind(question)
        .bind(i as i64)
        .bind(a)
        .bind(b)
        .bind(i64::from(*ok))
        .execute(&mut *tx)
        .await?;
    }
    audit_in(&mut tx, caller, user.id, "courses.question_added", id).await?;
    tx.commit().await?;
    Ok(())
}

/// Returns the module the question was in.
pub async fn remove_question(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    question: i64,
) -> Result<i64, AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    let mut tx = db.begin_locked().await?;
    let found: Option<(i64,)> = sqlx::query_as(
        r#"select m.id from quiz_questions x join quizzes q on q.id = x.quiz_id
           join course_modules m on m.id = q.module_id where x.id = $1 and m.course_id = $2"#,
    )
    .bind(question)
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let (module,) = found.ok_or(AppError::NotFound)?;
    // Never drawn: the delete only happens if no attempt holds it.
    let gone = sqlx::query(
        r#"delete from quiz_questions where id = $1
           and not exists (select 1 from attempt_questions a where a.question_id = $1)"#,
    )
    .bind(question)
    .execute(&mut *tx)
    .await?;
    if gone.rows_affected() == 0 {
        return Err(AppError::field("question", FieldCode::InUse));
    }
    audit_in(&mut tx, caller, user.id, "courses.question_removed", id).await?;
    tx.commit().await?;
    Ok(module)
}

async fn trainer(db: &Db, id: i64) -> Result<(), AppError> {
    let found: Option<(i64,)> = sqlx::query_as(
        "select id from users where id = $1 and role = 'trainer' and deleted_at is null",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    found
        .map(|_| ())
        .ok_or(AppError::field("owner", FieldCode::InvalidChoice))
}

pub async fn reassign(
    caller: &Caller,
    admin: &CurrentUser,
    slug: &str,
    owner: &str,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, admin, slug).await?;
    let owner = match owner.trim() {
        "" => None,
        o => {
            let o = o
                .parse::<i64>()
                .map_err(|_| AppError::field("owner", FieldCode::InvalidChoice))?;
            trainer(db, o).await?;
            Some(o)
        }
    };
    let mut tx = db.pool.begin().await?;
    sqlx::query("update courses set owner_id = $1, updated_at = $2 where id = $3")
        .bind(owner)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit_in(&mut tx, caller, admin.id, "courses.reassigned", id).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_editor(
    caller: &Caller,
    admin: &CurrentUser,
    slug: &str,
    trainer_id: i64,
    add: bool,
) -> Result<(), AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, admin, slug).await?;
    if add {
        trainer(db, trainer_id).await?;
    }
    let mut tx = db.pool.begin().await?;
    if add {
        sqlx::query(
            "insert into course_editors (course_id, user_id) values ($1, $2) on conflict (course_id, user_id) do nothing",
        )
        .bind(id)
        .bind(trainer_id)
        .execute(&mut *tx)
        .await?;
    } else {
        sqlx::query("delete from course_editors where course_id = $1 and user_id = $2")
            .bind(id)
            .bind(trainer_id)
            .execute(&mut *tx)
            .await?;
    }
    let action = if add {
        "courses.editor_added"
    } else {
        "courses.editor_removed"
    };
    audit_in(&mut tx, caller, admin.id, action, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks, shrinks and re-encodes an uploaded image ([`super::images`]),
/// stores it under its content hash and records it with the course.
/// Returns the key (`/media/{key}` serves it).
pub async fn save_image(
    caller: &Caller,
    user: &CurrentUser,
    slug: &str,
    lesson: i64,
    upload: &[u8],
) -> Result<String, AppError> {
    let db = &caller.state().db;
    let (id, _, _) = editable(db, user, slug).await?;
    lesson_of(db, id, lesson).await?;
    let upload = upload.to_vec();
    // Decoding and encoding are CPU work: off the async executor.
    let image = tokio::task::spawn_blocking(move || super::images::process(&upload))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|code| AppError::field("image", code))?;
    crate::shared::media::put(&caller.state().media, &image.key, image.bytes.clone()).await?;
    let mut tx = db.pool.begin().await?;
    sqlx::query(
        r#"insert into course_images (key, course_id, width, height, bytes, uploaded_by, uploaded_at)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict (key, course_id) do nothing"#,
    )
    .bind(&image.key)
    .bind(id)
    .bind(i64::from(image.width))
    .bind(i64::from(image.height))
    .bind(image.bytes.len() as i64)
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    audit_in(&mut tx, caller, user.id, "courses.image_uploaded", id).await?;
    tx.commit().await?;
    Ok(image.key)
}
