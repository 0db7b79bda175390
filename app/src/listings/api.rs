//! Listing server functions and DTOs. Each establishes who is calling
//! first: only sellers list products, and a seller sees and edits only
//! their own listings.

// The listing form posts its fields as arguments (it works without
// JavaScript).
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::policy::{Cluster, Outcome, RuleSet, Seller};
use crate::error::AppError;

#[cfg(feature = "ssr")]
use {super::server, crate::shared::session::server::caller, crate::shared::session::Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryItem {
    pub slug: String,
    pub name_id: String,
    pub name_en: String,
    pub cluster: Cluster,
}

/// A listing's fields as the form holds them (text, as entered).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingFields {
    pub title: String,
    pub description: String,
    pub category: String,
    pub price: String,
    pub currency: String,
    pub unit: String,
    pub origin_country: String,
    pub ships_from: String,
    pub hs_code: String,
    pub halal_cert: String,
    pub sni: String,
}

/// What the listing form needs: the categories, the rule set in force and
/// the seller's facts from their profile (for the instant check in the
/// browser; the server checks again and alone decides).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormContext {
    pub categories: Vec<CategoryItem>,
    pub rules: RuleSet,
    pub seller: Seller,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonView {
    pub rule: String,
    pub outcome: Outcome,
    pub message: String,
    /// The course that explains the rule: (slug, title).
    pub course: Option<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub outcome: Outcome,
    pub rule_set_version: i64,
    /// When it was decided (WIB).
    pub at: String,
    pub reasons: Vec<ReasonView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingSummary {
    pub id: i64,
    pub title: String,
    pub category: String,
    pub price: String,
    pub decision: Outcome,
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingView {
    pub id: i64,
    pub fields: ListingFields,
    pub withdrawn: bool,
    /// Newest first; the first is the listing's current decision.
    pub decisions: Vec<DecisionView>,
}

#[server(endpoint = "listings/context")]
pub async fn listing_context() -> Result<FormContext, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::has_business, "listings/context")
        .await?
        .clone();
    server::context(caller.state(), user.id).await
}

#[server(endpoint = "listings/mine")]
pub async fn my_listings() -> Result<Vec<ListingSummary>, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::has_business, "listings/mine")
        .await?
        .clone();
    server::mine(&caller.state().db, user.id).await
}

#[server(endpoint = "listings/view")]
pub async fn listing(id: i64) -> Result<ListingView, AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::has_business, "listings/view")
        .await?
        .clone();
    server::view(&caller.state().db, user.id, id).await
}

/// Creates (`id` 0) or edits a listing; every save runs the check.
#[server(endpoint = "listings/save")]
pub async fn save_listing(
    #[server(default)] id: i64,
    title: String,
    #[server(default)] description: String,
    category: String,
    price: String,
    currency: String,
    unit: String,
    origin_country: String,
    ships_from: String,
    #[server(default)] hs_code: String,
    #[server(default)] halal_cert: String,
    #[server(default)] sni: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::has_business, "listings/save")
        .await?
        .clone();
    let fields = ListingFields {
        title,
        description,
        category,
        price,
        currency,
        unit,
        origin_country,
        ships_from,
        hs_code,
        halal_cert,
        sni,
    };
    let id = server::save(&caller, user.id, (id > 0).then_some(id), &fields).await?;
    leptos_axum::redirect(&format!("/listings/{id}?saved=1"));
    Ok(())
}

#[server(endpoint = "listings/withdraw")]
pub async fn withdraw_listing(id: i64) -> Result<(), AppError> {
    let caller = caller().await?;
    let user = caller
        .require(Role::has_business, "listings/withdraw")
        .await?
        .clone();
    server::withdraw(&caller, user.id, id).await?;
    leptos_axum::redirect(&format!("/listings/{id}"));
    Ok(())
}
