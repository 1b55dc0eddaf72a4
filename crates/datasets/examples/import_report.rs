//! Imports a directory and prints each source's rows and findings, and the time taken with one and
//! with all cores: `cargo run --release -p passage-datasets --example import_report -- DIR`.

use passage_datasets::{import_dir, ImportOptions};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: import_report DIR")?;
    let dir = std::path::Path::new(&dir);
    for threads in [1, 0] {
        let t = std::time::Instant::now();
        import_dir(
            dir,
            &ImportOptions {
                threads,
                ..Default::default()
            },
            &|_| {},
        )?;
        eprintln!(
            "import with threads={threads} (0 = all cores): {:?}",
            t.elapsed()
        );
    }
    let imported = import_dir(dir, &ImportOptions::default(), &|_| {})?;
    for s in &imported.sources {
        println!("{} {} rows={}", s.file, s.format, s.rows);
        for f in s.findings.iter() {
            println!("    {} x{} {:?}", f.code, f.count, f.example_lines);
        }
    }
    println!("skipped: {:?}", imported.skipped);
    Ok(())
}
