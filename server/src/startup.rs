//! Building the application: database, migrations, state, router and
//! middleware. `Application::build` binds the listener first, so tests can
//! start the real server on port 0 and learn its address.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use app::shared::db::Db;
use app::shared::outbound::{Transport, Transports, Worker, WorkerSettings};
use app::shared::password::Hasher;
use app::shared::state::{AppState, AuthSettings};
use app::{shell, App};
use axum::http::{header, HeaderValue, StatusCode};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::config::Config;
use crate::db::{self, Native};
use crate::middleware;

/// The policy for everything that is not a rendered page (those carry a
/// nonce'd policy of their own, set while rendering).
const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
pub const SESSION_COOKIE: &str = "nk_session";

pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    base_url: String,
    db: Db,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let databases = db::connect(&config).await?;
        db::migrate(&databases.native).await?;
        let listener = TcpListener::bind(config.listen_addr)
            .await
            .with_context(|| format!("could not listen on LISTEN_ADDR={}", config.listen_addr))?;
        let addr = listener.local_addr()?;
        let base_url = config
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let secure = config
            .cookie_secure
            .unwrap_or_else(|| base_url.starts_with("https://"));

        refuse_exposed_demo_accounts(&config, &databases.db, &base_url).await?;
        let secret = resolve_secret(&config)?;

        let state = AppState {
            db: databases.db.clone(),
            auth: AuthSettings {
                absolute_lifetime_secs: config.session_max_hours * 3600,
                ..config.limits.clone()
            },
            hasher: Hasher::bounded(
                config.hash_concurrency,
                std::time::Duration::from_secs(config.hash_queue_secs),
            ),
            secret,
            cookie_secure: secure,
            base_url: base_url.clone(),
            costs: config.costs.clone(),
            media: app::shared::media::open(&config.media_store)?,
            policy: Default::default(),
        };
        spawn_limit_cleanup(databases.db.clone(), config.limits.window_secs);
        spawn_message_workers(&config, &databases.db)?;
        Hasher::warm_up();

        let assets = Assets::beside_binary();
        app::set_stylesheet_href(assets.stylesheet_href());
        let leptos_options = LeptosOptions::builder()
            .output_name("naik_kelas")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir("pkg")
            .site_addr(addr)
            .hash_files(assets.hashed())
            .build();
        let pkg = pkg_service(&config.site_root.join("pkg"), assets.hashed());
        let routes = generate_route_list(App);
        let context = {
            let state = state.clone();
            move || provide_context(state.clone())
        };
        let ready_db = databases.db.clone();
        let router = Router::new()
            .route("/healthz", get(|| async { "ok" }))
            .route(
                "/readyz",
                get(move || {
                    let db = ready_db.clone();
                    async move {
                        if db::ping(&db).await {
                            (StatusCode::OK, "ready")
                        } else {
                            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
                        }
                    }
                }),
            )
            .route(
                crate::data_export::PATH,
                get({
                    let state = state.clone();
                    move |req: axum::extract::Request| {
                        crate::data_export::download(state.clone(), req)
                    }
                }),
            )
            .route(
                crate::report_export::PATH,
                get({
                    let state = state.clone();
                    move |path: axum::extract::Path<String>,
                          query: axum::extract::Query<app::courses::report::ReportFilter>,
                          req: axum::extract::Request| {
                        crate::report_export::download(state.clone(), path, query, req)
                    }
                }),
            )
            .route(
                "/media/{key}",
                get({
                    let state = state.clone();
                    move |axum::extract::Path(key): axum::extract::Path<String>| {
                        crate::media::serve(state.clone(), key)
                    }
                }),
            )
            .nest_service("/pkg", pkg)
            .leptos_routes_with_context(&leptos_options, routes, context.clone(), {
                let options = leptos_options.clone();
                move || shell(options.clone())
            })
            .fallback(leptos_axum::file_and_error_handler_with_context(
                context, shell,
            ))
            .with_state(leptos_options)
            .layer(axum::middleware::from_fn(middleware::server_fn_status))
            .layer(axum::middleware::from_fn(middleware::api_headers))
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::page_user,
            ))
            .layer(axum::middleware::from_fn_with_state(
                (crate::page_cache::PageCache::default(), SESSION_COOKIE),
                crate::page_cache::middleware,
            ));

        let expiry = Expiry::OnInactivity(time::Duration::minutes(config.session_idle_minutes));
        let router = match databases.native {
            Native::Sqlite(pool) => {
                let store = SqliteStore::new(pool);
                spawn_expired_deletion(store.clone());
                router.layer(
                    SessionManagerLayer::new(store)
                        .with_name(SESSION_COOKIE)
                        .with_secure(secure)
                        .with_http_only(true)
                        .with_same_site(SameSite::Lax)
                        .with_expiry(expiry),
                )
            }
            Native::Postgres(pool) => {
                let store = PostgresStore::new(pool);
                spawn_expired_deletion(store.clone());
                router.layer(
                    SessionManagerLayer::new(store)
                        .with_name(SESSION_COOKIE)
                        .with_secure(secure)
                        .with_http_only(true)
                        .with_same_site(SameSite::Lax)
                        .with_expiry(expiry),
                )
            }
        };

        // A flood guard in memory per app server: each client address may
        // send `post_burst` state-changing requests at once, then 10 a
        // second. The login and registration limits that must hold across
        // servers are in the database (accounts::server).
        let governor = Arc::new(
            tower_governor::governor::GovernorConfigBuilder::default()
                .key_extractor(middleware::ClientIpKey)
                .per_millisecond(100)
                .burst_size(config.post_burst)
                .methods(vec![axum::http::Method::POST])
                .finish()
                .context("invalid POST_BURST")?,
        );
        let limiter = governor.limiter().clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                limiter.retain_recent();
            }
        });

        let base: Arc<str> = Arc::from(base_url.as_str());
        let router = router
            .layer(tower_governor::GovernorLayer::new(governor))
            .layer(CompressionLayer::new())
            .layer(axum::middleware::from_fn_with_state(
                middleware::BodyLimits {
                    default: config.max_body_bytes,
                    upload_path: app::courses::teach::UploadImage::PATH,
                    upload: config.media_max_bytes,
                },
                middleware::body_limit,
            ))
            .layer(axum::middleware::from_fn_with_state(
                base,
                middleware::cross_site_guard,
            ))
            // The public API for marketplaces' servers: outside the session
            // layer and the cross-site guard (see api_v1).
            .nest(
                "/api/v1",
                crate::api_v1::router(state.clone(), config.api_rate_per_second, config.api_burst)?,
            )
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DEFAULT_CSP),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
            ))
            .layer(axum::middleware::from_fn_with_state(
                base_url.starts_with("https://"),
                middleware::hsts,
            ))
            .layer(axum::middleware::from_fn(middleware::request_log))
            .layer(axum::middleware::from_fn_with_state(
                Arc::<[ipnet::IpNet]>::from(config.trusted_proxies.clone()),
                middleware::client_ip,
            ));

        Ok(Self {
            listener,
            router,
            addr,
            base_url,
            db: databases.db,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Serves until `shutdown` resolves, then finishes requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // TCP_NODELAY: otherwise headers and a streamed body go out in
        // separate writes and every static file on a kept-alive connection
        // waits ~40 ms for the client's delayed ACK.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(err) = tcp.set_nodelay(true) {
                tracing::debug!(error = %err, "could not set TCP_NODELAY");
            }
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
    }
}

/// The content hashes `cargo leptos build` (with `hash-files`) wrote to
/// `hash.txt` beside the server binary: `css: …`, `js: …`, `wasm: …`.
#[derive(Debug, Default)]
struct Assets {
    css: Option<String>,
    hashed: bool,
}

impl Assets {
    fn beside_binary() -> Assets {
        let path = std::env::current_exe()
            .ok()
            .and_then(|p| p.parent().map(|d| d.join("hash.txt")));
        let Some(text) = path.and_then(|p| std::fs::read_to_string(p).ok()) else {
            return Assets::default();
        };
        let css = text.lines().find_map(|line| {
            let (file, hash) = line.split_once(':')?;
            (file.trim() == "css").then(|| hash.trim().to_string())
        });
        Assets { css, hashed: true }
    }

    fn hashed(&self) -> bool {
        self.hashed
    }

    fn stylesheet_href(&self) -> String {
        match &self.css {
            Some(hash) => format!("/pkg/naik_kelas.{hash}.css"),
            None => "/pkg/naik_kelas.css".to_string(),
        }
    }
}

/// `/pkg`: the wasm, JS and CSS. Brotli or gzip files precompressed at
/// build time (`cargo leptos build --release --precompress`) are sent when
/// the browser accepts them. Hashed names never change content, so they
/// are cached for a year (`immutable`); unhashed ones are revalidated.
fn pkg_service(dir: &std::path::Path, hashed: bool) -> Router {
    let cache = if hashed {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    };
    let files = tower_http::services::ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .fallback_service(files)
        .layer(axum::middleware::map_response(
            move |mut res: axum::response::Response| {
                let cache = cache.clone();
                async move {
                    if res.status().is_success() {
                        res.headers_mut().insert(header::CACHE_CONTROL, cache);
                    }
                    res
                }
            },
        ))
}

/// Deletes rate-limit counters of past windows every few minutes, so
/// one-off keys (every identifier ever typed) never pile up.
fn spawn_limit_cleanup(db: Db, window_secs: i64) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(300)).await;
            if let Err(err) = app::shared::limits::purge(&db, window_secs).await {
                tracing::warn!(error = %err, "rate-limit cleanup failed");
            }
        }
    });
}

fn transport(config: &crate::config::MessageTransport) -> anyhow::Result<Transport> {
    use crate::config::MessageTransport as M;
    let timeout = std::time::Duration::from_secs(10);
    match config {
        M::Outbox => Ok(Transport::Outbox),
        M::Http { url, token } => Transport::http(url, token, timeout)
            .map_err(|e| anyhow::anyhow!("could not set up the message gateway client: {e}")),
        M::Smtp { url, from } => {
            Transport::smtp(url, from, timeout).map_err(|e| anyhow::anyhow!("{e}"))
        }
    }
}

/// The background senders of queued messages (`MESSAGE_WORKERS`).
fn spawn_message_workers(config: &Config, db: &Db) -> anyhow::Result<()> {
    let transports = Transports {
        email: transport(&config.email_transport)?,
        sms: transport(&config.sms_transport)?,
    };
    for _ in 0..config.message_workers {
        Worker {
            db: db.clone(),
            transports: transports.clone(),
            settings: WorkerSettings::default(),
        }
        .spawn();
    }
    Ok(())
}

/// Whether `base_url` is a plain-http loopback origin (this machine only).
pub fn is_loopback_http(base_url: &str) -> bool {
    let Some(rest) = base_url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Demo accounts have passwords that were printed on a terminal: never
/// serve them beyond this machine unless told to.
async fn refuse_exposed_demo_accounts(
    config: &Config,
    db: &Db,
    base_url: &str,
) -> anyhow::Result<()> {
    if config.allow_demo_accounts || is_loopback_http(base_url) {
        return Ok(());
    }
    let (demo,): (i64,) = sqlx::query_as("select count(*) from users where demo = 1")
        .fetch_one(&db.pool)
        .await
        .context("could not count demo accounts")?;
    if demo > 0 {
        anyhow::bail!(
            "refusing to serve {base_url}: the database has {demo} demo accounts (from `server seed-demo`), \
             whose passwords were printed on a terminal. Use a fresh database and create the first \
             administrator with `server create-admin`, or set ALLOW_DEMO_ACCOUNTS=true for a try-out \
             that is meant to be reachable."
        );
    }
    Ok(())
}

/// `SECRET_KEY` from the environment; on SQLite without it, the key in
/// `secret.key` beside the database file (generated there once, readable
/// by the owner only). PostgreSQL needs it set: several app servers must
/// agree on it.
fn resolve_secret(config: &Config) -> anyhow::Result<app::shared::secret::SecretKey> {
    use app::shared::secret::SecretKey;
    if let Some(key) = &config.secret_key {
        return Ok(key.clone());
    }
    if config.is_postgres() {
        anyhow::bail!(
            "SECRET_KEY is required with PostgreSQL, and every app server sharing the database \
             needs the same one: generate it once with `openssl rand -hex 32`"
        );
    }
    let Some(db_path) = config.sqlite_path() else {
        // An in-memory database lives as long as the process: so may the key.
        return Ok(SecretKey::generate());
    };
    let path = db_path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .join("secret.key");
    match std::fs::read_to_string(&path) {
        Ok(text) => SecretKey::parse(&text)
            .with_context(|| format!("{} does not hold a valid key", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            write_private(&path, &SecretKey::generate().to_hex())
                .with_context(|| format!("could not write {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated SECRET_KEY");
            // Read back: another process may have written it first.
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("could not read {}", path.display()))?;
            SecretKey::parse(&text)
                .with_context(|| format!("{} does not hold a valid key", path.display()))
        }
        Err(err) => Err(err).with_context(|| format!("could not read {}", path.display())),
    }
}

fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = match options.open(path) {
        Ok(f) => f,
        // Another process made it first: use theirs.
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => return Ok(()),
        Err(err) => return Err(err),
    };
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

fn spawn_expired_deletion<S>(store: S)
where
    S: tower_sessions::ExpiredDeletion + Clone + Send + Sync + 'static,
{
    tokio::spawn(async move {
        if let Err(err) = store
            .continuously_delete_expired(tokio::time::Duration::from_secs(600))
            .await
        {
            tracing::error!(error = %err, "expired-session cleanup stopped");
        }
    });
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
