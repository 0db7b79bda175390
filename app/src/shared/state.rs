//! What every server function can reach through the Leptos context.

use super::db::Db;
use super::password::Hasher;

/// Session and login-limit settings, from the server's configuration.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// A session older than this (since sign-in) ends, active or not.
    pub absolute_lifetime_secs: i64,
    /// Failed logins per account within the window before it is refused.
    pub max_failures_per_account: i64,
    /// Failed logins per client address within the window.
    pub max_failures_per_ip: i64,
    /// Registrations per client address within the window.
    pub max_registrations_per_ip: i64,
    /// The window, in seconds.
    pub window_secs: i64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            absolute_lifetime_secs: 24 * 3600,
            max_failures_per_account: 5,
            // Generous per address: Indonesian mobile carriers put many
            // users behind one address (carrier-grade NAT).
            max_failures_per_ip: 100,
            max_registrations_per_ip: 50,
            window_secs: 15 * 60,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub auth: AuthSettings,
    pub hasher: Hasher,
}

/// The client's address as the server decided it (peer address, or the
/// proxy's `X-Forwarded-For` when configured to trust it). Set by a
/// middleware on every request.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The state from context. Missing state is a wiring bug, answered as an
/// internal error rather than a panic.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}
