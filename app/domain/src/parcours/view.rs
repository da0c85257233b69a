//! What the parcours pages show: the list of a SIAE's people, a person's fiche de suivi, the
//! tableau de synthèse, the suivi a minima. Read by the SIAE's own staff only.

use super::engagement::EngagementKind;
use super::person::{ExitKind, PersonDetails, PersonSort, Phase};
use super::record::{ActionKind, ActionStatus, Bilan, ContractForm, Placement};
use super::suivi::Lapse;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One person in the list of a SIAE's people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonListItem {
    pub id: i64,
    pub full_name: String,
    pub phase: Phase,
    pub accompagnateur_name: Option<String>,
    pub inscription_on: Option<NaiveDate>,
    /// The engagement in progress (without bilan), the latest first.
    pub current_engagement: Option<EngagementKind>,
    /// Its échéance.
    pub next_due: Option<NaiveDate>,
}

/// The list of a SIAE's people: one page of those matching the search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonList {
    pub siae_id: i64,
    pub siae_name: String,
    pub items: Vec<PersonListItem>,
    /// People matching the search, on every page.
    pub matching: usize,
    /// 1-based.
    pub page: usize,
    pub pages: usize,
    pub search: String,
    pub sort: PersonSort,
    /// The SIAE's staff, who may follow a person: `(account id, name)`.
    pub staff: Vec<(i64, String)>,
    /// The suivi a minima of the whole SIAE.
    pub suivi: Vec<SuiviLine>,
    pub proposal_delay_days: i64,
    /// Whether the caller may set the delay (référent qualité, direction).
    pub can_set_delay: bool,
}

/// One person who is not followed a minima, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiviLine {
    pub person_id: i64,
    pub full_name: String,
    pub accompagnateur_id: Option<i64>,
    pub accompagnateur_name: Option<String>,
    pub lapses: Vec<Lapse>,
}

/// The suivi a minima on the staff's home page: the caller's own people and the whole SIAE's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiviGlance {
    pub siae_id: i64,
    pub siae_name: String,
    pub followed: usize,
    pub mine: Vec<SuiviLine>,
    pub all: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngagementView {
    pub id: i64,
    pub kind: EngagementKind,
    pub signed_on: NaiveDate,
    pub accompagnateur_name: Option<String>,
    pub needs: String,
    pub object: String,
    pub means_structure: String,
    pub means_person: String,
    pub due_on: NaiveDate,
    pub form: ContractForm,
    pub signed: bool,
    pub handed: bool,
    pub follows_id: Option<i64>,
    pub bilan: Option<Bilan>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    pub id: i64,
    pub on: NaiveDate,
    pub kind: ActionKind,
    pub label: String,
    pub objective: String,
    pub engagement_id: Option<i64>,
    pub engagement_kind: Option<EngagementKind>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    pub decisions: String,
    pub minutes: i64,
    pub placement: Option<Placement>,
}

/// Someone opened the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRead {
    pub at: DateTime<Utc>,
    pub reader_name: String,
    pub what: String,
}

/// A person's fiche individuelle de suivi.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonFile {
    pub id: i64,
    pub siae_id: i64,
    pub siae_name: String,
    pub details: PersonDetails,
    pub accompagnateur_name: Option<String>,
    pub exit: Option<(NaiveDate, ExitKind)>,
    pub phase: Phase,
    /// Oldest first: the parcours as a timeline.
    pub engagements: Vec<EngagementView>,
    /// Oldest first, as the fiche de suivi lists them.
    pub actions: Vec<ActionView>,
    pub staff: Vec<(i64, String)>,
    pub lapses: Vec<Lapse>,
    /// Who opened the file, the latest first: for the direction only.
    pub reads: Option<Vec<FileRead>>,
}

impl PersonFile {
    /// The engagement a new one would follow: the latest, once its bilan planned a follow-up
    /// and nothing follows it yet.
    pub fn follow_up_of(&self) -> Option<&EngagementView> {
        self.engagements.iter().rev().find(|e| {
            e.bilan.as_ref().is_some_and(|b| b.follow_up)
                && !self.engagements.iter().any(|n| n.follows_id == Some(e.id))
        })
    }
}

/// One line of the tableau de synthèse des parcours (exemple n°5): a person in parcours with
/// their current engagement and its actions in the three columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SynthesisLine {
    pub person_id: i64,
    pub full_name: String,
    pub engagement: Option<EngagementView>,
    pub to_propose: Vec<String>,
    pub in_progress: Vec<String>,
    pub done: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Synthesis {
    pub siae_id: i64,
    pub siae_name: String,
    pub lines: Vec<SynthesisLine>,
}

/// Letters without their accents, lowercase: how names are compared in a search (« elodie »
/// finds « Élodie »).
pub fn folded(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'û' | 'ü' | 'ú' | 'ù' => 'u',
            'ÿ' => 'y',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// Whether a person's name matches every word of a search.
pub fn name_matches(full_name: &str, search: &str) -> bool {
    let name = folded(full_name);
    folded(search)
        .split_whitespace()
        .all(|word| name.contains(word))
}

/// Sorts the list as asked (ties by name), then keeps page `page` (1-based, clamped).
pub fn sorted_page(
    mut items: Vec<PersonListItem>,
    sort: PersonSort,
    page: usize,
    page_size: usize,
) -> (Vec<PersonListItem>, usize, usize) {
    let name = |i: &PersonListItem| folded(&i.full_name);
    items.sort_by(|a, b| {
        let first = match sort {
            PersonSort::Name => std::cmp::Ordering::Equal,
            PersonSort::Phase => Phase::ALL
                .iter()
                .position(|p| *p == a.phase)
                .cmp(&Phase::ALL.iter().position(|p| *p == b.phase)),
            // The latest inscriptions first, people not inscribed last.
            PersonSort::Inscription => b.inscription_on.cmp(&a.inscription_on),
            // The nearest échéance first, people without one last.
            PersonSort::Due => match (a.next_due, b.next_due) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
        };
        first.then_with(|| name(a).cmp(&name(b)))
    });
    let pages = items.len().div_ceil(page_size).max(1);
    let page = page.clamp(1, pages);
    let shown = items
        .into_iter()
        .skip((page - 1) * page_size)
        .take(page_size)
        .collect();
    (shown, page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, name: &str, phase: Phase, due: Option<&str>) -> PersonListItem {
        PersonListItem {
            id,
            full_name: name.into(),
            phase,
            accompagnateur_name: None,
            inscription_on: None,
            current_engagement: None,
            next_due: due.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        }
    }

    #[test]
    fn a_search_ignores_case_and_accents_and_needs_every_word() {
        assert!(name_matches("LE GOFF Élodie", "elodie"));
        assert!(name_matches("LE GOFF Élodie", "goff élo"));
        assert!(!name_matches("LE GOFF Élodie", "goff marie"));
        assert!(name_matches("Martin Zoé", ""));
    }

    #[test]
    fn lists_are_sorted_then_cut_in_pages() {
        let items = vec![
            item(1, "Bernard Léa", Phase::EnParcours, Some("2026-06-01")),
            item(2, "Adam Noé", Phase::Accueil, None),
            item(3, "Caron Inès", Phase::EnParcours, Some("2026-05-01")),
            item(4, "Durand Yanis", Phase::PreEmbauche, None),
            item(5, "Étienne Paul", Phase::Sorti, None),
        ];
        let ids = |list: Vec<PersonListItem>| list.iter().map(|i| i.id).collect::<Vec<_>>();
        let (page, at, pages) = sorted_page(items.clone(), PersonSort::Name, 1, 2);
        assert_eq!((ids(page), at, pages), (vec![2, 1], 1, 3));
        let (page, _, _) = sorted_page(items.clone(), PersonSort::Name, 3, 2);
        // « Étienne » sorts as « etienne », after « Durand ».
        assert_eq!(ids(page), vec![5]);
        let (page, at, _) = sorted_page(items.clone(), PersonSort::Name, 9, 2);
        assert_eq!((ids(page), at), (vec![5], 3));
        let (page, _, _) = sorted_page(items.clone(), PersonSort::Phase, 1, 5);
        assert_eq!(ids(page), vec![2, 4, 1, 3, 5]);
        let (page, _, _) = sorted_page(items, PersonSort::Due, 1, 5);
        assert_eq!(ids(page), vec![3, 1, 2, 4, 5]);
    }
}
