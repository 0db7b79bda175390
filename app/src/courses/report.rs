//! Trainers' reports: for a course they may edit, a trainer sees how many
//! are enrolled, in progress and done, the average quiz score, "who is
//! stuck where" (learners by the first module they have not completed)
//! and the learners themselves, paged on the server and filtered by module
//! and region, and downloads the same as CSV (streamed by the server
//! binary, see `report_server::export_csv`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::report_server as server, crate::shared::session::server::caller,
    crate::shared::session::Role,
};

/// Learners per page of the report.
pub const PER_PAGE: i64 = 50;

/// Days without activity after which a learner counts as idle.
pub const IDLE_DAYS: i64 = 14;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSummary {
    pub enrolled: i64,
    pub not_started: i64,
    pub in_progress: i64,
    pub completed: i64,
    /// Average of every submitted quiz attempt, in percent.
    pub quiz_average: Option<i64>,
    pub quiz_attempts: i64,
}

/// Learners whose first module not yet complete is this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuckRow {
    pub module_id: i64,
    /// From 1.
    pub number: i64,
    pub title: String,
    pub here: i64,
    /// Of them, without activity for [`IDLE_DAYS`] days or more.
    pub idle: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRow {
    pub name: String,
    /// Regency and province of the learner's business, if they gave one.
    pub region: String,
    pub enrolled: String,
    pub active: String,
    pub modules_done: i64,
    /// The module they are on (from 1); none once complete.
    pub current: Option<i64>,
    pub quiz_average: Option<i64>,
    pub completed: Option<String>,
}

/// The filters, as the page's query string carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportFilter {
    /// A module id: only those stuck on it (empty: everyone).
    pub module: String,
    pub province: String,
    pub regency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub slug: String,
    pub title: String,
    pub modules_total: i64,
    pub summary: ReportSummary,
    pub stuck: Vec<StuckRow>,
    pub learners: Vec<LearnerRow>,
    /// Learners matching the filter.
    pub matching: i64,
    pub page: i64,
    pub pages: i64,
    pub filter: ReportFilter,
}

/// One page of a course's report: only its editors (its owner, trainers an
/// administrator assigned, administrators).
#[server(endpoint = "teach/report")]
pub async fn course_report(
    slug: String,
    #[server(default)] module: String,
    #[server(default)] province: String,
    #[server(default)] regency: String,
    #[server(default)] page: i64,
) -> Result<ReportView, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "teach/report")
        .await?
        .clone();
    let filter = ReportFilter {
        module,
        province,
        regency,
    };
    server::report(&caller.state().db, &user, &slug, &filter, page).await
}
