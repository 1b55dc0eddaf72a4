//! Rendering each page type in-process, without the page cache, on the real data of
//! `../shared/data`: the cost of a page on its first request for a release (after one warm-up
//! render of each, for the process's lazily built tables). Divan's slowest sample bounds the p99;
//! the `page_tail` benchmark reports the p99 itself.
//! `cargo bench -p passage-server --bench pages`

use passage_server::render_uncached;

mod fixture;
use fixture::{fixture, PAGES};

// The binary's allocator: the pages are measured as `passage serve` renders them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[divan::bench(args = PAGES, sample_count = 100, sample_size = 1)]
fn page(args: (&str, &str)) -> usize {
    let f = fixture();
    render_uncached(&f.state, args.0, args.1).map_or(0, |r| r.body.len())
}

fn main() {
    let f = fixture();
    // One render of each page first: the samples then measure a page missing from the page
    // cache, not the process's first touch of lazily built tables (base map, fonts, catalogue).
    for (path, query) in PAGES {
        let _ = render_uncached(&f.state, path, query);
    }
    divan::main();
}
