//! Replays every stored fuzz input, the seed corpus and every crash the fuzzer ever found, through
//! the checks the fuzz targets run, so that a regression fails an ordinary `cargo test` without
//! cargo-fuzz. The checks live in the fuzz crate (its own workspace) and are compiled in here.

#[allow(dead_code)]
#[path = "../../../../fuzz/src/lib.rs"]
mod fuzz_checks;

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

#[test]
fn every_fuzz_target_has_seeds_and_every_stored_input_a_target() {
    let root = fuzz_dir();
    for (target, _) in fuzz_checks::TARGETS {
        assert!(
            !files(&root.join("corpus").join(target)).is_empty(),
            "fuzz target {target} has no seed corpus"
        );
        assert!(
            root.join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "fuzz target {target} has no fuzz_targets/{target}.rs"
        );
    }
    for kind in ["corpus", "artifacts"] {
        let Ok(dirs) = std::fs::read_dir(root.join(kind)) else {
            continue;
        };
        for dir in dirs.filter_map(Result::ok) {
            let name = dir.file_name().to_string_lossy().to_string();
            assert!(
                fuzz_checks::TARGETS.iter().any(|(t, _)| *t == name),
                "fuzz/{kind}/{name} belongs to no target"
            );
        }
    }
}

#[test]
fn stored_fuzz_inputs_and_past_crashes_pass_their_checks() {
    let root = fuzz_dir();
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, check) in fuzz_checks::TARGETS {
        for kind in ["corpus", "artifacts"] {
            for file in files(&root.join(kind).join(target)) {
                let data = std::fs::read(&file).unwrap();
                replayed += 1;
                if std::panic::catch_unwind(|| check(&data)).is_err() {
                    failures.push(file.display().to_string());
                }
            }
        }
    }
    assert!(
        replayed > 0,
        "no stored fuzz input found under {}",
        root.display()
    );
    assert!(
        failures.is_empty(),
        "fuzz inputs that fail their check: {failures:#?}"
    );
}
