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
        pour un premier essai sur une base SQLite locale. Le niveau des journaux (sortie d'erreur) se règle \
        avec RUST_LOG (défaut : info)."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// Base de données : `sqlite://chemin/fichier.db` (créée au besoin) ou `postgres://utilisateur:motdepasse@hôte/base`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/cedre.db",
        global = true
    )]
    pub database_url: String,
    /// Applique les migrations en attente au démarrage de `serve`, `demo`, `admin` et `referentiel`.
    /// À `false`, ces commandes ne touchent pas au schéma et refusent de démarrer sur une base qui
    /// n'est pas à jour : c'est le réglage d'un rôle PostgreSQL sans droit sur le schéma, les
    /// migrations étant appliquées par `cedre migrate` avec le rôle propriétaire.
    #[arg(
        long,
        env = "CEDRE_AUTO_MIGRATE",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub auto_migrate: bool,
    /// Adresse et port d'écoute du serveur web.
    #[arg(
        long,
        env = "CEDRE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Secret des jetons de session et des cookies signés. Absent, il est généré au premier
    /// lancement et conservé en base. Le changer ferme toutes les sessions.
    #[arg(
        long,
        env = "CEDRE_SESSION_SECRET",
        hide_env_values = true,
        global = true
    )]
    pub session_secret: Option<String>,
    /// Minutes d'inactivité après lesquelles une session se ferme.
    #[arg(
        long,
        env = "CEDRE_SESSION_IDLE_MINUTES",
        default_value_t = 120,
        global = true
    )]
    pub session_idle_minutes: i64,
    /// Heures après la connexion au bout desquelles une session se ferme, même active.
    #[arg(
        long,
        env = "CEDRE_SESSION_MAX_HOURS",
        default_value_t = 12,
        global = true
    )]
    pub session_max_hours: i64,
    /// Cookies `Secure` : à activer quand Cedre est servi en HTTPS (derrière un mandataire TLS).
    #[arg(
        long,
        env = "CEDRE_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,
    /// Adresse publique de Cedre, telle que ses utilisateurs la tapent (ex.
    /// `https://cedre.exemple.org`) ; en `https`, comme avec `CEDRE_SECURE_COOKIES=true`, les
    /// cookies sont `Secure` avec le préfixe `__Host-` et les réponses portent l'en-tête HSTS.
    #[arg(long, env = "CEDRE_PUBLIC_URL", value_parser = public_url, global = true)]
    pub public_url: Option<String>,
    /// Dossier des fichiers statiques construits (WASM, JavaScript, CSS) par `cargo leptos build`.
    #[arg(
        long,
        env = "CEDRE_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,
    /// Mandataires inverses (adresses ou blocs CIDR, séparés par des virgules) dont l'en-tête
    /// `X-Forwarded-For` donne l'adresse du client ; sans eux, cet en-tête est ignoré.
    #[arg(long, env = "CEDRE_TRUSTED_PROXIES", default_value = "", global = true)]
    pub trusted_proxies: crate::http::client_address::TrustedProxies,
    /// Fuseau horaire des dates et heures montrées (pages, PDF, CSV, journal d'audit), par son nom
    /// dans la base IANA : `Europe/Paris`, `Indian/Reunion`, `America/Cayenne`… Les heures restent
    /// enregistrées en UTC ; seul l'affichage en dépend.
    #[arg(
        long,
        env = "CEDRE_TIMEZONE",
        default_value = domain::time::DEFAULT_TIME_ZONE,
        value_parser = time_zone,
        global = true
    )]
    pub timezone: String,
    /// Jours de conservation du journal de sécurité (connexions, accès refusés…), au moins 30 ;
    /// la CNIL recommande de six mois à un an. `cedre journal purger` efface les entrées plus anciennes.
    #[arg(
        long,
        env = "CEDRE_SECURITY_LOG_DAYS",
        default_value_t = domain::security::DEFAULT_RETENTION_DAYS,
        value_parser = clap::value_parser!(i64).range(domain::security::MIN_RETENTION_DAYS..),
        global = true
    )]
    pub security_log_days: i64,
    /// Secondes au-delà desquelles la production d'un PDF du manuel est arrêtée (message d'erreur,
    /// rien n'est enregistré).
    #[arg(long, env = "CEDRE_PDF_DELAI", default_value_t = 60, global = true)]
    pub pdf_timeout_seconds: u64,
    /// Mémoire (Mo d'espace d'adressage) au-delà de laquelle la production d'un PDF du manuel échoue.
    #[arg(
        long,
        env = "CEDRE_PDF_MEMOIRE_MO",
        default_value_t = 2048,
        global = true
    )]
    pub pdf_memory_mb: u64,
    /// Serveur SMTP des courriels de notification : `smtp://hôte:25` (sans chiffrement),
    /// `smtp://utilisateur:motdepasse@hôte:587?tls=required` (STARTTLS) ou
    /// `smtps://utilisateur:motdepasse@hôte:465` (TLS). Absent, les notifications restent dans
    /// l'application (page d'accueil de chacun) et dans la file d'envoi, sans partir.
    #[arg(long, env = "CEDRE_SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,
    /// Expéditeur des courriels de notification.
    #[arg(
        long,
        env = "CEDRE_MAIL_FROM",
        default_value = "Cedre <ne-pas-repondre@cedre.invalid>",
        global = true
    )]
    pub mail_from: String,
}

impl Settings {
    /// Served over HTTPS when configured so, or when the public address is in `https`.
    pub fn transport(&self) -> app::api::ssr::Transport {
        let https_url = self
            .public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"));
        app::api::ssr::Transport {
            https: self.secure_cookies || https_url,
        }
    }
}

/// An address `http://host…` or `https://host…`, kept without its final `/`.
fn public_url(text: &str) -> Result<String, String> {
    let url = text.trim().trim_end_matches('/');
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or_default();
    if host.is_empty() || host.starts_with('/') || host.chars().any(char::is_whitespace) {
        return Err(format!(
            "« {text} » n'est pas une adresse web : attendu https://hôte (ou http://hôte)"
        ));
    }
    Ok(url.to_string())
}

/// A time zone of the IANA database, checked when the settings are read.
fn time_zone(name: &str) -> Result<String, String> {
    domain::time::check_time_zone(name).map(|_| name.trim().to_string())
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Applique les migrations (sauf CEDRE_AUTO_MIGRATE=false) et sert l'application (par défaut).
    Serve,
    /// Applique les migrations de la base, puis s'arrête. Avec PostgreSQL et deux rôles, à lancer
    /// avec le rôle propriétaire des tables (DATABASE_URL ou --database-url).
    Migrate,
    /// Charge la fédération de démonstration (deux régions, des SIAE de chaque type, un compte par rôle).
    Demo {
        /// Ne charge que si la base est vide ; sinon, réussit sans rien changer.
        #[arg(long)]
        if_empty: bool,
    },
    /// Gère les comptes en ligne de commande.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Gère les référentiels en ligne de commande.
    Referentiel {
        #[command(subcommand)]
        command: ReferentielCommand,
    },
    /// Le manuel qualité en ligne de commande.
    Manuel {
        #[command(subcommand)]
        command: ManualCommand,
    },
    /// Produit un PDF du manuel qualité lu sur l'entrée standard (usage interne : le serveur lance
    /// ce processus pour chaque édition et l'arrête s'il dépasse son délai).
    #[command(hide = true)]
    PdfEnfant {
        /// Mémoire (espace d'adressage) au-delà de laquelle le processus échoue, en Mo.
        #[arg(long)]
        memoire_mo: u64,
    },
    /// Les journaux : vérifier la chaîne du journal d'audit, purger le journal de sécurité.
    Journal {
        #[command(subcommand)]
        command: JournalCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum ManualCommand {
    /// Rend un fichier Markdown comme une section du manuel, par la même conversion et le même
    /// modèle que les éditions : pour qui adapte les modèles (manual-templates/). N'ouvre pas la base.
    /// Un fichier `.json` donne plusieurs sections : une liste de `{"titre", "type", "corps"}`, où
    /// `type` est le code d'un type de section (`organigramme_hierarchique`, `fiche_de_poste`…) et
    /// `corps` le texte ou le JSON qu'une version de ce type enregistre.
    Apercu {
        /// Le fichier Markdown (ou JSON : plusieurs sections).
        fichier: std::path::PathBuf,
        /// Le PDF à écrire.
        #[arg(short = 'o', long = "sortie")]
        sortie: std::path::PathBuf,
        /// Écrit aussi les données données au modèle (JSON), pour les comparer ou les rendre ailleurs.
        #[arg(long)]
        donnees: Option<std::path::PathBuf>,
        /// Rend N fois dans ce processus et affiche les durées (la première inclut la lecture des polices).
        #[arg(long, default_value_t = 1)]
        mesurer: u32,
    },
}

#[derive(Subcommand, Debug)]
pub enum JournalCommand {
    /// Vérifie la chaîne d'empreintes du journal d'audit : nomme la première entrée modifiée ou
    /// supprimée et sort en erreur (code 1) ; sinon affiche l'empreinte de la dernière entrée.
    /// Ne modifie rien, n'applique aucune migration.
    Verifier,
    /// Efface du journal de sécurité les entrées plus anciennes que CEDRE_SECURITY_LOG_DAYS jours
    /// (à lancer chaque jour, par exemple depuis cron ou un minuteur systemd).
    Purger,
}

#[derive(Subcommand, Debug)]
pub enum ReferentielCommand {
    /// Charge un référentiel écrit en TOML (sur le modèle de server/backend/referentiels/*.toml) comme
    /// version brouillon, à relire, faire valider par le bureau et mettre en vigueur dans l'application.
    Import {
        /// Le fichier TOML.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Crée un administrateur de la fédération. Le mot de passe est lu sur l'entrée standard ;
    /// si elle est un terminal ou vide, il est généré et affiché une seule fois.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Nom de la fédération, créée avec le premier administrateur si elle n'existe pas.
        #[arg(long, default_value = "Fédération")]
        federation: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(args: &[&str]) -> bool {
        let cli =
            Cli::try_parse_from(std::iter::once("cedre").chain(args.iter().copied())).unwrap();
        cli.settings.transport().https
    }

    #[test]
    fn https_comes_from_the_setting_or_the_public_address() {
        assert!(!transport(&[]));
        assert!(!transport(&["--public-url", "http://cedre.exemple.org"]));
        assert!(transport(&["--public-url", "https://cedre.exemple.org/"]));
        assert!(transport(&["--secure-cookies"]));
        let refused = Cli::try_parse_from(["cedre", "--public-url", "cedre.exemple.org"]);
        assert!(refused
            .unwrap_err()
            .to_string()
            .contains("n'est pas une adresse web"));
    }
}
