//! A release bundle carries a release whole: synced into another store it is the same release
//! (id, manifest bytes, answers), found by its content whatever its name; a bundle with a byte
//! flipped in a table, cut short or lacking a table is refused naming the entry and its digests,
//! and the store keeps its release active and gains nothing.

use std::path::{Path, PathBuf};

use crate::{active_release, passage, release_of, run_err, run_ok, small_sources};

fn releases(data: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(data.join("releases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

fn bundle_of(store: &Path, out: &Path) -> String {
    release_of(&run_ok(
        passage(store)
            .args(["export", "release", "--format", "bundle", "--out"])
            .arg(out),
    ))
}

fn answers(data: &Path) -> Vec<String> {
    [
        vec![
            "population",
            "--years",
            "2015..2025",
            "--measures",
            "refugees,asylum_seekers,idps",
        ],
        vec![
            "population",
            "--year",
            "2024",
            "--origin",
            "SYR",
            "--by",
            "asylum",
        ],
        vec![
            "missing_migrants",
            "--year",
            "2023",
            "--by",
            "region_of_incident",
            "--measures",
            "dead_and_missing",
        ],
        vec![
            "migrant_stock",
            "--year",
            "2024",
            "--by",
            "asylum",
            "--measures",
            "migrants",
        ],
    ]
    .iter()
    .map(|q| run_ok(passage(data).arg("query").args(q).args(["--format", "csv"])))
    .collect()
}

#[test]
fn a_bundle_of_the_shared_data_syncs_as_the_same_release_with_the_same_answers() {
    let source = crate::synced_store();
    let dir = tempfile::tempdir().unwrap();
    // Any name: the bundle is recognised by what it holds.
    let bundle = dir.path().join("for-the-field-office.stick");
    let id = bundle_of(source.path(), &bundle);

    let copy = tempfile::tempdir().unwrap();
    // A bundle is a release as it was made: flags for source files do not apply to it.
    let err = run_err(
        passage(copy.path())
            .args(["sync", "--only-these", "--from"])
            .arg(&bundle),
    );
    assert_eq!(err.status.code(), Some(2));
    assert!(!copy.path().join("ACTIVE").exists());
    let out = run_ok(passage(copy.path()).args(["sync", "--from"]).arg(&bundle));
    assert!(out.contains(&format!("release {id} added")), "{out}");
    assert_eq!(active_release(copy.path()), id);
    let manifest =
        |d: &Path| std::fs::read(d.join("releases").join(&id).join("manifest.json")).unwrap();
    assert_eq!(manifest(copy.path()), manifest(source.path()));
    let a = answers(source.path());
    assert!(a.iter().all(|csv| csv.lines().count() > 2), "{a:?}");
    assert_eq!(answers(copy.path()), a);

    let again = run_ok(passage(copy.path()).args(["sync", "--from"]).arg(&bundle));
    assert!(
        again.contains(&format!("release {id} unchanged")),
        "{again}"
    );
    assert_eq!(releases(copy.path()), vec![id]);
}

/// The entry of `name` in a stored ZIP: where its data starts and its length.
fn entry_span(bundle: &[u8], name: &str) -> (usize, usize) {
    let mut at = 0;
    while bundle[at..at + 4] == [0x50, 0x4b, 0x03, 0x04] {
        let u16_at = |i: usize| usize::from(u16::from_le_bytes([bundle[i], bundle[i + 1]]));
        let size = u32::from_le_bytes(bundle[at + 18..at + 22].try_into().unwrap()) as usize;
        let (name_len, extra) = (u16_at(at + 26), u16_at(at + 28));
        let data = at + 30 + name_len + extra;
        if &bundle[at + 30..at + 30 + name_len] == name.as_bytes() {
            return (data, size);
        }
        at = data + size;
    }
    panic!("no entry {name}");
}

#[test]
fn a_damaged_cut_or_incomplete_bundle_is_refused_naming_the_table_and_nothing_changes() {
    let source = crate::synced_store();
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("release.bundle");
    let id = bundle_of(source.path(), &good);
    let bytes = std::fs::read(&good).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            source
                .path()
                .join("releases")
                .join(&id)
                .join("manifest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let digest = |dataset: &str| {
        manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["dataset"] == dataset)
            .unwrap()["sha256"]
            .as_str()
            .unwrap()
            .to_string()
    };

    let target = tempfile::tempdir().unwrap();
    let small = small_sources();
    let before = release_of(&run_ok(
        passage(target.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    ));
    let write = |name: &str, content: &[u8]| -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };

    // One byte flipped in the middle of the population table.
    let population = format!("{id}/tables/population.arrow");
    let (start, len) = entry_span(&bytes, &population);
    let mut flipped = bytes.clone();
    flipped[start + len / 2] ^= 0x01;
    // Cut short in the middle of that table.
    let cut = &bytes[..start + len / 2];
    // Without that table: its entry renamed, so the archive stays well formed.
    let mut lacking = bytes.clone();
    let name_at = start - population.len();
    lacking[name_at..start].copy_from_slice(format!("{id}/tables/population.arrxx").as_bytes());

    for (name, content, says) in [
        ("flipped.bundle", flipped.as_slice(), "found"),
        ("cut.bundle", cut, "found"),
        ("lacking.bundle", lacking.as_slice(), "missing"),
    ] {
        let path = write(name, content);
        let err = run_err(passage(target.path()).args(["sync", "--from"]).arg(&path));
        assert_eq!(err.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&err.stderr);
        assert!(err.contains(&population), "{name}: {err}");
        assert!(
            err.contains(&format!("expected {}", digest("population")))
                || err.contains(&format!("sha256 {}", digest("population"))),
            "{name}: {err}"
        );
        assert!(err.contains(says), "{name}: {err}");
        assert!(
            err.contains(&format!("release {before} stays active")),
            "{name}: {err}"
        );
        assert_eq!(active_release(target.path()), before, "{name}");
        assert_eq!(releases(target.path()), vec![before.clone()], "{name}");
        assert_eq!(
            std::fs::read_dir(target.path().join("staging"))
                .unwrap()
                .count(),
            0,
            "{name}"
        );
    }

    // Cut after its last table: the tables are whole, but the file is not, and it is refused.
    let path = write("cut-end.bundle", &bytes[..bytes.len() - 10]);
    let err = run_err(passage(target.path()).args(["sync", "--from"]).arg(&path));
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(err.contains("cut short"), "{err}");
    assert_eq!(releases(target.path()), vec![before.clone()]);

    // The intact bundle still goes in.
    let out = run_ok(passage(target.path()).args(["sync", "--from"]).arg(&good));
    assert!(out.contains(&format!("release {id} added")), "{out}");
    assert_eq!(active_release(target.path()), id);
}
