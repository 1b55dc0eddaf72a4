//! `passage registry …`: the pledge registry from the command line, acting as the local
//! administrator (whoever holds the database): records, progress, links, positions, tokens, import
//! and export, the seed file of examples, the event history and its verification. A position is
//! written as a token's holder when one is given.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use passage_registry::{
    bundle_from_csv, bundle_from_json, to_csv, CsvKind, Entity, IndicatorLink, Pledge, Position,
    Principal, ProgressUpdate, Registry, RegistryError, Role, Timestamp,
};
use serde::de::DeserializeOwned;

use crate::commands::indicator::engine;
use crate::config::Config;
use crate::output::write_grid;
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// Entities: add FILE.json, update FILE.json --version N, list
    Entity {
        #[command(subcommand)]
        command: RecordCmd,
    },
    /// Pledges: add, update, list [--entity], show ID, withdraw ID --version N
    Pledge {
        #[command(subcommand)]
        command: RecordCmd,
    },
    /// Positions of states and groups on the compacts' texts: add FILE.json, update FILE.json
    /// --version N, withdraw ID --version N, list [--entity --country --document --part], show ID
    Position {
        #[command(subcommand)]
        command: PositionCmd,
    },
    /// Add a progress update (FILE.json) to a pledge
    Progress { pledge: String, file: PathBuf },
    /// Mark a progress update verified
    #[command(name = "verify-update")]
    Verify {
        update: String,
        #[arg(long)]
        version: i64,
    },
    /// Link a pledge to an indicator of the catalogue, for a country and role
    Link {
        pledge: String,
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        role: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Tokens: issue (the secret is printed once), revoke, list
    Token {
        #[command(subcommand)]
        command: TokenCmd,
    },
    /// Import a JSON bundle, or a CSV file of one kind (--kind): all of it, or nothing
    Import {
        file: PathBuf,
        #[arg(long)]
        kind: Option<String>,
    },
    /// Export everything as JSON, or one kind as CSV (--kind)
    Export {
        #[arg(long)]
        kind: Option<String>,
    },
    /// Import the shipped seed file of example entities and pledges (marked as examples)
    Seed,
    /// The event history, oldest first; token records redacted unless --full
    Events {
        #[arg(long, default_value_t = 0)]
        after: i64,
        #[arg(long, default_value_t = 100)]
        limit: i64,
        /// Show token records whole (their secrets' hashes, roles, entities)
        #[arg(long)]
        full: bool,
    },
    /// Check the hash chain and that the stored records are what their events say
    #[command(name = "verify")]
    Verify_,
    /// Write a consistent backup to a new FILE while the registry serves (SQLite: a database
    /// copy; PostgreSQL: the full export), and verify it
    Backup { file: PathBuf },
    /// Restore a backup FILE into this registry, which must be empty, and verify it
    Restore { file: PathBuf },
}

#[derive(Debug, clap::Subcommand)]
enum RecordCmd {
    Add {
        file: PathBuf,
    },
    Update {
        file: PathBuf,
        #[arg(long)]
        version: i64,
    },
    List {
        #[arg(long)]
        entity: Option<String>,
    },
    Show {
        id: String,
    },
    Withdraw {
        id: String,
        #[arg(long)]
        version: i64,
    },
}

/// The writer of a position: the holder of the token given, or else the local administrator.
#[derive(Debug, clap::Args)]
struct Writer {
    /// A registry token's secret, to write as its holder (an entity editor writes only its own
    /// entity's positions); best given through the environment, out of the shell's history
    #[arg(long, env = "PASSAGE_REGISTRY_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

impl Writer {
    fn principal(&self, r: &Registry) -> Result<Principal> {
        match &self.token {
            None => Ok(Principal::local()),
            Some(secret) => r
                .authenticate(secret)
                .map_err(|e| UserError(format!("--token: {e} (PASSAGE_REGISTRY_TOKEN)")).into()),
        }
    }
}

#[derive(Debug, clap::Subcommand)]
enum PositionCmd {
    /// Record a position read from FILE.json; the registry gives its id (ENTITY-pN)
    Add {
        file: PathBuf,
        #[command(flatten)]
        writer: Writer,
    },
    /// Change a position (FILE.json with its id), at the version read
    Update {
        file: PathBuf,
        #[arg(long)]
        version: i64,
        #[command(flatten)]
        writer: Writer,
    },
    /// Withdraw a position: it stays, marked withdrawn, with its history
    Withdraw {
        id: String,
        #[arg(long)]
        version: i64,
        #[command(flatten)]
        writer: Writer,
    },
    /// Positions, withdrawn ones marked
    List {
        #[command(flatten)]
        filter: crate::commands::positions::FilterArgs,
    },
    /// One position with its version
    Show { id: String },
}

#[derive(Debug, clap::Subcommand)]
enum TokenCmd {
    Issue {
        /// administrator, entity_editor, reviewer or claims_editor
        #[arg(long)]
        role: String,
        #[arg(long)]
        entity: Option<String>,
        #[arg(long, default_value = "")]
        label: String,
        /// YYYY-MM-DDTHH:MM:SSZ
        #[arg(long)]
        expires: Option<String>,
    },
    Revoke {
        id: String,
    },
    List,
}

/// A registry error as the binary reports it: the user's own (exit 2), or a failure.
pub(crate) fn user(e: RegistryError) -> anyhow::Error {
    if e.is_user_error() {
        UserError(e.to_string()).into()
    } else {
        e.into()
    }
}

/// Opens the configured registry, with the catalogue's indicator ids for links.
pub fn open(config: &Config) -> Result<Registry> {
    let ids = engine()?
        .catalogue
        .indicators
        .iter()
        .map(|i| i.id.clone())
        .collect();
    Registry::open(&config.registry_url(), ids).map_err(user)
}

fn read_json<T: DeserializeOwned>(file: &PathBuf) -> Result<T> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        UserError(format!(
            "{}:{}:{}: {e}",
            file.display(),
            e.line(),
            e.column()
        ))
        .into()
    })
}

fn print_json(value: &impl serde::Serialize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
    Ok(())
}

fn kind(text: &str) -> Result<CsvKind> {
    CsvKind::parse(text).ok_or_else(|| {
        UserError(format!(
            "--kind: expected entities, pledges, updates, links or positions, found `{text}`"
        ))
        .into()
    })
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let r = open(config)?;
    let me = Principal::local();
    match args.command {
        Sub::Entity { command } => match command {
            RecordCmd::Add { file } => print_json(
                &r.create_entity(&me, read_json::<Entity>(&file)?)
                    .map_err(user)?,
            ),
            RecordCmd::Update { file, version } => print_json(
                &r.update_entity(&me, read_json::<Entity>(&file)?, Some(version))
                    .map_err(user)?,
            ),
            RecordCmd::List { .. } => {
                let mut grid = vec![["id", "kind", "country", "version", "name"]
                    .map(String::from)
                    .to_vec()];
                for e in r.entities().map_err(user)? {
                    grid.push(vec![
                        e.item.id,
                        format!("{:?}", e.item.kind),
                        e.item.country.unwrap_or_default(),
                        e.version.to_string(),
                        e.item.name,
                    ]);
                }
                Ok(write_grid(&mut std::io::stdout().lock(), &grid, 3)?)
            }
            RecordCmd::Show { id } => print_json(&r.entity(&id).map_err(user)?),
            RecordCmd::Withdraw { .. } => bail!(UserError(
                "entities are not withdrawn; withdraw their pledges".into()
            )),
        },
        Sub::Pledge { command } => match command {
            RecordCmd::Add { file } => print_json(
                &r.create_pledge(&me, read_json::<Pledge>(&file)?)
                    .map_err(user)?,
            ),
            RecordCmd::Update { file, version } => print_json(
                &r.update_pledge(&me, read_json::<Pledge>(&file)?, Some(version))
                    .map_err(user)?,
            ),
            RecordCmd::List { entity } => {
                let mut grid = vec![[
                    "id",
                    "entity",
                    "forum",
                    "compact",
                    "version",
                    "withdrawn",
                    "title",
                ]
                .map(String::from)
                .to_vec()];
                for p in r.pledges(entity.as_deref()).map_err(user)? {
                    grid.push(vec![
                        p.item.id,
                        p.item.entity,
                        format!("{:?} {}", p.item.forum, p.item.forum_year),
                        format!("{:?}", p.item.compact),
                        p.version.to_string(),
                        if p.withdrawn {
                            "yes".into()
                        } else {
                            String::new()
                        },
                        p.item.title,
                    ]);
                }
                Ok(write_grid(&mut std::io::stdout().lock(), &grid, 4)?)
            }
            RecordCmd::Show { id } => print_json(&r.pledge(&id).map_err(user)?),
            RecordCmd::Withdraw { id, version } => {
                print_json(&r.withdraw_pledge(&me, &id, Some(version)).map_err(user)?)
            }
        },
        Sub::Position { command } => match command {
            PositionCmd::Add { file, writer } => print_json(
                &r.create_position(&writer.principal(&r)?, read_json::<Position>(&file)?)
                    .map_err(user)?,
            ),
            PositionCmd::Update {
                file,
                version,
                writer,
            } => print_json(
                &r.update_position(
                    &writer.principal(&r)?,
                    read_json::<Position>(&file)?,
                    Some(version),
                )
                .map_err(user)?,
            ),
            PositionCmd::Withdraw {
                id,
                version,
                writer,
            } => print_json(
                &r.withdraw_position(&writer.principal(&r)?, &id, Some(version))
                    .map_err(user)?,
            ),
            PositionCmd::List { filter } => {
                let mut grid = vec![[
                    "id", "entity", "document", "part", "date", "stance", "status", "version",
                ]
                .map(String::from)
                .to_vec()];
                for p in r.positions(&filter.filter()?).map_err(user)? {
                    grid.push(vec![
                        p.item.id,
                        p.item.entity,
                        p.item.document.to_string(),
                        p.item.part.to_string(),
                        p.item.date.to_string(),
                        p.item.stance.to_string(),
                        if p.withdrawn { "withdrawn" } else { "active" }.into(),
                        p.version.to_string(),
                    ]);
                }
                Ok(write_grid(&mut std::io::stdout().lock(), &grid, 7)?)
            }
            PositionCmd::Show { id } => print_json(&r.position(&id).map_err(user)?),
        },
        Sub::Progress { pledge, file } => print_json(
            &r.add_update(&me, &pledge, read_json::<ProgressUpdate>(&file)?)
                .map_err(user)?,
        ),
        Sub::Verify { update, version } => {
            print_json(&r.verify_update(&me, &update, Some(version)).map_err(user)?)
        }
        Sub::Link {
            pledge,
            indicator,
            country,
            role,
            note,
        } => {
            let link = IndicatorLink {
                id: String::new(),
                pledge: String::new(),
                indicator,
                country,
                role,
                note,
            };
            print_json(&r.link_indicator(&me, &pledge, link).map_err(user)?)
        }
        Sub::Token { command } => match command {
            TokenCmd::Issue {
                role,
                entity,
                label,
                expires,
            } => {
                let role = Role::parse(&role).ok_or_else(|| {
                    UserError(format!(
                        "--role: `{role}` is not administrator, entity_editor, reviewer or claims_editor"
                    ))
                })?;
                let expires = expires
                    .map(|e| Timestamp::parse("--expires", &e))
                    .transpose()
                    .map_err(user)?;
                let (record, secret) = r
                    .issue_token(&me, role, entity.as_deref(), &label, expires)
                    .map_err(user)?;
                errln!(
                    "token {} issued; its secret is shown once and stored only as a hash:",
                    record.id
                );
                outln!("{secret}");
                Ok(())
            }
            TokenCmd::Revoke { id } => print_json(&r.revoke_token(&me, &id).map_err(user)?),
            TokenCmd::List => {
                let mut grid = vec![["id", "role", "entity", "expires", "revoked", "label"]
                    .map(String::from)
                    .to_vec()];
                for t in r.tokens().map_err(user)? {
                    grid.push(vec![
                        t.id,
                        format!("{:?}", t.role),
                        t.entity.unwrap_or_default(),
                        t.expires_at.unwrap_or_default(),
                        t.revoked_at.unwrap_or_default(),
                        t.label,
                    ]);
                }
                Ok(write_grid(&mut std::io::stdout().lock(), &grid, 6)?)
            }
        },
        Sub::Import { file, kind: k } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let name = file.display().to_string();
            let (bundle, lines) = match k {
                Some(k) => bundle_from_csv(kind(&k)?, &text, &name).map_err(user)?,
                None => (bundle_from_json(&text, &name).map_err(user)?, Vec::new()),
            };
            let place = |what: &str, i: usize| match lines.get(i) {
                Some(line) => format!("{name}:{line}"),
                None => format!("{name}: {what}[{i}]"),
            };
            let n = r.import(&me, &bundle, &place).map_err(user)?;
            outln!("imported {n} records from {name}");
            Ok(())
        }
        Sub::Export { kind: k } => {
            let bundle = r.export().map_err(user)?;
            match k {
                None => print_json(&bundle),
                Some(k) => {
                    out!("{}", to_csv(kind(&k)?, &bundle).map_err(user)?);
                    Ok(())
                }
            }
        }
        Sub::Seed => {
            let bundle = bundle_from_json(passage_registry::SEED, "seed.json").map_err(user)?;
            let n = r
                .import(&me, &bundle, &|what, i| format!("seed.json: {what}[{i}]"))
                .map_err(user)?;
            outln!("imported {n} example records (marked \"example\": true; not real pledges)");
            Ok(())
        }
        Sub::Events { after, limit, full } => {
            let events = if full {
                r.events(after, limit)
            } else {
                r.public_events(after, limit)
            };
            print_json(&events.map_err(user)?)
        }
        Sub::Backup { file } => {
            let v = r.backup(&file).map_err(user)?;
            outln!(
                "backup {}: {} events, head {}, verified",
                file.display(),
                v.events,
                v.head
            );
            Ok(())
        }
        Sub::Restore { file } => {
            let v = r.restore(&file).map_err(user)?;
            outln!(
                "restored {}: history intact, {} events, head {}",
                file.display(),
                v.events,
                v.head
            );
            Ok(())
        }
        Sub::Verify_ => {
            let v = r.verify().map_err(user)?;
            match &v.first_bad {
                None => {
                    outln!("history intact: {} events, head {}", v.events, v.head);
                    Ok(())
                }
                Some(b) => bail!("history broken at event {}: {}", b.seq, b.reason),
            }
        }
    }
}
