//! One parser per published format. Each produces tables in the schema of its [`crate::Dataset`].

pub mod compact_text;
pub mod countries;
pub mod datapackage;
pub mod idmc;
pub mod migrant_stock;
pub mod missing_migrants;
pub mod recorded_votes;
pub mod unhcr_csv;
pub mod unhcr_download;
pub mod unhcr_json;
pub mod unhcr_row;
pub mod wdi_wpp;
pub mod world_bank;
