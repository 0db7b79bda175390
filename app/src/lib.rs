//! Naik Kelas: the Leptos application, compiled twice: for the server
//! (`ssr`: pages, server functions, queries) and to wasm (`hydrate`).
//!
//! One folder per feature (`accounts` now; profile, courses, listings and
//! dashboard later), each with its server functions and DTOs (`api`), its
//! server-only queries (`server`), its pure rules (`domain`) and its
//! components (`pages`). Features use the `shared` layer; never the reverse.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
pub mod app;
pub mod checks;
pub mod courses;
#[cfg(feature = "ssr")]
pub mod data_rights;
pub mod error;
pub mod home;
pub mod listings;
pub mod profile;
pub mod shared;
pub mod workshops;

pub use app::{set_stylesheet_href, shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
