//! The business (MSME) profile, NIB verification and the onboarding
//! journey. A business is its own record (`businesses`), with at most one
//! owner account; registry businesses without an owner are claimed by NIB
//! and joined when staff confirm.

pub mod api;
#[cfg(feature = "ssr")]
pub mod data;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod journey;
pub mod kbli;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
