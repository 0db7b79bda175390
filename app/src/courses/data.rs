//! What training adds to a person's data download and what it does at
//! deletion (listed in [`crate::data_rights`]).
//!
//! Download: enrolments, lessons done, modules completed (and the
//! workshop whose attendance completed one), quiz attempts with their answers,
//! and certificates. Deletion: progress and attempts go; certificates stay
//! verifiable (employers and buyers may hold the code) but no longer name
//! the holder: the verification page says the holder removed their
//! account. A trainer's own courses pass to the portal (no owner), so the
//! learners keep them.

use futures::TryStreamExt;
use serde_json::json;

use crate::error::AppError;
use crate::shared::db::Db;
use crate::shared::export::JsonSink;

pub async fn export(db: &Db, user_id: i64, sink: &mut JsonSink) -> Result<(), AppError> {
    let enrolments = sqlx::query_as::<_, (String, i64, Option<i64>)>(
        r#"select c.slug, e.enrolled_at, e.completed_at from enrolments e
           join courses c on c.id = e.course_id where e.user_id = $1 order by e.id"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(course, enrolled_at, completed_at)| {
        json!({ "course": course, "enrolled_at": enrolled_at, "completed_at": completed_at })
    });
    sink.array("course_enrolments", enrolments).await?;
    let lessons = sqlx::query_as::<_, (i64, i64)>(
        "select lesson_id, done_at from lesson_progress where user_id = $1 order by done_at",
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(lesson, done_at)| json!({ "lesson_id": lesson, "done_at": done_at }));
    sink.array("lessons_done", lessons).await?;
    let modules = sqlx::query_as::<_, (i64, i64, Option<i64>)>(
        r#"select module_id, completed_at, workshop_id from module_completions
           where user_id = $1 order by completed_at"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(module, at, workshop)| {
        json!({ "module_id": module, "completed_at": at, "by_attending_workshop": workshop })
    });
    sink.array("modules_completed", modules).await?;
    let attempts =
        sqlx::query_as::<_, (i64, i64, i64, Option<i64>, Option<i64>, i64, Option<i64>)>(
            r#"select id, quiz_id, number, started_at, submitted_at, total, correct
           from quiz_attempts where user_id = $1 order by id"#,
        )
        .bind(user_id)
        .fetch(&db.pool)
        .map_ok(|(id, quiz, number, started, submitted, total, correct)| {
            json!({ "attempt_id": id, "quiz_id": quiz, "number": number, "started_at": started,
                "submitted_at": submitted, "questions": total, "correct": correct })
        });
    sink.array("quiz_attempts", attempts).await?;
    let certificates = sqlx::query_as::<_, (String, String, String, i64)>(
        r#"select code, holder_name, course_title_id, issued_at from certificates
           where user_id = $1 and holder_removed = 0 order by id"#,
    )
    .bind(user_id)
    .fetch(&db.pool)
    .map_ok(|(code, holder, course, issued_at)| {
        json!({ "code": code, "holder_name": holder, "course": course, "issued_at": issued_at })
    });
    sink.array("certificates", certificates).await?;
    Ok(())
}

pub async fn erase(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: i64,
) -> Result<(), AppError> {
    for sql in [
        "delete from attempt_questions where attempt_id in (select id from quiz_attempts where user_id = $1)",
        "delete from quiz_attempts where user_id = $1",
        "delete from lesson_progress where user_id = $1",
        "delete from module_completions where user_id = $1",
        "delete from enrolments where user_id = $1",
        "delete from course_editors where user_id = $1",
        "update certificates set holder_name = '', holder_removed = 1 where user_id = $1",
        "update courses set owner_id = null where owner_id = $1",
    ] {
        sqlx::query(sql).bind(user_id).execute(&mut **tx).await?;
    }
    Ok(())
}
