//! Writing answers as an aligned table, CSV or JSON. Columns use UNHCR's field names (`year`,
//! `coo_iso`, `coa_iso`, then measures); not available is an empty cell in CSV and `null` in JSON.

use std::io::Write;

use anyhow::Result;
use passage_datasets::{csv_cell, Value};
use passage_store::{Answer, Comparable, IndexedTable, Release, YearFilter};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

/// The attribution lines of the sources a dataset came from.
fn attribution(answer: &Answer, release: &Release) -> Vec<String> {
    let provider = Some(answer.dataset.provider());
    let name = answer.dataset.name().to_string();
    let mut out: Vec<String> = release
        .manifest
        .sources
        .iter()
        .filter(|s| s.datasets.contains(&name))
        .map(|s| format!("{} ({}; {})", s.attribution, s.licence, s.file))
        .collect();
    if let Some(p) = provider {
        out.extend(p.caveats().iter().map(|c| format!("note: {c}")));
    }
    out
}

/// The years an answer's figures are for: its rows' years when grouped by year, else the years
/// the query asked for (one, for a stock; a flow's sum over several is labelled by each).
fn answer_years(answer: &Answer, years: &YearFilter) -> Vec<i32> {
    if answer.keys.contains(&"year") {
        return answer.held().filter_map(|i| answer.year_of(i)).collect();
    }
    match years {
        YearFilter::List(list) => list.iter().map(|y| y.get()).collect(),
        YearFilter::Range(r) => (r.first.get()..=r.last.get()).collect(),
        YearFilter::All => Vec::new(),
    }
}

/// The notes an answer carries: how it was split, why it has no total, which years are mid-year.
fn notes(
    answer: &Answer,
    release: &Release,
    comparable: &Comparable,
    years: &YearFilter,
) -> Vec<String> {
    let mut notes = comparable.notes();
    notes.extend(release.period_notes(answer.dataset, answer_years(answer, years)));
    notes
}

pub fn print_answer(
    answer: &Answer,
    release: &Release,
    format: Format,
    comparable: &Comparable,
    years: &YearFilter,
) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let header = answer.columns();
    let labels = release.period_labels(
        answer.dataset,
        answer.held().filter_map(|i| answer.year_of(i)),
    );
    let periods: Vec<Option<&str>> = answer
        .held()
        .map(|i| answer.year_of(i).and_then(|y| labels.get(&y).copied()))
        .collect();
    let labelled = periods.iter().any(Option::is_some);
    match format {
        Format::Csv => {
            write!(out, "{}", header.join(","))?;
            writeln!(out, "{}", if labelled { ",reference_period" } else { "" })?;
            for (i, period) in periods.iter().enumerate() {
                write!(out, "{}", answer.row_csv(i))?;
                match (labelled, period) {
                    (true, Some(p)) => writeln!(out, ",{}", csv_cell(p))?,
                    (true, None) => writeln!(out, ",")?,
                    (false, _) => writeln!(out)?,
                }
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = (0..answer.len())
                .map(|i| {
                    let mut row = answer.row_json(i);
                    if let (Some(p), serde_json::Value::Object(m)) = (periods[i], &mut row) {
                        m.insert("reference_period".into(), p.into());
                    }
                    row
                })
                .collect();
            let total = match comparable.no_total {
                None => answer.total_json(),
                Some(_) => serde_json::Value::Null,
            };
            let doc = serde_json::json!({
                "release": answer.release,
                "dataset": answer.dataset.name(),
                "rows": rows,
                "total": total,
                "notes": notes(answer, release, comparable, years),
                "sources": attribution(answer, release),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        Format::Table => {
            let mut grid: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
            if labelled {
                grid[0].push("period".into());
            }
            for (i, row) in answer.rows().enumerate() {
                let mut cells: Vec<String> = row
                    .keys
                    .iter()
                    .map(|k| k.to_string())
                    .chain(row.values.iter().map(Value::to_string))
                    .collect();
                if labelled {
                    cells.push(periods[i].unwrap_or_default().to_string());
                }
                grid.push(cells);
            }
            if answer.len() > 1 && comparable.no_total.is_none() {
                let mut total = vec![String::new(); answer.keys.len()];
                if let Some(first) = total.first_mut() {
                    *first = "total".into();
                }
                grid.push(
                    total
                        .into_iter()
                        .chain(answer.total.iter().map(Value::to_string))
                        .chain(labelled.then(String::new))
                        .collect(),
                );
            }
            write_grid(&mut out, &grid, answer.keys.len())?;
            writeln!(
                out,
                "\n{} rows from {} source rows · release {} · empty = not available",
                answer.len(),
                answer.total_source_rows,
                answer.release
            )?;
            for line in notes(answer, release, comparable, years) {
                writeln!(out, "note: {line}")?;
            }
            for line in attribution(answer, release) {
                writeln!(out, "{line}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes a grid as an aligned table under a rule: the first `left` columns (keys) left-aligned,
/// the others (numbers) right-aligned. The grid's first row is the header.
pub fn write_grid(out: &mut impl Write, grid: &[Vec<String>], left: usize) -> Result<()> {
    let columns = grid.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            grid.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, row) in grid.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, s)| {
                if c < left {
                    format!("{s:<w$}", w = widths[c])
                } else {
                    format!("{s:>w$}", w = widths[c])
                }
            })
            .collect();
        writeln!(out, "{}", cells.join("  ").trim_end())?;
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            writeln!(out, "{}", rule.join("  "))?;
        }
    }
    Ok(())
}

/// Writes the rows a figure is computed from as CSV: year, every dimension, every measure; then the
/// release and the source files they were imported from.
pub fn print_trace(t: &IndexedTable, rows: &[usize], release: &Release) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let table = &t.table;
    let mut header: Vec<&str> = Vec::new();
    if table.years.is_some() {
        header.push("year");
    }
    header.extend(table.dims.iter().map(|d| d.name.as_str()));
    header.extend(table.measures.iter().map(|m| m.name.as_str()));
    writeln!(out, "{}", header.join(","))?;
    for &r in rows {
        let mut cells: Vec<String> = table.year(r).map(|y| y.to_string()).into_iter().collect();
        cells.extend(table.dims.iter().map(|d| csv_cell(d.value(r)).into_owned()));
        cells.extend(table.measures.iter().map(|m| m.value(r).to_string()));
        writeln!(out, "{}", cells.join(","))?;
    }
    let name = t.dataset.name().to_string();
    let files: Vec<String> = release
        .manifest
        .sources
        .iter()
        .filter(|s| s.datasets.contains(&name))
        .map(|s| format!("{} (sha256 {})", s.file, s.sha256))
        .collect();
    out.flush()?;
    errln!(
        "{} rows of `{}` in release {}, imported from {}",
        rows.len(),
        name,
        release.manifest.id,
        files.join(", ")
    );
    Ok(())
}
