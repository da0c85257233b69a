//! Evidence files: which types are accepted (recognised from their content, not their name),
//! the size limit, and the file name offered on download.

use serde::{Deserialize, Serialize};

pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    OpenDocument,
    OfficeOpenXml,
}

impl FileType {
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::OpenDocument => "application/vnd.oasis.opendocument",
            Self::OfficeOpenXml => "application/vnd.openxmlformats-officedocument",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Png => "image PNG",
            Self::Jpeg => "image JPEG",
            Self::OpenDocument => "document OpenDocument",
            Self::OfficeOpenXml => "document Office",
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
}

/// Recognises the type from the first bytes; a renamed executable stays refused.
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
        // OpenDocument stores its `mimetype` entry first, uncompressed; Office files list their parts.
        let head = &bytes[..bytes.len().min(4096)];
        if contains(head, b"mimetypeapplication/vnd.oasis.opendocument") {
            return Ok(FileType::OpenDocument);
        }
        if contains(head, b"[Content_Types].xml") {
            return Ok(FileType::OfficeOpenXml);
        }
    }
    Err(EvidenceError::UnsupportedType)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A file name safe to store and to send back: no path, no control or reserved characters.
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
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

    #[test]
    fn types_come_from_content() {
        assert_eq!(check(b"%PDF-1.7 ..."), Ok(FileType::Pdf));
        assert_eq!(check(b"\x89PNG\r\n\x1a\n...."), Ok(FileType::Png));
        assert_eq!(
            check(b"PK\x03\x04....mimetypeapplication/vnd.oasis.opendocument.text"),
            Ok(FileType::OpenDocument)
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
