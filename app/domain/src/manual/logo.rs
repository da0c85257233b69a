//! The logo a SIAE puts on the cover of its manual: a PNG or JPEG image, small enough to embed
//! in every edition, whose size in pixels is read from its header before anything decodes it —
//! a file of a few kilobytes can claim billions of pixels.

use serde::{Deserialize, Serialize};

pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
/// The longest side accepted, in pixels.
pub const MAX_LOGO_SIDE: u32 = 4000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LogoFormat {
    Png,
    Jpg,
}

impl LogoFormat {
    /// The stored code, also the extension typst reads the format from.
    pub fn code(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpg => "jpg",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Png, Self::Jpg]
            .into_iter()
            .find(|f| f.code() == code)
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpg => "image/jpeg",
        }
    }
}

/// The format of an uploaded logo, or why it is refused (in French, for the user).
pub fn check_logo(bytes: &[u8]) -> Result<LogoFormat, String> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err("Le logo dépasse 1 Mo : réduisez l'image.".into());
    }
    let (format, size) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        (LogoFormat::Png, png_size(bytes))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        (LogoFormat::Jpg, jpeg_size(bytes))
    } else {
        return Err("Le logo doit être une image PNG ou JPEG.".into());
    };
    match size {
        None | Some((0, _)) | Some((_, 0)) => Err("Cette image est illisible.".into()),
        Some((w, h)) if w > MAX_LOGO_SIDE || h > MAX_LOGO_SIDE => Err(format!(
            "L'image mesure {w} × {h} pixels : {MAX_LOGO_SIDE} pixels de côté au plus."
        )),
        Some(_) => Ok(format),
    }
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn be16(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as u32)
}

/// Width and height from the IHDR chunk, which a PNG must start with.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    (bytes.get(12..16)? == b"IHDR").then_some(())?;
    Some((be32(bytes, 16)?, be32(bytes, 20)?))
}

/// Width and height from the first start-of-frame marker, walking the segments before it.
fn jpeg_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut at = 2;
    loop {
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        match marker {
            // Fill bytes before a marker.
            0xFF => at += 1,
            // Markers without a length.
            0x01 | 0xD0..=0xD7 => at += 2,
            // Start of frame (not DHT, JPG, DAC, which share the range).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some((be16(bytes, at + 7)?, be16(bytes, at + 5)?));
            }
            // Start of scan or end of image before any frame: not an image.
            0xDA | 0xD9 => return None,
            _ => at += 2 + be16(bytes, at + 2)? as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        bytes.extend(width.to_be_bytes());
        bytes.extend(height.to_be_bytes());
        bytes.extend([8, 6, 0, 0, 0]);
        bytes
    }

    fn jpeg(width: u16, height: u16) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        // An APP0 segment of 16 bytes, then a baseline frame.
        bytes.extend([0xFF, 0xE0, 0, 16]);
        bytes.extend([0; 14]);
        bytes.extend([0xFF, 0xC0, 0, 17, 8]);
        bytes.extend(height.to_be_bytes());
        bytes.extend(width.to_be_bytes());
        bytes.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes
    }

    #[test]
    fn png_and_jpeg_are_read_from_their_headers() {
        assert_eq!(check_logo(&png(400, 120)), Ok(LogoFormat::Png));
        assert_eq!(check_logo(&jpeg(640, 480)), Ok(LogoFormat::Jpg));
        assert_eq!(png_size(&png(400, 120)), Some((400, 120)));
        assert_eq!(jpeg_size(&jpeg(640, 480)), Some((640, 480)));
    }

    #[test]
    fn huge_claims_other_files_and_truncated_headers_are_refused() {
        assert_eq!(
            check_logo(&png(100_000, 100_000)),
            Err("L'image mesure 100000 × 100000 pixels : 4000 pixels de côté au plus.".into())
        );
        assert_eq!(
            check_logo(b"%PDF-1.7"),
            Err("Le logo doit être une image PNG ou JPEG.".into())
        );
        assert_eq!(
            check_logo(&png(10, 10)[..18]),
            Err("Cette image est illisible.".into())
        );
        assert_eq!(
            check_logo(&jpeg(10, 10)[..10]),
            Err("Cette image est illisible.".into())
        );
        assert!(check_logo(&vec![0u8; MAX_LOGO_BYTES + 1]).is_err());
    }
}
