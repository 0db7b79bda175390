//! The database handle every feature's queries take.
//!
//! Domain SQL is written once, in plain lowercase SQL with `$n` placeholders,
//! and runs through `sqlx::Any` on SQLite and PostgreSQL alike. That limits
//! column types to what `Any` decodes: integers (ids, unix-second
//! timestamps, booleans as 0/1, money as integer minor units), real, text and
//! bytes. Where the engines truly differ, a query may branch on [`Engine`].

use sqlx::AnyPool;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("engine", &self.engine).finish()
    }
}

impl Db {
    /// Begins a transaction for a read-then-write decision ("is there
    /// another administrator left?", "is a seat still free?"). A plain
    /// transaction does not make such decisions safe: under PostgreSQL's
    /// read-committed isolation two of them can both read the old state
    /// (write skew), and a deferred SQLite transaction that reads and then
    /// writes fails with SQLITE_BUSY_SNAPSHOT, which the busy timeout does
    /// not retry. So on SQLite this takes the write lock at once
    /// (`begin immediate`: writers queue behind each other under the busy
    /// timeout), and on PostgreSQL every row the decision reads must be
    /// read with [`Db::for_update`] appended to the query.
    /// Keep such transactions short: never hash a password inside one.
    pub async fn begin_locked(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("begin immediate").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }

    /// `" for update"` on PostgreSQL (row locks held to the end of the
    /// transaction), nothing on SQLite (the whole database is already
    /// locked by [`Db::begin_locked`]).
    pub fn for_update(&self) -> &'static str {
        match self.engine {
            Engine::Sqlite => "",
            Engine::Postgres => " for update",
        }
    }
}

/// Whether a database error means "the database is briefly unreachable or
/// overloaded" (answered 503 with `Retry-After`) rather than a bug.
pub fn is_unavailable(err: &sqlx::Error) -> bool {
    use sqlx::Error as E;
    match err {
        E::PoolTimedOut | E::PoolClosed | E::Io(_) | E::Tls(_) | E::WorkerCrashed => true,
        E::Protocol(_) => true,
        E::Database(db) => {
            let code = db.code().unwrap_or_default();
            // PostgreSQL: connection exceptions (08…), shutting down or
            // not yet accepting connections (57P01–57P03), too many
            // connections (53300), a deadlock or serialisation failure
            // (40P01, 40001: try again). SQLite: busy or locked past the
            // busy timeout (5, 6 and their extended codes).
            code.starts_with("08")
                || code.starts_with("57P0")
                || matches!(code.as_ref(), "53300" | "40P01" | "40001")
                || matches!(code.parse::<i32>().map(|c| c & 0xff), Ok(5) | Ok(6))
        }
        _ => false,
    }
}

/// Whether the error is a unique-key violation (a duplicate, or the loser
/// of two simultaneous inserts of the same key).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

/// For `map_err`: a unique-key violation becomes a field error (`code` on
/// `field`, a 422 next to the field); anything else stays what it is. The
/// unique key decides, never a check before the write.
pub fn on_unique(
    field: &'static str,
    code: crate::error::FieldCode,
) -> impl FnOnce(sqlx::Error) -> crate::error::AppError {
    move |err| {
        if is_unique_violation(&err) {
            crate::error::AppError::field(field, code)
        } else {
            err.into()
        }
    }
}

/// Current time as unix seconds, the portal's one timestamp representation.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Escapes `%`, `_` and `\` for a `like … escape '\'` pattern.
pub fn like_pattern(needle: &str) -> String {
    let mut out = String::with_capacity(needle.len() + 2);
    out.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}
