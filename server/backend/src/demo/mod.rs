//! The demo federation loaded by `cedre demo`: two regions, SIAE of every type, one account per role.
//! Names and SIRET numbers are fictitious (the SIRET numbers pass the checksum but belong to nobody).

pub mod cycles;
pub mod parcours;

use crate::db::{Author, Columns, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::passwords;
use crate::services::{accounts, organisations};
use domain::account::Account;
use domain::audit::AuditEvent;
use domain::email::Email;
use domain::organisation::{OrganisationDraft, OrganisationKind};
use domain::role::Role;
use std::collections::HashMap;

/// Documented in the README; for demonstration only.
pub const DEMO_PASSWORD: &str = "cedre-demo-2026";

/// The second-factor secret of the demo accounts whose role requires one (README); a
/// demonstration installation shows their current code on the code prompt.
pub const DEMO_TOTP_SECRET: &str = "CEDREDEMOCEDREDEMOCEDREDEMOCEDRE";

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    /// The name of the organisation in which the role is held.
    pub organisation: &'static str,
}

const FEDERATION: &str = "COORACE — Fédération nationale";
const BRETAGNE: &str = "COORACE Bretagne";
const AURA: &str = "COORACE Auvergne-Rhône-Alpes";
const SIAE_RENNES: &str = "Emploi Solidaire du Pays de Rennes";
const SIAE_FOREZ: &str = "Recyclerie du Forez";
const CABINET: &str = "Qualis Audit";

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@cedre.demo",
        name: "Camille Martin",
        role: Role::Administrateur,
        organisation: FEDERATION,
    },
    DemoAccount {
        email: "rq-federal@cedre.demo",
        name: "Hélène Bernard",
        role: Role::ResponsableQualiteFederal,
        organisation: FEDERATION,
    },
    DemoAccount {
        email: "comite@cedre.demo",
        name: "Jacques Petit",
        role: Role::MembreComiteCertification,
        organisation: FEDERATION,
    },
    DemoAccount {
        email: "rq-region@cedre.demo",
        name: "Sophie Le Gall",
        role: Role::ReferentQualiteRegional,
        organisation: BRETAGNE,
    },
    DemoAccount {
        email: "ca-region@cedre.demo",
        name: "Yannick Le Bihan",
        role: Role::MembreCaRegional,
        organisation: BRETAGNE,
    },
    DemoAccount {
        email: "referent@cedre.demo",
        name: "Nadia Benali",
        role: Role::ReferentQualite,
        organisation: SIAE_RENNES,
    },
    DemoAccount {
        email: "direction@cedre.demo",
        name: "Pierre Morel",
        role: Role::Direction,
        organisation: SIAE_RENNES,
    },
    DemoAccount {
        email: "accompagnateur@cedre.demo",
        name: "Lucie Robert",
        role: Role::Accompagnateur,
        organisation: SIAE_RENNES,
    },
    DemoAccount {
        email: "auditeur@cedre.demo",
        name: "Marc Dubois",
        role: Role::AuditeurExterne,
        organisation: CABINET,
    },
    DemoAccount {
        email: "referent.forez@cedre.demo",
        name: "Karim Haddad",
        role: Role::ReferentQualite,
        organisation: SIAE_FOREZ,
    },
    DemoAccount {
        email: "rq-aura@cedre.demo",
        name: "Élodie Fournier",
        role: Role::ReferentQualiteRegional,
        organisation: AURA,
    },
];

/// (name, SIRET, type, region, entry date, funded FTE, city)
const SIAE: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        SIAE_RENNES,
        "82601815908302",
        "AI",
        BRETAGNE,
        "2023-09-01",
        "1,5",
        "Rennes",
    ),
    (
        "Groupe Avenir Bretagne",
        "89482199351812",
        "ensemblier",
        BRETAGNE,
        "2021-11-08",
        "4,5",
        "Brest",
    ),
    (
        "Tremplin Intérim Armor",
        "86613186091390",
        "ETTI",
        BRETAGNE,
        "2024-01-15",
        "2",
        "Saint-Brieuc",
    ),
    (
        "Les Jardins de l'Odet",
        "89960308246288",
        "ACI",
        BRETAGNE,
        "2022-05-02",
        "3,2",
        "Quimper",
    ),
    (
        SIAE_FOREZ,
        "80937865797548",
        "EI",
        AURA,
        "2024-06-03",
        "1",
        "Saint-Étienne",
    ),
    (
        "Chantier Nature Dauphiné",
        "82319487574910",
        "ACI",
        AURA,
        "2025-02-10",
        "2,8",
        "Grenoble",
    ),
    (
        "Relais Emploi Lyonnais",
        "88625276018958",
        "AI",
        AURA,
        "2023-03-20",
        "1,75",
        "Lyon",
    ),
];

/// (SIAE, the ensemblier it belongs to), the ensemblier listed first in `SIAE`.
const ENSEMBLES: &[(&str, &str)] = &[("Tremplin Intérim Armor", "Groupe Avenir Bretagne")];

pub async fn is_empty(db: &Db) -> BackendResult<bool> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM accounts) AS n",
    )
    .fetch_one(&db.pool)
    .await?;
    Ok(Columns::new(&row, "organisations").get::<i64>("n")? == 0)
}

/// Whether the demo federation is there (its administrator account exists).
pub async fn is_loaded(db: &Db) -> BackendResult<bool> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE email = $1")
        .bind(ACCOUNTS[0].email)
        .fetch_one(&db.pool)
        .await?;
    Ok(Columns::new(&row, "accounts").get::<i64>("n")? > 0)
}

/// Loads the demo federation in one transaction; refuses a database that already holds data.
pub async fn load(db: &Db) -> BackendResult<()> {
    if !is_empty(db).await? {
        return Err(BackendError::invalid(
            "La base de données contient déjà des organisations ou des comptes : les données de démonstration \
             ne sont chargées que dans une base vide."
                .to_string(),
        ));
    }
    // One hash for every demo account: they share the published password.
    let hash = passwords::hash(DEMO_PASSWORD).await;
    let mut work = db.unit_of_work(Author::command_line("cedre demo")).await?;
    let mut ids = HashMap::new();
    let simple = |kind: OrganisationKind, name: &str, city: &str| OrganisationDraft {
        kind: kind.code().into(),
        name: name.into(),
        city: city.into(),
        ..Default::default()
    };
    let mut drafts = vec![
        simple(OrganisationKind::Federation, FEDERATION, "Paris"),
        simple(OrganisationKind::Region, BRETAGNE, "Rennes"),
        simple(OrganisationKind::Region, AURA, "Lyon"),
        simple(OrganisationKind::CabinetAudit, CABINET, "Nantes"),
    ];
    drafts.extend(
        SIAE.iter().map(
            |(name, siret, siae_type, region, entry, fte, city)| OrganisationDraft {
                kind: "siae".into(),
                name: (*name).into(),
                siret: (*siret).into(),
                siae_type: (*siae_type).into(),
                region_id: region.to_string(),
                entry_date: (*entry).into(),
                funded_fte: (*fte).into(),
                city: (*city).into(),
                ensemblier_id: String::new(),
            },
        ),
    );
    for mut draft in drafts {
        // Region names stand for ids until the regions exist.
        if let Some(region_id) = ids.get(&draft.region_id) {
            draft.region_id = format!("{region_id}");
        }
        if let Some((_, ensemblier)) = ENSEMBLES.iter().find(|(siae, _)| *siae == draft.name) {
            draft.ensemblier_id = format!("{}", ids[*ensemblier]);
        }
        let valid = draft
            .validate()
            .map_err(|e| BackendError::Internal(format!("demo data: {e:?}")))?;
        let (id, event) = organisations::insert(&mut work, &valid).await?;
        work.record(&event);
        ids.insert(valid.name.clone(), id);
    }
    create_accounts(&mut work, ACCOUNTS, &ids, &hash).await?;
    crate::settings::mark_demo(&mut work).await?;
    work.commit_recorded().await
}

/// Creates the demo accounts, each with its role in its organisation (`organisation_ids` by
/// name) and, where the role requires one, the demo second factor.
async fn create_accounts(
    work: &mut UnitOfWork,
    accounts: &[DemoAccount],
    organisation_ids: &HashMap<String, i64>,
    hash: &str,
) -> BackendResult<()> {
    for demo in accounts {
        let email = Email::parse(demo.email).map_err(|e| BackendError::Internal(e.to_string()))?;
        let (id, event) = accounts::insert(work, &email, demo.name, hash, false).await?;
        work.record(&event);
        let account = Account {
            id,
            email: demo.email.into(),
            display_name: demo.name.into(),
            active: true,
            must_change_password: false,
            last_login_at: None,
        };
        let event = accounts::grant(
            work,
            &account,
            organisation_ids[demo.organisation],
            demo.role,
        )
        .await?;
        work.record(&event);
        if domain::second_factor::required([demo.role]) {
            let now = chrono::Utc::now();
            crate::db::second_factors::start(work, id, DEMO_TOTP_SECRET, now).await?;
            crate::db::second_factors::confirm(work, id, 0, now).await?;
            work.record(&AuditEvent::SecondFactor {
                account_id: id,
                name: demo.name.into(),
                change: domain::audit::SecondFactorChange::Enabled,
            });
        }
    }
    Ok(())
}

/// Marks a database that already holds the demo federation (loaded before the mark existed) as a
/// demonstration: `cedre demo --if-empty` on it says so explicitly.
pub async fn mark_loaded(db: &Db) -> BackendResult<()> {
    let mut conn = db.pool.acquire().await?;
    crate::settings::mark_demo(&mut conn).await?;
    Ok(())
}

/// On a database that `cedre demo` did not load, no account may keep the published demo password:
/// every active account whose hash verifies it is disabled (its sessions end), with an audit event
/// per account. Returns their e-mail addresses. Does nothing on a demonstration database.
///
/// Disabling rather than refusing to start: the installation stays usable, the exposed accounts
/// are closed at once, and an administrator gives them a new password and reactivates them from
/// the accounts page (or `cedre admin create` makes a new administrator if none is left).
pub async fn disable_published_passwords(db: &Db) -> BackendResult<Vec<String>> {
    if crate::settings::is_demo(db).await? {
        return Ok(Vec::new());
    }
    let rows =
        sqlx::query("SELECT id, email, display_name, password_hash FROM accounts WHERE active = 1")
            .fetch_all(&db.pool)
            .await?;
    // Accounts loaded together share one hash: each distinct hash is verified once.
    let mut verdicts: std::collections::HashMap<String, bool> = std::collections::HashMap::new();
    let mut exposed = Vec::new();
    for row in &rows {
        let columns = Columns::new(row, "accounts");
        let hash: String = columns.get("password_hash")?;
        let published = match verdicts.get(&hash) {
            Some(verdict) => *verdict,
            None => {
                let verdict = passwords::verify(DEMO_PASSWORD, &hash).await;
                verdicts.insert(hash, verdict);
                verdict
            }
        };
        if published {
            exposed.push((
                columns.get::<i64>("id")?,
                columns.get::<String>("email")?,
                columns.get::<String>("display_name")?,
            ));
        }
    }
    if exposed.is_empty() {
        return Ok(Vec::new());
    }
    let mut work = db.unit_of_work(Author::command_line("cedre serve")).await?;
    for (id, _, name) in &exposed {
        crate::db::accounts::set_active(&mut work, *id, false).await?;
        crate::db::sessions::delete_for_account(&mut work, *id, None).await?;
        work.record(&AuditEvent::AccountActivation {
            account_id: *id,
            name: name.clone(),
            active: false,
        });
    }
    work.commit_recorded().await?;
    Ok(exposed.into_iter().map(|(_, email, _)| email).collect())
}

/// On a demonstration installation, the code the application of a demo account would show now
/// (the next one if the current one was used): the demo can be tried without a phone.
pub async fn current_code(db: &Db, account_id: i64) -> BackendResult<Option<String>> {
    if !crate::settings::is_demo(db).await? {
        return Ok(None);
    }
    let mut conn = db.pool.acquire().await?;
    let factor = crate::db::second_factors::find(&mut conn, account_id).await?;
    let Some(factor) = factor.filter(|f| f.secret == DEMO_TOTP_SECRET) else {
        return Ok(None);
    };
    let now = crate::totp::step_at(chrono::Utc::now().timestamp());
    Ok((now..=now + crate::totp::DRIFT_STEPS)
        .find(|step| *step > factor.last_used_step)
        .and_then(|step| crate::totp::code_at(DEMO_TOTP_SECRET, step)))
}
