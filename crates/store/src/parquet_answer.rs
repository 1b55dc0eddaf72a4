//! An answer as a Parquet file (Snappy-compressed), for analysts who load results into their own
//! tools: grouping columns as strings (the year as an integer), measures as nullable numbers, and
//! the release id in the file's metadata.

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use passage_datasets::{MeasureData, Value};

use crate::{Answer, Release, StoreError};

fn failed(message: impl ToString) -> StoreError {
    StoreError::Corrupt {
        path: "answer.parquet".into(),
        message: message.to_string(),
    }
}

/// Rows `from..to` of `answer` as the bytes of a Parquet file.
pub fn answer_to_parquet(
    release: &Release,
    answer: &Answer<'_>,
    from: usize,
    to: usize,
) -> Result<Vec<u8>, StoreError> {
    let rows = from..to.min(answer.len());
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    for (k, name) in answer.keys.iter().enumerate() {
        let values = rows.clone().map(|i| answer.row(i).keys[k]);
        if *name == "year" {
            fields.push(Field::new(*name, DataType::Int64, false));
            columns.push(Arc::new(
                values
                    .map(|v| v.parse::<i64>().unwrap_or_default())
                    .collect::<Int64Array>(),
            ));
        } else {
            fields.push(Field::new(*name, DataType::Utf8, false));
            columns.push(Arc::new(values.map(Some).collect::<StringArray>()));
        }
    }
    let table = release.table(answer.dataset).map(|t| &t.table);
    for (m, name) in answer.measures.iter().enumerate() {
        let float = table
            .and_then(|t| t.measure(name))
            .is_some_and(|c| matches!(c.data, MeasureData::Float(_)));
        let values = rows.clone().map(|i| answer.row(i).values[m]);
        if float {
            fields.push(Field::new(*name, DataType::Float64, true));
            columns.push(Arc::new(
                values
                    .map(|v| match v {
                        Value::Float(f) => Some(f),
                        Value::Int(i) => Some(i as f64),
                        Value::Null => None,
                    })
                    .collect::<Float64Array>(),
            ));
        } else {
            fields.push(Field::new(*name, DataType::Int64, true));
            columns.push(Arc::new(
                values
                    .map(|v| match v {
                        Value::Int(i) => Some(i),
                        Value::Float(f) => Some(f as i64),
                        Value::Null => None,
                    })
                    .collect::<Int64Array>(),
            ));
        }
    }
    fields.push(Field::new("source_rows", DataType::UInt64, false));
    columns.push(Arc::new(
        rows.clone()
            .map(|i| answer.row(i).source_rows)
            .collect::<UInt64Array>(),
    ));

    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).map_err(failed)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![
            KeyValue::new("passage.release".into(), release.manifest.id.to_string()),
            KeyValue::new("passage.dataset".into(), answer.dataset.name().to_string()),
            KeyValue::new(
                "passage.attribution".into(),
                credits(release, answer.dataset, |s| s.attribution.clone()),
            ),
            KeyValue::new(
                "passage.licence".into(),
                credits(release, answer.dataset, |s| s.licence.clone()),
            ),
        ]))
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, schema, Some(props)).map_err(failed)?;
    writer.write(&batch).map_err(failed)?;
    writer.close().map_err(failed)?;
    Ok(out)
}

/// The distinct attributions (or licences) of the files a dataset came from, joined by `; `.
pub fn credits(
    release: &Release,
    dataset: passage_datasets::Dataset,
    field: impl Fn(&passage_datasets::SourceReport) -> String,
) -> String {
    let mut out: Vec<String> = Vec::new();
    for s in &release.manifest.sources {
        if s.datasets.iter().any(|d| d == dataset.name()) {
            let v = field(s);
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    out.join("; ")
}
