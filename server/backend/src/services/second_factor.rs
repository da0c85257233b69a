//! The second factor: enrolment (a secret shown as a QR code, confirmed by a first code), the
//! second step of login, recovery codes, and its removal (by its owner when their roles allow, by
//! an administrator when a phone is lost).
//!
//! Between the password and the code, the browser holds a signed, short-lived ticket naming the
//! account ([`Sessions::sign`]): no session exists until the code is accepted. Code attempts are
//! throttled per account (the password is already known to whoever types them), and a code of a
//! step already used is refused, so that a code seen over a shoulder cannot be replayed.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::security::{self, SecurityEvent, SecurityKind};
use crate::services::sessions::{Client, Sessions};
use crate::services::throttle;
use crate::totp;
use base64::Engine as _;
use chrono::Utc;
use domain::audit::{AuditEvent, SecondFactorChange};
use domain::policy::{Action, Target};
use domain::second_factor::{TypedCode, RECOVERY_ALPHABET, RECOVERY_CODES, RECOVERY_GROUP};
use rand::Rng;

/// The name authenticator applications show beside the account.
pub const ISSUER: &str = "Cedre";
/// How long the ticket between the password and the code lasts.
pub const TICKET_SECONDS: i64 = 300;
const TICKET_PREFIX: &str = "verification:";

/// The form field where codes are typed (the messages go beside it).
pub const CODE_FIELD: &str = "verification";
const WRONG_CODE: &str = "Code incorrect ou déjà utilisé. Saisissez le code affiché maintenant par votre application, ou un code de secours.";
const UNREADABLE_CODE: &str =
    "Saisissez les 6 chiffres affichés par votre application, ou un code de secours (xxxxx-xxxxx).";

/// What the account's owner sees of their second factor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub enabled: bool,
    /// Their roles require one: it cannot be removed.
    pub required: bool,
    pub recovery_codes_left: i64,
    /// An enrolment started and not yet confirmed.
    pub pending: Option<Enrolment>,
}

/// A secret to enter in an authenticator application: by its QR code, or typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    pub secret: String,
    pub uri: String,
    /// The QR code of `uri`, as an SVG document.
    pub qr_svg: String,
}

impl Enrolment {
    fn of(account: &str, secret: String) -> BackendResult<Self> {
        let uri = totp::provisioning_uri(ISSUER, account, &secret);
        let qr = qrcode::QrCode::new(uri.as_bytes())
            .map_err(|e| BackendError::Internal(format!("QR code: {e}")))?;
        let qr_svg = qr
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build();
        Ok(Self {
            secret,
            uri,
            qr_svg,
        })
    }

    /// The secret in groups of four letters, easier to type.
    pub fn grouped_secret(&self) -> String {
        self.secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub async fn status(db: &Db, me: &Identity) -> BackendResult<Status> {
    let mut conn = db.pool.acquire().await?;
    let stored = db::second_factors::find(&mut conn, me.account_id).await?;
    let recovery_codes_left =
        db::second_factors::recovery_codes_left(&mut conn, me.account_id).await?;
    let pending = match stored {
        Some(ref factor) if factor.confirmed_at.is_none() => {
            Some(Enrolment::of(&me.email, factor.secret.clone())?)
        }
        _ => None,
    };
    Ok(Status {
        enabled: stored.is_some_and(|f| f.confirmed_at.is_some()),
        required: me.second_factor_required(),
        recovery_codes_left,
        pending,
    })
}

/// Starts an enrolment with a new secret (replacing one not confirmed). Nothing changes for
/// the account until a code confirms it, so this is not an audited change.
pub async fn begin_enrolment(db: &Db, me: &Identity) -> BackendResult<()> {
    let mut tx = db.begin_write().await?;
    if db::second_factors::is_enabled(&mut tx, me.account_id).await? {
        return Err(BackendError::invalid(
            "La double authentification est déjà active sur ce compte.",
        ));
    }
    db::second_factors::start(&mut tx, me.account_id, &totp::new_secret(), Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Confirms the enrolment with a code from the application; returns the recovery codes, to be
/// shown once.
pub async fn confirm_enrolment(db: &Db, me: &Identity, code: &str) -> BackendResult<Vec<String>> {
    let attempt = code_attempt(db, me.account_id).await?;
    let mut work = db.unit_of_work(me).await?;
    let Some(factor) = db::second_factors::find(&mut work, me.account_id).await? else {
        return Err(BackendError::invalid(
            "Aucune activation en cours : recommencez depuis « Activer la double authentification ».",
        ));
    };
    if factor.confirmed_at.is_some() {
        return Err(BackendError::invalid(
            "La double authentification est déjà active sur ce compte.",
        ));
    }
    let Some(step) = totp::matching_step(&factor.secret, code, current_step()) else {
        return Err(BackendError::invalid_field(
            CODE_FIELD,
            "Ce code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le code affiché maintenant.",
        ));
    };
    db::second_factors::confirm(&mut work, me.account_id, step, Utc::now()).await?;
    let codes = issue_recovery_codes(&mut work, me.account_id).await?;
    attempt.succeeded(&mut work).await?;
    work.commit(event(me, SecondFactorChange::Enabled)).await?;
    tracing::info!(account_id = me.account_id, "second factor enabled");
    Ok(codes)
}

/// New recovery codes (the old ones stop working), after a code proves the phone is at hand.
pub async fn renew_recovery_codes(
    db: &Db,
    me: &Identity,
    code: &str,
) -> BackendResult<Vec<String>> {
    let attempt = code_attempt(db, me.account_id).await?;
    let mut work = db.unit_of_work(me).await?;
    prove(&mut work, me.account_id, code).await?;
    let codes = issue_recovery_codes(&mut work, me.account_id).await?;
    attempt.succeeded(&mut work).await?;
    work.commit(event(me, SecondFactorChange::RecoveryCodesRenewed))
        .await?;
    Ok(codes)
}

/// Removes the caller's own second factor, after a code; refused when their roles require one.
pub async fn disable(db: &Db, me: &Identity, code: &str) -> BackendResult<()> {
    if me.second_factor_required() {
        return Err(BackendError::invalid(
            "Votre rôle exige la double authentification : elle ne peut pas être retirée.",
        ));
    }
    let attempt = code_attempt(db, me.account_id).await?;
    let mut work = db.unit_of_work(me).await?;
    prove(&mut work, me.account_id, code).await?;
    db::second_factors::remove(&mut work, me.account_id).await?;
    attempt.succeeded(&mut work).await?;
    work.commit(event(me, SecondFactorChange::Disabled)).await
}

/// An administrator removes the second factor of an account whose owner lost their phone and
/// recovery codes; the account's sessions end, and a required factor is asked again at login.
pub async fn reset(db: &Db, by: &Identity, account_id: i64) -> BackendResult<()> {
    by.require(Action::ManageAccounts, Target::Global)?;
    let mut work = db.unit_of_work(by).await?;
    let account = db::accounts::find(&mut work, account_id).await?;
    db::second_factors::remove(&mut work, account_id).await?;
    db::sessions::delete_for_account(&mut work, account_id, None).await?;
    work.commit(AuditEvent::SecondFactor {
        account_id,
        name: account.display_name,
        change: SecondFactorChange::Reset,
    })
    .await
}

/// Whether the account signs in with a second factor (asked after its password).
pub async fn is_enabled(db: &Db, account_id: i64) -> BackendResult<bool> {
    let mut conn = db.pool.acquire().await?;
    db::second_factors::is_enabled(&mut conn, account_id).await
}

/// The signed ticket that carries an account from its password to its code.
pub fn ticket(sessions: &Sessions, account_id: i64) -> String {
    let expires = Utc::now().timestamp() + TICKET_SECONDS;
    sessions.sign(&format!("{TICKET_PREFIX}{account_id}:{expires}"))
}

/// The account a ticket names, if it is genuine and not expired.
pub fn ticket_account(sessions: &Sessions, ticket: &str) -> Option<i64> {
    let value = sessions
        .verify_signed(ticket)?
        .strip_prefix(TICKET_PREFIX)?;
    let (account, expires) = value.split_once(':')?;
    let expires: i64 = expires.parse().ok()?;
    (Utc::now().timestamp() <= expires)
        .then(|| account.parse().ok())
        .flatten()
}

/// The second step of login: checks the code (or a recovery code) and opens the session;
/// returns its token.
pub async fn complete_login(
    db: &Db,
    sessions: &Sessions,
    account_id: i64,
    typed: &str,
    client: &Client,
) -> BackendResult<String> {
    let account = {
        let mut conn = db.pool.acquire().await?;
        db::accounts::find(&mut conn, account_id).await?
    };
    let entry = |kind, detail: &str| SecurityEvent {
        kind,
        account_id: Some(account_id),
        account: account.email.clone(),
        address: client.address.clone(),
        detail: detail.to_string(),
    };
    if !account.active {
        return Err(BackendError::invalid(
            "Ce compte est désactivé. Adressez-vous à l'administrateur de votre fédération.",
        ));
    }
    let attempt = match code_attempt(db, account_id).await {
        Err(BackendError::Throttled(reason)) => {
            let refused = entry(
                SecurityKind::LoginRefused,
                "trop de codes : attente imposée",
            );
            security::record(db, refused).await;
            return Err(BackendError::Throttled(reason));
        }
        other => other?,
    };
    let mut tx = db.begin_write().await?;
    let used = match prove(&mut tx, account_id, typed).await {
        Ok(used) => used,
        Err(error) => {
            drop(tx);
            let refused = entry(SecurityKind::LoginRefused, "code de vérification incorrect");
            security::record(db, refused).await;
            return Err(error);
        }
    };
    attempt.succeeded(&mut tx).await?;
    db::accounts::record_login(&mut tx, account_id).await?;
    let token = sessions.create(&mut tx, account_id, client).await?;
    let detail = match used {
        Proof::OneTime => "avec code de vérification",
        Proof::Recovery => "avec un code de secours",
    };
    security::record_in(&mut tx, &entry(SecurityKind::Login, detail)).await?;
    tx.commit().await?;
    tracing::info!(account_id, detail, "login");
    Ok(token)
}

/// What proved the second factor.
enum Proof {
    OneTime,
    Recovery,
}

/// Checks a typed code against the account's confirmed factor and spends it (the step, or the
/// recovery code), in the caller's transaction.
async fn prove(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
    typed: &str,
) -> BackendResult<Proof> {
    let factor = db::second_factors::find(conn, account_id)
        .await?
        .filter(|f| f.confirmed_at.is_some())
        .ok_or_else(|| {
            BackendError::invalid("La double authentification n'est pas active sur ce compte.")
        })?;
    let wrong = || BackendError::invalid_field(CODE_FIELD, WRONG_CODE);
    match TypedCode::read(typed) {
        Some(TypedCode::OneTime(code)) => {
            let step =
                totp::matching_step(&factor.secret, &code, current_step()).ok_or_else(wrong)?;
            if db::second_factors::use_step(conn, account_id, step).await? {
                Ok(Proof::OneTime)
            } else {
                Err(wrong())
            }
        }
        Some(TypedCode::Recovery(code)) => {
            let now = Utc::now();
            if db::second_factors::use_recovery_code(conn, account_id, &hash(&code), now).await? {
                Ok(Proof::Recovery)
            } else {
                Err(wrong())
            }
        }
        None => Err(BackendError::invalid_field(CODE_FIELD, UNREADABLE_CODE)),
    }
}

fn current_step() -> i64 {
    totp::step_at(Utc::now().timestamp())
}

async fn code_attempt(db: &Db, account_id: i64) -> BackendResult<throttle::Attempt> {
    throttle::begin_second_factor(db, account_id).await
}

async fn issue_recovery_codes(
    conn: &mut sqlx::AnyConnection,
    account_id: i64,
) -> BackendResult<Vec<String>> {
    let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
    let hashes: Vec<String> = codes.iter().map(|c| hash(c)).collect();
    db::second_factors::replace_recovery_codes(conn, account_id, &hashes).await?;
    Ok(codes
        .iter()
        .map(|c| domain::second_factor::display_recovery_code(c))
        .collect())
}

fn new_recovery_code() -> String {
    let mut rng = rand::thread_rng();
    (0..2 * RECOVERY_GROUP)
        .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
        .collect()
}

fn hash(code: &str) -> String {
    crate::digest::sha256_hex(code.as_bytes())
}

fn event(me: &Identity, change: SecondFactorChange) -> AuditEvent {
    AuditEvent::SecondFactor {
        account_id: me.account_id,
        name: me.display_name.clone(),
        change,
    }
}

/// The QR code as an `<img>` source (`data:`, allowed by the page's content policy).
pub fn qr_data_uri(enrolment: &Enrolment) -> String {
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(enrolment.qr_svg.as_bytes())
    )
}
