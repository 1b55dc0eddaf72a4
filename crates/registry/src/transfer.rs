//! Import and export files: one JSON document holding entities, pledges, updates, links and
//! positions, or one CSV file per kind (lists separated by `;`). Every row or item is read on its
//! own, and an error names the file and the line (CSV) or line and column (JSON) where it is.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::registry::Bundle;
use crate::RegistryError;

/// The kinds a CSV file can hold, with their columns: (name, how the cell is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvKind {
    /// States, organisations and other pledging entities.
    Entities,
    /// Pledges, one a row.
    Pledges,
    /// Progress updates on pledges.
    Updates,
    /// Links from pledges to indicators.
    Links,
    /// Positions of states and groups on parts of the compacts' texts.
    Positions,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    Int,
    Float,
    Bool,
    Texts,
    Ints,
}

impl CsvKind {
    /// The kind a user names (`entities`, `pledges`, `updates`, `links`, `positions`).
    pub fn parse(text: &str) -> Option<CsvKind> {
        match text {
            "entities" => Some(CsvKind::Entities),
            "pledges" => Some(CsvKind::Pledges),
            "updates" => Some(CsvKind::Updates),
            "links" => Some(CsvKind::Links),
            "positions" => Some(CsvKind::Positions),
            _ => None,
        }
    }

    /// The kind's name, as `parse` reads it.
    pub fn name(self) -> &'static str {
        match self {
            CsvKind::Entities => "entities",
            CsvKind::Pledges => "pledges",
            CsvKind::Updates => "updates",
            CsvKind::Links => "links",
            CsvKind::Positions => "positions",
        }
    }

    fn columns(self) -> &'static [(&'static str, Cell)] {
        use Cell::*;
        match self {
            CsvKind::Entities => &[
                ("id", Text),
                ("kind", Text),
                ("name", Text),
                ("country", Text),
                ("example", Bool),
            ],
            CsvKind::Pledges => &[
                ("id", Text),
                ("title", Text),
                ("description", Text),
                ("entity", Text),
                ("co_pledgers", Texts),
                ("matched", Texts),
                ("forum", Text),
                ("forum_year", Int),
                ("compact", Text),
                ("objectives", Ints),
                ("principles", Texts),
                ("area", Text),
                ("contribution", Text),
                ("amount", Float),
                ("currency", Text),
                ("places", Int),
                ("scope", Texts),
                ("target_date", Text),
                ("example", Bool),
            ],
            CsvKind::Updates => &[
                ("pledge", Text),
                ("stage", Text),
                ("date", Text),
                ("text", Text),
                ("evidence", Texts),
            ],
            CsvKind::Links => &[
                ("pledge", Text),
                ("indicator", Text),
                ("country", Text),
                ("role", Text),
                ("note", Text),
            ],
            CsvKind::Positions => &[
                ("id", Text),
                ("entity", Text),
                ("document", Text),
                ("part", Text),
                ("date", Text),
                ("stance", Text),
                ("summary", Text),
                ("quote", Text),
                ("source", Text),
                ("forum", Text),
            ],
        }
    }
}

fn at(file: &str, line: u64, message: impl std::fmt::Display) -> RegistryError {
    RegistryError::Import {
        place: format!("{file}:{line}"),
        message: message.to_string(),
    }
}

/// The items of a list cell: separated by `;`, with `\;` and `\\` standing for a `;` or a `\`
/// inside an item (an evidence link may hold a `;`), trimmed, empty items dropped.
fn list_items(value: &str) -> Vec<String> {
    let (mut items, mut item) = (Vec::new(), String::new());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => item.push(chars.next().unwrap_or('\\')),
            ';' => items.push(std::mem::take(&mut item)),
            c => item.push(c),
        }
    }
    items.push(item);
    items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

/// One list item as written in a cell, so that [`list_items`] reads it back.
fn list_item(item: &str) -> String {
    item.replace('\\', "\\\\").replace(';', "\\;")
}

fn cell(value: &str, how: Cell) -> Result<Value, String> {
    let list = || list_items(value).into_iter();
    Ok(match how {
        Cell::Text => Value::String(value.into()),
        Cell::Int => Value::from(
            value
                .parse::<i64>()
                .map_err(|_| format!("`{value}` is not a whole number"))?,
        ),
        Cell::Float => serde_json::Number::from_f64(
            value
                .parse::<f64>()
                .map_err(|_| format!("`{value}` is not a number"))?,
        )
        .map(Value::Number)
        .ok_or_else(|| format!("`{value}` is not a finite number"))?,
        Cell::Bool => match value {
            "true" | "yes" | "1" => Value::Bool(true),
            "false" | "no" | "0" => Value::Bool(false),
            _ => return Err(format!("`{value}` is not true or false")),
        },
        Cell::Texts => Value::Array(list().map(Value::String).collect()),
        Cell::Ints => Value::Array(
            list()
                .map(|s| {
                    s.parse::<i64>()
                        .map(Value::from)
                        .map_err(|_| format!("`{s}` is not a whole number"))
                })
                .collect::<Result<_, _>>()?,
        ),
    })
}

fn rows<T: DeserializeOwned>(
    kind: CsvKind,
    text: &str,
    file: &str,
) -> Result<(Vec<T>, Vec<u64>), RegistryError> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| at(file, 1, e))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let columns = kind.columns();
    for h in &header {
        if !columns.iter().any(|(c, _)| c == h) {
            let known: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            return Err(at(
                file,
                1,
                format!(
                    "unknown column `{h}` for {}; columns: {}",
                    kind.name(),
                    known.join(", ")
                ),
            ));
        }
    }
    let (mut items, mut lines) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|e| at(file, e.position().map_or(0, |p| p.line()), e))?;
        let line = record.position().map_or(0, |p| p.line());
        let mut obj = Map::new();
        for (name, value) in header.iter().zip(record.iter()) {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let how = columns
                .iter()
                .find(|(c, _)| c == name)
                .map_or(Cell::Text, |(_, h)| *h);
            let v =
                cell(value, how).map_err(|m| at(file, line, format!("column `{name}`: {m}")))?;
            obj.insert(name.clone(), v);
        }
        let item = serde_json::from_value(Value::Object(obj)).map_err(|e| at(file, line, e))?;
        items.push(item);
        lines.push(line);
    }
    Ok((items, lines))
}

/// A CSV file of one kind as a bundle, with the line of each item.
pub fn bundle_from_csv(
    kind: CsvKind,
    text: &str,
    file: &str,
) -> Result<(Bundle, Vec<u64>), RegistryError> {
    let mut b = Bundle::default();
    let lines = match kind {
        CsvKind::Entities => {
            let (v, l) = rows(kind, text, file)?;
            b.entities = v;
            l
        }
        CsvKind::Pledges => {
            let (v, l) = rows(kind, text, file)?;
            b.pledges = v;
            l
        }
        CsvKind::Updates => {
            let (v, l) = rows(kind, text, file)?;
            b.updates = v;
            l
        }
        CsvKind::Links => {
            let (v, l) = rows(kind, text, file)?;
            b.links = v;
            l
        }
        CsvKind::Positions => {
            let (v, l) = rows(kind, text, file)?;
            b.positions = v;
            l
        }
    };
    Ok((b, lines))
}

/// A JSON bundle; a syntax or shape error names line and column.
pub fn bundle_from_json(text: &str, file: &str) -> Result<Bundle, RegistryError> {
    serde_json::from_str(text).map_err(|e| RegistryError::Import {
        place: format!("{file}:{}:{}", e.line(), e.column()),
        message: e.to_string(),
    })
}

/// One kind of a bundle as CSV, in the import's columns.
pub fn to_csv(kind: CsvKind, bundle: &Bundle) -> Result<String, RegistryError> {
    let values: Result<Vec<Value>, serde_json::Error> = match kind {
        CsvKind::Entities => bundle.entities.iter().map(serde_json::to_value).collect(),
        CsvKind::Pledges => bundle.pledges.iter().map(serde_json::to_value).collect(),
        CsvKind::Updates => bundle.updates.iter().map(serde_json::to_value).collect(),
        CsvKind::Links => bundle.links.iter().map(serde_json::to_value).collect(),
        CsvKind::Positions => bundle.positions.iter().map(serde_json::to_value).collect(),
    };
    let values = values.map_err(|e| RegistryError::Database(e.to_string()))?;
    let columns = kind.columns();
    let mut w = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| RegistryError::Database(e.to_string());
    w.write_record(columns.iter().map(|(c, _)| *c))
        .map_err(io)?;
    for v in values {
        let record: Vec<String> = columns
            .iter()
            .map(|(c, _)| match v.get(*c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), list_item))
                    .collect::<Vec<_>>()
                    .join(";"),
                Some(other) => other.to_string(),
            })
            .collect();
        w.write_record(&record).map_err(io)?;
    }
    String::from_utf8(
        w.into_inner()
            .map_err(|e| RegistryError::Database(e.to_string()))?,
    )
    .map_err(|e| RegistryError::Database(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_item_holding_a_semicolon_survives_csv_export_and_import() {
        let update = r#"{"updates": [{"pledge": "P-1", "stage": "in_progress", "date": "2024-12-31",
            "text": "t", "evidence": ["https://example.org/report;2024", "https://example.org/a\\b"]}]}"#;
        let bundle = bundle_from_json(update, "b.json").unwrap();
        let csv = to_csv(CsvKind::Updates, &bundle).unwrap();
        let (back, _) = bundle_from_csv(CsvKind::Updates, &csv, "u.csv").unwrap();
        assert_eq!(
            back.updates[0].evidence, bundle.updates[0].evidence,
            "{csv}"
        );
        assert!(back.updates[0].check().is_ok());
    }

    #[test]
    fn list_cells_split_on_unescaped_semicolons_only() {
        assert_eq!(list_items(" a ; b;;c "), ["a", "b", "c"]);
        assert_eq!(list_items(r"a\;b;c\\;d\"), ["a;b", r"c\", r"d\"]);
    }
}
