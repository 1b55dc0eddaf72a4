//! A sync killed mid-import (SIGKILL, no chance to clean up) must leave the previous release active
//! and intact, and the next sync must succeed.

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
