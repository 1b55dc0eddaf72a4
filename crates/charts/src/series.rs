//! Line charts and stacked areas over years: nice axes, gaps where a value is not available
//! (never a line to zero), direct labels at the lines' ends instead of a colour-only legend,
//! dashed markers, a `<title>` on every point and a description written from the data.

use std::fmt::Write;

use crate::doc::{self, finite, NORMAL, SMALL};
use crate::font::{text_width, truncate, wrap};
use crate::number::{exact, push_exact, push_int, readable};
use crate::palette::{series_colour, GRID, INK, MUTED, WHITE};
use crate::spec::{Marker, SeriesChart};
use crate::svg::{coord, escape, push_escaped};

const DEFAULT_WIDTH: f64 = 640.0;
const DEFAULT_HEIGHT: f64 = 360.0;
/// Vertical room per row of marker labels above the plot.
const MARKER_ROW: f64 = 15.0;
/// More rows than this and marker labels are left to overlap (the `<title>`s still tell them).
const MAX_MARKER_ROWS: usize = 3;
/// Radius of a point's dot: visible, and a target for the pointer.
const DOT: f64 = 3.0;

/// One line or band with its points sorted by year and non-finite values made `None`.
struct Series<'a> {
    label: &'a str,
    colour: &'static str,
    points: Vec<(i16, Option<f64>)>,
}

impl Series<'_> {
    fn values(&self) -> impl Iterator<Item = (i16, f64)> + '_ {
        self.points.iter().filter_map(|&(y, v)| v.map(|v| (y, v)))
    }

    fn value_at(&self, year: i16) -> Option<f64> {
        self.points
            .binary_search_by_key(&year, |p| p.0)
            .ok()
            .and_then(|i| self.points[i].1)
    }
}

fn clean(c: &SeriesChart) -> Vec<Series<'_>> {
    c.lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut points: Vec<(i16, Option<f64>)> =
                line.points.iter().map(|&(y, v)| (y, finite(v))).collect();
            points.sort_by_key(|p| p.0);
            // A year given twice keeps its first value: drawing both would zigzag.
            points.dedup_by_key(|p| p.0);
            Series {
                label: line.label.as_str(),
                colour: series_colour(i),
                points,
            }
        })
        .collect()
}

/// The stack of bands: which years every band has a value for, and the running sums.
struct Stack {
    years: Vec<i16>,
    /// `complete[k]`: every band has a value in `years[k]`; elsewhere the stack has a gap.
    complete: Vec<bool>,
    /// `tops[b][k]`: the sum of bands `0..=b` in `years[k]` (0 where not complete).
    tops: Vec<Vec<f64>>,
}

fn stack(bands: &[&Series<'_>]) -> Stack {
    let mut years: Vec<i16> = bands
        .iter()
        .flat_map(|b| b.points.iter().map(|p| p.0))
        .collect();
    years.sort_unstable();
    years.dedup();
    let complete: Vec<bool> = years
        .iter()
        .map(|&y| bands.iter().all(|b| b.value_at(y).is_some()))
        .collect();
    let mut tops = Vec::with_capacity(bands.len());
    let mut below = vec![0.0; years.len()];
    for band in bands {
        let top: Vec<f64> = years
            .iter()
            .zip(&complete)
            .zip(&below)
            .map(|((&y, &ok), &b)| {
                if ok {
                    b + band.value_at(y).unwrap_or(0.0)
                } else {
                    0.0
                }
            })
            .collect();
        below.clone_from(&top);
        tops.push(top);
    }
    Stack {
        years,
        complete,
        tops,
    }
}

/// A step of 1, 2 or 5 times a power of ten near `raw`: ticks people read at a glance.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let f = raw / magnitude;
    let n = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    let step = n * magnitude;
    if step.is_finite() && step > 0.0 {
        step
    } else {
        1.0
    }
}

/// The value axis: its ends, rounded out to whole steps, and the tick values.
struct ValueAxis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    step: f64,
}

fn value_axis(lo: f64, hi: f64, target_ticks: f64) -> ValueAxis {
    // Counts are read against zero: the axis always includes it.
    let (mut lo, mut hi) = (lo.min(0.0), hi.max(0.0));
    if !(lo.is_finite() && hi.is_finite()) || hi - lo <= 0.0 || !(hi - lo).is_finite() {
        lo = lo.clamp(-1e300, 0.0);
        hi = if hi.is_finite() && hi > lo {
            hi
        } else {
            lo + 1.0
        };
    }
    let step = nice_step((hi - lo) / target_ticks.max(1.0));
    let lo_n = (lo / step).floor() * step;
    let hi_n = (hi / step).ceil() * step;
    let (lo_n, hi_n) = if lo_n.is_finite() && hi_n.is_finite() && hi_n > lo_n {
        (lo_n, hi_n)
    } else {
        (lo, hi)
    };
    let mut ticks = Vec::new();
    let mut i = 0.0;
    while ticks.len() < 50 {
        let v = lo_n + i * step;
        if v > hi_n + step * 1e-6 || !v.is_finite() {
            break;
        }
        // Sums such as 0.1 + 0.2 would otherwise print as 0.30000000000000004 and -0.
        let v = if v.abs() < step * 1e-6 { 0.0 } else { v };
        ticks.push(v);
        i += 1.0;
    }
    ValueAxis {
        lo: lo_n,
        hi: hi_n,
        ticks,
        step,
    }
}

fn tick_label(v: f64, step: f64) -> String {
    if step >= 1.0 {
        readable(v)
    } else {
        let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
        format!("{v:.decimals$}")
    }
}

/// A step between labelled years so that labels do not crowd: 1, 2, 5, 10, 20, 25, 50, …
fn year_step(span: i32, max_ticks: i32) -> i32 {
    let mut base = 1;
    loop {
        for m in [1, 2, 5] {
            let step = base * m;
            if span / step < max_ticks.max(1) || step >= 100_000 {
                return step;
            }
        }
        base *= 10;
    }
}

/// Where data coordinates land in the drawing.
struct Plot {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    year_lo: f64,
    year_hi: f64,
    axis: ValueAxis,
}

impl Plot {
    fn x(&self, year: i16) -> f64 {
        let year = f64::from(year);
        if self.year_hi > self.year_lo {
            self.left
                + (year - self.year_lo) / (self.year_hi - self.year_lo) * (self.right - self.left)
        } else {
            (self.left + self.right) / 2.0
        }
    }

    fn y(&self, v: f64) -> f64 {
        let span = self.axis.hi - self.axis.lo;
        if span > 0.0 && span.is_finite() {
            self.bottom - (v - self.axis.lo) / span * (self.bottom - self.top)
        } else {
            self.bottom
        }
    }
}

/// Everything drawn, prepared from the input.
struct Prepared<'a> {
    /// Series with at least one value (lines), or the bands that are stacked.
    drawn: Vec<Series<'a>>,
    /// Labels of series without any value: named in the description, not drawn.
    empty: Vec<&'a str>,
    stack: Option<Stack>,
}

fn prepare(c: &SeriesChart) -> Prepared<'_> {
    let (drawn, empty): (Vec<_>, Vec<_>) = clean(c)
        .into_iter()
        .partition(|s| s.points.iter().any(|p| p.1.is_some()));
    let empty = empty.into_iter().map(|s| s.label).collect();
    let stack = c.stacked.then(|| stack(&drawn.iter().collect::<Vec<_>>()));
    Prepared {
        drawn,
        empty,
        stack,
    }
}

/// The range of values the axis must show.
fn value_range(p: &Prepared<'_>) -> Option<(f64, f64)> {
    let values: Vec<f64> = match &p.stack {
        Some(s) => s
            .tops
            .iter()
            .flat_map(|t| {
                t.iter()
                    .zip(&s.complete)
                    .filter(|(_, &ok)| ok)
                    .map(|(&v, _)| v)
            })
            .collect(),
        None => p
            .drawn
            .iter()
            .flat_map(|s| s.values().map(|(_, v)| v))
            .collect(),
    };
    // Sums of huge values can overflow; such a point is drawn at the edge, not allowed to erase
    // the axis.
    let values = values.into_iter().filter(|v| v.is_finite());
    let lo = values.clone().fold(f64::INFINITY, f64::min);
    let hi = values.fold(f64::NEG_INFINITY, f64::max);
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// A direct label at the right of the plot: the series, where its end is, and where it goes.
struct EndLabel<'a> {
    label: &'a str,
    colour: &'static str,
    /// The height of the series' end.
    want: f64,
    /// The middle of the label's first line, once spread.
    at: f64,
    /// The label as drawn, on one or two lines.
    lines: Vec<String>,
}

/// Labels moved apart vertically, keeping their order, inside `top..=bottom`; each takes
/// `line` per line of text.
fn spread(labels: &mut [EndLabel<'_>], line: f64, top: f64, bottom: f64) {
    labels.sort_by(|a, b| a.want.total_cmp(&b.want));
    let height = |l: &EndLabel<'_>| l.lines.len().max(1) as f64 * line;
    let mut floor = f64::NEG_INFINITY;
    for l in labels.iter_mut() {
        l.at = l.want.max(floor).max(top);
        floor = l.at + height(l);
    }
    let mut ceiling = f64::INFINITY;
    for l in labels.iter_mut().rev() {
        let last_line = height(l) - line;
        l.at = l.at.min(ceiling - height(l)).min(bottom - last_line);
        ceiling = l.at;
    }
    // With more labels than room, the first ones are pushed above the plot: keep them inside
    // the drawing even if they touch.
    for l in labels.iter_mut() {
        l.at = l.at.max(top);
    }
}

/// A line chart of `c.lines`, or their stacked areas when `c.stacked`, as one SVG document.
pub fn series_chart(c: &SeriesChart) -> String {
    let width = doc::side(c.frame.width, DEFAULT_WIDTH);
    let height = doc::side(c.frame.height, DEFAULT_HEIGHT);
    let p = prepare(c);
    let desc = describe(c, &p);
    let Some((lo, hi)) = value_range(&p) else {
        return doc::no_data(&c.frame, width, height, &desc);
    };

    let years = p.drawn.iter().flat_map(|s| s.points.iter().map(|q| q.0));
    let markers = c.markers.iter().map(|m| m.year);
    let all_years: Vec<i16> = years.chain(markers).collect();
    let year_lo = all_years.iter().copied().min().unwrap_or(0);
    let year_hi = all_years.iter().copied().max().unwrap_or(0);

    // The right margin holds the direct labels; they may take up to 30% of the width.
    let label_room = (width * 0.3).min(200.0);
    let widest_label = p
        .drawn
        .iter()
        .flat_map(|s| wrap(s.label, NORMAL, label_room, 2))
        .map(|l| text_width(&l, NORMAL))
        .fold(0.0, f64::max);
    let right = width - widest_label - 22.0;

    let bottom = height - 24.0;
    let marker_rows_guess = if c.markers.is_empty() { 0.0 } else { 1.0 };
    let top_guess = 10.0 + marker_rows_guess * MARKER_ROW;
    let target_ticks = ((bottom - top_guess) / 45.0).clamp(2.0, 8.0);
    let axis = value_axis(lo, hi, target_ticks);
    let labels: Vec<String> = axis
        .ticks
        .iter()
        .map(|&v| tick_label(v, axis.step))
        .collect();
    let left = labels
        .iter()
        .map(|l| text_width(l, SMALL))
        .fold(0.0, f64::max)
        + 12.0;

    let mut plot = Plot {
        left,
        right: right.max(left + 40.0),
        top: top_guess,
        bottom,
        year_lo: f64::from(year_lo),
        year_hi: f64::from(year_hi),
        axis,
    };
    let marker_layout = place_markers(&c.markers, &plot, width);
    let rows = marker_layout.iter().map(|m| m.row + 1).max().unwrap_or(0);
    plot.top = 10.0 + rows as f64 * MARKER_ROW;
    plot.bottom = plot.bottom.max(plot.top + 40.0);

    let mut out = doc::open(&c.frame, width, height, &desc);
    draw_axes(&mut out, &plot, &labels);
    let unit = c.frame.unit.as_str();
    let decimals = c.frame.decimals;
    // Markers go under lines (which stay readable where they cross) but over areas (which
    // would hide them).
    let mut ends = match &p.stack {
        Some(s) => {
            let ends = draw_stack(&mut out, &plot, &p.drawn, s, unit, decimals);
            draw_markers(&mut out, &plot, &marker_layout);
            ends
        }
        None => {
            draw_markers(&mut out, &plot, &marker_layout);
            draw_lines(&mut out, &plot, &p.drawn, unit, decimals)
        }
    };
    for e in &mut ends {
        e.lines = wrap(e.label, NORMAL, label_room, 2);
    }
    let line = NORMAL + 2.0;
    spread(&mut ends, line, plot.top, plot.bottom);
    for e in &ends {
        let _ = write!(
            out,
            r#"<g><title>{}</title><line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="3"/>"#,
            escape(e.label),
            coord(plot.right + 4.0),
            coord(plot.right + 14.0),
            e.colour,
            y = coord(e.at),
        );
        for (i, text) in e.lines.iter().enumerate() {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}">{}</text>"#,
                coord(plot.right + 18.0),
                coord(e.at + i as f64 * line + NORMAL * 0.35),
                escape(text),
            );
        }
        out.push_str("</g>");
    }
    doc::close(out)
}

fn draw_axes(out: &mut String, plot: &Plot, labels: &[String]) {
    for (v, label) in plot.axis.ticks.iter().zip(labels) {
        let y = coord(plot.y(*v));
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="{}"/><text x="{}" y="{}" text-anchor="end" font-size="{}" fill="{MUTED}">{}</text>"#,
            coord(plot.left),
            coord(plot.right),
            if *v == 0.0 { MUTED } else { GRID },
            if *v == 0.0 { "1" } else { "0.5" },
            coord(plot.left - 6.0),
            coord(plot.y(*v) + SMALL * 0.35),
            coord(SMALL),
            escape(label),
        );
    }
    let span = (plot.year_hi - plot.year_lo) as i32;
    let label_width = text_width("2024", SMALL) + 14.0;
    let max_ticks = ((plot.right - plot.left) / label_width).floor() as i32;
    let step = year_step(span, max_ticks);
    let (lo, hi) = (plot.year_lo as i32, plot.year_hi as i32);
    for year in lo..=hi {
        if year.rem_euclid(step) != 0 && lo != hi {
            continue;
        }
        let Ok(year) = i16::try_from(year) else {
            continue;
        };
        let x = coord(plot.x(year));
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{MUTED}" stroke-width="1"/><text x="{x}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">{year}</text>"#,
            coord(plot.bottom),
            coord(plot.bottom + 4.0),
            coord(plot.bottom + 16.0),
            coord(SMALL),
        );
    }
}

struct PlacedMarker<'a> {
    marker: &'a Marker,
    row: usize,
    /// The left edge of its label.
    x: f64,
    text: String,
}

fn place_markers<'a>(markers: &'a [Marker], plot: &Plot, width: f64) -> Vec<PlacedMarker<'a>> {
    let mut sorted: Vec<&Marker> = markers.iter().collect();
    sorted.sort_by_key(|m| m.year);
    // Each placed label: its row, its extent, and where its dashed line runs down from it.
    let mut placed: Vec<(usize, f64, f64, f64)> = Vec::new();
    let mut out = Vec::with_capacity(sorted.len());
    for m in sorted {
        let text = truncate(&m.label, SMALL, (width * 0.4).max(60.0));
        let w = text_width(&text, SMALL);
        let line = plot.x(m.year);
        // Labels start at their line and run right, so that close markers step down in rows
        // without a label sitting on an earlier marker's line.
        let x = (line + 4.0).min(width - w - 2.0).max(0.0);
        let fits = |row: usize| {
            placed.iter().all(|&(r, from, to, other_line)| {
                let apart = to + 6.0 <= x || x + w + 6.0 <= from;
                // A label must not sit on a line coming down from a row above it, and its own
                // line must not cut through a label in a row below.
                let clear_of_line = !(r < row && other_line > x - 3.0 && other_line < x + w + 3.0);
                let clear_of_label = !(r > row && line > from - 3.0 && line < to + 3.0);
                (r != row || apart) && clear_of_line && clear_of_label
            })
        };
        let row = (0..MAX_MARKER_ROWS)
            .find(|&r| fits(r))
            .or_else(|| {
                (0..MAX_MARKER_ROWS).find(|&r| {
                    placed
                        .iter()
                        .all(|&(pr, from, to, _)| pr != r || to + 6.0 <= x || x + w + 6.0 <= from)
                })
            })
            .unwrap_or(MAX_MARKER_ROWS - 1);
        placed.push((row, x, x + w, line));
        out.push(PlacedMarker {
            marker: m,
            row,
            x,
            text,
        });
    }
    out
}

fn draw_markers(out: &mut String, plot: &Plot, markers: &[PlacedMarker<'_>]) {
    for m in markers {
        let x = coord(plot.x(m.marker.year));
        let text_y = 10.0 + m.row as f64 * MARKER_ROW + SMALL * 0.8;
        let _ = write!(
            out,
            r#"<g class="marker"><title>{}: {}</title><line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{INK}" stroke-width="1" stroke-dasharray="4 3"/><text x="{}" y="{}" font-size="{}">{}</text></g>"#,
            m.marker.year,
            escape(&m.marker.label),
            coord(text_y + 3.0),
            coord(plot.bottom),
            coord(m.x),
            coord(text_y),
            coord(SMALL),
            escape(&m.text),
        );
    }
}

/// A point of a series: a dot at (x, y) with its exact figure in its `<title>`.
struct Dot<'a> {
    x: f64,
    y: f64,
    colour: &'a str,
    label: &'a str,
    year: i16,
    value: f64,
}

impl Dot<'_> {
    /// Appends the dot. Written piece by piece into the document: a country page draws some
    /// 3,000 of them, and building each title as its own strings was a tenth of the page's time.
    fn write(&self, out: &mut String, unit: &str, decimals: u8, grouped: bool) {
        out.push_str(r#"<circle cx=""#);
        coord(self.x).push_to(out);
        out.push_str(r#"" cy=""#);
        coord(self.y).push_to(out);
        out.push_str(r#"" r=""#);
        coord(DOT).push_to(out);
        out.push('"');
        if !grouped {
            out.push_str(r#" fill=""#);
            out.push_str(self.colour);
            out.push_str(r#"" stroke=""#);
            out.push_str(WHITE);
            out.push_str(r#"" stroke-width="1""#);
        }
        out.push_str("><title>");
        push_escaped(out, self.label);
        out.push_str(", ");
        push_int(out, self.year.into());
        out.push_str(": ");
        push_exact(out, self.value, decimals);
        let unit = unit.trim();
        if !unit.is_empty() {
            out.push(' ');
            push_escaped(out, unit);
        }
        out.push_str("</title></circle>");
    }
}

/// Writes the dots of a series' runs: those on a drawn line in one `<g class="points">`, which
/// print hides (a printed report reads the line and the table beside it, and thousands of dots
/// were a quarter of a report's printing time), and each point alone, which only its dot shows,
/// outside it.
///
/// The group carries the dots' colour and outline, which they inherit: a country page draws some
/// 3,000 dots, and writing the same three attributes on each was a fifth of its bytes.
fn write_points<T>(
    out: &mut String,
    colour: &str,
    runs: &[Vec<T>],
    mut dot: impl FnMut(&mut String, &T, bool),
) {
    let _ = write!(
        out,
        r#"<g class="points" fill="{colour}" stroke="{WHITE}" stroke-width="1">"#
    );
    for run in runs.iter().filter(|r| r.len() > 1) {
        for point in run {
            dot(out, point, true);
        }
    }
    out.push_str("</g>");
    for run in runs.iter().filter(|r| r.len() == 1) {
        for point in run {
            dot(out, point, false);
        }
    }
}

/// Appends a path command to the point (`x`, `y`): `M12 34.5`.
fn push_point(d: &mut String, command: char, x: f64, y: f64) {
    d.push(command);
    coord(x).push_to(d);
    d.push(' ');
    coord(y).push_to(d);
}

fn draw_lines<'a>(
    out: &mut String,
    plot: &Plot,
    lines: &[Series<'a>],
    unit: &str,
    decimals: u8,
) -> Vec<EndLabel<'a>> {
    let mut ends = Vec::new();
    for s in lines {
        // Runs of consecutive available values: a `None` ends a run, so a gap is never bridged.
        let mut runs: Vec<Vec<(i16, f64)>> = vec![Vec::new()];
        for &(year, v) in &s.points {
            match v {
                Some(v) => {
                    if let Some(r) = runs.last_mut() {
                        r.push((year, v));
                    }
                }
                None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
                None => {}
            }
        }
        for run in runs.iter().filter(|r| r.len() > 1) {
            let mut d = String::with_capacity(run.len() * 12);
            for (i, &(year, v)) in run.iter().enumerate() {
                push_point(
                    &mut d,
                    if i == 0 { 'M' } else { 'L' },
                    plot.x(year),
                    plot.y(v),
                );
            }
            let (first, last) = (run[0].0, run[run.len() - 1].0);
            let _ = write!(
                out,
                r#"<path d="{d}" fill="none" stroke="{}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"><title>{}, {first}–{last}</title></path>"#,
                s.colour,
                escape(s.label),
            );
        }
        let dot = |out: &mut String, &(year, value): &(i16, f64), grouped: bool| {
            Dot {
                x: plot.x(year),
                y: plot.y(value),
                colour: s.colour,
                label: s.label,
                year,
                value,
            }
            .write(out, unit, decimals, grouped)
        };
        write_points(out, s.colour, &runs, dot);
        if let Some((_, v)) = s.values().last() {
            ends.push(EndLabel {
                label: s.label,
                colour: s.colour,
                want: plot.y(v),
                at: 0.0,
                lines: Vec::new(),
            });
        }
    }
    ends
}

fn draw_stack<'a>(
    out: &mut String,
    plot: &Plot,
    bands: &[Series<'a>],
    stack: &Stack,
    unit: &str,
    decimals: u8,
) -> Vec<EndLabel<'a>> {
    // Runs of consecutive complete years: a year where any band is missing breaks every band.
    let mut runs: Vec<Vec<usize>> = vec![Vec::new()];
    for (k, &ok) in stack.complete.iter().enumerate() {
        if ok {
            if let Some(r) = runs.last_mut() {
                r.push(k);
            }
        } else if runs.last().is_some_and(|r| !r.is_empty()) {
            runs.push(Vec::new());
        }
    }
    let zero = vec![0.0; stack.years.len()];
    for (b, band) in bands.iter().enumerate() {
        let top = &stack.tops[b];
        let below = if b == 0 { &zero } else { &stack.tops[b - 1] };
        for run in runs.iter().filter(|r| r.len() > 1) {
            let mut d = String::with_capacity(run.len() * 24);
            for (i, &k) in run.iter().enumerate() {
                let cmd = if i == 0 { 'M' } else { 'L' };
                push_point(&mut d, cmd, plot.x(stack.years[k]), plot.y(top[k]));
            }
            for &k in run.iter().rev() {
                push_point(&mut d, 'L', plot.x(stack.years[k]), plot.y(below[k]));
            }
            d.push('Z');
            let (first, last) = (stack.years[run[0]], stack.years[run[run.len() - 1]]);
            let _ = write!(
                out,
                r#"<path d="{d}" fill="{}" fill-opacity="0.85" stroke="{WHITE}" stroke-width="0.5"><title>{}, {first}–{last}</title></path>"#,
                band.colour,
                escape(band.label),
            );
        }
    }
    for (b, band) in bands.iter().enumerate() {
        let dot = |out: &mut String, &k: &usize, grouped: bool| {
            let year = stack.years[k];
            if let Some(v) = band.value_at(year) {
                Dot {
                    x: plot.x(year),
                    y: plot.y(stack.tops[b][k]),
                    colour: band.colour,
                    label: band.label,
                    year,
                    value: v,
                }
                .write(out, unit, decimals, grouped);
            }
        };
        write_points(out, band.colour, &runs, dot);
    }
    let last = stack.complete.iter().rposition(|&ok| ok);
    let Some(k) = last else {
        return Vec::new();
    };
    bands
        .iter()
        .enumerate()
        .map(|(b, band)| {
            let below = if b == 0 { 0.0 } else { stack.tops[b - 1][k] };
            EndLabel {
                label: band.label,
                colour: band.colour,
                want: plot.y((below + stack.tops[b][k]) / 2.0),
                at: 0.0,
                lines: Vec::new(),
            }
        })
        .collect()
}

/// First, last and peak of a sequence of (year, value).
fn summary(values: &[(i16, f64)], decimals: u8) -> Option<String> {
    let first = values.first()?;
    let last = values.last()?;
    let peak = values
        .iter()
        .fold(first, |best, v| if v.1 > best.1 { v } else { best });
    Some(format!(
        "{} in {}, {} in {}, peak {} in {}",
        exact(first.1, decimals),
        first.0,
        exact(last.1, decimals),
        last.0,
        exact(peak.1, decimals),
        peak.0
    ))
}

fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn describe(c: &SeriesChart, p: &Prepared<'_>) -> String {
    let kind = if c.stacked {
        "Stacked area chart"
    } else {
        "Line chart"
    };
    let decimals = c.frame.decimals;
    let names: Vec<&str> = p.drawn.iter().map(|s| s.label).collect();
    let years: Vec<i16> = p
        .drawn
        .iter()
        .flat_map(|s| s.values().map(|v| v.0))
        .collect();
    let first = years.iter().copied().min();
    let last = years.iter().copied().max();
    let (Some(first), Some(last)) = (first, last) else {
        let mut text = format!("{kind}: no data");
        if !p.empty.is_empty() {
            let _ = write!(text, " for {}", list(&p.empty));
        }
        text.push('.');
        return text;
    };
    let mut text = format!("{kind} of {}, {first} to {last}", list(&names));
    if !c.frame.unit.trim().is_empty() {
        let _ = write!(text, ", in {}", c.frame.unit.trim());
    }
    text.push('.');
    for s in &p.drawn {
        let values: Vec<(i16, f64)> = s.values().collect();
        if let Some(sum) = summary(&values, decimals) {
            let _ = write!(text, " {}: {sum}", s.label);
        }
        let missing = s.points.iter().filter(|q| q.1.is_none()).count();
        if missing > 0 {
            let _ = write!(
                text,
                "; not available in {missing} of {} years",
                s.points.len()
            );
        }
        text.push('.');
    }
    if let Some(stack) = &p.stack {
        if let Some(top) = stack.tops.last() {
            let totals: Vec<(i16, f64)> = stack
                .years
                .iter()
                .zip(top)
                .zip(&stack.complete)
                .filter(|(_, &ok)| ok)
                .map(|((&y, &v), _)| (y, v))
                .collect();
            match summary(&totals, decimals) {
                Some(sum) => {
                    let _ = write!(text, " Total: {sum}.");
                }
                None => {
                    text.push_str(" No year has a value for every band, so nothing is stacked.")
                }
            }
        }
    }
    if !p.empty.is_empty() {
        let _ = write!(text, " No data for {}.", list(&p.empty));
    }
    if !c.markers.is_empty() {
        let mut markers: Vec<&Marker> = c.markers.iter().collect();
        markers.sort_by_key(|m| m.year);
        let marks: Vec<String> = markers
            .iter()
            .map(|m| format!("{} ({})", m.year, m.label))
            .collect();
        let _ = write!(text, " Marked: {}.", marks.join(", "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Frame, Line};

    fn frame() -> Frame {
        Frame {
            id: "t".into(),
            title: "Test".into(),
            unit: "persons".into(),
            decimals: 0,
            width: 0,
            height: 0,
        }
    }

    fn line(label: &str, points: &[(i16, Option<f64>)]) -> Line {
        Line {
            label: label.into(),
            points: points.to_vec(),
        }
    }

    #[test]
    fn steps_are_one_two_or_five() {
        assert_eq!(nice_step(7.3), 10.0);
        assert_eq!(nice_step(1.5), 2.0);
        assert_eq!(nice_step(3_000_000.0), 5_000_000.0);
        assert_eq!(nice_step(0.03), 0.05);
        assert_eq!(nice_step(f64::NAN), 1.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    #[test]
    fn the_value_axis_starts_at_zero_and_ends_on_a_step() {
        let a = value_axis(12.0, 31_612_412.0, 5.0);
        assert_eq!(a.lo, 0.0);
        assert_eq!(a.hi, 40_000_000.0);
        assert_eq!(a.ticks.first(), Some(&0.0));
        assert_eq!(a.ticks.last(), Some(&40_000_000.0));
        let labels: Vec<String> = a.ticks.iter().map(|&v| tick_label(v, a.step)).collect();
        assert_eq!(labels, ["0", "10 M", "20 M", "30 M", "40 M"]);
        let small = value_axis(0.0, 0.3, 5.0);
        let labels: Vec<String> = small
            .ticks
            .iter()
            .map(|&v| tick_label(v, small.step))
            .collect();
        assert_eq!(labels, ["0.0", "0.1", "0.2", "0.3"]);
        let flat = value_axis(0.0, 0.0, 5.0);
        assert!(flat.hi > flat.lo);
        let wild = value_axis(-1e308, 1e308, 5.0);
        assert!(wild.ticks.len() <= 50);
    }

    #[test]
    fn year_steps_keep_labels_apart() {
        assert_eq!(year_step(4, 10), 1);
        assert_eq!(year_step(34, 10), 5);
        assert_eq!(year_step(74, 10), 10);
        assert_eq!(year_step(0, 0), 1);
    }

    #[test]
    fn stacked_tops_are_the_sums_and_gaps_break_the_stack() {
        let c = SeriesChart {
            frame: frame(),
            lines: vec![
                line(
                    "A",
                    &[
                        (2000, Some(1.0)),
                        (2001, Some(2.0)),
                        (2002, None),
                        (2003, Some(4.0)),
                    ],
                ),
                line(
                    "B",
                    &[
                        (2000, Some(10.0)),
                        (2001, Some(20.0)),
                        (2002, Some(30.0)),
                        (2003, Some(40.0)),
                    ],
                ),
            ],
            stacked: true,
            markers: vec![],
        };
        let p = prepare(&c);
        let s = p.stack.as_ref().expect("stacked");
        assert_eq!(s.complete, [true, true, false, true]);
        assert_eq!(s.tops[1], [11.0, 22.0, 0.0, 44.0]);
        let svg = series_chart(&c);
        // The axis is sized by the sums, not by the largest band.
        assert_eq!(value_range(&p), Some((1.0, 44.0)));
        // A dot's title tells the band's own value, not the sum it is drawn at.
        assert!(svg.contains("B, 2001: 20 persons"));
        // One area per band for 2000–2001; 2003 alone is only dots.
        assert_eq!(svg.matches("<path").count(), 2);
    }

    #[test]
    fn labels_are_spread_apart_within_the_plot() {
        let mut labels: Vec<EndLabel<'_>> = (0..3)
            .map(|i| EndLabel {
                label: "x",
                colour: "#000",
                want: 100.0 + f64::from(i),
                at: 0.0,
                lines: vec!["x".into(); if i == 0 { 2 } else { 1 }],
            })
            .collect();
        spread(&mut labels, 14.0, 10.0, 110.0);
        let at: Vec<f64> = labels.iter().map(|l| l.at).collect();
        // The first takes two lines: the second starts below both.
        assert_eq!(at, [68.0, 96.0, 110.0]);
    }

    #[test]
    fn close_markers_step_down_without_crossing_labels() {
        let plot = Plot {
            left: 40.0,
            right: 440.0,
            top: 50.0,
            bottom: 330.0,
            year_lo: 2012.0,
            year_hi: 2024.0,
            axis: value_axis(0.0, 1.0, 5.0),
        };
        let markers: Vec<Marker> = [
            (2018, "Global Compact on Refugees"),
            (2016, "New York Declaration"),
            (2019, "Forum"),
        ]
        .iter()
        .map(|&(year, label)| Marker {
            year,
            label: label.into(),
        })
        .collect();
        let placed = place_markers(&markers, &plot, 640.0);
        let rows: Vec<(i16, usize)> = placed.iter().map(|p| (p.marker.year, p.row)).collect();
        assert_eq!(rows, [(2016, 0), (2018, 1), (2019, 2)]);
        let far = [
            Marker {
                year: 2012,
                label: "A".into(),
            },
            Marker {
                year: 2024,
                label: "B".into(),
            },
        ];
        assert!(place_markers(&far, &plot, 640.0).iter().all(|p| p.row == 0));
    }

    #[test]
    fn descriptions_tell_first_last_and_peak() {
        let c = SeriesChart {
            frame: frame(),
            lines: vec![
                line(
                    "Refugees",
                    &[
                        (1990, Some(17_396_478.0)),
                        (2000, Some(12_000_000.0)),
                        (2024, Some(31_612_412.0)),
                    ],
                ),
                line("Nobody", &[(1990, None)]),
            ],
            stacked: false,
            markers: vec![Marker {
                year: 2018,
                label: "Global Compact".into(),
            }],
        };
        let d = describe(&c, &prepare(&c));
        assert_eq!(
            d,
            "Line chart of Refugees, 1990 to 2024, in persons. Refugees: 17,396,478 in 1990, \
             31,612,412 in 2024, peak 31,612,412 in 2024. No data for Nobody. \
             Marked: 2018 (Global Compact)."
        );
    }

    #[test]
    fn dots_on_a_line_are_grouped_for_print_and_a_point_alone_is_not() {
        let points = [
            (2010, Some(5.0)),
            (2011, None),
            (2012, Some(6.0)),
            (2013, Some(7.0)),
            (2014, Some(8.0)),
        ];
        for stacked in [false, true] {
            let svg = series_chart(&SeriesChart {
                frame: frame(),
                lines: vec![line("Refugees", &points)],
                stacked,
                markers: Vec::new(),
            });
            let start = svg
                .find(r#"<g class="points" fill=""#)
                .expect("a group of points");
            let end = start + svg[start..].find("</g>").expect("the group ends");
            let (inside, after) = (&svg[start..end], &svg[end..]);
            for year in [2012, 2013, 2014] {
                assert!(
                    inside.contains(&format!("Refugees, {year}: ")),
                    "{year} in the group"
                );
            }
            assert!(!inside.contains("Refugees, 2010: "), "2010 is alone");
            assert!(
                after.contains("Refugees, 2010: "),
                "2010 keeps its dot: {after}"
            );
            // The group's dots inherit its colour and outline; the point alone carries its own.
            let tag = |circle: &str| circle[..circle.find('>').unwrap_or(circle.len())].to_string();
            for circle in inside.split("<circle").skip(1) {
                assert!(!tag(circle).contains("fill="), "a grouped dot: {circle}");
            }
            let alone = after.split("<circle").nth(1).expect("the point alone");
            assert!(tag(alone).contains("fill="), "{alone}");
        }
    }
}
