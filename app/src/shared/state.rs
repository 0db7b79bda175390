//! What every server function can reach through the Leptos context.

use super::db::Db;
use super::limits::Limit;
use super::password::Hasher;
use super::secret::SecretKey;

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
    /// Activity moves a session's inactivity expiry on at most this often
    /// (one session write per interval, not one per request).
    pub activity_refresh_secs: i64,
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
            activity_refresh_secs: 60,
        }
    }
}

impl AuthSettings {
    pub fn per_account(&self) -> Limit {
        Limit {
            max: self.max_failures_per_account,
            window_secs: self.window_secs,
        }
    }

    pub fn per_ip(&self) -> Limit {
        Limit {
            max: self.max_failures_per_ip,
            window_secs: self.window_secs,
        }
    }

    pub fn registrations(&self) -> Limit {
        Limit {
            max: self.max_registrations_per_ip,
            window_secs: self.window_secs,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub auth: AuthSettings,
    pub hasher: Hasher,
    /// `SECRET_KEY`: signs device cookies (and later tokens).
    pub secret: SecretKey,
    /// Whether cookies the portal sets itself are marked `Secure`.
    pub cookie_secure: bool,
    /// The public origin (`BASE_URL`), for links in messages.
    pub base_url: String,
    /// What sending messages may cost (per destination, client, day).
    pub costs: super::outbound::Costs,
    /// Where uploaded files are kept (`MEDIA_STORE`).
    pub media: super::media::Store,
    /// The listing categories and the parsed rule set in force, kept by
    /// this app server (see `listings::server::PolicyCache`).
    pub policy: std::sync::Arc<crate::listings::server::PolicyCache>,
}

/// The client as the server decided it (the peer, or behind trusted
/// proxies the first untrusted `X-Forwarded-For` entry from the right).
/// Set by a middleware on every request.
#[derive(Debug, Clone)]
pub struct ClientIp {
    /// The address, for the audit log (IPv4-mapped IPv6 shown as IPv4).
    pub addr: String,
    /// The key for per-client limits: the IPv4 address, or the IPv6 /64
    /// (one host owns a whole /64).
    pub limit_key: String,
}

/// The state from context. Missing state is a wiring bug, answered as an
/// internal error rather than a panic.
pub fn app_state() -> Result<AppState, crate::error::AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from context");
        crate::error::AppError::Internal
    })
}
