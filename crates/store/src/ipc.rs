//! A table as an Arrow IPC file: `year` Int16, dimensions as dictionary-encoded strings, measures as
//! nullable Int64 or Float64, so that pyarrow, DuckDB, polars or R's arrow open a release directly.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use arrow_array::types::UInt32Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int16Array, Int64Array, RecordBatch,
    StringArray, UInt32Array,
};
use arrow_ipc::reader::FileReader;
use arrow_ipc::writer::FileWriter;
use arrow_schema::{DataType, Field, Schema};
use passage_datasets::{Dim, Measure, MeasureData, Table, NULL_INT};
use sha2::{Digest, Sha256};

use crate::StoreError;

const DATASET_KEY: &str = "passage.dataset";

fn corrupt(path: &Path, message: impl ToString) -> StoreError {
    StoreError::Corrupt {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

/// An error of the Arrow writer: a failed write is the disk's failure (a full disk above all), not
/// a malformed file.
fn write_error(path: &Path, e: arrow_schema::ArrowError) -> StoreError {
    match e {
        arrow_schema::ArrowError::IoError(_, source) => StoreError::from_io(path.into(), source),
        other => corrupt(path, other),
    }
}

fn dict_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::UInt32), Box::new(DataType::Utf8))
}

/// Writes `table` to `path`, flushes it to disk, and returns its size and digest.
pub fn write_table(path: &Path, table: &Table) -> Result<Written, StoreError> {
    let mut fields = Vec::new();
    let mut columns: Vec<ArrayRef> = Vec::new();
    if let Some(years) = &table.years {
        fields.push(Field::new("year", DataType::Int16, false));
        columns.push(Arc::new(Int16Array::from(years.clone())));
    }
    for d in &table.dims {
        fields.push(Field::new(&d.name, dict_type(), false));
        let keys = UInt32Array::from(d.codes.clone());
        let values = Arc::new(StringArray::from(d.dict.clone()));
        let array =
            DictionaryArray::<UInt32Type>::try_new(keys, values).map_err(|e| corrupt(path, e))?;
        columns.push(Arc::new(array));
    }
    for m in &table.measures {
        match &m.data {
            MeasureData::Int(v) => {
                fields.push(Field::new(&m.name, DataType::Int64, true));
                columns.push(Arc::new(
                    v.iter()
                        .map(|&x| (x != NULL_INT).then_some(x))
                        .collect::<Int64Array>(),
                ));
            }
            MeasureData::Float(v) => {
                fields.push(Field::new(&m.name, DataType::Float64, true));
                columns.push(Arc::new(
                    v.iter()
                        .map(|&x| (!x.is_nan()).then_some(x))
                        .collect::<Float64Array>(),
                ));
            }
        }
    }
    let metadata: std::collections::HashMap<String, String> =
        [(DATASET_KEY.to_string(), table.name.clone())]
            .into_iter()
            .collect();
    let schema = Arc::new(Schema::new_with_metadata(fields, metadata));
    let batch = if columns.is_empty() {
        RecordBatch::new_empty(schema.clone())
    } else {
        RecordBatch::try_new(schema.clone(), columns).map_err(|e| corrupt(path, e))?
    };
    let file = File::create(path).map_err(StoreError::io(path))?;
    let hashing = HashingWriter {
        inner: BufWriter::with_capacity(1 << 20, file),
        hash: Sha256::new(),
        bytes: 0,
    };
    let mut writer = FileWriter::try_new(hashing, &schema).map_err(|e| write_error(path, e))?;
    writer.write(&batch).map_err(|e| write_error(path, e))?;
    writer.finish().map_err(|e| write_error(path, e))?;
    let hashing = writer.into_inner().map_err(|e| write_error(path, e))?;
    let (digest, bytes) = (hex::encode(hashing.hash.finalize()), hashing.bytes);
    let mut inner = hashing.inner;
    inner.flush().map_err(StoreError::io(path))?;
    let file = inner
        .into_inner()
        .map_err(|e| StoreError::from_io(path.into(), e.into_error()))?;
    file.sync_all().map_err(StoreError::io(path))?;
    Ok(Written {
        bytes,
        sha256: digest,
    })
}

/// What writing a table file produced: its size and sha256, computed as it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The file's size in bytes.
    pub bytes: u64,
    /// The file's sha256, in lower-case hex.
    pub sha256: String,
}

/// Hashes what passes through it, so a file's digest costs no second read.
struct HashingWriter<W> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Reads a table written by [`write_table`].
pub fn read_table(path: &Path) -> Result<Table, StoreError> {
    let file = File::open(path).map_err(StoreError::io(path))?;
    read_table_from(path, BufReader::with_capacity(1 << 20, file))
}

/// Reads a table file whose sha256 must be `expected` (as its manifest lists it): the file is
/// read once, hashed, and parsed only if it is the file that was written.
pub fn read_verified_table(path: &Path, expected: &str) -> Result<Table, StoreError> {
    let bytes = std::fs::read(path).map_err(StoreError::io(path))?;
    let digest = hex::encode(Sha256::digest(&bytes));
    if !digest.eq_ignore_ascii_case(expected) {
        return Err(corrupt(
            path,
            format!("its sha256 is {digest}, not the manifest's {expected}"),
        ));
    }
    read_table_from(path, std::io::Cursor::new(bytes))
}

fn read_table_from(
    path: &Path,
    source: impl std::io::Read + std::io::Seek,
) -> Result<Table, StoreError> {
    let reader = FileReader::try_new(source, None).map_err(|e| corrupt(path, e))?;
    let schema = reader.schema();
    let name = schema
        .metadata()
        .get(DATASET_KEY)
        .cloned()
        .ok_or_else(|| corrupt(path, "no dataset name in the schema"))?;
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| corrupt(path, e))?;
    let [batch] = batches.as_slice() else {
        return Err(corrupt(
            path,
            format!("expected one record batch, found {}", batches.len()),
        ));
    };
    let mut table = Table {
        name,
        years: None,
        dims: Vec::new(),
        measures: Vec::new(),
        len: batch.num_rows(),
    };
    for (field, column) in schema.fields().iter().zip(batch.columns()) {
        let any = column.as_any();
        match field.data_type() {
            DataType::Int16 if field.name() == "year" => {
                let a = any
                    .downcast_ref::<Int16Array>()
                    .ok_or_else(|| corrupt(path, "bad year column"))?;
                table.years = Some(a.values().to_vec());
            }
            DataType::Dictionary(_, _) => {
                let a = any
                    .downcast_ref::<DictionaryArray<UInt32Type>>()
                    .ok_or_else(|| {
                        corrupt(
                            path,
                            format!("column {} is not a UInt32 dictionary", field.name()),
                        )
                    })?;
                let values = a
                    .values()
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| {
                        corrupt(
                            path,
                            format!("column {} has no string dictionary", field.name()),
                        )
                    })?;
                table.dims.push(Dim {
                    name: field.name().clone(),
                    codes: a.keys().values().to_vec(),
                    dict: values
                        .iter()
                        .map(|v| v.unwrap_or_default().to_string())
                        .collect(),
                });
            }
            DataType::Int64 => {
                let a = any
                    .downcast_ref::<Int64Array>()
                    .ok_or_else(|| corrupt(path, "bad Int64 column"))?;
                let mut v = a.values().to_vec();
                if let Some(nulls) = a.nulls() {
                    for i in (0..v.len()).filter(|&i| nulls.is_null(i)) {
                        v[i] = NULL_INT;
                    }
                }
                table.measures.push(Measure {
                    name: field.name().clone(),
                    data: MeasureData::Int(v),
                });
            }
            DataType::Float64 => {
                let a = any
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| corrupt(path, "bad Float64 column"))?;
                let mut v = a.values().to_vec();
                if let Some(nulls) = a.nulls() {
                    for i in (0..v.len()).filter(|&i| nulls.is_null(i)) {
                        v[i] = f64::NAN;
                    }
                }
                table.measures.push(Measure {
                    name: field.name().clone(),
                    data: MeasureData::Float(v),
                });
            }
            other => {
                return Err(corrupt(
                    path,
                    format!("unexpected column type {other} for {}", field.name()),
                ))
            }
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_datasets::{MeasureKind, TableBuilder};

    #[test]
    fn round_trip_keeps_nulls_zeros_and_dictionaries() {
        let mut b = TableBuilder::new(
            "population",
            true,
            &["coo_iso", "quality_flag"],
            &[("refugees", MeasureKind::Int), ("gdp", MeasureKind::Float)],
        );
        for (y, c, r, g) in [
            (2020, "SYR", Some(0), Some(1.5)),
            (2021, "", None, None),
            (2021, "SYR", Some(-3), Some(0.0)),
        ] {
            b.push_year(y);
            b.push_dim(0, c);
            b.push_dim(1, "");
            b.push_int(0, r);
            b.push_float(1, g);
            b.end_row();
        }
        let table = b.finish();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.arrow");
        write_table(&path, &table).unwrap();
        let back = read_table(&path).unwrap();
        assert_eq!(back.name, "population");
        assert_eq!(back.years, table.years);
        assert_eq!(back.dims, table.dims);
        assert_eq!(back.measures[0], table.measures[0]);
        let gdp: Vec<_> = (0..3).map(|i| back.measures[1].value(i)).collect();
        assert_eq!(
            gdp,
            (0..3)
                .map(|i| table.measures[1].value(i))
                .collect::<Vec<_>>()
        );
    }
}
