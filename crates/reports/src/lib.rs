//! Passage's reports as PDF. A report is a page of the site (`/reports/…`), so the dashboard and
//! the PDF share one rendering; this crate prints such pages with headless Chromium through the
//! DevTools protocol (the paper and margins, tagging and the outline; the running header and page
//! numbers are the page's own `@page` margin boxes), A4 or US Letter, fonts embedded, charts kept
//! as vectors, and writes each file whole.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod browser;
mod devtools;
mod error;
mod output;
mod paper;

pub use browser::{find_browser, Browser, Use};
pub use error::ReportError;
pub use output::write_whole;
pub use paper::{Paper, PrintJob};
