//! Series, rankings and profiles as JSON: every figure with its parts, the source rows behind each
//! part, its change over time, and the release and source files it comes from.

use serde_json::{json, Map, Value};

use crate::change::{changes, Change};
use crate::evaluate::{Point, Series};
use crate::profile::Profile;
use crate::ranking::Ranking;

/// A value rounded to the indicator's decimals: an integer when it has none.
pub fn number(value: Option<f64>, decimals: u8) -> Value {
    match value {
        None => Value::Null,
        Some(v) if decimals == 0 => json!(v.round() as i64),
        Some(v) => {
            let f = 10f64.powi(decimals.into());
            serde_json::Number::from_f64((v * f).round() / f).map_or(Value::Null, Value::Number)
        }
    }
}

impl Series<'_> {
    /// The labels of the formula's terms, in the order of each point's parts.
    pub fn part_labels(&self) -> Vec<&str> {
        self.indicator
            .formula
            .terms()
            .map(|t| t.label.as_str())
            .collect()
    }

    /// What a series is about and where its figures come from, without the figures.
    pub fn header_json(&self) -> Map<String, Value> {
        let i = self.indicator;
        let mut m = Map::new();
        m.insert("indicator".into(), json!(i.id));
        m.insert("title".into(), json!(i.title));
        m.insert("unit".into(), json!(i.unit));
        m.insert("objectives".into(), json!(i.objectives));
        m.insert("release".into(), json!(self.release.to_string()));
        m.insert("place".into(), json!(self.place));
        m.insert("role".into(), json!(self.role));
        m.insert("keys".into(), json!(self.keys));
        m.insert("parts".into(), json!(self.part_labels()));
        m.insert(
            "queries".into(),
            self.queries
                .iter()
                .zip(self.part_labels())
                .map(|(q, label)| {
                    json!({
                        "part": label,
                        "dataset": q.dataset,
                        "measure": q.measures.first(),
                        "filters": q.filters.iter().map(|f| json!({"dim": f.dim, "values": f.values})).collect::<Vec<_>>(),
                    })
                })
                .collect(),
        );
        m.insert("caveats".into(), json!(i.caveats));
        m
    }

    /// One figure, with its change.
    pub fn point_json(&self, point: &Point, change: Option<&Change>, base_year: i16) -> Value {
        let d = self.indicator.decimals;
        let mut m = Map::new();
        if let Some(c) = &point.country {
            m.insert("country".into(), json!(c));
        }
        m.insert("year".into(), json!(point.year));
        for (k, v) in self.keys.iter().zip(&point.keys) {
            m.insert(k.clone(), json!(v));
        }
        m.insert("value".into(), number(point.value, d));
        if let Some(p) = point.period {
            m.insert("reference_period".into(), json!(p));
        }
        let labels = self.part_labels();
        let mut parts = Map::new();
        let mut rows = Map::new();
        for ((label, part), n) in labels.iter().zip(&point.parts).zip(&point.source_rows) {
            // Ratios name the same measure on both sides; the numerator's entry is kept.
            parts.entry(label.to_string()).or_insert(number(*part, 0));
            rows.entry(label.to_string()).or_insert(json!(n));
        }
        m.insert("parts".into(), Value::Object(parts));
        m.insert("source_rows".into(), Value::Object(rows));
        if let Some(c) = change {
            m.insert("previous_year".into(), json!(c.previous_year));
            m.insert("change_since_previous".into(), number(c.since_previous, d));
            m.insert(format!("change_since_{base_year}"), number(c.since_base, d));
        }
        Value::Object(m)
    }

    /// The whole series, with changes against `base_year`, and the files of every source.
    pub fn to_json(&self, sources: impl Fn(&str) -> Value, base_year: i16) -> Value {
        let mut m = self.header_json();
        let mut src = Map::new();
        for d in self.indicator.sources() {
            src.insert(d.name().into(), sources(d.name()));
        }
        m.insert("sources".into(), Value::Object(src));
        let changes = changes(self, base_year);
        m.insert(
            "points".into(),
            self.points
                .iter()
                .zip(&changes)
                .map(|(p, c)| self.point_json(p, Some(c), base_year))
                .collect(),
        );
        Value::Object(m)
    }
}

impl Ranking<'_> {
    /// The ranking as JSON: the ranked figures and the files of every source.
    pub fn to_json(&self, sources: impl Fn(&str) -> Value) -> Value {
        let mut m = self.series.header_json();
        m.insert("year".into(), json!(self.year));
        let mut src = Map::new();
        for d in self.series.indicator.sources() {
            src.insert(d.name().into(), sources(d.name()));
        }
        m.insert("sources".into(), Value::Object(src));
        m.insert(
            "ranking".into(),
            self.order
                .iter()
                .enumerate()
                .map(|(rank, &i)| {
                    let mut p = self.series.point_json(&self.series.points[i], None, 0);
                    if let Value::Object(o) = &mut p {
                        o.insert("rank".into(), json!(rank + 1));
                    }
                    p
                })
                .collect(),
        );
        Value::Object(m)
    }
}

impl Profile<'_> {
    /// The profile as JSON: each indicator's series, with changes against `base_year`.
    pub fn to_json(&self, sources: impl Fn(&str) -> Value, base_year: i16) -> Value {
        json!({
            "country": self.country,
            "name": self.name,
            "release": self.sections.first().map(|s| s.release.to_string()),
            "indicators": self.sections.iter().map(|s| s.to_json(&sources, base_year)).collect::<Vec<_>>(),
            "missing": self.missing.iter().map(|(i, d)| json!({"indicator": i, "dataset": d})).collect::<Vec<_>>(),
        })
    }
}
