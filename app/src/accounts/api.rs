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

/// What a code or link proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A new account (created only once verified).
    Signup,
    /// A forgotten password.
    Reset,
    /// A new email or mobile number for an existing account.
    Contact,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Signup => "signup",
            Purpose::Reset => "reset",
            Purpose::Contact => "contact",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        [Purpose::Signup, Purpose::Reset, Purpose::Contact]
            .into_iter()
            .find(|p| p.as_str() == s)
    }

    /// The `kind` of the message that carries its code or link.
    pub fn message_kind(self) -> &'static str {
        match self {
            Purpose::Signup => "accounts.signup_code",
            Purpose::Reset => "accounts.reset_code",
            Purpose::Contact => "accounts.contact_code",
        }
    }

    /// The page that takes its code or link.
    pub fn page(self) -> &'static str {
        match self {
            Purpose::Reset => "/reset",
            Purpose::Signup | Purpose::Contact => "/verify",
        }
    }
}

/// What the code or link page shows about a verification: never the code,
/// and the destination masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationView {
    pub purpose: Purpose,
    /// A code was sent by SMS/WhatsApp (else a link by email).
    pub by_code: bool,
    /// The destination, masked (`s•••@contoh.id`).
    pub to: String,
}

/// Starts a registration: nobody is signed in until the code or link sent
/// to the address is used. An address that already has an account gets
/// the same answer (and its owner a notice).
#[server(endpoint = "accounts/register")]
pub async fn register(
    display_name: String,
    identifier: String,
    password: String,
    agree_privacy: Option<String>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let handle = server::register(
        &caller,
        &display_name,
        &identifier,
        &password,
        agree_privacy.is_some(),
    )
    .await?;
    leptos_axum::redirect(&format!("/verify?v={handle}"));
    Ok(())
}

/// The code or link page's view of a verification (open to anyone who
/// holds the random handle; it shows only a masked destination).
#[server(endpoint = "accounts/verification")]
pub async fn verification(v: String) -> Result<Option<VerificationView>, AppError> {
    let caller = caller().await?;
    super::verify::view(&caller.state().db, &v).await
}

/// Uses a sign-up or new-contact code (`code`) or link (`t`).
#[server(endpoint = "accounts/verify")]
pub async fn verify(v: String, code: Option<String>, t: Option<String>) -> Result<(), AppError> {
    let caller = caller().await?;
    let to = server::verify(&caller, &v, code.as_deref(), t.as_deref()).await?;
    leptos_axum::redirect(to);
    Ok(())
}

/// Sends a new code or link for a verification.
#[server(endpoint = "accounts/resend")]
pub async fn resend(v: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let purpose = super::verify::resend(caller.state(), &caller.limit_key, &v).await?;
    leptos_axum::redirect(&format!("{}?v={v}&resent=1", purpose.page()));
    Ok(())
}

/// Starts a password reset; the same answer whether or not the address
/// has an account.
#[server(endpoint = "accounts/forgot")]
pub async fn forgot(identifier: String) -> Result<(), AppError> {
    let caller = caller().await?;
    let handle = server::forgot(&caller, &identifier).await?;
    leptos_axum::redirect(&format!("/reset?v={handle}"));
    Ok(())
}

/// Sets a new password with a reset code or link; signs in on this browser
/// and ends every other session.
#[server(endpoint = "accounts/reset")]
pub async fn reset(
    v: String,
    code: Option<String>,
    t: Option<String>,
    new_password: String,
) -> Result<(), AppError> {
    let caller = caller().await?;
    server::reset(&caller, &v, code.as_deref(), t.as_deref(), &new_password).await?;
    leptos_axum::redirect("/account?reset=1");
    Ok(())
}

/// Sends a code or link to a new email or mobile number for the signed-in
/// account; it replaces the old one once verified.
#[server(endpoint = "accounts/change-contact")]
pub async fn change_contact(new_contact: String, contact_password: String) -> Result<(), AppError> {
    let caller = caller().await?;
    caller.require_user()?;
    let handle = server::change_contact(&caller, &new_contact, &contact_password).await?;
    leptos_axum::redirect(&format!("/verify?v={handle}"));
    Ok(())
}

/// Deletes the signed-in account, confirmed with its password.
#[server(endpoint = "accounts/delete")]
pub async fn delete_account(delete_password: String) -> Result<(), AppError> {
    let caller = caller().await?;
    caller.require_user()?;
    server::delete_account(&caller, &delete_password).await?;
    leptos_axum::redirect("/?deleted=1");
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

/// A message that failed after every attempt, for the administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMessage {
    pub id: i64,
    pub channel: String,
    /// Masked.
    pub to: String,
    pub kind: String,
    pub attempts: i64,
    pub last_error: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedMessagePage {
    pub messages: Vec<FailedMessage>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[server(endpoint = "admin/messages")]
pub async fn failed_messages(page: i64) -> Result<FailedMessagePage, AppError> {
    let caller = caller().await?;
    caller
        .require(Role::can_manage_users, "admin/messages")
        .await?;
    server::failed_messages(&caller.state().db, page).await
}

/// Queues a failed message again.
#[server(endpoint = "admin/messages/retry")]
pub async fn retry_message(id: i64, page: Option<i64>) -> Result<(), AppError> {
    let caller = caller().await?;
    let admin = caller
        .require(Role::can_manage_users, "admin/messages/retry")
        .await?;
    server::retry_message(&caller, admin.id, id).await?;
    let page = page.unwrap_or(1).clamp(1, 1_000_000);
    leptos_axum::redirect(&format!("/admin/messages?page={page}&retried=1"));
    Ok(())
}

#[server(endpoint = "admin/users")]
pub async fn list_users(query: String, page: i64) -> Result<UserPage, AppError> {
    let caller = caller().await?;
    caller
        .require(Role::can_manage_users, "admin/users")
        .await?;
    server::list_users(&caller.state().db, &query, page).await
}

/// Sets a user's role; a plain form post comes back to the same page of
/// the list (`q`, `page`), which says the role was saved.
#[server(endpoint = "admin/set-role")]
pub async fn set_role(
    user_id: i64,
    role: Role,
    q: Option<String>,
    page: Option<i64>,
) -> Result<(), AppError> {
    let caller = caller().await?;
    let admin = caller
        .require(Role::can_manage_users, "admin/set-role")
        .await?;
    server::set_role(&caller, admin.id, user_id, role).await?;
    let q = crate::shared::paths::encode(q.as_deref().unwrap_or(""));
    let page = page.unwrap_or(1).clamp(1, 1_000_000);
    leptos_axum::redirect(&format!("/admin/users?q={q}&page={page}&saved=1"));
    Ok(())
}
