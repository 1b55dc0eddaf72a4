//! Passage's configuration: typed, layered (defaults, then a TOML file, then `PASSAGE_*` environment
//! variables, then command-line flags), validated once at start and passed down.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use passage_pages::SiteUrl;
use serde::Deserialize;

/// The settings every command runs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub data_dir: PathBuf,
    /// Import worker threads; 0 means one per core.
    pub threads: usize,
    /// Provider versions recorded with imported sources (`unhcr = "2025.12.1"`).
    pub source_versions: BTreeMap<String, String>,
    /// The bearer token that lets `passage serve` register claims over HTTP; none disables it.
    pub claims_token: Option<String>,
    /// Where the pledge registry lives: `sqlite:PATH` or `postgres://…`; none means
    /// `registry.db` in the data directory.
    pub registry_url: Option<String>,
    /// A PostgreSQL streaming replica for the registry's reads (`serve`); none reads from
    /// `registry_url`.
    pub registry_read_url: Option<String>,
    /// MiB of rendered compatible-API pages `serve` keeps for clients paging through; none means
    /// the server's default, 0 keeps none.
    pub page_cache_mib: Option<usize>,
    /// Where this Passage is published (`https://passage.example.org`): reports read away from
    /// it, as one HTML file or a PDF, link to its pages there; none takes those links out.
    pub site_url: Option<SiteUrl>,
}

/// The file layer: every field optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLayer {
    data_dir: Option<PathBuf>,
    site_url: Option<String>,
    #[serde(default)]
    sync: SyncLayer,
    #[serde(default)]
    serve: ServeLayer,
    #[serde(default)]
    registry: RegistryLayer,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryLayer {
    url: Option<String>,
    read_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServeLayer {
    claims_token: Option<String>,
    page_cache_mib: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SyncLayer {
    threads: Option<usize>,
    #[serde(default)]
    source_versions: BTreeMap<String, String>,
}

/// Flags given on the command line (the last layer).
#[derive(Debug, Default, Clone)]
pub struct FlagLayer {
    pub config: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub source_versions: Vec<String>,
}

fn default_data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join("passage")
}

fn default_config_file() -> Option<PathBuf> {
    dirs::config_dir()
        .map(|d| d.join("passage").join("passage.toml"))
        .filter(|p| p.exists())
}

impl Config {
    /// The registry's URL, defaulting to `registry.db` in the data directory.
    pub fn registry_url(&self) -> String {
        self.registry_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("registry.db").display()))
    }

    /// Builds the configuration from all layers, reading the environment through `env`.
    pub fn load(flags: &FlagLayer, env: impl Fn(&str) -> Option<String>) -> Result<Config> {
        let mut config = Config {
            data_dir: default_data_dir(),
            threads: 0,
            source_versions: BTreeMap::new(),
            claims_token: None,
            registry_url: None,
            registry_read_url: None,
            page_cache_mib: None,
            site_url: None,
        };
        let file = flags
            .config
            .clone()
            .or_else(|| env("PASSAGE_CONFIG").map(PathBuf::from))
            .or_else(default_config_file);
        if let Some(path) = file {
            config.apply_file(&path)?;
        }
        if let Some(dir) = env("PASSAGE_DATA_DIR").filter(|s| !s.is_empty()) {
            config.data_dir = PathBuf::from(dir);
        }
        if let Some(t) = env("PASSAGE_THREADS").filter(|s| !s.is_empty()) {
            config.threads = t.parse().with_context(|| {
                format!("PASSAGE_THREADS: expected a whole number, found `{t}`")
            })?;
        }
        if let Some(token) = env("PASSAGE_CLAIMS_TOKEN").filter(|s| !s.is_empty()) {
            config.claims_token = Some(token);
        }
        if let Some(url) = env("PASSAGE_REGISTRY_URL").filter(|s| !s.is_empty()) {
            config.registry_url = Some(url);
        }
        if let Some(url) = env("PASSAGE_REGISTRY_READ_URL").filter(|s| !s.is_empty()) {
            config.registry_read_url = Some(url);
        }
        if let Some(url) = env("PASSAGE_SITE_URL").filter(|s| !s.is_empty()) {
            config.site_url = Some(SiteUrl::parse(&url).context("PASSAGE_SITE_URL")?);
        }
        if let Some(dir) = &flags.data_dir {
            config.data_dir = dir.clone();
        }
        for pair in &flags.source_versions {
            let Some((provider, version)) = pair.split_once('=') else {
                bail!("--source-version: expected PROVIDER=VERSION such as unhcr=2025.12.1, found `{pair}`");
            };
            config.source_versions.insert(
                provider.trim().to_ascii_lowercase(),
                version.trim().to_string(),
            );
        }
        config.validate()?;
        Ok(config)
    }

    fn apply_file(&mut self, path: &Path) -> Result<()> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        self.apply_toml(&text)
            .with_context(|| format!("config file {}", path.display()))
    }

    /// Applies the settings of a config file's text (the file layer).
    pub fn apply_toml(&mut self, text: &str) -> Result<()> {
        let layer: FileLayer = toml::from_str(text)?;
        if let Some(dir) = layer.data_dir {
            self.data_dir = dir;
        }
        if let Some(url) = layer.site_url {
            self.site_url = Some(SiteUrl::parse(&url).context("site_url")?);
        }
        if let Some(t) = layer.sync.threads {
            self.threads = t;
        }
        self.source_versions.extend(layer.sync.source_versions);
        if let Some(url) = layer.registry.url {
            self.registry_url = Some(url);
        }
        if let Some(url) = layer.registry.read_url {
            self.registry_read_url = Some(url);
        }
        if let Some(token) = layer.serve.claims_token {
            self.claims_token = Some(token);
        }
        if let Some(mib) = layer.serve.page_cache_mib {
            self.page_cache_mib = Some(mib);
        }
        Ok(())
    }

    /// Refuses settings that cannot work, naming the setting.
    pub fn validate(&self) -> Result<()> {
        if self.data_dir.as_os_str().is_empty() {
            bail!("data_dir: must not be empty");
        }
        if let Some(url) = &self.registry_url {
            let known = url.starts_with("sqlite:")
                || url.starts_with("postgres://")
                || url.starts_with("postgresql://");
            if !known {
                bail!("registry url `{url}`: use sqlite:PATH or postgres://USER@HOST/DB");
            }
        }
        if let Some(url) = &self.registry_read_url {
            let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
            let primary_postgres = self
                .registry_url
                .as_ref()
                .is_some_and(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"));
            if !postgres || !primary_postgres {
                bail!("registry read_url `{url}`: a postgres:// replica of a postgres:// registry url");
            }
        }
        if self.page_cache_mib.is_some_and(|m| m > 4096) {
            bail!("page_cache_mib: at most 4096 (MiB); the default suits serving one release");
        }
        if self.claims_token.as_ref().is_some_and(|t| t.len() < 16) {
            bail!("claims_token: use at least 16 characters, such as the output of `openssl rand -hex 16`");
        }
        let known = passage_datasets::Provider::VERSION_KEYS;
        for provider in self.source_versions.keys() {
            if !known.contains(&provider.as_str()) {
                bail!(
                    "source version for unknown provider `{provider}`: expected one of {}",
                    known.join(", ")
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "data_dir = \"/from/file\"\n[sync]\nthreads = 3\nsource_versions = { unhcr = \"2025.12.1\" }\n").unwrap();
        let flags = FlagLayer {
            config: Some(file.clone()),
            ..Default::default()
        };
        let c = Config::load(&flags, |_| None).unwrap();
        assert_eq!((c.data_dir.to_str().unwrap(), c.threads), ("/from/file", 3));
        assert_eq!(c.source_versions["unhcr"], "2025.12.1");
        let env = |k: &str| (k == "PASSAGE_DATA_DIR").then(|| "/from/env".to_string());
        assert_eq!(
            Config::load(&flags, env).unwrap().data_dir,
            PathBuf::from("/from/env")
        );
        let flags = FlagLayer {
            data_dir: Some("/from/flag".into()),
            ..flags
        };
        assert_eq!(
            Config::load(&flags, env).unwrap().data_dir,
            PathBuf::from("/from/flag")
        );
    }

    #[test]
    fn the_example_config_is_valid() {
        let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../passage.example.toml");
        let flags = FlagLayer {
            config: Some(example),
            ..Default::default()
        };
        let c = Config::load(&flags, |_| None).unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/var/lib/passage"));
        assert_eq!(
            (c.threads, c.source_versions["unhcr"].as_str()),
            (0, "2025.12.1")
        );
    }

    #[test]
    fn the_page_cache_size_is_read_from_serve_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        let flags = FlagLayer {
            config: Some(file.clone()),
            ..Default::default()
        };
        std::fs::write(&file, "[serve]\npage_cache_mib = 0\n").unwrap();
        assert_eq!(
            Config::load(&flags, |_| None).unwrap().page_cache_mib,
            Some(0)
        );
        std::fs::write(&file, "[serve]\npage_cache_mib = 100000\n").unwrap();
        let err = Config::load(&flags, |_| None).unwrap_err().to_string();
        assert!(err.contains("page_cache_mib"), "{err}");
    }

    #[test]
    fn the_site_address_comes_from_the_file_or_the_environment_and_is_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        let flags = FlagLayer {
            config: Some(file.clone()),
            ..Default::default()
        };
        std::fs::write(&file, "site_url = \"https://passage.example.org/\"\n").unwrap();
        let site = |c: Config| c.site_url.map(|s| s.to_string());
        assert_eq!(
            site(Config::load(&flags, |_| None).unwrap()).as_deref(),
            Some("https://passage.example.org")
        );
        let env = |k: &str| (k == "PASSAGE_SITE_URL").then(|| "http://10.0.0.5/p".to_string());
        assert_eq!(
            site(Config::load(&flags, env).unwrap()).as_deref(),
            Some("http://10.0.0.5/p")
        );
        std::fs::write(&file, "site_url = \"passage.example.org\"\n").unwrap();
        let err = format!("{:#}", Config::load(&flags, |_| None).unwrap_err());
        assert!(
            err.contains("site_url") && err.contains("https://"),
            "{err}"
        );
        let env = |k: &str| (k == "PASSAGE_SITE_URL").then(|| "https://a b".to_string());
        let err = format!(
            "{:#}",
            Config::load(&FlagLayer::default(), env).unwrap_err()
        );
        assert!(
            err.contains("PASSAGE_SITE_URL") && err.contains("space"),
            "{err}"
        );
    }

    #[test]
    fn bad_layers_are_refused_with_their_name() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p.toml");
        std::fs::write(&file, "data_dri = \"x\"\n").unwrap();
        let flags = FlagLayer {
            config: Some(file),
            ..Default::default()
        };
        let err = format!("{:#}", Config::load(&flags, |_| None).unwrap_err());
        assert!(err.contains("p.toml") && err.contains("data_dri"), "{err}");
        let env = |k: &str| (k == "PASSAGE_THREADS").then(|| "two".to_string());
        let err = Config::load(&FlagLayer::default(), env)
            .unwrap_err()
            .to_string();
        assert!(err.contains("PASSAGE_THREADS"), "{err}");
    }
}
