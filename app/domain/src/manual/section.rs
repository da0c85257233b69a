//! The sections of a manuel qualité: their kinds, and the skeleton a new manual starts from —
//! the contents the programme requires (seed « Le manuel qualité - descriptif »), each with a
//! short hint of what to write and the requirements of the référentiel it usually answers.

use serde::{Deserialize, Serialize};

/// What a section holds. Text sections are Markdown; the others will hold structured data
/// (organigrammes, fiches de poste, tables), kept beside the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SectionKind {
    Presentation,
    ProjetAssociatif,
    Priorites,
    Diffusion,
    OrganigrammeHierarchique,
    OrganigrammeFonctionnel,
    FicheDePoste,
    Fonctionnement,
    Procedure,
    Outils,
    Indicateurs,
    Amelioration,
    /// A section the SIAE adds of its own.
    Libre,
}

impl SectionKind {
    pub const ALL: [Self; 13] = [
        Self::Presentation,
        Self::ProjetAssociatif,
        Self::Priorites,
        Self::Diffusion,
        Self::OrganigrammeHierarchique,
        Self::OrganigrammeFonctionnel,
        Self::FicheDePoste,
        Self::Fonctionnement,
        Self::Procedure,
        Self::Outils,
        Self::Indicateurs,
        Self::Amelioration,
        Self::Libre,
    ];

    /// The stored code (a CHECK of `manual_sections.kind` lists them).
    pub fn code(self) -> &'static str {
        match self {
            Self::Presentation => "presentation",
            Self::ProjetAssociatif => "projet_associatif",
            Self::Priorites => "priorites",
            Self::Diffusion => "diffusion",
            Self::OrganigrammeHierarchique => "organigramme_hierarchique",
            Self::OrganigrammeFonctionnel => "organigramme_fonctionnel",
            Self::FicheDePoste => "fiche_de_poste",
            Self::Fonctionnement => "fonctionnement",
            Self::Procedure => "procedure",
            Self::Outils => "outils",
            Self::Indicateurs => "indicateurs",
            Self::Amelioration => "amelioration",
            Self::Libre => "libre",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The kind's name, for the section list.
    pub fn label(self) -> &'static str {
        match self {
            Self::Presentation => "Présentation et historique",
            Self::ProjetAssociatif => "Projet associatif",
            Self::Priorites => "Priorités et axes de développement",
            Self::Diffusion => "Diffusion interne du manuel",
            Self::OrganigrammeHierarchique => "Organigramme hiérarchique",
            Self::OrganigrammeFonctionnel => "Organigramme fonctionnel",
            Self::FicheDePoste => "Fiche de poste",
            Self::Fonctionnement => "Schéma de fonctionnement",
            Self::Procedure => "Procédure",
            Self::Outils => "Outils",
            Self::Indicateurs => "Indicateurs d'activité",
            Self::Amelioration => "Amélioration du système qualité",
            Self::Libre => "Section libre",
        }
    }
}

impl std::str::FromStr for SectionKind {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::from_code(code).ok_or_else(|| format!("unknown section kind {code:?}"))
    }
}

/// A section of a SIAE's manual.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub id: i64,
    pub siae_id: i64,
    pub kind: SectionKind,
    pub title: String,
    pub position: i64,
    /// The requirements of the référentiel it answers, by key (`2.3 a`), sorted.
    pub answers: Vec<String>,
}

/// A section of the skeleton: what a new manual starts with.
#[derive(Clone, Copy, Debug)]
pub struct SkeletonSection {
    pub kind: SectionKind,
    pub title: &'static str,
    /// What the section should contain, shown above its editor.
    pub hint: &'static str,
    /// The requirements of the référentiel it answers, by key (`2.3 a`).
    pub answers: &'static [&'static str],
}

/// The three procedures every manual defines at least.
pub const MINIMAL_PROCEDURES: [&str; 3] = [
    "Procédure de contractualisation des engagements",
    "Procédure de mobilisation des heures de travail",
    "Procédure de régulation pédagogique",
];

pub const SKELETON: &[SkeletonSection] = &[
    SkeletonSection {
        kind: SectionKind::Presentation,
        title: "Présentation de l'organisme et historique",
        hint: "Une présentation succincte de l'organisme : statut, territoire, activités supports, publics accueillis, équipe ; les grandes étapes de son histoire.",
        answers: &[],
    },
    SkeletonSection {
        kind: SectionKind::ProjetAssociatif,
        title: "Projet associatif",
        hint: "Le projet associatif développé en une page environ : ne vous limitez pas à l'article 2 des statuts.",
        answers: &["2.4 a"],
    },
    SkeletonSection {
        kind: SectionKind::Priorites,
        title: "Définition et diffusion des priorités et des axes de développement",
        hint: "Qui définit les priorités et les axes de développement, à quel rythme, avec qui, et comment ils sont diffusés à l'équipe et aux partenaires.",
        answers: &["2.4 a", "2.4 b"],
    },
    SkeletonSection {
        kind: SectionKind::Diffusion,
        title: "Modalités de diffusion interne du manuel",
        hint: "À qui le manuel est remis, sous quelle forme, comment chacun est informé de ses mises à jour et en accuse lecture.",
        answers: &["2.3 d"],
    },
    SkeletonSection {
        kind: SectionKind::OrganigrammeHierarchique,
        title: "Organigramme hiérarchique",
        hint: "Les postes (ou les personnes) et qui rend compte à qui.",
        answers: &[],
    },
    SkeletonSection {
        kind: SectionKind::OrganigrammeFonctionnel,
        title: "Organigramme fonctionnel",
        hint: "Les fonctions et leurs liens : qui fait quoi pour les trois missions, au-delà de la hiérarchie.",
        answers: &[],
    },
    SkeletonSection {
        kind: SectionKind::FicheDePoste,
        title: "Fiche de poste — Accompagnateur socioprofessionnel",
        hint: "Une fiche par poste : intitulé, rattachement, finalité, missions et activités, compétences requises, conditions d'exercice.",
        answers: &[],
    },
    SkeletonSection {
        kind: SectionKind::Fonctionnement,
        title: "Schéma de fonctionnement : missions accueil, insertion et observatoire",
        hint: "Comment s'enchaînent les trois missions et quelles procédures les décrivent.",
        answers: &["2.3 d", "2.4 b"],
    },
    SkeletonSection {
        kind: SectionKind::Procedure,
        title: MINIMAL_PROCEDURES[0],
        hint: "Comment les engagements réciproques sont proposés, formalisés (objectifs, échéances, moyens), remis au salarié, puis suivis jusqu'au bilan.",
        answers: &["2.2 a", "2.2 c"],
    },
    SkeletonSection {
        kind: SectionKind::Procedure,
        title: MINIMAL_PROCEDURES[1],
        hint: "Comment les mises en situation de travail et les heures sont mobilisées en cohérence avec l'étape du parcours et les engagements.",
        answers: &["2.3 b"],
    },
    SkeletonSection {
        kind: SectionKind::Procedure,
        title: MINIMAL_PROCEDURES[2],
        hint: "Le rythme des réunions de régulation pédagogique, qui y participe, comment les décisions sont consignées et suivies.",
        answers: &["2.3 a"],
    },
    SkeletonSection {
        kind: SectionKind::Outils,
        title: "Référencement des outils",
        hint: "Chaque outil utilisé par les procédures : son nom, la mission ou phase concernée, la procédure qui l'utilise.",
        answers: &["2.3 d"],
    },
    SkeletonSection {
        kind: SectionKind::Indicateurs,
        title: "Indicateurs quantitatifs et qualitatifs de l'activité",
        hint: "Les indicateurs de la mission observatoire (voir l'enquête annuelle de la fédération) et leurs valeurs.",
        answers: &["2.5 a", "2.5 b"],
    },
    SkeletonSection {
        kind: SectionKind::Amelioration,
        title: "Amélioration du système qualité",
        hint: "Partenariats, mesure de la satisfaction des demandeurs d'emploi, traitement des dysfonctionnements et réclamations, plan de formation.",
        answers: &["2.3 c", "2.5 c", "2.6"],
    },
];

/// The hint of a section, from its kind (a section added by the SIAE gets its kind's hint).
pub fn hint(kind: SectionKind, title: &str) -> &'static str {
    SKELETON
        .iter()
        .find(|s| s.kind == kind && s.title == title)
        .or_else(|| SKELETON.iter().find(|s| s.kind == kind))
        .map(|s| s.hint)
        .unwrap_or("Une section propre à votre structure.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_and_distinct() {
        for kind in SectionKind::ALL {
            assert_eq!(SectionKind::from_code(kind.code()), Some(kind));
        }
        let mut codes: Vec<_> = SectionKind::ALL.iter().map(|k| k.code()).collect();
        codes.dedup();
        assert_eq!(codes.len(), SectionKind::ALL.len());
    }

    #[test]
    fn the_skeleton_covers_every_required_content_and_the_three_procedures() {
        for kind in SectionKind::ALL
            .into_iter()
            .filter(|k| *k != SectionKind::Libre)
        {
            assert!(SKELETON.iter().any(|s| s.kind == kind), "{kind:?}");
        }
        for procedure in MINIMAL_PROCEDURES {
            assert!(SKELETON.iter().any(|s| s.title == procedure));
        }
        let regulation = SKELETON
            .iter()
            .find(|s| s.title == "Procédure de régulation pédagogique")
            .unwrap();
        assert_eq!(regulation.answers, &["2.3 a"]);
    }
}
