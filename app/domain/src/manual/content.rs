//! What a section version holds, by the kind of its section: Markdown text, or structured data
//! (an organigramme, a fiche de poste, the tools or the indicators table). Structured content is
//! stored in the version's body as JSON, so that versions, their immutability, comparisons and
//! editions treat every kind alike.

use super::chart::OrgChart;
use super::job::JobDescription;
use super::section::SectionKind;
use super::tables::{self, IndicatorRow, ToolRow};
use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How a kind of section is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentForm {
    Text,
    Chart,
    Job,
    Tools,
    Indicators,
}

impl SectionKind {
    pub fn form(self) -> ContentForm {
        match self {
            Self::OrganigrammeHierarchique | Self::OrganigrammeFonctionnel => ContentForm::Chart,
            Self::FicheDePoste => ContentForm::Job,
            Self::Outils => ContentForm::Tools,
            Self::Indicateurs => ContentForm::Indicators,
            _ => ContentForm::Text,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionContent {
    /// Markdown.
    Text(String),
    Organigramme(OrgChart),
    FicheDePoste(JobDescription),
    Outils(Vec<ToolRow>),
    Indicateurs(Vec<IndicatorRow>),
}

/// What a structured form checks its values against, taken from the rest of the manual.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormContext {
    /// The posts of the hierarchical organigramme (its version in force, else its draft).
    pub posts: Vec<String>,
    /// The titles of the manual's procedures.
    pub procedures: Vec<String>,
}

impl SectionContent {
    /// The content of a section of `kind` with nothing written yet.
    pub fn empty(kind: SectionKind) -> Self {
        match kind.form() {
            ContentForm::Text => Self::Text(String::new()),
            ContentForm::Chart => Self::Organigramme(OrgChart::default()),
            ContentForm::Job => Self::FicheDePoste(JobDescription::default()),
            ContentForm::Tools => Self::Outils(Vec::new()),
            ContentForm::Indicators => Self::Indicateurs(Vec::new()),
        }
    }

    /// The content of a stored body. A structured kind whose body is not its JSON (text written
    /// before the kind had its form) is read as text: it stays readable, never lost.
    #[cfg(feature = "parsers")]
    pub fn read(kind: SectionKind, body: &str) -> Self {
        if kind.form() == ContentForm::Text {
            return Self::Text(body.to_string());
        }
        if body.trim().is_empty() {
            return Self::empty(kind);
        }
        match serde_json::from_str::<Self>(body) {
            Ok(content) if content.fits(kind) => content,
            _ => Self::Text(body.to_string()),
        }
    }

    /// The body to store.
    #[cfg(feature = "parsers")]
    pub fn store(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            structured => serde_json::to_string(structured).expect("plain data serialises"),
        }
    }

    /// It is the content a section of `kind` holds.
    pub fn fits(&self, kind: SectionKind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(&Self::empty(kind))
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Self::Text(text) => text.trim().is_empty(),
            Self::Organigramme(chart) => chart.is_empty(),
            Self::FicheDePoste(job) => job.is_empty(),
            Self::Outils(rows) => rows.is_empty(),
            Self::Indicateurs(rows) => rows.is_empty(),
        }
    }

    /// The content as text, for word-level comparisons of two versions.
    pub fn plain_text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Organigramme(chart) => chart.plain_text(),
            Self::FicheDePoste(job) => job.plain_text(),
            Self::Outils(rows) => tables::plain_text(rows),
            Self::Indicateurs(rows) => tables::plain_text(rows),
        }
    }

    /// The content a structured form of a section of `kind` describes; `previous` is the content
    /// the form showed (an organigramme's posts keep their ids).
    pub fn from_form(
        kind: SectionKind,
        previous: &SectionContent,
        fields: &BTreeMap<String, String>,
        context: &FormContext,
    ) -> Result<Self, FieldErrors> {
        match kind.form() {
            ContentForm::Text => Err(FieldErrors::form(
                "Cette section s'écrit en texte, pas par un tableau.",
            )),
            ContentForm::Chart => {
                let previous = match previous {
                    Self::Organigramme(chart) => chart.clone(),
                    _ => OrgChart::default(),
                };
                OrgChart::from_form(&previous, fields).map(Self::Organigramme)
            }
            ContentForm::Job => {
                JobDescription::from_form(fields, &context.posts).map(Self::FicheDePoste)
            }
            ContentForm::Tools => {
                tables::rows_from_form(fields, &[("procedure", &context.procedures)])
                    .map(Self::Outils)
            }
            ContentForm::Indicators => tables::rows_from_form(fields, &[]).map(Self::Indicateurs),
        }
    }
}

#[cfg(all(test, feature = "parsers"))]
mod tests {
    use super::*;
    use crate::manual::chart::ChartNode;

    #[test]
    fn structured_content_is_stored_as_json_and_read_back() {
        let chart = SectionContent::Organigramme(OrgChart {
            nodes: vec![ChartNode {
                id: 1,
                post: "Direction".into(),
                holder: "#read(\"/etc/passwd\")".into(),
                parent: None,
            }],
        });
        let body = chart.store();
        assert_eq!(
            body,
            r##"{"organigramme":{"nodes":[{"id":1,"post":"Direction","holder":"#read(\"/etc/passwd\")","parent":null}]}}"##
        );
        assert_eq!(
            SectionContent::read(SectionKind::OrganigrammeFonctionnel, &body),
            chart
        );
    }

    #[test]
    fn text_in_a_structured_kind_or_json_of_another_kind_reads_as_text() {
        let legacy = "La direction, puis deux encadrants.";
        assert_eq!(
            SectionContent::read(SectionKind::OrganigrammeHierarchique, legacy),
            SectionContent::Text(legacy.into())
        );
        let tools = SectionContent::Outils(Vec::new()).store();
        assert_eq!(
            SectionContent::read(SectionKind::FicheDePoste, &tools),
            SectionContent::Text(tools.clone())
        );
        assert!(SectionContent::read(SectionKind::Outils, "").is_empty());
        assert!(SectionContent::read(SectionKind::Outils, &tools).is_empty());
        // A text section's body is its text, even when it looks like JSON.
        assert_eq!(
            SectionContent::read(SectionKind::Presentation, &tools),
            SectionContent::Text(tools)
        );
    }
}
