//! Integration tests: the real server on port 0, a fresh database per test
//! (a SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is
//! set), driven over HTTP like a browser or an API client would.

mod accounts;
mod courses;
mod hardening;
mod helpers;
mod listings;
mod messages;
mod profile;
mod reports;
mod security;
mod speed;
mod verification;
mod workshops;
