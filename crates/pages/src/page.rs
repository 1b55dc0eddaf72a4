//! A page as it is built: its title, body, and the tables and charts it shows, so that the HTML,
//! its JSON and CSV twins, and each chart's SVG, PNG and embed are all cut from the same object.
//! Figures are placed through the builder, which gives every chart its source line, caveats,
//! citation and download links.

use maud::{html, Markup};
use passage_datasets::Dataset;
use passage_store::Release;

use crate::large::{Large, Room};
use crate::table::DataTable;
use crate::{Site, SiteUrl};

/// A chart of a page.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique within the page; names its files (`…/charts/{id}.svg`).
    pub id: String,
    /// Its title.
    pub title: String,
    /// The SVG.
    pub svg: String,
    /// Its source line and citation, as shown under it.
    pub credit: String,
}

/// A figure written into its markup, not yet kept by the page's [`Builder`].
pub struct DrawnFigure {
    markup: Markup,
    figure: Figure,
    source: String,
}

/// A rendered page, before the site's layout wraps it.
#[derive(Debug)]
pub struct Page {
    /// The `<title>` and `<h1>`.
    pub title: String,
    /// The path it answers, without query.
    pub path: String,
    /// The canonical query string (empty for none), kept on every twin's link.
    pub query: String,
    /// What the page is about, under the `<h1>` (on a report's title page).
    pub lead: Markup,
    /// The content of `<main>` after the `<h1>`.
    pub body: Markup,
    /// Its data tables, in order.
    pub tables: Vec<DataTable>,
    /// Its charts, in order.
    pub charts: Vec<Chart>,
    /// Its sections (anchor, title) when it is a report, for the table of contents.
    pub toc: Vec<(String, String)>,
}

impl Page {
    /// The path of a twin of this page: `.json`, `.csv`, `.xlsx`, `.parquet`, with the page's
    /// query.
    pub fn twin(&self, extension: &str) -> String {
        let base = if self.path == "/" {
            "/index"
        } else {
            self.path.as_str()
        };
        with_query(&format!("{base}.{extension}"), &self.query)
    }

    /// The chart with this id.
    pub fn chart(&self, id: &str) -> Option<&Chart> {
        self.charts.iter().find(|c| c.id == id)
    }
}

/// `path?query`, or `path` when the query is empty.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// Where a chart's files are: `{page}/charts/{id}.{ext}` with the page's query.
pub fn chart_path(page: &str, query: &str, id: &str, extension: Option<&str>) -> String {
    let base = if page == "/" { "" } else { page };
    let file = match extension {
        Some(e) => format!("{base}/charts/{id}.{e}"),
        None => format!("{base}/charts/{id}"),
    };
    with_query(&file, query)
}

/// A figure to place: a chart, the table of its exact figures, and what to say under it.
pub struct Figure {
    /// The chart's id, unique within the page.
    pub id: String,
    /// The title.
    pub title: String,
    /// The chart, as SVG.
    pub svg: String,
    /// The exact figures.
    pub table: DataTable,
    /// The datasets the figures come from, for the source line.
    pub datasets: Vec<Dataset>,
    /// What users should read before citing.
    pub caveats: Vec<String>,
    /// What the chart shows, for the citation ("Syria, as host, 1951–2025"); empty when the title
    /// says it all.
    pub subject: String,
}

/// Builds a page's body, collecting its tables and charts.
pub struct Builder<'r> {
    release: &'r Release,
    /// Where the site is published, for the whole address in each figure's citation.
    site_url: Option<&'r SiteUrl>,
    path: String,
    query: String,
    tables: Vec<DataTable>,
    charts: Vec<Chart>,
    report: bool,
}

/// The first year whose rows a report's tables print; the charts, twins and the dashboard keep
/// every year.
pub const REPORT_FIRST_YEAR: i16 = 2015;

impl<'r> Builder<'r> {
    /// A builder for the page at `path` with its canonical `query`, on the site's active release.
    pub fn new(site: &'r dyn Site, path: &str, query: &str) -> Builder<'r> {
        Builder {
            release: site.release(),
            site_url: site.site_url(),
            path: path.into(),
            query: query.into(),
            tables: Vec::new(),
            charts: Vec::new(),
            report: false,
        }
    }

    /// A builder for a report: caveats shown open, tables from [`REPORT_FIRST_YEAR`] on.
    pub fn for_report(site: &'r dyn Site, path: &str) -> Builder<'r> {
        Builder {
            report: true,
            ..Builder::new(site, path, "")
        }
    }

    /// A table shown on its own, with its CSV and Parquet links.
    pub fn table(&mut self, table: DataTable) -> Markup {
        let markup = html! {
            (table.html())
            p.downloads { "Download: "
                a href=(self.table_twin("csv", &table.id)) { "CSV" } " · "
                a href=(self.table_twin("parquet", &table.id)) { "Parquet" } " · "
                a href=(with_query(&self.twin_base("json"), &self.query)) { "JSON" }
            }
        };
        self.tables.push(table);
        markup
    }

    fn twin_base(&self, extension: &str) -> String {
        let base = if self.path == "/" {
            "/index"
        } else {
            self.path.as_str()
        };
        format!("{base}.{extension}")
    }

    /// The single-table twin (`csv`, `parquet`) of table `id`.
    fn table_twin(&self, extension: &str, id: &str) -> String {
        let query = if self.query.is_empty() {
            format!("table={id}")
        } else {
            format!("{}&table={id}", self.query)
        };
        with_query(&self.twin_base(extension), &query)
    }

    /// The source line of figures read from `datasets`: provider, version and licence of each
    /// file, and the release.
    pub fn source_line(&self, datasets: &[Dataset]) -> String {
        let mut parts: Vec<String> = Vec::new();
        for source in &self.release.manifest.sources {
            if !datasets
                .iter()
                .any(|d| source.datasets.iter().any(|s| s == d.name()))
            {
                continue;
            }
            let version = source
                .source_version
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default();
            let line = format!("{}{}, {}", source.attribution, version, source.licence);
            if !parts.contains(&line) {
                parts.push(line);
            }
        }
        if parts.is_empty() {
            parts.push("no source file in this release".into());
        }
        format!(
            "{}. Passage release {}.",
            parts.join("; "),
            self.release.manifest.id
        )
    }

    /// Places a figure: the chart beside its table, the source line, caveats, a citation and
    /// its downloads.
    pub fn figure(&mut self, figure: Figure) -> Markup {
        self.figure_with_table(figure, None)
    }

    /// [`Builder::figure`], given its table's HTML when it was rendered already (on another
    /// thread, while the chart was drawn); a report trims its tables and renders its own.
    pub fn figure_with_table(&mut self, figure: Figure, table_html: Option<Markup>) -> Markup {
        let drawn = self.render_figure(figure, table_html);
        self.keep(drawn)
    }

    /// A figure's markup, without keeping it yet: it needs the builder only to read, so the
    /// figures of a country page are written on two threads, then kept in order with
    /// [`Builder::keep`].
    pub fn render_figure(&self, figure: Figure, table_html: Option<Markup>) -> DrawnFigure {
        let source = self.source_line(&figure.datasets);
        let created = self.release.manifest.created_at.get(..10).unwrap_or("");
        let address = format!(
            "{}{}#fig-{}",
            self.site_url.map_or("", |s| s.as_str()),
            with_query(&self.path, &self.query),
            figure.id
        );
        let subject = figure.subject.trim_end_matches('.');
        let cite = format!(
            "{}{}{}. {}. Retrieved from Passage, release {} of {}, {address}.",
            figure.title,
            if subject.is_empty() { "" } else { ": " },
            subject,
            source
                .split(". Passage release")
                .next()
                .unwrap_or("")
                .trim_end_matches('.'),
            self.release.manifest.id,
            created,
        );
        let embed = chart_path(
            &format!("/embed{}", if self.path == "/" { "" } else { &self.path }),
            &self.query,
            &figure.id,
            None,
        );
        // Only a report trims its tables; a page shows the table it keeps, uncopied.
        let trimmed = self.report.then(|| {
            let mut t = figure.table.clone();
            let before = t.rows.len();
            t.rows
                .retain(|r| r.year.is_none_or(|y| y >= REPORT_FIRST_YEAR));
            if t.rows.len() < before {
                t.caption = format!(
                    "{}, {REPORT_FIRST_YEAR} on (every year in the CSV)",
                    t.caption
                );
            }
            t
        });
        let shown = trimmed.as_ref().unwrap_or(&figure.table);
        let table_html = match (table_html, &trimmed) {
            (Some(html), None) => html,
            _ => shown.html(),
        };
        let markup = html! {
            (Room(figure.svg.len() + table_html.0.len() + cite.len()))
            figure.figure id=(format!("fig-{}", figure.id)) {
                h3 { (figure.title) }
                div.figure-body {
                    div.chart-box { (Large(&figure.svg)) }
                    div.figure-table { (Large(&table_html.0)) }
                }
                figcaption {
                    p.source { "Source: " (source) }
                    @if !figure.caveats.is_empty() {
                        details.caveats open[self.report] { summary { "Caveats (" (figure.caveats.len()) ")" }
                            ul { @for c in &figure.caveats { li { (c) } } } }
                    }
                    p.cite { strong { "Cite: " } span.cite-text { (cite) } " "
                        span.cite-formats {
                            a href=(format!("/cite/bibtex?{}", crate::query::canonical(&[("path", &with_query(&self.path, &self.query)), ("chart", &figure.id)]))) { "BibTeX" } " · "
                            a href=(format!("/cite/csl?{}", crate::query::canonical(&[("path", &with_query(&self.path, &self.query)), ("chart", &figure.id)]))) { "CSL-JSON" } } }
                    p.downloads { "Download: "
                        a href=(chart_path(&self.path, &self.query, &figure.id, Some("svg"))) download { "SVG" } " · "
                        a href=(chart_path(&self.path, &self.query, &figure.id, Some("png"))) download { "PNG" } " · "
                        a href=(self.table_twin("csv", &figure.table.id)) { "CSV" } " · "
                        a href=(self.table_twin("parquet", &figure.table.id)) { "Parquet" } " · "
                        a href=(with_query(&self.twin_base("json"), &self.query)) { "JSON" } " · "
                        a href=(embed) { "Embed" }
                    }
                    details.embed { summary { "Embed this chart" }
                        p { "Copy this into a page; prefix the address with this site's if it is elsewhere:" }
                        code.embed-code data-path=(embed) { "<iframe src=\"" (embed) "\" title=\"" (figure.title) "\" width=\"760\" height=\"460\" loading=\"lazy\"></iframe>" }
                    }
                }
            }
        };
        DrawnFigure {
            markup,
            figure,
            source,
        }
    }

    /// Keeps a figure written by [`Builder::render_figure`] for the page's twins, in the order
    /// of the calls, and gives its markup back.
    pub fn keep(&mut self, drawn: DrawnFigure) -> Markup {
        let DrawnFigure {
            markup,
            figure,
            source,
        } = drawn;
        self.charts.push(Chart {
            id: figure.id,
            title: figure.title,
            svg: figure.svg,
            credit: format!("Source: {source}"),
        });
        self.tables.push(figure.table);
        markup
    }

    /// The finished page.
    pub fn finish(self, title: impl Into<String>, body: Markup) -> Page {
        Page {
            title: title.into(),
            path: self.path,
            query: self.query,
            lead: Markup::default(),
            body,
            tables: self.tables,
            charts: self.charts,
            toc: Vec::new(),
        }
    }
}
