//! Writing answers as an aligned table, CSV or JSON. Columns use UNHCR's field names (`year`,
//! `coo_iso`, `coa_iso`, then measures); not available is an empty cell in CSV and `null` in JSON.

use std::io::Write;

use anyhow::Result;
use passage_datasets::{csv_cell, Value};
use passage_store::{Answer, IndexedTable, Release};

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

pub fn print_answer(answer: &Answer, release: &Release, format: Format) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let header = answer.columns();
    match format {
        Format::Csv => {
            writeln!(out, "{}", header.join(","))?;
            for i in 0..answer.len() {
                writeln!(out, "{}", answer.row_csv(i))?;
            }
        }
        Format::Json => {
            let doc = serde_json::json!({
                "release": answer.release,
                "dataset": answer.dataset.name(),
                "rows": (0..answer.len()).map(|i| answer.row_json(i)).collect::<Vec<_>>(),
                "total": answer.total_json(),
                "sources": attribution(answer, release),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        }
        Format::Table => {
            let mut grid: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
            for row in answer.rows() {
                grid.push(
                    row.keys
                        .iter()
                        .map(|k| k.to_string())
                        .chain(row.values.iter().map(Value::to_string))
                        .collect(),
                );
            }
            if answer.len() > 1 {
                let mut total = vec![String::new(); answer.keys.len()];
                if let Some(first) = total.first_mut() {
                    *first = "total".into();
                }
                grid.push(
                    total
                        .into_iter()
                        .chain(answer.total.iter().map(Value::to_string))
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
        .map(|c| grid.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
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
    eprintln!(
        "{} rows of `{}` in release {}, imported from {}",
        rows.len(),
        name,
        release.manifest.id,
        files.join(", ")
    );
    Ok(())
}
