//! `passage negotiation show | diff | votes | groups | import | versions`: a version of a compact's
//! text (`DOCUMENT@LABEL` from the record, or a file), the diff of two versions, a recorded vote and
//! its groups joined to the data, and the versions of the record: the active release's and those a
//! user imported. The reading, diffing and joining live in the library crates; this module only
//! chooses the output.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use passage_indicators::vote_groups;
use passage_negotiation::{
    diff_versions, document_id_from_file, read_recorded_vote, read_version_file, render_diff_text,
    write_akoma_ntoso, DocumentId, Finding, Imported, Part, RecordedVote, VersionDate, VersionMeta,
    VersionStore,
};
use passage_store::{NegotiationRecord, Release, VersionRef};

use crate::config::Config;

use crate::output::write_grid;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ShowFormat {
    Text,
    Json,
    /// Akoma Ntoso XML (OASIS LegalDocML)
    Akn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    /// A standalone HTML page, insertions and deletions marked
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum VotesFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// A version, DOCUMENT@LABEL from the record (such as gcm@adopted) or a file (.md
    /// objectives/actions, .txt numbered paragraphs, .xml Akoma Ntoso): its parts, the defects found
    /// and the corrections recorded
    Show {
        version: String,
        /// The document's id [default: the file name up to its first `_`]
        #[arg(long)]
        document: Option<String>,
        /// The version's label
        #[arg(long, default_value = "imported")]
        label: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
    /// The diff of two versions (each DOCUMENT@LABEL or a file): each part unchanged, changed,
    /// moved, added or removed
    Diff {
        old: String,
        new: String,
        /// The document's id [default: the first file's name up to its first `_`]
        #[arg(long)]
        document: Option<String>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Keep a version a user has in the data directory (as Akoma Ntoso); a label is never overwritten
    Import {
        file: PathBuf,
        /// The document's id, such as `gcm`
        #[arg(long)]
        document: String,
        /// The version's label, such as "zero draft"
        #[arg(long = "version")]
        label: String,
        /// The version's date, YYYY-MM-DD
        #[arg(long)]
        date: Option<String>,
    },
    /// The versions of the record: the active release's and those imported [default: every
    /// document's]
    Versions { document: Option<String> },
    /// Positions of states and groups recorded in the registry, by country, document and part
    Positions(crate::commands::positions::Args),
    /// A recorded vote, by resolution (such as A/RES/73/195) from the active release or from a
    /// CSV file (`resolution,date,undl_record,member_state,vote`), every state as ISO3
    Votes {
        resolution: String,
        #[arg(long, value_enum, default_value_t = VotesFormat::Table)]
        format: VotesFormat,
    },
    /// Each group of a recorded vote (yes, no, abstention, not voting) joined to what its members
    /// host in the active release: refugees, asylum-seekers and migrants, and their share of the
    /// world's
    Groups {
        /// The resolution (such as A/RES/73/195) or a vote's CSV file
        resolution: String,
        /// The reference year of the figures
        #[arg(long, default_value_t = 2024)]
        year: i16,
        #[arg(long, value_enum, default_value_t = GroupsFormat::Table)]
        format: GroupsFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum GroupsFormat {
    Table,
    Json,
}

fn read(file: &Path, document: Option<&str>, label: &str) -> Result<Imported> {
    let document = match document {
        Some(d) => DocumentId::parse(d)?,
        None => document_id_from_file(file),
    };
    let meta = VersionMeta {
        document,
        label: label.to_string(),
        date: None,
        source: None,
        licence: None,
    };
    Ok(read_version_file(file, meta)?)
}

fn label_of(file: &Path) -> String {
    file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The active release and its negotiation record, read only by the commands that name a version
/// or a resolution of the record.
struct Record<'c> {
    config: &'c Config,
    loaded: Option<(Option<Release>, NegotiationRecord)>,
}

impl<'c> Record<'c> {
    fn new(config: &'c Config) -> Self {
        Record {
            config,
            loaded: None,
        }
    }

    /// The record; with no active release yet, the imported versions alone.
    fn get(&mut self) -> Result<&(Option<Release>, NegotiationRecord)> {
        if self.loaded.is_none() {
            let store = crate::commands::open_store(self.config)?;
            let release = match store.active_id()? {
                Some(id) => Some(store.load(&id)?),
                None => None,
            };
            let record = NegotiationRecord::of(release.as_ref(), &imported_dir(self.config))?;
            self.loaded = Some((release, record));
        }
        self.loaded
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("the record could not be read"))
    }

    /// The active release, which the figures joined to a vote come from.
    fn release(&mut self) -> Result<&Release> {
        self.get()?
            .0
            .as_ref()
            .ok_or_else(|| passage_store::StoreError::NoActiveRelease.into())
    }

    /// A version named `DOCUMENT@LABEL` in the record, or read from the file `arg`.
    fn version(&mut self, arg: &str, document: Option<&str>, label: &str) -> Result<Imported> {
        let file = Path::new(arg);
        if file.exists() || !arg.contains('@') {
            return read(file, document, label);
        }
        let r = VersionRef::parse(arg)?;
        Ok(self.get()?.1.version(&r)?.imported.clone())
    }

    /// The vote on the resolution `arg` in the release, or read from the file `arg`.
    fn vote(&mut self, arg: &str) -> Result<RecordedVote> {
        let file = Path::new(arg);
        if file.is_file() {
            return Ok(read_recorded_vote(file)?);
        }
        Ok(self.get()?.1.vote(arg)?.clone())
    }
}

fn imported_dir(config: &Config) -> PathBuf {
    config.data_dir.join("negotiation")
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let store = || VersionStore::open(&imported_dir(config));
    let mut record = Record::new(config);
    match args.command {
        Sub::Import {
            file,
            document,
            label,
            date,
        } => {
            let mut imported = read(&file, Some(&document), &label)?;
            let meta = &mut imported.version.meta;
            // The user's word on which version this is wins over what a file says of itself.
            meta.document = DocumentId::parse(&document)?;
            meta.label = label;
            if let Some(d) = date {
                meta.date = Some(VersionDate::parse(&d)?);
            }
            if meta.source.is_none() {
                meta.source = Some(label_of(&file));
            }
            let stored = store().add(&imported.version)?;
            writeln!(
                out,
                "imported {} \"{}\": {} parts, {} findings, {} corrections ({})",
                imported.version.meta.document,
                imported.version.meta.label,
                imported.version.flatten().len(),
                imported.findings.len(),
                imported.version.corrections.len(),
                stored.display()
            )?;
        }
        Sub::Positions(a) => crate::commands::positions::run(config, a)?,
        Sub::Versions { document } => {
            let document = document.as_deref().map(DocumentId::parse).transpose()?;
            let (release, rec) = record.get()?;
            let mut grid = vec![vec![
                "version".to_string(),
                "date".into(),
                "parts".into(),
                "findings".into(),
                "from".into(),
                "source".into(),
            ]];
            for v in rec.versions.iter().filter(|v| {
                document
                    .as_ref()
                    .is_none_or(|d| &v.imported.version.meta.document == d)
            }) {
                let meta = &v.imported.version.meta;
                grid.push(vec![
                    format!("{}@{}", meta.document, meta.label),
                    meta.date
                        .as_ref()
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    v.imported.version.flatten().len().to_string(),
                    v.imported.findings.len().to_string(),
                    match (v.origin, release.as_ref()) {
                        (passage_store::VersionOrigin::Release, Some(r)) => {
                            format!("release {}", r.manifest.id)
                        }
                        (passage_store::VersionOrigin::Release, None) => "release".into(),
                        (passage_store::VersionOrigin::Imported, _) => "imported".into(),
                    },
                    meta.source.clone().unwrap_or_default(),
                ]);
            }
            write_grid(&mut out, &grid, 4)?;
        }
        Sub::Show {
            version,
            document,
            label,
            format,
        } => {
            let imported = record.version(&version, document.as_deref(), &label)?;
            match format {
                ShowFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&imported)?)?,
                ShowFormat::Akn => write!(out, "{}", write_akoma_ntoso(&imported.version))?,
                ShowFormat::Text => show_text(&mut out, &imported)?,
            }
        }
        Sub::Diff {
            old,
            new,
            document,
            format,
        } => {
            let a = record.version(&old, document.as_deref(), &label_of(Path::new(&old)))?;
            let b = record.version(
                &new,
                document
                    .as_deref()
                    .or(Some(a.version.meta.document.as_str())),
                &label_of(Path::new(&new)),
            )?;
            let d = diff_versions(&a.version, &b.version);
            match format {
                DiffFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?,
                DiffFormat::Text => write!(out, "{}", render_diff_text(&d))?,
                DiffFormat::Html => write!(
                    out,
                    "{}",
                    passage_pages::diff_document(&d, &a.version, &b.version)
                )?,
            }
        }
        Sub::Groups {
            resolution,
            year,
            format,
        } => {
            let vote = record.vote(&resolution)?;
            let release = record.release()?;
            let engine = crate::commands::indicator::engine()?;
            let groups = vote_groups(
                &vote,
                &engine,
                release,
                passage_domain::Year::new(i32::from(year))?,
            )?;
            let registry = crate::commands::registry::open(config)?;
            let pledges = passage_pages::group_pledges(&registry, &groups)?;
            match format {
                GroupsFormat::Json => writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "resolution": vote.resolution,
                        "date": vote.date.to_string(),
                        "year": year,
                        "release": release.manifest.id.to_string(),
                        "groups": groups.iter().zip(&pledges).map(|(g, p)| {
                            let mut g = serde_json::json!(g);
                            g["pledges"] = serde_json::json!(p);
                            g
                        }).collect::<Vec<_>>(),
                    }))?
                )?,
                GroupsFormat::Table => {
                    let mut grid = vec![vec!["vote".to_string(), "states".into()]];
                    for f in groups.first().map_or(&[][..], |g| &g.figures[..]) {
                        grid[0].push(f.indicator.clone());
                        if f.world.is_some() {
                            grid[0].push("% of world".into());
                        }
                    }
                    grid[0].push("pledges".into());
                    grid[0].push("fulfilled".into());
                    for (g, p) in groups.iter().zip(&pledges) {
                        let mut row = vec![g.vote.name().to_string(), g.members.len().to_string()];
                        for f in &g.figures {
                            let decimals = usize::from(f.decimals);
                            row.push(f.value.map_or(String::new(), |v| format!("{v:.decimals$}")));
                            if f.world.is_some() {
                                row.push(
                                    f.share_of_world
                                        .map_or(String::new(), |v| format!("{v:.1}")),
                                );
                            }
                        }
                        row.push(p.made.to_string());
                        row.push(p.fulfilled.to_string());
                        grid.push(row);
                    }
                    write_grid(&mut out, &grid, 2)?;
                    writeln!(
                        out,
                        "\n{} of {}, figures of {year} for the group as one place (a ratio is the group's total over its total) from release {} (UNHCR Refugee Data Finder; World Bank WDI; UN DESA International Migrant Stock); an empty cell is not available",
                        vote.resolution, vote.date, release.manifest.id
                    )?;
                }
            }
        }
        Sub::Votes { resolution, format } => {
            let vote = record.vote(&resolution)?;
            match format {
                VotesFormat::Json => writeln!(out, "{}", serde_json::to_string_pretty(&vote)?)?,
                VotesFormat::Csv => {
                    writeln!(out, "iso3,member_state,vote")?;
                    for v in &vote.votes {
                        let name = passage_datasets::csv_cell(&v.member_state);
                        writeln!(out, "{},{name},{}", v.iso3, v.vote.code())?;
                    }
                }
                VotesFormat::Table => {
                    let mut grid = vec![vec![
                        "iso3".to_string(),
                        "member_state".into(),
                        "vote".into(),
                    ]];
                    for v in &vote.votes {
                        grid.push(vec![
                            v.iso3.to_string(),
                            v.member_state.clone(),
                            v.vote.code().into(),
                        ]);
                    }
                    write_grid(&mut out, &grid, 3)?;
                    let t = vote.totals();
                    writeln!(
                        out,
                        "\n{} of {}: {} yes (Y), {} no (N), {} abstention (A), {} non-voting (X)",
                        vote.resolution, vote.date, t.yes, t.no, t.abstention, t.non_voting
                    )?;
                    writeln!(out, "source: United Nations Digital Library, General Assembly voting data, record {}", vote.undl_record)?;
                }
            }
        }
    }
    Ok(out.flush()?)
}

fn show_text(out: &mut impl Write, imported: &Imported) -> Result<()> {
    let v = &imported.version;
    writeln!(out, "{} — {}", v.meta.document, v.meta.label)?;
    let flat = v.flatten();
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for (p, _) in &flat {
        match kinds.iter_mut().find(|(k, _)| *k == p.id.kind()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((p.id.kind(), 1)),
        }
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    writeln!(out, "parts: {}", kinds.join(", "))?;
    writeln!(out, "findings: {}", imported.findings.len())?;
    for f in &imported.findings {
        let Finding::RepeatedBlock {
            part,
            repeats,
            line,
        } = f;
        writeln!(
            out,
            "  line {line}: {part} repeats {repeats} word for word (kept as read)"
        )?;
    }
    writeln!(out, "corrections: {}", v.corrections.len())?;
    for c in &v.corrections {
        writeln!(
            out,
            "  {} {}: adopted \"{}\" ({}); this copy has \"{}\"",
            c.part, c.field, c.adopted, c.source, c.found
        )?;
    }
    writeln!(out)?;
    fn walk(out: &mut impl Write, parts: &[Part], depth: usize) -> Result<()> {
        for p in parts {
            let text = p.content().replace('\n', " ");
            let short: String = text.chars().take(100).collect();
            let more = if short.len() < text.len() { "…" } else { "" };
            writeln!(
                out,
                "{}{:<24} {short}{more}",
                "  ".repeat(depth),
                p.id.as_str()
            )?;
            walk(out, &p.children, depth + 1)?;
        }
        Ok(())
    }
    walk(out, &v.parts, 0)
}
