//! A claim's verdict year by year: a row of cells (wrapping when the years do not fit), each
//! coloured by verdict and carrying a mark (✓, ✗, ?) so that colour is never the only carrier,
//! with year labels, a legend and a description that counts the verdicts.

use std::fmt::Write;

use crate::doc::{self, LARGE, SMALL};
use crate::font::text_width;
use crate::palette::{INK, NO_DATA};
use crate::spec::{Timeline, Verdict};
use crate::svg::{coord, escape};

const DEFAULT_WIDTH: f64 = 640.0;
const PAD: f64 = 8.0;
/// The narrowest cell that still holds its mark; more years than fit wrap to another row.
const MIN_CELL: f64 = 22.0;
const MAX_CELL: f64 = 48.0;
const CELL_HEIGHT: f64 = 28.0;
/// A row of cells and the year labels under them.
const ROW_HEIGHT: f64 = CELL_HEIGHT + 20.0;
const LEGEND_HEIGHT: f64 = 22.0;

/// Words, mark, fill and mark colour of a verdict. Holds and fails are Okabe–Ito green and
/// vermillion (told apart under red–green deficiencies); the marks in white on them reach the 3:1
/// contrast of graphical objects.
fn look(v: Verdict) -> (&'static str, &'static str, &'static str, &'static str) {
    match v {
        Verdict::Holds => ("holds", "✓", "#009E73", "#ffffff"),
        Verdict::Fails => ("does not hold", "✗", "#D55E00", "#ffffff"),
        Verdict::Unknown => ("cannot say", "?", NO_DATA, INK),
    }
}

/// The verdicts of `c.years`, one cell per year, as one SVG document.
pub fn timeline(c: &Timeline) -> String {
    let width = doc::side(c.frame.width, DEFAULT_WIDTH);
    let mut years = c.years.clone();
    years.sort_by_key(|y| y.0);
    let desc = describe(&years);
    let n = years.len();
    if n == 0 {
        let height = doc::side(c.frame.height, 120.0);
        return doc::no_data(&c.frame, width, height, &desc);
    }
    let room = width - 2.0 * PAD;
    let per_row = ((room / MIN_CELL).floor() as usize).clamp(1, n);
    let rows = n.div_ceil(per_row);
    // Rows share the years evenly rather than leaving a last row of one or two.
    let per_row = n.div_ceil(rows);
    let cell = (room / per_row as f64).min(MAX_CELL);
    let needed = 2.0 * PAD + rows as f64 * ROW_HEIGHT + LEGEND_HEIGHT;
    let height = if c.frame.height == 0 {
        doc::clamp_side(needed)
    } else {
        doc::clamp_side(doc::side(c.frame.height, needed).max(needed))
    };

    // Label every year when it fits under its cell, else every 2nd, 5th or 10th.
    let label_w = text_width("2024", SMALL) + 4.0;
    let every = [1, 2, 5, 10]
        .into_iter()
        .find(|&k| k as f64 * cell >= label_w)
        .unwrap_or(10);

    let mut out = doc::open(&c.frame, width, height, &desc);
    for (i, &(year, verdict)) in years.iter().enumerate() {
        let (words, mark, fill, ink) = look(verdict);
        let (row, col) = (i / per_row, i % per_row);
        let x = PAD + col as f64 * cell;
        let y = PAD + row as f64 * ROW_HEIGHT;
        let centre = coord(x + cell / 2.0);
        let _ = write!(
            out,
            r#"<g><rect x="{}" y="{}" width="{}" height="{}" rx="2" fill="{fill}"><title>{year}: {words}</title></rect><text x="{centre}" y="{}" text-anchor="middle" font-size="{}" fill="{ink}">{mark}</text>"#,
            coord(x + 1.0),
            coord(y),
            coord(cell - 2.0),
            coord(CELL_HEIGHT),
            coord(y + CELL_HEIGHT / 2.0 + LARGE * 0.35),
            coord(LARGE),
        );
        if col % every == 0 {
            let _ = write!(
                out,
                r#"<text x="{centre}" y="{}" text-anchor="middle" font-size="{}">{year}</text>"#,
                coord(y + CELL_HEIGHT + 14.0),
                coord(SMALL),
            );
        }
        out.push_str("</g>");
    }
    let mut x = PAD;
    let y = PAD + rows as f64 * ROW_HEIGHT + 2.0;
    out.push_str(r#"<g class="legend">"#);
    for v in [Verdict::Holds, Verdict::Fails, Verdict::Unknown] {
        let (words, mark, fill, ink) = look(v);
        let _ = write!(
            out,
            r#"<rect x="{}" y="{}" width="16" height="16" rx="2" fill="{fill}"/><text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{ink}">{mark}</text><text x="{}" y="{}" font-size="{}">{}</text>"#,
            coord(x),
            coord(y),
            coord(x + 8.0),
            coord(y + 8.0 + SMALL * 0.35),
            coord(SMALL),
            coord(x + 20.0),
            coord(y + 8.0 + SMALL * 0.35),
            coord(SMALL),
            escape(words),
        );
        x += 20.0 + text_width(words, SMALL) + 14.0;
    }
    out.push_str("</g>");
    doc::close(out)
}

fn describe(years: &[(i16, Verdict)]) -> String {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return "Verdict timeline: no data.".into();
    };
    let count = |v: Verdict| years.iter().filter(|y| y.1 == v).count();
    let n = years.len();
    let span = if first.0 == last.0 {
        format!("{}", first.0)
    } else {
        format!("from {} to {}", first.0, last.0)
    };
    format!(
        "Verdicts {span} ({n} {}): holds in {}, does not hold in {}, cannot say in {}. Latest, {}: {}.",
        if n == 1 { "year" } else { "years" },
        count(Verdict::Holds),
        count(Verdict::Fails),
        count(Verdict::Unknown),
        last.0,
        look(last.1).0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::has_glyph;
    use crate::spec::Frame;

    fn chart(years: Vec<(i16, Verdict)>, width: u32) -> Timeline {
        Timeline {
            frame: Frame {
                id: "v".into(),
                title: "Verdicts".into(),
                unit: String::new(),
                decimals: 0,
                width,
                height: 0,
            },
            years,
        }
    }

    #[test]
    fn the_bundled_font_has_every_mark() {
        for v in [Verdict::Holds, Verdict::Fails, Verdict::Unknown] {
            let mark = look(v).1;
            assert!(mark.chars().all(has_glyph), "{mark}");
        }
    }

    #[test]
    fn each_year_is_a_cell_with_words_and_a_mark() {
        let svg = timeline(&chart(
            vec![
                (2020, Verdict::Fails),
                (2019, Verdict::Holds),
                (2021, Verdict::Unknown),
            ],
            0,
        ));
        assert!(svg.contains("<title>2019: holds</title>"));
        assert!(svg.contains("<title>2020: does not hold</title>"));
        assert!(svg.contains("<title>2021: cannot say</title>"));
        assert!(svg.find("2019: holds") < svg.find("2020: does not hold"));
        for mark in ["✓", "✗", "?"] {
            assert!(svg.contains(&format!(">{mark}</text>")));
        }
    }

    #[test]
    fn many_years_wrap_to_more_rows() {
        let years: Vec<(i16, Verdict)> = (1950..2025).map(|y| (y, Verdict::Holds)).collect();
        let svg = timeline(&chart(years, 320));
        let h = 2.0 * PAD + 6.0 * ROW_HEIGHT + LEGEND_HEIGHT;
        assert!(
            svg.contains(&format!(r#"height="{}""#, coord(h))),
            "{}",
            &svg[..200]
        );
    }

    #[test]
    fn descriptions_count_verdicts_and_tell_the_latest() {
        let d = describe(&[
            (2019, Verdict::Holds),
            (2020, Verdict::Holds),
            (2021, Verdict::Fails),
        ]);
        assert_eq!(
            d,
            "Verdicts from 2019 to 2021 (3 years): holds in 2, does not hold in 1, cannot say in 0. \
             Latest, 2021: does not hold."
        );
    }
}
