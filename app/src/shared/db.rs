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
