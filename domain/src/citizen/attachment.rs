//! Attachments to a citizen's request: PDF, JPEG or PNG, at most 10 MB each. The type is
//! read from the content (its magic bytes), never from the name or the browser's claim,
//! so a script renamed to `.pdf` is refused.

use crate::ValidationError;
use serde::{Deserialize, Serialize};

/// The most bytes one attachment may have: 10 MB.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// The most attachments one submission may carry.
pub const MAX_ATTACHMENTS: usize = 3;
/// The longest file name kept (in characters).
const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentType {
    Pdf,
    Jpeg,
    Png,
}

impl AttachmentType {
    /// The type a file's first bytes show, if it is one we accept.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(Self::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
        }
    }

    pub fn from_mime(mime: &str) -> Option<Self> {
        [Self::Pdf, Self::Jpeg, Self::Png]
            .into_iter()
            .find(|t| t.mime() == mime)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Jpeg => "JPEG-afbeelding",
            Self::Png => "PNG-afbeelding",
        }
    }
}

/// An attachment that passed every check: its type by content, its size, a safe name.
#[derive(Clone, PartialEq, Eq)]
pub struct CheckedAttachment {
    pub file_name: String,
    pub kind: AttachmentType,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for CheckedAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedAttachment")
            .field("file_name", &self.file_name)
            .field("kind", &self.kind)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl CheckedAttachment {
    /// Checks one uploaded file. `field` names the form input for the error message.
    pub fn parse(
        field: &str,
        raw_name: &str,
        bytes: Vec<u8>,
    ) -> Result<CheckedAttachment, ValidationError> {
        let shown = display_name(raw_name);
        if bytes.is_empty() {
            return Err(ValidationError::new(
                field,
                format!("Het bestand ‘{shown}’ is leeg."),
            ));
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(ValidationError::new(
                field,
                format!(
                    "Het bestand ‘{shown}’ is groter dan 10 MB. Maak het kleiner, bijvoorbeeld \
                     door een foto met een lagere resolutie te maken."
                ),
            ));
        }
        let kind = AttachmentType::sniff(&bytes).ok_or_else(|| {
            ValidationError::new(
                field,
                format!(
                    "Het bestand ‘{shown}’ is geen PDF, JPEG of PNG. Stuur een bestand van een \
                     van die soorten."
                ),
            )
        })?;
        Ok(CheckedAttachment {
            file_name: safe_file_name(raw_name, kind),
            kind,
            bytes,
        })
    }
}

/// Checks a whole submission: at most [`MAX_ATTACHMENTS`] files, each as above. Empty
/// file inputs (a form sent without choosing a file) are left out before this.
pub fn check_attachments(
    field: &str,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Vec<CheckedAttachment>, ValidationError> {
    if files.len() > MAX_ATTACHMENTS {
        return Err(ValidationError::new(
            field,
            format!("U kunt hoogstens {MAX_ATTACHMENTS} bijlagen meesturen."),
        ));
    }
    files
        .into_iter()
        .map(|(name, bytes)| CheckedAttachment::parse(field, &name, bytes))
        .collect()
}

/// The name as typed, for messages: no path, no control characters, not too long.
fn display_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect();
    if clean.trim().is_empty() {
        "zonder naam".to_owned()
    } else {
        clean.trim().to_owned()
    }
}

/// A name that is safe in a Content-Disposition header and on any file system: letters,
/// digits, space, dot, hyphen and underscore, with the extension of the detected type.
pub fn safe_file_name(raw: &str, kind: AttachmentType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_NAME_CHARS - 5)
        .collect();
    let cleaned = cleaned.trim().trim_matches('_');
    let stem = if cleaned.is_empty() {
        "bijlage"
    } else {
        cleaned
    };
    format!("{stem}.{}", kind.extension())
}

/// "1,2 MB" or "350 kB".
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        let tenths = bytes * 10 / (1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} kB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        let pdf =
            CheckedAttachment::parse("bijlagen", "akte.png", b"%PDF-1.7\n...".to_vec()).unwrap();
        assert_eq!(pdf.kind, AttachmentType::Pdf);
        assert_eq!(pdf.file_name, "akte.pdf");
        let png = CheckedAttachment::parse("bijlagen", "scan", PNG.to_vec()).unwrap();
        assert_eq!(png.kind, AttachmentType::Png);
        let jpeg =
            CheckedAttachment::parse("bijlagen", "foto.JPG", vec![0xFF, 0xD8, 0xFF, 0xE0, 1])
                .unwrap();
        assert_eq!(jpeg.kind, AttachmentType::Jpeg);

        let script = CheckedAttachment::parse(
            "bijlagen",
            "paspoort.pdf",
            b"<script>alert(1)</script>".to_vec(),
        )
        .unwrap_err();
        assert_eq!(script.field, "bijlagen");
        assert!(script.message.contains("geen PDF, JPEG of PNG"));
        // A GIF or a Word file is refused too, whatever its name.
        assert!(CheckedAttachment::parse("b", "x.png", b"GIF89a....".to_vec()).is_err());
        assert!(CheckedAttachment::parse("b", "x.pdf", b"PK\x03\x04docx".to_vec()).is_err());
    }

    #[test]
    fn size_limit_is_ten_megabytes_and_empty_files_are_refused() {
        let mut at_limit = b"%PDF-".to_vec();
        at_limit.resize(MAX_ATTACHMENT_BYTES, b' ');
        assert!(CheckedAttachment::parse("b", "a.pdf", at_limit.clone()).is_ok());
        at_limit.push(b' ');
        let e = CheckedAttachment::parse("b", "a.pdf", at_limit).unwrap_err();
        assert!(e.message.contains("groter dan 10 MB"));
        assert!(CheckedAttachment::parse("b", "a.pdf", Vec::new())
            .unwrap_err()
            .message
            .contains("leeg"));
    }

    #[test]
    fn at_most_three_attachments() {
        let files = vec![("a.png".to_owned(), PNG.to_vec()); 4];
        assert!(check_attachments("bijlagen", files.clone()).is_err());
        assert_eq!(
            check_attachments("bijlagen", files[..3].to_vec())
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn file_names_lose_paths_and_odd_characters() {
        assert_eq!(
            safe_file_name("C:\\Users\\jan\\Geboorte akte.pdf", AttachmentType::Pdf),
            "Geboorte akte.pdf"
        );
        assert_eq!(
            safe_file_name("../../etc/\"pass\"wd;.png", AttachmentType::Png),
            "pass_wd.png"
        );
        assert_eq!(safe_file_name("", AttachmentType::Jpeg), "bijlage.jpg");
        assert_eq!(size_text(350 * 1024), "350 kB");
        assert_eq!(size_text(1_300_000), "1,2 MB");
    }
}
