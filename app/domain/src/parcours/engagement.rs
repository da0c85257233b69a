//! The six engagements réciproques (fiche outil n°14 « définition des engagements »), word for
//! word from the seed, and how fiche outil n°15 places each on its grid.

use serde::{Deserialize, Serialize};

/// The kind of an engagement réciproque: the main objective pursued with the person at that
/// moment, not the structure's action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EngagementKind {
    CoupDePouce,
    Decouverte,
    MobilisationPreparation,
    ValidationProfessionnelle,
    SoutienActif,
    Templus,
}

/// What a definition of fiche outil n°14 says: its opening sentence and its points.
pub struct Definition {
    pub purpose: &'static str,
    pub points: &'static [&'static str],
}

impl EngagementKind {
    /// In the order of fiche outil n°14.
    pub const ALL: [Self; 6] = [
        Self::CoupDePouce,
        Self::Decouverte,
        Self::ValidationProfessionnelle,
        Self::SoutienActif,
        Self::Templus,
        Self::MobilisationPreparation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::CoupDePouce => "coup_de_pouce",
            Self::Decouverte => "decouverte",
            Self::MobilisationPreparation => "mobilisation_preparation",
            Self::ValidationProfessionnelle => "validation_professionnelle",
            Self::SoutienActif => "soutien_actif",
            Self::Templus => "templus",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The reference the staff note on a convention to count the engagements signed (fiche
    /// outil n°19: « D pour découverte par exemple »; exemple n°5 writes CP for coup de pouce).
    pub fn reference(self) -> &'static str {
        match self {
            Self::CoupDePouce => "CP",
            Self::Decouverte => "D",
            Self::MobilisationPreparation => "MPP",
            Self::ValidationProfessionnelle => "VP",
            Self::SoutienActif => "SA",
            Self::Templus => "T",
        }
    }

    /// Every kind as `(code, label)`, for a form's list.
    pub fn options() -> Vec<(String, String)> {
        Self::ALL
            .iter()
            .map(|k| (k.code().to_string(), k.label().to_string()))
            .collect()
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::CoupDePouce => "Coup de pouce",
            Self::Decouverte => "Découverte",
            Self::MobilisationPreparation => "Mobilisation et préparation professionnelle",
            Self::ValidationProfessionnelle => "Validation professionnelle",
            Self::SoutienActif => "Soutien actif",
            Self::Templus => "Templus",
        }
    }

    /// Fiche outil n°14.
    pub fn definition(self) -> Definition {
        match self {
            Self::CoupDePouce => Definition {
                purpose: "Il s'agit d'apporter par des Mises En Situation de Travail Salarié (METS) et d'autres actions associées, une réponse immédiate à une situation difficile vécue par le demandeur d'emploi et aussi le premier pas d'un parcours d'insertion, et qui se caractérise par :",
                points: &[
                    "Un manque de ressources financières pouvant entraîner d'autres difficultés",
                    "Une détresse psychologique provoquée par un événement social ou familial",
                    "La nécessité d'acquérir ou de réacquérir dans un court délai des droits sociaux minimum",
                    "Un risque de rupture dans un parcours d'insertion",
                    "La capacité par la personne à occuper un emploi immédiatement.",
                ],
            },
            Self::Decouverte => Definition {
                purpose: "Il s'agit par la construction d'un parcours d'insertion comportant des METS et d'autres actions associées, d'aider un demandeur d'emploi qui présente des difficultés particulières d'accès ou de retour à l'emploi :",
                points: &[
                    "A découvrir ou redécouvrir ses potentialités (capacités, compétences), à clarifier ses motivations, à exprimer et construire un projet professionnel",
                    "A se revaloriser, à reprendre confiance en soi",
                    "A découvrir ou redécouvrir une tâche, un poste de travail, un métier",
                ],
            },
            Self::ValidationProfessionnelle => Definition {
                purpose: "Il s'agit par la construction d'un parcours d'insertion comportant des METS et d'autres actions associées de contribuer à la requalification professionnelle d'un demandeur d'emploi, c'est-à-dire :",
                points: &[
                    "Conforter ou réacquérir des compétences et des savoirs directement utiles sur le marché de l'emploi et de les faire reconnaître et valider",
                    "Dynamiser ses démarches d'insertion socioprofessionnelle, de recherche d'emploi",
                ],
            },
            Self::SoutienActif => Definition {
                purpose: "Il s'agit par la construction d'un parcours d'insertion comportant des METS et d'autres actions associées, de contribuer à la résolution des problèmes sociaux (santé, famille, logement, mobilité...) ou des discriminations qui freinent ou bloquent l'accès à l'emploi :",
                points: &[
                    "En proposant une activité professionnelle rémunérée garantissant des ressources financières, contribuant au maintien d'un équilibre personnel, de liens et de reconnaissance sociale",
                    "En assurant un soutien personnalisé à la résolution des problèmes ou de la discrimination",
                    "En mobilisant les partenaires pouvant être impliqués dans cette résolution",
                ],
            },
            Self::Templus => Definition {
                purpose: "Il s'agit par la construction d'un parcours d'insertion à long terme comportant des METS et d'autres actions associées, d'assurer dans la durée au demandeur d'emploi en grande difficulté :",
                points: &[
                    "Une activité rémunérée nécessaire à la préservation de droits sociaux (acquisition de points de retraite, couverture sociale ...)",
                    "Une activité rémunérée qui sera productrice d'équilibre, de lien et de reconnaissance sociale",
                    "Un suivi ou un accompagnement favorisant une intégration associative, une intégration dans la collectivité et à long terme une intégration professionnelle",
                ],
            },
            Self::MobilisationPreparation => Definition {
                purpose: "Il s'agit par la construction d'un parcours comprenant des METS et d'autres actions associées, de permettre aux personnes de réamorcer une démarche d'insertion. Cette construction propose :",
                points: &[
                    "Un contenu de travail valorisant et/ou des activités (sociales, culturelles, sportives, éducatives...) dans une continuité mobilisant progressivement leurs capacités d'autonomie, d'intégration à un collectif de travail, de développer leurs compétences sociales.",
                    "Une rémunération, un ou des statuts qui permettent de s'affranchir d'une dépendance des aides sociales",
                    "Un accompagnement socioprofessionnel adapté et structuré hors du temps de travail ou d'activité sous une forme individualisée ou collective.",
                    "Une prise de risque mesurée de retour dans un emploi en secteur \"ordinaire\" en fonction de son évolution.",
                ],
            },
        }
    }
}

impl std::str::FromStr for EngagementKind {
    type Err = String;

    fn from_str(code: &str) -> Result<Self, String> {
        Self::from_code(code).ok_or_else(|| format!("unknown engagement kind {code:?}"))
    }
}
