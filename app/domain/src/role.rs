//! Roles are held through memberships of one organisation; an account may hold several.

use crate::organisation::{OrganisationId, OrganisationKind, UnknownCode};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    // In a SIAE.
    ReferentQualite,
    Direction,
    Accompagnateur,
    // In an association régionale.
    ReferentQualiteRegional,
    MembreCaRegional,
    // In the federation.
    ResponsableQualiteFederal,
    MembreComiteCertification,
    Administrateur,
    // In an audit firm.
    AuditeurExterne,
}

impl Role {
    pub const ALL: [Self; 9] = [
        Self::ReferentQualite,
        Self::Direction,
        Self::Accompagnateur,
        Self::ReferentQualiteRegional,
        Self::MembreCaRegional,
        Self::ResponsableQualiteFederal,
        Self::MembreComiteCertification,
        Self::Administrateur,
        Self::AuditeurExterne,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ReferentQualite => "referent_qualite",
            Self::Direction => "direction",
            Self::Accompagnateur => "accompagnateur",
            Self::ReferentQualiteRegional => "referent_qualite_regional",
            Self::MembreCaRegional => "membre_ca_regional",
            Self::ResponsableQualiteFederal => "responsable_qualite_federal",
            Self::MembreComiteCertification => "membre_comite_certification",
            Self::Administrateur => "administrateur",
            Self::AuditeurExterne => "auditeur_externe",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::ReferentQualite => "Référent qualité",
            Self::Direction => "Direction",
            Self::Accompagnateur => "Accompagnateur",
            Self::ReferentQualiteRegional => "Référent qualité régional",
            Self::MembreCaRegional => "Membre du CA régional",
            Self::ResponsableQualiteFederal => "Responsable qualité fédéral",
            Self::MembreComiteCertification => "Membre du comité de certification",
            Self::Administrateur => "Administrateur",
            Self::AuditeurExterne => "Auditeur externe",
        }
    }

    /// The kind of organisation a membership with this role must belong to.
    pub fn organisation_kind(self) -> OrganisationKind {
        match self {
            Self::ReferentQualite | Self::Direction | Self::Accompagnateur => {
                OrganisationKind::Siae
            }
            Self::ReferentQualiteRegional | Self::MembreCaRegional => OrganisationKind::Region,
            Self::ResponsableQualiteFederal
            | Self::MembreComiteCertification
            | Self::Administrateur => OrganisationKind::Federation,
            Self::AuditeurExterne => OrganisationKind::CabinetAudit,
        }
    }

    pub fn for_kind(kind: OrganisationKind) -> impl Iterator<Item = Role> {
        Self::ALL
            .into_iter()
            .filter(move |r| r.organisation_kind() == kind)
    }
}

impl FromStr for Role {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|r| r.code() == s)
            .ok_or_else(|| UnknownCode(s.to_string()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub role: Role,
    pub organisation_id: OrganisationId,
    /// The region of the organisation (a SIAE's association régionale; a region itself).
    pub region_id: Option<OrganisationId>,
}

/// A membership with the names needed to show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MembershipDetail {
    pub id: i64,
    pub role: Role,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub organisation_kind: OrganisationKind,
    pub region_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_roles_and_codes_round_trip() {
        for kind in OrganisationKind::ALL {
            assert!(Role::for_kind(kind).count() >= 1, "{kind:?}");
        }
        for role in Role::ALL {
            assert_eq!(role.code().parse::<Role>(), Ok(role));
        }
    }
}
