//! The pages' tail: each page type rendered in-process without the page cache, as in the `pages`
//! benchmark, but 1,000 times (100 for the map's PNG), reporting the 50th and 99th percentiles and
//! the slowest, since the pages' target is a p99 and divan reports only the slowest sample.
//! Page types are taken in turn, so that a slow spell of the machine falls on all of them.
//! `cargo bench -p passage-server --bench page_tail` (`PASSAGE_TAIL_SAMPLES=N` to change the count,
//! `PASSAGE_TAIL_ONLY=/countries/SYR` to render only the page types whose path starts so, as for a profile,
//! `PASSAGE_TAIL_DUMP=DIR` to keep each page's body)

use std::time::{Duration, Instant};

use passage_server::render_uncached;

mod fixture;
use fixture::{fixture, PAGES};

// The binary's allocator: the pages are measured as `passage serve` renders them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The value at quantile `q` of sorted `samples` (nearest rank).
fn quantile(samples: &[Duration], q: f64) -> Duration {
    let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len().max(1));
    samples.get(rank - 1).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let f = fixture();
    let count: usize = std::env::var("PASSAGE_TAIL_SAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    let only = std::env::var("PASSAGE_TAIL_ONLY").unwrap_or_default();
    let pages: Vec<(&str, &str)> = PAGES
        .iter()
        .copied()
        .filter(|(path, _)| path.starts_with(only.as_str()))
        .collect();
    // One render of each first, as in the `pages` benchmark; its size is reported, and the body
    // written to `PASSAGE_TAIL_DUMP=DIR` when set, to look at what the bytes are.
    let dump = std::env::var_os("PASSAGE_TAIL_DUMP").map(std::path::PathBuf::from);
    let sizes: Vec<usize> = pages
        .iter()
        .map(|(path, query)| {
            let body = render_uncached(&f.state, path, query)
                .map(|r| r.body)
                .unwrap_or_default();
            if let Some(dir) = &dump {
                let name: String = format!("{path}{query}")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                let _ = std::fs::write(dir.join(name), &body);
            }
            body.len()
        })
        .collect();
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(count); pages.len()];
    for round in 0..count {
        for (i, (path, query)) in pages.iter().enumerate() {
            // The PNG takes some 100 ms: a tenth of the rounds bound its tail well enough.
            if path.ends_with(".png") && round % 10 != 0 {
                continue;
            }
            let started = Instant::now();
            let body = render_uncached(&f.state, path, query).map_or(0, |r| r.body.len());
            let took = started.elapsed();
            std::hint::black_box(body);
            if let Some(s) = samples.get_mut(i) {
                s.push(took);
            }
        }
    }
    println!(
        "{:<58} {:>8} {:>11} {:>11} {:>11} {:>9}",
        "page", "samples", "p50", "p99", "slowest", "KB"
    );
    for (((path, query), mut s), size) in pages.iter().zip(samples).zip(sizes) {
        s.sort();
        let name = if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        };
        println!(
            "{:<58} {:>8} {:>11} {:>11} {:>11} {:>9.1}",
            name,
            s.len(),
            ms(quantile(&s, 0.5)),
            ms(quantile(&s, 0.99)),
            ms(s.last().copied().unwrap_or_default()),
            size as f64 / 1024.0
        );
    }
}
