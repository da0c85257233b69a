//! The subcommands of `cedre`.

use crate::config::{
    AdminCommand, Command, JournalCommand, ManualCommand, ReferentielCommand, Settings,
};
use crate::http::static_files;
use crate::{build_router, AppState};
use anyhow::Context;
use app::api::ssr::ServerContext;
use axum::serve::ListenerExt;
use backend::sessions::{SessionPolicy, Sessions};
use backend::Db;
use leptos::prelude::LeptosOptions;
use std::io::{IsTerminal, Read};
use std::net::SocketAddr;

pub async fn run(settings: Settings, command: Command) -> anyhow::Result<()> {
    domain::time::set_time_zone(&settings.timezone).map_err(anyhow::Error::msg)?;
    let schema = match command {
        // A render needs no database.
        Command::PdfEnfant { memoire_mo } => return crate::pdf_child::run(memoire_mo),
        Command::Manuel {
            command:
                ManualCommand::Apercu {
                    fichier,
                    sortie,
                    donnees,
                    mesurer,
                },
        } => return crate::pdf_child::preview(&fichier, &sortie, donnees.as_deref(), mesurer),
        Command::Migrate => Schema::Migrate,
        Command::Journal {
            command: JournalCommand::Verifier,
        } => Schema::ReadOnly,
        _ if settings.auto_migrate => Schema::Migrate,
        _ => Schema::Expect,
    };
    let db = open(&settings, schema).await?;
    match command {
        Command::PdfEnfant { .. } | Command::Manuel { .. } => {
            unreachable!("rendered before the database is opened")
        }
        Command::Serve => serve(settings, db).await,
        Command::Migrate => {
            println!("Base de données à jour.");
            Ok(())
        }
        Command::Demo { if_empty } => demo(&settings, &db, if_empty).await,
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    name,
                    federation,
                },
        } => create_admin(&db, &email, &name, &federation).await,
        Command::Referentiel {
            command: ReferentielCommand::Import { file },
        } => import_referentiel(&db, &file).await,
        Command::Journal {
            command: JournalCommand::Verifier,
        } => verify_journal(&db).await,
        Command::Journal {
            command: JournalCommand::Purger,
        } => {
            let removed = backend::security::purge(&db, settings.security_log_days)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Journal de sécurité : {removed} entrée(s) de plus de {} jours effacée(s).",
                settings.security_log_days
            );
            Ok(())
        }
    }
}

/// What a subcommand does with the schema before it starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Schema {
    /// Applies what is pending (`cedre migrate`; the others unless CEDRE_AUTO_MIGRATE=false).
    Migrate,
    /// Touches nothing and refuses a schema that is not up to date (CEDRE_AUTO_MIGRATE=false: a
    /// role without rights on the schema).
    Expect,
    /// Touches nothing, writes nothing (`cedre journal verifier`).
    ReadOnly,
}

/// Connects and makes sure the schema is up to date: every subcommand works on the schema it
/// was built for. Then installs the built-in référentiel if absent, except for a read-only command.
async fn open(settings: &Settings, schema: Schema) -> anyhow::Result<Db> {
    let db = Db::connect(&settings.database_url).await.with_context(|| {
        format!(
            "connexion à la base de données impossible ({})",
            redact(&settings.database_url)
        )
    })?;
    if schema == Schema::Migrate {
        db.migrate().await.map_err(|e| {
            let hint = if db.engine == backend::db::Engine::Postgres {
                "\nSi le rôle de DATABASE_URL n'a pas de droits sur le schéma, appliquez les \
                 migrations avec le rôle propriétaire (DATABASE_URL=… cedre migrate) et démarrez \
                 avec CEDRE_AUTO_MIGRATE=false."
            } else {
                ""
            };
            anyhow::anyhow!("échec de la migration de la base de données : {e}{hint}")
        })?;
    } else {
        let pending = db
            .pending_migrations()
            .await
            .map_err(|e| anyhow::anyhow!("lecture de l'état des migrations impossible : {e}"))?;
        if !pending.is_empty() {
            anyhow::bail!(
                "la base de données n'est pas à jour ({}) : appliquez les migrations avec \
                 `cedre migrate` (avec le rôle propriétaire des tables sous PostgreSQL).",
                describe_pending(&pending)
            );
        }
    }
    if schema != Schema::ReadOnly {
        backend::referentiels::ensure_builtin(&db)
            .await
            .map_err(|e| anyhow::anyhow!("installation du référentiel impossible : {e}"))?;
    }
    Ok(db)
}

fn describe_pending(pending: &backend::db::PendingMigrations) -> String {
    let mut parts = Vec::new();
    if !pending.versions.is_empty() {
        let versions: Vec<String> = pending.versions.iter().map(|v| format!("{v:04}")).collect();
        parts.push(format!("migrations en attente : {}", versions.join(", ")));
    }
    if pending.unchained_entries > 0 {
        parts.push(format!(
            "{} entrées du journal d'audit à chaîner",
            pending.unchained_entries
        ));
    }
    parts.join(" ; ")
}

/// `cedre journal verifier`: the verdict on the standard output, or as the error (exit code 1).
async fn verify_journal(db: &Db) -> anyhow::Result<()> {
    let report = backend::audit::verify_chain(db)
        .await
        .map_err(|e| anyhow::anyhow!("vérification du journal impossible : {e}"))?;
    if report.is_intact() {
        println!("{}", report.describe());
        Ok(())
    } else {
        Err(anyhow::anyhow!(report.describe()))
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

pub async fn context(settings: &Settings, db: Db) -> anyhow::Result<ServerContext> {
    let secret = backend::settings::session_secret(&db, settings.session_secret.as_deref()).await?;
    let policy = SessionPolicy {
        idle_timeout: chrono::Duration::minutes(settings.session_idle_minutes),
        absolute_timeout: chrono::Duration::hours(settings.session_max_hours),
    };
    Ok(ServerContext {
        db,
        sessions: Sessions::new(secret, policy),
        transport: settings.transport(),
        renderer: backend::pdf::Renderer::ChildProcess {
            program: std::env::current_exe().context("chemin du binaire cedre")?,
            timeout: std::time::Duration::from_secs(settings.pdf_timeout_seconds),
            memory_mb: settings.pdf_memory_mb,
        },
        echoes: Default::default(),
        public_url: settings.public_url.clone(),
        sends_mail: settings.smtp_url.is_some(),
    })
}

/// The options of the Leptos application. When cargo-leptos left a hash file beside this binary
/// (`hash-files = true`), pages link the fingerprinted file names it lists; those files must be in
/// the site folder, otherwise the pages would be served without their style and script.
pub fn leptos_options(settings: &Settings) -> anyhow::Result<LeptosOptions> {
    let pkg_dir = "pkg";
    let builder = LeptosOptions::builder()
        .output_name("cedre")
        .site_root(settings.site_root.as_str())
        .site_pkg_dir(pkg_dir)
        .site_addr(settings.addr);
    let hash_file = static_files::hash_file_beside_binary().filter(|path| path.is_file());
    let Some(hash_file) = hash_file else {
        return Ok(builder.build());
    };
    let text = std::fs::read_to_string(&hash_file)
        .with_context(|| format!("lecture de {} impossible", hash_file.display()))?;
    let pkg = std::path::Path::new(&settings.site_root).join(pkg_dir);
    let missing = static_files::missing_files(&pkg, "cedre", &text);
    if !missing.is_empty() {
        anyhow::bail!(
            "les fichiers du site ne correspondent pas à ce binaire : {} absent(s) de {} (liste : {}). \
             Reconstruisez avec `cargo leptos build --release` ou indiquez le bon dossier avec CEDRE_SITE_ROOT.",
            missing.join(", "),
            pkg.display(),
            hash_file.display()
        );
    }
    Ok(builder
        .hash_files(true)
        .hash_file(hash_file.to_string_lossy().as_ref().into())
        .build())
}

async fn serve(settings: Settings, db: Db) -> anyhow::Result<()> {
    // Outside a demonstration database, no account keeps the published demo password.
    let disabled = backend::demo::disable_published_passwords(&db)
        .await
        .map_err(|e| anyhow::anyhow!("vérification des mots de passe de démonstration : {e}"))?;
    if !disabled.is_empty() {
        eprintln!(
            "Attention : ces comptes utilisaient le mot de passe public de démonstration alors que la base n'a pas été chargée par « cedre demo » ; ils sont désactivés (un administrateur leur donne un nouveau mot de passe puis les réactive) : {}",
            disabled.join(", ")
        );
    }
    let mailer = match &settings.smtp_url {
        Some(smtp_url) => Some(
            backend::mailer::Mailer::new(smtp_url, &settings.mail_from)
                .map_err(anyhow::Error::msg)?,
        ),
        None => None,
    };
    let site = site_address(&settings);
    tokio::spawn(crate::jobs::run(db.clone(), mailer, site));
    let state = AppState {
        leptos_options: leptos_options(&settings)?,
        ctx: context(&settings, db).await?,
        trusted_proxies: settings.trusted_proxies.clone(),
    };
    let router = build_router(state);
    let listener = tokio::net::TcpListener::bind(settings.addr)
        .await
        .with_context(|| format!("impossible d'écouter sur {}", settings.addr))?
        // Answers go out as soon as they are written: no Nagle delay on small responses
        // over a kept-alive connection.
        .tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "TCP_NODELAY could not be set");
            }
        });
    println!("Cedre est disponible sur http://{}", settings.addr);
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// The site's public address, or the one it listens on.
fn site_address(settings: &Settings) -> String {
    settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", settings.addr))
}

async fn demo(settings: &Settings, db: &Db, if_empty: bool) -> anyhow::Result<()> {
    if if_empty && !backend::demo::is_empty(db).await? {
        println!("La base contient déjà des données : les données de démonstration ne sont pas rechargées.");
        if backend::demo::is_loaded(db).await? {
            // A demo loaded before the mark existed: this command says it is a demonstration.
            backend::demo::mark_loaded(db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            print_demo_accounts();
        }
        return Ok(());
    }
    backend::demo::load(db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let site = site_address(settings);
    let demande_page = |siae_id| format!("{site}{}", app::url::certification_page(siae_id));
    let addresses = backend::demo::cycles::Addresses {
        site: &site,
        demande_page: &demande_page,
    };
    // The demo's PDFs are rendered here, in this short-lived command.
    backend::demo::cycles::load(db, &backend::pdf::Renderer::InProcess, &addresses)
        .await
        .map_err(|e| anyhow::anyhow!("cycles de démonstration : {e}"))?;
    backend::demo::parcours::load(db)
        .await
        .map_err(|e| anyhow::anyhow!("parcours de démonstration : {e}"))?;
    println!("Données de démonstration chargées.");
    print_demo_accounts();
    Ok(())
}

fn print_demo_accounts() {
    println!(
        "Comptes de démonstration (mot de passe commun : {}) :",
        backend::demo::DEMO_PASSWORD
    );
    for account in backend::demo::ACCOUNTS
        .iter()
        .chain(backend::demo::cycles::CYCLE_ACCOUNTS)
    {
        println!(
            "  {:<28} {} — {}",
            account.email,
            account.role.label(),
            account.organisation
        );
    }
}

async fn import_referentiel(db: &Db, file: &std::path::Path) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("lecture de {} impossible", file.display()))?;
    let id = backend::referentiels::import(db, &text)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "Référentiel importé comme version brouillon n° {id} : relisez-le dans l'application, puis enregistrez sa validation par le bureau et sa date d'entrée en vigueur."
    );
    Ok(())
}

async fn create_admin(db: &Db, email: &str, name: &str, federation: &str) -> anyhow::Result<()> {
    let mut typed = String::new();
    if !std::io::stdin().is_terminal() {
        std::io::stdin().read_to_string(&mut typed)?;
    }
    let typed = typed.trim_end_matches(['\n', '\r']).to_string();
    let generated = typed.is_empty();
    let password = if generated {
        backend::passwords::temporary()
    } else {
        typed
    };
    backend::accounts::create_administrator(db, email, name, &password, generated, federation)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if generated {
        println!("Administrateur créé. Mot de passe temporaire (affiché une seule fois, à changer à la première connexion) : {password}");
    } else {
        println!("Administrateur créé.");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            super::redact("postgres://cedre:secret@127.0.0.1/cedre"),
            "postgres://cedre:***@127.0.0.1/cedre"
        );
        assert_eq!(
            super::redact("sqlite://data/cedre.db"),
            "sqlite://data/cedre.db"
        );
    }
}
