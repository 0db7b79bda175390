//! `server [serve|migrate|create-admin|seed-demo]`: see `cli.rs`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // A .env file beside the binary's working directory, if any.
    let _ = dotenvy::dotenv();
    match server::cli::run(std::env::args().skip(1).collect()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
