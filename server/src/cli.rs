//! The sub-commands of the server binary.

use anyhow::{bail, Context};
use app::accounts::domain::{check_password, parse_display_name, Identifier};
use app::shared::password::Hasher;
use app::shared::session::Role;

use crate::config::Config;
use crate::{db, seed, startup, Application};

pub const USAGE: &str = "\
Naik Kelas portal server

usage: server [COMMAND]

commands:
  serve          start the portal (the default)
  migrate        run database migrations and exit
  create-admin   create an administrator account:
                   server create-admin --email ADDRESS [--name NAME]
                   server create-admin --phone 08… [--name NAME]
                 the password is read from NAIK_KELAS_ADMIN_PASSWORD or,
                 if unset, asked for on the terminal (never an argument)
  seed-curriculum
                 load the starter courses that ship with the portal (each
                 once, owned by the portal; edited courses are left alone)
  seed-demo      load the demo accounts with new random passwords (or
                 DEMO_PASSWORD, for tests) and print them
  generate-course
                 make a published course with many learners at every
                 stage, for the trainers' report benchmark:
                   server generate-course [--learners 100000] [--modules 20]
                     [--slug generated-course] [--owner TRAINER-EMAIL]
  bench-policy   time the listing policy engine in this process on one
                 core (checks per second, for .ci/bench)
  help           show this text

configuration: environment variables, see .env.example";

pub async fn run(args: Vec<String>) -> anyhow::Result<()> {
    let command = args.first().map(String::as_str).unwrap_or("serve");
    if matches!(command, "help" | "--help" | "-h") {
        println!("{USAGE}");
        return Ok(());
    }
    let config = Config::from_env()?;
    crate::init_tracing(&config.log_level, config.log_format);
    match command {
        "serve" => serve(config).await,
        "migrate" => {
            let dbs = db::connect(&config).await?;
            db::migrate(&dbs.native).await?;
            println!("migrations applied to {}", config.context_hint());
            Ok(())
        }
        "create-admin" => create_admin(config, &args[1..]).await,
        "seed-curriculum" => {
            let dbs = db::connect(&config).await?;
            db::migrate(&dbs.native).await?;
            let made = app::courses::curriculum::load(&dbs.db).await?;
            if made.is_empty() {
                println!("the starter curriculum is already loaded");
            } else {
                println!("starter courses loaded: {}", made.join(", "));
            }
            Ok(())
        }
        "seed-demo" => {
            let dbs = db::connect(&config).await?;
            db::migrate(&dbs.native).await?;
            let fixed = std::env::var("DEMO_PASSWORD")
                .ok()
                .filter(|p| !p.is_empty());
            let made = seed::seed_demo(&dbs.db, fixed.as_deref()).await?;
            seed::print_demo_accounts(&made);
            Ok(())
        }
        "bench-policy" => {
            let dbs = db::connect(&config).await?;
            db::migrate(&dbs.native).await?;
            crate::generate::bench_policy(&dbs.db).await
        }
        "generate-course" => {
            let options = crate::generate::parse(&args[1..])?;
            let dbs = db::connect(&config).await?;
            db::migrate(&dbs.native).await?;
            crate::generate::run(&dbs.db, &options).await
        }
        other => bail!("unknown command {other:?}\n\n{USAGE}"),
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    tracing::info!(url = app.base_url(), "Naik Kelas is listening");
    println!("Naik Kelas is running at {}", app.base_url());
    app.run_until(startup::shutdown_signal()).await?;
    Ok(())
}

async fn create_admin(config: Config, args: &[String]) -> anyhow::Result<()> {
    let mut identifier = None;
    let mut name = "Administrator".to_string();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--email" | "--phone" => identifier = Some(value.clone()),
            "--name" => name = value.clone(),
            "--password" => bail!("passwords are never taken from the command line: set NAIK_KELAS_ADMIN_PASSWORD or type it when asked"),
            other => bail!("unknown option {other:?}\n\n{USAGE}"),
        }
    }
    let identifier = identifier.context("create-admin needs --email or --phone")?;
    let identifier = Identifier::parse(&identifier).map_err(|code| {
        anyhow::anyhow!(
            "{identifier:?} is not a valid email or Indonesian mobile number ({code:?})"
        )
    })?;
    let name = parse_display_name(&name)
        .map_err(|code| anyhow::anyhow!("--name is not valid ({code:?})"))?;
    let password = match std::env::var("NAIK_KELAS_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let p = rpassword::prompt_password("Password for the new administrator: ")
                .context("could not read the password from the terminal")?;
            let again = rpassword::prompt_password("Repeat the password: ")
                .context("could not read the password from the terminal")?;
            if p != again {
                bail!("the two passwords differ");
            }
            p
        }
    };
    check_password(&password).map_err(|code| anyhow::anyhow!("the password is not accepted ({code:?}): at least 8 characters, at most 128, and not a common password"))?;
    let dbs = db::connect(&config).await?;
    db::migrate(&dbs.native).await?;
    let hasher = Hasher::new(1);
    let id = app::accounts::server::create_user(
        &dbs.db,
        &hasher,
        &name,
        &identifier,
        &password,
        Role::Admin,
    )
    .await
    .map_err(|err| anyhow::anyhow!("could not create the administrator: {}", err.code()))?;
    app::shared::audit::record_db(
        &dbs.db,
        app::shared::audit::Entry {
            action: "accounts.admin_created",
            actor: None,
            subject: Some(id),
            ip: "cli",
            detail: "create-admin",
        },
    )
    .await;
    println!("administrator {} created (id {id})", identifier.as_str());
    Ok(())
}
