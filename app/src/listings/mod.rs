//! Listings and the server-side policy check: sellers create, edit and
//! withdraw product listings; every save is checked against the rule set
//! in force by the pure engine in [`policy`] (which also runs in the
//! browser for instant feedback) and its decision appended with a
//! snapshot. The public JSON API for marketplaces is in the server binary
//! (`server/src/api_v1.rs`) and calls the same engine.

pub mod api;
#[cfg(feature = "ssr")]
pub mod data;
pub mod instant;
pub mod pages;
pub mod policy;
#[cfg(feature = "ssr")]
pub mod server;
