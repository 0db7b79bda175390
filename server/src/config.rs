//! Configuration from environment variables, with defaults that run out of
//! the box, validated at start-up with a message naming the variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use app::shared::secret::SecretKey;
use ipnet::IpNet;

/// How one channel's messages leave the portal.
#[derive(Clone, PartialEq, Eq)]
pub enum MessageTransport {
    /// Kept in the table and printed in the log (try-out and tests).
    Outbox,
    /// The generic JSON gateway.
    Http { url: String, token: String },
    /// Email over SMTP.
    Smtp { url: String, from: String },
}

impl std::fmt::Debug for MessageTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MessageTransport::Outbox => f.write_str("Outbox"),
            MessageTransport::Http { url, .. } => f
                .debug_struct("Http")
                .field("url", url)
                .finish_non_exhaustive(),
            MessageTransport::Smtp { url, from } => f
                .debug_struct("Smtp")
                .field("url", &redact_url(url))
                .field("from", from)
                .finish(),
        }
    }
}

fn gateway_from_env(name: &str) -> anyhow::Result<MessageTransport> {
    let url = var("MESSAGE_GATEWAY_URL")
        .with_context(|| format!("{name}=http needs MESSAGE_GATEWAY_URL"))?;
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        bail!("MESSAGE_GATEWAY_URL must be an http(s):// URL");
    }
    let token = var("MESSAGE_GATEWAY_TOKEN")
        .with_context(|| format!("{name}=http needs MESSAGE_GATEWAY_TOKEN"))?;
    Ok(MessageTransport::Http { url, token })
}

/// `EMAIL_TRANSPORT` (outbox, smtp or http) and `SMS_TRANSPORT` (outbox or
/// http); `MESSAGE_TRANSPORT` (outbox or http) is the default of both.
fn transports_from_env() -> anyhow::Result<(MessageTransport, MessageTransport)> {
    let choice = |name: &str| var(name).map(|v| v.trim().to_ascii_lowercase());
    let default = choice("MESSAGE_TRANSPORT").unwrap_or_else(|| "outbox".into());
    let pick = |name: &str, allowed: &[&str]| -> anyhow::Result<MessageTransport> {
        let value = choice(name).unwrap_or_else(|| default.clone());
        if !allowed.contains(&value.as_str()) {
            bail!(
                "{name}={value:?} is not valid: expected {}",
                allowed.join(", ")
            );
        }
        match value.as_str() {
            "outbox" => Ok(MessageTransport::Outbox),
            "http" => gateway_from_env(name),
            _ => {
                let url = var("SMTP_URL").context(
                    "EMAIL_TRANSPORT=smtp needs SMTP_URL (smtps://user:password@host:465 or smtp://host:587?tls=required)",
                )?;
                if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                    bail!("SMTP_URL must start with smtp:// or smtps://");
                }
                let from = var("MAIL_FROM").context(
                    "EMAIL_TRANSPORT=smtp needs MAIL_FROM (for example: Naik Kelas <noreply@naikkelas.example.id>)",
                )?;
                Ok(MessageTransport::Smtp { url, from })
            }
        }
    };
    if !["outbox", "http"].contains(&default.as_str()) {
        bail!("MESSAGE_TRANSPORT={default:?} is not valid: expected outbox or http");
    }
    Ok((
        pick("EMAIL_TRANSPORT", &["outbox", "smtp", "http"])?,
        pick("SMS_TRANSPORT", &["outbox", "http"])?,
    ))
}

fn costs_from_env() -> anyhow::Result<app::shared::outbound::Costs> {
    let d = app::shared::outbound::Costs::default();
    let mut costs = d.clone();
    costs.per_destination.max = parse_var(
        "MESSAGES_PER_DESTINATION_PER_HOUR",
        d.per_destination.max,
        "a number",
    )?;
    costs.per_client.max = parse_var("MESSAGES_PER_CLIENT_PER_HOUR", d.per_client.max, "a number")?;
    costs.email_per_day = parse_var("EMAILS_PER_DAY", d.email_per_day, "a number")?;
    costs.sms_per_day = parse_var("SMS_PER_DAY", d.sms_per_day, "a number")?;
    if let Some(text) = var("SMS_ALLOWED_PREFIXES") {
        costs.sms_prefixes = text
            .split(',')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        if costs
            .sms_prefixes
            .iter()
            .any(|p| !p.starts_with('+') || !p[1..].bytes().all(|b| b.is_ascii_digit()))
        {
            bail!("SMS_ALLOWED_PREFIXES must list country codes such as +62, comma-separated");
        }
    }
    for (name, value) in [
        (
            "MESSAGES_PER_DESTINATION_PER_HOUR",
            costs.per_destination.max,
        ),
        ("MESSAGES_PER_CLIENT_PER_HOUR", costs.per_client.max),
        ("EMAILS_PER_DAY", costs.email_per_day),
        ("SMS_PER_DAY", costs.sms_per_day),
    ] {
        if value < 1 {
            bail!("{name} must be at least 1");
        }
    }
    Ok(costs)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// `TRUSTED_PROXIES`: `10.0.0.0/8, 192.168.1.10, fd00::/8`.
fn parse_networks(name: &str, text: &str) -> anyhow::Result<Vec<IpNet>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|item| {
            item.parse::<IpNet>()
                .or_else(|_| item.parse::<std::net::IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| {
                    anyhow::anyhow!(
                        "{name}: {item:?} is not a network: expected CIDR such as 10.0.0.0/8 or an address"
                    )
                })
        })
        .collect()
}

#[derive(Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` (default `sqlite://data/naik-kelas.db`)
    /// or `postgres://…`.
    pub database_url: String,
    /// `LISTEN_ADDR` (default `127.0.0.1:3000`; port 0 picks a free port).
    pub listen_addr: SocketAddr,
    /// `BASE_URL`: the public origin, checked against `Origin` on
    /// state-changing requests (default `http://<LISTEN_ADDR>`).
    pub base_url: Option<String>,
    /// `COOKIE_SECURE`: mark cookies `Secure` (default: true when
    /// `BASE_URL` is https).
    pub cookie_secure: Option<bool>,
    /// `LOG_LEVEL`: a tracing filter (default `info`).
    pub log_level: String,
    /// `SITE_ROOT`: where `cargo leptos build` wrote the site (default
    /// `target/site`).
    pub site_root: PathBuf,
    /// `TRUSTED_PROXIES`: networks (CIDR, or single addresses) of the
    /// reverse proxies in front of the portal, comma-separated; empty by
    /// default. `X-Forwarded-For` is believed only as far as they vouch.
    pub trusted_proxies: Vec<IpNet>,
    /// `SECRET_KEY`: at least 32 random bytes, hex or base64. When unset on
    /// SQLite, one is generated once into `secret.key` beside the database
    /// file; required on PostgreSQL, where several app servers must share
    /// it.
    pub secret_key: Option<SecretKey>,
    /// `ALLOW_DEMO_ACCOUNTS`: serve even though demo accounts exist and
    /// `BASE_URL` is not a loopback http:// address (default false).
    pub allow_demo_accounts: bool,
    /// `LOG_FORMAT`: `text` (default; coloured only on a terminal) or
    /// `json` (one object per line, for log shippers).
    pub log_format: LogFormat,
    /// `EMAIL_TRANSPORT`: `outbox` (default: messages stay in the table
    /// and are printed in the log), `smtp` (`SMTP_URL`, `MAIL_FROM`) or
    /// `http` (`MESSAGE_GATEWAY_URL`, `MESSAGE_GATEWAY_TOKEN`).
    pub email_transport: MessageTransport,
    /// `SMS_TRANSPORT`: `outbox` (default) or `http`. `MESSAGE_TRANSPORT`
    /// sets the default of both.
    pub sms_transport: MessageTransport,
    /// `MESSAGES_PER_DESTINATION_PER_HOUR` (5), `MESSAGES_PER_CLIENT_PER_HOUR`
    /// (20), `EMAILS_PER_DAY` (50000), `SMS_PER_DAY` (5000) and
    /// `SMS_ALLOWED_PREFIXES` (+62).
    pub costs: app::shared::outbound::Costs,
    /// `MESSAGE_WORKERS`: background senders on this server (default 1;
    /// 0 sends nothing from this server).
    pub message_workers: usize,
    /// `DB_ACQUIRE_TIMEOUT_SECONDS`: how long a request waits for a
    /// database connection before answering 503 (default 5).
    pub db_acquire_timeout_secs: u64,
    /// `SESSION_IDLE_MINUTES` (default 120).
    pub session_idle_minutes: i64,
    /// `SESSION_MAX_HOURS`: absolute session lifetime (default 24).
    pub session_max_hours: i64,
    /// `MAX_BODY_BYTES`: request body limit (default 65536), everywhere
    /// but the image upload.
    pub max_body_bytes: usize,
    /// `MEDIA_MAX_BYTES`: the image upload's own body limit (default 8 MiB).
    pub media_max_bytes: usize,
    /// `MEDIA_STORE`: where uploads are kept: a folder (default
    /// `data/media`) or `s3://bucket/prefix` (see `app::shared::media`).
    pub media_store: String,
    /// `HASH_CONCURRENCY`: password hashes at once (default: CPUs − 1, at
    /// least 1, so sign-ins always leave a core for pages).
    pub hash_concurrency: usize,
    /// `HASH_QUEUE_SECONDS`: how long a sign-in waits for its turn to hash
    /// before it is answered "busy, try again" (503; default 10).
    pub hash_queue_secs: u64,
    /// `LOGIN_MAX_FAILURES_PER_ACCOUNT` (default 5),
    /// `LOGIN_MAX_FAILURES_PER_IP` (default 100) and
    /// `REGISTRATIONS_PER_IP` (default 50), each per `RATE_WINDOW_MINUTES`
    /// (default 15).
    pub limits: app::shared::state::AuthSettings,
    /// `POST_BURST`: state-changing requests one client address may send
    /// in a burst before being slowed to 10 a second (default 60).
    pub post_burst: u32,
    /// `API_RATE_PER_SECOND` (default 20) and `API_BURST` (default 60): the
    /// public `/api/v1` requests one client address may make, per app
    /// server (each keeps its own count).
    pub api_rate_per_second: u64,
    pub api_burst: u32,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The database URL may carry a password.
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen_addr", &self.listen_addr)
            .field("base_url", &self.base_url)
            .field("cookie_secure", &self.cookie_secure)
            .field("site_root", &self.site_root)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("secret_key", &self.secret_key)
            .finish_non_exhaustive()
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:[redacted]@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:[redacted]{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_var<T: std::str::FromStr>(name: &str, default: T, what: &str) -> anyhow::Result<T> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}={v:?} is not valid: expected {what}")),
    }
}

fn parse_bool(name: &str) -> anyhow::Result<Option<bool>> {
    match var(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if ["1", "true", "yes", "on"].contains(&v.as_str()) => Ok(Some(true)),
        Some(v) if ["0", "false", "no", "off"].contains(&v.as_str()) => Ok(Some(false)),
        Some(v) => bail!("{name}={v:?} is not valid: expected true or false"),
    }
}

fn limits_from_env() -> anyhow::Result<app::shared::state::AuthSettings> {
    let d = app::shared::state::AuthSettings::default();
    let limits = app::shared::state::AuthSettings {
        absolute_lifetime_secs: d.absolute_lifetime_secs,
        activity_refresh_secs: d.activity_refresh_secs,
        max_failures_per_account: parse_var(
            "LOGIN_MAX_FAILURES_PER_ACCOUNT",
            d.max_failures_per_account,
            "a number",
        )?,
        max_failures_per_ip: parse_var(
            "LOGIN_MAX_FAILURES_PER_IP",
            d.max_failures_per_ip,
            "a number",
        )?,
        max_registrations_per_ip: parse_var(
            "REGISTRATIONS_PER_IP",
            d.max_registrations_per_ip,
            "a number",
        )?,
        window_secs: parse_var(
            "RATE_WINDOW_MINUTES",
            d.window_secs / 60,
            "a number of minutes",
        )? * 60,
    };
    for (name, value) in [
        (
            "LOGIN_MAX_FAILURES_PER_ACCOUNT",
            limits.max_failures_per_account,
        ),
        ("LOGIN_MAX_FAILURES_PER_IP", limits.max_failures_per_ip),
        ("REGISTRATIONS_PER_IP", limits.max_registrations_per_ip),
        ("RATE_WINDOW_MINUTES", limits.window_secs / 60),
    ] {
        if value < 1 {
            bail!("{name} must be at least 1");
        }
    }
    Ok(limits)
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/naik-kelas.db".to_string());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            bail!(
                "DATABASE_URL={:?} is not valid: expected sqlite://… or postgres://…",
                redact_url(&database_url)
            );
        }
        let listen_addr = parse_var(
            "LISTEN_ADDR",
            SocketAddr::from(([127, 0, 0, 1], 3000)),
            "an address such as 127.0.0.1:3000",
        )?;
        let base_url = var("BASE_URL").map(|u| u.trim_end_matches('/').to_string());
        if let Some(url) = &base_url {
            let host = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            let ok = host.is_some_and(|h| !h.is_empty() && !h.contains('/'));
            if !ok {
                bail!("BASE_URL={url:?} is not valid: expected an origin such as https://naikkelas.example.id");
            }
        }
        let site_root = var("SITE_ROOT")
            .or_else(|| var("LEPTOS_SITE_ROOT"))
            .unwrap_or_else(|| "target/site".into());
        let cpus = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2);
        if var("TRUST_PROXY").is_some() {
            bail!(
                "TRUST_PROXY is no longer supported: list the networks of your reverse proxies in TRUSTED_PROXIES instead (for example TRUSTED_PROXIES=10.0.0.0/8)"
            );
        }
        let trusted_proxies = parse_networks(
            "TRUSTED_PROXIES",
            &var("TRUSTED_PROXIES").unwrap_or_default(),
        )?;
        let secret_key = match var("SECRET_KEY") {
            None => None,
            Some(text) => Some(SecretKey::parse(&text).context(
                "SECRET_KEY is not valid: expected at least 32 random bytes as hex or base64 (generate one with: openssl rand -hex 32)",
            )?),
        };
        let log_format = match var("LOG_FORMAT").map(|v| v.trim().to_ascii_lowercase()) {
            None => LogFormat::Text,
            Some(v) if v == "text" => LogFormat::Text,
            Some(v) if v == "json" => LogFormat::Json,
            Some(v) => bail!("LOG_FORMAT={v:?} is not valid: expected text or json"),
        };
        let (email_transport, sms_transport) = transports_from_env()?;
        let config = Config {
            database_url,
            listen_addr,
            base_url,
            cookie_secure: parse_bool("COOKIE_SECURE")?,
            log_level: var("LOG_LEVEL").unwrap_or_else(|| "info".into()),
            site_root: PathBuf::from(site_root),
            trusted_proxies,
            secret_key,
            allow_demo_accounts: parse_bool("ALLOW_DEMO_ACCOUNTS")?.unwrap_or(false),
            log_format,
            email_transport,
            sms_transport,
            costs: costs_from_env()?,
            message_workers: parse_var("MESSAGE_WORKERS", 1, "a number")?,
            db_acquire_timeout_secs: parse_var(
                "DB_ACQUIRE_TIMEOUT_SECONDS",
                5,
                "a number of seconds",
            )?,
            session_idle_minutes: parse_var("SESSION_IDLE_MINUTES", 120, "a number of minutes")?,
            session_max_hours: parse_var("SESSION_MAX_HOURS", 24, "a number of hours")?,
            max_body_bytes: parse_var("MAX_BODY_BYTES", 64 * 1024, "a number of bytes")?,
            media_max_bytes: parse_var("MEDIA_MAX_BYTES", 8 * 1024 * 1024, "a number of bytes")?,
            media_store: std::env::var("MEDIA_STORE")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| "data/media".into()),
            hash_concurrency: parse_var(
                "HASH_CONCURRENCY",
                cpus.saturating_sub(1).max(1),
                "a number",
            )?,
            hash_queue_secs: parse_var("HASH_QUEUE_SECONDS", 10, "a number of seconds")?,
            limits: limits_from_env()?,
            post_burst: parse_var("POST_BURST", 60, "a number")?,
            api_rate_per_second: parse_var("API_RATE_PER_SECOND", 20, "a number")?,
            api_burst: parse_var("API_BURST", 60, "a number")?,
        };
        if config.api_rate_per_second < 1 || config.api_burst < 1 {
            bail!("API_RATE_PER_SECOND and API_BURST must be at least 1");
        }
        if config.db_acquire_timeout_secs < 1 {
            bail!("DB_ACQUIRE_TIMEOUT_SECONDS must be at least 1");
        }
        if config.hash_concurrency < 1 || config.hash_queue_secs < 1 {
            bail!("HASH_CONCURRENCY and HASH_QUEUE_SECONDS must be at least 1");
        }
        if config.post_burst < 1 {
            bail!("POST_BURST must be at least 1");
        }
        if config.session_idle_minutes < 1 {
            bail!("SESSION_IDLE_MINUTES must be at least 1");
        }
        if config.session_max_hours < 1 {
            bail!("SESSION_MAX_HOURS must be at least 1");
        }
        if config.max_body_bytes < 1024 {
            bail!("MAX_BODY_BYTES must be at least 1024");
        }
        Ok(config)
    }

    /// Defaults for tests and tools: a given database, any free port.
    pub fn for_database(database_url: &str) -> Self {
        Config {
            database_url: database_url.to_string(),
            listen_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            base_url: None,
            cookie_secure: None,
            log_level: "warn".into(),
            site_root: PathBuf::from("target/site"),
            trusted_proxies: Vec::new(),
            secret_key: Some(SecretKey::generate()),
            allow_demo_accounts: false,
            log_format: LogFormat::Text,
            email_transport: MessageTransport::Outbox,
            sms_transport: MessageTransport::Outbox,
            // Tests send many messages from one address; the limits have
            // tests of their own.
            costs: app::shared::outbound::Costs {
                per_destination: app::shared::limits::Limit {
                    max: 1000,
                    window_secs: 3600,
                },
                per_client: app::shared::limits::Limit {
                    max: 1000,
                    window_secs: 3600,
                },
                ..app::shared::outbound::Costs::default()
            },
            message_workers: 1,
            db_acquire_timeout_secs: 5,
            session_idle_minutes: 120,
            session_max_hours: 24,
            max_body_bytes: 64 * 1024,
            media_max_bytes: 8 * 1024 * 1024,
            media_store: std::env::temp_dir()
                .join("naik-kelas-test-media")
                .to_string_lossy()
                .into_owned(),
            hash_concurrency: 2,
            hash_queue_secs: 10,
            limits: app::shared::state::AuthSettings::default(),
            post_burst: 1000,
            api_rate_per_second: 1000,
            api_burst: 1000,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.starts_with("postgres")
    }

    /// The SQLite file path of a `sqlite://` URL, for creating its folder.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self.database_url.strip_prefix("sqlite:")?;
        let rest = rest.trim_start_matches("//");
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }

    pub fn context_hint(&self) -> String {
        format!("database {}", redact_url(&self.database_url))
    }
}

pub trait ContextExt<T> {
    fn with_db(self, config: &Config) -> anyhow::Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> ContextExt<T> for Result<T, E> {
    fn with_db(self, config: &Config) -> anyhow::Result<T> {
        self.with_context(|| format!("could not open the {}", config.context_hint()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/nk"),
            "postgres://app:[redacted]@db:5432/nk"
        );
        assert_eq!(redact_url("sqlite://data/x.db"), "sqlite://data/x.db");
    }

    #[test]
    fn proxy_networks() {
        let nets = parse_networks("T", "10.0.0.0/8, 192.168.1.10 ,fd00::/8,").unwrap();
        assert_eq!(nets.len(), 3);
        assert!(nets[1].contains(&"192.168.1.10".parse::<std::net::IpAddr>().unwrap()));
        assert!(!nets[1].contains(&"192.168.1.11".parse::<std::net::IpAddr>().unwrap()));
        assert!(parse_networks("T", "10.0.0.0/33").is_err());
        assert!(parse_networks("T", "proxy.internal").is_err());
        assert!(parse_networks("T", "").unwrap().is_empty());
    }

    #[test]
    fn sqlite_paths() {
        let c = Config::for_database("sqlite://data/naik-kelas.db");
        assert_eq!(c.sqlite_path(), Some(PathBuf::from("data/naik-kelas.db")));
        let c = Config::for_database("sqlite:///tmp/x.db?mode=rwc");
        assert_eq!(c.sqlite_path(), Some(PathBuf::from("/tmp/x.db")));
    }
}
