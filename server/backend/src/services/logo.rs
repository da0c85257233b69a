//! The logo on the cover of a SIAE's manual editions: put on by those who write the manual (an
//! image checked by its header, then decoded once by typst, so that no edition fails on it),
//! taken off, and shown to those who read the editions.

use crate::db::{self, Db};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::services::organisations::{siae_for, siae_for_change};
use domain::audit::AuditEvent;
use domain::manual::logo::{check_logo, LogoFormat};
use domain::policy::Action;

/// Refuses early a caller who may not change the logo: the upload is not read for them.
pub async fn authorize_upload(db: &Db, by: &Identity, siae_id: i64) -> BackendResult<()> {
    siae_for(db, by, siae_id, Action::EditManual)
        .await
        .map(|_| ())
}

/// Puts `bytes` on the cover of the SIAE's next editions; `None` takes the logo off.
pub async fn set(db: &Db, by: &Identity, siae_id: i64, bytes: Option<&[u8]>) -> BackendResult<()> {
    let image = match bytes {
        Some(bytes) => {
            let format = check_logo(bytes).map_err(|m| BackendError::invalid_field("logo", m))?;
            if !crate::pdf::decodes(bytes, format) {
                return Err(BackendError::invalid_field(
                    "logo",
                    "Cette image est illisible.",
                ));
            }
            Some((format, bytes, crate::digest::sha256_hex(bytes)))
        }
        None => None,
    };
    let mut work = db.unit_of_work(by).await?;
    let siae = siae_for_change(&mut work, by, siae_id, Action::EditManual).await?;
    let stored = image
        .as_ref()
        .map(|(format, bytes, sha256)| (*format, *bytes, sha256.as_str()));
    let logo_id = db::logos::insert(
        &mut work,
        siae_id,
        stored,
        by.account_id,
        chrono::Utc::now(),
    )
    .await?;
    work.commit(AuditEvent::ManualLogo {
        siae_id,
        siae_name: siae.name,
        logo_id,
        sha256: image.map(|(.., sha256)| sha256),
    })
    .await
}

/// The SIAE's current logo, for those who read its editions.
pub async fn current(
    db: &Db,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<Option<(LogoFormat, Vec<u8>)>> {
    siae_for(db, by, siae_id, Action::ViewIssuedManual).await?;
    let logo = db::logos::current(&mut *db.pool.acquire().await?, siae_id).await?;
    Ok(logo.map(|l| (l.format, l.image)))
}
