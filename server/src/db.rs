//! Opening the database: one `AnyPool` for domain SQL, and a concrete pool
//! of the same engine for the session store and migrations (the session
//! store and the migrator need concrete drivers).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use app::shared::db::{Db, Engine};
use sqlx::any::AnyPoolOptions;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Executor;

use crate::config::Config;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The concrete pool, for sessions and migrations.
#[derive(Clone)]
pub enum Native {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub struct Databases {
    pub db: Db,
    pub native: Native,
}

fn sqlite_options(config: &Config) -> anyhow::Result<SqliteConnectOptions> {
    if let Some(path) = config.sqlite_path() {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not create the folder {}", dir.display()))?;
        }
    }
    Ok(SqliteConnectOptions::from_str(&config.database_url)
        .with_context(|| {
            format!(
                "DATABASE_URL is not a valid SQLite URL ({})",
                config.context_hint()
            )
        })?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT))
}

/// Connects both pools. SQLite: the file and its folder are created, WAL
/// journal, foreign keys on, a busy timeout (also set on every `Any`
/// connection, since pragmas are per connection).
pub async fn connect(config: &Config) -> anyhow::Result<Databases> {
    sqlx::any::install_default_drivers();
    let acquire = Duration::from_secs(config.db_acquire_timeout_secs);
    if config.is_postgres() {
        let native = PgPoolOptions::new()
            .max_connections(5)
            .acquire_timeout(acquire)
            .connect(&config.database_url)
            .await
            .with_context(|| format!("could not connect to the {}", config.context_hint()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(20)
            .acquire_timeout(acquire)
            .connect(&config.database_url)
            .await
            .with_context(|| format!("could not connect to the {}", config.context_hint()))?;
        return Ok(Databases {
            db: Db {
                pool,
                engine: Engine::Postgres,
            },
            native: Native::Postgres(native),
        });
    }
    // The native pool first: it creates the file and switches it to WAL.
    let native = SqlitePoolOptions::new()
        .max_connections(4)
        .acquire_timeout(acquire)
        .connect_with(sqlite_options(config)?)
        .await
        .with_context(|| format!("could not open the {}", config.context_hint()))?;
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(acquire)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("pragma foreign_keys = on; pragma busy_timeout = 5000;")
                    .await?;
                Ok(())
            })
        })
        .connect(&config.database_url)
        .await
        .with_context(|| format!("could not open the {}", config.context_hint()))?;
    Ok(Databases {
        db: Db {
            pool,
            engine: Engine::Sqlite,
        },
        native: Native::Sqlite(native),
    })
}

/// Runs the engine's migrations and the session store's own.
pub async fn migrate(native: &Native) -> anyhow::Result<()> {
    match native {
        Native::Sqlite(pool) => {
            SQLITE_MIGRATIONS
                .run(pool)
                .await
                .context("SQLite migrations failed")?;
            tower_sessions_sqlx_store::SqliteStore::new(pool.clone())
                .migrate()
                .await
                .context("session store migration failed")?;
        }
        Native::Postgres(pool) => {
            POSTGRES_MIGRATIONS
                .run(pool)
                .await
                .context("PostgreSQL migrations failed")?;
            tower_sessions_sqlx_store::PostgresStore::new(pool.clone())
                .migrate()
                .await
                .context("session store migration failed")?;
        }
    }
    Ok(())
}

/// Whether the database answers, for `/readyz`.
pub async fn ping(db: &Db) -> bool {
    sqlx::query("select 1").execute(&db.pool).await.is_ok()
}
