//! `passage indicator list | show | rank`: the catalogue, any indicator for the world, a region or
//! a country over years (with its parts, changes and, on request, its source rows), and rankings.

use std::io::Write;

use anyhow::Result;
use passage_domain::{Year, YearRange};
use passage_indicators::{changes, number, Engine, Place, Request, Role, Series};
use passage_store::{Release, YearFilter};

use crate::commands::open_store;
use crate::config::Config;
use crate::output::{print_trace, write_grid, Format};
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Sub,
}

#[derive(Debug, clap::Subcommand)]
enum Sub {
    /// The catalogue: every indicator, the objectives it evidences, its unit and sources
    List {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// One indicator over years, with its parts and changes
    Show(ShowArgs),
    /// Countries ranked by an indicator in one year, largest first
    Rank(RankArgs),
}

/// Where, which years and which release: shared by `show`, `rank` and `profile`.
#[derive(Debug, clap::Args)]
pub struct Scope {
    /// One or more years (comma list)
    #[arg(long, value_delimiter = ',', conflicts_with = "years")]
    pub year: Vec<String>,
    /// An inclusive range of years, A..B
    #[arg(long)]
    pub years: Option<String>,
    /// Release (id, prefix or `active`)
    #[arg(long, default_value = "active")]
    pub release: String,
}

#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// Indicator id (see `passage indicator list`)
    id: String,
    /// A country, ISO3
    #[arg(long, conflicts_with_all = ["region", "each"])]
    country: Option<String>,
    /// A region: UNHCR region, or UN M49 region, subregion or intermediate region
    #[arg(long, conflicts_with = "each")]
    region: Option<String>,
    /// Every country, one figure each
    #[arg(long)]
    each: bool,
    /// The side of the country or region: host (asylum, arrival, destination) or origin
    #[arg(long)]
    role: Option<String>,
    #[command(flatten)]
    scope: Scope,
    /// Break down by these dimensions (comma list; see the catalogue's `by`)
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// Keep only DIM=VALUE[,VALUE…] of a breakdown dimension (repeatable)
    #[arg(long = "where", value_name = "DIM=VALUES")]
    filters: Vec<String>,
    /// Base year of the `since` change column
    #[arg(long, default_value_t = passage_indicators::COMPACTS_ADOPTED)]
    base_year: i16,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// List the source rows behind each part of each figure (CSV), instead of the figures
    #[arg(long)]
    trace: bool,
}

#[derive(Debug, clap::Args)]
struct RankArgs {
    id: String,
    /// host or origin
    #[arg(long, default_value = "host")]
    role: String,
    /// The year ranked
    #[arg(long)]
    year: String,
    /// How many countries
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Keep only DIM=VALUE[,VALUE…] of a breakdown dimension (repeatable)
    #[arg(long = "where", value_name = "DIM=VALUES")]
    filters: Vec<String>,
    #[arg(long, default_value = "active")]
    release: String,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn user(e: impl std::fmt::Display) -> anyhow::Error {
    UserError(e.to_string()).into()
}

impl Scope {
    pub fn years(&self) -> Result<YearFilter> {
        if let Some(r) = &self.years {
            return Ok(YearFilter::Range(
                r.parse::<YearRange>()
                    .map_err(|e| user(format!("--years: {e}")))?,
            ));
        }
        if self.year.is_empty() {
            return Ok(YearFilter::All);
        }
        let list: Result<Vec<Year>, _> = self.year.iter().map(|y| y.parse::<Year>()).collect();
        Ok(YearFilter::List(
            list.map_err(|e| user(format!("--year: {e}")))?,
        ))
    }
}

fn parse_filters(filters: &[String]) -> Result<Vec<(String, Vec<String>)>> {
    filters
        .iter()
        .map(|f| {
            let (dim, values) = f.split_once('=').ok_or_else(|| {
                user(format!("--where: expected DIM=VALUE[,VALUE…], found `{f}`"))
            })?;
            Ok((
                dim.trim().to_string(),
                values.split(',').map(|v| v.trim().to_string()).collect(),
            ))
        })
        .collect()
}

fn parse_role(text: Option<&str>) -> Result<Option<Role>> {
    text.map(|r| Role::parse(r).ok_or_else(|| user(format!("--role: `{r}` is not host or origin"))))
        .transpose()
}

/// The engine shipped with Passage; a catalogue that does not parse is a bug, not the user's.
pub fn engine() -> Result<Engine> {
    Ok(Engine::builtin()?)
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let engine = engine()?;
    match args.command {
        Sub::List { format } => list(&engine, format),
        Sub::Show(a) => show(config, &engine, a),
        Sub::Rank(a) => rank(config, &engine, a),
    }
}

fn list(engine: &Engine, format: Format) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if format == Format::Json {
        let doc: Vec<_> = engine
            .catalogue
            .indicators
            .iter()
            .map(|i| i.to_json())
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    let mut grid = vec![["id", "objectives", "unit", "roles", "sources", "title"]
        .map(String::from)
        .to_vec()];
    for i in &engine.catalogue.indicators {
        grid.push(vec![
            i.id.clone(),
            i.objectives
                .iter()
                .map(|o| o.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            i.unit.clone(),
            i.roles
                .iter()
                .map(|r| r.name())
                .collect::<Vec<_>>()
                .join(","),
            i.sources()
                .iter()
                .map(|d| d.name())
                .collect::<Vec<_>>()
                .join(","),
            i.title.clone(),
        ]);
    }
    if format == Format::Csv {
        for row in grid {
            let cells: Vec<_> = row.iter().map(|c| passage_datasets::csv_cell(c)).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
        return Ok(());
    }
    write_grid(&mut out, &grid, grid[0].len())?;
    Ok(())
}

fn load(config: &Config, release: &str) -> Result<Release> {
    let store = open_store(config)?;
    let id = store.resolve(release)?;
    Ok(store.load(&id)?)
}

fn show(config: &Config, engine: &Engine, a: ShowArgs) -> Result<()> {
    let place = match (&a.country, &a.region, a.each) {
        (Some(c), _, _) => Place::country(c, "country")?,
        (_, Some(r), _) => Place::Region(r.clone()),
        (_, _, true) => Place::EachCountry,
        _ => Place::World,
    };
    let request = Request {
        indicator: a.id.clone(),
        place,
        role: parse_role(a.role.as_deref())?,
        years: a.scope.years()?,
        by: a.by.clone(),
        filters: parse_filters(&a.filters)?,
    };
    let release = load(config, &a.scope.release)?;
    let series = engine.evaluate(&release, &request)?;
    if a.trace {
        for point in &series.points {
            for (k, label) in series.part_labels().iter().enumerate() {
                outln!(
                    "# {} {}{} part `{label}`",
                    series.indicator.id,
                    point
                        .country
                        .as_deref()
                        .map(|c| format!("{c} "))
                        .unwrap_or_default(),
                    point.year
                );
                let (table, rows) = engine.trace_part(&release, &series, point, k)?;
                print_trace(table, &rows, &release)?;
            }
        }
        return Ok(());
    }
    print_series(&series, &release, a.base_year, a.format)
}

/// The figures of a series as a table, CSV or JSON.
pub fn print_series(
    series: &Series,
    release: &Release,
    base_year: i16,
    format: Format,
) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let sources = |d: &str| release.manifest.sources_json(d);
    if format == Format::Json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&series.to_json(sources, base_year))?
        )?;
        return Ok(());
    }
    let each = series.points.iter().any(|p| p.country.is_some());
    let mut header: Vec<String> = Vec::new();
    if each {
        header.push("country".into());
    }
    header.push("year".into());
    header.extend(series.keys.iter().cloned());
    let left = header.len();
    header.push(series.indicator.id.clone());
    let mut labels: Vec<&str> = Vec::new();
    for l in series.part_labels() {
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    // A part may share its name with the indicator (`refugees` is a part of `refugees`); two
    // columns of one name make a CSV reader keep only one of them.
    for l in &labels {
        let mut name = l.to_string();
        while header.contains(&name) {
            name.push_str("_part");
        }
        header.push(name);
    }
    header.push("change".into());
    header.push(format!("since_{base_year}"));
    let mid_year = series.points.iter().any(|p| p.period.is_some());
    if mid_year {
        header.push("reference_period".into());
    }
    let d = series.indicator.decimals;
    let cell = |v: Option<f64>, d: u8| match number(v, d) {
        serde_json::Value::Null => String::new(),
        n => n.to_string(),
    };
    let mut grid = vec![header];
    for (p, c) in series.points.iter().zip(changes(series, base_year)) {
        let mut row: Vec<String> = Vec::new();
        if each {
            row.push(p.country.clone().unwrap_or_default());
        }
        row.push(p.year.to_string());
        row.extend(p.keys.iter().cloned());
        row.push(cell(p.value, d));
        let all = series.part_labels();
        for l in &labels {
            let k = all.iter().position(|x| x == l).unwrap_or(0);
            row.push(cell(p.parts[k], 0));
        }
        row.push(cell(c.since_previous, d));
        row.push(cell(c.since_base, d));
        if mid_year {
            row.push(p.period.unwrap_or_default().to_string());
        }
        grid.push(row);
    }
    if format == Format::Csv {
        for row in grid {
            let cells: Vec<_> = row.iter().map(|c| passage_datasets::csv_cell(c)).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
        return Ok(out.flush()?);
    }
    writeln!(
        out,
        "{} — {} ({})",
        series.indicator.id, series.indicator.title, series.indicator.unit
    )?;
    writeln!(
        out,
        "{}{}\n",
        series.place.label(),
        series
            .role
            .map(|r| format!(" as {}", r.name()))
            .unwrap_or_default()
    )?;
    write_grid(&mut out, &grid, left)?;
    writeln!(
        out,
        "\nrelease {} · empty = not available · {}",
        series.release, series.indicator.definition
    )?;
    for c in &series.indicator.caveats {
        writeln!(out, "note: {c}")?;
    }
    for d in series.indicator.sources() {
        for s in release
            .manifest
            .sources
            .iter()
            .filter(|s| s.datasets.iter().any(|x| x == d.name()))
        {
            writeln!(
                out,
                "{}: {} ({}; {})",
                d.name(),
                s.attribution,
                s.licence,
                s.file
            )?;
        }
    }
    Ok(out.flush()?)
}

fn rank(config: &Config, engine: &Engine, a: RankArgs) -> Result<()> {
    let role = parse_role(Some(&a.role))?.unwrap_or(Role::Host);
    let year: Year = a.year.parse().map_err(|e| user(format!("--year: {e}")))?;
    let release = load(config, &a.release)?;
    let ranking = engine.rank(
        &release,
        &a.id,
        role,
        year,
        parse_filters(&a.filters)?,
        a.top,
    )?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if a.format == Format::Json {
        let doc = ranking.to_json(|d| release.manifest.sources_json(d));
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(out.flush()?);
    }
    let s = &ranking.series;
    let mut header = vec!["rank".to_string(), "country".into(), "name".into()];
    header.extend(s.keys.iter().cloned());
    header.push(s.indicator.id.clone());
    let left = header.len() - 1;
    let mut grid = vec![header];
    let reference = release.countries();
    for (n, &i) in ranking.order.iter().enumerate() {
        let p = &s.points[i];
        let code = p.country.clone().unwrap_or_default();
        let name = passage_domain::CountryCode::parse(passage_domain::CodeSystem::Iso, &code)
            .ok()
            .and_then(|c| reference.get(c))
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let mut row = vec![(n + 1).to_string(), code, name];
        row.extend(p.keys.iter().cloned());
        row.push(match number(p.value, s.indicator.decimals) {
            serde_json::Value::Null => String::new(),
            v => v.to_string(),
        });
        grid.push(row);
    }
    if a.format == Format::Csv {
        for row in grid {
            let cells: Vec<_> = row.iter().map(|c| passage_datasets::csv_cell(c)).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
        return Ok(out.flush()?);
    }
    writeln!(
        out,
        "{} — {}, {} as {}\n",
        s.indicator.id,
        s.indicator.title,
        ranking.year,
        role.name()
    )?;
    write_grid(&mut out, &grid, left)?;
    writeln!(out, "\nrelease {} · {}", s.release, s.indicator.unit)?;
    Ok(out.flush()?)
}
