//! A sync killed mid-import (SIGKILL, no chance to clean up) must leave the previous release active
//! and intact, or the new one whole, and the next sync must succeed: once while writing the real
//! data, and at random moments of many syncs of a small folder (`scripts/crash-syncs` runs more).

use std::time::{Duration, Instant};

use crate::{passage, run_ok, shared_data, small_sources};

fn staging_has_tables(data: &std::path::Path) -> bool {
    std::fs::read_dir(data.join("staging"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| std::fs::read_dir(e.path().join("tables")).is_ok_and(|mut d| d.next().is_some()))
}

#[test]
fn killed_import_leaves_the_previous_release_active_and_intact() {
    let data = tempfile::tempdir().unwrap();
    let small = small_sources();
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    );
    let before = run_ok(passage(data.path()).args(["query", "population", "--format", "csv"]));
    let active_before = std::fs::read_to_string(data.path().join("ACTIVE")).unwrap();

    let mut killed_mid_write = 0;
    // First while parsing (after 50 ms), then twice as soon as table files are being written.
    for deadline in [
        Duration::from_millis(50),
        Duration::from_secs(60),
        Duration::from_secs(60),
    ] {
        let mut child = passage(data.path())
            .args(["sync", "--from"])
            .arg(shared_data())
            .spawn()
            .unwrap();
        let start = Instant::now();
        loop {
            if staging_has_tables(data.path()) {
                killed_mid_write += 1;
                break;
            }
            if start.elapsed() > deadline || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(100));
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            // The import won the race; roll back so the next attempt starts from the small release.
            run_ok(passage(data.path()).args(["activate", active_before.trim()]));
            continue;
        }
        assert_eq!(
            std::fs::read_to_string(data.path().join("ACTIVE")).unwrap(),
            active_before
        );
        let after = run_ok(passage(data.path()).args(["query", "population", "--format", "csv"]));
        assert_eq!(after, before, "the previous release answers as before");
        let releases = run_ok(passage(data.path()).arg("releases"));
        assert!(
            releases.contains(&format!("* {}", active_before.trim())),
            "{releases}"
        );
    }
    assert!(
        killed_mid_write > 0,
        "no attempt caught the import while it wrote table files"
    );

    // The next sync sweeps the leftovers and succeeds.
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(shared_data()),
    );
    assert_eq!(
        std::fs::read_dir(data.path().join("staging"))
            .unwrap()
            .count(),
        0
    );
    assert_ne!(
        std::fs::read_to_string(data.path().join("ACTIVE")).unwrap(),
        active_before
    );
}

/// The sha256 of a file, by the system's `sha256sum`: a check independent of Passage's own.
fn sha256(path: &std::path::Path) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "sha256sum {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn manifest_of(data: &std::path::Path, id: &str) -> serde_json::Value {
    let path = data.join("releases").join(id).join("manifest.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The active release is whole: every table file has its manifest's size and digest, and the
/// release loads and answers. Returns its id.
fn assert_active_whole(data: &std::path::Path) -> String {
    let id = std::fs::read_to_string(data.join("ACTIVE"))
        .unwrap()
        .trim()
        .to_string();
    let manifest = manifest_of(data, &id);
    let tables = manifest["tables"].as_array().unwrap();
    assert!(!tables.is_empty());
    for t in tables {
        let file = data
            .join("releases")
            .join(&id)
            .join(t["file"].as_str().unwrap());
        assert_eq!(
            std::fs::metadata(&file).unwrap().len(),
            t["bytes"].as_u64().unwrap(),
            "{}",
            file.display()
        );
        assert_eq!(
            sha256(&file),
            t["sha256"].as_str().unwrap(),
            "{}",
            file.display()
        );
    }
    for entry in std::fs::read_dir(data.join("releases")).unwrap() {
        let dir = entry.unwrap().path();
        assert!(
            dir.join("manifest.json").exists(),
            "{} is in releases/ without its manifest",
            dir.display()
        );
    }
    run_ok(passage(data).args(["query", "population", "--by", "year", "--format", "csv"]));
    id
}

/// A population file of up to `rows` rows (one per year from 2000, origin and asylum, among the
/// shared country list's codes) with the first row's refugees set to `variant`, so that each
/// variant is a new release.
fn population_fixture(rows: usize, variant: u64) -> String {
    let countries = std::fs::read_to_string(shared_data().join("unhcr/countries.csv")).unwrap();
    let codes: Vec<(&str, &str)> = countries
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cells = l.split(',');
            Some((cells.next()?, cells.next()?))
        })
        .filter(|(iso, unhcr)| iso.len() == 3 && !unhcr.is_empty())
        .take(60)
        .collect();
    let (origins, asylums) = codes.split_at(40);
    let per_year = origins.len() * asylums.len();
    let mut text = String::from("year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n");
    for i in 0..rows.min(per_year * 100) {
        let year = 2000 + i / per_year;
        let (o_iso, o) = origins[i % origins.len()];
        let (a_iso, a) = asylums[(i / origins.len()) % asylums.len()];
        let refugees = if i == 0 {
            variant
        } else {
            (i as u64 * 7919) % 100_000
        };
        text.push_str(&format!(
            "{year},{o},{o},{o_iso},{a},{a},{a_iso},{refugees},{},0,0,0,0,0,,0\n",
            i % 977
        ));
    }
    text
}

/// `text`, a population file, with its first row's refugees set to `variant`.
fn with_first_refugees(text: &str, variant: u64) -> String {
    let (header, rest) = text.split_once('\n').unwrap();
    let (first, others) = rest.split_once('\n').unwrap();
    let column = header.split(',').position(|c| c == "refugees").unwrap();
    let mut cells: Vec<String> = first.split(',').map(String::from).collect();
    cells[column] = variant.to_string();
    format!("{header}\n{}\n{others}", cells.join(","))
}

/// Copies a source folder, leaving out the published checksums (the varied file would fail them).
fn copy_sources(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let name = e.file_name();
        if name.to_string_lossy().starts_with("SHA256SUMS") {
            continue;
        }
        if e.path().is_dir() {
            copy_sources(&e.path(), &to.join(&name));
        } else {
            std::fs::copy(e.path(), to.join(&name)).unwrap();
        }
    }
}

/// A small xorshift generator: the kill times need spread, not quality.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

/// Syncs killed at random moments, complete folders and folders of one source alternating, leave
/// each time the previous or the new release active, whole. `PASSAGE_CRASH_SYNCS` sets how many
/// (50 by default), `PASSAGE_CRASH_ROWS` the fixture's size, `PASSAGE_CRASH_SEED` the seed.
#[test]
fn syncs_killed_at_random_moments_leave_the_old_or_the_new_release_whole() {
    let env = |k: &str, default: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let syncs = env("PASSAGE_CRASH_SYNCS", 50);
    let rows = env("PASSAGE_CRASH_ROWS", 20_000) as usize;
    let seed = env(
        "PASSAGE_CRASH_SEED",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
            | 1,
    );
    let folder = std::env::var("PASSAGE_CRASH_FROM").map_or_else(
        |_| format!("{rows} generated rows"),
        |f| format!("a copy of {f}"),
    );
    eprintln!("seed {seed} (PASSAGE_CRASH_SEED), {syncs} syncs of {folder}");
    let mut random = Random(seed);
    let data = tempfile::tempdir().unwrap();
    let full = tempfile::tempdir().unwrap();
    let one = tempfile::tempdir().unwrap();
    // The fixture: a generated population file and the country list, or a copy of a real source
    // folder (`PASSAGE_CRASH_FROM`) whose population file is varied.
    let (population_in_full, base) = match std::env::var_os("PASSAGE_CRASH_FROM") {
        Some(from) => {
            copy_sources(std::path::Path::new(&from), full.path());
            let rel = if full.path().join("unhcr/population.csv").exists() {
                "unhcr/population.csv"
            } else {
                "population.csv"
            };
            let text = std::fs::read_to_string(full.path().join(rel)).unwrap();
            (rel.to_string(), Some(text))
        }
        None => {
            std::fs::copy(
                shared_data().join("unhcr/countries.csv"),
                full.path().join("countries.csv"),
            )
            .unwrap();
            ("population.csv".to_string(), None)
        }
    };
    let variant = |i: u64| match &base {
        Some(text) => with_first_refugees(text, i),
        None => population_fixture(rows, i),
    };
    let _ = std::fs::remove_file(full.path().join(&population_in_full));
    std::fs::write(full.path().join(&population_in_full), variant(0)).unwrap();
    let started = Instant::now();
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(full.path()),
    );
    let one_sync = started.elapsed();
    let mut active = assert_active_whole(data.path());

    let (mut kept_old, mut got_new, mut finished) = (0, 0, 0);
    for i in 1..=syncs {
        // Every third sync is of the population file alone: the country list is carried.
        let (dir, population) = if i % 3 == 0 {
            (one.path(), one.path().join("population.csv"))
        } else {
            (full.path(), full.path().join(&population_in_full))
        };
        let _ = std::fs::remove_file(&population);
        std::fs::write(&population, variant(i)).unwrap();
        let digest = sha256(&population);
        let wait = Duration::from_micros(random.below(one_sync.as_micros() as u64 * 5 / 4));
        let mut child = passage(data.path())
            .args(["sync", "--from"])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = assert_active_whole(data.path());
        let manifest = manifest_of(data.path(), &now);
        let has_this_file = manifest["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["sha256"] == digest.as_str());
        let countries = manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["dataset"] == "countries");
        assert!(countries, "sync {i}: the country list was dropped");
        if now == active {
            assert!(!status.success(), "sync {i} finished but did not activate");
            kept_old += 1;
        } else {
            assert!(
                has_this_file,
                "sync {i}: release {now} is neither the old one ({active}) nor the new one"
            );
            if status.success() {
                finished += 1;
            } else {
                got_new += 1;
            }
        }
        active = now;
    }
    eprintln!(
        "{syncs} syncs (one takes {one_sync:?}): {kept_old} killed before activation, \
         {got_new} killed after it, {finished} finished"
    );
    assert!(kept_old > 0, "no sync was killed before activation");

    // The next sync sweeps what the kills left and succeeds.
    std::fs::write(full.path().join(&population_in_full), variant(syncs + 1)).unwrap();
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(full.path()),
    );
    assert_eq!(
        std::fs::read_dir(data.path().join("staging"))
            .unwrap()
            .count(),
        0
    );
    assert_active_whole(data.path());
}
