//! Rate limits that hold under concurrency and across app servers.
//!
//! One counter row per key and fixed window. An attempt is *taken* with a
//! single atomic upsert (`insert … on conflict (key, window_start) do
//! update set n = n + 1 returning n`) before the expensive or sensitive
//! work runs, and judged by the count it returns: of 40 simultaneous
//! attempts against a limit of 5, exactly 5 see `n <= 5`. (Counting rows
//! and inserting afterwards lets every request in flight pass the count.)
//! An attempt that turned out fine (a successful sign-in) can be given
//! back, so it does not use up the allowance.
//!
//! Every statement here runs on its own, never inside a transaction that
//! spans slow work: on SQLite a transaction holding the write lock across
//! an argon2 hash would serialise every other writer behind it.

use super::db::{now, Db};
use crate::error::AppError;

/// At most `max` attempts per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// An attempt that was allowed; [`give_back`] returns it to the allowance.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "an allowed attempt is either kept (counted) or given back"]
pub struct Ticket {
    key: String,
    window_start: i64,
}

impl Ticket {
    /// Keeps the attempt counted (the default when a ticket is dropped).
    pub fn keep(self) {}
}

/// The start of the fixed window `at` falls in.
pub fn window_start(at: i64, window_secs: i64) -> i64 {
    at - at.rem_euclid(window_secs.max(1))
}

/// Whole minutes (at least one) until the window that started at
/// `start` ends.
pub fn minutes_left(start: i64, window_secs: i64, at: i64) -> u32 {
    let wait = (start + window_secs - at).max(0);
    ((wait + 59) / 60).clamp(1, u32::MAX as i64) as u32
}

/// Takes one attempt for `key`. Allowed: a [`Ticket`]. Over the limit:
/// [`AppError::RateLimited`] with the minutes until the window ends.
pub async fn take(db: &Db, key: &str, limit: Limit) -> Result<Ticket, AppError> {
    let at = now();
    let start = window_start(at, limit.window_secs);
    let (n,): (i64,) = sqlx::query_as(
        r#"insert into rate_counters (key, window_start, n) values ($1, $2, 1)
           on conflict (key, window_start) do update set n = rate_counters.n + 1
           returning n"#,
    )
    .bind(key)
    .bind(start)
    .fetch_one(&db.pool)
    .await?;
    if n > limit.max {
        return Err(AppError::RateLimited {
            minutes: minutes_left(start, limit.window_secs, at),
        });
    }
    Ok(Ticket {
        key: key.to_string(),
        window_start: start,
    })
}

/// Returns an allowed attempt to the allowance (it turned out fine).
pub async fn give_back(db: &Db, ticket: Ticket) -> Result<(), AppError> {
    sqlx::query(
        r#"update rate_counters set n = n - 1
           where key = $1 and window_start = $2 and n > 0"#,
    )
    .bind(&ticket.key)
    .bind(ticket.window_start)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Deletes counters whose window ended more than `keep_secs` ago. The
/// server runs it periodically, so one-off keys never pile up.
pub async fn purge(db: &Db, keep_secs: i64) -> Result<u64, AppError> {
    let done = sqlx::query(r#"delete from rate_counters where window_start < $1"#)
        .bind(now() - keep_secs)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_minutes() {
        assert_eq!(window_start(1000, 900), 900);
        assert_eq!(window_start(900, 900), 900);
        assert_eq!(minutes_left(900, 900, 900), 15);
        assert_eq!(minutes_left(900, 900, 1790), 1);
        assert_eq!(minutes_left(900, 900, 1799), 1);
        assert_eq!(minutes_left(900, 900, 5000), 1);
    }
}
