//! `server [serve|migrate|create-admin|seed-curriculum|seed-demo]`: see `cli.rs`.

/// mimalloc: a profile of page rendering under load spent about 30 % in
/// glibc's malloc and free; rendering allocates many small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
