//! An indicator series as a figure: one line per breakdown (cases and persons apart), or the
//! formula's parts stacked, with the table of exact figures and the native API request that gives
//! the same numbers.

use passage_charts::{series_chart, Frame, Line, Marker, SeriesChart};
use passage_indicators::{Place, Role, Series, COMPACTS_ADOPTED};

use crate::page::Figure;
use crate::table::{Cell, DataTable};

/// The native API request of an indicator for a place and role.
pub fn api_url(indicator: &str, place: &Place, role: Option<&str>) -> String {
    let mut params: Vec<String> = Vec::new();
    match place {
        Place::World => {}
        Place::Country(c) => params.push(format!("country={c}")),
        Place::Region(r) => params.push(format!("region={}", crate::query::encode(r))),
        Place::EachCountry => params.push("each=true".into()),
        Place::Countries { members, .. } => params.push(format!("country={}", members.join(","))),
    }
    if let (Some(r), false) = (role, matches!(place, Place::World)) {
        params.push(format!("role={r}"));
    }
    crate::page::with_query(
        &format!("/api/v1/indicators/{indicator}"),
        &params.join("&"),
    )
}

/// The native API request listing the source rows summed into the first part of `point`: the
/// term's query narrowed to the point, grouped by every dimension of its dataset.
pub fn trace_url(
    release: &passage_store::Release,
    series: &Series<'_>,
    point: &passage_indicators::Point,
) -> Option<String> {
    let q = series.part_query(point, 0);
    let dataset = passage_datasets::Dataset::from_name(&q.dataset)?;
    let param = |dim: &str| match dim {
        "coo_iso" => "origin".to_string(),
        "coa_iso" => "asylum".to_string(),
        "iso3" => "country".to_string(),
        other => other.to_string(),
    };
    let mut pairs: Vec<(String, String)> = vec![("year".into(), point.year.to_string())];
    for f in &q.filters {
        pairs.push((param(&f.dim), f.values.join(",")));
    }
    let table = release.table(dataset)?;
    let mut by = vec!["year".to_string()];
    by.extend(
        table
            .table
            .dims
            .iter()
            .map(|d| param(&d.name))
            .filter(|d| d != "coo" && d != "coa"),
    );
    pairs.push(("by".into(), by.join(",")));
    if let Some(m) = q.measures.first() {
        pairs.push(("measures".into(), m.clone()));
    }
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    Some(format!(
        "/api/v1/datasets/{}?{}",
        q.dataset,
        crate::query::canonical(&refs)
    ))
}

/// The series' table with a link per figure to the source rows of its first part.
pub fn add_traces(release: &passage_store::Release, series: &Series<'_>, figure: &mut Figure) {
    figure.table.keys.push("trace".into());
    figure.table.labels.push(format!(
        "Source rows of {}",
        series.part_labels().first().unwrap_or(&"the first part")
    ));
    for (row, point) in figure.table.rows.iter_mut().zip(series.points.iter().rev()) {
        row.cells.push(match trace_url(release, series, point) {
            Some(url) => Cell::Link("rows".into(), url),
            None => Cell::Text(String::new()),
        });
    }
}

/// A chart frame of the usual size.
pub fn frame(id: &str, title: &str, unit: &str, decimals: u8) -> Frame {
    Frame {
        id: id.into(),
        title: title.into(),
        unit: unit.into(),
        decimals,
        width: 640,
        height: 320,
    }
}

/// The series' points grouped into lines by their breakdown values.
fn lines_of(series: &Series<'_>) -> Vec<Line> {
    // Points are matched to their line by their keys, and a line's label written once: a
    // country page groups some 3,000 points.
    let mut lines: Vec<(&[String], Line)> = Vec::new();
    for p in &series.points {
        match lines
            .iter_mut()
            .find(|(keys, _)| *keys == p.keys.as_slice())
        {
            Some((_, l)) => l.points.push((p.year, p.value)),
            None => lines.push((
                &p.keys,
                Line {
                    label: if p.keys.is_empty() {
                        series.indicator.title.clone()
                    } else {
                        p.keys.join(", ")
                    },
                    points: vec![(p.year, p.value)],
                },
            )),
        }
    }
    lines.into_iter().map(|(_, l)| l).collect()
}

/// The mark of both compacts' adoption, on the charts over time.
pub(crate) fn compacts_adopted() -> Marker {
    Marker {
        year: COMPACTS_ADOPTED,
        label: "Compacts adopted".into(),
    }
}

/// One series of a country's profile as its figure, named after the country and the series'
/// role and marked at the compacts' adoption; a series with no value is, instead, the line that
/// names it among those without a figure.
pub(crate) fn country_series_figure(s: &Series<'_>, country: &str) -> Result<Figure, String> {
    let role = s.role.unwrap_or(Role::Host).name();
    if s.points.iter().all(|p| p.value.is_none()) {
        return Err(format!("{} (as {role})", s.indicator.title));
    }
    Ok(series_figure(
        s,
        &format!("{}-{role}", s.indicator.id),
        &format!("{country}, as {role}"),
        vec![compacts_adopted()],
    ))
}

/// The series as lines, with its table.
pub fn series_figure(series: &Series<'_>, id: &str, subject: &str, markers: Vec<Marker>) -> Figure {
    let ind = series.indicator;
    let chart = SeriesChart {
        frame: frame(id, &ind.title, &ind.unit, ind.decimals),
        lines: lines_of(series),
        stacked: false,
        markers,
    };
    let periods = series.points.iter().any(|p| p.period.is_some());
    let mut columns: Vec<(&str, &str)> = vec![("year", "Year")];
    if periods {
        columns.push(("reference_period", "Reference period"));
    }
    for k in &series.keys {
        columns.push((k.as_str(), k.as_str()));
    }
    let unit_label = format!("Value ({})", ind.unit);
    columns.push(("value", unit_label.as_str()));
    columns.push(("change_since_2018", "Change since 2018"));
    columns.push(("source_rows", "Source rows"));
    let mut table = DataTable::new(id, &format!("{}: {subject}", ind.title), &columns);
    table.value_key = Some("value".into());
    if series.keys.is_empty() {
        table.api = Some(api_url(
            &ind.id,
            &series.place,
            series.role.map(|r| r.name()),
        ));
    }
    let changes = passage_indicators::changes(series, passage_indicators::COMPACTS_ADOPTED);
    table.rows.reserve(series.points.len());
    for (p, change) in series.points.iter().zip(&changes).rev() {
        let mut cells = Vec::with_capacity(columns.len());
        cells.push(Cell::Text(p.year.to_string()));
        if periods {
            cells.push(Cell::Text(p.period.unwrap_or("end of year").into()));
        }
        cells.extend(p.keys.iter().map(|k| Cell::Text(k.clone())));
        cells.push(Cell::Number(p.value, ind.decimals));
        cells.push(if p.year < passage_indicators::COMPACTS_ADOPTED {
            Cell::Inapplicable("before 2018: no change since it", ind.decimals)
        } else {
            Cell::Number(change.since_base, ind.decimals)
        });
        cells.push(Cell::Number(
            Some(p.source_rows.iter().sum::<u64>() as f64),
            0,
        ));
        table.push(cells, Some(p.year), p.country.as_deref());
    }
    Figure {
        id: id.into(),
        title: ind.title.clone(),
        svg: series_chart(&chart),
        table,
        datasets: ind.sources(),
        caveats: ind.caveats.clone(),
        subject: subject.into(),
    }
}

/// The series' parts stacked (refugees, asylum-seekers, internally displaced…), with a table of
/// each part and the total.
pub fn parts_figure(series: &Series<'_>, id: &str, subject: &str) -> Figure {
    let ind = series.indicator;
    let labels = series.part_labels();
    let mut lines: Vec<Line> = labels
        .iter()
        .map(|l| Line {
            label: sentence_case(l),
            points: Vec::new(),
        })
        .collect();
    for p in &series.points {
        for (line, part) in lines.iter_mut().zip(&p.parts) {
            // The formula counts a part not reported as adding nothing to a total that exists, so
            // the band is drawn flat there; the table keeps the cell empty, and a year without a
            // total stays a gap.
            let drawn = match (part, p.value) {
                (Some(v), _) => Some(*v),
                (None, Some(_)) => Some(0.0),
                (None, None) => None,
            };
            line.points.push((p.year, drawn));
        }
    }
    let chart = SeriesChart {
        frame: frame(id, &ind.title, &ind.unit, ind.decimals),
        lines,
        stacked: true,
        markers: vec![compacts_adopted()],
    };
    let periods = series.points.iter().any(|p| p.period.is_some());
    let mut columns: Vec<(&str, &str)> = vec![("year", "Year")];
    if periods {
        columns.push(("reference_period", "Reference period"));
    }
    let shown: Vec<String> = labels.iter().map(|l| sentence_case(l)).collect();
    for (l, s) in labels.iter().zip(&shown) {
        columns.push((l, s));
    }
    columns.push(("value", "Total"));
    let mut table = DataTable::new(id, &format!("{}: {subject}, by part", ind.title), &columns);
    table.value_key = Some("value".into());
    table.api = Some(api_url(
        &ind.id,
        &series.place,
        series.role.map(|r| r.name()),
    ));
    table.rows.reserve(series.points.len());
    for p in series.points.iter().rev() {
        let mut cells = Vec::with_capacity(columns.len());
        cells.push(Cell::Text(p.year.to_string()));
        if periods {
            cells.push(Cell::Text(p.period.unwrap_or("end of year").into()));
        }
        cells.extend(p.parts.iter().map(|v| Cell::Number(*v, 0)));
        cells.push(Cell::Number(p.value, ind.decimals));
        table.push(cells, Some(p.year), p.country.as_deref());
    }
    let mut caveats = ind.caveats.clone();
    caveats.push("A part not reported in a year adds nothing to that year's total (the formula's rule): its band is flat there and its cell in the table is empty.".into());
    Figure {
        id: id.into(),
        title: format!("{}, by part", ind.title),
        svg: series_chart(&chart),
        table,
        datasets: ind.sources(),
        caveats,
        subject: subject.into(),
    }
}

/// A formula's part label made readable: the usual names of UNHCR's and IDMC's categories, and
/// otherwise the label in sentence case.
fn sentence_case(label: &str) -> String {
    let known = match label {
        "refugees" => "Refugees",
        "unrwa_refugees" => "Palestine refugees (UNRWA)",
        "asylum_seekers" => "Asylum-seekers",
        "other_in_need_of_protection" => "Others in need of protection",
        "idps_conflict" => "Internally displaced (conflict)",
        _ => "",
    };
    if !known.is_empty() {
        return known.into();
    }
    let text = label.replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// A year as shown: "2025, mid-year" when the figure is a mid-year one.
pub fn year_label(year: i16, period: Option<&str>) -> String {
    match period {
        Some(p) => format!("{year}, {p}"),
        None => year.to_string(),
    }
}
