//! Writing an output whole: to a temporary file beside it, synced, then renamed, so that a
//! failure leaves no half-written report behind.

use std::io::Write;
use std::path::Path;

use crate::ReportError;

/// Writes `bytes` to `path` whole, or leaves nothing.
pub fn write_whole(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    let err = |source| ReportError::Write {
        path: path.display().to_string(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_written_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r.pdf");
        write_whole(&out, b"%PDF").unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"%PDF");
        let bad = dir.path().join("missing/r.pdf");
        let e = write_whole(&bad, b"x").unwrap_err().to_string();
        assert!(e.contains("missing/r.pdf"), "{e}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "nothing left behind"
        );
    }
}
