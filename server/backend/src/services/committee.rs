//! Use cases of the certification committee and of the certificates it gives: who sits for a
//! decision (a member with a declared tie to the SIAE or its region within three years is
//! recused), the decision itself (a step of the demande, see `services::demandes`), the
//! certificate with its verification code and QR code, and the public verification.

use crate::db::{self, Db, UnitOfWork};
use crate::error::{BackendError, BackendResult};
use crate::identity::Identity;
use crate::pdf::{ImageFile, RenderJob, Renderer, Template};
use chrono::NaiveDate;
use domain::certification::certificate::{code_from, normalise_code, validity, Verification};
use domain::certification::committee::{CommitteeDecision, Participation, Seat, Verdict};
use domain::certification::conflict::{screen, Audited};
use domain::certification::view::CommitteeMember;
use domain::organisation::Organisation;
use domain::policy::Action;
use domain::role::Role;
use serde_json::json;
use sqlx::AnyConnection;

/// The committee's decision as its form gives it.
#[derive(Clone, Debug)]
pub struct DecisionForm {
    pub verdict: Verdict,
    pub held_on: NaiveDate,
    /// The members present (accounts), and those of them who abstained.
    pub present: Vec<i64>,
    pub abstaining: Vec<i64>,
    pub reasons: String,
    pub conditions: String,
    pub conditions_due_on: Option<NaiveDate>,
}

/// The committee's members, each with whether a declared tie recuses them for this SIAE.
pub async fn members(
    conn: &mut AnyConnection,
    siae: &Organisation,
) -> BackendResult<Vec<CommitteeMember>> {
    let audited = Audited::from(siae);
    let mut members = Vec::new();
    for (account_id, name) in db::auditors::holding(conn, Role::MembreComiteCertification).await? {
        let ties = db::auditors::ties(conn, account_id).await?;
        let screening = screen(&ties, audited, domain::time::today());
        members.push(CommitteeMember {
            account_id,
            name,
            recused_by: screening
                .blocking
                .into_iter()
                .map(|t| t.organisation_name)
                .collect(),
        });
    }
    Ok(members)
}

/// The decision to check against the lifecycle: the seats from the members present.
pub(crate) async fn decision(
    conn: &mut AnyConnection,
    by: &Identity,
    siae: &Organisation,
    form: DecisionForm,
) -> BackendResult<CommitteeDecision> {
    let members = members(conn, siae).await?;
    let mut seats = Vec::new();
    for id in &form.present {
        let Some(member) = members.iter().find(|m| m.account_id == *id) else {
            return Err(BackendError::invalid_field(
                "members",
                "Choisissez les membres présents parmi ceux du comité de certification.",
            ));
        };
        let participation = if !member.recused_by.is_empty() {
            Participation::Recusal
        } else if form.abstaining.contains(id) {
            Participation::Abstention
        } else {
            Participation::Vote
        };
        seats.push(Seat {
            account_id: *id,
            name: member.name.clone(),
            participation,
        });
    }
    Ok(CommitteeDecision {
        verdict: form.verdict,
        held_on: form.held_on,
        seats,
        reasons: form.reasons,
        conditions: form.conditions,
        conditions_due_on: form.conditions_due_on,
        recorded_by: by.account_id,
    })
}

/// Keeps the decision and, for a certification, issues the certificate, in the change `work`.
pub(crate) async fn record(
    work: &mut UnitOfWork,
    renderer: &Renderer,
    siae: &Organisation,
    demande_id: i64,
    decision: &CommitteeDecision,
    verification_base: &str,
) -> BackendResult<()> {
    db::certificates::insert_decision(work, demande_id, decision).await?;
    if !decision.verdict.certifies() {
        return Ok(());
    }
    let code = code_from(rand::random());
    let (valid_from, valid_until) = validity(decision.held_on);
    let address = format!("{verification_base}/verification/{code}");
    let qr = qrcode::QrCode::new(address.as_bytes())
        .map_err(|e| BackendError::Internal(format!("QR code: {e}")))?
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    let (_, referentiel) = crate::services::referentiels::for_siae_in(work, siae).await?;
    let date = domain::time::display_date;
    let data = json!({
        "structure": { "nom": siae.name, "ville": siae.city.clone().unwrap_or_default() },
        "referentiel": referentiel.title,
        "mention": if decision.verdict == Verdict::Certifiee { "sans réserve" } else { "sous les conditions fixées par le comité" },
        "decision": date(decision.held_on),
        "debut": date(valid_from),
        "fin": date(valid_until),
        "code": code,
        "adresse": address,
    });
    let job = RenderJob {
        template: Template::Certificate,
        date: decision.held_on,
        data,
        images: vec![ImageFile {
            path: "/qr.svg".into(),
            bytes: qr.into_bytes(),
        }],
    };
    let renderer = renderer.clone();
    let pdf = tokio::task::spawn_blocking(move || renderer.render(job))
        .await
        .map_err(|e| BackendError::Internal(format!("certificate rendering: {e}")))??;
    db::certificates::insert(
        work,
        &db::certificates::NewCertificate {
            code: &code,
            siae_id: siae.id,
            demande_id,
            valid_from,
            valid_until,
            pdf: &pdf,
        },
    )
    .await
}

/// What the public page shows of a code; an unknown or malformed code is not found, alike.
pub async fn verify(db: &Db, typed: &str) -> BackendResult<Verification> {
    let not_found = || BackendError::NotFound("certificate".into());
    let code = normalise_code(typed).ok_or_else(not_found)?;
    let mut conn = db.pool.acquire().await?;
    db::certificates::verify(&mut conn, &code)
        .await?
        .ok_or_else(not_found)
}

/// The SIAE's latest certificate as a PDF, for those who follow its certification.
pub async fn certificate_pdf(
    db: &Db,
    by: &Identity,
    siae_id: i64,
) -> BackendResult<(String, Vec<u8>)> {
    use crate::services::organisations::siae_for;
    let siae = match siae_for(db, by, siae_id, Action::ViewDemande).await {
        Ok(siae) => siae,
        // The committee's members read the certificates they give.
        Err(refused) => siae_for(db, by, siae_id, Action::DecideCertification)
            .await
            .map_err(|_| refused)?,
    };
    let mut conn = db.pool.acquire().await?;
    let (code, pdf) = db::certificates::pdf_of_siae(&mut conn, siae.id).await?;
    Ok((format!("certificat-cedre-{code}.pdf"), pdf))
}

/// The committee withdraws the SIAE's certificate (conditions not met, a serious breach): with
/// its reasons, in the timeline of the demande that gave it and in the audit trail.
pub async fn withdraw(db: &Db, by: &Identity, siae_id: i64, reasons: &str) -> BackendResult<()> {
    let reasons = reasons.trim();
    if reasons.is_empty() || reasons.chars().count() > 4_000 {
        return Err(BackendError::invalid_field(
            "reasons",
            "Motivez le retrait du certificat (4 000 caractères au plus).",
        ));
    }
    let mut work = db.unit_of_work(by).await?;
    let siae = crate::services::organisations::siae_for_change(
        &mut work,
        by,
        siae_id,
        Action::DecideCertification,
    )
    .await?;
    let certificate = db::certificates::latest_of_siae(&mut work, siae_id)
        .await?
        .ok_or_else(|| BackendError::NotFound(format!("certificate of {siae_id}")))?;
    if !db::certificates::withdraw(&mut work, siae_id, reasons).await? {
        return Err(BackendError::invalid("Ce certificat est déjà retiré."));
    }
    if let Some(demande) = db::demandes::latest_decided(&mut work, siae_id).await? {
        db::demandes::add_step(
            &mut work,
            &db::demandes::NewStep {
                demande_id: demande.id,
                actor: (by.account_id, &by.display_name),
                from: Some(demande.state),
                to: demande.state,
                comment: &format!("Certificat {} retiré : {reasons}", certificate.code),
                edition_id: None,
                assessment: None,
                meeting: None,
            },
        )
        .await?;
    }
    work.commit(domain::audit::AuditEvent::CertificateWithdrawn {
        siae_id,
        siae_name: siae.name,
        code: certificate.code,
        reasons: reasons.to_string(),
    })
    .await
}
