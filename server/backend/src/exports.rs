//! Exports of a SIAE's self-assessment: CSV for spreadsheets.

use domain::assessment::SiaeAssessment;

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
