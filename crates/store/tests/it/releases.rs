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

#[test]
fn a_damaged_table_file_is_reported_not_misread() {
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
        .join("tables/population.arrow");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let err = store.load(&id).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("population.arrow"));
}
