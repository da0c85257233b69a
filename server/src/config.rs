//! Configuration from the command line and the environment, with defaults for a first run.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Parser, Debug)]
#[command(
    name = "cedre",
    version,
    about = "Cedre : la démarche qualité CEDRE des SIAE — serveur web et administration",
    long_about = "Cedre : la démarche qualité CEDRE des SIAE.\n\n\
        Sans sous-commande, `cedre` équivaut à `cedre serve`. Toute la configuration passe par des \
        variables d'environnement (ou les options équivalentes) ; les valeurs par défaut suffisent \
        pour un premier essai sur une base SQLite locale."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// Database: `sqlite://chemin/fichier.db` (created if absent) or `postgres://user:pass@host/base`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/cedre.db",
        global = true
    )]
    pub database_url: String,
    /// Address and port the web server listens on.
    #[arg(
        long,
        env = "CEDRE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Secret keying session tokens and signing cookies. When absent, one is generated on first
    /// run and kept in the database. Changing it ends every session.
    #[arg(
        long,
        env = "CEDRE_SESSION_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub session_secret: Option<String>,
    /// Minutes of inactivity after which a session ends.
    #[arg(
        long,
        env = "CEDRE_SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: i64,
    /// Hours after login at which a session ends, however active.
    #[arg(
        long,
        env = "CEDRE_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: i64,
    /// Mark cookies `Secure`: set it when Cedre is served over HTTPS (behind a TLS proxy).
    #[arg(
        long,
        env = "CEDRE_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,
    /// Folder of the built static files (WASM, JavaScript, CSS), as produced by `cargo leptos build`.
    #[arg(
        long,
        env = "CEDRE_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Apply migrations and serve the application (the default).
    Serve,
    /// Apply the database migrations, then exit.
    Migrate,
    /// Load the demo federation (two regions, SIAE of every type, one account per role).
    Demo {
        /// Load only if the database is empty, and succeed quietly otherwise.
        #[arg(long)]
        if_empty: bool,
    },
    /// Manage accounts from the command line.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage référentiels from the command line.
    Referentiel {
        #[command(subcommand)]
        command: ReferentielCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReferentielCommand {
    /// Load a référentiel written as a TOML file (the form of server/backend/referentiels/*.toml)
    /// as a draft version, to be reviewed, validated by the bureau and put in force in the application.
    Import {
        /// The TOML file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an administrator of the federation. The password is read from standard input;
    /// when standard input is a terminal or empty, one is generated and printed once.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the federation, created with the first administrator if it does not exist.
        #[arg(long, default_value = "Fédération")]
        federation: String,
    },
}
