//! Releases on disk: content addressing, atomic activation, failed imports, rollback and diff.

use passage_datasets::Value;
use passage_store::{run, Query, Store, StoreError};

use crate::fixtures::{import, source_dir, POPULATION};

fn refugees_2024(store: &Store) -> Value {
    let release = store.load_active().unwrap();
    let q = Query {
        dataset: "population".into(),
        measures: vec!["refugees".into()],
        ..Default::default()
    };
    let a = run(
        &release,
        &Query {
            years: passage_store::YearFilter::List(vec![2024.try_into_year()]),
            ..q
        },
    )
    .unwrap();
    a.total[0]
}

trait IntoYear {
    fn try_into_year(self) -> passage_domain::Year;
}

impl IntoYear for i32 {
    fn try_into_year(self) -> passage_domain::Year {
        passage_domain::Year::new(self).unwrap()
    }
}

#[test]
fn same_sources_give_the_same_release() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let src = source_dir(POPULATION);
    let first = store.sync(&import(src.path()), &|_| {}).unwrap();
    assert!(first.created && first.previous.is_none());
    // The same files in another directory are the same release.
    let copy = source_dir(POPULATION);
    let second = store.sync(&import(copy.path()), &|_| {}).unwrap();
    assert_eq!(second.id, first.id);
    assert!(!second.created);
    assert_eq!(store.releases().unwrap().len(), 1);
    assert_eq!(store.active_id().unwrap(), Some(first.id.clone()));
    let manifest = store.manifest(&first.id).unwrap();
    assert_eq!(manifest.sources.len(), 2);
    assert_eq!(manifest.table("population").unwrap().rows, 4);
    assert_eq!(
        refugees_2024(&store),
        Value::Int(2_940_735 + 40_000 + 10_000)
    );
}

#[test]
fn a_bad_file_leaves_the_active_release_untouched() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let good = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    let before: Vec<_> = walk(data.path());
    let broken = source_dir(&POPULATION.replace("40000", "40 000x"));
    let err =
        passage_datasets::import_dir(broken.path(), &Default::default(), &|_| {}).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("population.csv:4:8 (column `refugees`)"),
        "{err}"
    );
    assert_eq!(store.active_id().unwrap(), Some(good.id));
    assert_eq!(walk(data.path()), before, "nothing in the store changed");
    assert_eq!(refugees_2024(&store), Value::Int(2_990_735));
}

fn walk(dir: &std::path::Path) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if !p.ends_with("lock") {
            out.push((
                p.display().to_string(),
                std::fs::metadata(&p).unwrap().len(),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn a_revised_release_is_diffed_and_can_be_rolled_back() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let old = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap()
        .id;
    // UNHCR revises 2023 Syria → Türkiye, withdraws Afghanistan → Australia and adds a new row.
    let revised = POPULATION
        .replace(
            "2023,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,3200000",
            "2023,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,3210000",
        )
        .replace(
            "2024,Afghanistan,AFG,AFG,Australia,AUL,AUS,10000,2000,0,0,0,0,0,5,0\n",
            "",
        )
        + "2024,Syrian Arab Rep.,SYR,SYR,Austria,AUS,AUT,70000,9000,0,0,0,0,0,,0\n";
    let new = store
        .sync(&import(source_dir(&revised).path()), &|_| {})
        .unwrap();
    assert!(new.created);
    assert_eq!(new.previous.as_ref(), Some(&old));
    let d = passage_store::diff(&store.load(&old).unwrap(), &store.load(&new.id).unwrap());
    let pop = d
        .datasets
        .iter()
        .find(|x| x.dataset == "population")
        .unwrap();
    let y2023 = pop.years.iter().find(|y| y.year == Some(2023)).unwrap();
    let y2024 = pop.years.iter().find(|y| y.year == Some(2024)).unwrap();
    assert_eq!((y2023.added, y2023.removed, y2023.changed), (0, 0, 1));
    assert_eq!((y2024.added, y2024.removed, y2024.changed), (1, 1, 0));
    assert_eq!(pop.changed_cells.get("refugees"), Some(&1));
    // The rows themselves, the largest change first: the new Austrian row (70,000), then the
    // withdrawn Australian row and the revised Turkish figure (10,000 each; a removal first).
    let changes: Vec<&str> = pop.rows.iter().map(|r| r.change).collect();
    assert_eq!(changes, ["added", "removed", "changed"]);
    let revised = &pop.rows[2];
    assert_eq!(revised.year, Some(2023));
    assert!(
        revised.key.contains(&("coa_iso".into(), "TUR".into())),
        "{:?}",
        revised.key
    );
    assert_eq!(revised.cells.len(), 1);
    assert_eq!(revised.cells[0].column, "refugees");
    assert_eq!(revised.cells[0].old.as_deref(), Some("3200000"));
    assert_eq!(revised.cells[0].new.as_deref(), Some("3210000"));
    let added = &pop.rows[0];
    let cell = |r: &passage_store::RowChange, c: &str| {
        r.cells.iter().find(|x| x.column == c).cloned().unwrap()
    };
    assert_eq!(cell(added, "refugees").old, None);
    assert_eq!(cell(added, "refugees").new.as_deref(), Some("70000"));
    // Not available is left empty, never 0.
    assert_eq!(cell(added, "oip").new, None);
    assert_eq!(cell(added, "stateless").new.as_deref(), Some("0"));
    let removed = &pop.rows[1];
    assert_eq!(cell(removed, "refugees").old.as_deref(), Some("10000"));
    assert_eq!(cell(removed, "refugees").new, None);
    assert!(
        d.datasets.iter().all(|x| x.dataset != "countries"),
        "unchanged datasets are not listed"
    );

    assert_eq!(store.resolve(&old.as_str()[..5]).unwrap(), old);
    store.activate(&old).unwrap();
    assert_eq!(store.active_id().unwrap(), Some(old));
    assert!(matches!(
        store.resolve("r"),
        Err(StoreError::AmbiguousRelease(_))
    ));
    assert!(matches!(
        store.resolve("rzzz"),
        Err(StoreError::UnknownRelease(_))
    ));
}

#[test]
fn leftovers_of_an_interrupted_import_are_swept() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let leftover = data.path().join("staging/r0123456789ab-999/tables");
    std::fs::create_dir_all(&leftover).unwrap();
    std::fs::write(leftover.join("population.arrow"), b"half a file").unwrap();
    assert!(matches!(
        store.load_active(),
        Err(StoreError::NoActiveRelease)
    ));
    store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    assert_eq!(
        std::fs::read_dir(data.path().join("staging"))
            .unwrap()
            .count(),
        0
    );
    assert_eq!(store.releases().unwrap().len(), 1);
}

/// A store holding the fixture's release, and the path of a file of it (`tables/population.arrow`).
fn synced(
    file_in_release: &str,
) -> (
    tempfile::TempDir,
    Store,
    passage_domain::ReleaseId,
    std::path::PathBuf,
) {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let id = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap()
        .id;
    let file = data
        .path()
        .join("releases")
        .join(id.as_str())
        .join(file_in_release);
    (data, store, id, file)
}

#[test]
fn a_damaged_table_file_is_reported_not_misread() {
    let (_data, store, id, file) = synced("tables/population.arrow");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let err = store.load(&id).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("population.arrow"));
}

/// A table file edited in place so that it still parses, with one figure changed, is refused by
/// its digest rather than served.
#[test]
fn a_table_file_edited_in_place_is_refused_by_its_digest() {
    let (_data, store, id, file) = synced("tables/population.arrow");
    let mut bytes = std::fs::read(&file).unwrap();
    let figure = 2_940_735i64.to_le_bytes();
    let at = bytes
        .windows(8)
        .position(|w| w == figure)
        .expect("the figure is stored as a little-endian i64");
    bytes[at..at + 8].copy_from_slice(&2_940_736i64.to_le_bytes());
    std::fs::write(&file, &bytes).unwrap();
    // The edited file is still a valid table with the edited figure in it.
    assert!(passage_store::read_table(&file).is_ok());
    let err = store.load(&id).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("population.arrow") && message.contains("sha256"),
        "{message}"
    );
}

/// A sum over every row of each dataset of a release, grouped by year where it has years: equal
/// sums on two releases are the answers a user sees.
fn answers(release: &passage_store::Release) -> Vec<(String, String)> {
    release
        .tables()
        .map(|t| {
            let q = Query {
                dataset: t.dataset.name().into(),
                by: if t.table.years.is_some() {
                    vec!["year".into()]
                } else {
                    Vec::new()
                },
                ..Default::default()
            };
            let a = run(release, &q).unwrap();
            let rows: Vec<String> = (0..a.len()).map(|i| a.row_csv(i)).collect();
            (t.dataset.name().to_string(), rows.join("\n"))
        })
        .collect()
}

#[test]
fn a_partial_sync_carries_the_other_datasets_forward_with_their_provenance() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let first = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    let before = store.manifest(&first.id).unwrap();

    // A folder holding only an updated population file.
    let partial = tempfile::tempdir().unwrap();
    let revised = POPULATION.replace("40000", "40001");
    std::fs::write(partial.path().join("population.csv"), &revised).unwrap();
    let second = store.sync(&import(partial.path()), &|_| {}).unwrap();
    assert!(second.created);
    assert_eq!(second.carried, vec!["countries".to_string()]);
    assert_eq!(store.active_id().unwrap(), Some(second.id.clone()));

    let after = store.manifest(&second.id).unwrap();
    let carried: Vec<_> = after.carried().collect();
    assert_eq!(carried.len(), 1);
    let old_countries = before.table("countries").unwrap();
    assert_eq!(carried[0].dataset, "countries");
    assert_eq!(carried[0].sha256, old_countries.sha256);
    assert_eq!(carried[0].carried_from.as_ref(), Some(&first.id));
    let source = after
        .sources
        .iter()
        .find(|s| s.file == "countries.csv")
        .unwrap();
    assert!(after.is_carried(source));
    assert_eq!(
        Some(source),
        before.sources.iter().find(|s| s.file == "countries.csv"),
        "a carried source keeps its provenance"
    );
    assert_eq!(
        refugees_2024(&store),
        Value::Int(2_940_735 + 40_001 + 10_000)
    );
    let old = store.load(&first.id).unwrap();
    let new = store.load(&second.id).unwrap();
    assert_eq!(
        old.table(passage_datasets::Dataset::Countries)
            .map(|t| t.table.len),
        new.table(passage_datasets::Dataset::Countries)
            .map(|t| t.table.len)
    );
    assert_eq!(new.countries().len(), old.countries().len());

    // Content addressed: a complete import of the same files is the same release.
    let full = tempfile::tempdir().unwrap();
    let fresh = Store::open(full.path()).unwrap();
    let complete = fresh
        .sync(&import(source_dir(&revised).path()), &|_| {})
        .unwrap();
    assert_eq!(complete.id, second.id);
    assert_eq!(
        answers(&fresh.load(&complete.id).unwrap()),
        answers(&new),
        "carrying gives what a complete import gives"
    );

    // The manifest is still read by a Passage that knows nothing of carrying: the new field is
    // absent from manifests that carry nothing.
    let text = std::fs::read_to_string(
        data.path()
            .join("releases")
            .join(first.id.as_str())
            .join("manifest.json"),
    )
    .unwrap();
    assert!(!text.contains("carried_from"), "{text}");
}

#[test]
fn only_these_makes_a_release_of_the_imported_sources_alone() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    let partial = tempfile::tempdir().unwrap();
    std::fs::write(partial.path().join("population.csv"), POPULATION).unwrap();
    let only = store
        .sync_with(
            &import(partial.path()),
            passage_store::Carry::Nothing,
            &|_| {},
        )
        .unwrap();
    assert!(only.carried.is_empty());
    let manifest = store.manifest(&only.id).unwrap();
    assert!(manifest.table("countries").is_none());
    assert_eq!(manifest.sources.len(), 1);
}

#[test]
fn a_damaged_table_is_never_carried_forward() {
    let (data, store, first_id, file) = synced("tables/countries.arrow");
    let mut bytes = std::fs::read(&file).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&file, &bytes).unwrap();

    let partial = tempfile::tempdir().unwrap();
    std::fs::write(
        partial.path().join("population.csv"),
        POPULATION.replace("40000", "40001"),
    )
    .unwrap();
    let err = store.sync(&import(partial.path()), &|_| {}).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("countries.arrow"), "{err}");
    assert_eq!(store.active_id().unwrap(), Some(first_id));
    assert_eq!(store.releases().unwrap().len(), 1);
    assert_eq!(
        std::fs::read_dir(data.path().join("staging"))
            .unwrap()
            .count(),
        0,
        "the failed sync removed its staging folder"
    );
}

#[test]
fn a_partial_sync_of_real_data_keeps_every_dataset_with_identical_answers() {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let full = store
        .sync(&import(&crate::fixtures::shared_data()), &|_| {})
        .unwrap();
    let old = store.load(&full.id).unwrap();
    let old_manifest = store.manifest(&full.id).unwrap();

    // One updated UNHCR file: a refugee more in the first data row.
    let text = std::fs::read_to_string(crate::fixtures::shared_data().join("unhcr/population.csv"))
        .unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let (first_row, others) = rest.split_once('\n').unwrap();
    let mut cells: Vec<String> = first_row.split(',').map(String::from).collect();
    let refugees = header.split(',').position(|c| c == "refugees").unwrap();
    let n: i64 = cells[refugees].parse().unwrap_or(0);
    cells[refugees] = (n + 1).to_string();
    let partial = tempfile::tempdir().unwrap();
    std::fs::write(
        partial.path().join("population.csv"),
        format!("{header}\n{}\n{others}", cells.join(",")),
    )
    .unwrap();
    let outcome = store.sync(&import(partial.path()), &|_| {}).unwrap();
    assert!(outcome.created);
    let new = store.load(&outcome.id).unwrap();
    let manifest = store.manifest(&outcome.id).unwrap();

    let names = |m: &passage_store::Manifest| -> Vec<String> {
        m.tables.iter().map(|t| t.dataset.clone()).collect()
    };
    assert_eq!(names(&manifest), names(&old_manifest), "no dataset dropped");
    assert_eq!(manifest.sources.len(), old_manifest.sources.len());
    for t in &manifest.tables {
        let was = old_manifest.table(&t.dataset).unwrap();
        if t.dataset == "population" {
            assert!(t.carried_from.is_none());
            assert_ne!(t.sha256, was.sha256);
        } else {
            assert_eq!(t.carried_from.as_ref(), Some(&full.id), "{}", t.dataset);
            assert_eq!(t.sha256, was.sha256, "{}", t.dataset);
        }
    }
    let (old_answers, new_answers) = (answers(&old), answers(&new));
    assert_eq!(old_answers.len(), new_answers.len());
    for (a, b) in old_answers.iter().zip(&new_answers) {
        if a.0 != "population" {
            assert_eq!(a, b, "answers of {}", a.0);
        }
    }
}

/// A size-limited file system (tmpfs), mounted for one test and unmounted when dropped. Needs
/// root; `None`, with the reason printed, where mounting is not permitted.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
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

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[test]
fn a_full_disk_is_reported_as_such_and_leaves_the_previous_release_whole() {
    let Some(disk) = SmallDisk::mount(4) else {
        return;
    };
    let store = Store::open(disk.path()).unwrap();
    let small = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    let before = walk(disk.path());

    let err = store
        .sync(&import(&crate::fixtures::shared_data()), &|_| {})
        .unwrap_err();
    assert!(matches!(err, StoreError::NoSpace { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.ends_with(": no space left on device"), "{message}");
    assert!(
        message.starts_with(&disk.path().join("staging").display().to_string()),
        "the error names the file being written: {message}"
    );
    assert_eq!(store.active_id().unwrap(), Some(small.id.clone()));
    assert_eq!(
        walk(disk.path()),
        before,
        "staging cleaned, nothing else changed"
    );
    assert_eq!(refugees_2024(&store), Value::Int(2_990_735));
    // The space is free again: the next (small) sync succeeds.
    let revised = store
        .sync(
            &import(source_dir(&POPULATION.replace("40000", "40001")).path()),
            &|_| {},
        )
        .unwrap();
    assert!(revised.created);
    drop(store);
}

#[test]
fn tables_of_another_format_version_are_not_carried() {
    let (_data, store, first_id, path) = synced("manifest.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let older = text.replace(
        &format!("\"format_version\": {}", passage_store::FORMAT_VERSION),
        "\"format_version\": 1",
    );
    assert_ne!(older, text);
    std::fs::write(&path, older).unwrap();

    let partial = tempfile::tempdir().unwrap();
    std::fs::write(
        partial.path().join("population.csv"),
        POPULATION.replace("40000", "40001"),
    )
    .unwrap();
    let err = store.sync(&import(partial.path()), &|_| {}).unwrap_err();
    assert!(
        matches!(err, StoreError::CannotCarry { ref dataset, .. } if dataset == "countries"),
        "{err}"
    );
    assert!(err.is_user_error());
    assert!(err.to_string().contains("--only-these"), "{err}");
    assert_eq!(store.active_id().unwrap(), Some(first_id));
    // Said explicitly, a release of the given sources alone is made.
    store
        .sync_with(
            &import(partial.path()),
            passage_store::Carry::Nothing,
            &|_| {},
        )
        .unwrap();
}

/// UNHCR's download format (ISO codes only), whose UNHCR codes come from the country list.
const DOWNLOAD: &str = "UNHCR Refugee Population Statistics Database\nSource: UNHCR\nLicence: CC BY 4.0\n\n\
Year,Country of origin,Country of origin (ISO),Country of asylum,Country of asylum (ISO),Refugees under UNHCR's mandate,Asylum-seekers,Other people in need of international protection\n\
2024,Afghanistan,AFG,Austria,AUT,40000,5000,-\n";

#[test]
fn a_carried_country_list_fills_the_codes_of_a_download_as_a_complete_import_does() {
    let complete = tempfile::tempdir().unwrap();
    std::fs::write(complete.path().join("population.csv"), DOWNLOAD).unwrap();
    std::fs::write(
        complete.path().join("countries.csv"),
        crate::fixtures::COUNTRIES,
    )
    .unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let reference = Store::open(fresh.path()).unwrap();
    let whole = reference.sync(&import(complete.path()), &|_| {}).unwrap();

    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let first = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    let partial = tempfile::tempdir().unwrap();
    std::fs::write(partial.path().join("population.csv"), DOWNLOAD).unwrap();
    let options = passage_datasets::ImportOptions {
        countries: store.countries(&first.id).unwrap(),
        ..Default::default()
    };
    let imported = passage_datasets::import_dir(partial.path(), &options, &|_| {}).unwrap();
    let carried = store.sync(&imported, &|_| {}).unwrap();
    assert_eq!(carried.id, whole.id);
    let coa = |r: &passage_store::Release| {
        let t = r.table(passage_datasets::Dataset::Population).unwrap();
        t.table.dim("coa").unwrap().value(0).to_string()
    };
    assert_eq!(coa(&store.load(&carried.id).unwrap()), "AUS");
    assert_eq!(
        store
            .manifest(&carried.id)
            .unwrap()
            .table("population")
            .unwrap()
            .sha256,
        reference
            .manifest(&whole.id)
            .unwrap()
            .table("population")
            .unwrap()
            .sha256,
        "the same table as a complete import's"
    );
}
