//! A release in memory: its manifest and its tables, decoded once from Arrow IPC and indexed for the
//! query engine (year ranges, and row lists per country code on the origin, asylum and country
//! dimensions).

use std::collections::BTreeMap;
use std::path::Path;

use passage_datasets::{Dataset, MeasureData, Table, NULL_INT};
use passage_domain::{CountryRef, CountryRow};

use crate::ipc::read_verified_table;
use crate::{Manifest, StoreError};

/// Rows of each code of one dimension, in compressed-sparse-row form: the rows of code `c` are
/// `rows[offsets[c]..offsets[c + 1]]`, ascending.
#[derive(Debug, Clone)]
pub struct Postings {
    offsets: Vec<u32>,
    rows: Vec<u32>,
}

impl Postings {
    fn build(codes: &[u32], cardinality: usize) -> Postings {
        let mut offsets = vec![0u32; cardinality + 1];
        for &c in codes {
            offsets[c as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut fill = offsets.clone();
        let mut rows = vec![0u32; codes.len()];
        for (row, &c) in codes.iter().enumerate() {
            rows[fill[c as usize] as usize] = row as u32;
            fill[c as usize] += 1;
        }
        Postings { offsets, rows }
    }

    /// The rows holding dictionary code `code` of the dimension, ascending; empty for an unknown code.
    pub fn rows_of(&self, code: u32) -> &[u32] {
        let c = code as usize;
        match (self.offsets.get(c), self.offsets.get(c + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// A table with its indexes.
#[derive(Debug, Clone)]
pub struct IndexedTable {
    /// The dataset the table holds.
    pub dataset: Dataset,
    /// The table's columns.
    pub table: Table,
    /// `(year, first row, end row)` for each year present; rows are sorted by year.
    pub year_ranges: Vec<(i16, u32, u32)>,
    /// Postings of each dimension that holds country codes (`None` for the others).
    pub postings: Vec<Option<Postings>>,
    /// For each dimension, the rank of each code in the sorted dictionary, and its inverse, so that
    /// grouping keys packed from ranks sort in output order without comparing strings.
    pub ranks: Vec<Vec<u32>>,
    /// For each dimension, the dictionary code at each rank: the inverse of `ranks`.
    pub by_rank: Vec<Vec<u32>>,
    /// The label of each year from the first to the last year present.
    pub year_labels: Vec<String>,
    /// For each measure, its sum and count of reported values in each year range: whole-year
    /// selections without other filters are answered from these.
    pub year_rollups: Vec<YearRollup>,
    /// For the UNHCR code dimensions (`coo`, `coa`), the first row of each code, where the code's
    /// published name and ISO code are read.
    pub first_rows: Vec<Option<Vec<u32>>>,
}

/// Per-year sums of one measure, indexed like [`IndexedTable::year_ranges`].
#[derive(Debug, Clone, Default)]
pub struct YearRollup {
    /// Sums of each year range, for an integer measure (empty otherwise); missing values are left out.
    pub ints: Vec<i64>,
    /// Sums of each year range, for a float measure (empty otherwise); missing values are left out.
    pub floats: Vec<f64>,
    /// The number of reported (non-missing) values in each year range.
    pub present: Vec<u32>,
}

fn rollups(table: &Table, year_ranges: &[(i16, u32, u32)]) -> Vec<YearRollup> {
    table
        .measures
        .iter()
        .map(|m| {
            let mut r = YearRollup {
                present: vec![0; year_ranges.len()],
                ..Default::default()
            };
            match &m.data {
                MeasureData::Int(col) => {
                    r.ints = year_ranges
                        .iter()
                        .zip(&mut r.present)
                        .map(|(&(_, a, b), n)| {
                            let slice = &col[a as usize..b as usize];
                            *n = slice.iter().filter(|&&v| v != NULL_INT).count() as u32;
                            slice.iter().filter(|&&v| v != NULL_INT).sum()
                        })
                        .collect();
                }
                MeasureData::Float(col) => {
                    r.floats = year_ranges
                        .iter()
                        .zip(&mut r.present)
                        .map(|(&(_, a, b), n)| {
                            let slice = &col[a as usize..b as usize];
                            *n = slice.iter().filter(|v| !v.is_nan()).count() as u32;
                            slice.iter().filter(|v| !v.is_nan()).sum()
                        })
                        .collect();
                }
            }
            r
        })
        .collect()
}

impl IndexedTable {
    /// Indexes a table whose rows are sorted by year: year ranges, postings of the country dimensions, ranks and rollups.
    pub fn new(dataset: Dataset, table: Table) -> IndexedTable {
        let mut year_ranges: Vec<(i16, u32, u32)> = Vec::new();
        if let Some(years) = &table.years {
            for (row, &y) in years.iter().enumerate() {
                match year_ranges.last_mut() {
                    Some(last) if last.0 == y => last.2 = row as u32 + 1,
                    _ => year_ranges.push((y, row as u32, row as u32 + 1)),
                }
            }
        }
        let postings = table
            .dims
            .iter()
            .map(|d| {
                matches!(d.name.as_str(), "coo_iso" | "coa_iso" | "iso3")
                    .then(|| Postings::build(&d.codes, d.dict.len()))
            })
            .collect();
        let mut ranks = Vec::with_capacity(table.dims.len());
        let mut by_rank = Vec::with_capacity(table.dims.len());
        for d in &table.dims {
            let mut order: Vec<u32> = (0..d.dict.len() as u32).collect();
            order.sort_by(|&a, &b| d.dict[a as usize].cmp(&d.dict[b as usize]));
            let mut rank = vec![0u32; order.len()];
            for (r, &code) in order.iter().enumerate() {
                rank[code as usize] = r as u32;
            }
            ranks.push(rank);
            by_rank.push(order);
        }
        let year_labels = match (year_ranges.first(), year_ranges.last()) {
            (Some(a), Some(b)) => (a.0..=b.0).map(|y| y.to_string()).collect(),
            _ => Vec::new(),
        };
        let year_rollups = rollups(&table, &year_ranges);
        let first_rows = table
            .dims
            .iter()
            .map(|d| {
                matches!(d.name.as_str(), "coo" | "coa").then(|| {
                    let mut first = vec![u32::MAX; d.dict.len()];
                    for (row, &c) in d.codes.iter().enumerate() {
                        if first[c as usize] == u32::MAX {
                            first[c as usize] = row as u32;
                        }
                    }
                    first
                })
            })
            .collect();
        IndexedTable {
            dataset,
            table,
            year_ranges,
            postings,
            ranks,
            by_rank,
            year_labels,
            year_rollups,
            first_rows,
        }
    }

    /// The first year present, if the table has years.
    pub fn first_year(&self) -> Option<i16> {
        self.year_ranges.first().map(|r| r.0)
    }

    /// The position of the dimension named, among the table's dimensions.
    pub fn dim_index(&self, name: &str) -> Option<usize> {
        self.table.dims.iter().position(|d| d.name == name)
    }

    /// The dictionary code of `value` in dimension `index`, by binary search of the sorted
    /// dictionary: a filter on a hundred countries looked each one up in turn among thousands.
    pub fn code_of(&self, index: usize, value: &str) -> Option<u32> {
        let dict = &self.table.dims.get(index)?.dict;
        let order = self.by_rank.get(index)?;
        let at = order
            .binary_search_by(|&c| dict[c as usize].as_str().cmp(value))
            .ok()?;
        order.get(at).copied()
    }

    /// The rows of years in `first..=last`, as one contiguous range.
    pub fn rows_in_years(&self, first: i16, last: i16) -> std::ops::Range<usize> {
        let start = self.year_ranges.partition_point(|r| r.0 < first);
        let end = self.year_ranges.partition_point(|r| r.0 <= last);
        if start >= end {
            return 0..0;
        }
        self.year_ranges[start].1 as usize..self.year_ranges[end - 1].2 as usize
    }

    /// The years present, ascending.
    pub fn years(&self) -> impl Iterator<Item = i16> + '_ {
        self.year_ranges.iter().map(|r| r.0)
    }
}

/// A loaded release.
#[derive(Debug)]
pub struct Release {
    /// What the store records about the release.
    pub manifest: Manifest,
    tables: BTreeMap<Dataset, IndexedTable>,
    countries: CountryRef,
}

impl Release {
    /// Reads every table file of the release directory `dir`, in parallel.
    pub fn load(dir: &Path, manifest: Manifest) -> Result<Release, StoreError> {
        let entries: Vec<_> = manifest.tables.iter().collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(entries.len().max(1));
        let chunks: Vec<Vec<_>> = (0..threads)
            .map(|t| entries.iter().skip(t).step_by(threads).collect())
            .collect();
        let loaded: Vec<Result<Vec<(Dataset, IndexedTable)>, StoreError>> = std::thread::scope(
            |s| {
                let handles: Vec<_> = chunks
                .iter()
                .map(|chunk| {
                    s.spawn(move || {
                        chunk
                            .iter()
                            .map(|entry| {
                                let path = dir.join(&entry.file);
                                let table = read_verified_table(&path, &entry.sha256)?;
                                let dataset = Dataset::from_name(&table.name)
                                    .filter(|d| d.name() == entry.dataset && table.len as u64 == entry.rows)
                                    .ok_or_else(|| StoreError::Corrupt {
                                        path: path.clone(),
                                        message: format!("does not hold the {} rows of `{}` its manifest lists", entry.rows, entry.dataset),
                                    })?;
                                Ok((dataset, IndexedTable::new(dataset, table)))
                            })
                            .collect()
                    })
                })
                .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|_| Ok(Vec::new())))
                    .collect()
            },
        );
        let mut tables = BTreeMap::new();
        for part in loaded {
            tables.extend(part?);
        }
        let countries = tables
            .get(&Dataset::Countries)
            .map(|t| country_ref_of(&t.table))
            .unwrap_or_default();
        Ok(Release {
            manifest,
            tables,
            countries,
        })
    }

    /// A release from tables already in memory (tables of unknown datasets are left out).
    pub fn from_tables(manifest: Manifest, tables: Vec<Table>) -> Release {
        let tables: BTreeMap<Dataset, IndexedTable> = tables
            .into_iter()
            .filter_map(|t| Dataset::from_name(&t.name).map(|d| (d, IndexedTable::new(d, t))))
            .collect();
        let countries = tables
            .get(&Dataset::Countries)
            .map(|t| country_ref_of(&t.table))
            .unwrap_or_default();
        Release {
            manifest,
            tables,
            countries,
        }
    }

    /// An import held in memory as a release, never written to a store: for tests, benchmarks
    /// and tools that read source files directly. Its id is the one `Store::sync` would give.
    pub fn from_import(imported: passage_datasets::Imported) -> Release {
        let manifest = Manifest {
            id: crate::release_id_of(&imported.sources),
            format_version: crate::FORMAT_VERSION,
            created_at: String::new(),
            sources: imported.sources,
            tables: Vec::new(),
            skipped: imported.skipped,
        };
        Release::from_tables(manifest, imported.tables)
    }

    /// The table of a dataset, if the release holds it.
    pub fn table(&self, dataset: Dataset) -> Option<&IndexedTable> {
        self.tables.get(&dataset)
    }

    /// Every table of the release, in dataset order.
    pub fn tables(&self) -> impl Iterator<Item = &IndexedTable> {
        self.tables.values()
    }

    /// The release's country reference (empty if it has no country list).
    pub fn countries(&self) -> &CountryRef {
        &self.countries
    }
}

pub(crate) fn country_ref_of(t: &Table) -> CountryRef {
    let col = |name: &str| t.dim(name);
    let (Some(iso), Some(unhcr), Some(name)) = (col("iso3"), col("unhcr_code"), col("name")) else {
        return CountryRef::default();
    };
    fn text(d: Option<&passage_datasets::Dim>, row: usize) -> &str {
        d.map_or("", |d| d.value(row))
    }
    let rows = (0..t.len).map(|r| CountryRow {
        iso: iso.value(r),
        unhcr: unhcr.value(r),
        name: name.value(r),
        unhcr_region: text(col("unhcr_region"), r),
        unsd_region: text(col("m49_region"), r),
        unsd_subregion: text(col("m49_subregion"), r),
        unsd_imregion: text(col("m49_intermediate_region"), r),
    });
    CountryRef::from_rows(rows).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_list_rows_per_code() {
        let p = Postings::build(&[2, 0, 2, 1, 2], 4);
        assert_eq!(p.rows_of(2), &[0, 2, 4]);
        assert_eq!(p.rows_of(0), &[1]);
        assert_eq!(p.rows_of(3), &[] as &[u32]);
        assert_eq!(p.rows_of(9), &[] as &[u32]);
    }
}
