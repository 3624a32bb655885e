//! `server`: runs Bianmin and its maintenance commands.

use anyhow::{Context, bail};
use app::domain::{Password, PersonName, PhoneNumber, Role};
use app::ssr::config::Config;
use clap::{Parser, Subcommand};
use std::io::BufRead;
use std::net::SocketAddr;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "server", about = "Bianmin (便民): community service center app", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the app (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Add the demo stations and one demo account per role (idempotent). Demo only.
    SeedDemo,
    /// Create an account, e.g. the first chief of a real deployment. The password is
    /// read from BIANMIN_NEW_PASSWORD or, if unset, from the first line of stdin.
    CreateUser {
        /// resident, helper, clerk, handler or chief
        #[arg(long)]
        role: String,
        /// 11-digit mobile number used to log in
        #[arg(long)]
        phone: String,
        #[arg(long)]
        name: String,
        /// Station id (required for helpers)
        #[arg(long)]
        station_id: Option<i32>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into())).init();
    let cli = Cli::parse();
    let config = Config::from_env().context("configuration")?;
    let options = server::leptos_options(&config);
    let state = server::build_state(config, options).await?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            println!("migrations applied");
        }
        Command::SeedDemo => {
            app::seed::seed_demo(&state.db).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("demo data seeded (demo accounts use password {})", app::seed::DEMO_PASSWORD);
        }
        Command::CreateUser { role, phone, name, station_id } => {
            let password = match std::env::var("BIANMIN_NEW_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password (first line of stdin):");
                    std::io::stdin().lock().lines().next().context("no password on stdin")??
                }
            };
            let new = app::accounts::service::NewUser {
                phone: PhoneNumber::parse(&phone).map_err(|m| anyhow::anyhow!("--phone: {}", m.zh()))?,
                password: Password::parse(&password, Some(&phone)).map_err(|m| anyhow::anyhow!("password: {}", m.zh()))?,
                name: Some(PersonName::parse(&name).map_err(|m| anyhow::anyhow!("--name: {}", m.zh()))?),
                email: None,
                role: Role::parse(&role).map_err(|m| anyhow::anyhow!("--role: {}", m.zh()))?,
                station_id,
            };
            match app::accounts::service::create_user(&state.db, new, None).await {
                Ok(user) => println!("created {role} account {} (id {})", user.phone, user.id),
                Err(err) => bail!("could not create the account: {err}"),
            }
        }
        Command::Serve => {
            let addr: SocketAddr = state.config.bind;
            let url = state.config.public_url.clone();
            let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
            let temp = app::ssr::files::temp_dir(&state.config.data_dir);
            match app::ssr::files::cleanup_stragglers(&state.db, &state.files, &temp, &state.config.upload_dir).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "removed stored files that no record points at"),
                Err(err) => tracing::warn!(error = ?err, "upload cleanup failed"),
            }
            let _jobs = app::jobs::spawn(state.clone());
            let router = server::build_router(state);
            println!("Bianmin is running at {url}");
            tracing::info!(%addr, "listening");
            axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
    }
    Ok(())
}
