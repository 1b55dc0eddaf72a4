//! Times reading and indexing each table of the active release: `load_profile DATA_DIR`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .ok_or("usage: load_profile DATA_DIR")?;
    let store = passage_store::Store::open(std::path::Path::new(&dir))?;
    let id = store.active_id()?.ok_or("no active release")?;
    let manifest = store.manifest(&id)?;
    for t in &manifest.tables {
        let path = store
            .root()
            .join("releases")
            .join(id.as_str())
            .join(&t.file);
        let start = std::time::Instant::now();
        let table = passage_store::read_table(&path)?;
        let read = start.elapsed();
        let d = passage_datasets::Dataset::from_name(&table.name).ok_or("dataset")?;
        let _ = passage_store::IndexedTable::new(d, table);
        println!(
            "{:<28} {:>9} bytes  read {:>8.1?}  index {:>8.1?}",
            t.dataset,
            t.bytes,
            read,
            start.elapsed() - read
        );
    }
    Ok(())
}
