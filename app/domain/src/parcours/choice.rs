//! The aid to choosing an engagement (fiche outil n°15 « le repérage des engagements »): the
//! accompagnateur answers the grid's indicators for the person; each engagement is placed on
//! the grid, and those that fit best come first. The choice stays the accompagnateur's — the
//! seed's reminder: « l'engagement est déterminé en fonction d'une priorité (ce qui est le plus
//! important pour le demandeur d'emploi à ce moment là) ».

use super::engagement::EngagementKind;
use serde::{Deserialize, Serialize};

/// Where the person's priority lies at this moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Priority {
    /// « Priorité centrée sur le rapport à l'emploi ».
    Emploi,
    /// « Priorité centrée sur des éléments périphériques à l'emploi »: the obstacles,
    /// blockages and discriminations that keep the person from work (housing, health,
    /// resources, racism…).
    Peripherique,
}

/// « Échéance utile de l'action ».
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Horizon {
    /// Less than three months.
    Courte,
    /// From three months to two years.
    Moyenne,
    /// More than two years.
    Longue,
}

/// « Référence à un projet professionnel ».
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Project {
    /// A project the person holds.
    Oui,
    /// Being looked for, or to be confirmed.
    EnRecherche,
    /// Secondary: social skills and organisation come first.
    Secondaire,
    /// None, or not expressed.
    Non,
}

/// The indicators answered for the person; an unanswered one counts for no engagement.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicators {
    pub priority: Option<Priority>,
    pub horizon: Option<Horizon>,
    pub project: Option<Project>,
    /// « Capacité à assurer immédiatement une mission de travail ».
    pub works_now: Option<bool>,
}

impl Indicators {
    /// The answers of a form, by their codes; an unknown or empty code is unanswered.
    pub fn from_codes(priority: &str, horizon: &str, project: &str, works_now: &str) -> Self {
        Self {
            priority: match priority {
                "emploi" => Some(Priority::Emploi),
                "peripherique" => Some(Priority::Peripherique),
                _ => None,
            },
            horizon: match horizon {
                "courte" => Some(Horizon::Courte),
                "moyenne" => Some(Horizon::Moyenne),
                "longue" => Some(Horizon::Longue),
                _ => None,
            },
            project: match project {
                "oui" => Some(Project::Oui),
                "en_recherche" => Some(Project::EnRecherche),
                "secondaire" => Some(Project::Secondaire),
                "non" => Some(Project::Non),
                _ => None,
            },
            works_now: match works_now {
                "oui" => Some(true),
                "non" => Some(false),
                _ => None,
            },
        }
    }

    pub fn answered(&self) -> usize {
        [
            self.priority.is_some(),
            self.horizon.is_some(),
            self.project.is_some(),
            self.works_now.is_some(),
        ]
        .into_iter()
        .filter(|a| *a)
        .count()
    }
}

/// An engagement's line of fiche outil n°15: what the grid says in each column, and the
/// answers that agree with it.
pub struct GridLine {
    pub kind: EngagementKind,
    pub employment: &'static str,
    pub peripheral: &'static str,
    pub horizon: &'static str,
    pub project: &'static str,
    pub works_now: &'static str,
    /// « Utilisation de la mise en situation de travail ».
    pub placement_use: &'static str,
    /// « Suite envisageable » (the « organisme » in the broad sense: ensemblier, AI, ETTI,
    /// chantier, EI…).
    pub next: &'static str,
    priority_fits: Priority,
    horizons_fit: &'static [Horizon],
    projects_fit: &'static [Project],
    works_now_fits: bool,
}

/// Fiche outil n°15's grid, in its order, word for word.
pub const GRID: [GridLine; 6] = [
    GridLine {
        kind: EngagementKind::CoupDePouce,
        employment: "Non",
        peripheral: "Oui, caractère d'urgence",
        horizon: "Courte",
        project: "Non",
        works_now: "Oui",
        placement_use: "En soutien à la résolution de la situation et en préparation d'une démarche d'insertion",
        next: "Sortie de l'organisme ou vers un engagement plus structuré",
        priority_fits: Priority::Peripherique,
        horizons_fit: &[Horizon::Courte],
        projects_fit: &[Project::Non],
        works_now_fits: true,
    },
    GridLine {
        kind: EngagementKind::SoutienActif,
        employment: "Non",
        peripheral: "Oui, en réponse à une demande effective",
        horizon: "Moyenne",
        project: "Secondaire ou non exprimé",
        works_now: "Non",
        placement_use: "En soutien à la résolution de la situation problème",
        next: "Sortie de l'organisme ou vers un engagement centré sur le rapport à l'emploi",
        priority_fits: Priority::Peripherique,
        horizons_fit: &[Horizon::Moyenne],
        projects_fit: &[Project::Secondaire, Project::Non],
        works_now_fits: false,
    },
    GridLine {
        kind: EngagementKind::Templus,
        employment: "Non",
        peripheral: "Oui",
        horizon: "Longue",
        project: "Maintien du lien social ; absence de « sortie possible »",
        works_now: "Non",
        placement_use: "Comme facteur de stabilisation et de prévention d'une désinsertion",
        next: "Sortie de l'organisme ou vers un engagement centré sur le rapport à l'emploi non envisageable à court ou moyen terme",
        priority_fits: Priority::Peripherique,
        horizons_fit: &[Horizon::Longue],
        projects_fit: &[Project::Non],
        works_now_fits: false,
    },
    GridLine {
        kind: EngagementKind::MobilisationPreparation,
        employment: "Oui",
        peripheral: "Non",
        horizon: "Moyenne",
        project: "Secondaire ; développement des compétences sociales ou d'organisation",
        works_now: "Non",
        placement_use: "Comme support à une socialisation professionnelle",
        next: "Sortie de l'organisme ou vers découverte ou validation professionnelle",
        priority_fits: Priority::Emploi,
        horizons_fit: &[Horizon::Moyenne],
        projects_fit: &[Project::Secondaire],
        works_now_fits: false,
    },
    GridLine {
        kind: EngagementKind::Decouverte,
        employment: "Oui",
        peripheral: "Non",
        horizon: "Courte ou moyenne",
        project: "En recherche ou à confirmer",
        works_now: "Oui",
        placement_use: "Comme support à la découverte d'un poste, d'une activité professionnelle et/ou revalorisation et reprise de confiance en soi",
        next: "Sortie de l'organisme ou vers un engagement validation professionnelle",
        priority_fits: Priority::Emploi,
        horizons_fit: &[Horizon::Courte, Horizon::Moyenne],
        projects_fit: &[Project::EnRecherche],
        works_now_fits: true,
    },
    GridLine {
        kind: EngagementKind::ValidationProfessionnelle,
        employment: "Oui",
        peripheral: "Non",
        horizon: "Courte ou moyenne",
        project: "Oui",
        works_now: "Oui",
        placement_use: "Comme support à une requalification professionnelle et/ou en maintien d'une dynamique d'emploi",
        next: "Sortie de l'organisme",
        priority_fits: Priority::Emploi,
        horizons_fit: &[Horizon::Courte, Horizon::Moyenne],
        projects_fit: &[Project::Oui],
        works_now_fits: true,
    },
];

/// One indicator of the grid, as compared for an engagement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Agreement {
    Agrees,
    Differs,
    Unanswered,
}

/// An engagement placed against the answers: how each indicator compares (priority, horizon,
/// project, capacity to work now).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fit {
    pub kind: EngagementKind,
    pub indicators: [Agreement; 4],
}

impl Fit {
    /// How many answered indicators agree.
    pub fn agreeing(&self) -> usize {
        self.indicators
            .iter()
            .filter(|a| **a == Agreement::Agrees)
            .count()
    }

    /// The priority differs: the seed decides by the person's priority first.
    pub fn priority_differs(&self) -> bool {
        self.indicators[0] == Agreement::Differs
    }
}

impl GridLine {
    pub fn of(kind: EngagementKind) -> &'static GridLine {
        GRID.iter()
            .find(|line| line.kind == kind)
            .expect("every engagement has its line")
    }

    fn fit(&self, answers: &Indicators) -> Fit {
        let compare = |answer: Option<bool>| match answer {
            None => Agreement::Unanswered,
            Some(true) => Agreement::Agrees,
            Some(false) => Agreement::Differs,
        };
        Fit {
            kind: self.kind,
            indicators: [
                compare(answers.priority.map(|p| p == self.priority_fits)),
                compare(answers.horizon.map(|h| self.horizons_fit.contains(&h))),
                compare(answers.project.map(|p| self.projects_fit.contains(&p))),
                compare(answers.works_now.map(|w| w == self.works_now_fits)),
            ],
        }
    }
}

/// The six engagements ranked for the answers: those of the person's priority first (« la
/// première question est de savoir quelle est réellement la priorité de la personne »), then
/// by the indicators that agree, ties in the grid's order.
pub fn rank(answers: &Indicators) -> Vec<Fit> {
    let mut fits: Vec<Fit> = GRID.iter().map(|line| line.fit(answers)).collect();
    fits.sort_by_key(|fit| (fit.priority_differs(), std::cmp::Reverse(fit.agreeing())));
    fits
}

#[cfg(test)]
mod tests {
    use super::*;
    use EngagementKind::*;

    fn ranked(answers: Indicators) -> Vec<(EngagementKind, usize)> {
        rank(&answers)
            .into_iter()
            .map(|f| (f.kind, f.agreeing()))
            .collect()
    }

    #[test]
    fn each_line_of_the_grid_comes_first_for_its_own_answers() {
        let cases = [
            (("peripherique", "courte", "non", "oui"), CoupDePouce),
            (
                ("peripherique", "moyenne", "secondaire", "non"),
                SoutienActif,
            ),
            (("peripherique", "moyenne", "non", "non"), SoutienActif),
            (("peripherique", "longue", "non", "non"), Templus),
            (
                ("emploi", "moyenne", "secondaire", "non"),
                MobilisationPreparation,
            ),
            (("emploi", "courte", "en_recherche", "oui"), Decouverte),
            (("emploi", "moyenne", "en_recherche", "oui"), Decouverte),
            (
                ("emploi", "courte", "oui", "oui"),
                ValidationProfessionnelle,
            ),
        ];
        for ((priority, horizon, project, works), expected) in cases {
            let answers = Indicators::from_codes(priority, horizon, project, works);
            let first = rank(&answers)[0];
            assert_eq!(first.kind, expected, "{answers:?}");
            assert_eq!(first.agreeing(), 4, "{answers:?}");
        }
    }

    #[test]
    fn the_priority_comes_before_the_other_indicators() {
        // A person whose priority is work, with a project, short horizon, who cannot work
        // right away: the engagements centred on work come first, whatever else agrees.
        let answers = Indicators::from_codes("emploi", "courte", "oui", "non");
        assert_eq!(
            ranked(answers),
            [
                (ValidationProfessionnelle, 3),
                (MobilisationPreparation, 2),
                (Decouverte, 2),
                (CoupDePouce, 1),
                (SoutienActif, 1),
                (Templus, 1),
            ]
        );
    }

    #[test]
    fn unanswered_indicators_count_for_nothing() {
        let none = Indicators::from_codes("", "", "", "");
        assert_eq!(none.answered(), 0);
        // No answer: the grid's order, nothing agrees, nothing differs.
        assert_eq!(
            ranked(none),
            GRID.iter().map(|l| (l.kind, 0)).collect::<Vec<_>>()
        );
        let horizon_only = Indicators::from_codes("", "longue", "x", "peut-être");
        assert_eq!(horizon_only.answered(), 1);
        assert_eq!(rank(&horizon_only)[0].kind, Templus);
        assert_eq!(
            rank(&horizon_only)[0].indicators,
            [
                Agreement::Unanswered,
                Agreement::Agrees,
                Agreement::Unanswered,
                Agreement::Unanswered
            ]
        );
    }

    #[test]
    fn every_engagement_has_one_line_and_its_definition() {
        for kind in EngagementKind::ALL {
            assert_eq!(GRID.iter().filter(|l| l.kind == kind).count(), 1);
            assert_eq!(GridLine::of(kind).kind, kind);
            assert!(!kind.definition().points.is_empty());
            assert_eq!(EngagementKind::from_code(kind.code()), Some(kind));
        }
    }
}
