//! A plain table as a Parquet file (Snappy-compressed), for analysts who load a page's figures
//! into their own tools: columns typed by the caller (whole numbers, decimals, text), not
//! available as null (never 0), each column's shown header in its field metadata, and key-value
//! file metadata such as the release, the page and the sources. It knows nothing of pages.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;

/// The values of one column, `None` where not available.
#[derive(Debug, Clone, PartialEq)]
pub enum ParquetValues {
    /// Whole numbers (Parquet INT64).
    Int64(Vec<Option<i64>>),
    /// Numbers with decimals (Parquet DOUBLE); a non-finite number is written as null.
    Float64(Vec<Option<f64>>),
    /// Text (Parquet UTF8 strings).
    Utf8(Vec<Option<String>>),
}

impl ParquetValues {
    fn len(&self) -> usize {
        match self {
            ParquetValues::Int64(v) => v.len(),
            ParquetValues::Float64(v) => v.len(),
            ParquetValues::Utf8(v) => v.len(),
        }
    }
}

/// One column: its machine name, the header people see, and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetColumn {
    /// The column's name in the file (a page's JSON key and CSV header).
    pub name: String,
    /// The header as shown, kept as the field's `label` metadata; `None` for none.
    pub label: Option<String>,
    /// The values, one per row.
    pub values: ParquetValues,
}

/// A table to write: its columns, all of one length, and the file's key-value metadata.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParquetTable {
    /// The columns, in order.
    pub columns: Vec<ParquetColumn>,
    /// Key-value pairs of the file's metadata, in order.
    pub metadata: Vec<(String, String)>,
}

/// Why a table could not be written as Parquet.
#[derive(Debug, thiserror::Error)]
pub enum ParquetTableError {
    /// A file needs at least one column.
    #[error("a Parquet table needs at least one column")]
    NoColumns,
    /// A column's length differs from the first column's.
    #[error("column `{column}` has {found} values where the first column has {expected}")]
    Ragged {
        /// The column's name.
        column: String,
        /// Its number of values.
        found: usize,
        /// The first column's number of values.
        expected: usize,
    },
    /// Arrow refused the columns.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// The Parquet writer failed.
    #[error("parquet: {0}")]
    Parquet(#[from] ParquetError),
}

/// The bytes of a Parquet file holding `table`.
pub fn table_parquet(table: &ParquetTable) -> Result<Vec<u8>, ParquetTableError> {
    let expected = table
        .columns
        .first()
        .ok_or(ParquetTableError::NoColumns)?
        .values
        .len();
    let mut fields = Vec::with_capacity(table.columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(table.columns.len());
    for column in &table.columns {
        if column.values.len() != expected {
            return Err(ParquetTableError::Ragged {
                column: column.name.clone(),
                found: column.values.len(),
                expected,
            });
        }
        let (data_type, array): (DataType, ArrayRef) = match &column.values {
            ParquetValues::Int64(v) => (
                DataType::Int64,
                Arc::new(v.iter().copied().collect::<Int64Array>()),
            ),
            ParquetValues::Float64(v) => (
                DataType::Float64,
                Arc::new(
                    v.iter()
                        .map(|x| x.filter(|x| x.is_finite()))
                        .collect::<Float64Array>(),
                ),
            ),
            ParquetValues::Utf8(v) => (
                DataType::Utf8,
                Arc::new(v.iter().map(Option::as_deref).collect::<StringArray>()),
            ),
        };
        // Every column is nullable, so a column whose figures are all available today has the
        // same schema as the same column of another country or release.
        let mut field = Field::new(column.name.as_str(), data_type, true);
        if let Some(label) = &column.label {
            field = field.with_metadata(HashMap::from([("label".to_string(), label.clone())]));
        }
        fields.push(field);
        arrays.push(array);
    }
    // The pairs go in the Arrow schema too: pyarrow's `read_table(...).schema.metadata` shows
    // those, while `ParquetFile(...).metadata.metadata` shows the file's key-value pairs.
    let schema = Arc::new(
        Schema::new(fields).with_metadata(
            table
                .metadata
                .iter()
                .cloned()
                .collect::<HashMap<String, String>>(),
        ),
    );
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let metadata = table
        .metadata
        .iter()
        .map(|(k, v)| KeyValue::new(k.clone(), v.clone()))
        .collect();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(metadata))
        .build();
    let mut out = Vec::new();
    let mut writer = ArrowWriter::try_new(&mut out, schema, Some(props))?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn sample() -> ParquetTable {
        ParquetTable {
            columns: vec![
                ParquetColumn {
                    name: "year".into(),
                    label: Some("Year".into()),
                    values: ParquetValues::Utf8(vec![
                        Some("2023".into()),
                        Some("2024".into()),
                        None,
                    ]),
                },
                ParquetColumn {
                    name: "refugees".into(),
                    label: Some("Refugees (persons)".into()),
                    values: ParquetValues::Int64(vec![Some(31_612_412), None, Some(0)]),
                },
                ParquetColumn {
                    name: "share".into(),
                    label: None,
                    values: ParquetValues::Float64(vec![Some(2.5), Some(f64::NAN), None]),
                },
            ],
            metadata: vec![
                ("passage.release".into(), "r3e5c8098677e".into()),
                (
                    "passage.attribution".into(),
                    "UNHCR Refugee Data Finder".into(),
                ),
            ],
        }
    }

    /// The file's key-value pairs, the Arrow schema's and the rows.
    fn read(bytes: Vec<u8>) -> (Vec<KeyValue>, HashMap<String, String>, RecordBatch) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        std::fs::write(&path, bytes).unwrap();
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap()).unwrap();
        let meta = builder
            .metadata()
            .file_metadata()
            .key_value_metadata()
            .cloned()
            .unwrap_or_default();
        let arrow_meta = builder.schema().metadata().clone().into();
        let batch = builder.build().unwrap().next().unwrap().unwrap();
        (meta, arrow_meta, batch)
    }

    #[test]
    fn columns_keep_their_types_and_not_available_stays_null_never_zero() {
        let (meta, arrow_meta, batch) = read(table_parquet(&sample()).unwrap());
        let schema = batch.schema();
        let types: Vec<&DataType> = schema.fields().iter().map(|f| f.data_type()).collect();
        assert_eq!(
            types,
            [&DataType::Utf8, &DataType::Int64, &DataType::Float64]
        );
        assert_eq!(
            schema.field(1).metadata().get("label").map(String::as_str),
            Some("Refugees (persons)")
        );
        assert!(schema.field(2).metadata().is_empty());

        let years = batch.column(0).as_any().downcast_ref::<StringArray>();
        let years = years.unwrap();
        assert_eq!(years.value(1), "2024");
        assert!(years.is_null(2));
        let refugees = batch.column(1).as_any().downcast_ref::<Int64Array>();
        let refugees = refugees.unwrap();
        assert_eq!(refugees.value(0), 31_612_412);
        assert!(refugees.is_null(1), "not available is null");
        assert!(!refugees.is_null(2) && refugees.value(2) == 0, "a real 0");
        let share = batch.column(2).as_any().downcast_ref::<Float64Array>();
        let share = share.unwrap();
        assert_eq!(share.value(0), 2.5);
        assert!(share.is_null(1), "NaN is written as null");
        assert!(share.is_null(2));

        let value = |key: &str| {
            meta.iter()
                .find(|kv| kv.key == key)
                .and_then(|kv| kv.value.clone())
        };
        assert_eq!(value("passage.release").as_deref(), Some("r3e5c8098677e"));
        assert_eq!(
            meta.iter().filter(|kv| kv.key == "passage.release").count(),
            1,
            "once in the file, though the Arrow schema holds it too: {meta:?}"
        );
        assert_eq!(
            arrow_meta.get("passage.release").map(String::as_str),
            Some("r3e5c8098677e")
        );
        assert_eq!(
            value("passage.attribution").as_deref(),
            Some("UNHCR Refugee Data Finder")
        );
    }

    #[test]
    fn ragged_or_empty_tables_are_errors_not_panics() {
        let mut t = sample();
        t.columns[2].values = ParquetValues::Float64(vec![Some(1.0)]);
        assert!(matches!(
            table_parquet(&t),
            Err(ParquetTableError::Ragged {
                found: 1,
                expected: 3,
                ..
            })
        ));
        assert!(matches!(
            table_parquet(&ParquetTable::default()),
            Err(ParquetTableError::NoColumns)
        ));
    }

    #[test]
    fn a_table_without_rows_is_a_file_with_its_columns() {
        let t = ParquetTable {
            columns: vec![ParquetColumn {
                name: "value".into(),
                label: None,
                values: ParquetValues::Float64(Vec::new()),
            }],
            metadata: Vec::new(),
        };
        let bytes = table_parquet(&t).unwrap();
        assert_eq!(&bytes[..4], b"PAR1");
    }
}
