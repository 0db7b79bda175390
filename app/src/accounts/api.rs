//! The accounts feature's server functions and the DTOs they return.
//! Each is a public endpoint: its first line establishes who is calling.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::shared::session::Role;

#[cfg(feature = "ssr")]
use {super::server, crate::shared::session::server::caller};

/// A row of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: i64,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
    pub created_at: i64,
}

/// One page of the admin's user list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub users: Vec<UserSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub query: String,
}

#[server(endpoint = "accounts/register")]
pub async fn register(
    display_name: String,
    identifier: String,
    password: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    server::register(&caller, &display_name, &identifier, &password).await?;
    leptos_axum::redirect("/account");
    Ok(())
}

/// Signs in, then goes to `next` when it is a path on this site (the page
/// that sent the visitor to sign in), else to the account page.
#[server(endpoint = "accounts/login")]
pub async fn login(
    identifier: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    server::login(&caller, &identifier, &password).await?;
    let to = next
        .as_deref()
        .and_then(crate::shared::paths::safe_return_path)
        .unwrap_or("/account");
    leptos_axum::redirect(to);
    Ok(())
}

#[server(endpoint = "accounts/logout")]
pub async fn logout() -> Result<(), AppError> {
    let caller = caller().await?;
    server::logout(&caller).await?;
    leptos_axum::redirect("/");
    Ok(())
}

#[server(endpoint = "accounts/change-password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    caller.require_user()?;
    server::change_password(&caller, &current_password, &new_password).await?;
    // A plain form post comes back to the page, which says it is done.
    leptos_axum::redirect("/account?changed=1");
    Ok(())
}

#[server(endpoint = "accounts/logout-everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    let caller = caller().await?;
    caller.require_user()?;
    server::logout_everywhere(&caller).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(endpoint = "admin/users")]
pub async fn list_users(query: String, page: i64) -> Result<UserPage, AppError> {
    let caller = caller().await?;
    caller
        .require(Role::can_manage_users, "admin/users")
        .await?;
    server::list_users(&caller.state.db, &query, page).await
}

/// Sets a user's role; a plain form post comes back to the same page of
/// the list (`q`, `page`), which says the role was saved.
#[server(endpoint = "admin/set-role")]
pub async fn set_role(
    user_id: i64,
    role: String,
    q: Option<String>,
    page: Option<i64>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let admin = caller
        .require(Role::can_manage_users, "admin/set-role")
        .await?;
    server::set_role(&caller, admin.id, user_id, &role).await?;
    let q = crate::shared::paths::encode(q.as_deref().unwrap_or(""));
    let page = page.unwrap_or(1).clamp(1, 1_000_000);
    leptos_axum::redirect(&format!("/admin/users?q={q}&page={page}&saved=1"));
    Ok(())
}
