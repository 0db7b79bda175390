//! Who is calling: the signed-in user, their role and what the role may do.
//!
//! The navigation and every feature ask this module; it never reaches into
//! the accounts feature. On the server, [`caller`] is the first line of every
//! server function: it reads the tower-sessions session, loads the user and
//! checks that the session is still valid (its epoch matches the account's,
//! so a password change or "log out everywhere" ends every other session
//! on every app server, and it is younger than the absolute lifetime).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Seller,
    Trainer,
    Staff,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Seller, Role::Trainer, Role::Staff, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Seller => "seller",
            Role::Trainer => "trainer",
            Role::Staff => "staff",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Assign roles and see every account.
    pub fn can_manage_users(self) -> bool {
        self == Role::Admin
    }

    /// Own a business profile and follow the onboarding journey.
    pub fn has_business(self) -> bool {
        self == Role::Seller
    }

    /// Work the verification queue (NIBs and claims).
    pub fn can_verify_businesses(self) -> bool {
        matches!(self, Role::Staff | Role::Admin)
    }

    /// Write and edit courses (their own, those an administrator assigned
    /// them, and for administrators every course).
    pub fn can_teach(self) -> bool {
        matches!(self, Role::Trainer | Role::Admin)
    }
}

/// The signed-in user as the browser sees it: no hash, no session data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Role,
}

/// The signed-in user, if any. Open to everyone: it only ever describes
/// the caller themselves.
#[server(endpoint = "session/me")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    let caller = server::caller().await?;
    Ok(caller.user)
}

#[cfg(feature = "ssr")]
pub mod server {
    use tower_sessions::Session;

    use leptos::prelude::use_context;

    use super::{CurrentUser, Role};
    use crate::error::AppError;
    use crate::shared::audit::{self, Entry};
    use crate::shared::db::now;
    use crate::shared::state::{app_state, AppState, ClientIp};

    /// display name, email, phone, role, session epoch.
    type SessionUserRow = (String, Option<String>, Option<String>, String, i64);

    const KEY_USER: &str = "uid";
    const KEY_EPOCH: &str = "epoch";
    const KEY_AUTH_AT: &str = "auth_at";
    const KEY_SEEN_AT: &str = "seen_at";

    /// Everything a server function needs to decide who is calling.
    pub struct Caller {
        pub user: Option<CurrentUser>,
        /// The client address, for the audit log.
        pub ip: String,
        /// The key for per-client rate limits (IPv6 by /64).
        pub limit_key: String,
        session: Session,
        state: AppState,
    }

    /// The session store is the database: when it fails, the database is
    /// almost always briefly unreachable (503, "try again").
    fn session_error(err: impl std::fmt::Display) -> AppError {
        tracing::warn!(error = %err, "session store error");
        AppError::Unavailable
    }

    /// Establishes who is calling. Call it first in every server function.
    pub async fn caller() -> Result<Caller, AppError> {
        let state = app_state()?;
        let session: Session = leptos_axum::extract().await.map_err(session_error)?;
        let (ip, limit_key) = match use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<ClientIp>().cloned())
        {
            Some(c) => (c.addr, c.limit_key),
            None => ("unknown".into(), "unknown".into()),
        };
        let user = load_user(&state, &session).await?;
        Ok(Caller {
            user,
            ip,
            limit_key,
            session,
            state,
        })
    }

    /// The signed-in user for a page request, resolved by a middleware
    /// before rendering and read by the layout from the request.
    #[derive(Debug, Clone)]
    pub struct PageUser(pub Result<Option<CurrentUser>, AppError>);

    /// Resolves [`PageUser`] for a page request.
    pub async fn resolve_page_user(state: &AppState, session: &Session) -> PageUser {
        PageUser(load_user(state, session).await)
    }

    async fn load_user(
        state: &AppState,
        session: &Session,
    ) -> Result<Option<CurrentUser>, AppError> {
        let Some(id) = session.get::<i64>(KEY_USER).await.map_err(session_error)? else {
            return Ok(None);
        };
        let epoch = session.get::<i64>(KEY_EPOCH).await.map_err(session_error)?;
        let auth_at = session
            .get::<i64>(KEY_AUTH_AT)
            .await
            .map_err(session_error)?;
        let row: Option<SessionUserRow> = sqlx::query_as(
            r#"select display_name, email, phone, role, session_epoch from users
               where id = $1 and deleted_at is null"#,
        )
        .bind(id)
        .fetch_optional(&state.db.pool)
        .await?;
        let expired = auth_at.is_none_or(|at| now() - at > state.auth.absolute_lifetime_secs);
        match row {
            Some((display_name, email, phone, role, current_epoch))
                if Some(current_epoch) == epoch && !expired =>
            {
                // The column's check constraint lists the roles; a row with
                // another one is refused, never read as a seller.
                let Some(role) = Role::parse(&role) else {
                    tracing::error!(user = id, role, "unknown role in the database");
                    return Err(AppError::Internal);
                };
                // Activity keeps the session alive: the store's expiry and
                // the cookie's Max-Age move on when the session is saved,
                // which a changed value causes, at most once a minute
                // (`activity_refresh_secs`), not on every request.
                let seen = session
                    .get::<i64>(KEY_SEEN_AT)
                    .await
                    .map_err(session_error)?;
                let at = now();
                if seen.is_none_or(|s| at - s >= state.auth.activity_refresh_secs) {
                    session
                        .insert(KEY_SEEN_AT, at)
                        .await
                        .map_err(session_error)?;
                }
                Ok(Some(CurrentUser {
                    id,
                    display_name,
                    email,
                    phone,
                    role,
                }))
            }
            _ => {
                // Ended elsewhere, expired, or the account is gone.
                session.flush().await.map_err(session_error)?;
                Ok(None)
            }
        }
    }

    impl Caller {
        /// The server's shared state (database, settings, secret).
        pub fn state(&self) -> &AppState {
            &self.state
        }

        /// The signed-in user, or 401.
        pub fn require_user(&self) -> Result<&CurrentUser, AppError> {
            self.user.as_ref().ok_or(AppError::Unauthenticated)
        }

        /// The signed-in user if their role passes `allowed`; otherwise 401
        /// (anonymous) or 403 with an audit entry naming what was attempted.
        pub async fn require(
            &self,
            allowed: fn(Role) -> bool,
            what: &str,
        ) -> Result<&CurrentUser, AppError> {
            let user = self.require_user()?;
            if allowed(user.role) {
                return Ok(user);
            }
            // One entry per user and thing attempted per minute: a user
            // reloading a forbidden page cannot grow the log without bound.
            let minute = now() / 60;
            audit::record_once(
                &self.state.db,
                Entry {
                    action: "security.forbidden",
                    actor: Some(user.id),
                    subject: None,
                    ip: &self.ip,
                    detail: what,
                },
                &format!("forbidden:{}:{what}:{minute}", user.id),
            )
            .await;
            tracing::warn!(user = user.id, what, "forbidden call");
            Err(AppError::Forbidden)
        }

        /// Signs `user_id` in on this session: a new session id (so a
        /// planted id is worthless) carrying the account's current epoch.
        pub async fn sign_in(&self, user_id: i64, epoch: i64) -> Result<(), AppError> {
            self.session.cycle_id().await.map_err(session_error)?;
            self.session
                .insert(KEY_USER, user_id)
                .await
                .map_err(session_error)?;
            self.session
                .insert(KEY_EPOCH, epoch)
                .await
                .map_err(session_error)?;
            self.session
                .insert(KEY_AUTH_AT, now())
                .await
                .map_err(session_error)?;
            self.session
                .insert(KEY_SEEN_AT, now())
                .await
                .map_err(session_error)?;
            Ok(())
        }

        /// Keeps this session valid after the account's epoch moved on
        /// (password change): the new epoch and a fresh session id.
        pub async fn refresh_epoch(&self, epoch: i64) -> Result<(), AppError> {
            self.session.cycle_id().await.map_err(session_error)?;
            self.session
                .insert(KEY_EPOCH, epoch)
                .await
                .map_err(session_error)?;
            Ok(())
        }

        /// Ends this session: its data is deleted from the store.
        pub async fn sign_out(&self) -> Result<(), AppError> {
            self.session.flush().await.map_err(session_error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_are_typed_and_an_unknown_one_is_refused() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for unknown in ["", "Seller", "superuser", "admin "] {
            assert_eq!(Role::parse(unknown), None, "{unknown:?}");
        }
        // What each role may do.
        assert!(Role::Seller.has_business() && !Role::Trainer.has_business());
        assert!(Role::Trainer.can_teach() && Role::Admin.can_teach() && !Role::Seller.can_teach());
        assert!(!Role::Staff.can_teach() && Role::Staff.can_verify_businesses());
        assert!(Role::Admin.can_manage_users() && !Role::Staff.can_manage_users());
    }
}
