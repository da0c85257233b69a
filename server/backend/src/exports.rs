//! Spreadsheets: the export of a SIAE's self-assessment, and the audit grid an auditor takes
//! offline and brings back (CSV).

use domain::assessment::SiaeAssessment;
use domain::certification::audit::AuditGrid;
use domain::certification::offline::{appreciation_cell, fingerprint, UploadedLine, COLUMNS};

/// CSV that a French spreadsheet opens as is: UTF-8 with a byte order mark, `;` separators,
/// CRLF line ends. Cells that a spreadsheet would run as formulas are neutralised.
pub fn assessment_csv(data: &SiaeAssessment) -> String {
    let mut out = String::from("\u{feff}");
    let header = [
        "Section",
        "Exigence",
        "Texte de l'exigence",
        "Application",
        "Statut",
        "Commentaire",
        "Justification",
        "Responsable",
        "Date cible",
        "Preuves",
    ];
    push_row(&mut out, header.iter().map(|s| s.to_string()));
    let siae_type = data.siae_type();
    for (section, requirement) in data.referentiel.requirements() {
        let key = requirement.key(section);
        let applicability = requirement.applicability_for(siae_type, data.siae.funded_fte);
        let assessment = data.assessments.get(&key).cloned().unwrap_or_default();
        let evidence = data
            .evidence
            .get(&key)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| data.documents.iter().find(|d| d.id == *id))
                    .map(|d| d.file_name.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        push_row(
            &mut out,
            [
                format!("{} {}", section.code, section.title),
                key,
                requirement.text.clone(),
                if applicability.applies {
                    applicability.note.unwrap_or_default()
                } else {
                    "Ne s'applique pas".into()
                },
                assessment.status.label().to_string(),
                assessment.comment,
                assessment.justification,
                assessment.responsible,
                assessment
                    .target_date
                    .map(domain::time::display_date)
                    .unwrap_or_default(),
                evidence,
            ]
            .into_iter(),
        );
    }
    out
}

/// The audit grid to fill offline: one line per requirement, the frozen dossier and the
/// previous audit beside the auditor's cells, and each line's fingerprint.
pub fn audit_grid_csv(grid: &AuditGrid) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, COLUMNS.iter().map(|s| s.to_string()));
    for line in &grid.lines {
        let frozen = line
            .frozen
            .as_ref()
            .map(|f| {
                format!("{} {}", f.status.label(), f.comment)
                    .trim()
                    .to_string()
            })
            .unwrap_or_default();
        let documents: Vec<String> = line
            .documents
            .iter()
            .map(|d| format!("{} ({})", d.file_name, &d.sha256[..d.sha256.len().min(12)]))
            .collect();
        let previous = line
            .previous
            .as_ref()
            .map(|p| p.status.label().to_string())
            .unwrap_or_default();
        let findings: Vec<String> = line
            .result
            .findings
            .iter()
            .map(|f| format!("{} : {}", f.kind.label(), f.text))
            .collect();
        push_row(
            &mut out,
            [
                line.key.clone(),
                line.section.clone(),
                line.title.clone(),
                frozen,
                documents.join("\n"),
                previous,
                appreciation_cell(line.result.status).to_string(),
                line.result.comment.clone(),
                findings.join("\n"),
                String::new(),
                fingerprint(&line.result),
            ]
            .into_iter(),
        );
    }
    out
}

/// The lines of a filled grid (`;` or `,` separated, with or without a byte order mark), or
/// why the file cannot be read as one, in French.
pub fn read_audit_grid(text: &str) -> Result<Vec<UploadedLine>, String> {
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = if text.lines().next().is_some_and(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("L'en-tête du fichier est illisible ({e})."))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| {
                format!("La colonne « {name} » manque : partez de la grille téléchargée.")
            })
    };
    let key = column("Exigence")?;
    let appreciation = column("Appréciation")?;
    let comment = column("Commentaire")?;
    let new_findings = column("Nouveaux constats")?;
    let print = column("Empreinte")?;
    let mut lines = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("La ligne {} est illisible ({e}).", index + 2))?;
        let cell = |i: usize| record.get(i).unwrap_or_default().to_string();
        // A spreadsheet keeps the quote that neutralised a formula: it is not the user's text.
        let typed = |i: usize| {
            let value = cell(i);
            match value.strip_prefix('\'') {
                Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
                _ => value,
            }
        };
        if cell(key).trim().is_empty() {
            continue;
        }
        lines.push(UploadedLine {
            line: index + 2,
            key: cell(key).trim().to_string(),
            appreciation: typed(appreciation),
            comment: typed(comment),
            new_findings: typed(new_findings),
            fingerprint: cell(print),
        });
    }
    Ok(lines)
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    let line: Vec<String> = cells.map(|c| cell(&c)).collect();
    out.push_str(&line.join(";"));
    out.push_str("\r\n");
}

fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(cell("simple"), "simple");
        assert_eq!(cell("a;b"), "\"a;b\"");
        assert_eq!(cell("dit \"oui\""), "\"dit \"\"oui\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("ligne 1\nligne 2"), "\"ligne 1\nligne 2\"");
    }
}
