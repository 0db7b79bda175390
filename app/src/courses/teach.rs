//! Authoring: trainers write courses, modules, lessons and quizzes in both
//! languages, preview them (a lesson page opened by its editor) and publish
//! them; administrators edit every course, reassign its owner and assign
//! trainers to the portal's own courses. Every server function checks the
//! caller's role first and then that they may edit this very course.

// The edit forms post their fields as arguments (plain posts work without
// JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
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
