//! The one font the charts are measured and rasterised with, DejaVu Sans, bundled so that label
//! widths on the server match what the PNG shows (and, near enough, what browsers show).

use std::sync::OnceLock;

/// The family every chart's text is set in: the bundled font's family name.
pub const FONT_FAMILY: &str = "DejaVu Sans";

/// The bundled font file (see `fonts/README.md` for its provenance and licence).
pub(crate) const FONT_BYTES: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// What a character is assumed to take when the font has no glyph for it (or failed to parse):
/// about the average advance of DejaVu Sans, so a fallback overestimates rather than overlaps.
const FALLBACK_EM: f64 = 0.6;

struct Metrics {
    face: Option<ttf_parser::Face<'static>>,
    /// Advances of the printable ASCII characters in em, looked up once: labels are mostly
    /// ASCII, and a glyph lookup per character dominated the time of measuring them.
    ascii: [f64; 128],
}

fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(|| {
        let face = ttf_parser::Face::parse(FONT_BYTES, 0).ok();
        let mut ascii = [FALLBACK_EM; 128];
        for (i, slot) in ascii.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(i as u32) {
                *slot = advance(face.as_ref(), c);
            }
        }
        Metrics { face, ascii }
    })
}

/// A character's advance in em, from the font.
fn advance(face: Option<&ttf_parser::Face<'static>>, c: char) -> f64 {
    face.filter(|f| f.units_per_em() > 0)
        .and_then(|f| {
            let a = f.glyph_index(c).and_then(|g| f.glyph_hor_advance(g))?;
            Some(f64::from(a) / f64::from(f.units_per_em()))
        })
        .unwrap_or(FALLBACK_EM)
}

/// The advance width of `text` set in DejaVu Sans at `size` pixels, without kerning (which only
/// narrows text, so labels placed with this never collide).
pub fn text_width(text: &str, size: f64) -> f64 {
    if !size.is_finite() || size <= 0.0 {
        return 0.0;
    }
    let m = metrics();
    let mut em = 0.0;
    for c in text.chars() {
        em += match m.ascii.get(c as usize) {
            Some(a) => *a,
            None => advance(m.face.as_ref(), c),
        };
    }
    em * size
}

/// `text` cut with an ellipsis so that it fits in `max_width` at `size`; whole if it fits.
pub(crate) fn truncate(text: &str, size: f64, max_width: f64) -> String {
    if text_width(text, size) <= max_width {
        return text.to_string();
    }
    let ellipsis = '…';
    let budget = max_width - text_width("…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = text_width(c.encode_utf8(&mut [0; 4]), size);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    // A trailing space before the ellipsis reads as a lost word.
    let mut out = out.trim_end().to_string();
    out.push(ellipsis);
    out
}

/// `text` broken at spaces into at most `max_lines` lines that fit in `max_width` at `size`; what
/// does not fit is cut with an ellipsis.
pub(crate) fn wrap(text: &str, size: f64, max_width: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut words = text.split_whitespace().peekable();
    while words.peek().is_some() {
        if lines.len() + 1 == max_lines.max(1) {
            let rest: Vec<&str> = words.collect();
            lines.push(truncate(&rest.join(" "), size, max_width));
            break;
        }
        let mut line = String::new();
        while let Some(word) = words.peek() {
            let candidate = if line.is_empty() {
                (*word).to_string()
            } else {
                format!("{line} {word}")
            };
            if line.is_empty() || text_width(&candidate, size) <= max_width {
                line = candidate;
                words.next();
            } else {
                break;
            }
        }
        lines.push(truncate(&line, size, max_width));
    }
    lines
}

/// Whether the bundled font draws `c` (so a mark is not left to a fallback font).
#[cfg(test)]
pub(crate) fn has_glyph(c: char) -> bool {
    metrics()
        .face
        .as_ref()
        .is_some_and(|f| f.glyph_index(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_parses() {
        assert!(metrics().face.is_some());
        assert!(has_glyph('A'));
        assert!(!has_glyph('\u{10FFFF}'));
    }

    #[test]
    fn widths_follow_the_font() {
        let narrow = text_width("iiii", 12.0);
        let wide = text_width("MMMM", 12.0);
        assert!(narrow > 0.0 && narrow < wide, "{narrow} {wide}");
        assert!((text_width("Syria", 24.0) - 2.0 * text_width("Syria", 12.0)).abs() < 1e-9);
        assert_eq!(text_width("", 12.0), 0.0);
        assert_eq!(text_width("abc", f64::NAN), 0.0);
        // A character the font lacks still takes room.
        assert!((text_width("\u{10FFFF}", 10.0) - 6.0).abs() < 1e-9);
    }

    #[test]
    fn text_wraps_at_spaces_into_few_lines() {
        let lines = wrap("Palestine refugees under UNRWA's mandate", 12.0, 150.0, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "Palestine refugees");
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 150.0));
        assert_eq!(wrap("Chad", 12.0, 150.0, 2), ["Chad"]);
        assert!(wrap("", 12.0, 150.0, 2).is_empty());
        let three = wrap("one two three four five six seven eight", 12.0, 40.0, 2);
        assert_eq!(three.len(), 2);
        assert!(three[1].ends_with('…'));
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let name = "Democratic Republic of the Congo";
        let cut = truncate(name, 12.0, 100.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(text_width(&cut, 12.0) <= 100.0);
        assert_eq!(truncate("Chad", 12.0, 100.0), "Chad");
        assert_eq!(truncate(name, 12.0, 0.0), "…");
    }
}
