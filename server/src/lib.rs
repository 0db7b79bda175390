//! The Naik Kelas server: configuration, start-up, middleware, database
//! pools and the command-line sub-commands. `main.rs` only parses the
//! command line and calls in here, so tests build the same application.

pub mod cli;
pub mod config;
pub mod db;
pub mod middleware;
pub mod seed;
pub mod startup;

pub use config::Config;
pub use startup::Application;

/// Structured logs to stderr, filtered by `LOG_LEVEL`.
pub fn init_tracing(level: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
