//! `passage report`: country, compact and release reports as PDF (printed by headless Chromium)
//! or HTML, from the report pages of an in-process server on a loopback port, so that a report
//! and the dashboard are one rendering. Both formats start from the report as one file
//! (`….html`), which the browser prints. `--all` prints every country's report, two at a time.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use passage_reports::{find_browser, write_whole, Browser, Paper, PrintJob, ReportError, Use};
use passage_server::{router, AppState, Limits};

use crate::commands::open_store;
use crate::config::Config;
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
    /// pdf (default) or html
    #[arg(long, global = true, default_value = "pdf")]
    format: String,
    /// a4 (default) or letter
    #[arg(long, global = true, default_value = "a4")]
    paper: String,
    /// The file to write (a directory with `country --all`); default: a name of the report's
    /// own in the current directory
    #[arg(long, global = true)]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// A country as host and as origin: `report country SYR`, `report country SYR TUR --out DIR`
    /// or `report country --all --out DIR`
    Country {
        /// ISO3 codes: one writes a file, several write one file each into the --out directory
        iso3: Vec<String>,
        /// Every country of the release
        #[arg(long, conflicts_with = "iso3")]
        all: bool,
    },
    /// A compact objective by objective: gcr or gcm
    Compact {
        /// gcr or gcm
        compact: String,
    },
    /// What changed in the data since the previous release, and the claims that flipped
    Release {
        /// A release id or prefix; default: the active release
        id: Option<String>,
    },
}

/// A plain HTTP GET on loopback: status and body.
fn get(addr: SocketAddr, path: &str) -> Result<(u16, Vec<u8>)> {
    let mut s = TcpStream::connect(addr).context("the report server stopped")?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    let at = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .context("a malformed answer")?;
    let head = String::from_utf8_lossy(&raw[..at]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, raw[at + 4..].to_vec()))
}

/// The text of an error page, for a message.
fn error_text(body: &[u8]) -> String {
    let html = String::from_utf8_lossy(body);
    html.split("<p>")
        .nth(1)
        .and_then(|p| p.split("</p>").next())
        .unwrap_or("")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Serves the store's pages on a loopback port for as long as the process runs.
fn start_server(state: AppState) -> Result<SocketAddr> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                let _ = tx.send(Err(e.to_string()));
                return;
            }
        };
        rt.block_on(async move {
            match tokio::net::TcpListener::bind("127.0.0.1:0").await {
                Ok(listener) => {
                    let _ = tx.send(listener.local_addr().map_err(|e| e.to_string()));
                    let _ = passage_server::serve(
                        listener,
                        router(state, Limits::default()),
                        std::future::pending(),
                    )
                    .await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                }
            }
        });
    });
    rx.recv()
        .context("the report server did not start")?
        .map_err(|e| anyhow::anyhow!("the report server did not start: {e}"))
}

/// A browser starting in the background while the store opens and the first page renders: its
/// start is a good part of a one-report run. Dropping it waits for the start, so that a browser
/// started for nothing (an unknown country, say) is shut down and its profile removed.
struct Starting(Option<std::thread::JoinHandle<Result<Browser, ReportError>>>);

impl Starting {
    fn new(usage: Use) -> Starting {
        Starting(Some(std::thread::spawn(move || {
            Browser::launch(&find_browser()?, usage)
        })))
    }

    fn wait(mut self) -> Result<Browser> {
        let started = self
            .0
            .take()
            .context("the browser was already started")?
            .join()
            .map_err(|_| anyhow::anyhow!("starting the browser failed"))?;
        match started {
            Ok(b) => Ok(b),
            Err(e @ ReportError::NoBrowser { .. }) => Err(UserError(e.to_string()).into()),
            Err(e) => Err(e.into()),
        }
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        if let Some(h) = self.0.take() {
            let _ = h.join();
        }
    }
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let pdf = match args.format.as_str() {
        "pdf" => true,
        "html" => false,
        other => {
            return Err(
                UserError(format!("--format: expected pdf or html, found `{other}`")).into(),
            )
        }
    };
    let paper = Paper::parse(&args.paper).ok_or_else(|| {
        UserError(format!(
            "--paper: expected a4 or letter, found `{}`",
            args.paper
        ))
    })?;
    let ext = if pdf { "pdf" } else { "html" };
    let usage = match &args.what {
        What::Country { all, iso3 } if *all || iso3.len() > 1 => Use::Many,
        _ => Use::One,
    };
    let starting = pdf.then(|| Starting::new(usage));
    let store = open_store(config)?;
    let state = AppState::open_with(
        store,
        passage_server::Options {
            registry_url: Some(config.registry_url()),
            site_url: config.site_url.clone(),
            ..Default::default()
        },
    )?;
    let release = state
        .release()
        .ok_or_else(|| UserError("no release is active yet: run `passage sync` first".into()))?;
    // (page path, output file) of each report.
    let jobs: Vec<(String, PathBuf)> = match &args.what {
        What::Country { all, iso3 } if *all || iso3.len() > 1 => {
            let dir = args.out.clone().ok_or_else(|| {
                UserError(if *all {
                    "--all needs --out DIR".into()
                } else {
                    "several countries need --out DIR".into()
                })
            })?;
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let mut codes: Vec<String> = if *all {
                release
                    .countries()
                    .countries()
                    .iter()
                    .filter(|c| c.special.is_none())
                    .map(|c| c.iso3.as_str().to_string())
                    .collect()
            } else {
                iso3.clone()
            };
            codes.sort();
            codes.dedup();
            codes
                .into_iter()
                .map(|c| {
                    (
                        format!("/reports/countries/{c}"),
                        dir.join(format!("{c}.{ext}")),
                    )
                })
                .collect()
        }
        What::Country { iso3, .. } => {
            let Some(code) = iso3.first() else {
                return Err(
                    UserError("give a country's ISO3 code, or --all --out DIR".into()).into(),
                );
            };
            vec![(
                format!("/reports/countries/{code}"),
                args.out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(format!("{code}.{ext}"))),
            )]
        }
        What::Compact { compact } => {
            let c = compact.to_ascii_lowercase();
            vec![(
                format!("/reports/compacts/{c}"),
                args.out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(format!("{c}.{ext}"))),
            )]
        }
        What::Release { id } => {
            let id = state
                .store()
                .resolve(id.as_deref().unwrap_or("active"))
                .map_err(|e| UserError(e.to_string()))?;
            vec![(
                format!("/reports/releases/{id}"),
                args.out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(format!("release-{id}.{ext}"))),
            )]
        }
    };
    let many = jobs.len() > 1;
    let addr = start_server(state)?;
    // The page first: an unknown country or release is the user's error, said plainly.
    let check = |path: &str| -> Result<Vec<u8>> {
        let (status, body) = get(addr, path)?;
        match status {
            200 => Ok(body),
            400..=499 => Err(UserError(format!("{path}: {}", error_text(&body))).into()),
            s => Err(anyhow::anyhow!(
                "{path} answered {s}: {}",
                error_text(&body)
            )),
        }
    };
    // The first report before waiting for the browser: an unknown country is said at once.
    // Its file is kept for printing: rendering it again cost a second request.
    let first = std::sync::Mutex::new(match jobs.first() {
        Some((path, _)) => Some((path.clone(), check(&format!("{path}.html"))?)),
        None => None,
    });
    let browser = starting.map(Starting::wait).transpose()?;
    let bar = ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr());
    if !many || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message("reports");
    let next = AtomicUsize::new(0);
    let one = |path: &str, out: &Path| -> Result<()> {
        // The report as one file, read away from the server: its stylesheet and script are
        // inside it, and it is what the browser prints, so a PDF's links are the file's.
        let kept = first
            .lock()
            .ok()
            .and_then(|mut f| f.take_if(|f| f.0 == path))
            .map(|(_, file)| file);
        let file = match kept {
            Some(file) => file,
            None => check(&format!("{path}.html"))?,
        };
        let bytes = match &browser {
            Some(b) => b.print(&PrintJob {
                report: path.to_string(),
                html: String::from_utf8(file).context("the report is not UTF-8")?,
                paper,
            })?,
            None => file,
        };
        write_whole(out, &bytes)?;
        Ok(())
    };
    if !many {
        if let Some((path, out)) = jobs.first() {
            one(path, out)?;
            outln!("{}", out.display());
        }
        return Ok(());
    }
    let workers = if many {
        std::thread::available_parallelism()
            .map_or(2, |n| n.get())
            .clamp(1, 4)
    } else {
        1
    };
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut failed = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((path, out)) = jobs.get(i) else {
                            break;
                        };
                        if let Err(e) = one(path, out) {
                            failed.push(format!("{}: {e:#}", out.display()));
                        }
                        bar.inc(1);
                    }
                    failed
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|_| vec!["a report worker failed".into()])
            })
            .collect()
    });
    bar.finish_and_clear();
    if !failures.is_empty() {
        for f in &failures {
            errln!("error: {f}");
        }
        return Err(anyhow::anyhow!(
            "{} of {} reports failed",
            failures.len(),
            jobs.len()
        ));
    }
    outln!(
        "{} reports written to {}",
        jobs.len(),
        args.out
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    );
    Ok(())
}
