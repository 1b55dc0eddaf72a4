//! Tests only: a file Passage wrote, read back by Python's own reader (zipfile, openpyxl), so a
//! writer is judged by the tools its users open its files with.

/// Writes `bytes` to a temporary `name`, runs `script` on it (`sys.argv[1]`) and gives what it
/// printed; fails the test with Python's error output when the script fails.
pub(crate) fn python_reads(name: &str, bytes: &[u8], script: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
