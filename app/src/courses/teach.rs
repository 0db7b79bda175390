//! Authoring: trainers write courses, modules, lessons and quizzes in both
//! languages, preview them (a lesson page opened by its editor) and publish
//! them; administrators edit every course, reassign its owner and assign
//! trainers to the portal's own courses. Every server function checks the
//! caller's role first and then that they may edit this very course.

// The edit forms post their fields as arguments (plain posts work without
// JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::teach_server as server, crate::shared::session::server::caller,
    crate::shared::session::Role,
};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeachCourse {
    pub slug: String,
    pub title_id: String,
    pub title_en: String,
    pub published: bool,
    /// The owner's name; empty for the portal's own courses.
    pub owner: String,
}

/// The courses the caller may edit.
#[server(endpoint = "teach/list")]
pub async fn teach_list() -> Result<Vec<TeachCourse>, AppError> {
    let caller = caller().await?;
    let user = caller.require(Role::can_teach, "teach/list").await?.clone();
    server::list(&caller, &user).await
}

#[server(endpoint = "teach/create")]
pub async fn create_course(
    slug: String,
    title_id: String,
    title_en: String,
    summary_id: String,
    summary_en: String,
    cluster: String,
    minutes: String,
    requires: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/create")
        .await?
        .clone();
    let fields = server::CourseFields {
        slug,
        title_id,
        title_en,
        summary_id,
        summary_en,
        cluster,
        minutes,
        requires: requires.unwrap_or_default(),
    };
    let slug = server::create(&caller, &user, &fields).await?;
    leptos_axum::redirect(&format!("/teach/{slug}?saved=1"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditQuestion {
    pub id: i64,
    pub kind: String,
    pub text_id: String,
    pub text_en: String,
    /// (text id, text en, correct)
    pub choices: Vec<(String, String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditQuiz {
    pub pass_percent: i64,
    pub draw: i64,
    pub max_attempts: i64,
    pub questions: Vec<EditQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditModule {
    pub id: i64,
    pub position: i64,
    pub title_id: String,
    pub title_en: String,
    pub sequential: bool,
    /// (id, title id, title en)
    pub lessons: Vec<(i64, String, String)>,
    pub quiz: Option<EditQuiz>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseDraft {
    pub slug: String,
    pub title_id: String,
    pub title_en: String,
    pub summary_id: String,
    pub summary_en: String,
    pub cluster: String,
    pub minutes: i64,
    /// The slug of the course to complete first (empty: none).
    pub requires: String,
    /// Published courses that may be required: (slug, title).
    pub courses: Vec<(String, String)>,
    pub published: bool,
    pub owner_id: Option<i64>,
    pub owner: String,
    /// Trainers an administrator assigned: (id, name).
    pub editors: Vec<(i64, String)>,
    /// For administrators: every trainer, to reassign or assign.
    pub trainers: Vec<(i64, String)>,
    pub admin: bool,
    pub modules: Vec<EditModule>,
}

#[server(endpoint = "teach/course")]
pub async fn edit_course(slug: String) -> Result<CourseDraft, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/course")
        .await?
        .clone();
    server::edit_course(&caller, &user, &slug).await
}

#[server(endpoint = "teach/save")]
pub async fn save_course(
    slug: String,
    title_id: String,
    title_en: String,
    summary_id: String,
    summary_en: String,
    cluster: String,
    minutes: String,
    requires: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require(Role::can_teach, "teach/save").await?.clone();
    let fields = server::CourseFields {
        slug: slug.clone(),
        title_id,
        title_en,
        summary_id,
        summary_en,
        cluster,
        minutes,
        requires: requires.unwrap_or_default(),
    };
    server::save(&caller, &user, &fields).await?;
    leptos_axum::redirect(&format!("/teach/{slug}?saved=1"));
    Ok(())
}

/// Publishes (`publish` = "1") or withdraws the course.
#[server(endpoint = "teach/publish")]
pub async fn publish_course(slug: String, publish: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/publish")
        .await?
        .clone();
    server::publish(&caller, &user, &slug, publish == "1").await?;
    leptos_axum::redirect(&format!("/teach/{slug}?saved=1"));
    Ok(())
}

#[server(endpoint = "teach/module")]
pub async fn add_module(
    slug: String,
    module_title_id: String,
    module_title_en: String,
    sequential: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/module")
        .await?
        .clone();
    server::add_module(
        &caller,
        &user,
        &slug,
        &module_title_id,
        &module_title_en,
        sequential.is_some(),
    )
    .await?;
    leptos_axum::redirect(&format!("/teach/{slug}?saved=1"));
    Ok(())
}

/// Renames a module or changes whether it waits for the previous one.
#[server(endpoint = "teach/module-save")]
pub async fn save_module(
    slug: String,
    module: i64,
    module_title_id: String,
    module_title_en: String,
    sequential: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/module-save")
        .await?
        .clone();
    server::save_module(
        &caller,
        &user,
        &slug,
        module,
        &module_title_id,
        &module_title_en,
        sequential.is_some(),
    )
    .await?;
    leptos_axum::redirect(&format!("/teach/{slug}/modules/{module}?saved=1"));
    Ok(())
}

/// Adds an empty lesson to a module and opens it in the editor.
#[server(endpoint = "teach/lesson-add")]
pub async fn add_lesson(slug: String, module: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/lesson-add")
        .await?
        .clone();
    let id = server::add_lesson(&caller, &user, &slug, module).await?;
    leptos_axum::redirect(&format!("/teach/{slug}/lessons/{id}"));
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonDraft {
    pub course_slug: String,
    pub id: i64,
    pub title_id: String,
    pub title_en: String,
    pub body_id: String,
    pub body_en: String,
    pub video_url: String,
    /// The course's uploaded images: (store key, width, height).
    pub images: Vec<(String, i64, i64)>,
}

#[server(endpoint = "teach/lesson")]
pub async fn edit_lesson(slug: String, id: i64) -> Result<LessonDraft, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/lesson")
        .await?
        .clone();
    server::edit_lesson(&caller, &user, &slug, id).await
}

#[server(endpoint = "teach/lesson-save")]
pub async fn save_lesson(
    slug: String,
    id: i64,
    title_id: String,
    title_en: String,
    body_id: String,
    body_en: String,
    video_url: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/lesson-save")
        .await?
        .clone();
    let fields = server::LessonFields {
        title_id,
        title_en,
        body_id,
        body_en,
        video_url,
    };
    server::save_lesson(&caller, &user, &slug, id, &fields).await?;
    leptos_axum::redirect(&format!("/teach/{slug}/lessons/{id}?saved=1"));
    Ok(())
}

/// Creates or changes a module's quiz settings.
#[server(endpoint = "teach/quiz")]
pub async fn save_quiz(
    slug: String,
    module: i64,
    pass_percent: String,
    draw: String,
    max_attempts: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require(Role::can_teach, "teach/quiz").await?.clone();
    server::save_quiz(
        &caller,
        &user,
        &slug,
        module,
        &pass_percent,
        &draw,
        &max_attempts,
    )
    .await?;
    leptos_axum::redirect(&format!("/teach/{slug}/modules/{module}?saved=1"));
    Ok(())
}

/// Adds a question with up to four choices (empty ones are left out).
#[server(endpoint = "teach/question")]
pub async fn add_question(
    slug: String,
    module: i64,
    kind: String,
    text_id: String,
    text_en: String,
    explain_id: String,
    explain_en: String,
    choice1_id: String,
    choice1_en: String,
    choice1_ok: Option<String>,
    choice2_id: String,
    choice2_en: String,
    choice2_ok: Option<String>,
    choice3_id: Option<String>,
    choice3_en: Option<String>,
    choice3_ok: Option<String>,
    choice4_id: Option<String>,
    choice4_en: Option<String>,
    choice4_ok: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/question")
        .await?
        .clone();
    let o = |v: Option<String>| v.unwrap_or_default();
    let q = server::QuestionFields {
        kind,
        text_id,
        text_en,
        explain_id,
        explain_en,
        choices: vec![
            (choice1_id, choice1_en, choice1_ok.is_some()),
            (choice2_id, choice2_en, choice2_ok.is_some()),
            (o(choice3_id), o(choice3_en), choice3_ok.is_some()),
            (o(choice4_id), o(choice4_en), choice4_ok.is_some()),
        ],
    };
    server::add_question(&caller, &user, &slug, module, &q).await?;
    leptos_axum::redirect(&format!("/teach/{slug}/modules/{module}?saved=1"));
    Ok(())
}

/// Removes a question never drawn in an attempt (drawn ones stay, so past
/// results keep their questions).
#[server(endpoint = "teach/question-remove")]
pub async fn remove_question(slug: String, question: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/question-remove")
        .await?
        .clone();
    let module = server::remove_question(&caller, &user, &slug, question).await?;
    leptos_axum::redirect(&format!("/teach/{slug}/modules/{module}?saved=1"));
    Ok(())
}

/// Administrators: give the course to a trainer (or to the portal, with
/// an empty `owner`).
#[server(endpoint = "teach/reassign")]
pub async fn reassign_course(slug: String, owner: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let admin = caller
        .require(Role::can_manage_users, "teach/reassign")
        .await?
        .clone();
    server::reassign(&caller, &admin, &slug, &owner).await?;
    leptos_axum::redirect(&format!("/teach/{slug}?saved=1"));
    Ok(())
}

/// Administrators: let a trainer edit this course too (or stop it, with
/// `remove` = "1").
#[server(endpoint = "teach/editor")]
pub async fn set_editor(
    slug: String,
    trainer: i64,
    remove: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let admin = caller
        .require(Role::can_manage_users, "teach/editor")
        .await?
        .clone();
    server::set_editor(&caller, &admin, &slug, trainer, remove.is_none()).await?;
    leptos_axum::redirect(&format!("/teach/{slug}?saved=1"));
    Ok(())
}

/// Uploads an image for a course's lessons (a `multipart/form-data` post
/// with `slug`, `lesson` and `image`; its own body limit, `MEDIA_MAX_BYTES`).
/// Back in the lesson editor, the image's Markdown is shown to insert.
#[server(endpoint = "teach/image", input = MultipartFormData)]
pub async fn upload_image(data: MultipartData) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/image")
        .await?
        .clone();
    let mut form = data.into_inner().ok_or(AppError::BadRequest)?;
    let (mut slug, mut lesson, mut bytes) = (String::new(), 0_i64, None::<Vec<u8>>);
    while let Some(mut field) = form.next_field().await.map_err(upload_error)? {
        match field.name().unwrap_or("") {
            "slug" => {
                slug = field
                    .text()
                    .await
                    .map_err(upload_error)?
                    .chars()
                    .take(60)
                    .collect()
            }
            "lesson" => {
                lesson = field
                    .text()
                    .await
                    .map_err(upload_error)?
                    .trim()
                    .parse()
                    .map_err(|_| AppError::BadRequest)?
            }
            "image" => {
                let mut buf = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(upload_error)? {
                    buf.extend_from_slice(&chunk);
                }
                bytes = Some(buf);
            }
            _ => {}
        }
    }
    let saved = match bytes.filter(|b| !b.is_empty()) {
        Some(bytes) => server::save_image(&caller, &user, &slug, lesson, &bytes).await,
        None => Err(AppError::field("image", crate::error::FieldCode::Required)),
    };
    let back = format!(
        "/teach/{}/lessons/{lesson}",
        crate::shared::paths::encode(&slug)
    );
    match saved {
        Ok(key) => {
            leptos_axum::redirect(&format!("{back}?image={key}"));
            Ok(())
        }
        // A form posted without JavaScript comes back to the editor with
        // the reason; other clients get the error (and its 4xx status).
        Err(err) if wants_html() && err.field_code("image").is_some() => {
            let code = err.field_code("image").map(|c| {
                serde_json::to_string(&c)
                    .unwrap_or_default()
                    .trim_matches('"')
                    .to_string()
            });
            leptos_axum::redirect(&format!("{back}?image_error={}", code.unwrap_or_default()));
            Ok(())
        }
        Err(err) => Err(err),
    }
}

#[cfg(feature = "ssr")]
fn wants_html() -> bool {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(axum::http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|a| a.contains("text/html"))
        })
        .unwrap_or(false)
}

/// A broken or oversized multipart body: the body limit cut it off, or it
/// was never well formed.
#[cfg(feature = "ssr")]
fn upload_error(err: impl std::fmt::Display) -> AppError {
    tracing::warn!(error = %err, "upload refused");
    AppError::field("image", crate::error::FieldCode::ImageTooLarge)
}
