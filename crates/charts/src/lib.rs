//! Passage's charts and maps: line and stacked-area series, bar rankings, a verdict timeline, a
//! choropleth and a point map on a vendored world base map, each as one self-contained SVG string
//! that is accessible (`role="img"`, a `<title>` and a data-generated `<desc>`, a `<title>` per mark)
//! and deterministic (same input, same bytes), and as PNG through one bundled font. The crate knows
//! numbers, labels and ISO3 codes only; the pages decide what they mean.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bar;
mod doc;
mod error;
mod font;
mod map;
mod number;
mod palette;
mod png;
mod series;
mod spec;
mod svg;
mod timeline;

pub use bar::bar_chart;
pub use error::ChartError;
pub use font::{text_width, FONT_FAMILY};
pub use map::{base_map_codes, choropleth, point_map};
pub use number::{exact, push_exact, push_int, readable};
pub use palette::{NO_DATA, PALETTE, SEQUENTIAL, SEQUENTIAL_TEXT};
pub use png::{png, MAX_PIXELS};
pub use series::series_chart;
pub use spec::*;
pub use svg::{coord, escape, push_escaped, Coord};
pub use timeline::timeline;
