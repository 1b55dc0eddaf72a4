//! `passage claims list | show | check | add | history`: the claims, their verdicts on a release,
//! when they changed, and registering new ones. `sync` and `activate` record verdicts too.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use passage_claims::{evaluate, parse_claims, turning_points, ClaimStore};
use passage_indicators::Engine;
use passage_store::{Release, Store};

use crate::commands::indicator::engine;
use crate::commands::open_store;
use crate::config::Config;
use crate::output::{write_grid, Format};
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Every claim with its verdict on a release
    List {
        #[arg(long, default_value = "active")]
        release: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One claim: its test, the figures of its verdict, its timeline over data years and history
    Show {
        id: String,
        #[arg(long, default_value = "active")]
        release: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Evaluate every claim on a release and record the verdicts (sync and activate do this too)
    Check {
        #[arg(long, default_value = "active")]
        release: String,
    },
    /// Register the claims of a TOML file of `[[claim]]` tables: all of them, or none
    Add { file: PathBuf },
    /// The recorded verdicts of a claim, release by release
    History {
        id: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// The claims directory beside the releases.
pub fn claim_store(config: &Config) -> Result<ClaimStore> {
    Ok(ClaimStore::open(&config.data_dir.join("claims"))?)
}

fn load(store: &Store, release: &str) -> Result<Release> {
    Ok(store.load(&store.resolve(release)?)?)
}

fn user(e: passage_claims::ClaimError) -> anyhow::Error {
    if e.is_user_error() {
        UserError(e.to_string()).into()
    } else {
        e.into()
    }
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let engine = engine()?;
    let claims = claim_store(config)?;
    match args.command {
        Sub::List { release, format } => {
            let release = load(&open_store(config)?, &release)?;
            list(&engine, &claims, &release, format)
        }
        Sub::Show {
            id,
            release,
            format,
        } => {
            let release = load(&open_store(config)?, &release)?;
            show(&engine, &claims, &release, &id, format)
        }
        Sub::Check { release } => {
            let release = load(&open_store(config)?, &release)?;
            record(&engine, &claims, &release)
        }
        Sub::Add { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let source = file.display().to_string();
            let new = parse_claims(&text, &source, &engine).map_err(user)?;
            for c in &new {
                if claims.get(&engine, &c.id).is_ok() {
                    return Err(user(passage_claims::ClaimError::Duplicate(c.id.clone())));
                }
            }
            for c in &new {
                claims.add(&engine, c, &source).map_err(user)?;
                outln!("claim {} added", c.id);
            }
            Ok(())
        }
        Sub::History { id, format } => history(&engine, &claims, &id, format),
    }
}

/// Evaluates and records every claim on a release, printing what changed.
pub fn record(engine: &Engine, claims: &ClaimStore, release: &Release) -> Result<()> {
    let now = passage_datasets::rfc3339(std::time::SystemTime::now());
    let recorded = claims.record_release(engine, release, &now).map_err(user)?;
    let history = claims.history().map_err(user)?;
    let id = release.manifest.id.to_string();
    let mut counts = [0usize; 3];
    for r in history.iter().filter(|r| r.evaluation.release == id) {
        counts[r.evaluation.verdict.outcome as usize] += 1;
    }
    outln!(
        "claims on release {id}: {} true, {} false, {} undetermined; {} verdicts recorded",
        counts[0],
        counts[1],
        counts[2],
        recorded.added
    );
    for (claim, before, now) in &recorded.changed {
        outln!("  {claim}: {} → {}", before.name(), now.name());
    }
    Ok(())
}

/// Records verdicts after a release became active; a failure here must not fail the sync.
pub fn record_after_activation(config: &Config, store: &Store, id: &passage_domain::ReleaseId) {
    let result = (|| -> Result<()> {
        let release = store.load(id)?;
        record(&engine()?, &claim_store(config)?, &release)
    })();
    if let Err(e) = result {
        errln!("warning: claims were not evaluated: {e:#}");
    }
}

fn list(engine: &Engine, claims: &ClaimStore, release: &Release, format: Format) -> Result<()> {
    let all = claims.claims(engine).map_err(user)?;
    let evaluations: Vec<_> = all.iter().map(|c| evaluate(engine, release, c)).collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if format == Format::Json {
        let doc: Vec<_> = all
            .iter()
            .zip(&evaluations)
            .map(|(c, e)| serde_json::json!({"claim": c, "evaluation": e}))
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(out.flush()?);
    }
    let mut grid = vec![["id", "verdict", "year", "changed", "claim"]
        .map(String::from)
        .to_vec()];
    for (c, e) in all.iter().zip(&evaluations) {
        let turns: Vec<String> = turning_points(&e.timeline)
            .iter()
            .map(|(y, o)| format!("{y}→{}", o.name()))
            .collect();
        grid.push(vec![
            c.id.clone(),
            e.verdict.outcome.name().into(),
            e.verdict.year.map(|y| y.to_string()).unwrap_or_default(),
            turns.join(" "),
            c.text.clone(),
        ]);
    }
    if format == Format::Csv {
        for row in grid {
            let cells: Vec<_> = row.iter().map(|c| passage_datasets::csv_cell(c)).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
        return Ok(out.flush()?);
    }
    write_grid(&mut out, &grid, 5)?;
    writeln!(
        out,
        "\nrelease {} · `passage claims show ID` explains a verdict",
        release.manifest.id
    )?;
    Ok(out.flush()?)
}

fn show(
    engine: &Engine,
    claims: &ClaimStore,
    release: &Release,
    id: &str,
    format: Format,
) -> Result<()> {
    let claim = claims.get(engine, id).map_err(user)?;
    let e = evaluate(engine, release, &claim);
    let history: Vec<_> = claims
        .history()
        .map_err(user)?
        .into_iter()
        .filter(|r| r.evaluation.claim == id)
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if format != Format::Table {
        let doc = serde_json::json!({
            "claim": claim,
            "evaluation": e,
            "turning_points": turning_points(&e.timeline),
            "history": history,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(out.flush()?);
    }
    writeln!(out, "{}\n“{}”\n{}\n", claim.id, claim.text, claim.context)?;
    writeln!(
        out,
        "verdict on release {}: {}",
        e.release,
        e.verdict.outcome.name().to_uppercase()
    )?;
    writeln!(out, "  {}", e.verdict.explanation)?;
    if !e.timeline.is_empty() {
        let line: Vec<String> = e
            .timeline
            .iter()
            .map(|(y, o)| format!("{y} {}", o.name()))
            .collect();
        writeln!(out, "by data year: {}", line.join(", "))?;
        for (y, o) in turning_points(&e.timeline) {
            writeln!(out, "  changed in {y}: now {}", o.name())?;
        }
    }
    if !history.is_empty() {
        writeln!(out, "recorded verdicts:")?;
        for r in &history {
            writeln!(
                out,
                "  {}  release {}  {}",
                r.evaluated_at,
                r.evaluation.release,
                r.evaluation.verdict.outcome.name()
            )?;
        }
    }
    Ok(out.flush()?)
}

fn history(engine: &Engine, claims: &ClaimStore, id: &str, format: Format) -> Result<()> {
    claims.get(engine, id).map_err(user)?;
    let records: Vec<_> = claims
        .history()
        .map_err(user)?
        .into_iter()
        .filter(|r| r.evaluation.claim == id)
        .collect();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if format == Format::Json {
        writeln!(out, "{}", serde_json::to_string_pretty(&records)?)?;
        return Ok(out.flush()?);
    }
    let mut grid = vec![
        ["evaluated_at", "release", "verdict", "year", "explanation"]
            .map(String::from)
            .to_vec(),
    ];
    for r in &records {
        let v = &r.evaluation.verdict;
        grid.push(vec![
            r.evaluated_at.clone(),
            r.evaluation.release.clone(),
            v.outcome.name().into(),
            v.year.map(|y| y.to_string()).unwrap_or_default(),
            v.explanation.clone(),
        ]);
    }
    write_grid(&mut out, &grid, 5)?;
    Ok(out.flush()?)
}
