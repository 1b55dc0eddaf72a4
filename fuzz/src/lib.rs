//! Passage's fuzz checks: one function per parser, taking the fuzzer's bytes and panicking only when
//! a property fails (a panic inside the parser, a malformed table, a round trip that changes what
//! was read, a disagreement with an independent reading). The fuzz targets call these functions,
//! and a test of the main workspace replays the stored corpus and every crash through [`check`].

pub mod choice;
pub mod claims_text;
pub mod config_toml;
pub mod negotiation_texts;
pub mod query_strings;
pub mod registry_bodies;
pub mod registry_files;
pub mod sources;
pub mod table_shape;

/// A check: returns normally when every property holds for the input.
pub type Check = fn(&[u8]);

/// Every target, by the name of its fuzz target (and of its corpus and artifacts directories).
pub const TARGETS: [(&str, Check); 22] = [
    ("unhcr_csv", sources::unhcr_csv),
    ("unhcr_download", sources::unhcr_download),
    ("unhcr_json", sources::unhcr_json),
    ("countries", sources::countries),
    ("idmc", sources::idmc),
    ("migrant_stock", sources::migrant_stock),
    ("missing_migrants", sources::missing_migrants),
    ("wdi_wpp", sources::wdi_wpp),
    ("world_bank", sources::world_bank),
    ("source_detect", sources::detected),
    ("datapackage", sources::datapackage),
    ("native_query", query_strings::native),
    ("compat_query", query_strings::compat),
    ("registry_json", registry_files::json),
    ("registry_csv", registry_files::csv),
    ("registry_bodies", registry_bodies::bodies),
    ("claims_toml", claims_text::toml_file),
    ("claims_json", claims_text::json_line),
    ("config_toml", config_toml::config),
    ("negotiation_markdown", negotiation_texts::markdown),
    ("negotiation_text", negotiation_texts::plain_text),
    ("akoma_ntoso", negotiation_texts::akoma_ntoso),
];

/// Runs the check of `target` on `data`; `false` for a target that does not exist.
pub fn check(target: &str, data: &[u8]) -> bool {
    match TARGETS.iter().find(|(name, _)| *name == target) {
        Some((_, run)) => {
            run(data);
            true
        }
        None => false,
    }
}
