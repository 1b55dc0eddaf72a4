//! `passage export release [ID] --format datapackage|zip|parquet|bundle --out PATH`: a release as
//! a Frictionless Data Package in a folder, as one ZIP with its README, as one Parquet file per
//! dataset in a folder, or as a bundle of the store's own files, written whole (to a temporary name beside the output, then renamed), for
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
        /// datapackage (a folder), zip (one file), parquet (a folder, a file per dataset) or
        /// bundle (one file: the release as the store keeps it, for `passage sync --from FILE`)
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

/// The release as the store keeps it, in one file written whole.
fn bundle(config: &Config, id: Option<String>, out: &Path) -> Result<()> {
    if out.exists() {
        return Err(UserError(format!("{} exists already: give a new path", out.display())).into());
    }
    let store = open_store(config)?;
    let id = store
        .resolve(id.as_deref().unwrap_or("active"))
        .map_err(|e| UserError(e.to_string()))?;
    let tmp = temporary_beside(out);
    let written = passage_downloads::write_bundle(&store, &id, &tmp)
        .map_err(anyhow::Error::from)
        .and_then(|size| {
            std::fs::rename(&tmp, out)?;
            Ok(size)
        });
    match written {
        Ok(size) => {
            outln!(
                "release {id} written to {} as a bundle of {size} bytes",
                out.display()
            );
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e).with_context(|| format!("cannot write {}", out.display()))
        }
    }
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let What::Release { id, format, out } = args.what;
    let (zip, parquet) = match format.as_str() {
        "zip" => (true, false),
        "datapackage" => (false, false),
        "parquet" => (false, true),
        "bundle" => return bundle(config, id, &out),
        other => {
            return Err(UserError(format!(
                "--format: expected datapackage, zip, parquet or bundle, found `{other}`"
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
