//! Reading a version from a file, the format chosen by the extension: `.md` the objective/action
//! layout, `.txt` numbered paragraphs, `.xml` or `.akn` Akoma Ntoso.

use std::path::Path;

use crate::akoma_ntoso::read_akoma_ntoso;
use crate::markdown::read_markdown;
use crate::plain_text::read_plain_text;
use crate::{DocumentId, Imported, NegotiationError, VersionMeta};

/// The document id a file name suggests: the part of its stem before the first `_` (`gcm_…` → `gcm`),
/// or `document` when that is not an id.
pub fn document_id_from_file(file: &Path) -> DocumentId {
    file.file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.split('_').next())
        .map(str::to_ascii_lowercase)
        .and_then(|s| DocumentId::parse(&s).ok())
        .or_else(|| DocumentId::parse("document").ok())
        .unwrap_or_else(|| unreachable!("`document` is a valid id"))
}

/// Reads the version in `file`; `meta` identifies it (an Akoma Ntoso file's own record wins).
pub fn read_version_file(file: &Path, meta: VersionMeta) -> Result<Imported, NegotiationError> {
    let text = std::fs::read_to_string(file).map_err(|source| NegotiationError::Io {
        file: file.to_path_buf(),
        source,
    })?;
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("md" | "markdown") => read_markdown(file, &text, meta),
        Some("txt") => read_plain_text(file, &text, meta),
        Some("xml" | "akn") => read_akoma_ntoso(file, &text, meta),
        _ => Err(NegotiationError::UnknownFormat {
            file: file.to_path_buf(),
        }),
    }
}
