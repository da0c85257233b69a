//! PDF exports rendered with typst. The templates (`manual-templates/`) and the fonts are embedded
//! in the binary. User text reaches a template only as data: a JSON file that the template reads
//! with `json(...)`, never spliced into typst source; the world holds nothing else to read but
//! the templates' own modules.

use crate::error::{BackendError, BackendResult};
use chrono::{Datelike, NaiveDate};
use domain::assessment::{gaps, SiaeAssessment};
use serde_json::{json, Value};
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const ASSESSMENT_TEMPLATE: &str = include_str!("../../../manual-templates/autoevaluation.typ");
pub const MANUAL_TEMPLATE: &str = include_str!("../../../manual-templates/manuel.typ");
const AUDIT_REPORT_TEMPLATE: &str = include_str!("../../../manual-templates/compte-rendu.typ");
const CERTIFICATE_TEMPLATE: &str = include_str!("../../../manual-templates/certificat.typ");
const CONVENTION_TEMPLATE: &str = include_str!("../../../manual-templates/convention.typ");
const FOLLOW_UP_TEMPLATE: &str = include_str!("../../../manual-templates/fiche-suivi.typ");
/// Modules templates import, by their path in the typst world.
const MODULES: &[(&str, &str)] = &[
    (
        "/markdown.typ",
        include_str!("../../../manual-templates/markdown.typ"),
    ),
    (
        "/structures.typ",
        include_str!("../../../manual-templates/structures.typ"),
    ),
];
const DATA_PATH: &str = "/donnees.json";

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: parsing the embedded fonts is the slow part of a first export.
fn fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn file_id(path: &str) -> FileId {
    FileId::new(RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a valid virtual path"),
    ))
}

struct ExportWorld {
    library: LazyHash<Library>,
    main: Source,
    modules: Vec<Source>,
    /// The data, then the images the caller gave.
    files: Vec<(FileId, Bytes)>,
    today: NaiveDate,
}

impl World for ExportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        std::iter::once(&self.main)
            .chain(&self.modules)
            .find(|source| source.id() == id)
            .cloned()
            .ok_or(FileError::AccessDenied)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .iter()
            .find(|(file, _)| *file == id)
            .map(|(_, bytes)| bytes.clone())
            .ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Datetime::from_ymd(
            self.today.year(),
            self.today.month() as u8,
            self.today.day() as u8,
        )
    }
}

/// Compiles `template` with `data` as `/donnees.json`; `today` is fixed by the caller (tests pin it).
pub fn render(template: &str, data: &Value, today: NaiveDate) -> BackendResult<Vec<u8>> {
    render_with_images(template, data, &[], today)
}

/// An image a template reads (the cover's logo), by its path in the typst world.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// [`render`], the world also holding `images`.
pub fn render_with_images(
    template: &str,
    data: &Value,
    images: &[ImageFile],
    today: NaiveDate,
) -> BackendResult<Vec<u8>> {
    let data = (
        file_id(DATA_PATH),
        Bytes::new(data.to_string().into_bytes()),
    );
    let world = ExportWorld {
        library: LazyHash::new(Library::builder().build()),
        main: Source::new(file_id("/modele.typ"), template.to_string()),
        modules: MODULES
            .iter()
            .map(|(path, text)| Source::new(file_id(path), text.to_string()))
            .collect(),
        files: std::iter::once(data)
            .chain(
                images
                    .iter()
                    .map(|i| (file_id(&i.path), Bytes::new(i.bytes.clone()))),
            )
            .collect(),
        today,
    };
    let document = typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| {
            BackendError::Internal(format!(
                "typst: {:?}",
                errors.iter().map(|e| &e.message).collect::<Vec<_>>()
            ))
        })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        BackendError::Internal(format!(
            "typst pdf: {:?}",
            errors.iter().map(|e| &e.message).collect::<Vec<_>>()
        ))
    })
}

/// The SHA-256 of a template with its modules, recorded with what it rendered.
pub fn template_sha256(template: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(template.as_bytes());
    for (path, text) in MODULES {
        hash.update(path.as_bytes());
        hash.update(text.as_bytes());
    }
    crate::digest::hex(&hash.finalize())
}

/// Whether typst decodes `bytes` as an image of `format` (its header was checked before: see
/// `domain::manual::logo`). A logo that does not decode would make every edition fail.
pub fn decodes(bytes: &[u8], format: domain::manual::logo::LogoFormat) -> bool {
    use domain::manual::logo::LogoFormat;
    use typst::visualize::{ExchangeFormat, RasterImage};
    let format = match format {
        LogoFormat::Png => ExchangeFormat::Png,
        LogoFormat::Jpg => ExchangeFormat::Jpg,
    };
    RasterImage::plain(Bytes::new(bytes.to_vec()), format).is_ok()
}

/// The version of typst that renders, recorded with what it rendered.
pub const TYPST_VERSION: &str = "0.15.1";

/// The self-assessment of a SIAE as a PDF.
pub fn assessment_pdf(data: &SiaeAssessment, today: NaiveDate) -> BackendResult<Vec<u8>> {
    render(ASSESSMENT_TEMPLATE, &assessment_data(data, today), today)
}

fn assessment_data(data: &SiaeAssessment, today: NaiveDate) -> Value {
    let siae = &data.siae;
    let siae_type = data.siae_type();
    let progress = data.progress();
    let document_names = |key: &str| -> Vec<String> {
        data.evidence
            .get(key)
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| data.documents.iter().find(|d| d.id == *id))
                    .map(|d| d.file_name.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .chain(
                data.manual_evidence
                    .get(key)
                    .into_iter()
                    .flatten()
                    .map(|v| format!("Manuel qualité : {}", v.label())),
            )
            .collect::<Vec<_>>()
    };
    let sections: Vec<Value> = data
        .referentiel
        .sections
        .iter()
        .zip(&progress)
        .map(|(section, p)| {
            let requirements: Vec<Value> = section
                .requirements
                .iter()
                .map(|r| {
                    let key = r.key(section);
                    let applicability = r.applicability_for(siae_type, siae.funded_fte);
                    let a = data.assessments.get(&key).cloned().unwrap_or_default();
                    json!({
                        "cle": key,
                        "texte": r.text,
                        "application": if applicability.applies { applicability.note.unwrap_or_default() } else { "Ne s'applique pas à ce type de structure.".into() },
                        "statut": a.status.label(),
                        "commentaire": a.comment,
                        "justification": a.justification,
                        "responsable": a.responsible,
                        "date_cible": a.target_date.map(domain::time::display_date).unwrap_or_default(),
                        "preuves": document_names(&key),
                    })
                })
                .collect();
            json!({
                "code": section.code,
                "titre": section.title,
                "avancement": p.percent(),
                "conformes": p.conforme,
                "applicables": p.applicable,
                "exigences": requirements,
            })
        })
        .collect();
    let gaps: Vec<Value> = gaps(
        &data.referentiel,
        siae_type,
        siae.funded_fte,
        &data.assessments,
        today,
    )
    .into_iter()
    .map(|g| {
        json!({
            "cle": g.requirement_key,
            "statut": g.status.label(),
            "responsable": g.responsible,
            "date_cible": g.target_date.map(domain::time::display_date).unwrap_or_default(),
            "en_retard": g.overdue,
        })
    })
    .collect();
    json!({
        "structure": {
            "nom": siae.name,
            "type": siae.siae_type.map(|t| t.label()).unwrap_or_default(),
            "siret": siae.siret.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            "region": siae.region_name.clone().unwrap_or_default(),
            "entree": siae.entry_date.map(domain::time::display_date).unwrap_or_default(),
        },
        "referentiel": { "titre": data.referentiel.title, "version": data.version.label, "code": data.version.code },
        "date": domain::time::display_date(today),
        "sections": sections,
        "ecarts": gaps,
    })
}

/// Where PDFs of the manual are rendered. Typst has no time or memory limit of its own: in a
/// server, a hostile or huge manual is rendered by a child process of the same binary
/// (`cedre pdf-enfant`), which limits its own memory and is killed past the delay, so that the
/// server answers a French error instead of stalling or being killed itself.
#[derive(Clone, Debug)]
pub enum Renderer {
    /// In this process: tests and the command line.
    InProcess,
    ChildProcess {
        program: std::path::PathBuf,
        timeout: std::time::Duration,
        memory_mb: u64,
    },
}

/// The documents rendered from users' text, hence in the child process.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Template {
    /// An edition of the manuel qualité.
    #[default]
    Manual,
    /// An auditor's compte-rendu d'audit.
    AuditReport,
    /// A certificate, with its verification code's QR code.
    Certificate,
    /// A convention d'engagement réciproque with its bilan.
    Convention,
    /// A person's fiche individuelle de suivi.
    FollowUp,
}

impl Template {
    fn source(self) -> &'static str {
        match self {
            Self::Manual => MANUAL_TEMPLATE,
            Self::AuditReport => AUDIT_REPORT_TEMPLATE,
            Self::Certificate => CERTIFICATE_TEMPLATE,
            Self::Convention => CONVENTION_TEMPLATE,
            Self::FollowUp => FOLLOW_UP_TEMPLATE,
        }
    }
}

/// A document to render: what the parent sends the child on its standard input.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct RenderJob {
    #[serde(default)]
    pub template: Template,
    pub date: NaiveDate,
    pub data: Value,
    /// The images the data names (the cover's logo, a QR code).
    #[serde(default)]
    pub images: Vec<ImageFile>,
}

impl Renderer {
    /// The job's template with its data; blocking (call it from a blocking task).
    pub fn render(&self, job: RenderJob) -> BackendResult<Vec<u8>> {
        match self {
            Renderer::InProcess => {
                render_with_images(job.template.source(), &job.data, &job.images, job.date)
            }
            Renderer::ChildProcess {
                program,
                timeout,
                memory_mb,
            } => in_child(program, *timeout, *memory_mb, &job),
        }
    }
}

fn in_child(
    program: &std::path::Path,
    timeout: std::time::Duration,
    memory_mb: u64,
    job: &RenderJob,
) -> BackendResult<Vec<u8>> {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let failed = |detail: String| {
        tracing::error!(%detail, "PDF rendering failed");
        BackendError::Invalid(domain::validation::FieldErrors::form(
            "Le PDF n'a pas pu être produit (le document est trop long ou trop complexe pour le temps et la mémoire alloués). Rien n'a été enregistré ; allégez les textes les plus longs ou prévenez l'administrateur.",
        ))
    };
    let mut child = Command::new(program)
        .args(["pdf-enfant", "--memoire-mo", &memory_mb.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("spawn {}: {e}", program.display())))?;
    let input = serde_json::to_vec(job).map_err(|e| failed(e.to_string()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let mut stdout = child.stdout.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let mut stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!("killed after {timeout:?}")));
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(e) => return Err(failed(format!("wait: {e}"))),
        }
    };
    let _ = writer.join();
    let bytes = reader
        .join()
        .map_err(|_| failed("reader panicked".into()))?
        .map_err(|e| failed(format!("read: {e}")))?;
    let errors = errors.join().unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF-") {
        return Err(failed(format!("{status}: {errors}")));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A stand-in for `cedre pdf-enfant`: a shell script with the given body.
    fn program(body: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("cedre-enfant-{}.sh", rand::random::<u64>()));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    fn child(program: std::path::PathBuf, timeout_ms: u64) -> Renderer {
        Renderer::ChildProcess {
            program,
            timeout: std::time::Duration::from_millis(timeout_ms),
            memory_mb: 512,
        }
    }

    fn job() -> RenderJob {
        RenderJob {
            template: Template::Manual,
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            data: json!({}),
            images: Vec::new(),
        }
    }

    #[test]
    fn a_child_past_its_delay_is_killed_and_the_user_told_in_french() {
        let started = std::time::Instant::now();
        let refused = child(program("exec sleep 30"), 300).render(job());
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        let message = refused.unwrap_err().to_string();
        assert!(
            message.contains("Le PDF n'a pas pu être produit"),
            "{message}"
        );
    }

    #[test]
    fn a_failed_or_garbled_child_is_an_error_not_a_pdf() {
        for body in [
            "echo 'mémoire épuisée' >&2; exit 1",
            "cat >/dev/null; printf 'pas un PDF'",
        ] {
            let refused = child(program(body), 5_000).render(job());
            assert!(refused.is_err(), "{body}");
        }
        let fine = child(program("cat >/dev/null; printf '%%PDF-1.7 …'"), 5_000)
            .render(job())
            .unwrap();
        assert!(fine.starts_with(b"%PDF-"));
    }
}
