//! The audit trail's vocabulary: what an entry says is an [`AuditEvent`], one variant per kind of
//! change with its data; [`AuditEvent::describe`] is the one place that words it in French.

use crate::assessment::Status;
use crate::certification::conflict::TieKind;
use crate::certification::demande::DemandeState;
use crate::organisation::OrganisationKind;
use crate::parcours::engagement::EngagementKind;
use crate::parcours::person::ExitKind;
use crate::parcours::record::{ActionKind, ActionStatus};
use crate::role::Role;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One field that changed, as the user would read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// Collects the fields that differ between two states of a record.
#[derive(Default)]
pub struct Diff(Vec<FieldChange>);

impl Diff {
    pub fn field<T: ToString + PartialEq>(mut self, name: &str, before: &T, after: &T) -> Self {
        if before != after {
            self.0.push(FieldChange {
                field: name.to_string(),
                before: before.to_string(),
                after: after.to_string(),
            });
        }
        self
    }

    /// For optional values: an absent value reads as empty.
    pub fn optional<T: ToString + PartialEq>(
        self,
        name: &str,
        before: &Option<T>,
        after: &Option<T>,
    ) -> Self {
        let text = |v: &Option<T>| v.as_ref().map(ToString::to_string).unwrap_or_default();
        self.field(name, &text(before), &text(after))
    }

    pub fn into_changes(self) -> Vec<FieldChange> {
        self.0
    }
}

/// What a version of the référentiel went through, as recorded in the trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "modification", rename_all = "snake_case")]
pub enum RequirementChange {
    Edited {
        key: String,
        text_before: String,
        text_after: String,
        points_before: Vec<String>,
        points_after: Vec<String>,
    },
    Added {
        section: String,
        code: String,
        text: String,
    },
    Retired {
        key: String,
        text: String,
    },
}

/// What happened to an account's second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondFactorChange {
    Enabled,
    RecoveryCodesRenewed,
    Disabled,
    /// By an administrator, for an account that lost its phone and its recovery codes.
    Reset,
}

/// What happened to a section of a manuel qualité.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "changement", rename_all = "snake_case")]
pub enum ManualChange {
    /// The section was created (with the manual's skeleton, or added by the SIAE).
    Added,
    Moved {
        from: i64,
        to: i64,
    },
    RequirementsLinked {
        keys: Vec<String>,
    },
    DraftSaved {
        version_id: i64,
        revision: i64,
    },
    Submitted {
        version_id: i64,
    },
    Approved {
        version_id: i64,
        number: i64,
    },
    SentBack {
        version_id: i64,
        comment: String,
    },
    /// An approved version cited (or no longer) as evidence for a requirement.
    CitedAsEvidence {
        version_id: i64,
        number: i64,
        requirement_key: String,
        cited: bool,
    },
}

/// Every kind of change Cedre records. Names are captured as they were at the time of the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "evenement", rename_all = "snake_case")]
pub enum AuditEvent {
    OrganisationCreated {
        organisation_id: i64,
        name: String,
        kind: OrganisationKind,
    },
    OrganisationUpdated {
        organisation_id: i64,
        name: String,
        changes: Vec<FieldChange>,
    },
    OrganisationActivation {
        organisation_id: i64,
        name: String,
        active: bool,
    },
    AccountCreated {
        account_id: i64,
        name: String,
        email: String,
        temporary_password: bool,
    },
    AccountUpdated {
        account_id: i64,
        name: String,
        changes: Vec<FieldChange>,
    },
    AccountActivation {
        account_id: i64,
        name: String,
        active: bool,
    },
    PasswordChanged {
        account_id: i64,
        name: String,
    },
    PasswordReset {
        account_id: i64,
        name: String,
    },
    SecondFactor {
        account_id: i64,
        name: String,
        change: SecondFactorChange,
    },
    RoleGranted {
        account_id: i64,
        account_name: String,
        organisation_id: i64,
        organisation_name: String,
        role: Role,
    },
    RoleRevoked {
        account_id: i64,
        account_name: String,
        organisation_id: i64,
        organisation_name: String,
        role: Role,
    },
    ReferentielInstalled {
        version_id: i64,
        code: String,
        label: String,
        title: String,
    },
    ReferentielDrafted {
        version_id: i64,
        code: String,
        based_on: String,
    },
    ReferentielEdited {
        version_id: i64,
        code: String,
        change: RequirementChange,
    },
    ReferentielTransition {
        version_id: i64,
        code: String,
        from: crate::referentiel::VersionState,
        to: crate::referentiel::VersionState,
        on: NaiveDate,
    },
    SiaeMovedToVersion {
        siae_id: i64,
        siae_name: String,
        from: String,
        to: String,
    },
    AssessmentSaved {
        siae_id: i64,
        siae_name: String,
        requirement_key: String,
        status: Status,
        changes: Vec<FieldChange>,
    },
    EvidenceUploaded {
        siae_id: i64,
        siae_name: String,
        document_id: i64,
        file_name: String,
        file_type: String,
        size_bytes: i64,
        sha256: String,
        requirement_key: Option<String>,
    },
    EvidenceLinked {
        siae_id: i64,
        siae_name: String,
        document_id: i64,
        file_name: String,
        requirement_key: String,
        linked: bool,
    },
    MeanChecked {
        siae_id: i64,
        siae_name: String,
        section_code: String,
        mean: String,
        checked: bool,
        document_id: Option<i64>,
    },
    ManualSection {
        siae_id: i64,
        siae_name: String,
        section_id: i64,
        title: String,
        change: ManualChange,
    },
    ManualEditionGiven {
        siae_id: i64,
        siae_name: String,
        edition_id: i64,
        number: i64,
        recipients: Vec<String>,
    },
    ManualEditionRead {
        siae_id: i64,
        siae_name: String,
        edition_id: i64,
        number: i64,
        reader: String,
    },
    /// A demande de certification opened (`from` empty), changed while it is prepared, or moved
    /// along its lifecycle.
    Demande {
        siae_id: i64,
        siae_name: String,
        demande_id: i64,
        from: Option<DemandeState>,
        to: DemandeState,
    },
    /// The assigned auditor's work on an audit: an appreciation, a finding, the report's summary.
    AuditWork {
        siae_id: i64,
        siae_name: String,
        demande_id: i64,
        change: AuditWorkChange,
    },
    /// A SIAE's certificate withdrawn by the committee, with its reasons.
    CertificateWithdrawn {
        siae_id: i64,
        siae_name: String,
        code: String,
        reasons: String,
    },
    /// A change of the action plan answering an audit's non-conformities and the committee's
    /// conditions.
    Corrective {
        siae_id: i64,
        siae_name: String,
        demande_id: i64,
        change: CorrectiveChange,
    },
    /// The federation set the price of an audit from `year` on.
    AuditPriceSet {
        year: i32,
        audit_cents: i64,
        expenses_cents: i64,
    },
    /// The SIAE shared its audit blanc's results with its next certification audit.
    AuditBlancShared {
        siae_id: i64,
        siae_name: String,
        demande_id: i64,
    },
    /// A change in the file of a person the SIAE supports. The trail names the person by
    /// their number only, and the fields changed, never what they say: it is read outside the
    /// SIAE (the administrator), where no personal data of a person may go.
    Parcours {
        siae_id: i64,
        siae_name: String,
        person_id: i64,
        change: ParcoursChange,
    },
    /// The SIAE set its delay for a first proposal after an inscription (suivi a minima).
    ParcoursDelaySet {
        siae_id: i64,
        siae_name: String,
        days: i64,
    },
    /// The invoice of a demande's audit, or the funding granted for it.
    AuditCost {
        siae_id: i64,
        siae_name: String,
        demande_id: i64,
        change: CostChange,
    },
    /// The federation set the programme's delays (`rules_id`: the row now in force).
    ProgrammeRulesSet {
        rules_id: i64,
        rules: crate::certification::programme::ProgrammeRules,
    },
    /// An auditor declared (or withdrew) a tie with an organisation of the network.
    AuditorTie {
        account_id: i64,
        auditor_name: String,
        organisation_name: String,
        kind: TieKind,
        declared: bool,
    },
    /// The cover's logo put on (with its SHA-256) or taken off.
    ManualLogo {
        siae_id: i64,
        siae_name: String,
        logo_id: i64,
        sha256: Option<String>,
    },
    ManualEdition {
        siae_id: i64,
        siae_name: String,
        edition_id: i64,
        number: i64,
        /// The SHA-256 of the PDF issued.
        sha256: String,
        /// What the completeness check found and the issuer confirmed.
        gaps: Vec<String>,
    },
}

/// What an auditor changed in their audit.
/// What changed in a person's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParcoursChange {
    /// The first contact (pré-accueil) recorded.
    Registered,
    Updated {
        fields: Vec<String>,
    },
    Engagement {
        kind: EngagementKind,
    },
    Bilan {
        kind: EngagementKind,
    },
    Action {
        kind: ActionKind,
    },
    ActionStatus {
        status: ActionStatus,
    },
    Exit {
        kind: ExitKind,
    },
}

/// What was recorded of an audit's cost.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CostChange {
    Invoiced { on: NaiveDate, reference: String },
    Funded { funder_name: String, cents: i64 },
}

/// What changed in an action plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CorrectiveChange {
    /// The SIAE drew its plan from its audit blanc in one step: `actions` actions.
    Adopted {
        actions: usize,
    },
    Planned {
        action_id: i64,
        description: String,
    },
    Declared {
        action_id: i64,
        description: String,
    },
    Checked {
        action_id: i64,
        description: String,
        effective: bool,
    },
    /// A non-conformity (of the requirement `requirement_key`) or the conditions (`None`).
    Lifted {
        requirement_key: Option<String>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditWorkChange {
    Appreciation {
        requirement_key: String,
        status: crate::assessment::Status,
    },
    FindingAdded {
        requirement_key: String,
        kind: crate::certification::audit::FindingKind,
    },
    FindingRemoved {
        requirement_key: String,
        kind: crate::certification::audit::FindingKind,
    },
    SummarySaved,
    /// A grid filled offline was uploaded, to be checked.
    GridUploaded {
        file_name: String,
    },
    /// A grid filled offline was applied: how many requirements it changed.
    GridImported {
        requirements: usize,
    },
}

/// The kinds of records the trail can be filtered by, with their French names.
pub const ENTITY_TYPES: &[(&str, &str)] = &[
    ("organisation", "Organisation"),
    ("compte", "Compte"),
    ("referentiel", "Référentiel"),
    ("autoevaluation", "Autoévaluation"),
    ("preuve", "Preuve"),
    ("manuel", "Manuel qualité"),
    ("edition", "Édition du manuel"),
    ("demande", "Demande de certification"),
    ("programme", "Règles du programme"),
];

fn enabled(active: bool) -> &'static str {
    if active {
        "Réactivation"
    } else {
        "Désactivation"
    }
}

impl AuditEvent {
    /// The stored code of the change, e.g. `organisation.creation`.
    pub fn code(&self) -> &'static str {
        use AuditEvent::*;
        match self {
            OrganisationCreated { .. } => "organisation.creation",
            OrganisationUpdated { .. } => "organisation.modification",
            OrganisationActivation { active: true, .. } => "organisation.reactivation",
            OrganisationActivation { active: false, .. } => "organisation.desactivation",
            AccountCreated { .. } => "compte.creation",
            AccountUpdated { .. } => "compte.modification",
            AccountActivation { active: true, .. } => "compte.reactivation",
            AccountActivation { active: false, .. } => "compte.desactivation",
            PasswordChanged { .. } => "compte.mot_de_passe",
            PasswordReset { .. } => "compte.reinitialisation",
            SecondFactor { change, .. } => match change {
                SecondFactorChange::Enabled => "compte.double_authentification",
                SecondFactorChange::RecoveryCodesRenewed => "compte.codes_de_secours",
                SecondFactorChange::Disabled => "compte.double_authentification_retrait",
                SecondFactorChange::Reset => "compte.double_authentification_reinitialisation",
            },
            RoleGranted { .. } => "adhesion.ajout",
            RoleRevoked { .. } => "adhesion.retrait",
            ReferentielInstalled { .. } | ReferentielDrafted { .. } => "referentiel.creation",
            ReferentielEdited { .. } => "referentiel.modification",
            ReferentielTransition { .. } => "referentiel.cycle",
            SiaeMovedToVersion { .. } => "referentiel.affectation",
            AssessmentSaved { .. } => "autoevaluation.modification",
            EvidenceUploaded { .. } => "preuve.depot",
            EvidenceLinked { linked: true, .. } => "preuve.lien",
            EvidenceLinked { linked: false, .. } => "preuve.retrait",
            MeanChecked { .. } => "moyen.coche",
            ManualSection { change, .. } => match change {
                ManualChange::Added => "manuel.section",
                ManualChange::Moved { .. } => "manuel.ordre",
                ManualChange::RequirementsLinked { .. } => "manuel.exigences",
                ManualChange::DraftSaved { .. } => "manuel.brouillon",
                ManualChange::Submitted { .. } => "manuel.relecture",
                ManualChange::Approved { .. } => "manuel.approbation",
                ManualChange::SentBack { .. } => "manuel.renvoi",
                ManualChange::CitedAsEvidence { cited: true, .. } => "manuel.preuve",
                ManualChange::CitedAsEvidence { cited: false, .. } => "manuel.preuve_retrait",
            },
            ManualEdition { .. } => "manuel.edition",
            ManualEditionGiven { .. } => "manuel.diffusion",
            ManualEditionRead { .. } => "manuel.lecture",
            ManualLogo {
                sha256: Some(_), ..
            } => "manuel.logo",
            ManualLogo { sha256: None, .. } => "manuel.logo_retrait",
            AuditorTie { declared: true, .. } => "auditeur.lien",
            AuditorTie {
                declared: false, ..
            } => "auditeur.lien_retire",
            Demande { from: None, .. } => "certification.demande",
            Demande {
                from: Some(DemandeState::AuditEnCours),
                to: DemandeState::AuditEnCours,
                ..
            } => "certification.dates_audit",
            Demande {
                from: Some(from),
                to,
                ..
            } if from == to => "certification.demande_modifiee",
            Demande { to, .. } => match to {
                DemandeState::Brouillon => "certification.demande",
                DemandeState::Soumise => "certification.soumise",
                DemandeState::ACompleter => "certification.a_completer",
                DemandeState::ValideeRegion => "certification.validee_region",
                DemandeState::RefuseeRegion => "certification.refusee_region",
                DemandeState::Transmise => "certification.transmise",
                DemandeState::AuditeurDesigne => "certification.auditeur_designe",
                DemandeState::AuditEnCours => "certification.audit_en_cours",
                DemandeState::RapportRemis => "certification.rapport_remis",
                DemandeState::SoumiseAuComite => "certification.soumise_au_comite",
                DemandeState::Certifiee => "certification.certifiee",
                DemandeState::CertifieeSousConditions => "certification.certifiee_sous_conditions",
                DemandeState::Ajournee => "certification.ajournee",
                DemandeState::Refusee => "certification.refusee",
            },
            CertificateWithdrawn { .. } => "certification.certificat_retire",
            AuditBlancShared { .. } => "certification.audit_blanc_partage",
            ProgrammeRulesSet { .. } => "programme.regles",
            AuditPriceSet { .. } => "programme.prix",
            ParcoursDelaySet { .. } => "parcours.delai",
            Parcours { change, .. } => match change {
                ParcoursChange::Registered => "parcours.personne",
                ParcoursChange::Updated { .. } => "parcours.personne_modifiee",
                ParcoursChange::Engagement { .. } => "parcours.engagement",
                ParcoursChange::Bilan { .. } => "parcours.bilan",
                ParcoursChange::Action { .. } => "parcours.action",
                ParcoursChange::ActionStatus { .. } => "parcours.action_etat",
                ParcoursChange::Exit { .. } => "parcours.sortie",
            },
            AuditCost { change, .. } => match change {
                CostChange::Invoiced { .. } => "cout.facture",
                CostChange::Funded { .. } => "cout.prise_en_charge",
            },
            Corrective { change, .. } => match change {
                CorrectiveChange::Adopted { .. } => "correctif.plan_audit_blanc",
                CorrectiveChange::Planned { .. } => "correctif.prevu",
                CorrectiveChange::Declared { .. } => "correctif.realise",
                CorrectiveChange::Checked { .. } => "correctif.verifie",
                CorrectiveChange::Lifted { .. } => "correctif.leve",
            },
            AuditWork { change, .. } => match change {
                AuditWorkChange::Appreciation { .. } => "audit.appreciation",
                AuditWorkChange::FindingAdded { .. } => "audit.constat",
                AuditWorkChange::FindingRemoved { .. } => "audit.constat_retire",
                AuditWorkChange::SummarySaved => "audit.synthese",
                AuditWorkChange::GridUploaded { .. } => "audit.grille_deposee",
                AuditWorkChange::GridImported { .. } => "audit.grille_appliquee",
            },
        }
    }

    /// The kind and id of the record changed, for filtering the trail.
    pub fn subject(&self) -> (&'static str, i64) {
        use AuditEvent::*;
        match self {
            OrganisationCreated {
                organisation_id, ..
            }
            | OrganisationUpdated {
                organisation_id, ..
            }
            | OrganisationActivation {
                organisation_id, ..
            } => ("organisation", *organisation_id),
            AccountCreated { account_id, .. }
            | AccountUpdated { account_id, .. }
            | AccountActivation { account_id, .. }
            | PasswordChanged { account_id, .. }
            | PasswordReset { account_id, .. }
            | SecondFactor { account_id, .. }
            | RoleGranted { account_id, .. }
            | RoleRevoked { account_id, .. } => ("compte", *account_id),
            ReferentielInstalled { version_id, .. }
            | ReferentielDrafted { version_id, .. }
            | ReferentielEdited { version_id, .. }
            | ReferentielTransition { version_id, .. } => ("referentiel", *version_id),
            SiaeMovedToVersion { siae_id, .. } => ("organisation", *siae_id),
            AssessmentSaved { siae_id, .. }
            | EvidenceLinked { siae_id, .. }
            | MeanChecked { siae_id, .. } => ("autoevaluation", *siae_id),
            EvidenceUploaded { document_id, .. } => ("preuve", *document_id),
            ManualSection { section_id, .. } => ("manuel", *section_id),
            ManualEdition { edition_id, .. }
            | ManualEditionGiven { edition_id, .. }
            | ManualEditionRead { edition_id, .. } => ("edition", *edition_id),
            ManualLogo { logo_id, .. } => ("logo", *logo_id),
            Demande { demande_id, .. } | AuditWork { demande_id, .. } => ("demande", *demande_id),
            CertificateWithdrawn { siae_id, .. } => ("organisation", *siae_id),
            ProgrammeRulesSet { rules_id, .. } => ("programme", *rules_id),
            AuditPriceSet { year, .. } => ("programme", i64::from(*year)),
            AuditCost { demande_id, .. } | AuditBlancShared { demande_id, .. } => {
                ("demande", *demande_id)
            }
            Corrective { demande_id, .. } => ("demande", *demande_id),
            Parcours { person_id, .. } => ("personne", *person_id),
            ParcoursDelaySet { siae_id, .. } => ("organisation", *siae_id),
            AuditorTie { account_id, .. } => ("compte", *account_id),
        }
    }

    /// The organisation concerned, for filtering the trail by organisation.
    pub fn organisation_id(&self) -> Option<i64> {
        use AuditEvent::*;
        match self {
            OrganisationCreated {
                organisation_id, ..
            }
            | OrganisationUpdated {
                organisation_id, ..
            }
            | OrganisationActivation {
                organisation_id, ..
            }
            | RoleGranted {
                organisation_id, ..
            }
            | RoleRevoked {
                organisation_id, ..
            } => Some(*organisation_id),
            SiaeMovedToVersion { siae_id, .. }
            | AssessmentSaved { siae_id, .. }
            | EvidenceUploaded { siae_id, .. }
            | EvidenceLinked { siae_id, .. }
            | MeanChecked { siae_id, .. }
            | ManualSection { siae_id, .. }
            | ManualEdition { siae_id, .. }
            | ManualEditionGiven { siae_id, .. }
            | ManualEditionRead { siae_id, .. }
            | ManualLogo { siae_id, .. }
            | Demande { siae_id, .. }
            | AuditWork { siae_id, .. }
            | CertificateWithdrawn { siae_id, .. }
            | Corrective { siae_id, .. }
            | AuditCost { siae_id, .. }
            | Parcours { siae_id, .. }
            | ParcoursDelaySet { siae_id, .. }
            | AuditBlancShared { siae_id, .. } => Some(*siae_id),
            AccountCreated { .. }
            | AccountUpdated { .. }
            | AccountActivation { .. }
            | PasswordChanged { .. }
            | PasswordReset { .. }
            | SecondFactor { .. }
            | ReferentielInstalled { .. }
            | ReferentielDrafted { .. }
            | ReferentielEdited { .. }
            | ReferentielTransition { .. }
            | ProgrammeRulesSet { .. }
            | AuditPriceSet { .. }
            // An auditor's ties are theirs: they are not in the trail of the organisations.
            | AuditorTie { .. } => None,
        }
    }

    /// One French sentence for the reader of the trail.
    pub fn describe(&self) -> String {
        use AuditEvent::*;
        match self {
            OrganisationCreated { name, kind, .. } => {
                format!("Création de l'organisation « {name} » ({})", kind.label())
            }
            OrganisationUpdated { name, changes, .. } => {
                format!(
                    "Modification de l'organisation « {name} »{}",
                    fields(changes)
                )
            }
            OrganisationActivation { name, active, .. } => {
                format!("{} de l'organisation « {name} »", enabled(*active))
            }
            AccountCreated { name, email, .. } => {
                format!("Création du compte de {name} <{email}>")
            }
            AccountUpdated { name, changes, .. } => {
                format!("Modification du compte de {name}{}", fields(changes))
            }
            AccountActivation { name, active, .. } => {
                format!("{} du compte de {name}", enabled(*active))
            }
            PasswordChanged { name, .. } => format!("{name} a changé son mot de passe"),
            PasswordReset { name, .. } => format!("Mot de passe temporaire attribué à {name}"),
            SecondFactor { name, change, .. } => match change {
                SecondFactorChange::Enabled => {
                    format!("{name} a activé la double authentification")
                }
                SecondFactorChange::RecoveryCodesRenewed => {
                    format!("{name} a obtenu de nouveaux codes de secours")
                }
                SecondFactorChange::Disabled => {
                    format!("{name} a retiré sa double authentification")
                }
                SecondFactorChange::Reset => {
                    format!("Double authentification de {name} réinitialisée")
                }
            },
            RoleGranted {
                account_name,
                organisation_name,
                role,
                ..
            } => format!(
                "{account_name} devient {} — {organisation_name}",
                role.label()
            ),
            RoleRevoked {
                account_name,
                organisation_name,
                role,
                ..
            } => format!(
                "{account_name} n'est plus {} — {organisation_name}",
                role.label()
            ),
            ReferentielInstalled {
                title, label, code, ..
            } => format!("Installation du {title} ({label}, {code})"),
            ReferentielDrafted { code, based_on, .. } => {
                format!("Nouvelle version {code} du référentiel, à partir de {based_on}")
            }
            ReferentielEdited { code, change, .. } => match change {
                RequirementChange::Edited { key, .. } => {
                    format!("Modification de l'exigence {key} — version {code}")
                }
                RequirementChange::Added {
                    section,
                    code: requirement,
                    ..
                } => format!("Ajout de l'exigence {section} {requirement} — version {code}"),
                RequirementChange::Retired { key, .. } => {
                    format!("Retrait de l'exigence {key} — version {code}")
                }
            },
            ReferentielTransition { code, to, on, .. } => format!(
                "Version {code} : {} le {}",
                to.label().to_lowercase(),
                crate::time::display_date(*on)
            ),
            SiaeMovedToVersion {
                siae_name,
                from,
                to,
                ..
            } => format!("« {siae_name} » est évaluée sur la version {to} (au lieu de {from})"),
            AssessmentSaved {
                siae_name,
                requirement_key,
                status,
                ..
            } => format!(
                "Exigence {requirement_key} de « {siae_name} » : {}",
                status.label()
            ),
            EvidenceUploaded {
                siae_name,
                file_name,
                file_type,
                ..
            } => format!("Dépôt de « {file_name} » ({file_type}) pour « {siae_name} »"),
            EvidenceLinked {
                siae_name,
                file_name,
                requirement_key,
                linked,
                ..
            } => format!(
                "« {file_name} » {} l'exigence {requirement_key} de « {siae_name} »",
                if *linked {
                    "justifie"
                } else {
                    "ne justifie plus"
                }
            ),
            MeanChecked {
                siae_name,
                section_code,
                mean,
                checked,
                ..
            } => format!(
                "Moyen « {mean} » ({section_code}) {} pour « {siae_name} »",
                if *checked {
                    "mis en œuvre"
                } else {
                    "décoché"
                }
            ),
            ManualSection {
                siae_name,
                title,
                change,
                ..
            } => {
                let what = match change {
                    ManualChange::Added => "ajout de la section".to_string(),
                    ManualChange::Moved { to, .. } => format!("section placée en position {to} :"),
                    ManualChange::RequirementsLinked { keys } => format!(
                        "exigences {} associées à la section",
                        if keys.is_empty() {
                            "(aucune)".to_string()
                        } else {
                            keys.join(", ")
                        }
                    ),
                    ManualChange::DraftSaved { revision, .. } => {
                        format!("brouillon enregistré (révision {revision}) de la section")
                    }
                    ManualChange::Submitted { .. } => "section soumise à relecture :".to_string(),
                    ManualChange::Approved { number, .. } => {
                        format!("version {number} approuvée de la section")
                    }
                    ManualChange::SentBack { .. } => "section renvoyée à son auteur :".to_string(),
                    ManualChange::CitedAsEvidence {
                        number,
                        requirement_key,
                        cited,
                        ..
                    } => format!(
                        "version {number} {} l'exigence {requirement_key} : section",
                        if *cited {
                            "citée comme preuve pour"
                        } else {
                            "n'est plus citée comme preuve pour"
                        }
                    ),
                };
                format!("Manuel qualité de « {siae_name} » — {what} « {title} »")
            }
            ManualEdition {
                siae_name,
                number,
                gaps,
                ..
            } => {
                let incomplete = match gaps.len() as i64 {
                    0 => String::new(),
                    n => format!(
                        ", incomplète ({n} manque{} confirmé{})",
                        plural(n),
                        plural(n)
                    ),
                };
                format!("Manuel qualité de « {siae_name} » — édition {number} émise{incomplete}")
            }
            ManualEditionGiven {
                siae_name,
                number,
                recipients,
                ..
            } => format!(
                "Manuel qualité de « {siae_name} » — édition {number} remise à {}",
                recipients.join(", ")
            ),
            ManualEditionRead {
                siae_name,
                number,
                reader,
                ..
            } => format!("Manuel qualité de « {siae_name} » — {reader} a lu l'édition {number}"),
            AuditorTie {
                auditor_name,
                organisation_name,
                kind,
                declared,
                ..
            } => format!(
                "Déclaration de liens de {auditor_name} : {} « {organisation_name} »{}",
                kind.label().to_lowercase(),
                if *declared { "" } else { " (retiré)" }
            ),
            Demande {
                siae_name,
                from,
                to,
                ..
            } => match from {
                None => format!("Demande de certification de « {siae_name} » ouverte"),
                Some(DemandeState::AuditEnCours) if *to == DemandeState::AuditEnCours => {
                    format!("Demande de certification de « {siae_name} » : dates de l'audit fixées")
                }
                Some(from) if from == to => {
                    format!("Demande de certification de « {siae_name} » modifiée")
                }
                Some(_) => format!(
                    "Demande de certification de « {siae_name} » : {}",
                    to.label().to_lowercase()
                ),
            },
            CertificateWithdrawn {
                siae_name,
                code,
                reasons,
                ..
            } => format!("Certificat {code} de « {siae_name} » retiré : {reasons}"),
            Corrective {
                siae_name, change, ..
            } => match change {
                CorrectiveChange::Adopted { actions } => format!(
                    "Plan d'actions de « {siae_name} » tiré de son audit blanc : {actions} action{} prévue{}",
                    if *actions > 1 { "s" } else { "" },
                    if *actions > 1 { "s" } else { "" }
                ),
                CorrectiveChange::Planned { description, .. } => {
                    format!("Plan d'actions de « {siae_name} » : action prévue « {description} »")
                }
                CorrectiveChange::Declared { description, .. } => format!(
                    "Plan d'actions de « {siae_name} » : action « {description} » déclarée réalisée"
                ),
                CorrectiveChange::Checked {
                    description,
                    effective,
                    ..
                } => format!(
                    "Plan d'actions de « {siae_name} » : action « {description} » {}",
                    if *effective {
                        "jugée efficace, close"
                    } else {
                        "jugée non efficace, reprise"
                    }
                ),
                CorrectiveChange::Lifted {
                    requirement_key: Some(key),
                } => format!(
                    "Plan d'actions de « {siae_name} » : non-conformité de l'exigence {key} levée"
                ),
                CorrectiveChange::Lifted {
                    requirement_key: None,
                } => format!("Plan d'actions de « {siae_name} » : conditions du comité levées"),
            },
            AuditPriceSet {
                year,
                audit_cents,
                expenses_cents,
            } => {
                use crate::certification::cost::euros;
                format!(
                    "Prix d'un audit à partir de {year} : {} d'audit et {} de frais de mission",
                    euros(*audit_cents),
                    euros(*expenses_cents)
                )
            }
            AuditBlancShared { siae_name, .. } => format!(
                "Audit blanc de « {siae_name} » partagé : ses résultats figurent à côté de chaque exigence dans son prochain audit de certification"
            ),
            Parcours {
                siae_name,
                person_id,
                change,
                ..
            } => {
                let what = match change {
                    ParcoursChange::Registered => "premier contact (pré-accueil) enregistré".to_string(),
                    ParcoursChange::Updated { fields } => {
                        format!("fiche modifiée ({})", fields.join(", "))
                    }
                    ParcoursChange::Engagement { kind } => {
                        format!("engagement réciproque « {} » conclu", kind.label())
                    }
                    ParcoursChange::Bilan { kind } => {
                        format!("bilan de l'engagement « {} » écrit", kind.label())
                    }
                    ParcoursChange::Action { kind } => {
                        format!("action enregistrée ({})", kind.label())
                    }
                    ParcoursChange::ActionStatus { status } => {
                        format!("action passée à « {} »", status.label())
                    }
                    ParcoursChange::Exit { kind } => format!("sortie ({})", kind.label()),
                };
                format!("Parcours n°{person_id} de « {siae_name} » : {what}")
            }
            ParcoursDelaySet {
                siae_name, days, ..
            } => format!(
                "« {siae_name} » se donne {days} jours pour une première proposition après une inscription"
            ),
            AuditCost {
                siae_name, change, ..
            } => match change {
                CostChange::Invoiced { on, reference } => format!(
                    "Audit de « {siae_name} » facturé le {} (facture {reference})",
                    crate::time::display_date(*on)
                ),
                CostChange::Funded { funder_name, cents } => format!(
                    "Audit de « {siae_name} » : prise en charge de {} par {funder_name}",
                    crate::certification::cost::euros(*cents)
                ),
            },
            ProgrammeRulesSet { rules, .. } => format!(
                "Règles du programme : {} mois pour lever une non-conformité majeure, {} pour une mineure ; \
                 rappels {} mois avant la fin d'un certificat ; renouvellement commencé {} mois avant",
                rules.major_nc_months,
                rules.minor_nc_months,
                crate::certification::programme::reminders_text(&rules.expiry_reminders),
                rules.renewal_lead_months
            ),
            AuditWork {
                siae_name, change, ..
            } => match change {
                AuditWorkChange::Appreciation {
                    requirement_key,
                    status,
                } => format!(
                    "Audit de « {siae_name} » : exigence {requirement_key} appréciée « {} »",
                    status.label().to_lowercase()
                ),
                AuditWorkChange::FindingAdded {
                    requirement_key,
                    kind,
                } => format!(
                    "Audit de « {siae_name} » : constat « {} » relevé pour l'exigence {requirement_key}",
                    kind.label()
                ),
                AuditWorkChange::FindingRemoved {
                    requirement_key,
                    kind,
                } => format!(
                    "Audit de « {siae_name} » : constat « {} » retiré de l'exigence {requirement_key}",
                    kind.label()
                ),
                AuditWorkChange::SummarySaved => {
                    format!("Audit de « {siae_name} » : synthèse du compte-rendu enregistrée")
                }
                AuditWorkChange::GridUploaded { file_name } => format!(
                    "Audit de « {siae_name} » : grille remplie hors ligne déposée ({file_name})"
                ),
                AuditWorkChange::GridImported { requirements } => format!(
                    "Audit de « {siae_name} » : grille remplie hors ligne appliquée ({requirements} exigence(s) modifiée(s))"
                ),
            },
            ManualLogo {
                siae_name, sha256, ..
            } => match sha256 {
                Some(sha256) => format!(
                    "Manuel qualité de « {siae_name} » — logo de couverture déposé (SHA-256 {})",
                    &sha256[..sha256.len().min(16)]
                ),
                None => format!("Manuel qualité de « {siae_name} » — logo de couverture retiré"),
            },
        }
    }
}

/// ` : nom (A → B), ville (… → …)`, or nothing when no field is listed.
fn fields(changes: &[FieldChange]) -> String {
    if changes.is_empty() {
        return String::new();
    }
    let listed: Vec<String> = changes
        .iter()
        .map(|c| {
            let shown = |v: &str| {
                if v.is_empty() {
                    "—".to_string()
                } else {
                    v.to_string()
                }
            };
            format!("{} ({} → {})", c.field, shown(&c.before), shown(&c.after))
        })
        .collect();
    format!(" : {}", listed.join(", "))
}

/// An entry of the trail as read back, worded for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_name: String,
    /// The event's code, e.g. `organisation.creation`.
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<i64>,
    pub organisation_id: Option<i64>,
    /// [`AuditEvent::describe`] of the stored event.
    pub summary: String,
    /// The event's data, as stored (JSON).
    pub changes: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub actor: Option<String>,
    pub organisation_id: Option<i64>,
    /// Inclusive dates, `YYYY-MM-DD`.
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: i64,
}

/// An entry of the trail as the chain's verifier names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRef {
    pub id: i64,
    /// As stored: a row altered behind the application's back may hold anything.
    pub occurred_at: String,
}

impl EntryRef {
    /// `n° 12 du 02/01/2026 à 04:04`.
    fn named(&self) -> String {
        match crate::time::from_stored(&self.occurred_at) {
            Some(at) => format!("n° {} du {}", self.id, crate::time::display_datetime(at)),
            None => format!("n° {} (date illisible « {} »)", self.id, self.occurred_at),
        }
    }
}

/// The first place where the chain of the trail breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainBreak {
    /// The entry no longer gives its stored hash: its content (or its hash) was changed.
    Altered(EntryRef),
    /// The entry is intact but does not follow `after` (the entry before it, `None` for the
    /// first): the entries between them were removed, or one of the two was changed and its
    /// hash computed again.
    Unlinked {
        entry: EntryRef,
        after: Option<EntryRef>,
    },
    /// An entry without hashes: written behind the application's back.
    Unchained(EntryRef),
    /// The last entries were removed: the table's counter (SQLite's AUTOINCREMENT, which a
    /// rolled-back insert does not move) went past the last entry left.
    TailRemoved {
        last: Option<EntryRef>,
        counter: i64,
    },
}

/// What `cedre journal verifier` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChainReport {
    /// The entries read, up to the break if there is one.
    pub entries: i64,
    pub first: Option<EntryRef>,
    /// The last intact entry read and its hash.
    pub last: Option<(EntryRef, String)>,
    pub broken: Option<ChainBreak>,
}

impl ChainReport {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }

    /// The verdict in French, naming the first entry altered or removed.
    pub fn describe(&self) -> String {
        let missing = |from: i64, to: i64| match to - from {
            n if n <= 1 => None,
            2 => Some(format!("n° {}", from + 1)),
            _ => Some(format!("n° {} à {}", from + 1, to - 1)),
        };
        match &self.broken {
            None => match (&self.first, &self.last) {
                (Some(first), Some((last, hash))) => format!(
                    "Journal d'audit intègre : {} entrée{} chaînée{}, de la {} à la {}.\n\
                     Empreinte de la dernière entrée (à conserver hors de la base : la retrouver \
                     plus tard prouve que rien n'a changé jusque-là) : {hash}",
                    self.entries,
                    plural(self.entries),
                    plural(self.entries),
                    first.named(),
                    last.named()
                ),
                _ => "Journal d'audit vide : rien à vérifier.".to_string(),
            },
            Some(ChainBreak::Altered(entry)) => format!(
                "Journal d'audit altéré : l'entrée {} a été modifiée (son contenu ne correspond \
                 plus à son empreinte).",
                entry.named()
            ),
            Some(ChainBreak::Unlinked {
                entry,
                after: Some(after),
            }) => match missing(after.id, entry.id) {
                Some(ids) => format!(
                    "Journal d'audit altéré : une entrée a été supprimée après l'entrée {} \
                     (numéros manquants : {ids}) ; la chaîne reprend à l'entrée {}.",
                    after.named(),
                    entry.named()
                ),
                None => format!(
                    "Journal d'audit altéré : l'entrée {} ne suit plus l'entrée {} : l'une des \
                     deux a été modifiée et son empreinte recalculée.",
                    entry.named(),
                    after.named()
                ),
            },
            Some(ChainBreak::Unlinked { entry, after: None }) => format!(
                "Journal d'audit altéré : les premières entrées ont été supprimées{} ; la chaîne \
                 commence à l'entrée {}, qui n'est pas la première.",
                missing(0, entry.id)
                    .map(|ids| format!(" (numéros manquants : {ids})"))
                    .unwrap_or_default(),
                entry.named()
            ),
            Some(ChainBreak::Unchained(entry)) => format!(
                "Journal d'audit altéré : l'entrée {} n'est pas chaînée (elle n'a pas d'empreinte) : \
                 elle a été écrite hors de l'application.",
                entry.named()
            ),
            Some(ChainBreak::TailRemoved { last, counter }) => format!(
                "Journal d'audit altéré : les dernières entrées ont été supprimées (numéros \
                 manquants : {}) ; {}.",
                missing(last.as_ref().map_or(0, |l| l.id), counter + 1)
                    .unwrap_or_else(|| format!("n° {counter}")),
                match last {
                    Some(last) => format!("la dernière entrée restante est la {}", last.named()),
                    None => "il n'en reste aucune".to_string(),
                }
            ),
        }
    }
}

fn plural(n: i64) -> &'static str {
    if n > 1 {
        "s"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_worded_in_french() {
        let event = AuditEvent::OrganisationUpdated {
            organisation_id: 4,
            name: "Recyclerie du Forez".into(),
            changes: Diff::default()
                .field("ville", &"Feurs".to_string(), &"Montbrison".to_string())
                .optional::<String>("siret", &None, &Some("12345678901234".into()))
                .field("nom", &"x".to_string(), &"x".to_string())
                .into_changes(),
        };
        assert_eq!(
            event.describe(),
            "Modification de l'organisation « Recyclerie du Forez » : ville (Feurs → Montbrison), siret (— → 12345678901234)"
        );
        assert_eq!(event.code(), "organisation.modification");
        assert_eq!(event.subject(), ("organisation", 4));
        let revoked = AuditEvent::RoleRevoked {
            account_id: 2,
            account_name: "Nadia Benali".into(),
            organisation_id: 7,
            organisation_name: "COORACE Bretagne".into(),
            role: Role::ReferentQualiteRegional,
        };
        assert_eq!(revoked.organisation_id(), Some(7));
        assert_eq!(revoked.code(), "adhesion.retrait");
    }

    #[test]
    fn chain_reports_name_the_first_entry_altered_or_removed() {
        let entry = |id: i64| EntryRef {
            id,
            occurred_at: format!("2026-01-02T03:04:{id:02}.000000Z"),
        };
        let report = |broken: Option<ChainBreak>| ChainReport {
            entries: 3,
            first: Some(entry(1)),
            last: Some((entry(3), "ab".repeat(32))),
            broken,
        };
        assert!(report(None).is_intact());
        assert!(report(None).describe().starts_with(
            "Journal d'audit intègre : 3 entrées chaînées, de la n° 1 du 02/01/2026 à 04:04"
        ));
        assert_eq!(
            ChainReport::default().describe(),
            "Journal d'audit vide : rien à vérifier."
        );
        let altered = report(Some(ChainBreak::Altered(entry(2))));
        assert!(!altered.is_intact());
        assert_eq!(
            altered.describe(),
            "Journal d'audit altéré : l'entrée n° 2 du 02/01/2026 à 04:04 a été modifiée \
             (son contenu ne correspond plus à son empreinte)."
        );
        let removed = report(Some(ChainBreak::Unlinked {
            entry: entry(5),
            after: Some(entry(2)),
        }));
        assert!(removed.describe().contains(
            "supprimée après l'entrée n° 2 du 02/01/2026 à 04:04 (numéros manquants : n° 3 à 4)"
        ));
        let rehashed = report(Some(ChainBreak::Unlinked {
            entry: entry(3),
            after: Some(entry(2)),
        }));
        assert!(rehashed.describe().contains("l'entrée n° 3 du"));
        assert!(rehashed.describe().contains("empreinte recalculée"));
        let head = report(Some(ChainBreak::Unlinked {
            entry: entry(2),
            after: None,
        }));
        assert!(head.describe().contains("(numéros manquants : n° 1)"));
        let tail = report(Some(ChainBreak::TailRemoved {
            last: Some(entry(3)),
            counter: 5,
        }));
        assert!(tail.describe().contains("(numéros manquants : n° 4 à 5)"));
        let garbled = EntryRef {
            id: 7,
            occurred_at: "hier".into(),
        };
        assert_eq!(garbled.named(), "n° 7 (date illisible « hier »)");
    }

    #[test]
    fn events_round_trip_through_their_stored_form() {
        let event = AuditEvent::EvidenceLinked {
            siae_id: 3,
            siae_name: "ES".into(),
            document_id: 9,
            file_name: "p.pdf".into(),
            requirement_key: "2.1 a".into(),
            linked: false,
        };
        let stored = serde_json::to_string(&event).unwrap();
        assert!(
            stored.contains("\"evenement\":\"evidence_linked\""),
            "{stored}"
        );
        assert_eq!(serde_json::from_str::<AuditEvent>(&stored).unwrap(), event);
    }
}
