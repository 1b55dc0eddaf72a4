//! Checks of the configuration file's parsing, on the command's own code (the CLI is a binary
//! crate, so its config module is compiled in here): any text is applied or refused, never a panic,
//! and an accepted file gives a configuration that validation judges without panicking either.

#[allow(dead_code)]
#[path = "../../crates/cli/src/config.rs"]
mod cli_config;

use std::collections::BTreeMap;
use std::path::PathBuf;

use cli_config::Config;

pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut config = Config {
        data_dir: PathBuf::from("data"),
        threads: 0,
        source_versions: BTreeMap::new(),
        claims_token: None,
        registry_url: None,
        registry_read_url: None,
        page_cache_mib: None,
        site_url: None,
    };
    if config.apply_toml(text).is_ok() && config.validate().is_ok() {
        assert!(
            !config.data_dir.as_os_str().is_empty(),
            "an empty data_dir was accepted"
        );
        if let Some(site) = &config.site_url {
            assert!(
                site.as_str().starts_with("http") && !site.as_str().ends_with('/'),
                "a site address that is not one: {site}"
            );
        }
        if let Some(url) = &config.registry_read_url {
            assert!(
                url.starts_with("postgres"),
                "a replica that is not PostgreSQL: {url}"
            );
        }
        if let Some(url) = &config.registry_url {
            assert!(
                url.starts_with("sqlite:") || url.starts_with("postgres"),
                "{url}"
            );
        }
    }
}
