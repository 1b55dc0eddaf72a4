//! Adding a release made by another store: the same id and files; refused, with nothing stored,
//! when its manifest names another id than its sources give, names a file outside `tables/`, or
//! a table offered differs from its digest; tables the store holds are linked, not asked for.

use std::io::Cursor;

use passage_store::{IncomingManifest, OfferedTable, Store, StoreError, TableBytes};

use crate::fixtures::{import, source_dir, POPULATION};

/// A store holding one release of the small fixture, and that release's manifest bytes.
fn origin() -> (tempfile::TempDir, Store, Vec<u8>) {
    let data = tempfile::tempdir().unwrap();
    let store = Store::open(data.path()).unwrap();
    let outcome = store
        .sync(&import(source_dir(POPULATION).path()), &|_| {})
        .unwrap();
    let bytes = store.manifest_bytes(&outcome.id).unwrap();
    (data, store, bytes)
}

fn offer_from<'a>(
    store: &'a Store,
    id: &'a passage_domain::ReleaseId,
) -> impl FnMut(&passage_store::TableEntry) -> Result<OfferedTable<'static>, StoreError> + 'a {
    move |entry| {
        let (path, _) = store.table_file(id, &entry.dataset)?;
        Ok(OfferedTable {
            name: entry.file.clone(),
            bytes: TableBytes::File(path),
        })
    }
}

#[test]
fn a_release_added_from_another_store_has_its_id_and_files_and_loads() {
    let (_o, origin, bytes) = origin();
    let incoming = IncomingManifest::parse(bytes.clone(), "manifest.json").unwrap();
    let id = incoming.manifest().id.clone();
    let data = tempfile::tempdir().unwrap();
    let copy = Store::open(data.path()).unwrap();
    let outcome = copy
        .add_release(&incoming, &mut offer_from(&origin, &id))
        .unwrap();
    assert!(outcome.created);
    assert_eq!(outcome.offered.len(), incoming.manifest().tables.len());
    assert_eq!(copy.active_id().unwrap(), Some(id.clone()));
    assert_eq!(copy.manifest_bytes(&id).unwrap(), bytes);
    copy.load(&id).unwrap();
    // Again: nothing asked for.
    let again = copy
        .add_release(&incoming, &mut |_| panic!("nothing is asked for"))
        .unwrap();
    assert!(!again.created);
}

#[test]
fn an_altered_manifest_is_refused_before_any_table_is_read() {
    let (_o, _origin, bytes) = origin();
    let text = String::from_utf8(bytes).unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
    let id = manifest["id"].as_str().unwrap().to_string();

    let renamed = text.replacen(&id, "r000000000000", 1);
    let err = IncomingManifest::parse(renamed.into_bytes(), "m.json").unwrap_err();
    assert!(
        matches!(&err, StoreError::ManifestMismatch { named, derived, .. } if named == "r000000000000" && *derived == id),
        "{err}"
    );

    let escaping = text.replacen("tables/population.arrow", "../../population.arrow", 1);
    let err = IncomingManifest::parse(escaping.into_bytes(), "m.json").unwrap_err();
    assert!(err.to_string().contains("../../population.arrow"), "{err}");

    let err = IncomingManifest::parse(b"{\"id\": 1}".to_vec(), "m.json").unwrap_err();
    assert!(err.to_string().contains("m.json"), "{err}");
}

#[test]
fn a_table_that_differs_from_its_digest_leaves_the_store_unchanged() {
    let (_o, origin, bytes) = origin();
    let incoming = IncomingManifest::parse(bytes, "manifest.json").unwrap();
    let id = incoming.manifest().id.clone();

    let data = tempfile::tempdir().unwrap();
    let copy = Store::open(data.path()).unwrap();
    let before = copy
        .sync(
            &import(source_dir(&POPULATION.replace("40000", "40001")).path()),
            &|_| {},
        )
        .unwrap()
        .id;
    let err = copy
        .add_release(&incoming, &mut |entry| {
            let (path, _) = origin.table_file(&id, &entry.dataset)?;
            let mut data = std::fs::read(path).unwrap();
            if entry.dataset == "population" {
                let middle = data.len() / 2;
                data[middle] ^= 0x01;
            }
            Ok(OfferedTable {
                name: format!("offered/{}", entry.file),
                bytes: TableBytes::Reader(Box::new(Cursor::new(data))),
            })
        })
        .unwrap_err();
    let population = incoming.manifest().table("population").unwrap();
    assert!(
        matches!(&err, StoreError::TableMismatch { file, expected, .. }
            if file == "offered/tables/population.arrow" && *expected == population.sha256),
        "{err}"
    );
    assert_eq!(copy.active_id().unwrap(), Some(before));
    assert!(!copy.has_release(&id));
    assert_eq!(
        std::fs::read_dir(data.path().join("staging"))
            .unwrap()
            .count(),
        0
    );
}

#[test]
fn tables_the_store_holds_by_digest_are_linked_not_asked_for() {
    let (_o, origin, bytes) = origin();
    let incoming = IncomingManifest::parse(bytes, "manifest.json").unwrap();
    let id = incoming.manifest().id.clone();
    let data = tempfile::tempdir().unwrap();
    let copy = Store::open(data.path()).unwrap();
    // The same country list, another population: the countries table is held already.
    copy.sync(
        &import(source_dir(&POPULATION.replace("40000", "40001")).path()),
        &|_| {},
    )
    .unwrap();
    let mut asked = Vec::new();
    let outcome = copy
        .add_release(&incoming, &mut |entry| {
            asked.push(entry.dataset.clone());
            offer_from(&origin, &id)(entry)
        })
        .unwrap();
    assert_eq!(asked, vec!["population".to_string()]);
    assert_eq!(outcome.reused, vec!["countries".to_string()]);
    copy.load(&id).unwrap();
}
