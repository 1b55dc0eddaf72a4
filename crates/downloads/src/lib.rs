//! Passage's downloads: a release as a Frictionless Data Package (`datapackage.json` with a Table
//! Schema per dataset, licences and sources, and its CSV files) and as one ZIP with a README of
//! the citation and licences; a release bundle (the store's own files in one ZIP, the copy a
//! field office carries); the ZIP, XLSX and Parquet writers the APIs and pages share; and citations of any page or download in plain text, BibTeX and
//! CSL-JSON.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bundle;
mod citation;
mod csv_options;
mod datapackage;
mod parquet_table;
#[cfg(test)]
mod python_reader;
mod release_parquet;
mod xlsx;
mod zip;

pub use bundle::{bundle_release, write_bundle, Bundle, BundleError};
pub use citation::Citation;
pub use csv_options::{hxl_tag, CsvOptions};
pub use datapackage::{package_files, package_title, providers, table_csv, PackageFile};
pub use parquet_table::{
    table_parquet, ParquetColumn, ParquetTable, ParquetTableError, ParquetValues,
};
pub use release_parquet::release_parquet_files;
pub use xlsx::{workbook, Sheet, XlsxCell};
pub use zip::{crc32, zip, zip_deflated, StoredZip, ZipError};
