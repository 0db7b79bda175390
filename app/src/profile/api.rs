//! The business profile's server functions and the DTOs they return. Each
//! is a public endpoint: its first line establishes who is calling.

// `save_profile` takes the form's fields as its arguments (a plain post
// works without JavaScript); the browser-side function the `server` macro
// generates does not carry an item-level allow.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::domain::{Cluster, Milestone, SizeBasis, SizeClass, Stage};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {super::server, crate::shared::session::server::caller, crate::shared::session::Role};

/// Where an NIB stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NibStatus {
    None,
    Pending,
    Verified,
    Rejected,
}

impl NibStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NibStatus::None => "none",
            NibStatus::Pending => "pending",
            NibStatus::Verified => "verified",
            NibStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<NibStatus> {
        [
            NibStatus::None,
            NibStatus::Pending,
            NibStatus::Verified,
            NibStatus::Rejected,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// One online channel of a business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineChannel {
    /// `marketplace`, `social` or `website`.
    pub kind: String,
    pub name: String,
    pub url: String,
}

/// A business profile as its owner (or staff) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub owner_name: String,
    pub whatsapp: String,
    pub nib: String,
    pub nib_status: NibStatus,
    pub nib_reason: Option<String>,
    pub nib_decided_at: Option<i64>,
    /// The NIB of a registry business this one has claimed (pending).
    pub claimed_nib: Option<String>,
    pub kbli: Vec<String>,
    pub cluster: Option<Cluster>,
    pub province: String,
    pub regency: String,
    pub address: String,
    pub country: String,
    pub year_founded: Option<i64>,
    pub employees: Option<i64>,
    pub capital_idr: Option<i64>,
    pub annual_sales_idr: Option<i64>,
    pub size_basis: Option<SizeBasis>,
    pub size_class: Option<SizeClass>,
    pub channels: Vec<OnlineChannel>,
    pub halal_cert: String,
    pub sni_cert: String,
    pub created_at: i64,
}

/// The onboarding journey of a business: each milestone with the day it
/// was first reached, and the stage derived from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journey {
    pub milestones: Vec<(Milestone, Option<i64>)>,
    pub nib_status: NibStatus,
    pub stage: Stage,
    pub stage_at: i64,
}

/// One entry of a business's history, newest first on the page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub at: i64,
    /// `profile_saved`, `nib_submitted`, `claim_submitted`, `nib_removed`,
    /// `nib_verified`, `nib_rejected`, `claim_confirmed`, `claim_rejected`
    /// or `milestone`.
    pub kind: String,
    /// The fields changed (comma-separated names, or `created`), the NIB,
    /// the staff's reason or the milestone.
    pub detail: String,
    /// Who: the owner, staff, or the portal itself.
    pub by: Actor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Owner,
    Staff,
    Portal,
}

/// The profile page's data: the profile (none before the first save), the
/// journey, the history, and this year in WIB (the latest year founded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnBusiness {
    pub profile: Option<Profile>,
    pub journey: Journey,
    pub history: Vec<HistoryEntry>,
    pub this_year: i64,
}

#[server(endpoint = "profile/mine")]
pub async fn my_business() -> Result<OwnBusiness, AppError> {
    let caller = caller().await?;
    let user = caller.require(Role::has_business, "profile/mine").await?;
    server::my_business(&caller.state().db, user.id).await
}

/// Saves the caller's business profile (creating the business on the
/// first save). A new NIB is submitted for verification; an NIB of an
/// unclaimed registry business becomes a claim staff confirm.
#[server(endpoint = "profile/save")]
pub async fn save_profile(
    name: Option<String>,
    owner_name: Option<String>,
    whatsapp: Option<String>,
    nib: Option<String>,
    kbli: Option<String>,
    cluster: Option<String>,
    province: Option<String>,
    regency: Option<String>,
    address: Option<String>,
    country: Option<String>,
    year_founded: Option<String>,
    employees: Option<String>,
    size_basis: Option<String>,
    capital: Option<String>,
    annual_sales: Option<String>,
    channel_kind: Option<String>,
    channel_name: Option<String>,
    channel_url: Option<String>,
    channel2_kind: Option<String>,
    channel2_name: Option<String>,
    channel2_url: Option<String>,
    halal_cert: Option<String>,
    sni_cert: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::has_business, "profile/save")
        .await?
        .clone();
    let o = |v: Option<String>| v.unwrap_or_default();
    let form = server::ProfileForm {
        name: o(name),
        owner_name: o(owner_name),
        whatsapp: o(whatsapp),
        nib: o(nib),
        kbli: o(kbli),
        cluster: o(cluster),
        province: o(province),
        regency: o(regency),
        address: o(address),
        country: o(country),
        year_founded: o(year_founded),
        employees: o(employees),
        size_basis: o(size_basis),
        capital: o(capital),
        annual_sales: o(annual_sales),
        channels: [
            (o(channel_kind), o(channel_name), o(channel_url)),
            (o(channel2_kind), o(channel2_name), o(channel2_url)),
        ],
        halal_cert: o(halal_cert),
        sni_cert: o(sni_cert),
    };
    server::save_profile(&caller, user.id, form).await?;
    leptos_axum::redirect("/profile?saved=1");
    Ok(())
}

/// A row of the staff's NIB queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub business_id: i64,
    pub name: String,
    /// The NIB submitted, or the NIB of the registry business claimed.
    pub nib: String,
    pub claim: bool,
    pub province: String,
    pub submitted_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub province: String,
}

/// The NIB verification queue: oldest first, by province, paged.
#[server(endpoint = "staff/nib-queue")]
pub async fn nib_queue(province: String, page: i64) -> Result<QueuePage, AppError> {
    let caller = caller().await?;
    caller
        .require(Role::can_verify_businesses, "staff/nib-queue")
        .await?;
    server::nib_queue(&caller.state().db, &province, page).await
}

/// A registry business claimed by NIB, as staff compare it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimedBusiness {
    pub id: i64,
    pub name: String,
    pub nib: String,
    pub province: String,
    pub regency: String,
}

/// One queue item as staff open it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub profile: Profile,
    pub submitted_at: Option<i64>,
    pub claimed: Option<ClaimedBusiness>,
    pub history: Vec<HistoryEntry>,
}

#[server(endpoint = "staff/nib-item")]
pub async fn nib_item(id: i64) -> Result<ReviewItem, AppError> {
    let caller = caller().await?;
    caller
        .require(Role::can_verify_businesses, "staff/nib-item")
        .await?;
    server::nib_item(&caller.state().db, id).await
}

/// Verifies or rejects an NIB (or a claim). `submitted_at` is the version
/// the staff member saw: if another decided first, or the seller
/// resubmitted, the answer is 409.
#[server(endpoint = "staff/nib-decide")]
pub async fn decide_nib(
    id: i64,
    submitted_at: i64,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let staff = caller
        .require(Role::can_verify_businesses, "staff/nib-decide")
        .await?
        .clone();
    let verify = match decision.as_str() {
        "verify" => true,
        "reject" => false,
        _ => return Err(AppError::BadRequest),
    };
    server::decide_nib(
        &caller,
        staff.id,
        id,
        submitted_at,
        verify,
        reason.as_deref().unwrap_or(""),
    )
    .await?;
    leptos_axum::redirect("/staff/verifications?decided=1");
    Ok(())
}
