//! Fiches de poste: one per post, in the fields the programme asks for — title, reporting line
//! (a post of the hierarchical organigramme), purpose, missions and activities, required
//! competences, working conditions.

use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const MAX_SHORT_CHARS: usize = 200;
const MAX_TEXT_CHARS: usize = 4_000;
const MAX_ITEMS: usize = 60;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobDescription {
    pub title: String,
    /// The post of the organigramme it reports to.
    pub reports_to: String,
    pub purpose: String,
    pub missions: Vec<String>,
    pub competences: Vec<String>,
    pub conditions: String,
}

impl JobDescription {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Labelled lines, for comparisons and searches.
    pub fn plain_text(&self) -> String {
        let list = |items: &[String]| items.iter().map(|i| format!("- {i}\n")).collect::<String>();
        format!(
            "Intitulé : {}\nRattachement : {}\nFinalité : {}\nMissions et activités :\n{}Compétences requises :\n{}Conditions d'exercice : {}\n",
            self.title,
            self.reports_to,
            self.purpose,
            list(&self.missions),
            list(&self.competences),
            self.conditions
        )
    }

    /// The fiche the form describes (fields `intitule`, `rattachement`, `finalite`, `missions`
    /// and `competences` — one per line —, `conditions`). `posts` are those of the hierarchical
    /// organigramme: when there is one, the reporting line must be one of its posts.
    pub fn from_form(
        fields: &BTreeMap<String, String>,
        posts: &[String],
    ) -> Result<JobDescription, FieldErrors> {
        let field = |key: &str| fields.get(key).map(|v| v.trim()).unwrap_or("").to_string();
        let lines = |key: &str| -> Vec<String> {
            field(key)
                .lines()
                .map(|l| {
                    l.trim()
                        .trim_start_matches(['-', '•', '*'])
                        .trim()
                        .to_string()
                })
                .filter(|l| !l.is_empty())
                .collect()
        };
        let job = JobDescription {
            title: field("intitule"),
            reports_to: field("rattachement"),
            purpose: field("finalite"),
            missions: lines("missions"),
            competences: lines("competences"),
            conditions: field("conditions"),
        };
        let mut errors = FieldErrors::new();
        if job.title.is_empty() {
            errors.add("intitule", "Indiquez l'intitulé du poste.");
        }
        for (key, value) in [("intitule", &job.title), ("rattachement", &job.reports_to)] {
            if value.chars().count() > MAX_SHORT_CHARS {
                errors.add(key, format!("{MAX_SHORT_CHARS} caractères au plus."));
            }
        }
        if !job.reports_to.is_empty() && !posts.is_empty() && !posts.contains(&job.reports_to) {
            errors.add(
                "rattachement",
                "Choisissez un poste de l'organigramme hiérarchique.",
            );
        }
        for (key, value) in [("finalite", &job.purpose), ("conditions", &job.conditions)] {
            if value.chars().count() > MAX_TEXT_CHARS {
                errors.add(key, format!("{MAX_TEXT_CHARS} caractères au plus."));
            }
        }
        for (key, items) in [
            ("missions", &job.missions),
            ("competences", &job.competences),
        ] {
            if items.len() > MAX_ITEMS || items.iter().any(|i| i.chars().count() > 500) {
                errors.add(
                    key,
                    format!("{MAX_ITEMS} lignes au plus, de 500 caractères au plus."),
                );
            }
        }
        if errors.is_empty() {
            Ok(job)
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn lists_are_read_one_per_line_without_their_bullets() {
        let job = JobDescription::from_form(
            &form(&[
                ("intitule", " Accompagnateur socioprofessionnel "),
                ("rattachement", "Direction"),
                (
                    "missions",
                    "- Accueillir les salariés\n\n• Contractualiser les engagements\r\n",
                ),
                ("competences", "Conduite d'entretien"),
            ]),
            &["Direction".into(), "Encadrant technique".into()],
        )
        .unwrap();
        assert_eq!(job.title, "Accompagnateur socioprofessionnel");
        assert_eq!(
            job.missions,
            vec!["Accueillir les salariés", "Contractualiser les engagements"]
        );
        assert_eq!(job.competences, vec!["Conduite d'entretien"]);
    }

    #[test]
    fn the_reporting_line_is_a_post_of_the_organigramme_when_there_is_one() {
        let fields = form(&[("intitule", "Comptable"), ("rattachement", "Trésorier")]);
        let errors = JobDescription::from_form(&fields, &["Direction".into()]).unwrap_err();
        assert_eq!(
            errors.message_for("rattachement").as_deref(),
            Some("Choisissez un poste de l'organigramme hiérarchique.")
        );
        assert!(JobDescription::from_form(&fields, &[]).is_ok());
        let errors = JobDescription::from_form(&form(&[]), &[]).unwrap_err();
        assert!(errors.message_for("intitule").is_some());
    }
}
