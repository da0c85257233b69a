//! The authorization policy: one pure function decides whether an actor may perform an
//! action on a target. Deny is the default; a permission comes from one membership.
//! The server calls it before touching data; the UI may call it to hide what would be refused.

use crate::organisation::{OrgRef, OrganisationKind};
use crate::role::{Membership, Role};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub account_id: i64,
    pub memberships: Vec<Membership>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Read an organisation's profile.
    ViewOrganisation,
    /// See who holds which role in an organisation (names and e-mail addresses).
    ViewMembers,
    EditOrganisation,
    CreateOrganisation,
    /// Create, edit and disable accounts; grant and revoke memberships.
    ManageAccounts,
    ViewAuditTrail,
    /// Read a SIAE's self-assessment against the référentiel, with its evidence.
    ViewAssessment,
    /// Change a SIAE's self-assessment, upload and link evidence.
    EditAssessment,
    /// Create and edit référentiel versions, put them in force, move a SIAE to another version.
    ManageReferentiel,
    /// Follow the whole network: every region and the number of its SIAE.
    ViewNetwork,
    /// Read a SIAE's manuel qualité as it is in force: its approved sections and its editions.
    ViewManual,
    /// Write the manual: drafts of sections, their submission, editions and their distribution.
    EditManual,
    /// Approve a section version or send it back (never one's own: the lifecycle checks it).
    ApproveManual,
    /// Read the issued editions of a SIAE's manual (the region, the federation).
    ViewIssuedManual,
    /// Follow a SIAE's demandes de certification and their timeline.
    ViewDemande,
    /// Prepare a demande de certification and submit it to the region (the SIAE).
    EditDemande,
    /// Examine a submitted demande: return it for completion, forward a validated one to the
    /// federation (the regional référent qualité).
    ReviewDemande,
    /// Record the regional board's decision on a demande (a member of the CA régional).
    DecideDemandeRegion,
    /// Steer a demande at the federation: assign an external auditor once it is forwarded, open
    /// the auditor's report to the certification committee.
    AssignAuditor,
    /// Audit work, as an external auditor: granted on no organisation (`Global`) — where it
    /// applies comes from the auditor's assignments, checked by the use cases.
    ConductAudit,
    /// Keep one's declaration of ties with organisations of the network (an auditor, a member
    /// of the certification committee): granted on no organisation (`Global`).
    DeclareTies,
    /// Read a SIAE's audit report once submitted, and the audit's file (the audited SIAE, the
    /// federation's responsable qualité); every reading is recorded.
    ReadAuditReport,
    /// Record the certification committee's decision on a SIAE's audited demande (a member of
    /// the committee; the use case recuses a member with a tie, and the lifecycle excludes the
    /// auditor).
    DecideCertification,
    /// Read the mail outbox: what the application sent, to whom, and what failed (the
    /// administrators).
    ViewOutbox,
    /// Set the programme's delays and the yearly price of an audit (the federation's
    /// responsable qualité): granted on no organisation (`Global`).
    SetProgrammeRules,
    /// Follow the people a SIAE supports: their files, engagements, actions, bilans and exits
    /// (its own staff only: these are personal data of vulnerable people).
    FollowParcours,
    /// See who consulted a person's file (the SIAE's direction).
    ViewFileReads,
}

impl Action {
    pub const ALL: [Self; 27] = [
        Self::ViewOrganisation,
        Self::ViewMembers,
        Self::EditOrganisation,
        Self::CreateOrganisation,
        Self::ManageAccounts,
        Self::ViewAuditTrail,
        Self::ViewAssessment,
        Self::EditAssessment,
        Self::ManageReferentiel,
        Self::ViewNetwork,
        Self::ViewManual,
        Self::EditManual,
        Self::ApproveManual,
        Self::ViewIssuedManual,
        Self::ViewDemande,
        Self::EditDemande,
        Self::ReviewDemande,
        Self::DecideDemandeRegion,
        Self::AssignAuditor,
        Self::ConductAudit,
        Self::DeclareTies,
        Self::ReadAuditReport,
        Self::DecideCertification,
        Self::ViewOutbox,
        Self::SetProgrammeRules,
        Self::FollowParcours,
        Self::ViewFileReads,
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// An action that concerns the whole installation (creating an organisation, the audit trail).
    Global,
    Organisation(OrgRef),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    Deny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

pub fn authorize(actor: &Actor, action: Action, target: Target) -> Decision {
    if actor.memberships.iter().any(|m| grants(m, action, target)) {
        Decision::Allow
    } else {
        Decision::Deny
    }
}

impl Actor {
    pub fn may(&self, action: Action, target: Target) -> bool {
        authorize(self, action, target).is_allowed()
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.memberships.iter().any(|m| m.role == role)
    }
}

fn grants(membership: &Membership, action: Action, target: Target) -> bool {
    use Action::*;
    use Role::*;
    let org = match target {
        Target::Organisation(org) => Some(org),
        Target::Global => None,
    };
    let is_own = org.is_some_and(|o| o.id == membership.organisation_id);
    let in_own_region =
        org.is_some_and(|o| o.region_id.is_some() && o.region_id == membership.region_id);
    let is_siae = org.is_some_and(|o| o.kind == OrganisationKind::Siae);
    match (membership.role, action) {
        // A self-assessment is the SIAE's own work: only its people change it.
        (Administrateur, EditAssessment) => false,
        (Administrateur, ViewAssessment) => is_siae,
        // The administrator runs the installation; following the network is the quality roles' work.
        (Administrateur, ViewNetwork) => false,
        // The manual is the SIAE's own document; outside it, only issued editions are read.
        (Administrateur, ViewManual | EditManual | ApproveManual) => false,
        (Administrateur, ViewIssuedManual) => is_siae,
        // The certification cycle is the quality roles' work; the administrator follows it.
        (
            Administrateur,
            EditDemande | ReviewDemande | DecideDemandeRegion | AssignAuditor | ConductAudit
            | DeclareTies | ReadAuditReport | DecideCertification | SetProgrammeRules,
        ) => false,
        // The people a SIAE supports are its own staff's business, never the installation's.
        (Administrateur, FollowParcours | ViewFileReads) => false,
        (Administrateur, ViewDemande) => is_siae,
        (Administrateur, _) => true,

        (ResponsableQualiteFederal, ViewOrganisation | ViewMembers) => org.is_some(),
        (
            ResponsableQualiteFederal,
            ViewAssessment | ViewIssuedManual | ViewDemande | AssignAuditor | ReadAuditReport,
        ) => is_siae,
        (ResponsableQualiteFederal, ManageReferentiel) => true,
        (ResponsableQualiteFederal, SetProgrammeRules) => org.is_none(),
        (ResponsableQualiteFederal | MembreComiteCertification, ViewNetwork) => org.is_none(),
        (MembreComiteCertification, ViewOrganisation) => org.is_some(),
        (MembreComiteCertification, ViewAssessment | ViewIssuedManual | DecideCertification) => {
            is_siae
        }
        (MembreComiteCertification, DeclareTies) => org.is_none(),

        (ReferentQualiteRegional, ViewOrganisation | ViewMembers) => in_own_region,
        (
            ReferentQualiteRegional | MembreCaRegional,
            ViewAssessment | ViewIssuedManual | ViewDemande,
        ) => is_siae && in_own_region,
        (ReferentQualiteRegional, ReviewDemande) => is_siae && in_own_region,
        (MembreCaRegional, DecideDemandeRegion) => is_siae && in_own_region,
        (MembreCaRegional, ViewOrganisation) => in_own_region,
        (MembreCaRegional, ViewMembers) => is_own,

        (ReferentQualite | Direction, ViewAssessment | EditAssessment) => is_own,
        (Accompagnateur, ViewAssessment) => is_own,
        (
            ReferentQualite | Direction,
            ViewManual | EditManual | ApproveManual | ViewIssuedManual,
        ) => is_own,
        (Accompagnateur, ViewManual | ViewIssuedManual) => is_own,
        (ReferentQualite | Direction, ViewDemande | EditDemande | ReadAuditReport) => is_own,

        (ReferentQualite | Direction | Accompagnateur, FollowParcours) => is_own,
        (Direction, ViewFileReads) => is_own,

        // A SIAE sees itself and its association régionale, never its neighbours.
        (ReferentQualite | Direction | Accompagnateur, ViewOrganisation) => {
            is_own
                || org.is_some_and(|o| {
                    o.kind == OrganisationKind::Region && Some(o.id) == membership.region_id
                })
        }
        (ReferentQualite | Direction | Accompagnateur, ViewMembers) => is_own,

        // What an auditor may see of a SIAE comes from audit assignments, not from the membership.
        (AuditeurExterne, ViewOrganisation | ViewMembers) => is_own,
        (AuditeurExterne, ConductAudit | DeclareTies) => org.is_none(),

        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OrganisationKind::*;

    const FEDERATION: OrgRef = OrgRef {
        id: 1,
        kind: Federation,
        region_id: None,
    };
    const REGION_A: OrgRef = OrgRef {
        id: 10,
        kind: Region,
        region_id: Some(10),
    };
    const REGION_B: OrgRef = OrgRef {
        id: 20,
        kind: Region,
        region_id: Some(20),
    };
    const SIAE_A1: OrgRef = OrgRef {
        id: 11,
        kind: Siae,
        region_id: Some(10),
    };
    const SIAE_A2: OrgRef = OrgRef {
        id: 12,
        kind: Siae,
        region_id: Some(10),
    };
    const SIAE_B1: OrgRef = OrgRef {
        id: 21,
        kind: Siae,
        region_id: Some(20),
    };
    const CABINET: OrgRef = OrgRef {
        id: 30,
        kind: CabinetAudit,
        region_id: None,
    };
    const OTHER_CABINET: OrgRef = OrgRef {
        id: 31,
        kind: CabinetAudit,
        region_id: None,
    };

    fn actor(role: Role) -> Actor {
        let home = match role.organisation_kind() {
            Federation => FEDERATION,
            Region => REGION_A,
            Siae => SIAE_A1,
            CabinetAudit => CABINET,
        };
        Actor {
            account_id: 1,
            memberships: vec![Membership {
                role,
                organisation_id: home.id,
                region_id: home.region_id,
            }],
        }
    }

    /// The place of each target relative to an actor whose home is in region A.
    #[derive(Clone, Copy, Debug)]
    enum Place {
        Own,
        OtherSameRegion,
        OtherRegion,
    }

    fn target_for(role: Role, place: Place) -> OrgRef {
        match (role.organisation_kind(), place) {
            (Federation, Place::Own) => FEDERATION,
            (Federation, Place::OtherSameRegion) => SIAE_A2,
            (Federation, Place::OtherRegion) => SIAE_B1,
            (Region, Place::Own) => REGION_A,
            (Region, Place::OtherSameRegion) => SIAE_A2,
            (Region, Place::OtherRegion) => SIAE_B1,
            (Siae, Place::Own) => SIAE_A1,
            (Siae, Place::OtherSameRegion) => SIAE_A2,
            (Siae, Place::OtherRegion) => SIAE_B1,
            (CabinetAudit, Place::Own) => CABINET,
            (CabinetAudit, Place::OtherSameRegion) => OTHER_CABINET,
            (CabinetAudit, Place::OtherRegion) => SIAE_B1,
        }
    }

    /// Expected (own, other org same region, other region) for each role and organisation action.
    fn expected(role: Role, action: Action) -> (bool, bool, bool) {
        use Action::*;
        use Role::*;
        match (role, action) {
            (Administrateur, EditAssessment) => (false, false, false),
            (Administrateur, ViewAssessment) => siae_places(role),
            (Administrateur, ViewNetwork | ViewManual | EditManual | ApproveManual) => {
                (false, false, false)
            }
            (Administrateur, ViewIssuedManual | ViewDemande) => siae_places(role),
            (
                Administrateur,
                EditDemande | ReviewDemande | DecideDemandeRegion | AssignAuditor | ConductAudit
                | DeclareTies | ReadAuditReport | DecideCertification | SetProgrammeRules
                | FollowParcours | ViewFileReads,
            ) => (false, false, false),
            (Administrateur, _) => (true, true, true),
            (ResponsableQualiteFederal, ViewDemande | AssignAuditor | ReadAuditReport) => {
                siae_places(role)
            }
            (MembreComiteCertification, DecideCertification) => siae_places(role),
            (
                ResponsableQualiteFederal | MembreComiteCertification,
                ViewAssessment | ViewIssuedManual,
            ) => siae_places(role),
            (ResponsableQualiteFederal, ManageReferentiel) => (true, true, true),
            (
                ReferentQualiteRegional | MembreCaRegional,
                ViewAssessment | ViewIssuedManual | ViewDemande,
            ) => (false, true, false),
            (ReferentQualiteRegional, ReviewDemande) => (false, true, false),
            (MembreCaRegional, DecideDemandeRegion) => (false, true, false),
            (
                ReferentQualite | Direction,
                ViewAssessment | EditAssessment | ViewManual | EditManual | ApproveManual
                | ViewIssuedManual | ViewDemande | EditDemande | ReadAuditReport,
            ) => (true, false, false),
            (ReferentQualite | Direction | Accompagnateur, FollowParcours) => (true, false, false),
            (Direction, ViewFileReads) => (true, false, false),
            (Accompagnateur, ViewAssessment | ViewManual | ViewIssuedManual) => {
                (true, false, false)
            }
            (ResponsableQualiteFederal, ViewOrganisation | ViewMembers) => (true, true, true),
            (MembreComiteCertification, ViewOrganisation) => (true, true, true),
            (ReferentQualiteRegional, ViewOrganisation | ViewMembers) => (true, true, false),
            (MembreCaRegional, ViewOrganisation) => (true, true, false),
            (MembreCaRegional, ViewMembers) => (true, false, false),
            (ReferentQualite | Direction | Accompagnateur, ViewOrganisation | ViewMembers) => {
                (true, false, false)
            }
            (AuditeurExterne, ViewOrganisation | ViewMembers) => (true, false, false),
            _ => (false, false, false),
        }
    }

    /// Which of (own, other same region, other region) targets are SIAE for this role's home.
    fn siae_places(role: Role) -> (bool, bool, bool) {
        let is_siae = |place| target_for(role, place).kind == Siae;
        (
            is_siae(Place::Own),
            is_siae(Place::OtherSameRegion),
            is_siae(Place::OtherRegion),
        )
    }

    #[test]
    fn matrix_of_roles_places_and_actions() {
        for role in Role::ALL {
            let actor = actor(role);
            for action in Action::ALL {
                let (own, same_region, other_region) = expected(role, action);
                for (place, allowed) in [
                    (Place::Own, own),
                    (Place::OtherSameRegion, same_region),
                    (Place::OtherRegion, other_region),
                ] {
                    let target = Target::Organisation(target_for(role, place));
                    assert_eq!(
                        actor.may(action, target),
                        allowed,
                        "{role:?} {action:?} on {place:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn global_actions_belong_to_the_administrator() {
        for role in Role::ALL {
            for action in [
                Action::CreateOrganisation,
                Action::ManageAccounts,
                Action::ViewAuditTrail,
            ] {
                assert_eq!(
                    actor(role).may(action, Target::Global),
                    role == Role::Administrateur,
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn the_whole_network_is_followed_by_the_federal_quality_roles() {
        use Role::*;
        let expected = [
            (Administrateur, false),
            (ResponsableQualiteFederal, true),
            (MembreComiteCertification, true),
            (ReferentQualiteRegional, false),
            (MembreCaRegional, false),
            (ReferentQualite, false),
            (Direction, false),
            (Accompagnateur, false),
            (AuditeurExterne, false),
        ];
        assert_eq!(expected.len(), Role::ALL.len());
        for (role, allowed) in expected {
            assert_eq!(
                actor(role).may(Action::ViewNetwork, Target::Global),
                allowed,
                "{role:?}"
            );
        }
    }

    #[test]
    fn siae_staff_see_their_own_region_but_not_another() {
        let staff = actor(Role::Accompagnateur);
        assert!(staff.may(Action::ViewOrganisation, Target::Organisation(REGION_A)));
        assert!(!staff.may(Action::ViewOrganisation, Target::Organisation(REGION_B)));
        assert!(!staff.may(Action::ViewMembers, Target::Organisation(REGION_A)));
    }

    #[test]
    fn no_membership_means_no_access() {
        let nobody = Actor {
            account_id: 9,
            memberships: vec![],
        };
        for action in Action::ALL {
            assert!(!nobody.may(action, Target::Global));
            assert!(!nobody.may(action, Target::Organisation(SIAE_A1)));
        }
    }

    #[test]
    fn permissions_of_several_memberships_add_up() {
        let mut both = actor(Role::Accompagnateur);
        both.memberships.push(Membership {
            role: Role::MembreCaRegional,
            organisation_id: 20,
            region_id: Some(20),
        });
        assert!(both.may(Action::ViewOrganisation, Target::Organisation(SIAE_A1)));
        assert!(both.may(Action::ViewOrganisation, Target::Organisation(SIAE_B1)));
        assert!(!both.may(Action::ViewOrganisation, Target::Organisation(SIAE_A2)));
    }
}
