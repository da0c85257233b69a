//! The two tables of the manual: the tools the procedures use (tool, mission or phase, the
//! procedure that uses it) and the activity indicators (filled in by the SIAE now, by the
//! observatoire later). Both are edited by one form: a row of fields per line, a few blank lines
//! to add some, a box to remove one.

use crate::validation::FieldErrors;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const MAX_ROWS: usize = 200;
const MAX_CELL_CHARS: usize = 500;
/// Blank rows the form offers for new lines.
pub const NEW_ROWS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The field's name in the form (`K.outil`).
    pub key: &'static str,
    pub label: &'static str,
}

/// A line of one of the tables.
pub trait TableRow: Sized {
    const COLUMNS: &'static [Column];
    /// The column a line cannot leave blank.
    const REQUIRED: &'static str;
    fn cells(&self) -> Vec<&str>;
    fn from_cells(cells: Vec<String>) -> Self;
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolRow {
    pub tool: String,
    /// The mission or phase of the parcours where it is used.
    pub phase: String,
    /// The title of the procedure section that uses it.
    pub procedure: String,
}

impl TableRow for ToolRow {
    const COLUMNS: &'static [Column] = &[
        Column {
            key: "outil",
            label: "Outil",
        },
        Column {
            key: "phase",
            label: "Mission ou phase",
        },
        Column {
            key: "procedure",
            label: "Procédure qui l'utilise",
        },
    ];
    const REQUIRED: &'static str = "outil";

    fn cells(&self) -> Vec<&str> {
        vec![&self.tool, &self.phase, &self.procedure]
    }

    fn from_cells(cells: Vec<String>) -> Self {
        let mut cells = cells.into_iter();
        let mut next = || cells.next().unwrap_or_default();
        ToolRow {
            tool: next(),
            phase: next(),
            procedure: next(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub indicator: String,
    pub value: String,
    /// The period the value covers (« 2025 », « 1er semestre 2026 »).
    pub period: String,
    /// Its source or how to read it.
    pub comment: String,
}

impl TableRow for IndicatorRow {
    const COLUMNS: &'static [Column] = &[
        Column {
            key: "indicateur",
            label: "Indicateur",
        },
        Column {
            key: "valeur",
            label: "Valeur",
        },
        Column {
            key: "periode",
            label: "Période",
        },
        Column {
            key: "commentaire",
            label: "Source, commentaire",
        },
    ];
    const REQUIRED: &'static str = "indicateur";

    fn cells(&self) -> Vec<&str> {
        vec![&self.indicator, &self.value, &self.period, &self.comment]
    }

    fn from_cells(cells: Vec<String>) -> Self {
        let mut cells = cells.into_iter();
        let mut next = || cells.next().unwrap_or_default();
        IndicatorRow {
            indicator: next(),
            value: next(),
            period: next(),
            comment: next(),
        }
    }
}

/// One line per row, cells between « | »: for comparisons and searches.
pub fn plain_text<R: TableRow>(rows: &[R]) -> String {
    rows.iter()
        .map(|r| format!("{}\n", r.cells().join(" | ")))
        .collect()
}

/// The rows the form describes, in the order of their numbers `K` (fields `lK.<column>`, and
/// `lK.retirer` to remove one); blank rows are left out. `choices` restricts a column to a list
/// (the tools' procedure: one of the manual's procedures), when the list is not empty.
pub fn rows_from_form<R: TableRow>(
    fields: &BTreeMap<String, String>,
    choices: &[(&str, &[String])],
) -> Result<Vec<R>, FieldErrors> {
    let numbers: BTreeSet<u32> = fields
        .keys()
        .filter_map(|k| k.strip_prefix('l')?.split_once('.'))
        .filter_map(|(n, _)| n.parse().ok())
        .collect();
    let mut errors = FieldErrors::new();
    let mut rows = Vec::new();
    for n in numbers.into_iter().take(MAX_ROWS + 1) {
        let cell = |key: &str| {
            fields
                .get(&format!("l{n}.{key}"))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        if !cell("retirer").is_empty() {
            continue;
        }
        let cells: Vec<String> = R::COLUMNS.iter().map(|c| cell(c.key)).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        for (column, value) in R::COLUMNS.iter().zip(&cells) {
            let name = format!("l{n}.{}", column.key);
            if column.key == R::REQUIRED && value.is_empty() {
                errors.add(
                    &name,
                    format!("Indiquez : {}.", column.label.to_lowercase()),
                );
            }
            if value.chars().count() > MAX_CELL_CHARS {
                errors.add(&name, format!("{MAX_CELL_CHARS} caractères au plus."));
            }
            let allowed = choices.iter().find(|(key, _)| *key == column.key);
            if let Some((_, allowed)) = allowed {
                if !value.is_empty() && !allowed.is_empty() && !allowed.contains(value) {
                    errors.add(&name, "Choisissez dans la liste.");
                }
            }
        }
        rows.push(R::from_cells(cells));
    }
    if rows.len() > MAX_ROWS {
        errors.add("", format!("Un tableau compte au plus {MAX_ROWS} lignes."));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
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
    fn rows_come_in_number_order_without_blank_or_removed_ones() {
        let rows: Vec<ToolRow> = rows_from_form(
            &form(&[
                ("l10.outil", "Grille d'évaluation"),
                ("l2.outil", "Fiche d'accueil"),
                ("l2.phase", "Accueil"),
                ("l3.outil", "Ancien outil"),
                ("l3.retirer", "on"),
                ("l11.outil", " "),
                ("l11.phase", ""),
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![
                ToolRow {
                    tool: "Fiche d'accueil".into(),
                    phase: "Accueil".into(),
                    procedure: String::new()
                },
                ToolRow {
                    tool: "Grille d'évaluation".into(),
                    ..Default::default()
                },
            ]
        );
        assert_eq!(
            plain_text(&rows),
            "Fiche d'accueil | Accueil | \nGrille d'évaluation |  | \n"
        );
    }

    #[test]
    fn a_line_without_its_name_or_with_an_unknown_procedure_is_refused() {
        let procedures = ["Procédure de régulation pédagogique".to_string()];
        let errors = rows_from_form::<ToolRow>(
            &form(&[
                ("l0.phase", "Accueil"),
                ("l1.outil", "Agenda"),
                ("l1.procedure", "Inconnue"),
            ]),
            &[("procedure", &procedures)],
        )
        .unwrap_err();
        assert_eq!(
            errors.message_for("l0.outil").as_deref(),
            Some("Indiquez : outil.")
        );
        assert_eq!(
            errors.message_for("l1.procedure").as_deref(),
            Some("Choisissez dans la liste.")
        );
        let indicators: Vec<IndicatorRow> = rows_from_form(
            &form(&[
                ("l0.indicateur", "Sorties positives"),
                ("l0.valeur", "54 %"),
            ]),
            &[],
        )
        .unwrap();
        assert_eq!(indicators[0].value, "54 %");
    }
}
