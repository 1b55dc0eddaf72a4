//! Times the benchmark query mix in-process against a store, for `scripts/bench-compare`:
//! `query_mix DATA_DIR MIX_FILE` prints one JSON object with the time from opening the store to the
//! first answer, resident memory once loaded, the release's size on disk, and p50/p99 per query.

use std::time::Instant;

fn rss_bytes() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (data_dir, mix_file) = (
        args.next().ok_or("usage: query_mix DATA_DIR MIX_FILE")?,
        args.next().ok_or("MIX_FILE")?,
    );
    let mix = passage_store::parse_mix(&std::fs::read_to_string(mix_file)?)?;
    let queries = mix
        .iter()
        .map(|e| e.query())
        .collect::<Result<Vec<_>, _>>()?;

    let start = Instant::now();
    let store = passage_store::Store::open(std::path::Path::new(&data_dir))?;
    let release = store.load_active()?;
    let first = passage_store::run(&release, &queries[0])?;
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    let rss = rss_bytes();
    let disk = release.manifest.table_bytes();

    let mut results = Vec::new();
    for (entry, q) in mix.iter().zip(&queries) {
        let mut times = Vec::new();
        let begin = Instant::now();
        let mut answer = passage_store::run(&release, q)?;
        while times.len() < 200 || (begin.elapsed().as_secs_f64() < 0.5 && times.len() < 100_000) {
            let t = Instant::now();
            answer = passage_store::run(&release, q)?;
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        times.sort_by(f64::total_cmp);
        let total: Vec<serde_json::Value> = answer
            .total
            .iter()
            .map(|v| serde_json::json!(v.to_string()))
            .collect();
        results.push(serde_json::json!({
            "name": entry.name, "p50_us": percentile(&times, 0.5), "p99_us": percentile(&times, 0.99),
            "runs": times.len(), "rows": answer.len(), "total": total,
        }));
    }
    let out = serde_json::json!({
        "open_to_first_answer_ms": open_ms, "first_answer_rows": first.len(),
        "rss_bytes": rss, "release_bytes_on_disk": disk, "queries": results,
    });
    println!("{out}");
    Ok(())
}
