/// Percent-encodes a value for a URL query string.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The page of one requirement of a SIAE's self-assessment.
pub fn requirement_page(siae_id: i64, key: &str) -> String {
    format!(
        "/organisations/{siae_id}/referentiel/exigence?cle={}",
        encode(key)
    )
}

pub fn manual_page(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/manuel")
}

/// An auditor's declaration of ties.
pub const TIES_PAGE: &str = "/declaration-de-liens";

pub fn certification_page(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/certification")
}

/// The action plan answering the SIAE's latest audit of `kind`.
pub fn action_plan(siae_id: i64, kind: domain::certification::demande::DemandeKind) -> String {
    match kind {
        domain::certification::demande::DemandeKind::Certification => {
            format!("/organisations/{siae_id}/certification/actions")
        }
        domain::certification::demande::DemandeKind::AuditBlanc => {
            format!("/organisations/{siae_id}/certification/audit-blanc/actions")
        }
    }
}

pub fn editions_page(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/manuel/editions")
}

/// An issued edition's PDF.
pub fn edition_pdf(siae_id: i64, edition_id: i64) -> String {
    format!("/organisations/{siae_id}/manuel/editions/{edition_id}")
}

pub fn section_page(section_id: i64) -> String {
    format!("/manuel/sections/{section_id}")
}

pub fn version_page(version_id: i64) -> String {
    format!("/referentiel/versions/{version_id}")
}

/// The audit's grid and report.
pub fn audit_page(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/certification/audit")
}

/// The audit grid to fill offline, and where the filled one is sent.
pub fn offline_grid(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/certification/audit/grille.csv")
}

pub fn grid_upload(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/certification/audit/grille")
}

/// What an uploaded grid would change, before it applies.
pub fn grid_import_page(siae_id: i64, upload_id: i64) -> String {
    format!("/organisations/{siae_id}/certification/audit/import/{upload_id}")
}

/// The submitted compte-rendu's PDF.
pub fn audit_report_pdf(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/certification/compte-rendu.pdf")
}

/// A file of the audited dossier: the frozen edition (`None`) or an evidence document.
pub fn dossier_file(siae_id: i64, document_id: Option<i64>) -> String {
    match document_id {
        None => format!("/organisations/{siae_id}/certification/dossier/edition.pdf"),
        Some(id) => format!("/organisations/{siae_id}/certification/dossier/preuves/{id}"),
    }
}

/// The SIAE's latest certificate as a PDF.
pub fn certificate_pdf(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/certification/certificat.pdf")
}

/// The public verification of a certificate's code.
pub fn verification_page(code: &str) -> String {
    format!("/verification/{}", encode(code))
}

/// An element id for a requirement key (`1.2.a` → `exigence-1-2-a`).
pub fn anchor(key: &str) -> String {
    let safe: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("exigence-{safe}")
}

/// The list of the people a SIAE supports.
pub fn persons_page(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/personnes")
}

/// A person's fiche de suivi.
pub fn person_page(person_id: i64) -> String {
    format!("/personnes/{person_id}")
}

/// The tableau de synthèse des parcours of a SIAE.
pub fn synthesis_page(siae_id: i64) -> String {
    format!("/organisations/{siae_id}/personnes/synthese")
}

/// The convention of an engagement réciproque, with its bilan, as a PDF.
pub fn convention_pdf(person_id: i64, engagement_id: i64) -> String {
    format!("/personnes/{person_id}/engagements/{engagement_id}/convention.pdf")
}

/// A person's fiche individuelle de suivi as a PDF.
pub fn follow_up_pdf(person_id: i64) -> String {
    format!("/personnes/{person_id}/fiche-de-suivi.pdf")
}

/// Everything recorded of a person, as JSON (their right of access).
pub fn access_export(person_id: i64) -> String {
    format!("/personnes/{person_id}/donnees.json")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_and_non_ascii_characters_are_encoded() {
        assert_eq!(super::encode("/a b&é"), "%2Fa%20b%26%C3%A9");
    }
}
