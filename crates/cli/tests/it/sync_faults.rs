//! Syncs under ordinary mistakes and faults: a folder holding some of the sources carries the
//! others forward (no dataset dropped, no verdict flipped); a full disk is named as such, leaves
//! the previous release active and cleans up; a registry write on a full disk is refused whole; an
//! activation whose verdicts were never recorded is completed by the next command.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{passage, release_of, run_err, run_ok, shared_data, small_sources};

/// The counts of the summary line `claims on release …: a true, b false, c undetermined; …`.
fn verdict_counts(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.starts_with("claims on release "))
        .unwrap_or_else(|| panic!("no claims summary in: {out}"));
    let counts = line.split_once(": ").unwrap().1;
    counts.split(';').next().unwrap().to_string()
}

fn csv(data: &Path, dataset: &str) -> String {
    run_ok(passage(data).args(["query", dataset, "--by", "year", "--format", "csv"]))
}

/// The shared UNHCR population file with one refugee more in its first data row.
fn updated_population(dir: &Path) {
    let text = std::fs::read_to_string(shared_data().join("unhcr/population.csv")).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let (first, others) = rest.split_once('\n').unwrap();
    let column = header.split(',').position(|c| c == "refugees").unwrap();
    let mut cells: Vec<String> = first.split(',').map(String::from).collect();
    let n: i64 = cells[column].parse().unwrap_or(0);
    cells[column] = (n + 1).to_string();
    std::fs::write(
        dir.join("population.csv"),
        format!("{header}\n{}\n{others}", cells.join(",")),
    )
    .unwrap();
}

#[test]
fn a_partial_sync_keeps_every_dataset_and_flips_no_verdict() {
    let data = tempfile::tempdir().unwrap();
    let full = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(shared_data()),
    );
    let first = release_of(&full);
    let answers_before: Vec<String> = ["asylum_decisions", "missing_migrants", "wdi_wpp"]
        .iter()
        .map(|d| csv(data.path(), d))
        .collect();

    // A journalist syncs the one file UNHCR updated.
    let one = tempfile::tempdir().unwrap();
    updated_population(one.path());
    let out = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(one.path()),
    );
    let second = release_of(&out);
    assert_ne!(second, first);
    assert!(
        out.contains(" created;") && out.contains("20 tables"),
        "{out}"
    );
    let carried = out
        .lines()
        .find(|l| l.starts_with("carried forward unchanged"))
        .unwrap_or_else(|| panic!("the carried datasets are not named: {out}"));
    assert!(
        carried.contains(&format!("from release {first}")),
        "{carried}"
    );
    for d in [
        "countries",
        "asylum_decisions",
        "missing_migrants",
        "wdi_wpp",
    ] {
        assert!(carried.contains(d), "{d} not carried: {carried}");
    }
    let list = carried.rsplit_once("): ").unwrap().1;
    assert!(!list.split(", ").any(|d| d == "population"), "{carried}");
    assert!(!out.contains("not in this release"), "{out}");
    assert!(!out.contains(" → "), "a verdict flipped: {out}");
    assert_eq!(verdict_counts(&out), verdict_counts(&full));

    let answers_after: Vec<String> = ["asylum_decisions", "missing_migrants", "wdi_wpp"]
        .iter()
        .map(|d| csv(data.path(), d))
        .collect();
    assert_eq!(answers_after, answers_before);

    // The manifest names the carried tables with their digests and origin.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            data.path()
                .join("releases")
                .join(&second)
                .join("manifest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let tables = manifest["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 20);
    for t in tables {
        if t["dataset"] == "population" {
            assert!(t.get("carried_from").is_none(), "{t}");
        } else {
            assert_eq!(t["carried_from"], first.as_str(), "{t}");
        }
    }

    // Syncing one updated file and then the complete folder with it is one release.
    let complete = tempfile::tempdir().unwrap();
    copy_tree(&shared_data(), complete.path());
    for stale in ["unhcr/SHA256SUMS", "SHA256SUMS.all", "unhcr/population.csv"] {
        std::fs::remove_file(complete.path().join(stale)).unwrap();
    }
    updated_population(&complete.path().join("unhcr"));
    let again = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(complete.path()),
    );
    assert!(
        again.contains(&format!("release {second} unchanged")),
        "{again}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

#[test]
fn only_these_makes_a_release_of_the_given_sources_alone() {
    let data = tempfile::tempdir().unwrap();
    let src = small_sources();
    std::fs::copy(
        shared_data().join("unhcr/countries.csv"),
        src.path().join("countries.csv"),
    )
    .unwrap();
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(src.path()),
    );
    std::fs::remove_file(src.path().join("countries.csv")).unwrap();
    let out = run_ok(
        passage(data.path())
            .args(["sync", "--only-these", "--from"])
            .arg(src.path()),
    );
    assert!(
        out.contains(" created;") && out.contains("1 tables"),
        "{out}"
    );
    assert!(!out.contains("carried forward"), "{out}");
    let absent = out
        .lines()
        .find(|l| l.starts_with("not in this release: "))
        .unwrap();
    assert!(absent.contains("countries"), "{absent}");
}

/// A size-limited tmpfs mounted for one test, unmounted when dropped; `None`, with the reason
/// printed, when mounting is not permitted (not root).
pub struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    pub fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        match Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output()
        {
            Ok(o) if o.status.success() => Some(SmallDisk { dir }),
            Ok(o) => {
                eprintln!(
                    "skipped: cannot mount a small tmpfs (root needed): {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fills the disk with one file, until the file system refuses more.
    pub fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let small = [0u8; 512];
        while f.write_all(&small).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

#[test]
fn a_full_disk_during_sync_is_named_and_leaves_the_previous_release_whole() {
    let Some(disk) = SmallDisk::mount(4) else {
        return;
    };
    let data = disk.path().join("data");
    let small = small_sources();
    run_ok(passage(&data).args(["sync", "--from"]).arg(small.path()));
    let active = std::fs::read_to_string(data.join("ACTIVE")).unwrap();
    let before = csv(&data, "population");

    let out = run_err(passage(&data).args(["sync", "--from"]).arg(shared_data()));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(": no space left on device"), "{stderr}");
    assert!(
        stderr.contains(&data.join("staging").display().to_string()),
        "the path is named: {stderr}"
    );
    assert!(
        stderr.contains(&format!("release {} stays active", active.trim())),
        "{stderr}"
    );
    assert!(!stderr.contains("not a valid release file"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(data.join("ACTIVE")).unwrap(),
        active
    );
    assert_eq!(entries(&data.join("staging")), 0, "staging cleaned");
    assert_eq!(entries(&data.join("releases")), 1);
    assert_eq!(csv(&data, "population"), before);
}

#[test]
fn a_registry_write_on_a_full_disk_is_refused_whole() {
    let Some(disk) = SmallDisk::mount(8) else {
        return;
    };
    let data = disk.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    run_ok(passage(&data).args(["registry", "seed"]));
    let events_before = run_ok(passage(&data).args(["registry", "events", "--limit", "100000"]));
    let entity = disk.path().join("entity.json");
    std::fs::write(
        &entity,
        format!(
            r#"{{"id": "full-disk-ngo", "kind": "ngo", "name": "{}"}}"#,
            "N".repeat(200_000)
        ),
    )
    .unwrap();
    let filler = disk.fill();

    let out = run_err(
        passage(&data)
            .args(["registry", "entity", "add"])
            .arg(&entity),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("registry database"), "{stderr}");
    // SQLite names a full disk only as `disk I/O error` here (WAL on tmpfs); shown, not asserted.
    eprintln!("a registry write on a full disk: {}", stderr.trim());

    std::fs::remove_file(filler).unwrap();
    let verify = run_ok(passage(&data).args(["registry", "verify"]));
    assert!(verify.starts_with("history intact"), "{verify}");
    assert_eq!(
        run_ok(passage(&data).args(["registry", "events", "--limit", "100000"])),
        events_before,
        "no event was half-written"
    );
    let list = run_ok(passage(&data).args(["registry", "entity", "list"]));
    assert!(!list.contains("full-disk-ngo"), "{list}");
    // With space again, the same write succeeds.
    run_ok(
        passage(&data)
            .args(["registry", "entity", "add"])
            .arg(&entity),
    );
}

fn verdict_lines(data: &Path, release: &str) -> usize {
    std::fs::read_to_string(data.join("claims/verdicts.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&format!("\"release\":\"{release}\"")))
        .count()
}

/// Removes the verdicts recorded on `release`, keeping the first `keep` of them: what a sync
/// killed between activation and recording (or while recording) leaves.
fn cut_verdicts(data: &Path, release: &str, keep: usize) {
    let path = data.join("claims/verdicts.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut kept = 0;
    let mut out = String::new();
    for line in text.lines() {
        if line.contains(&format!("\"release\":\"{release}\"")) {
            if kept == keep {
                continue;
            }
            kept += 1;
        }
        out.push_str(line);
        out.push('\n');
    }
    std::fs::write(&path, out).unwrap();
}

#[test]
fn an_activation_without_verdicts_is_completed_by_the_next_command() {
    let data = tempfile::tempdir().unwrap();
    let small = small_sources();
    let out = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    );
    let id = release_of(&out);
    let recorded = verdict_lines(data.path(), &id);
    assert!(recorded > 1, "{out}");
    let answer = csv(data.path(), "population");

    // Killed before any verdict was written: a query records them, its output unchanged.
    cut_verdicts(data.path(), &id, 0);
    let query = passage(data.path())
        .args(["query", "population", "--by", "year", "--format", "csv"])
        .output()
        .unwrap();
    assert!(query.status.success());
    assert_eq!(String::from_utf8(query.stdout).unwrap(), answer);
    assert!(
        String::from_utf8_lossy(&query.stderr).contains("recorded"),
        "{}",
        String::from_utf8_lossy(&query.stderr)
    );
    assert_eq!(verdict_lines(data.path(), &id), recorded);

    // Killed while writing them: the rest are recorded, none twice.
    cut_verdicts(data.path(), &id, 1);
    run_ok(passage(data.path()).arg("releases"));
    assert_eq!(verdict_lines(data.path(), &id), recorded);

    // Nothing missing: nothing recorded again.
    run_ok(passage(data.path()).arg("releases"));
    assert_eq!(verdict_lines(data.path(), &id), recorded);

    // `passage serve` completes them at start.
    cut_verdicts(data.path(), &id, 0);
    let mut server = passage(data.path())
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while verdict_lines(data.path(), &id) < recorded && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(verdict_lines(data.path(), &id), recorded);
}

#[test]
fn a_damaged_negotiation_file_stops_the_sync_naming_its_line_and_keeps_the_release() {
    let data = tempfile::tempdir().unwrap();
    let sources = small_sources();
    let first = release_of(&run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(sources.path()),
    ));
    // A text whose second action reuses a letter, beside a vote file cut in the middle of a row.
    std::fs::write(
        sources.path().join("gcm_objectives_actions_2018.md"),
        "# Objective 8\n## Title: Save lives\n## Associated actions\n- a. One.\n- a. Again.\n",
    )
    .unwrap();
    let err = run_err(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(sources.path()),
    );
    let err = String::from_utf8_lossy(&err.stderr).to_string();
    assert!(err.contains("gcm_objectives_actions_2018.md:5"), "{err}");
    std::fs::remove_file(sources.path().join("gcm_objectives_actions_2018.md")).unwrap();
    std::fs::write(
        sources.path().join("gcm_vote_a_res_73_195_2018-12-19.csv"),
        "resolution,date,undl_record,member_state,vote\nA/RES/73/195,2018-12-19,1656414,ALBANIA,Y\nA/RES/73/195,2018-12-19,1656414,ANDO",
    )
    .unwrap();
    let err = run_err(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(sources.path()),
    );
    let err = String::from_utf8_lossy(&err.stderr).to_string();
    assert!(
        err.contains("gcm_vote_a_res_73_195_2018-12-19.csv:3"),
        "{err}"
    );
    // Nothing was stored: the first release is still the active one, and the only one.
    let releases = run_ok(passage(data.path()).args(["releases"]));
    assert!(releases.contains(&first), "{releases}");
    assert_eq!(
        std::fs::read_dir(data.path().join("releases"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().join("manifest.json").exists())
            .count(),
        1,
        "{releases}"
    );
}
