//! Classes of a choropleth: rounded, strictly increasing breaks from the quantiles of the values
//! present, their colours and labels. The colours are the crate's sequential palette.

use crate::number::readable;
use crate::spec::LegendClass;

pub(crate) use crate::palette::{NO_DATA, SEQUENTIAL};
/// The hatch lines over `NO_DATA`.
pub(crate) const HATCH: &str = "#969696";

/// At most this many classes with values.
const MAX_CLASSES: usize = 6;

/// Value classes of `values` (finite ones only): lower bound inclusive, upper exclusive except
/// the last, counts filled in; empty when there is no value.
pub(crate) fn classes(values: &[f64]) -> Vec<LegendClass> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    if min == max {
        return vec![LegendClass {
            colour: colour(0, 1).to_string(),
            from: Some(min),
            to: Some(max),
            label: bound(min),
            count: sorted.len(),
        }];
    }
    let mut distinct = sorted.clone();
    distinct.dedup();
    let wanted = distinct.len().min(MAX_CLASSES);

    let from = floor_nice(min);
    let quantiles: Vec<f64> = (0..=wanted)
        .map(|i| quantile(&sorted, i as f64 / wanted as f64))
        .collect();
    let mut breaks: Vec<f64> = Vec::with_capacity(wanted);
    for i in 1..wanted {
        let q = quantiles[i];
        let floor = breaks.last().copied().unwrap_or(from);
        // A break must separate, and read differently from the bound below it.
        let fits = |b: f64| b > floor && b > min && b <= max && bound(b) != bound(floor);
        let round = |v: f64| (1..=3).map(move |digits| round_sig(v, digits));
        // The roundest break near the quantile (so two classes do not round onto one break),
        // else the roundest that fits at all.
        let near = (quantiles[i + 1] - quantiles[i - 1]) / 4.0;
        let rounded = round(q)
            .find(|&b| fits(b) && (b - q).abs() <= near)
            .or_else(|| round(q).find(|&b| fits(b)));
        // Where the quantile falls on the previous break (many equal values), the next distinct
        // value starts the class instead, rounded if that keeps it above the one below it.
        let next = || {
            let at = distinct.iter().position(|&d| d > floor && d > min)?;
            let (next, below) = (distinct[at], distinct[at.saturating_sub(1)]);
            round(next)
                .find(|&b| b > below && b <= next && fits(b))
                .or_else(|| fits(next).then_some(next))
        };
        if let Some(b) = rounded.or_else(next) {
            breaks.push(b);
        }
    }
    // A break that leaves a class empty is dropped, merging that class into its neighbour.
    loop {
        let counts = count(&sorted, &breaks);
        match counts.iter().position(|&c| c == 0) {
            Some(0) if !breaks.is_empty() => {
                breaks.remove(0);
            }
            Some(i) if i > 0 => {
                breaks.remove(i - 1);
            }
            _ => break,
        }
    }
    let counts = count(&sorted, &breaks);
    let n = breaks.len() + 1;
    (0..n)
        .map(|i| {
            let lo = if i == 0 { from } else { breaks[i - 1] };
            let last = i + 1 == n;
            let hi = if last { max } else { breaks[i] };
            let label = if last && n > 1 {
                format!("≥ {}", bound(lo))
            } else {
                format!("{} – {}", bound(lo), bound(hi))
            };
            LegendClass {
                colour: colour(i, n).to_string(),
                from: Some(lo),
                to: Some(hi),
                label,
                count: counts[i],
            }
        })
        .collect()
}

/// The class of a value among `classes` (as made by [`classes`]).
pub(crate) fn class_of(classes: &[LegendClass], value: f64) -> Option<usize> {
    if !value.is_finite() {
        return None;
    }
    // The top value class includes its upper bound, wherever "No data" stands after it.
    let last = classes.iter().rposition(|c| c.from.is_some())?;
    classes.iter().enumerate().find_map(|(i, c)| {
        let (lo, hi) = (c.from?, c.to?);
        (value >= lo && (value < hi || (i == last && value <= hi))).then_some(i)
    })
}

/// The legend entry for countries without a value.
pub(crate) fn no_data_class(count: usize) -> LegendClass {
    LegendClass {
        colour: NO_DATA.to_string(),
        from: None,
        to: None,
        label: "No data".to_string(),
        count,
    }
}

fn count(sorted: &[f64], breaks: &[f64]) -> Vec<usize> {
    let mut counts = vec![0; breaks.len() + 1];
    for v in sorted {
        let i = breaks.iter().take_while(|&&b| *v >= b).count();
        counts[i] += 1;
    }
    counts
}

/// Colours spread over the whole palette when there are fewer classes than colours, so two
/// classes are not two nearly equal light blues.
fn colour(i: usize, n: usize) -> &'static str {
    let last = SEQUENTIAL.len() - 1;
    let index = if n <= 1 {
        last / 2 + 1
    } else {
        (i * last + (n - 1) / 2) / (n - 1)
    };
    SEQUENTIAL[index.min(last)]
}

/// Linear interpolation between order statistics.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let pos = p * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let t = pos - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * t
}

/// Scale that keeps `digits` significant digits of `v`, as a power of ten to divide or multiply
/// by, whichever stays exact in decimal.
fn step(v: f64, digits: i32) -> (f64, bool) {
    let e = v.abs().log10().floor() as i32 - digits + 1;
    if e >= 0 {
        (10f64.powi(e), true)
    } else {
        (10f64.powi(-e), false)
    }
}

fn round_sig(v: f64, digits: i32) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let r = match step(v, digits) {
        (s, true) => (v / s).round() * s,
        (s, false) => (v * s).round() / s,
    };
    // Near the ends of f64 the power of ten overflows; the value itself is then the break.
    if r.is_finite() {
        r
    } else {
        v
    }
}

/// The largest one-significant-digit number not above `v` (0 stays 0).
fn floor_nice(v: f64) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    let f = match step(v, 1) {
        (s, true) => (v / s).floor() * s,
        (s, false) => (v * s).floor() / s,
    };
    if f.is_finite() {
        f.min(v)
    } else {
        v
    }
}

/// A bound as a legend shows it: `readable` from 1 up, and below 1 with the two significant
/// digits a break can have, which `readable` would round away ("0.02" is not "0").
fn bound(v: f64) -> String {
    if v != 0.0 && v.abs() < 1.0 {
        let r = round_sig(v, 2);
        let digits = (-r.abs().log10().floor() as usize + 1).min(12);
        let text = format!("{r:.digits$}");
        let text = text.trim_end_matches('0').trim_end_matches('.');
        text.to_string()
    } else {
        readable(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(values: &[f64]) -> Vec<LegendClass> {
        let c = classes(values);
        let present = values.iter().filter(|v| v.is_finite()).count();
        assert_eq!(c.iter().map(|k| k.count).sum::<usize>(), present, "{c:?}");
        assert!(c.len() <= MAX_CLASSES);
        for pair in c.windows(2) {
            assert!(pair[0].from < pair[1].from, "{c:?}");
            assert_eq!(pair[0].to, pair[1].from);
        }
        let mut labels: Vec<&str> = c.iter().map(|k| k.label.as_str()).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), c.len(), "labels are distinct: {c:?}");
        let mut with_no_data = c.clone();
        with_no_data.push(no_data_class(3));
        for v in values.iter().filter(|v| v.is_finite()) {
            let i = class_of(&c, *v).expect("every value has a class");
            assert!(c[i].count > 0);
            assert_eq!(class_of(&with_no_data, *v), Some(i));
        }
        c
    }

    #[test]
    fn breaks_are_round_and_increasing() {
        let values: Vec<f64> = (1..=200).map(|i| (i * i * 137) as f64).collect();
        let c = check(&values);
        assert_eq!(c.len(), 6);
        for k in &c[1..] {
            let b = k.from.expect("a bound");
            let sig = format!("{:e}", b);
            assert!(
                sig.split('e').next().map_or(0, str::len) <= 3,
                "{b} is not round"
            );
        }
        assert!(c[5].label.starts_with("≥ "));
        assert!(c[0].label.contains(" – "));
    }

    #[test]
    fn evenly_spread_values_get_six_classes() {
        let values: Vec<f64> = (0..240)
            .map(|i| ((i * 7919) % 1000) as f64 * 3000.0)
            .collect();
        let c = check(&values);
        assert_eq!(c.len(), 6, "{c:?}");
        check(&[2_000_000.0, 2_000_000.0, 2_001_000.0, 2_002_000.0, 9e6]);
    }

    #[test]
    fn degenerate_values_still_classify() {
        assert!(classes(&[]).is_empty());
        assert!(classes(&[f64::NAN]).is_empty());
        let one = check(&[5.0]);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].label, "5");
        let equal = check(&[3e6, 3e6, 3e6]);
        assert_eq!((equal.len(), equal[0].count), (1, 3));
        check(&[0.0, 0.0, 0.0, 1.0]);
        check(&[-5e5, -1200.0, 0.0, 40.0, 3e6]);
        check(&[1.0, 2.0]);
        let small = check(&[0.01, 0.02, 0.5, 0.77, 0.9, 0.95, 0.99]);
        let mut labels: Vec<&str> = small.iter().map(|c| c.label.as_str()).collect();
        labels.dedup();
        assert_eq!(labels.len(), small.len(), "{labels:?}");
        let skewed = check(&[1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1e7]);
        assert!(skewed.len() >= 2);
    }

    #[test]
    fn rounding_keeps_significant_digits() {
        assert_eq!(round_sig(1_530_000.0, 1), 2_000_000.0);
        assert_eq!(round_sig(1_530_000.0, 2), 1_500_000.0);
        assert_eq!(round_sig(0.0345, 1), 0.03);
        assert_eq!(round_sig(-1234.0, 2), -1200.0);
        assert_eq!(floor_nice(12.0), 10.0);
        assert_eq!(floor_nice(-1234.0), -2000.0);
        assert_eq!(floor_nice(0.26), 0.2);
        assert!(round_sig(5e-310, 1).is_finite() && floor_nice(-5e-310).is_finite());
        assert_eq!(bound(0.025), "0.025");
        assert_eq!(bound(0.5), "0.5");
        assert_eq!(bound(-0.2), "-0.2");
        assert_eq!(bound(1_500_000.0), "1.5 M");
    }
}
