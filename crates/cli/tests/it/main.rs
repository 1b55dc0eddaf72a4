//! End-to-end tests of the `passage` binary: real processes, real files, the shared data.

mod answers;
mod bundles;
mod claims;
mod commands;
mod crash;
mod exports;
mod fuzz_replay;
mod mirrors;
mod negotiation;
mod object_storage;
mod positions;
mod registry_crash;
mod reports;
mod server;
mod sync_faults;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn shared_data() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        p.join("README.md").exists(),
        "the shared data is expected at {}",
        p.display()
    );
    p
}

/// The binary under test, with its data directory set and no user configuration.
pub fn passage(data_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_passage"));
    c.env("PASSAGE_DATA_DIR", data_dir)
        .env_remove("PASSAGE_CONFIG")
        .env("PASSAGE_THREADS", "2");
    c
}

pub fn run_ok(c: &mut Command) -> String {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "{:?} failed: {}",
        c,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub fn run_err(c: &mut Command) -> Output {
    let out = c.output().unwrap();
    assert!(!out.status.success(), "{c:?} should fail");
    out
}

/// A new data directory with one release synced from the shared data, as the README's users
/// make it.
pub fn synced_store() -> tempfile::TempDir {
    sync_shared_data_into(tempfile::tempdir().unwrap())
}

/// A temporary directory for a store held by a static. A static is never dropped, so such a
/// directory outlives its run: these are made under Cargo's directory for test data, in a folder
/// that the next run of this binary empties.
pub fn lasting_tempdir() -> tempfile::TempDir {
    static PARENT: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    let parent = PARENT.get_or_init(|| {
        let p = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-it-shared-stores");
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        p
    });
    tempfile::tempdir_in(parent).unwrap()
}

/// `dir` with the shared data synced into it (UNHCR's version given).
pub fn sync_shared_data_into(dir: tempfile::TempDir) -> tempfile::TempDir {
    run_ok(
        passage(dir.path())
            .args(["sync", "--source-version", "unhcr=2025.12.1", "--from"])
            .arg(shared_data()),
    );
    dir
}

/// A small source directory: population and the country list.
pub fn small_sources() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("population.csv"),
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n\
         2024,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,2940735,154083,0,0,0,420,0,,0\n\
         2024,Afghanistan,AFG,AFG,Austria,AUS,AUT,40000,5000,0,0,0,0,0,,0\n",
    )
    .unwrap();
    dir
}

/// The release id of a sync's or mirror's summary line (`release rXXXX …`).
pub fn release_of(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.starts_with("release r"))
        .unwrap_or_else(|| panic!("no release line in: {out}"));
    line.split_whitespace().nth(1).unwrap().to_string()
}

/// The id of the release a data directory has active.
pub fn active_release(data: &Path) -> String {
    std::fs::read_to_string(data.join("ACTIVE"))
        .unwrap()
        .trim()
        .to_string()
}
