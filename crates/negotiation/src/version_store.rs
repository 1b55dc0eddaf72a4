//! The versions a user imported, kept on disk as Akoma Ntoso, one file per version under
//! `<dir>/<document>/<label slug>.xml`. A version is read whole before anything is written, and written
//! to a temporary file renamed into place, so a failed import stores nothing.

use std::path::{Path, PathBuf};

use crate::akoma_ntoso::{read_akoma_ntoso, write_akoma_ntoso};
use crate::{DocumentId, NegotiationError, Version, VersionMeta};

/// A directory of imported versions.
pub struct VersionStore {
    dir: PathBuf,
}

fn slug(label: &str) -> String {
    let mut s = String::new();
    for c in label.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

fn io(file: &Path) -> impl FnOnce(std::io::Error) -> NegotiationError + '_ {
    move |source| NegotiationError::Io {
        file: file.to_path_buf(),
        source,
    }
}

impl VersionStore {
    /// The store in `dir` (created on the first import).
    pub fn open(dir: &Path) -> Self {
        VersionStore {
            dir: dir.to_path_buf(),
        }
    }

    fn file(&self, document: &DocumentId, label: &str) -> Result<PathBuf, NegotiationError> {
        let slug = slug(label);
        if slug.is_empty() {
            return Err(NegotiationError::BadValue {
                value: label.to_string(),
                expected: "a version label with a letter or digit, such as `zero draft`",
            });
        }
        Ok(self.dir.join(document.as_str()).join(format!("{slug}.xml")))
    }

    /// Stores `version`; refuses a label the document already has, so a version is never overwritten.
    pub fn add(&self, version: &Version) -> Result<PathBuf, NegotiationError> {
        let file = self.file(&version.meta.document, &version.meta.label)?;
        if file.exists() {
            return Err(NegotiationError::VersionExists {
                document: version.meta.document.to_string(),
                label: version.meta.label.clone(),
                file,
            });
        }
        let parent = file.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let tmp = file.with_extension("xml.tmp");
        std::fs::write(&tmp, write_akoma_ntoso(version)).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &file).map_err(io(&file))?;
        Ok(file)
    }

    /// The documents with a stored version, by id; a directory whose name is no id is not one.
    pub fn documents(&self) -> Result<Vec<DocumentId>, NegotiationError> {
        if !self.dir.exists() {
            return Ok(Vec::new());
        }
        let mut out: Vec<DocumentId> = std::fs::read_dir(&self.dir)
            .map_err(io(&self.dir))?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_dir())
            .filter_map(|e| DocumentId::parse(&e.file_name().to_string_lossy()).ok())
            .collect();
        out.sort();
        Ok(out)
    }

    /// The stored versions of `document`, by label.
    pub fn versions(&self, document: &DocumentId) -> Result<Vec<Version>, NegotiationError> {
        let dir = self.dir.join(document.as_str());
        if !dir.exists() {
            return Ok(Vec::new());
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(io(&dir))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        files.sort();
        files.iter().map(|f| self.read(f, document)).collect()
    }

    /// The stored version of `document` labelled `label`.
    pub fn get(&self, document: &DocumentId, label: &str) -> Result<Version, NegotiationError> {
        let file = self.file(document, label)?;
        self.read(&file, document)
    }

    fn read(&self, file: &Path, document: &DocumentId) -> Result<Version, NegotiationError> {
        let text = std::fs::read_to_string(file).map_err(io(file))?;
        let fallback = VersionMeta {
            document: document.clone(),
            label: String::new(),
            date: None,
            source: None,
            licence: None,
        };
        Ok(read_akoma_ntoso(file, &text, fallback)?.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{read_plain_text, Imported};

    #[test]
    fn stores_reads_back_and_never_overwrites() {
        let dir =
            std::env::temp_dir().join(format!("passage-negotiation-store-{}", std::process::id()));
        let store = VersionStore::open(&dir);
        let gcm = DocumentId::parse("gcm").unwrap();
        let meta = VersionMeta {
            document: gcm.clone(),
            label: "Zero draft".into(),
            date: None,
            source: None,
            licence: None,
        };
        let Imported { version, .. } =
            read_plain_text(Path::new("z.txt"), "1. One.\n2. Two.\n", meta).unwrap();
        let file = store.add(&version).unwrap();
        assert!(file.ends_with("gcm/zero-draft.xml"));
        assert_eq!(store.get(&gcm, "Zero draft").unwrap(), version);
        assert!(matches!(
            store.add(&version),
            Err(NegotiationError::VersionExists { .. })
        ));
        assert_eq!(store.versions(&gcm).unwrap(), vec![version]);
        assert_eq!(store.documents().unwrap(), vec![gcm]);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
