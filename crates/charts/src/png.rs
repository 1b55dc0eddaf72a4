//! Charts as PNG, for downloads and for places that cannot show SVG: resvg with only the bundled
//! font in its font database (so text renders the same on every machine) on a white background,
//! with nothing loaded from disk or network and a cap on the pixel count.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg;

use crate::error::ChartError;
use crate::font::{FONT_BYTES, FONT_FAMILY};

/// The most pixels an image may have: 4096 × 4096, 64 MiB of RGBA, so that a request for a huge
/// scale cannot exhaust the server's memory.
pub const MAX_PIXELS: u64 = 4096 * 4096;

fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            // The bytes are static: the database borrows them rather than holding a copy.
            db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(FONT_BYTES)));
            // Generic names (`sans-serif`, `serif`, …) would otherwise point at fonts not loaded.
            db.set_sans_serif_family(FONT_FAMILY);
            db.set_serif_family(FONT_FAMILY);
            db.set_monospace_family(FONT_FAMILY);
            db.set_cursive_family(FONT_FAMILY);
            db.set_fantasy_family(FONT_FAMILY);
            Arc::new(db)
        })
        .clone()
}

fn options() -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: None,
        font_family: FONT_FAMILY.to_string(),
        fontdb: fonts(),
        // An `<image>` must never read a file or decode embedded data: the charts have none, and
        // an SVG passed in from elsewhere must not reach the disk.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// `svg` rasterised at `scale` (1.0: one pixel per CSS pixel of the viewBox) as PNG bytes.
pub fn png(svg: &str, scale: f32) -> Result<Vec<u8>, ChartError> {
    pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| ChartError::Encode(e.to_string()))
}

fn pixmap(svg: &str, scale: f32) -> Result<tiny_skia::Pixmap, ChartError> {
    if !scale.is_finite() || scale <= 0.0 {
        return Err(ChartError::InvalidScale(scale));
    }
    let tree =
        usvg::Tree::from_str(svg, &options()).map_err(|e| ChartError::InvalidSvg(e.to_string()))?;
    let size = tree.size();
    let (width, height) = (pixels(size.width(), scale), pixels(size.height(), scale));
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(ChartError::TooLarge {
            width,
            height,
            limit: MAX_PIXELS,
        });
    }
    let too_large = || ChartError::TooLarge {
        width,
        height,
        limit: MAX_PIXELS,
    };
    let mut pixmap = tiny_skia::Pixmap::new(
        u32::try_from(width).map_err(|_| too_large())?,
        u32::try_from(height).map_err(|_| too_large())?,
    )
    .ok_or_else(|| ChartError::InvalidSvg("the SVG has no area".into()))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

/// A length in pixels, rounded up, at least one, saturating rather than wrapping.
fn pixels(length: f32, scale: f32) -> u64 {
    let v = (f64::from(length) * f64::from(scale)).ceil();
    if !v.is_finite() || v < 1.0 {
        1
    } else if v >= u64::MAX as f64 {
        u64::MAX
    } else {
        v as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40" width="120" height="40"><text x="4" y="26" font-family="DejaVu Sans" font-size="20" fill="black">Syria</text></svg>"#;

    fn dimensions(png: &[u8]) -> (u32, u32) {
        let be = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
        (be(16), be(20))
    }

    #[test]
    fn text_is_drawn_with_the_bundled_font_on_white() {
        let p = pixmap(TEXT, 1.0).expect("renders");
        let pixels = p.pixels();
        assert!(pixels.iter().any(|c| c.red() < 128), "no text was drawn");
        let corner = pixels[0];
        assert_eq!(
            (corner.red(), corner.green(), corner.blue()),
            (255, 255, 255)
        );
    }

    #[test]
    fn generic_families_fall_back_to_the_bundled_font() {
        let svg = TEXT.replace("DejaVu Sans", "sans-serif");
        let p = pixmap(&svg, 1.0).expect("renders");
        assert!(p.pixels().iter().any(|c| c.red() < 128));
    }

    #[test]
    fn png_has_the_scaled_size() {
        let bytes = png(TEXT, 2.0).expect("renders");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(dimensions(&bytes), (240, 80));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(matches!(
            png("not svg", 1.0),
            Err(ChartError::InvalidSvg(_))
        ));
        assert!(matches!(png(TEXT, 0.0), Err(ChartError::InvalidScale(_))));
        assert!(matches!(
            png(TEXT, f32::NAN),
            Err(ChartError::InvalidScale(_))
        ));
        assert!(matches!(png(TEXT, 1e30), Err(ChartError::TooLarge { .. })));
        let huge = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100000 100000" width="100000" height="100000"/>"#;
        assert!(matches!(png(huge, 1.0), Err(ChartError::TooLarge { .. })));
    }

    #[test]
    fn images_are_never_loaded() {
        let file = std::env::temp_dir().join(format!("passage-charts-{}.svg", std::process::id()));
        let black = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><rect width="10" height="10" fill="black"/></svg>"#;
        std::fs::write(&file, black).expect("a temporary file");
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10"><image href="{}" width="10" height="10"/></svg>"#,
            file.display()
        );
        let drawn = pixmap(&svg, 1.0);
        let _ = std::fs::remove_file(&file);
        assert!(drawn
            .expect("renders")
            .pixels()
            .iter()
            .all(|c| c.red() == 255));
    }
}
