//! Training's server functions and the DTOs they return. Each is a public
//! endpoint: its first line establishes who is calling. What reaches the
//! browser never holds a quiz's correct answers before the attempt is
//! submitted.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::domain::{Lang, QuestionKind};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {super::server, crate::shared::session::server::caller};

/// A text as shown to the reader, with the language it is only in when
/// it was not written in theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub text: String,
    pub only_in: Option<Lang>,
}

/// A course in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseCard {
    pub slug: String,
    pub title: Text,
    pub summary: Text,
    pub cluster: String,
    pub minutes: i64,
    pub lessons: i64,
    pub languages: Vec<Lang>,
    pub core: bool,
    /// The caller's progress, if enrolled: lessons done.
    pub done: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueResult {
    pub items: Vec<CourseCard>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub q: String,
    pub cluster: String,
    pub lang: String,
}

/// The public course catalogue: published courses, searched by title and
/// summary in either language, filtered by cluster and language, paged.
#[server(endpoint = "courses/catalogue")]
pub async fn catalogue(
    q: String,
    cluster: String,
    lang: String,
    page: i64,
) -> Result<CatalogueResult, AppError> {
    let caller = caller().await?;
    let user = caller.user.as_ref().map(|u| u.id);
    server::catalogue(&caller.state().db, user, &q, &cluster, &lang, page).await
}

/// A lesson as listed in its module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonItem {
    pub id: i64,
    pub title: Text,
    pub done: bool,
}

/// A module's quiz, without its questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizInfo {
    pub draw: i64,
    pub pass_percent: i64,
    pub max_attempts: i64,
    pub used: i64,
    pub passed: bool,
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleView {
    pub id: i64,
    pub position: i64,
    pub title: Text,
    pub sequential: bool,
    /// The caller may open it (enrolled, and the previous module is
    /// complete where this one is sequential).
    pub unlocked: bool,
    pub complete: bool,
    pub lessons: Vec<LessonItem>,
    pub quiz: Option<QuizInfo>,
}

/// A course as a reader sees it, with their progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseView {
    pub id: i64,
    pub slug: String,
    pub title: Text,
    pub summary: Text,
    pub minutes: i64,
    pub core: bool,
    pub published: bool,
    pub issuer: String,
    /// The course to complete first: (slug, title, completed by the caller).
    pub requires: Option<(String, Text, bool)>,
    pub signed_in: bool,
    pub enrolled: bool,
    pub completed_at: Option<i64>,
    pub certificate: Option<String>,
    pub modules: Vec<ModuleView>,
    /// Where to resume: the last lesson opened, else the first not done.
    pub resume: Option<i64>,
    pub done: i64,
    pub total: i64,
}

#[server(endpoint = "courses/course")]
pub async fn course(slug: String) -> Result<CourseView, AppError> {
    let caller = caller().await?;
    server::course_view(&caller, &slug).await
}

/// Enrols the caller (any signed-in account) in a published course whose
/// prerequisite they have completed. Enrolling twice is harmless.
#[server(endpoint = "courses/enrol")]
pub async fn enrol(slug: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    server::enrol(&caller, user, &slug).await?;
    leptos_axum::redirect(&format!("/courses/{slug}?enrolled=1"));
    Ok(())
}

/// Where "continue" leads after a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Next {
    Lesson(i64),
    Quiz(i64),
    Course,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonView {
    pub course_slug: String,
    pub course_title: Text,
    pub module_title: Text,
    pub id: i64,
    pub title: Text,
    /// Sanitised HTML rendered from the lesson's Markdown on the server.
    pub html: String,
    pub only_in: Option<Lang>,
    pub video_url: Option<String>,
    pub done: bool,
    pub next: Next,
    /// Read by its author or editor before publishing (no progress kept).
    pub preview: bool,
}

#[server(endpoint = "courses/lesson")]
pub async fn lesson(slug: String, id: i64) -> Result<LessonView, AppError> {
    let caller = caller().await?;
    server::lesson_view(&caller, &slug, id).await
}

/// Marks a lesson done (once; the first date is kept), remembers it as the
/// place to resume, and settles module and course completion in the same
/// transaction. Redirects to what comes next.
#[server(endpoint = "courses/lesson-done")]
pub async fn complete_lesson(slug: String, id: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    let next = server::complete_lesson(&caller, user, &slug, id).await?;
    leptos_axum::redirect(&match next {
        Next::Lesson(l) => format!("/courses/{slug}/lessons/{l}"),
        Next::Quiz(m) => format!("/courses/{slug}/quiz/{m}"),
        Next::Course => format!("/courses/{slug}"),
    });
    Ok(())
}

/// A question of an open attempt: its choices without which are correct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    pub position: i64,
    pub kind: QuestionKind,
    pub text: Text,
    pub choices: Vec<(i64, String)>,
}

/// A graded question, after the attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradedQuestion {
    pub text: String,
    pub right: bool,
    /// Each choice: its text, whether it was picked, whether it is correct.
    pub choices: Vec<(String, bool, bool)>,
    pub explain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub number: i64,
    pub correct: i64,
    pub total: i64,
    pub passed: bool,
    pub questions: Vec<GradedQuestion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizView {
    pub course_slug: String,
    pub course_title: Text,
    pub module_id: i64,
    pub module_title: Text,
    pub info: QuizInfo,
    /// The attempt in progress: its id and questions.
    pub open: Option<(i64, Vec<QuestionView>)>,
    /// The last submitted attempt, graded, with feedback.
    pub last: Option<AttemptResult>,
}

#[server(endpoint = "courses/quiz")]
pub async fn quiz(slug: String, module: i64) -> Result<QuizView, AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    server::quiz_view(&caller, user, &slug, module).await
}

/// Starts an attempt: draws its questions at random from the pool, and it
/// counts from now. An attempt already open is resumed, not doubled.
#[server(endpoint = "courses/quiz-start")]
pub async fn start_quiz(slug: String, module: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    server::start_quiz(&caller, user, &slug, module).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/quiz/{module}"));
    Ok(())
}

/// Submits an attempt, graded on the server only. `answer` holds
/// `position:choice` pairs, grouped by question (`answer[q0][]`, … in the
/// form, so each question's radio buttons form their own group); a choice
/// that is not one of that question's is refused.
#[server(endpoint = "courses/quiz-submit")]
pub async fn submit_quiz(
    slug: String,
    module: i64,
    attempt: i64,
    answer: Option<std::collections::BTreeMap<String, Vec<String>>>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    let picked: Vec<String> = answer.unwrap_or_default().into_values().flatten().collect();
    server::submit_quiz(&caller, user, attempt, &picked).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/quiz/{module}?submitted=1"));
    Ok(())
}

/// A certificate as anyone may verify it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateView {
    pub code: String,
    /// Empty when the holder removed their account.
    pub holder_name: String,
    pub holder_removed: bool,
    pub course_title: Text,
    pub course_slug: String,
    pub issued_at: i64,
    pub issuer: String,
    /// The verification page's address.
    pub url: String,
    /// A QR code of `url`, as SVG markup generated on the server.
    pub qr_svg: String,
}

/// Public: any visitor may verify a certificate by its code.
#[server(endpoint = "courses/certificate")]
pub async fn certificate(code: String) -> Result<CertificateView, AppError> {
    let caller = caller().await?;
    server::certificate(&caller, &code).await
}

/// A course the caller is enrolled in, for their home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCourse {
    pub slug: String,
    pub title: Text,
    pub done: i64,
    pub total: i64,
    pub completed: bool,
    pub certificate: Option<String>,
}

#[server(endpoint = "courses/mine")]
pub async fn my_courses() -> Result<Vec<MyCourse>, AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    server::my_courses(&caller, user).await
}
