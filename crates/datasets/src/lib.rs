//! Parsers for the official refugee and migration datasets, each in its published formats, into one
//! columnar [`Table`] per [`Dataset`], with a [`SourceReport`] per file: provenance, licence, rows and
//! data-quality [`Findings`]; and a release Passage exported as a data package, read back into the
//! same tables. Malformed input is a [`LoadError`] naming file, line and column.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod csv_cell;
mod csv_input;
mod dataset;
mod error;
mod finding;
pub mod formats;
mod import;
mod package_import;
mod provider;
mod source_format;
mod table;

pub use csv_cell::csv_cell;
pub use csv_input::{parse_int, NotAWholeNumber};
pub use dataset::{Dataset, Schema};
pub use error::{LoadError, Position};
pub use finding::{Finding, Findings};
pub use import::{import_dir, ImportOptions, Imported, Progress, SourceReport};
pub use passage_domain::rfc3339;
pub use provider::Provider;
pub use source_format::{detect, detect_package, SourceFormat};
pub use table::{Dim, Measure, MeasureData, MeasureKind, Table, TableBuilder, Value, NULL_INT};
