//! PDF exports rendered with typst. The templates (`manual-templates/`) and the fonts are embedded
//! in the binary. User text reaches a template only as data: a JSON file that the template reads
//! with `json(...)`, never spliced into typst source; the world holds nothing else to read.

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
    data_id: FileId,
    data: Bytes,
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
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
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
    let world = ExportWorld {
        library: LazyHash::new(Library::builder().build()),
        main: Source::new(file_id("/modele.typ"), template.to_string()),
        data_id: file_id(DATA_PATH),
        data: Bytes::new(data.to_string().into_bytes()),
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
                    .collect()
            })
            .unwrap_or_default()
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
