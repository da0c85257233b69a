//! Evidence files: which types are accepted (recognised from their content, not their name),
//! the size limit, and the file name offered on download.

use serde::{Deserialize, Serialize};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    OpenDocumentText,
    OpenDocumentSpreadsheet,
    OpenDocumentPresentation,
    Docx,
    Xlsx,
    Pptx,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::OpenDocumentText => "application/vnd.oasis.opendocument.text",
            Self::OpenDocumentSpreadsheet => "application/vnd.oasis.opendocument.spreadsheet",
            Self::OpenDocumentPresentation => "application/vnd.oasis.opendocument.presentation",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
        }
    }

    /// The extension every stored and downloaded name of this type ends with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::OpenDocumentText => "odt",
            Self::OpenDocumentSpreadsheet => "ods",
            Self::OpenDocumentPresentation => "odp",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Pptx => "pptx",
        }
    }

    /// Other spellings of the extension that are kept as the uploader wrote them.
    fn also_written(self) -> &'static [&'static str] {
        match self {
            Self::Jpeg => &["jpeg", "jpe"],
            _ => &[],
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "image PNG",
            Self::Jpeg => "image JPEG",
            Self::OpenDocumentText
            | Self::OpenDocumentSpreadsheet
            | Self::OpenDocumentPresentation => "document OpenDocument",
            Self::Docx | Self::Xlsx | Self::Pptx => "document Office",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error("Le fichier est vide.")]
    Empty,
    #[error("Le fichier dépasse la taille maximale de 10 Mo.")]
    TooLarge,
    #[error("Ce type de fichier n'est pas accepté. Déposez un PDF, une image PNG ou JPEG, ou un document OpenDocument ou Office.")]
    UnsupportedType,
    #[error("Les documents Office contenant des macros (docm, xlsm, pptm…) ne sont pas acceptés. Enregistrez-le sans macros (docx, xlsx, pptx) ou en PDF, puis déposez-le à nouveau.")]
    MacroEnabled,
}

/// Recognises the type from the content, never from the name: a renamed executable stays
/// refused, and Office files with macros are refused whatever their name says.
pub fn check(bytes: &[u8]) -> Result<FileType, EvidenceError> {
    if bytes.is_empty() {
        return Err(EvidenceError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(EvidenceError::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(FileType::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(FileType::Png);
    }
    if bytes.starts_with(b"\xff\xd8\xff") {
        return Ok(FileType::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zip_type(bytes);
    }
    Err(EvidenceError::UnsupportedType)
}

/// OpenDocument and Office Open XML files are ZIP archives. OpenDocument stores its `mimetype`
/// entry first, uncompressed; Office lists its parts' types in `[Content_Types].xml`, which says
/// `macroEnabled` for docm/xlsm/pptm (and xlsb), whose macros live in a `vbaProject.bin` part.
fn zip_type(bytes: &[u8]) -> Result<FileType, EvidenceError> {
    // Entry names are never compressed: a VBA project anywhere in the archive is refused,
    // even if the directory below cannot be read.
    if contains_ignore_case(bytes, b"vbaproject.bin") {
        return Err(EvidenceError::MacroEnabled);
    }
    if let Some(entry) = first_local_entry(bytes) {
        if entry.name == b"mimetype" && entry.method == 0 {
            let known = [
                (
                    &b"application/vnd.oasis.opendocument.text"[..],
                    FileType::OpenDocumentText,
                ),
                (
                    b"application/vnd.oasis.opendocument.spreadsheet",
                    FileType::OpenDocumentSpreadsheet,
                ),
                (
                    b"application/vnd.oasis.opendocument.presentation",
                    FileType::OpenDocumentPresentation,
                ),
            ];
            return known
                .iter()
                .find(|(mime, _)| entry.data == *mime)
                .map(|(_, file_type)| *file_type)
                .ok_or(EvidenceError::UnsupportedType);
        }
    }
    let entries = central_directory(bytes).ok_or(EvidenceError::UnsupportedType)?;
    if entries
        .iter()
        .any(|e| ends_with_ignore_case(e.name, b"vbaproject.bin"))
    {
        return Err(EvidenceError::MacroEnabled);
    }
    let content_types = entries
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(b"[Content_Types].xml"))
        .and_then(|e| e.content(bytes))
        .ok_or(EvidenceError::UnsupportedType)?;
    if contains_ignore_case(&content_types, b"macroenabled") {
        return Err(EvidenceError::MacroEnabled);
    }
    for (main, file_type) in [
        (&b"wordprocessingml.document.main+xml"[..], FileType::Docx),
        (b"spreadsheetml.sheet.main+xml", FileType::Xlsx),
        (b"presentationml.presentation.main+xml", FileType::Pptx),
    ] {
        if contains_ignore_case(&content_types, main) {
            return Ok(file_type);
        }
    }
    Err(EvidenceError::UnsupportedType)
}

struct LocalEntry<'a> {
    name: &'a [u8],
    method: u16,
    data: &'a [u8],
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// The entry whose local header starts the archive.
fn first_local_entry(bytes: &[u8]) -> Option<LocalEntry<'_>> {
    let method = u16_at(bytes, 8)?;
    let size = u32_at(bytes, 18)?;
    let name_len = u16_at(bytes, 26)? as usize;
    let extra_len = u16_at(bytes, 28)? as usize;
    let name = bytes.get(30..30 + name_len)?;
    let start = 30 + name_len + extra_len;
    let data = bytes.get(start..start + size)?;
    Some(LocalEntry { name, method, data })
}

struct CentralEntry<'a> {
    name: &'a [u8],
    method: u16,
    compressed: usize,
    local_offset: usize,
}

impl CentralEntry<'_> {
    /// The entry's content, stored or deflated, up to 1 Mo.
    fn content(&self, bytes: &[u8]) -> Option<Vec<u8>> {
        let local = self.local_offset;
        if bytes.get(local..local + 4)? != b"PK\x03\x04" {
            return None;
        }
        let start =
            local + 30 + u16_at(bytes, local + 26)? as usize + u16_at(bytes, local + 28)? as usize;
        let data = bytes.get(start..start.checked_add(self.compressed)?)?;
        match self.method {
            0 => Some(data.to_vec()),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, 1 << 20).ok(),
            _ => None,
        }
    }
}

/// The entries listed by the archive's central directory (found from its end record).
fn central_directory(bytes: &[u8]) -> Option<Vec<CentralEntry<'_>>> {
    let search_from = bytes.len().saturating_sub(22 + 65_535);
    let end = (search_from..=bytes.len().checked_sub(22)?)
        .rev()
        .find(|&at| bytes[at..].starts_with(b"PK\x05\x06"))?;
    let count = u16_at(bytes, end + 10)? as usize;
    let mut at = u32_at(bytes, end + 16)?;
    let mut entries = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        if bytes.get(at..at + 4)? != b"PK\x01\x02" {
            return None;
        }
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        entries.push(CentralEntry {
            method: u16_at(bytes, at + 10)?,
            compressed: u32_at(bytes, at + 20)?,
            local_offset: u32_at(bytes, at + 42)?,
            name: bytes.get(at + 46..at + 46 + name_len)?,
        });
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(entries)
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn ends_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.len() >= needle.len()
        && haystack[haystack.len() - needle.len()..].eq_ignore_ascii_case(needle)
}

/// The name a document is stored and downloaded under: made safe, and ending with the extension
/// of the type found in its content (`procedure.cmd` holding a PDF becomes `procedure.pdf`).
pub fn stored_name(uploaded: &str, file_type: FileType) -> String {
    let safe = safe_file_name(uploaded);
    let stem = match safe.rsplit_once('.') {
        Some((stem, extension))
            if !stem.trim().is_empty()
                && !extension.is_empty()
                && extension.len() <= 10
                && extension.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            let same = extension.eq_ignore_ascii_case(file_type.extension())
                || file_type
                    .also_written()
                    .iter()
                    .any(|e| extension.eq_ignore_ascii_case(e));
            if same {
                return safe;
            }
            stem.trim_end()
        }
        _ => safe.as_str(),
    };
    format!("{stem}.{}", file_type.extension())
}

/// A file name safe to store and to send back: no path, no control or reserved characters.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        // Format characters (Unicode Cf: U+202E RIGHT-TO-LEFT OVERRIDE, zero-width spaces,
        // isolates, U+FEFF…) change how a name reads without showing: they are dropped.
        .filter(|c| c.general_category() != GeneralCategory::Format)
        .map(|c| {
            if c.is_control() || "<>:\"|?*;".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').to_string();
    let truncated: String = trimmed.chars().take(150).collect();
    if truncated.is_empty() {
        "document".to_string()
    } else {
        truncated
    }
}

/// The `Content-Disposition` value: an ASCII fallback and the UTF-8 name (RFC 6266).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP archive of `(name, content, deflated)` entries, as office suites write them.
    fn zip(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, content, deflated) in entries {
            let data = if *deflated {
                miniz_oxide::deflate::compress_to_vec(content, 6)
            } else {
                content.to_vec()
            };
            let method: u16 = if *deflated { 8 } else { 0 };
            let offset = out.len() as u32;
            let header = |signature: &[u8], central_entry: bool| {
                let mut h = signature.to_vec();
                if central_entry {
                    h.extend_from_slice(&20u16.to_le_bytes());
                }
                h.extend_from_slice(&20u16.to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes());
                h.extend_from_slice(&method.to_le_bytes());
                h.extend_from_slice(&[0; 8]); // time, date, crc (not checked)
                h.extend_from_slice(&(data.len() as u32).to_le_bytes());
                h.extend_from_slice(&(content.len() as u32).to_le_bytes());
                h.extend_from_slice(&(name.len() as u16).to_le_bytes());
                h.extend_from_slice(&0u16.to_le_bytes());
                if central_entry {
                    h.extend_from_slice(&[0; 8]);
                    h.extend_from_slice(&0u32.to_le_bytes()[..2]);
                    h.extend_from_slice(&offset.to_le_bytes());
                }
                h.extend_from_slice(name.as_bytes());
                h
            };
            let local = header(b"PK\x03\x04", false);
            central.extend(header(b"PK\x01\x02", true));
            out.extend(local);
            out.extend(&data);
        }
        let directory_at = out.len() as u32;
        let count = entries.len() as u16;
        out.extend(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&directory_at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    fn content_types(main: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/main.xml" ContentType="{main}"/></Types>"#
        )
    }

    #[test]
    fn office_documents_are_told_apart_and_macros_refused() {
        let office = |main: &str, deflated: bool| {
            zip(&[
                (
                    "[Content_Types].xml",
                    content_types(main).as_bytes(),
                    deflated,
                ),
                ("_rels/.rels", b"<Relationships/>", true),
                ("word/document.xml", b"<w:document/>", true),
            ])
        };
        let docx =
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
        assert_eq!(check(&office(docx, true)), Ok(FileType::Docx));
        assert_eq!(check(&office(docx, false)), Ok(FileType::Docx));
        assert_eq!(
            check(&office(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                true
            )),
            Ok(FileType::Xlsx)
        );
        assert_eq!(
            check(&office(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
                true
            )),
            Ok(FileType::Pptx)
        );
        for macro_main in [
            "application/vnd.ms-word.document.macroEnabled.main+xml",
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
            "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
        ] {
            // Deflated, as Office writes it: the word is only visible once inflated.
            assert_eq!(
                check(&office(macro_main, true)),
                Err(EvidenceError::MacroEnabled),
                "{macro_main}"
            );
        }
        // A VBA project under a document that claims to be a plain docx.
        let hidden = zip(&[
            ("[Content_Types].xml", content_types(docx).as_bytes(), true),
            ("word/document.xml", b"<w:document/>", true),
            ("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros", true),
        ]);
        assert_eq!(check(&hidden), Err(EvidenceError::MacroEnabled));
        // An archive without [Content_Types].xml is not an Office document.
        assert_eq!(
            check(&zip(&[("readme.txt", b"hello", false)])),
            Err(EvidenceError::UnsupportedType)
        );
    }

    #[test]
    fn types_come_from_content() {
        assert_eq!(check(b"%PDF-1.7 ..."), Ok(FileType::Pdf));
        assert_eq!(check(b"\x89PNG\r\n\x1a\n...."), Ok(FileType::Png));
        assert_eq!(
            check(&zip(&[
                (
                    "mimetype",
                    b"application/vnd.oasis.opendocument.text",
                    false
                ),
                ("content.xml", b"<office:document-content/>", true),
            ])),
            Ok(FileType::OpenDocumentText)
        );
        assert_eq!(
            check(&zip(&[(
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
                false
            )])),
            Ok(FileType::OpenDocumentSpreadsheet)
        );
        assert_eq!(
            check(b"MZ\x90\x00 executable"),
            Err(EvidenceError::UnsupportedType)
        );
        assert_eq!(
            check(b"PK\x03\x04 plain zip"),
            Err(EvidenceError::UnsupportedType)
        );
        assert_eq!(check(b""), Err(EvidenceError::Empty));
        assert_eq!(
            check(&vec![b'%'; MAX_BYTES + 1]),
            Err(EvidenceError::TooLarge)
        );
    }

    #[test]
    fn names_follow_the_detected_type() {
        assert_eq!(stored_name("procedure.cmd", FileType::Pdf), "procedure.pdf");
        assert_eq!(stored_name("Rapport.PDF", FileType::Pdf), "Rapport.PDF");
        assert_eq!(stored_name("photo.jpeg", FileType::Jpeg), "photo.jpeg");
        assert_eq!(stored_name("photo.png", FileType::Jpeg), "photo.jpg");
        assert_eq!(stored_name("plaquette", FileType::Pdf), "plaquette.pdf");
        assert_eq!(
            stored_name("Bilan v1.2 final", FileType::Docx),
            "Bilan v1.2 final.docx"
        );
        assert_eq!(
            stored_name("facture.pdf.exe", FileType::Pdf),
            "facture.pdf.pdf"
        );
        assert_eq!(stored_name(".bashrc", FileType::Pdf), "bashrc.pdf");
        assert_eq!(stored_name("", FileType::Png), "document.png");
        // Behind U+202E RIGHT-TO-LEFT OVERRIDE, "procedure<RLO>fdp.cmd" reads "proceduredmc.pdf".
        assert_eq!(
            stored_name("procedure\u{202E}fdp.cmd", FileType::Pdf),
            "procedurefdp.pdf"
        );
    }

    #[test]
    fn format_characters_are_stripped() {
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{202E}',
            '\u{2060}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{061C}',
            '\u{E0041}',
        ] {
            assert_eq!(
                safe_file_name(&format!("{c}comp{c}te{c}.pdf{c}")),
                "compte.pdf",
                "U+{:04X}",
                c as u32
            );
        }
        // Letters and marks of other scripts stay.
        assert_eq!(safe_file_name("Évaluation été.pdf"), "Évaluation été.pdf");
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(
            safe_file_name("C:\\Users\\x\\compte rendu.pdf"),
            "compte rendu.pdf"
        );
        assert_eq!(safe_file_name("..."), "document");
        assert_eq!(safe_file_name("a\"b;\r\n.pdf"), "a_b___.pdf");
        assert_eq!(
            content_disposition("Procédure accueil.pdf"),
            "attachment; filename=\"Proc_dure accueil.pdf\"; filename*=UTF-8''Proc%C3%A9dure%20accueil.pdf"
        );
    }
}
