//! Each indicator on the real data against the same figure computed from the CSV files.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use passage_domain::Year;
use passage_indicators::{changes, Engine, IndicatorError, Place, Request, Role, Series};
use passage_store::YearFilter;

use crate::source_csv::{num, release, rows, sum};

type Row = HashMap<String, String>;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

fn cached(file: &'static str) -> &'static [Row] {
    static FILES: OnceLock<std::sync::Mutex<HashMap<&'static str, &'static [Row]>>> =
        OnceLock::new();
    let files = FILES.get_or_init(Default::default);
    let mut map = files.lock().unwrap();
    map.entry(file)
        .or_insert_with(|| Box::leak(rows(file).into_boxed_slice()))
}

fn year(y: i32) -> YearFilter {
    YearFilter::List(vec![Year::new(y).unwrap()])
}

fn series(id: &str, place: Place, role: Option<Role>, years: YearFilter) -> Series<'static> {
    let mut request = Request::new(id, place, role);
    request.years = years;
    engine().evaluate(release(), &request).unwrap()
}

/// The one value of a request for one year.
fn value(id: &str, place: Place, role: Option<Role>, y: i32) -> Option<f64> {
    let s = series(id, place, role, year(y));
    assert!(s.points.len() <= 1, "{id}: {} points", s.points.len());
    s.points.first().and_then(|p| p.value)
}

fn country(code: &str) -> Place {
    Place::Country(code.into())
}

#[track_caller]
fn assert_close(actual: Option<f64>, expected: f64) {
    let a = actual.unwrap_or(f64::NAN);
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{a} != {expected}"
    );
}

fn is(row: &Row, column: &str, value: &str) -> bool {
    row[column] == value
}

fn in_year(row: &Row, column: &str, y: i32) -> bool {
    row[column] == y.to_string()
}

#[test]
fn forcibly_displaced_2014_to_2025_with_its_parts() {
    let pop = cached("unhcr/population.csv");
    let unrwa = cached("unhcr/unrwa.csv");
    let idmc = cached("unhcr/idmc.csv");
    let s = series(
        "forcibly_displaced",
        Place::World,
        None,
        YearFilter::Range("2014..2025".parse().unwrap()),
    );
    assert_eq!(s.points.len(), 12);
    assert_eq!(
        s.part_labels(),
        vec![
            "refugees",
            "unrwa_refugees",
            "asylum_seekers",
            "other_in_need_of_protection",
            "idps_conflict"
        ]
    );
    for (p, y) in s.points.iter().zip(2014..=2025) {
        assert_eq!(i32::from(p.year), y);
        let parts = [
            sum(pop, &["refugees"], |r| in_year(r, "year", y)),
            sum(unrwa, &["total"], |r| in_year(r, "year", y)),
            sum(pop, &["asylum_seekers"], |r| in_year(r, "year", y)),
            sum(pop, &["oip"], |r| in_year(r, "year", y)),
            sum(idmc, &["total"], |r| in_year(r, "year", y)),
        ];
        for (k, expected) in parts.iter().enumerate() {
            // Before 2018 no country reported people in need of international protection.
            if *expected == 0.0 {
                assert!(p.parts[k].unwrap_or(0.0) == 0.0);
            } else {
                assert_close(p.parts[k], *expected);
            }
        }
        assert_close(p.value, parts.iter().sum());
    }
    // Most forcibly displaced people never crossed a border, every year.
    let idp_share = series(
        "internally_displaced_share",
        Place::World,
        None,
        YearFilter::Range("2014..2025".parse().unwrap()),
    );
    for (share, fd) in idp_share.points.iter().zip(&s.points) {
        assert_close(
            share.value,
            fd.parts[4].unwrap() / fd.value.unwrap() * 100.0,
        );
    }
}

#[test]
fn sdg_10_7_4_follows_unhcrs_formula_with_wpp_population() {
    let pop = cached("unhcr/population.csv");
    let wdi = cached("worldbank/wdi_wpp_indicators_long.csv");
    for (c, y) in [
        ("SYR", 2020),
        ("AFG", 2023),
        ("UKR", 2022),
        ("SSD", 2019),
        ("VEN", 2021),
    ] {
        let refugees = sum(pop, &["refugees", "oip"], |r| {
            is(r, "coo_iso", c) && in_year(r, "year", y)
        });
        let population = sum(wdi, &["v"], |r| {
            is(r, "geo", c) && is(r, "var", "pop") && in_year(r, "t", y)
        });
        assert!(population > 1e6, "{c} {y}");
        assert_close(
            value("sdg_10_7_4", country(c), Some(Role::Origin), y),
            refugees / (population + refugees) * 100_000.0,
        );
    }
    // Without the WPP denominator there is no figure, rather than a figure on refugees alone.
    assert_eq!(
        value("sdg_10_7_4", country("SYR"), Some(Role::Origin), 2025),
        None
    );
    let err = engine()
        .evaluate(
            release(),
            &Request::new("sdg_10_7_4", country("SYR"), Some(Role::Host)),
        )
        .unwrap_err();
    assert!(matches!(err, IndicatorError::BadValue { ref parameter, .. } if parameter == "role"));
}

/// IOM's Missing Migrants Project: the year of an undated incident is in its Main ID.
fn mmp_year(r: &Row, year_column: &str) -> i32 {
    r[year_column]
        .parse()
        .unwrap_or_else(|_| r["Main ID"][..4].parse().unwrap())
}

#[test]
fn sdg_10_7_3_dead_and_missing_by_year_and_region() {
    let old = cached("iom/missing_migrants_2014_2025.csv");
    let new = cached("iom/missing_migrants_2026_export.csv");
    let s = series("sdg_10_7_3", Place::World, None, YearFilter::All);
    let years: Vec<i16> = s.points.iter().map(|p| p.year).collect();
    assert_eq!(years, (2014..=2026).collect::<Vec<_>>());
    for p in &s.points {
        let y = i32::from(p.year);
        let expected = sum(old, &["Total Number of Dead and Missing"], |r| {
            mmp_year(r, "Incident Year") == y
        }) + sum(
            new,
            &["Number Dead", "Minimum Estimated Number of Missing"],
            |r| mmp_year(r, "Year") == y,
        );
        assert_close(p.value, expected);
    }
    // The Mediterranean, year by year, through a breakdown filter.
    let mut request = Request::new("sdg_10_7_3", Place::World, None);
    request.filters = vec![("region_of_incident".into(), vec!["Mediterranean".into()])];
    let med = engine().evaluate(release(), &request).unwrap();
    for p in med.points.iter().filter(|p| p.year <= 2025) {
        let y = i32::from(p.year);
        let expected = sum(old, &["Total Number of Dead and Missing"], |r| {
            mmp_year(r, "Incident Year") == y && is(r, "Region of Incident", "Mediterranean")
        });
        assert_close(p.value, expected);
    }
    // A breakdown splits the year's total without losing any of it.
    let mut request = Request::new("sdg_10_7_3", Place::World, None);
    request.years = year(2023);
    request.by = vec!["migration_route".into()];
    let by_route = engine().evaluate(release(), &request).unwrap();
    assert!(by_route.points.len() > 10);
    let total: f64 = by_route.points.iter().filter_map(|p| p.value).sum();
    assert_close(Some(total), s.at(2023).unwrap().value.unwrap());
}

#[test]
fn migrant_stock_matches_un_desa_and_its_share_of_population() {
    // UN DESA's published world total for 2024.
    assert_eq!(
        value("migrant_stock", Place::World, None, 2024),
        Some(304_021_813.0)
    );
    let stock = cached("undesa/international_migrant_stock_2024.csv");
    let wb = cached("worldbank/population.csv");
    for (c, y) in [("DEU", 2024), ("USA", 2020), ("JOR", 2015)] {
        let immigrants = sum(stock, &["n"], |r| is(r, "geo", c) && in_year(r, "t", y));
        let emigrants = sum(stock, &["n"], |r| is(r, "from", c) && in_year(r, "t", y));
        assert_close(
            value("migrant_stock", country(c), Some(Role::Host), y),
            immigrants,
        );
        assert_close(
            value("migrant_stock", country(c), Some(Role::Origin), y),
            emigrants,
        );
        let population = sum(wb, &["Value"], |r| {
            is(r, "Country Code", c) && in_year(r, "Year", y)
        });
        assert_close(
            value(
                "migrant_share_of_population",
                country(c),
                Some(Role::Host),
                y,
            ),
            immigrants / population * 100.0,
        );
    }
}

#[test]
fn responsibility_sharing_per_inhabitant_and_per_gdp() {
    let pop = cached("unhcr/population.csv");
    let wb = cached("worldbank/population.csv");
    let gdp = cached("worldbank/gdp_current_usd.csv");
    for (c, y) in [("LBN", 2023), ("TUR", 2020), ("UGA", 2022), ("DEU", 2023)] {
        let hosted = sum(pop, &["refugees", "oip"], |r| {
            is(r, "coa_iso", c) && in_year(r, "year", y)
        });
        let inhabitants = sum(wb, &["Value"], |r| {
            is(r, "Country Code", c) && in_year(r, "Year", y)
        });
        let usd = sum(gdp, &["Value"], |r| {
            is(r, "Country Code", c) && in_year(r, "Year", y)
        });
        assert_close(
            value(
                "refugees_per_1000_inhabitants",
                country(c),
                Some(Role::Host),
                y,
            ),
            hosted / inhabitants * 1000.0,
        );
        let per_gdp = value("refugees_per_usd_bn_gdp", country(c), Some(Role::Host), y);
        if usd > 0.0 {
            assert_close(per_gdp, hosted / usd * 1e9);
        } else {
            // The World Bank has no GDP for Lebanon in 2023: no figure, not a division by zero.
            assert_eq!(per_gdp, None, "{c} {y}");
        }
    }
}

fn hosted_by(pop: &[Row], y: i32, keep: impl Fn(&str, &str) -> bool) -> f64 {
    sum(pop, &["refugees", "oip"], |r| {
        in_year(r, "year", y) && keep(&r["coo_iso"], &r["coa_iso"])
    })
}

#[test]
fn shares_hosted_by_low_and_middle_income_countries_and_by_neighbours() {
    let pop = cached("unhcr/population.csv");
    let income: toml::Table = include_str!("../../data/income_groups.toml")
        .parse()
        .unwrap();
    let listed = |key: &str| -> HashSet<String> {
        income[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let (high, unclassified) = (listed("high"), listed("unclassified"));
    let special = ["UNK", "XXA", "TIB", "AB9"];
    let low_middle: HashSet<String> = cached("unhcr/countries.csv")
        .iter()
        .map(|r| r["iso_code"].clone())
        .filter(|c| {
            !high.contains(c) && !unclassified.contains(c) && !special.contains(&c.as_str())
        })
        .collect();
    let mut borders: HashSet<(String, String)> = HashSet::new();
    for line in include_str!("../../data/land_borders.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let codes: Vec<&str> = line.split_whitespace().collect();
        for n in &codes[1..] {
            borders.insert((codes[0].into(), n.to_string()));
            borders.insert((n.to_string(), codes[0].into()));
        }
    }
    for y in [2018, 2023, 2024] {
        let all = hosted_by(pop, y, |_, _| true);
        let lmic = hosted_by(pop, y, |_, a| low_middle.contains(a));
        let near = hosted_by(pop, y, |o, a| borders.contains(&(o.into(), a.into())));
        assert_close(
            value("share_hosted_low_middle_income", Place::World, None, y),
            lmic / all * 100.0,
        );
        assert_close(
            value("share_hosted_by_neighbours", Place::World, None, y),
            near / all * 100.0,
        );
    }
    // As origin: where Syria's and Venezuela's refugees are.
    for c in ["SYR", "VEN"] {
        let all = hosted_by(pop, 2023, |o, _| o == c);
        let near = hosted_by(pop, 2023, |o, a| {
            o == c && borders.contains(&(o.into(), a.into()))
        });
        assert_close(
            value(
                "share_hosted_by_neighbours",
                country(c),
                Some(Role::Origin),
                2023,
            ),
            near / all * 100.0,
        );
    }
}

#[test]
fn resettlement_and_returns_by_origin_and_by_country_of_arrival() {
    let sol = cached("unhcr/solutions.csv");
    for (id, column) in [
        ("resettlement_arrivals", "resettlement"),
        ("refugee_returns", "returned_refugees"),
        ("idp_returns", "returned_idps"),
    ] {
        for (c, y) in [("USA", 2016), ("CAN", 2024), ("SYR", 2024), ("AFG", 2002)] {
            for (role, dim) in [(Role::Host, "coa_iso"), (Role::Origin, "coo_iso")] {
                let rows: Vec<&Row> = sol
                    .iter()
                    .filter(|r| is(r, dim, c) && in_year(r, "year", y))
                    .collect();
                let reported = rows.iter().any(|r| num(r, column).is_some());
                let expected: f64 = rows.iter().filter_map(|r| num(r, column)).sum();
                let actual = value(id, country(c), Some(role), y);
                if reported {
                    assert_close(actual, expected);
                } else {
                    assert_eq!(actual, None, "{id} {c} {y}");
                }
            }
        }
    }
}

#[test]
fn recognition_rates_keep_cases_and_persons_apart() {
    let dec = cached("unhcr/asylum_decisions.csv");
    let app = cached("unhcr/asylum_applications.csv");
    for (c, y) in [("DEU", 2024), ("FRA", 2019), ("USA", 2023)] {
        let s = series(
            "refugee_recognition_rate",
            country(c),
            Some(Role::Host),
            year(y),
        );
        let t = series(
            "total_recognition_rate",
            country(c),
            Some(Role::Host),
            year(y),
        );
        let units: HashSet<&str> = dec
            .iter()
            .filter(|r| is(r, "coa_iso", c) && in_year(r, "year", y))
            .map(|r| r["dec_pc"].as_str())
            .collect();
        assert_eq!(s.points.len(), units.len(), "{c} {y}");
        for (p, tp) in s.points.iter().zip(&t.points) {
            let unit = p.keys[0].as_str();
            let keep =
                |r: &Row| is(r, "coa_iso", c) && in_year(r, "year", y) && is(r, "dec_pc", unit);
            let rec = sum(dec, &["dec_recognized"], keep);
            let other = sum(dec, &["dec_other"], keep);
            let rejected = sum(dec, &["dec_rejected"], keep);
            assert_close(p.value, rec / (rec + other + rejected) * 100.0);
            assert_close(tp.value, (rec + other) / (rec + other + rejected) * 100.0);
        }
        let a = series("asylum_applications", country(c), Some(Role::Host), year(y));
        for p in &a.points {
            let unit = p.keys[0].as_str();
            assert_close(
                p.value,
                sum(app, &["applied"], |r| {
                    is(r, "coa_iso", c) && in_year(r, "year", y) && is(r, "app_pc", unit)
                }),
            );
        }
    }
}

#[test]
fn new_displacements_by_cause() {
    let nd = cached("idmc/new_displacements_by_cause_2008_2023.csv");
    for y in [2010, 2022, 2023] {
        let conflict = sum(nd, &["n"], |r| {
            in_year(r, "t", y) && is(r, "cause", "conflict")
        });
        let disasters = sum(nd, &["n"], |r| {
            in_year(r, "t", y) && !is(r, "cause", "conflict")
        });
        assert_close(
            value("new_displacements_conflict", Place::World, None, y),
            conflict,
        );
        assert_close(
            value("new_displacements_disasters", Place::World, None, y),
            disasters,
        );
        assert_close(
            value("new_displacements", Place::World, None, y),
            conflict + disasters,
        );
    }
}

#[test]
fn regions_rankings_and_changes() {
    let pop = cached("unhcr/population.csv");
    let countries = cached("unhcr/countries.csv");
    let europe: HashSet<&str> = countries
        .iter()
        .filter(|r| is(r, "unsd_region", "Europe"))
        .map(|r| r["iso_code"].as_str())
        .collect();
    assert_close(
        value(
            "refugees",
            Place::Region("Europe".into()),
            Some(Role::Host),
            2024,
        ),
        hosted_by(pop, 2024, |_, a| europe.contains(a)),
    );
    // The top host of 2024, found here by a plain scan.
    let mut by_host: HashMap<&str, f64> = HashMap::new();
    for r in pop.iter().filter(|r| in_year(r, "year", 2024)) {
        *by_host.entry(&r["coa_iso"]).or_default() +=
            num(r, "refugees").unwrap_or(0.0) + num(r, "oip").unwrap_or(0.0);
    }
    let (top, top_value) = by_host
        .iter()
        .max_by(|a, b| a.1.partial_cmp(b.1).unwrap())
        .unwrap();
    let ranking = engine()
        .rank(
            release(),
            "refugees",
            Role::Host,
            Year::new(2024).unwrap(),
            Vec::new(),
            5,
        )
        .unwrap();
    let first = &ranking.series.points[ranking.order[0]];
    assert_eq!(first.country.as_deref(), Some(*top));
    assert_close(first.value, *top_value);
    assert_eq!(ranking.order.len(), 5);
    // Changes: against the previous year and against the compacts' adoption in 2018.
    let s = series("forcibly_displaced", Place::World, None, YearFilter::All);
    let c = changes(&s, 2018);
    let at = |y: i16| s.points.iter().position(|p| p.year == y).unwrap();
    let (i24, i23, i18) = (at(2024), at(2023), at(2018));
    let v = |i: usize| s.points[i].value.unwrap();
    assert_close(c[i24].since_base, v(i24) - v(i18));
    assert_close(c[i24].since_previous, v(i24) - v(i23));
    assert_eq!(c[i24].previous_year, Some(2023));
    // Every country at once: each change is against the same country's figures only.
    let each = series(
        "refugees",
        Place::EachCountry,
        Some(Role::Host),
        YearFilter::All,
    );
    let c = changes(&each, 2018);
    let mut checked = 0;
    for (i, p) in each.points.iter().enumerate() {
        let same = |q: &&passage_indicators::Point| q.country == p.country && q.keys == p.keys;
        let base = each
            .points
            .iter()
            .filter(same)
            .find(|q| q.year == 2018)
            .and_then(|q| q.value);
        let previous = each.points[..i].iter().rev().find(same);
        let diff = |o: Option<f64>| p.value.zip(o).map(|(a, b)| a - b);
        let since_base = if p.year >= 2018 { diff(base) } else { None };
        assert_eq!(c[i].since_base, since_base, "{:?} {}", p.country, p.year);
        assert_eq!(c[i].previous_year, previous.map(|q| q.year));
        assert_eq!(c[i].since_previous, diff(previous.and_then(|q| q.value)));
        checked += usize::from(c[i].since_base.is_some());
    }
    assert!(checked > 1000, "only {checked} changes since 2018");
}

#[test]
fn every_figure_traces_to_the_rows_it_sums() {
    let r = release();
    let s = series("forcibly_displaced", Place::World, None, year(2024));
    let p = &s.points[0];
    for k in 0..5 {
        let (table, rows) = engine().trace_part(r, &s, p, k).unwrap();
        assert_eq!(rows.len() as u64, p.source_rows[k]);
        let measure = table
            .table
            .measures
            .iter()
            .find(|m| m.name == s.queries[k].measures[0])
            .unwrap();
        let total: i64 = rows
            .iter()
            .filter_map(|&row| match measure.value(row) {
                passage_datasets::Value::Int(v) => Some(v),
                _ => None,
            })
            .sum();
        assert_close(p.parts[k], total as f64);
    }
    // A neighbours term traces only to rows whose two countries share a border.
    let s = series(
        "share_hosted_by_neighbours",
        country("SYR"),
        Some(Role::Origin),
        year(2023),
    );
    let (table, rows) = engine().trace_part(r, &s, &s.points[0], 0).unwrap();
    let coa = table
        .table
        .dims
        .iter()
        .find(|d| d.name == "coa_iso")
        .unwrap();
    let hosts: HashSet<&str> = rows.iter().map(|&row| coa.value(row)).collect();
    assert!(hosts.contains("TUR") && hosts.contains("LBN"));
    assert!(hosts
        .iter()
        .all(|h| ["TUR", "LBN", "JOR", "IRQ", "ISR"].contains(h)));
}

#[test]
fn every_indicator_computes_and_bad_requests_name_their_parameter() {
    for i in &engine().catalogue.indicators {
        let s = series(&i.id, Place::World, None, YearFilter::All);
        assert!(s.points.iter().any(|p| p.value.is_some()), "{}", i.id);
        for role in &i.roles {
            let s = series(&i.id, Place::EachCountry, Some(*role), YearFilter::All);
            assert!(
                s.points.iter().filter(|p| p.value.is_some()).count() > 20,
                "{}",
                i.id
            );
        }
    }
    let e = engine();
    let bad = |request: Request| e.evaluate(release(), &request).unwrap_err().to_string();
    assert!(bad(Request::new("nothing", Place::World, None)).contains("unknown indicator"));
    let mut r = Request::new("refugees", Place::World, None);
    r.by = vec!["sex".into()];
    assert!(bad(r).starts_with("parameter `by`"));
    let msg = bad(Request::new(
        "refugees",
        Place::Region("Atlantis".into()),
        Some(Role::Host),
    ));
    assert!(
        msg.contains("no region is named `Atlantis`") && msg.contains("Europe"),
        "{msg}"
    );
    let msg = bad(Request::new("sdg_10_7_3", country("ITA"), Some(Role::Host)));
    assert!(msg.contains("world only"), "{msg}");
}

#[test]
fn profiles_hold_every_indicator_as_host_and_origin() {
    let p = engine().profile(release(), "SYR", YearFilter::All).unwrap();
    assert_eq!(p.name, "Syrian Arab Rep.");
    let roles: usize = engine()
        .catalogue
        .indicators
        .iter()
        .map(|i| i.roles.len())
        .sum();
    assert_eq!(p.sections.len(), roles);
    let origin = p
        .sections
        .iter()
        .find(|s| s.indicator.id == "refugees" && s.role == Some(Role::Origin))
        .unwrap();
    assert_close(
        origin.at(2024).unwrap().value,
        hosted_by(cached("unhcr/population.csv"), 2024, |o, _| o == "SYR"),
    );
    let err = engine()
        .profile(release(), "QQQ", YearFilter::All)
        .unwrap_err();
    assert!(err.to_string().contains("country"), "{err}");
}

#[test]
fn profiles_sharing_answers_equal_each_indicator_computed_alone() {
    for code in ["SYR", "DEU", "TUV"] {
        let p = engine().profile(release(), code, YearFilter::All).unwrap();
        for s in &p.sections {
            let alone = engine()
                .evaluate(
                    release(),
                    &Request::new(&s.indicator.id, country(code), s.role),
                )
                .unwrap();
            assert_eq!(
                s.points, alone.points,
                "{code} {} {:?}",
                s.indicator.id, s.role
            );
            assert_eq!(s.queries, alone.queries, "{code} {}", s.indicator.id);
        }
    }
}
