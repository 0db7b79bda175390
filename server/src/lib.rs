//! The Naik Kelas server: configuration, start-up, middleware, database
//! pools and the command-line sub-commands. `main.rs` only parses the
//! command line and calls in here, so tests build the same application.

pub mod api_v1;
pub mod cli;
pub mod config;
pub mod data_export;
pub mod db;
pub mod generate;
pub mod media;
pub mod middleware;
pub mod page_cache;
pub mod report_export;
pub mod seed;
pub mod startup;

pub use config::Config;
pub use startup::Application;

/// Structured logs to stderr, filtered by `LOG_LEVEL`: coloured text on a
/// terminal, plain text into a file or pipe, or one JSON object per line
/// (`LOG_FORMAT=json`).
pub fn init_tracing(level: &str, format: config::LogFormat) {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        config::LogFormat::Json => builder.json().try_init(),
        config::LogFormat::Text => builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init(),
    };
}
