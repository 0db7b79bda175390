//! Workshop server functions and DTOs. Each establishes who is calling
//! first.

// The trainer's form posts its fields as arguments.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use {
    super::server, super::teach, crate::shared::session::server::caller,
    crate::shared::session::Role,
};

/// A workshop as listed, times in its venue's zone (shown with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopItem {
    pub id: i64,
    pub course_slug: String,
    pub course_title: String,
    pub title: String,
    pub online: bool,
    /// Address, regency and province (empty online).
    pub place: String,
    pub starts: String,
    pub ends: String,
    pub closes: String,
    /// Registration still open.
    pub open: bool,
    pub capacity: i64,
    pub seated: i64,
    pub waiting: i64,
    /// The module that attending completes: (number from 1, title).
    pub module: Option<(i64, String)>,
}

/// Where the caller stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MyPlace {
    Seated,
    /// Their place on the waiting list, from 1.
    Waiting(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopView {
    pub item: WorkshopItem,
    pub mine: Option<MyPlace>,
    /// The online session's link, for those with a seat.
    pub link: Option<String>,
}

/// Upcoming workshops: near the caller first (their regency, then their
/// province), then online ones.
#[server(endpoint = "workshops/list")]
pub async fn workshops() -> Result<Vec<WorkshopItem>, AppError> {
    let caller = caller().await?;
    server::list(&caller).await
}

#[server(endpoint = "workshops/view")]
pub async fn workshop(id: i64) -> Result<WorkshopView, AppError> {
    let caller = caller().await?;
    server::view(&caller, id).await
}

#[server(endpoint = "workshops/register")]
pub async fn register(id: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    server::register(&caller, user, id).await?;
    leptos_axum::redirect(&format!("/workshops/{id}"));
    Ok(())
}

#[server(endpoint = "workshops/cancel")]
pub async fn cancel(id: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller.require_user()?.id;
    server::cancel(&caller, user, id).await?;
    leptos_axum::redirect(&format!("/workshops/{id}"));
    Ok(())
}

/// A trainer schedules a workshop of a course they may edit. Times are
/// local to the venue (`datetime-local`), its zone from the province.
#[server(endpoint = "workshops/create")]
pub async fn create_workshop(
    slug: String,
    title: String,
    online: Option<String>,
    link: String,
    address: String,
    province: String,
    regency: String,
    starts: String,
    ends: String,
    closes: String,
    capacity: String,
    #[server(default)] module: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "workshops/create")
        .await?
        .clone();
    let form = teach::WorkshopForm {
        title,
        online: online.is_some(),
        link,
        address,
        province,
        regency,
        starts,
        ends,
        closes,
        capacity,
        module,
    };
    let id = teach::create(&caller, &user, &slug, &form).await?;
    leptos_axum::redirect(&format!("/workshops/{id}/attendance"));
    Ok(())
}

/// A person on a workshop's list, for the trainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub user_id: i64,
    pub name: String,
    pub seated: bool,
    pub present: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceList {
    pub item: WorkshopItem,
    pub people: Vec<Attendee>,
}

/// The list to take attendance from: only the course's editors.
#[server(endpoint = "workshops/attendance")]
pub async fn attendance(id: i64) -> Result<AttendanceList, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "workshops/attendance")
        .await?
        .clone();
    teach::attendance(&caller, &user, id).await
}

/// Marks a seated person present (or not, with `present` absent).
#[server(endpoint = "workshops/mark")]
pub async fn mark_present(id: i64, user_id: i64, present: Option<String>) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::can_teach, "workshops/mark")
        .await?
        .clone();
    teach::mark(&caller, &user, id, user_id, present.is_some()).await?;
    leptos_axum::redirect(&format!("/workshops/{id}/attendance"));
    Ok(())
}
