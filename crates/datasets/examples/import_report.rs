//! Imports a directory and prints each source's rows and findings: `cargo run --release --example import_report -- DIR`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: import_report DIR")?;
    let t = std::time::Instant::now();
    let imported =
        passage_datasets::import_dir(std::path::Path::new(&dir), &Default::default(), &|_| {})?;
    eprintln!("imported in {:?}", t.elapsed());
    for s in &imported.sources {
        println!("{} {} rows={}", s.file, s.format, s.rows);
        for f in s.findings.iter() {
            println!("    {} x{} {:?}", f.code, f.count, f.example_lines);
        }
    }
    for t in &imported.tables {
        println!("table {} rows={}", t.name, t.len);
    }
    println!("skipped: {:?}", imported.skipped);
    Ok(())
}
