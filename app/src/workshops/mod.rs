//! Workshops (bimtek): scheduled sessions of a course, online or at a
//! venue in its own time zone, with capacity, a registration deadline, a
//! waiting list that promotes in order, and attendance, which can complete
//! a module of the course (issue 15; the trainers' reports are in
//! `courses::report`).

pub mod api;
#[cfg(feature = "ssr")]
pub mod data;
pub mod domain;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;
#[cfg(feature = "ssr")]
pub mod teach;
