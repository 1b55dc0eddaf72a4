//! `passage export release [ID] --format datapackage|zip|parquet --out PATH`: a release as a
//! Frictionless Data Package in a folder, as one ZIP with its README, or as one Parquet file per
//! dataset in a folder, written whole (to a temporary name beside the output, then renamed), for
//! analysts and for field offices' USB sticks.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::commands::open_store;
use crate::config::Config;
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// A release: its datasets as CSV with a datapackage.json and a README
    Release {
        /// A release id or prefix; default: the active release
        id: Option<String>,
        /// datapackage (a folder), zip (one file) or parquet (a folder, a file per dataset)
        #[arg(long, default_value = "zip")]
        format: String,
        /// The folder or file to write
        #[arg(long)]
        out: PathBuf,
    },
}

fn temporary_beside(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let What::Release { id, format, out } = args.what;
    let (zip, parquet) = match format.as_str() {
        "zip" => (true, false),
        "datapackage" => (false, false),
        "parquet" => (false, true),
        other => {
            return Err(UserError(format!(
                "--format: expected datapackage, zip or parquet, found `{other}`"
            ))
            .into())
        }
    };
    if out.exists() {
        return Err(UserError(format!("{} exists already: give a new path", out.display())).into());
    }
    let store = open_store(config)?;
    let id = store
        .resolve(id.as_deref().unwrap_or("active"))
        .map_err(|e| UserError(e.to_string()))?;
    let release = store.load(&id)?;
    let files = if parquet {
        passage_downloads::release_parquet_files(&release)
            .context("cannot write the release as Parquet")?
    } else {
        passage_downloads::package_files(&release)
    };
    let tmp = temporary_beside(&out);
    let written = (|| -> Result<()> {
        if zip {
            let entries: Vec<(String, Vec<u8>)> = files
                .into_iter()
                .map(|f| (format!("passage-{id}/{}", f.path), f.bytes))
                .collect();
            std::fs::write(&tmp, passage_downloads::zip_deflated(&entries))?;
        } else {
            for f in files {
                let path = tmp.join(&f.path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(&path, &f.bytes)?;
            }
        }
        std::fs::rename(&tmp, &out)?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", out.display()));
    }
    outln!("release {id} written to {}", out.display());
    Ok(())
}
