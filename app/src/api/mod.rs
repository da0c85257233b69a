//! Server functions: thin. Each takes the caller from the session, calls one use case of
//! `backend` (which applies `domain::policy`), and maps the result for the page or the form.

pub mod accounts;
pub mod audit;
pub mod audits;
pub mod auth;
pub mod certification;
pub mod corrective;
pub mod home;
pub mod manual;
pub mod organisations;
pub mod parcours;
pub mod programme;
pub mod referentiel;
pub mod second_factor;
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod ssr;

use domain::policy::Action;

/// Who may call a server function; `backend` enforces the decision, this table documents it and
/// lets a test prove that no registered server function was added without one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any signed-in account; what it returns depends on the caller's memberships.
    SignedIn,
    Requires(Action),
}

pub const SERVER_FN_POLICIES: &[(&str, Access)] = &[
    ("/api/connexion", Access::Public),
    ("/api/connexion/code", Access::Public),
    ("/api/connexion/code/etat", Access::Public),
    ("/api/double-authentification/etat", Access::SignedIn),
    ("/api/double-authentification/activer", Access::SignedIn),
    ("/api/double-authentification/confirmer", Access::SignedIn),
    (
        "/api/double-authentification/codes-de-secours",
        Access::SignedIn,
    ),
    ("/api/double-authentification/retirer", Access::SignedIn),
    (
        "/api/comptes/double-authentification",
        Access::Requires(Action::ManageAccounts),
    ),
    ("/api/deconnexion", Access::SignedIn),
    ("/api/mot-de-passe", Access::SignedIn),
    ("/api/sessions/liste", Access::SignedIn),
    ("/api/sessions/fermer", Access::SignedIn),
    ("/api/accueil", Access::SignedIn),
    (
        "/api/organisations/liste",
        Access::Requires(Action::ViewOrganisation),
    ),
    (
        "/api/organisations/fiche",
        Access::Requires(Action::ViewOrganisation),
    ),
    (
        "/api/organisations/formulaire",
        Access::Requires(Action::EditOrganisation),
    ),
    (
        "/api/organisations/creer",
        Access::Requires(Action::CreateOrganisation),
    ),
    (
        "/api/organisations/modifier",
        Access::Requires(Action::EditOrganisation),
    ),
    (
        "/api/organisations/activer",
        Access::Requires(Action::EditOrganisation),
    ),
    (
        "/api/comptes/liste",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/fiche",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/creer",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/modifier",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/activer",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/reinitialiser",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/roles/ajouter",
        Access::Requires(Action::ManageAccounts),
    ),
    (
        "/api/comptes/roles/retirer",
        Access::Requires(Action::ManageAccounts),
    ),
    ("/api/journal", Access::Requires(Action::ViewAuditTrail)),
    ("/api/courriels", Access::Requires(Action::ViewOutbox)),
    // The plan answers the audit's findings: read as the report is (AuditReader), planned by
    // the SIAE, checked and lifted by the auditor of the audit or the federation — by the SIAE
    // itself (EditDemande) on the plan of its audit blanc.
    (
        "/api/certification/actions",
        Access::Requires(Action::ReadAuditReport),
    ),
    (
        "/api/certification/actions/prevoir",
        Access::Requires(Action::EditDemande),
    ),
    (
        "/api/certification/actions/realiser",
        Access::Requires(Action::EditDemande),
    ),
    (
        "/api/certification/actions/verifier",
        Access::Requires(Action::AssignAuditor),
    ),
    (
        "/api/certification/actions/lever",
        Access::Requires(Action::AssignAuditor),
    ),
    // The SIAE draws the plan of its audit blanc from its findings, all in one step.
    (
        "/api/certification/audit-blanc/plan",
        Access::Requires(Action::EditDemande),
    ),
    // The people a SIAE supports: its own staff only; a person out of reach is not found.
    (
        "/api/parcours/personnes",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/personnes/creer",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/personne",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/personne/modifier",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/engagement",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/bilan",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/action",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/action/etat",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/sortie",
        Access::Requires(Action::FollowParcours),
    ),
    (
        "/api/parcours/synthese",
        Access::Requires(Action::FollowParcours),
    ),
    // A commitment of the SIAE's quality approach: its référent qualité and direction.
    (
        "/api/parcours/delai",
        Access::Requires(Action::EditAssessment),
    ),
    // Read by those who follow the network (ViewNetwork) and by who sets them.
    ("/api/programme/regles", Access::SignedIn),
    (
        "/api/programme/regles/enregistrer",
        Access::Requires(Action::SetProgrammeRules),
    ),
    (
        "/api/programme/prix",
        Access::Requires(Action::SetProgrammeRules),
    ),
    // The assigned auditor, on their assignment (checked by the use case).
    (
        "/api/certification/demande/facture",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/demande/prise-en-charge",
        Access::Requires(Action::AssignAuditor),
    ),
    (
        "/api/journal/securite",
        Access::Requires(Action::ViewAuditTrail),
    ),
    (
        "/api/referentiel/structure",
        Access::Requires(Action::ViewAssessment),
    ),
    (
        "/api/referentiel/historique",
        Access::Requires(Action::ViewAssessment),
    ),
    (
        "/api/referentiel/evaluer",
        Access::Requires(Action::EditAssessment),
    ),
    (
        "/api/referentiel/preuve",
        Access::Requires(Action::EditAssessment),
    ),
    (
        "/api/referentiel/preuve-manuel",
        Access::Requires(Action::EditAssessment),
    ),
    (
        "/api/referentiel/moyen",
        Access::Requires(Action::EditAssessment),
    ),
    (
        "/api/referentiel/tableau",
        Access::Requires(Action::ViewAssessment),
    ),
    ("/api/referentiel/versions", Access::SignedIn),
    ("/api/referentiel/version", Access::SignedIn),
    (
        "/api/referentiel/versions/creer",
        Access::Requires(Action::ManageReferentiel),
    ),
    (
        "/api/referentiel/versions/exigence",
        Access::Requires(Action::ManageReferentiel),
    ),
    (
        "/api/referentiel/versions/ajouter",
        Access::Requires(Action::ManageReferentiel),
    ),
    (
        "/api/referentiel/versions/retirer",
        Access::Requires(Action::ManageReferentiel),
    ),
    (
        "/api/referentiel/versions/dates",
        Access::Requires(Action::ManageReferentiel),
    ),
    (
        "/api/referentiel/affecter",
        Access::Requires(Action::ManageReferentiel),
    ),
    ("/api/manuel/sommaire", Access::Requires(Action::ViewManual)),
    (
        "/api/manuel/commencer",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/sections/ajouter",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/sections/deplacer",
        Access::Requires(Action::EditManual),
    ),
    ("/api/manuel/section", Access::Requires(Action::ViewManual)),
    (
        "/api/manuel/sections/exigences",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/brouillon",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/brouillon-structure",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/logo/retirer",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/certification/demande",
        Access::Requires(Action::ViewDemande),
    ),
    (
        "/api/certification/demande/enregistrer",
        Access::Requires(Action::EditDemande),
    ),
    (
        "/api/certification/demande/soumettre",
        Access::Requires(Action::EditDemande),
    ),
    (
        "/api/certification/demande/renvoyer",
        Access::Requires(Action::ReviewDemande),
    ),
    (
        "/api/certification/demande/decision-region",
        Access::Requires(Action::DecideDemandeRegion),
    ),
    (
        "/api/certification/demande/transmettre",
        Access::Requires(Action::ReviewDemande),
    ),
    (
        "/api/certification/demande/designer",
        Access::Requires(Action::AssignAuditor),
    ),
    (
        "/api/certification/demande/declarer-sur-l-honneur",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/demande/dates",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/demande/remettre",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/audit-blanc/partager",
        Access::Requires(Action::EditDemande),
    ),
    (
        "/api/certification/demande/ouvrir-au-comite",
        Access::Requires(Action::AssignAuditor),
    ),
    (
        "/api/certification/demande/decision-comite",
        Access::Requires(Action::DecideCertification),
    ),
    (
        "/api/certification/audit",
        Access::Requires(Action::ReadAuditReport),
    ),
    (
        "/api/certification/audit/apprecier",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/audit/constat",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/audit/constat/retirer",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/audit/synthese",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/audit/import",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/audit/import/appliquer",
        Access::Requires(Action::ConductAudit),
    ),
    (
        "/api/certification/certificat/retirer",
        Access::Requires(Action::DecideCertification),
    ),
    ("/api/verification", Access::Public),
    ("/api/auditeur/liens", Access::Requires(Action::DeclareTies)),
    (
        "/api/auditeur/liens/declarer",
        Access::Requires(Action::DeclareTies),
    ),
    (
        "/api/auditeur/liens/retirer",
        Access::Requires(Action::DeclareTies),
    ),
    (
        "/api/manuel/soumettre",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/approuver",
        Access::Requires(Action::ApproveManual),
    ),
    (
        "/api/manuel/renvoyer",
        Access::Requires(Action::ApproveManual),
    ),
    ("/api/manuel/comparer", Access::Requires(Action::ViewManual)),
    (
        "/api/manuel/editions",
        Access::Requires(Action::ViewIssuedManual),
    ),
    (
        "/api/manuel/editions/emettre",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/editions/remettre",
        Access::Requires(Action::EditManual),
    ),
    (
        "/api/manuel/editions/lue",
        Access::Requires(Action::ViewIssuedManual),
    ),
];
