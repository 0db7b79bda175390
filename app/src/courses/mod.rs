//! Training: courses (course → modules → lessons, an optional quiz per
//! module), the public catalogue, enrolment and progress, quizzes graded
//! on the server, and certificates anyone can verify. The starter
//! curriculum ships in `app/data/curriculum` and is loaded by
//! `server seed-curriculum` ([`curriculum`]). Trainers write courses
//! ([`teach`]) and follow their learners ([`report`]).

pub mod api;
#[cfg(feature = "ssr")]
pub mod curriculum;
#[cfg(feature = "ssr")]
pub mod data;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod images;
#[cfg(feature = "ssr")]
pub mod markdown;
pub mod pages;
pub mod report;
pub mod report_page;
#[cfg(feature = "ssr")]
pub mod report_server;
#[cfg(feature = "ssr")]
pub mod server;
pub mod teach;
pub mod teach_pages;
#[cfg(feature = "ssr")]
pub mod teach_server;
