//! Editions of the manual: what an edition freezes, what it still lacks before it is issued
//! (the completeness check), and what changed since the edition before it.

use super::content::SectionContent;
use super::section::{SectionKind, MINIMAL_PROCEDURES};
use serde::{Deserialize, Serialize};

/// An issued edition, without its PDF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edition {
    pub id: i64,
    pub siae_id: i64,
    pub number: i64,
    pub issued_on: chrono::NaiveDate,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub issuer_name: String,
    /// What the completeness check found, confirmed by the issuer.
    pub gaps: Vec<String>,
    pub pdf_sha256: String,
    pub pdf_bytes: i64,
}

/// A person an edition was given to (the manual's « modalités de diffusion interne »).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub edition_id: i64,
    pub account_id: i64,
    pub name: String,
    pub given_at: chrono::DateTime<chrono::Utc>,
    pub acknowledged_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The editions page of a SIAE's manual.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionsPage {
    pub siae_id: i64,
    pub siae_name: String,
    /// The latest first.
    pub editions: Vec<Edition>,
    /// For those who issue editions: what an edition issued now would lack.
    pub gaps: Option<Vec<String>>,
    /// To whom the editions were given: all of them for those who issue editions, the caller's
    /// own otherwise.
    pub recipients: Vec<Recipient>,
    /// For those who issue editions: the people of the SIAE an edition can be given to.
    pub members: Vec<(i64, String)>,
    /// The caller.
    pub account_id: i64,
    /// The SIAE has a logo for the cover of its next editions.
    pub has_logo: bool,
}

/// A section as an edition holds it: the version in force when the edition was issued.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrozenSection {
    pub section_id: i64,
    pub kind: SectionKind,
    pub title: String,
    pub version_id: i64,
    pub number: i64,
    pub approved_on: Option<chrono::NaiveDate>,
    pub body: String,
    pub answers: Vec<String>,
}

/// A section of the manual being checked before an edition: its version in force, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedSection<'a> {
    pub kind: SectionKind,
    pub title: &'a str,
    /// The content of its version in force; `None` when no version is approved.
    pub in_force: Option<&'a SectionContent>,
    pub answers: &'a [String],
}

/// What an edition would lack, in French, one line each; empty when the manual is complete.
/// `requirements` are the keys of the référentiel of the SIAE.
pub fn completeness_gaps(sections: &[CheckedSection], requirements: &[String]) -> Vec<String> {
    let mut gaps = Vec::new();
    let in_force = |s: &&CheckedSection| s.in_force.is_some_and(|c| !c.is_empty());
    for kind in SectionKind::ALL
        .into_iter()
        .filter(|k| *k != SectionKind::Libre)
    {
        if !sections.iter().any(|s| s.kind == kind) {
            gaps.push(format!("Aucune section « {} ».", kind.label()));
        }
    }
    for section in sections {
        match section.in_force {
            None => gaps.push(format!(
                "« {} » n'a pas de version approuvée.",
                section.title
            )),
            Some(content) if content.is_empty() => {
                gaps.push(format!("« {} » est vide.", section.title))
            }
            Some(_) => {}
        }
    }
    for procedure in MINIMAL_PROCEDURES {
        let present = sections
            .iter()
            .filter(in_force)
            .any(|s| s.kind == SectionKind::Procedure && s.title == procedure);
        if !present {
            gaps.push(format!("La « {procedure} » manque ou n'est pas approuvée."));
        }
    }
    for key in requirements {
        let answered = sections
            .iter()
            .filter(in_force)
            .any(|s| s.answers.contains(key));
        if !answered {
            gaps.push(format!(
                "Aucune section en vigueur ne répond à l'exigence {key}."
            ));
        }
    }
    gaps
}

/// How a section changed from one edition to the next, for the « Modifications » annex.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionChange {
    pub title: String,
    /// The version in the previous edition (`None`: a new section).
    pub from: Option<i64>,
    /// The version in this edition (`None`: the section left the manual).
    pub to: Option<i64>,
    /// The change notes of the versions approved in between, oldest first.
    pub notes: Vec<String>,
}

/// The sections that changed between `previous` and `current`; `notes` gives the change notes of
/// a section's versions with numbers in `(from, to]`.
pub fn changes_since(
    previous: &[FrozenSection],
    current: &[FrozenSection],
    notes: impl Fn(i64, i64, i64) -> Vec<String>,
) -> Vec<SectionChange> {
    let mut changes = Vec::new();
    for section in current {
        let before = previous.iter().find(|p| p.section_id == section.section_id);
        if before.is_some_and(|b| b.number == section.number) {
            continue;
        }
        let from = before.map(|b| b.number);
        changes.push(SectionChange {
            title: section.title.clone(),
            from,
            to: Some(section.number),
            notes: notes(section.section_id, from.unwrap_or(0), section.number),
        });
    }
    for gone in previous
        .iter()
        .filter(|p| !current.iter().any(|c| c.section_id == p.section_id))
    {
        changes.push(SectionChange {
            title: gone.title.clone(),
            from: Some(gone.number),
            to: None,
            notes: Vec::new(),
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manual::section::SKELETON;

    fn frozen(section_id: i64, number: i64) -> FrozenSection {
        FrozenSection {
            section_id,
            kind: SectionKind::Libre,
            title: format!("Section {section_id}"),
            version_id: section_id * 10 + number,
            number,
            approved_on: None,
            body: "texte".into(),
            answers: Vec::new(),
        }
    }

    #[test]
    fn a_complete_manual_has_no_gap_and_each_lack_is_named() {
        let answers: Vec<Vec<String>> = SKELETON
            .iter()
            .map(|s| s.answers.iter().map(|a| a.to_string()).collect())
            .collect();
        let text = SectionContent::Text("Un texte.".into());
        let blank = SectionContent::Text("  ".into());
        let complete: Vec<CheckedSection> = SKELETON
            .iter()
            .zip(&answers)
            .map(|(s, answers)| CheckedSection {
                kind: s.kind,
                title: s.title,
                in_force: Some(&text),
                answers,
            })
            .collect();
        let requirements = vec!["2.3 a".to_string(), "2.2 a".to_string()];
        assert_eq!(
            completeness_gaps(&complete, &requirements),
            Vec::<String>::new()
        );

        let mut lacking = complete.clone();
        lacking.retain(|s| s.kind != SectionKind::OrganigrammeFonctionnel);
        let regulation = lacking
            .iter_mut()
            .find(|s| s.title == "Procédure de régulation pédagogique")
            .unwrap();
        regulation.in_force = None;
        lacking[0].in_force = Some(&blank);
        let requirements = vec!["2.3 a".to_string(), "2.1 b".to_string()];
        assert_eq!(
            completeness_gaps(&lacking, &requirements),
            vec![
                "Aucune section « Organigramme fonctionnel ».".to_string(),
                "« Présentation de l'organisme et historique » est vide.".to_string(),
                "« Procédure de régulation pédagogique » n'a pas de version approuvée.".to_string(),
                "La « Procédure de régulation pédagogique » manque ou n'est pas approuvée."
                    .to_string(),
                "Aucune section en vigueur ne répond à l'exigence 2.3 a.".to_string(),
                "Aucune section en vigueur ne répond à l'exigence 2.1 b.".to_string(),
            ]
        );
    }

    #[test]
    fn the_changes_name_new_changed_and_removed_sections() {
        let previous = vec![frozen(1, 1), frozen(2, 1), frozen(3, 2)];
        let current = vec![frozen(1, 1), frozen(2, 3), frozen(4, 1)];
        let changes = changes_since(&previous, &current, |section, from, to| {
            ((from + 1)..=to)
                .map(|n| format!("{section}.{n}"))
                .collect()
        });
        assert_eq!(
            changes,
            vec![
                SectionChange {
                    title: "Section 2".into(),
                    from: Some(1),
                    to: Some(3),
                    notes: vec!["2.2".into(), "2.3".into()],
                },
                SectionChange {
                    title: "Section 4".into(),
                    from: None,
                    to: Some(1),
                    notes: vec!["4.1".into()],
                },
                SectionChange {
                    title: "Section 3".into(),
                    from: Some(2),
                    to: None,
                    notes: vec![],
                },
            ]
        );
    }
}
