//! The real data of `../shared/data`: totals computed here independently (straight from the CSV text,
//! not through the parsers), published anchors, code systems, findings, and empty versus zero.

use std::collections::HashMap;
use std::sync::OnceLock;

use passage_datasets::{import_dir, Dataset, ImportOptions, Imported, Table, Value};

use crate::shared_data;

fn imported() -> &'static Imported {
    static IMPORTED: OnceLock<Imported> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        import_dir(&shared_data(), &ImportOptions::default(), &|_| {})
            .expect("the shared data imports")
    })
}

fn table(d: Dataset) -> &'static Table {
    imported()
        .tables
        .iter()
        .find(|t| t.name == d.name())
        .expect("table present")
}

/// Reads a CSV of the shared data as header-keyed string maps, with a minimal quote-aware reader
/// of its own, so that expected values do not come from the code under test.
fn read_csv(rel: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(shared_data().join(rel)).unwrap();
    let mut records: Vec<Vec<String>> = Vec::new();
    let (mut record, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for ch in text.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => record.push(std::mem::take(&mut cur)),
            '\n' if !quoted => {
                record.push(std::mem::take(&mut cur));
                records.push(std::mem::take(&mut record));
            }
            c => cur.push(c),
        }
    }
    let header = records.remove(0);
    records
        .into_iter()
        .map(|r| header.iter().cloned().zip(r).collect())
        .collect()
}

fn sum_where(t: &Table, measure: &str, keep: impl Fn(usize) -> bool) -> i64 {
    let m = t.measure(measure).unwrap();
    (0..t.len)
        .filter(|&r| keep(r))
        .filter_map(|r| match m.value(r) {
            Value::Int(v) => Some(v),
            _ => None,
        })
        .sum()
}

#[test]
fn every_source_is_recognised_and_every_row_kept() {
    let imp = imported();
    let rows: HashMap<&str, u64> = imp
        .sources
        .iter()
        .map(|s| (s.file.as_str(), s.rows))
        .collect();
    // Row counts published in the data README.
    for (file, n) in [
        ("unhcr/population.csv", 138_893),
        ("unhcr/asylum_applications.csv", 120_597),
        ("unhcr/asylum_decisions.csv", 113_929),
        ("unhcr/demographics.csv", 20_771),
        ("unhcr/solutions.csv", 21_258),
        ("unhcr/flows.csv", 105_868),
        ("unhcr/idmc.csv", 934),
        ("unhcr/unrwa.csv", 296),
        ("iom/missing_migrants_2014_2025.csv", 19_255),
        ("iom/missing_migrants_2026_export.csv", 238),
        ("undesa/international_migrant_stock_2024.csv", 153_296),
        ("negotiation/gcm_vote_a_res_73_195_2018-12-19.csv", 193),
        ("negotiation/gcr_vote_a_res_73_151_2018-12-17.csv", 193),
        // 23 objectives and 190 actions.
        ("negotiation/gcm_objectives_actions_2018.md", 213),
    ] {
        assert_eq!(rows.get(file), Some(&n), "{file}");
    }
    assert_eq!(imp.sources.len(), 20);
    assert_eq!(table(Dataset::MissingMigrants).len, 19_255 + 238);
    let wb = table(Dataset::WbPopulation).len + table(Dataset::WbPopulationAggregates).len;
    assert_eq!(wb as u64, rows["worldbank/population.csv"]);
    for s in &imp.sources {
        assert_eq!(s.sha256.len(), 64);
        assert!(
            !s.licence.is_empty() && !s.attribution.is_empty(),
            "{}",
            s.file
        );
    }
}

#[test]
fn world_refugees_per_year_match_an_independent_sum() {
    let mut expected: HashMap<i16, i64> = HashMap::new();
    for r in read_csv("unhcr/population.csv") {
        if let Ok(v) = r["refugees"].parse::<i64>() {
            *expected.entry(r["year"].parse().unwrap()).or_default() += v;
        }
    }
    let t = table(Dataset::Population);
    for year in [1951i16, 2000, 2018, 2024, 2025] {
        let got = sum_where(t, "refugees", |r| t.year(r) == Some(year));
        assert_eq!(got, expected[&year], "refugees {year}");
    }
    // An order of magnitude check against UNHCR's Global Trends: about 31 million refugees under
    // UNHCR's mandate at the end of 2024.
    let y2024 = expected[&2024];
    assert!((30_000_000..32_500_000).contains(&y2024), "{y2024}");
}

#[test]
fn missing_migrants_dead_and_missing_per_year_match_an_independent_sum() {
    let mut expected: HashMap<i16, i64> = HashMap::new();
    for r in read_csv("iom/missing_migrants_2014_2025.csv") {
        let year: i16 = match r["Incident Year"].parse() {
            Ok(y) => y,
            Err(_) => r["Main ID"][..4].parse().unwrap(),
        };
        *expected.entry(year).or_default() += r["Total Number of Dead and Missing"]
            .parse::<i64>()
            .unwrap_or(0);
    }
    for r in read_csv("iom/missing_migrants_2026_export.csv") {
        let dead = r["Number Dead"].parse::<i64>().unwrap_or(0);
        let missing = r["Minimum Estimated Number of Missing"]
            .parse::<i64>()
            .unwrap_or(0);
        *expected.entry(r["Year"].parse().unwrap()).or_default() += dead + missing;
    }
    let t = table(Dataset::MissingMigrants);
    for year in [2014i16, 2016, 2020, 2023, 2024, 2026] {
        assert_eq!(
            sum_where(t, "dead_and_missing", |r| t.year(r) == Some(year)),
            expected[&year],
            "{year}"
        );
    }
    // IOM's own yearly figure for 2016, the deadliest year on record: 8,000 and more.
    assert!(expected[&2016] > 8_000);
    // The 13 undated incidents of 2020 are kept, with their year taken from the Main ID.
    let flags = t.dim("quality_flag").unwrap();
    let undated = (0..t.len)
        .filter(|&r| flags.value(r).contains("undated"))
        .collect::<Vec<_>>();
    assert_eq!(undated.len(), 13);
    assert!(undated
        .iter()
        .all(|&r| t.year(r) == Some(2020) && t.dim("incident_date").unwrap().value(r).is_empty()));
}

#[test]
fn migrant_stock_2024_is_un_desas_published_world_total() {
    let t = table(Dataset::MigrantStock);
    let sex = t.dim("sex").unwrap();
    let total = sum_where(t, "migrants", |r| {
        t.year(r) == Some(2024) && sex.value(r) != "total"
    });
    assert_eq!(total, 304_021_813);
    // `geo` is the destination: Germany hosts 16.75 million immigrants, while 4.3 million people
    // born in Germany live abroad (UN DESA 2024).
    let (coa, coo) = (t.dim("coa_iso").unwrap(), t.dim("coo_iso").unwrap());
    let into = sum_where(t, "migrants", |r| {
        t.year(r) == Some(2024) && coa.value(r) == "DEU"
    });
    let out_of = sum_where(t, "migrants", |r| {
        t.year(r) == Some(2024) && coo.value(r) == "DEU"
    });
    assert_eq!((into, out_of), (16_750_084, 4_297_233));
}

#[test]
fn codes_are_read_in_their_own_system() {
    let imp = imported();
    let reference = imp.countries.as_ref().unwrap();
    use passage_domain::CodeSystem::{Iso, Unhcr};
    assert_eq!(reference.parse(Unhcr, "AUS").unwrap().name, "Austria");
    assert_eq!(reference.parse(Iso, "AUS").unwrap().name, "Australia");
    assert_eq!(reference.parse(Unhcr, "ARE").unwrap().name, "Egypt");
    assert_eq!(
        reference.parse(Iso, "ARE").unwrap().name,
        "United Arab Emirates"
    );
    assert_eq!(reference.parse(Unhcr, "MAR").unwrap().name, "Martinique");
    assert_eq!(reference.parse(Iso, "MAR").unwrap().name, "Morocco");
    assert_eq!(
        reference
            .parse(Unhcr, "GFR")
            .unwrap()
            .iso2
            .unwrap()
            .as_str(),
        "DE"
    );
    assert_eq!(reference.parse(Iso, "XXX").unwrap().iso3.as_str(), "UNK");
    assert_eq!(reference.parse(Unhcr, "STA").unwrap().iso3.as_str(), "XXA");
    assert_eq!(reference.parse(Unhcr, "AB9").unwrap().name, "Abyei Area");
    assert_eq!(
        reference.parse(Iso, "SYR").unwrap().m49_region.as_deref(),
        Some("Asia")
    );

    // In the tables, UNHCR's Austria (`AUS`) is ISO AUT, and ISO AUS is UNHCR's Australia (`AUL`).
    let t = table(Dataset::Population);
    let (coa, coa_iso) = (t.dim("coa").unwrap(), t.dim("coa_iso").unwrap());
    for r in 0..t.len {
        match coa.value(r) {
            "AUS" => assert_eq!(coa_iso.value(r), "AUT"),
            "AUL" => assert_eq!(coa_iso.value(r), "AUS"),
            _ => {}
        }
    }
    // flows.csv writes Stateless and Unknown with their UNHCR codes in the ISO column; normalised.
    let flows = table(Dataset::Flows);
    let coo_iso = flows.dim("coo_iso").unwrap();
    assert!(coo_iso.code_of("STA").is_none() && coo_iso.code_of("XXA").is_some());
    let report = imp
        .sources
        .iter()
        .find(|s| s.file == "unhcr/flows.csv")
        .unwrap();
    assert_eq!(report.findings.count("iso_alias"), 814 + 1512 + 37);
}

#[test]
fn empty_and_zero_stay_distinct() {
    let t = table(Dataset::Population);
    let (oip, idps) = (t.measure("oip").unwrap(), t.measure("idps").unwrap());
    // The first row of population.csv: 1951, Unknown → Australia, idps 0, oip empty.
    assert_eq!(t.year(0), Some(1951));
    assert_eq!(idps.value(0), Value::Int(0));
    assert_eq!(oip.value(0), Value::Null);
    let csv_empty_oip = read_csv("unhcr/population.csv")
        .iter()
        .filter(|r| r["oip"].is_empty())
        .count();
    assert_eq!(
        (0..t.len).filter(|&r| oip.value(r).is_null()).count(),
        csv_empty_oip
    );
}

#[test]
fn real_defects_are_kept_flagged_and_counted() {
    let imp = imported();
    let find = |file: &str| {
        &imp.sources
            .iter()
            .find(|s| s.file == file)
            .unwrap()
            .findings
    };
    let mm = find("iom/missing_migrants_2014_2025.csv");
    assert_eq!(mm.count("undated"), 13);
    assert_eq!(mm.count("negative_survivors"), 5);
    assert_eq!(mm.count("multi_valued_source_quality"), 49);
    assert_eq!(mm.count("multi_valued_incident_type"), 9);
    assert_eq!(mm.count("multiple_origins"), 469);
    assert!(find("iom/missing_migrants_2026_export.csv").count("split_incident") > 0);
    let t = table(Dataset::MissingMigrants);
    let survivors = t.measure("survivors").unwrap();
    let negative = (0..t.len)
        .filter(|&r| matches!(survivors.value(r), Value::Int(v) if v < 0))
        .count();
    assert_eq!(
        negative as u64,
        mm.count("negative_survivors")
            + find("iom/missing_migrants_2026_export.csv").count("negative_survivors")
    );
    // Demographics rows with all bands 0 and a non-zero total are "not disaggregated", not zero.
    let expected = read_csv("unhcr/demographics.csv")
        .iter()
        .filter(|r| {
            let bands = [
                "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other", "m_0_4", "m_5_11",
                "m_12_17", "m_18_59", "m_60", "m_other",
            ];
            bands.iter().all(|b| r[*b].parse::<i64>().unwrap_or(0) == 0)
                && r["total"].parse::<i64>().unwrap_or(0) != 0
        })
        .count();
    assert_eq!(
        find("unhcr/demographics.csv").count("not_disaggregated"),
        expected as u64
    );
    // World Bank aggregates are kept apart from countries.
    let wb = table(Dataset::WbPopulation);
    assert!(wb.dim("iso3").unwrap().code_of("WLD").is_none());
    assert!(table(Dataset::WbPopulationAggregates)
        .dim("iso3")
        .unwrap()
        .code_of("WLD")
        .is_some());
}

#[test]
fn the_record_reads_back_from_its_tables_with_the_repeated_block_flagged() {
    use passage_datasets::formats::{compact_text, recorded_votes};
    let versions = compact_text::versions_of(table(Dataset::CompactText)).unwrap();
    assert_eq!(versions.len(), 1);
    let gcm = &versions[0];
    assert_eq!(gcm.version.count_kind("objective"), 23);
    assert_eq!(gcm.version.count_kind("action"), 190);
    assert_eq!(gcm.findings.len(), 1, "{:?}", gcm.findings);
    assert_eq!(gcm.version.corrections[0].part.as_str(), "objective/20");
    let votes = recorded_votes::votes_of(table(Dataset::RecordedVotes)).unwrap();
    let totals: Vec<(String, [usize; 4])> = votes
        .iter()
        .map(|v| {
            let t = v.totals();
            (
                v.resolution.clone(),
                [t.yes, t.no, t.abstention, t.non_voting],
            )
        })
        .collect();
    assert_eq!(
        totals,
        [
            ("A/RES/73/195".to_string(), [152, 5, 12, 24]),
            ("A/RES/73/151".to_string(), [181, 2, 3, 7]),
        ]
    );
    let source = imported()
        .sources
        .iter()
        .find(|s| s.file == "negotiation/gcm_objectives_actions_2018.md")
        .unwrap()
        .clone();
    assert_eq!(source.findings.count("repeated_block"), 1);
}
