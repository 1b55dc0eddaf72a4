//! What a chart is asked to draw: the input types of every chart function, shared by the pages
//! and the chart modules.

/// A chart's identity and words, common to every kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// A stable id, unique within a page (letters, digits, `-`): prefixes the SVG's element ids.
    pub id: String,
    /// The chart's title, also the SVG `<title>`.
    pub title: String,
    /// The unit of the values, such as `persons` or `per cent`.
    pub unit: String,
    /// Decimal places of exact values (in `<title>`s of marks).
    pub decimals: u8,
    /// Width and height in CSS pixels of the viewBox.
    pub width: u32,
    /// See `width`.
    pub height: u32,
}

/// One line (or one band of a stacked area): a label and a value per year, `None` where not
/// available (drawn as a gap, never as zero).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The direct label drawn at the line's end.
    pub label: String,
    /// Points in year order.
    pub points: Vec<(i16, Option<f64>)>,
}

/// A vertical marker on a series chart (a pledge's date, a target date, the compacts' adoption).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The year marked.
    pub year: i16,
    /// Its label.
    pub label: String,
}

/// A line chart, or a stacked area when `stacked`.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesChart {
    /// Identity and size.
    pub frame: Frame,
    /// The lines, or the bands bottom-up.
    pub lines: Vec<Line>,
    /// Stack the lines as areas (their sum is the top edge).
    pub stacked: bool,
    /// Vertical markers.
    pub markers: Vec<Marker>,
}

/// One bar of a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The label beside the bar (a country's name).
    pub label: String,
    /// The value; `None` is drawn as "not available", not as an empty bar.
    pub value: Option<f64>,
    /// A link for the label and bar (same origin, such as `/countries/SYR`).
    pub href: Option<String>,
}

/// A horizontal bar ranking, largest first as given.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Identity and size (the height grows with the bars when 0).
    pub frame: Frame,
    /// The bars in display order.
    pub bars: Vec<Bar>,
}

/// A verdict in a claim's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The claim holds that year.
    Holds,
    /// The claim does not hold that year.
    Fails,
    /// The data cannot say.
    Unknown,
}

/// A claim's verdict year by year.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Identity and size.
    pub frame: Frame,
    /// Verdicts in year order.
    pub years: Vec<(i16, Verdict)>,
}

/// A country's value on a choropleth.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// ISO 3166 alpha-3 code (the base map's `a3`, Kosovo `XKX`).
    pub iso3: String,
    /// The country's name, for `<title>`s.
    pub name: String,
    /// The value; `None` is filled as "no data".
    pub value: Option<f64>,
    /// A link for the country's shape.
    pub href: Option<String>,
}

/// A choropleth of the world.
#[derive(Debug, Clone, PartialEq)]
pub struct Choropleth {
    /// Identity and size.
    pub frame: Frame,
    /// Values by country; countries of the base map not listed are "no data".
    pub areas: Vec<Area>,
}

/// One mark of a point map.
#[derive(Debug, Clone, PartialEq)]
pub struct Spot {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
    /// The size of the mark (dead and missing, say); the area of the circle is proportional.
    pub value: f64,
    /// The mark's `<title>`.
    pub label: String,
}

/// Points on the world base map.
#[derive(Debug, Clone, PartialEq)]
pub struct PointMap {
    /// Identity and size.
    pub frame: Frame,
    /// The points.
    pub spots: Vec<Spot>,
}

/// One class of a choropleth's legend, as drawn: the pages list them beside the map.
#[derive(Debug, Clone, PartialEq)]
pub struct LegendClass {
    /// The fill colour, `#rrggbb`.
    pub colour: String,
    /// Lower bound, inclusive; `None` for the "no data" class.
    pub from: Option<f64>,
    /// Upper bound, exclusive (inclusive for the last class).
    pub to: Option<f64>,
    /// The text of the class, such as "1 M – 2 M" or "No data".
    pub label: String,
    /// How many countries fall in it.
    pub count: usize,
}
