//! The audit grid taken offline (seed « B », step 5): the auditor downloads it as a
//! spreadsheet, fills it on site without network and uploads it back. Each line carries the
//! fingerprint of the requirement's result as it was downloaded; the upload is checked line by
//! line, a line whose requirement changed in the application since is a conflict, and the
//! changes apply all together or not at all.

use super::audit::{FindingKind, RequirementResult};
use crate::assessment::Status;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The columns of the grid, in order; the upload finds them by name.
pub const COLUMNS: [&str; 11] = [
    "Exigence",
    "Section",
    "Texte de l'exigence",
    "Auto-évaluation (figée)",
    "Preuves (figées)",
    "Audit précédent",
    "Appréciation",
    "Commentaire",
    "Constats relevés",
    "Nouveaux constats",
    "Empreinte",
];

/// A line of an uploaded grid, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UploadedLine {
    /// Its line number in the file (the header is line 1).
    pub line: usize,
    pub key: String,
    pub appreciation: String,
    pub comment: String,
    /// One finding per line of the cell: « Type : texte ».
    pub new_findings: String,
    pub fingerprint: String,
}

/// What the upload changes in one requirement's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineChange {
    pub key: String,
    /// (before, after), when the appreciation changes.
    pub status: Option<(Status, Status)>,
    /// (before, after), when the comment changes.
    pub comment: Option<(String, String)>,
    pub new_findings: Vec<(FindingKind, String)>,
}

/// Why a line cannot be applied, in French.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineError {
    pub line: usize,
    pub key: String,
    pub message: String,
}

/// The fingerprint of a requirement's result (FNV-1a, 64 bits, in hex): enough to see that it
/// changed since the grid was downloaded; not a security measure.
pub fn fingerprint(result: &RequirementResult) -> String {
    let mut text = format!("{}\u{1f}{}", result.status.code(), result.comment);
    for finding in &result.findings {
        text.push_str(&format!(
            "\u{1e}{}\u{1f}{}\u{1f}{}",
            finding.id,
            finding.kind.code(),
            finding.text
        ));
    }
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// The appreciation as a spreadsheet shows it: its label, or nothing while unassessed.
pub fn appreciation_cell(status: Status) -> &'static str {
    match status {
        Status::NonEvalue => "",
        status => status.label(),
    }
}

fn parse_status(text: &str) -> Option<Status> {
    let text = text.trim();
    Status::ALL
        .into_iter()
        .filter(|s| *s != Status::NonEvalue)
        .find(|s| s.label().eq_ignore_ascii_case(text) || s.code() == text)
}

fn parse_findings(cell: &str) -> Result<Vec<(FindingKind, String)>, String> {
    cell.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (kind, text) = line.split_once(':').ok_or_else(|| {
                format!("« {line} » : écrivez chaque constat sur une ligne, « Type : texte ».")
            })?;
            let kind = FindingKind::ALL
                .into_iter()
                .find(|k| k.label().eq_ignore_ascii_case(kind.trim()))
                .ok_or_else(|| {
                    format!(
                        "« {} » n'est pas un type de constat (point fort, piste de progrès, non-conformité mineure, non-conformité majeure).",
                        kind.trim()
                    )
                })?;
            let text = text.trim();
            if text.is_empty() || text.chars().count() > 4_000 {
                return Err(format!(
                    "Le constat « {} » doit avoir un texte de 1 à 4 000 caractères.",
                    kind.label()
                ));
            }
            Ok((kind, text.to_string()))
        })
        .collect()
}

/// What an upload would change, or every line that prevents it: unknown or repeated
/// requirements, an appreciation or a finding that does not read, a comment too long, a
/// requirement whose result changed in the application since the download.
pub fn plan(
    lines: &[UploadedLine],
    current: &BTreeMap<String, RequirementResult>,
    keys: &[String],
) -> Result<Vec<LineChange>, Vec<LineError>> {
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    let mut seen = Vec::new();
    for line in lines {
        let error = |message: String| LineError {
            line: line.line,
            key: line.key.clone(),
            message,
        };
        if !keys.contains(&line.key) {
            errors.push(error(format!(
                "L'exigence « {} » n'est pas dans le référentiel de la structure.",
                line.key
            )));
            continue;
        }
        if seen.contains(&line.key) {
            errors.push(error(
                "Cette exigence figure déjà plus haut dans le fichier.".into(),
            ));
            continue;
        }
        seen.push(line.key.clone());
        let before = current.get(&line.key).cloned().unwrap_or_default();
        let status = match line.appreciation.trim() {
            "" => before.status,
            typed => match parse_status(typed) {
                Some(status) => status,
                None => {
                    errors.push(error(format!(
                        "« {typed} » n'est pas une appréciation (conforme, en cours, non conforme, non applicable)."
                    )));
                    continue;
                }
            },
        };
        let comment = line.comment.trim().to_string();
        if comment.chars().count() > 4_000 {
            errors.push(error("Le commentaire dépasse 4 000 caractères.".into()));
            continue;
        }
        let new_findings = match parse_findings(&line.new_findings) {
            Ok(findings) => findings,
            Err(message) => {
                errors.push(error(message));
                continue;
            }
        };
        let change = LineChange {
            key: line.key.clone(),
            status: (status != before.status).then_some((before.status, status)),
            comment: (comment != before.comment).then(|| (before.comment.clone(), comment)),
            new_findings,
        };
        let changes_something =
            change.status.is_some() || change.comment.is_some() || !change.new_findings.is_empty();
        if !changes_something {
            continue;
        }
        if status == Status::NonEvalue && change.comment.is_some() {
            errors.push(error(
                "Un commentaire accompagne une appréciation : indiquez-la aussi.".into(),
            ));
            continue;
        }
        if line.fingerprint.trim() != fingerprint(&before) {
            errors.push(error(
                "Cette exigence a été modifiée dans l'application depuis le téléchargement de la grille : téléchargez-la de nouveau et reportez-y vos saisies.".into(),
            ));
            continue;
        }
        changes.push(change);
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// What the import page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub siae_id: i64,
    pub siae_name: String,
    pub upload_id: i64,
    pub file_name: String,
    pub changes: Vec<LineChange>,
    pub errors: Vec<LineError>,
    pub applied: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certification::audit::Finding;

    fn keys() -> Vec<String> {
        vec!["2.1 a".into(), "2.1 b".into()]
    }

    fn line(n: usize, key: &str, appreciation: &str, fingerprint: &str) -> UploadedLine {
        UploadedLine {
            line: n,
            key: key.into(),
            appreciation: appreciation.into(),
            fingerprint: fingerprint.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_fingerprint_follows_the_result() {
        let empty = RequirementResult::default();
        let assessed = RequirementResult {
            status: Status::Conforme,
            ..Default::default()
        };
        let mut with_finding = assessed.clone();
        with_finding.findings.push(Finding {
            id: 3,
            requirement_key: "2.1 a".into(),
            kind: FindingKind::PointFort,
            text: "Accueil soigné".into(),
            evidence: vec![],
        });
        let all = [
            fingerprint(&empty),
            fingerprint(&assessed),
            fingerprint(&with_finding),
        ];
        // FNV-1a of « non_evalue », the unit separator and no comment, worked out by hand.
        assert_eq!(all[0], "bbcf1ebdccf25ef6");
        assert_ne!(all[0], all[1]);
        assert_ne!(all[1], all[2]);
        assert_eq!(all[0].len(), 16);
        assert_eq!(fingerprint(&assessed), fingerprint(&assessed.clone()));
    }

    #[test]
    fn changes_are_planned_from_what_was_typed() {
        let current = BTreeMap::new();
        let unchanged = fingerprint(&RequirementResult::default());
        let mut typed = line(2, "2.1 a", "conforme", &unchanged);
        typed.comment = "Procédure affichée".into();
        typed.new_findings =
            "Point fort : accueil soigné\n\npiste de progrès: dater la grille".into();
        let plan = plan(
            &[typed, line(3, "2.1 b", "", &unchanged)],
            &current,
            &keys(),
        )
        .unwrap();
        assert_eq!(
            plan,
            vec![LineChange {
                key: "2.1 a".into(),
                status: Some((Status::NonEvalue, Status::Conforme)),
                comment: Some((String::new(), "Procédure affichée".into())),
                new_findings: vec![
                    (FindingKind::PointFort, "accueil soigné".into()),
                    (FindingKind::PisteDeProgres, "dater la grille".into()),
                ],
            }]
        );
    }

    #[test]
    fn every_bad_line_is_reported_and_nothing_applies() {
        let unchanged = fingerprint(&RequirementResult::default());
        let mut bad_finding = line(4, "2.1 b", "", &unchanged);
        bad_finding.new_findings = "Remarque : à voir".into();
        let lines = [
            line(2, "9.9 z", "conforme", &unchanged),
            line(3, "2.1 a", "excellent", &unchanged),
            bad_finding,
            line(5, "2.1 a", "conforme", &unchanged),
        ];
        let errors = plan(&lines, &BTreeMap::new(), &keys()).unwrap_err();
        let got: Vec<(usize, bool)> = errors
            .iter()
            .map(|e| (e.line, e.message.is_empty()))
            .collect();
        assert_eq!(got, vec![(2, false), (3, false), (4, false), (5, false)]);
        assert!(errors[0].message.contains("n'est pas dans le référentiel"));
        assert!(errors[1].message.contains("n'est pas une appréciation"));
        assert!(errors[2].message.contains("n'est pas un type de constat"));
        assert!(errors[3].message.contains("déjà plus haut"));
    }

    #[test]
    fn a_requirement_changed_since_the_download_is_a_conflict() {
        let downloaded = fingerprint(&RequirementResult::default());
        let mut current = BTreeMap::new();
        current.insert(
            "2.1 a".to_string(),
            RequirementResult {
                status: Status::EnCours,
                ..Default::default()
            },
        );
        let errors = plan(
            &[line(2, "2.1 a", "conforme", &downloaded)],
            &current,
            &keys(),
        )
        .unwrap_err();
        assert!(errors[0].message.contains("modifiée dans l'application"));
        // The same line, typed as the application now has it, changes nothing: no conflict.
        assert_eq!(
            plan(
                &[line(2, "2.1 a", "en cours", &downloaded)],
                &current,
                &keys()
            ),
            Ok(vec![])
        );
    }
}
