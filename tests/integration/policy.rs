use app::api::SERVER_FN_POLICIES;
use domain::policy::Action;
use domain::role::Role;
use http::StatusCode;
use leptos::server_fn::axum::server_fn_paths;
use tests::{on_both_engines, Engine, TestApp};

/// Fails when a server function is added without a line in the policy table.
#[test]
fn every_registered_server_function_has_a_policy() {
    let registered: Vec<&str> = server_fn_paths().map(|(path, _)| path).collect();
    assert!(
        registered.len() >= SERVER_FN_POLICIES.len(),
        "server functions are registered"
    );
    for path in &registered {
        assert!(
            SERVER_FN_POLICIES.iter().any(|(p, _)| p == path),
            "the server function {path} has no entry in app::api::SERVER_FN_POLICIES"
        );
    }
    for (path, _) in SERVER_FN_POLICIES {
        assert!(
            registered.contains(path),
            "{path} is in the policy table but not registered"
        );
    }
}

/// The policy (`domain::policy::authorize`) written out for a reviewer: one line per role and
/// action, one column per target. `Y` allows, `-` denies. The actors' homes: the federation for
/// the federal roles (administrator, federal quality manager, certification committee), region A
/// for the regional roles, SIAE A1 (in region A) for the SIAE roles, cabinet 1 for the auditor.
/// Targets: `Global` (the installation as a whole), the federation, regions A and B, SIAE A1 and
/// A2 (region A), SIAE B1 (region B), audit firms 1 and 2.
#[rustfmt::skip]
const POLICY: &[(&str, Role, Action)] = &[
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::ViewOrganisation),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::ViewMembers),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::EditOrganisation),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::CreateOrganisation),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::ManageAccounts),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::ViewAuditTrail),
    (" -      -      -      -      Y      Y      Y      -      -", Role::Administrateur, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::EditAssessment),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ViewNetwork),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ApproveManual),
    (" -      -      -      -      Y      Y      Y      -      -", Role::Administrateur, Action::ViewIssuedManual),
    (" -      -      -      -      Y      Y      Y      -      -", Role::Administrateur, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::DeclareTies),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::DecideCertification),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::Administrateur, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::SetProgrammeRules),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::Administrateur, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      Y      Y      Y      Y      Y      Y      Y      Y", Role::ResponsableQualiteFederal, Action::ViewOrganisation),
    (" -      Y      Y      Y      Y      Y      Y      Y      Y", Role::ResponsableQualiteFederal, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ViewAuditTrail),
    (" -      -      -      -      Y      Y      Y      -      -", Role::ResponsableQualiteFederal, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::EditAssessment),
    (" Y      Y      Y      Y      Y      Y      Y      Y      Y", Role::ResponsableQualiteFederal, Action::ManageReferentiel),
    (" Y      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ViewNetwork),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ApproveManual),
    (" -      -      -      -      Y      Y      Y      -      -", Role::ResponsableQualiteFederal, Action::ViewIssuedManual),
    (" -      -      -      -      Y      Y      Y      -      -", Role::ResponsableQualiteFederal, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::DecideDemandeRegion),
    (" -      -      -      -      Y      Y      Y      -      -", Role::ResponsableQualiteFederal, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::DeclareTies),
    (" -      -      -      -      Y      Y      Y      -      -", Role::ResponsableQualiteFederal, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ViewOutbox),
    (" Y      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::SetProgrammeRules),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::ResponsableQualiteFederal, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      Y      Y      Y      Y      Y      Y      Y      Y", Role::MembreComiteCertification, Action::ViewOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewAuditTrail),
    (" -      -      -      -      Y      Y      Y      -      -", Role::MembreComiteCertification, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ManageReferentiel),
    (" Y      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewNetwork),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ApproveManual),
    (" -      -      -      -      Y      Y      Y      -      -", Role::MembreComiteCertification, Action::ViewIssuedManual),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ConductAudit),
    (" Y      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::DeclareTies),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ReadAuditReport),
    (" -      -      -      -      Y      Y      Y      -      -", Role::MembreComiteCertification, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::SetProgrammeRules),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::MembreComiteCertification, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      -      Y      -      Y      Y      -      -      -", Role::ReferentQualiteRegional, Action::ViewOrganisation),
    (" -      -      Y      -      Y      Y      -      -      -", Role::ReferentQualiteRegional, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ViewAuditTrail),
    (" -      -      -      -      Y      Y      -      -      -", Role::ReferentQualiteRegional, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ViewNetwork),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ApproveManual),
    (" -      -      -      -      Y      Y      -      -      -", Role::ReferentQualiteRegional, Action::ViewIssuedManual),
    (" -      -      -      -      Y      Y      -      -      -", Role::ReferentQualiteRegional, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::EditDemande),
    (" -      -      -      -      Y      Y      -      -      -", Role::ReferentQualiteRegional, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::DeclareTies),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::SetProgrammeRules),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualiteRegional, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      -      Y      -      Y      Y      -      -      -", Role::MembreCaRegional, Action::ViewOrganisation),
    (" -      -      Y      -      -      -      -      -      -", Role::MembreCaRegional, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ViewAuditTrail),
    (" -      -      -      -      Y      Y      -      -      -", Role::MembreCaRegional, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ViewNetwork),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ApproveManual),
    (" -      -      -      -      Y      Y      -      -      -", Role::MembreCaRegional, Action::ViewIssuedManual),
    (" -      -      -      -      Y      Y      -      -      -", Role::MembreCaRegional, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ReviewDemande),
    (" -      -      -      -      Y      Y      -      -      -", Role::MembreCaRegional, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::DeclareTies),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::SetProgrammeRules),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::MembreCaRegional, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      -      Y      -      Y      -      -      -      -", Role::ReferentQualite, Action::ViewOrganisation),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ViewAuditTrail),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ViewAssessment),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ViewNetwork),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ViewManual),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::EditManual),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ApproveManual),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ViewIssuedManual),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ViewDemande),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::DeclareTies),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::SetProgrammeRules),
    (" -      -      -      -      Y      -      -      -      -", Role::ReferentQualite, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::ReferentQualite, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      -      Y      -      Y      -      -      -      -", Role::Direction, Action::ViewOrganisation),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ViewAuditTrail),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ViewAssessment),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ViewNetwork),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ViewManual),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::EditManual),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ApproveManual),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ViewIssuedManual),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ViewDemande),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::DeclareTies),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::Direction, Action::SetProgrammeRules),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::FollowParcours),
    (" -      -      -      -      Y      -      -      -      -", Role::Direction, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      -      Y      -      Y      -      -      -      -", Role::Accompagnateur, Action::ViewOrganisation),
    (" -      -      -      -      Y      -      -      -      -", Role::Accompagnateur, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ViewAuditTrail),
    (" -      -      -      -      Y      -      -      -      -", Role::Accompagnateur, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ViewNetwork),
    (" -      -      -      -      Y      -      -      -      -", Role::Accompagnateur, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ApproveManual),
    (" -      -      -      -      Y      -      -      -      -", Role::Accompagnateur, Action::ViewIssuedManual),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::AssignAuditor),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ConductAudit),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::DeclareTies),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::SetProgrammeRules),
    (" -      -      -      -      Y      -      -      -      -", Role::Accompagnateur, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::Accompagnateur, Action::ViewFileReads),
    // Global Fed    RegA   RegB   A1     A2     B1     Cab1   Cab2
    (" -      -      -      -      -      -      -      Y      -", Role::AuditeurExterne, Action::ViewOrganisation),
    (" -      -      -      -      -      -      -      Y      -", Role::AuditeurExterne, Action::ViewMembers),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::EditOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::CreateOrganisation),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ManageAccounts),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewAuditTrail),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::EditAssessment),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ManageReferentiel),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewNetwork),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewManual),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::EditManual),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ApproveManual),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewIssuedManual),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::EditDemande),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ReviewDemande),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::DecideDemandeRegion),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::AssignAuditor),
    (" Y      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ConductAudit),
    (" Y      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::DeclareTies),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ReadAuditReport),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::DecideCertification),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewOutbox),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::SetProgrammeRules),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::FollowParcours),
    (" -      -      -      -      -      -      -      -      -", Role::AuditeurExterne, Action::ViewFileReads),
];

#[test]
fn the_policy_is_the_table() {
    use domain::organisation::{OrgRef, OrganisationKind::*};
    use domain::policy::{authorize, Actor, Decision, Target};
    use domain::role::Membership;
    let org = |id, kind, region_id| {
        Target::Organisation(OrgRef {
            id,
            kind,
            region_id,
        })
    };
    let (federation, region_a, siae_a1, cabinet_1) = (1, 10, 11, 30);
    let targets = [
        ("Global", Target::Global),
        ("Fed", org(federation, Federation, None)),
        ("RegA", org(region_a, Region, Some(region_a))),
        ("RegB", org(20, Region, Some(20))),
        ("A1", org(siae_a1, Siae, Some(region_a))),
        ("A2", org(12, Siae, Some(region_a))),
        ("B1", org(21, Siae, Some(20))),
        ("Cab1", org(cabinet_1, CabinetAudit, None)),
        ("Cab2", org(31, CabinetAudit, None)),
    ];
    let actor = |role: Role| {
        let (organisation_id, region_id) = match role {
            Role::Administrateur
            | Role::ResponsableQualiteFederal
            | Role::MembreComiteCertification => (federation, None),
            Role::ReferentQualiteRegional | Role::MembreCaRegional => (region_a, Some(region_a)),
            Role::ReferentQualite | Role::Direction | Role::Accompagnateur => {
                (siae_a1, Some(region_a))
            }
            Role::AuditeurExterne => (cabinet_1, None),
        };
        Actor {
            account_id: 1,
            memberships: vec![Membership {
                role,
                organisation_id,
                region_id,
            }],
        }
    };
    // Every role and every action has its line, once.
    for role in Role::ALL {
        for action in Action::ALL {
            let lines = POLICY
                .iter()
                .filter(|(_, r, a)| *r == role && *a == action)
                .count();
            assert_eq!(lines, 1, "{role:?} {action:?}: {lines} lines in the table");
        }
    }
    let mut wrong = Vec::new();
    for (cells, role, action) in POLICY {
        let cells: Vec<&str> = cells.split_whitespace().collect();
        assert_eq!(cells.len(), targets.len(), "{role:?} {action:?}");
        for (cell, (place, target)) in cells.iter().zip(targets) {
            let expected = match *cell {
                "Y" => Decision::Allow,
                "-" => Decision::Deny,
                other => panic!("{role:?} {action:?}: {other:?} is neither Y nor -"),
            };
            let got = authorize(&actor(*role), *action, target);
            if got != expected {
                wrong.push(format!(
                    "{role:?} {action:?} on {place}: {got:?}, the table says {expected:?}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the policy differs from the table:\n{}",
        wrong.join("\n")
    );
    // No membership, no right; memberships add up.
    let nobody = Actor {
        account_id: 2,
        memberships: vec![],
    };
    let both = Actor {
        account_id: 3,
        memberships: [actor(Role::Accompagnateur), actor(Role::AuditeurExterne)]
            .into_iter()
            .flat_map(|a| a.memberships)
            .collect(),
    };
    for action in Action::ALL {
        for (place, target) in targets {
            assert_eq!(
                authorize(&nobody, action, target),
                Decision::Deny,
                "{action:?} {place}"
            );
            let either = authorize(&actor(Role::Accompagnateur), action, target).is_allowed()
                || authorize(&actor(Role::AuditeurExterne), action, target).is_allowed();
            assert_eq!(
                authorize(&both, action, target).is_allowed(),
                either,
                "{action:?} {place}"
            );
        }
    }
}

/// Organisation pages by role: own organisation, another of the same region, one of another region.
async fn organisation_pages_follow_the_policy(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    let own_siae = app
        .id_of(
            ("organisations", "name"),
            "Emploi Solidaire du Pays de Rennes",
        )
        .await;
    let same_region_siae = app
        .id_of(("organisations", "name"), "Tremplin Intérim Armor")
        .await;
    let other_region_siae = app
        .id_of(("organisations", "name"), "Recyclerie du Forez")
        .await;
    let region = app
        .id_of(("organisations", "name"), "COORACE Bretagne")
        .await;
    let cabinet = app.id_of(("organisations", "name"), "Qualis Audit").await;
    let ok = StatusCode::OK;
    let hidden = StatusCode::NOT_FOUND;
    let cases = [
        (
            "referent@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, hidden),
                (other_region_siae, hidden),
                (region, ok),
            ],
        ),
        (
            "accompagnateur@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, hidden),
                (other_region_siae, hidden),
                (cabinet, hidden),
            ],
        ),
        (
            "rq-region@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, hidden),
                (region, ok),
            ],
        ),
        (
            "ca-region@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, hidden),
                (cabinet, hidden),
            ],
        ),
        (
            "rq-federal@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, ok),
                (cabinet, ok),
            ],
        ),
        (
            "comite@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, ok),
                (region, ok),
            ],
        ),
        (
            "auditeur@cedre.demo",
            [
                (cabinet, ok),
                (own_siae, hidden),
                (other_region_siae, hidden),
                (region, hidden),
            ],
        ),
        (
            "admin@cedre.demo",
            [
                (own_siae, ok),
                (same_region_siae, ok),
                (other_region_siae, ok),
                (cabinet, ok),
            ],
        ),
    ];
    for (email, expectations) in cases {
        let mut client = app.signed_in(email).await;
        for (id, status) in expectations {
            let page = client.get(&format!("/organisations/{id}")).await;
            assert_eq!(page.status, status, "{email} on organisation {id}");
        }
        // The directory lists exactly what the pages allow.
        let directory = client.get("/organisations").await.body;
        assert_eq!(
            directory.contains("Recyclerie du Forez"),
            [
                "rq-federal@cedre.demo",
                "comite@cedre.demo",
                "admin@cedre.demo"
            ]
            .contains(&email),
            "{email} directory"
        );
    }
    // Members (names, e-mail addresses) are shown to the organisation's own people, not to the committee.
    let mut committee = app.signed_in("comite@cedre.demo").await;
    assert!(!committee
        .get(&format!("/organisations/{own_siae}"))
        .await
        .body
        .contains("accompagnateur@cedre.demo"));
    let mut referent = app.signed_in("referent@cedre.demo").await;
    assert!(referent
        .get(&format!("/organisations/{own_siae}"))
        .await
        .body
        .contains("accompagnateur@cedre.demo"));
    app.finish().await;
}
on_both_engines!(organisation_pages_follow_the_policy);

/// Each role sees the navigation it may use; administration pages answer 403 to others.
async fn navigation_and_administration_pages_by_role(engine: Engine) {
    let Some(app) = TestApp::with_demo(engine).await else {
        return;
    };
    for account in backend::demo::ACCOUNTS {
        let mut client = app.signed_in(account.email).await;
        let home = client.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{}", account.email);
        let is_admin = account.role == domain::role::Role::Administrateur;
        assert_eq!(
            home.body.contains("href=\"/administration/comptes\""),
            is_admin,
            "{}",
            account.email
        );
        assert_eq!(
            home.body.contains("href=\"/administration/journal\""),
            is_admin,
            "{}",
            account.email
        );
        for page in [
            "/administration/comptes",
            "/administration/journal",
            "/organisations/nouvelle",
        ] {
            let status = client.get(page).await.status;
            assert_eq!(
                status == StatusCode::OK,
                is_admin,
                "{} on {page}: {status}",
                account.email
            );
            if !is_admin {
                assert_eq!(status, StatusCode::FORBIDDEN, "{} on {page}", account.email);
            }
        }
    }
    app.finish().await;
}
on_both_engines!(navigation_and_administration_pages_by_role);
