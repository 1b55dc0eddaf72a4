//! From a request path to what answers it: a page, one of its twins (`.json`, `.csv`, `.xlsx`,
//! `.parquet`), one of its charts (`…/charts/{id}.svg`, `.png`, or `/embed/…/charts/{id}` alone
//! for iframes), an asset or a feed. Every view is a URL; nothing depends on cookies or scripts.

use passage_store::Release;
use serde_json::json;

use crate::layout::{
    document, embed_document, report_document, Assets, CSS, CSS_PATH, ICON, ICON_PATH, JS, JS_PATH,
};
use crate::page::Page;
use crate::query::Params;
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// An answer: its media type and bytes.
#[derive(Debug, Clone)]
pub struct Response {
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// The file name to save it as, for downloads.
    pub attachment: Option<String>,
}

impl Response {
    fn new(content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            content_type,
            body: body.into(),
            attachment: None,
        }
    }
}

/// Whether a path is one the pages answer (the APIs keep theirs).
pub fn is_page_path(path: &str) -> bool {
    !(path.starts_with("/api/") || path.starts_with("/population/"))
}

/// Whether answering `path` costs nothing worth caching (assets).
pub fn is_static(path: &str) -> bool {
    path == CSS_PATH || path == JS_PATH || path == ICON_PATH
}

/// The answer to a GET of `path` with `query`.
pub fn respond(site: &dyn Site, path: &str, query: &str) -> Result<Response, PageError> {
    match path {
        CSS_PATH => return Ok(Response::new("text/css; charset=utf-8", CSS)),
        JS_PATH => return Ok(Response::new("text/javascript; charset=utf-8", JS)),
        ICON_PATH => return Ok(Response::new("image/svg+xml", ICON)),
        _ => {}
    }
    if let Some(feed) = path
        .strip_prefix("/feeds/")
        .and_then(|f| f.strip_suffix(".atom"))
    {
        return Ok(Response::new(
            "application/atom+xml; charset=utf-8",
            crate::feeds::feed(site, feed)?,
        ));
    }
    let params = Params::parse(query);
    if let Some(format) = path.strip_prefix("/cite/") {
        return cite(site, format, &params);
    }
    if let Some((id, release)) = zipped_release(site, path)? {
        let files: Vec<(String, Vec<u8>)> = passage_downloads::package_files(&release)
            .into_iter()
            .map(|f| (format!("passage-{id}/{}", f.path), f.bytes))
            .collect();
        let mut r = Response::new("application/zip", passage_downloads::zip_deflated(&files));
        r.attachment = Some(format!("passage-{id}.zip"));
        return Ok(r);
    }
    let (embed, path) = match path.strip_prefix("/embed") {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            (true, if rest.is_empty() { "/" } else { rest })
        }
        _ => (false, path),
    };
    if let Some((page_path, file)) = split_chart(path) {
        let page = page(
            site,
            if page_path.is_empty() { "/" } else { page_path },
            &params,
        )?;
        let (id, ext) = match file.rsplit_once('.') {
            Some((id, ext)) if !embed => (id, Some(ext)),
            _ => (file, None),
        };
        let chart = page
            .chart(id)
            .ok_or_else(|| PageError::NotFound(format!("no chart `{id}` on {}", page.path)))?;
        return match (embed, ext) {
            (true, None) => Ok(Response::new(
                "text/html; charset=utf-8",
                embed_document(chart, &page),
            )),
            (false, Some("svg")) => Ok(Response::new("image/svg+xml", chart.svg.clone())),
            (false, Some("png")) => Ok(Response::new(
                "image/png",
                passage_charts::png(&chart.svg, 2.0)?,
            )),
            _ => Err(PageError::NotFound(format!(
                "no such file of chart `{id}`: use .svg, .png or /embed"
            ))),
        };
    }
    if embed {
        return Err(PageError::NotFound(
            "embed a chart: /embed/PAGE/charts/ID".into(),
        ));
    }
    if let Some(base) = path.strip_suffix(".json") {
        let page = page(site, twin_base(base), &params)?;
        return Ok(Response::new("application/json", json_twin(site, &page)));
    }
    if let Some(base) = path.strip_suffix(".xlsx") {
        let page = page(site, twin_base(base), &params)?;
        let mut r = Response::new(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx_twin(site, &page),
        );
        r.attachment = Some(format!("{}.xlsx", download_stem(twin_base(base))));
        return Ok(r);
    }
    if let Some(base) = path.strip_suffix(".parquet") {
        let page = page(site, twin_base(base), &params)?;
        let table = chosen_table(&page, &params)?;
        let mut r = Response::new(
            "application/vnd.apache.parquet",
            parquet_twin(site, &page, table)?,
        );
        r.attachment = Some(format!(
            "{}-{}.parquet",
            download_stem(twin_base(base)),
            table.id
        ));
        return Ok(r);
    }
    if let Some(base) = path.strip_suffix(".csv") {
        let page = page(site, twin_base(base), &params)?;
        let table = chosen_table(&page, &params)?;
        let options = passage_downloads::CsvOptions::parse(params.get("hxl"), params.get("bom"))
            .map_err(|(name, message)| PageError::bad(name, message))?;
        return Ok(Response::new("text/csv; charset=utf-8", table.csv(options)));
    }
    if let Some(base) = path
        .strip_suffix(".html")
        .filter(|b| b.starts_with("/reports/"))
    {
        let page = page(site, base, &params)?;
        let mut r = Response::new(
            "text/html; charset=utf-8",
            report_document(
                &page,
                site.release(),
                Assets::Inline {
                    site: site.site_url(),
                },
            ),
        );
        r.attachment = Some(format!("{}.html", download_stem(base)));
        return Ok(r);
    }
    let page = page(site, path, &params)?;
    let html = if page.toc.is_empty() {
        document(&page, Some(site.release()))
    } else {
        report_document(&page, site.release(), Assets::Linked)
    };
    Ok(Response::new("text/html; charset=utf-8", html))
}

/// The name a download of the page at `path` is saved under, without its extension:
/// `/countries/SYR` gives `passage-countries-SYR`.
fn download_stem(path: &str) -> String {
    format!("passage{}", path.replace('/', "-").trim_end_matches('-'))
}

/// The release whose ZIP `path` is (`/releases/{id}/download.zip`), with its id; `None` for any
/// other path, `NotFound` for a release the store does not hold.
fn zipped_release<'p>(
    site: &dyn Site,
    path: &'p str,
) -> Result<Option<(&'p str, std::sync::Arc<Release>)>, PageError> {
    let Some(id) = path
        .strip_prefix("/releases/")
        .and_then(|p| p.strip_suffix("/download.zip"))
    else {
        return Ok(None);
    };
    let manifest = site
        .releases()?
        .into_iter()
        .find(|m| m.id.to_string() == id)
        .ok_or_else(|| PageError::NotFound(format!("no release `{id}`; see /releases")))?;
    Ok(Some((id, site.release_by_id(&manifest.id)?)))
}

/// A citation of the page at `?path=` (and its `?chart=`), as `text`, `bibtex` or `csl`.
fn cite(site: &dyn Site, format: &str, params: &Params) -> Result<Response, PageError> {
    let target = params
        .get("path")
        .ok_or_else(|| PageError::bad("path", "the page to cite, such as /countries/SYR"))?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    // A release's ZIP is a download, not a page: it is cited by the release it packs.
    if let Some((_, release)) = zipped_release(site, path)? {
        let title = passage_downloads::package_title(&release);
        return cited(citation_of(site, &release, title, target), format);
    }
    let page = page(
        site,
        if path.is_empty() { "/" } else { path },
        &Params::parse(query),
    )?;
    let title = match params.get("chart") {
        Some(id) => page
            .chart(id)
            .map(|c| c.title.clone())
            .ok_or_else(|| PageError::bad("chart", format!("no chart `{id}` on {path}")))?,
        None => page.title.clone(),
    };
    cited(citation(site, title, target), format)
}

/// `citation` as `text`, `bibtex` or `csl`.
fn cited(citation: passage_downloads::Citation, format: &str) -> Result<Response, PageError> {
    match format {
        "text" => Ok(Response::new("text/plain; charset=utf-8", citation.text())),
        "bibtex" => {
            let mut r = Response::new("application/x-bibtex; charset=utf-8", citation.bibtex());
            r.attachment = Some("passage.bib".into());
            Ok(r)
        }
        "csl" => Ok(Response::new(
            "application/vnd.citationstyles.csl+json",
            citation.csl_json().to_string(),
        )),
        other => Err(PageError::NotFound(format!(
            "no citation format `{other}`: text, bibtex or csl"
        ))),
    }
}

/// How to cite `path` (with its query) under `title`, accessed today.
fn citation(site: &dyn Site, title: String, path: &str) -> passage_downloads::Citation {
    citation_of(site, site.release(), title, path)
}

/// How to cite `path`, a view of `release`, under `title`, accessed today.
fn citation_of(
    site: &dyn Site,
    release: &Release,
    title: String,
    path: &str,
) -> passage_downloads::Citation {
    passage_downloads::Citation {
        title,
        release: release.manifest.id.to_string(),
        issued: release.manifest.created_at.get(..10).unwrap_or("").into(),
        providers: passage_downloads::providers(release),
        path: path.into(),
        site: site.site_url().map(|s| s.to_string()),
        accessed: passage_domain::rfc3339(std::time::SystemTime::now())
            .get(..10)
            .unwrap_or("")
            .into(),
    }
}

/// The table a single-table twin (CSV, Parquet) answers with: `?table=`, else the page's first.
fn chosen_table<'p>(page: &'p Page, params: &Params) -> Result<&'p DataTable, PageError> {
    match params.get("table") {
        Some(id) => page
            .tables
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| PageError::bad("table", format!("no table `{id}` on this page"))),
        None => page
            .tables
            .first()
            .ok_or_else(|| PageError::NotFound("this page has no table".into())),
    }
}

fn twin_base(base: &str) -> &str {
    if base == "/index" || base.is_empty() {
        "/"
    } else {
        base
    }
}

/// `(page path, chart file)` of `…/charts/{file}`.
fn split_chart(path: &str) -> Option<(&str, &str)> {
    let at = path.rfind("/charts/")?;
    let file = &path[at + "/charts/".len()..];
    (!file.is_empty() && !file.contains('/')).then(|| (&path[..at], file))
}

/// Every table of the page as a sheet of typed cells, and a sheet of sources and notes.
fn xlsx_twin(site: &dyn Site, page: &Page) -> Vec<u8> {
    use passage_downloads::{Sheet, XlsxCell};
    let mut sheets: Vec<Sheet> = page
        .tables
        .iter()
        .map(|t| {
            let mut rows = vec![t
                .labels
                .iter()
                .map(|l| XlsxCell::Text(l.clone()))
                .collect::<Vec<_>>()];
            rows.extend(t.rows.iter().map(|r| {
                r.cells
                    .iter()
                    .map(|c| match (c, c.rounded()) {
                        (crate::table::Cell::Number(..), serde_json::Value::Number(n)) => {
                            n.as_f64().map_or(XlsxCell::Empty, XlsxCell::Number)
                        }
                        (
                            crate::table::Cell::Number(..) | crate::table::Cell::Inapplicable(..),
                            _,
                        ) => XlsxCell::Empty,
                        (crate::table::Cell::Text(s) | crate::table::Cell::Link(s, _), _) => {
                            XlsxCell::Text(s.clone())
                        }
                    })
                    .collect()
            }));
            Sheet {
                name: t.id.clone(),
                rows,
            }
        })
        .collect();
    let release = site.release();
    let mut notes = vec![
        vec![
            XlsxCell::Text("Page".into()),
            XlsxCell::Text(crate::page::with_query(&page.path, &page.query)),
        ],
        vec![
            XlsxCell::Text("Title".into()),
            XlsxCell::Text(page.title.clone()),
        ],
        vec![
            XlsxCell::Text("Release".into()),
            XlsxCell::Text(release.manifest.id.to_string()),
        ],
        vec![
            XlsxCell::Text("Not available".into()),
            XlsxCell::Text("an empty cell, never 0".into()),
        ],
    ];
    for t in &page.tables {
        notes.push(vec![
            XlsxCell::Text(format!("Sheet {}", t.id)),
            XlsxCell::Text(t.caption.clone()),
        ]);
    }
    for c in &page.charts {
        notes.push(vec![
            XlsxCell::Text(format!("Chart {}", c.id)),
            XlsxCell::Text(c.credit.clone()),
        ]);
    }
    for line in source_lines(release) {
        notes.push(vec![XlsxCell::Text("Source".into()), XlsxCell::Text(line)]);
    }
    sheets.push(Sheet {
        name: "Sources and notes".into(),
        rows: notes,
    });
    passage_downloads::workbook(&sheets)
}

/// One line per source file of the release: provider, version, licence and file.
fn source_lines(release: &passage_store::Release) -> Vec<String> {
    release
        .manifest
        .sources
        .iter()
        .map(|s| {
            format!(
                "{}{}; licence: {}; file {}",
                s.attribution,
                s.source_version
                    .as_deref()
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default(),
                s.licence,
                s.file
            )
        })
        .collect()
}

/// The distinct values of one field of the release's sources, joined by `; `.
fn distinct_sources(
    release: &passage_store::Release,
    field: impl Fn(&passage_datasets::SourceReport) -> &str,
) -> String {
    let mut out: Vec<&str> = Vec::new();
    for s in &release.manifest.sources {
        let v = field(s);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out.join("; ")
}

/// One table of the page as Parquet. A column is Int64 when every cell of it is a figure (or an
/// inapplicable cell of a figure column) without decimals, Float64 when every cell is a figure,
/// and Utf8 otherwise (text, links' text, or a mix, written as the CSV writes it); deciding by
/// the column's decimals, not by its values, keeps a column's type the same from one country or
/// release to the next. Not available is null.
/// The metadata carries the keys of the API's Parquet answers (`passage.release`,
/// `passage.attribution`, `passage.licence`) and the page, table, sources and citation.
fn parquet_twin(site: &dyn Site, page: &Page, table: &DataTable) -> Result<Vec<u8>, PageError> {
    use passage_downloads::{ParquetColumn, ParquetTable, ParquetValues};
    use serde_json::Value;
    let columns = table
        .keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let cells: Vec<Option<&Cell>> = table.rows.iter().map(|r| r.cells.get(i)).collect();
            let present = || cells.iter().flatten();
            let numeric = present().next().is_some()
                && present().all(|c| matches!(c, Cell::Number(..) | Cell::Inapplicable(..)));
            let whole =
                || present().all(|c| matches!(c, Cell::Number(_, 0) | Cell::Inapplicable(_, 0)));
            let values = if numeric && whole() {
                ParquetValues::Int64(
                    cells
                        .iter()
                        .map(|c| match c.map(Cell::rounded) {
                            Some(Value::Number(n)) => n.as_i64(),
                            _ => None,
                        })
                        .collect(),
                )
            } else if numeric {
                ParquetValues::Float64(
                    cells
                        .iter()
                        .map(|c| match c.map(Cell::rounded) {
                            Some(Value::Number(n)) => n.as_f64(),
                            _ => None,
                        })
                        .collect(),
                )
            } else {
                ParquetValues::Utf8(
                    cells
                        .iter()
                        .map(|c| match c.map(Cell::rounded) {
                            Some(Value::String(s)) => Some(s),
                            Some(Value::Null) | None => None,
                            Some(v) => Some(v.to_string()),
                        })
                        .collect(),
                )
            };
            ParquetColumn {
                name: key.clone(),
                label: table.labels.get(i).cloned(),
                values,
            }
        })
        .collect();
    let release = site.release();
    let address = crate::page::with_query(&page.path, &page.query);
    let metadata = vec![
        ("passage.release".into(), release.manifest.id.to_string()),
        ("passage.page".into(), address.clone()),
        ("passage.title".into(), page.title.clone()),
        ("passage.table".into(), table.id.clone()),
        ("passage.caption".into(), table.caption.clone()),
        (
            "passage.attribution".into(),
            distinct_sources(release, |s| &s.attribution),
        ),
        (
            "passage.licence".into(),
            distinct_sources(release, |s| &s.licence),
        ),
        ("passage.sources".into(), source_lines(release).join("\n")),
        (
            "passage.citation".into(),
            citation(site, page.title.clone(), &address).text(),
        ),
        ("passage.not_available".into(), "null, never 0".into()),
    ];
    Ok(passage_downloads::table_parquet(&ParquetTable {
        columns,
        metadata,
    })?)
}

fn json_twin(site: &dyn Site, page: &Page) -> String {
    let charts: Vec<_> = page
        .charts
        .iter()
        .map(|c| {
            json!({
                "id": c.id, "title": c.title,
                "svg": crate::page::chart_path(&page.path, &page.query, &c.id, Some("svg")),
                "png": crate::page::chart_path(&page.path, &page.query, &c.id, Some("png")),
                "credit": c.credit,
            })
        })
        .collect();
    let value = json!({
        "page": crate::page::with_query(&page.path, &page.query),
        "title": page.title,
        "release": site.release().manifest.id.to_string(),
        "tables": page.tables.iter().map(|t| t.json()).collect::<Vec<_>>(),
        "charts": charts,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The page at `path`.
fn page(site: &dyn Site, path: &str, params: &Params) -> Result<Page, PageError> {
    let segments: Vec<&str> = path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .collect();
    match segments.as_slice() {
        [] => crate::home::home(site),
        ["countries"] => crate::countries::countries(site, params),
        ["countries", code] => crate::country::country(site, code),
        ["indicators"] => crate::indicators::indicators(site),
        ["indicators", id] => crate::indicators::indicator(site, id),
        ["indicators", id, "wide"] => crate::indicators::wide(site, id, params),
        ["map"] => crate::map::map(site, params),
        ["map", "incidents"] => crate::incidents::incidents(site, params),
        ["compacts", c] => crate::compacts::compact_page(site, c),
        ["compacts", c, "objectives", n] => crate::compacts::objective_page(site, c, n),
        ["claims"] => crate::claims::claims(site),
        ["claims", id] => crate::claims::claim(site, id),
        ["pledges"] => crate::pledges::pledges(site, params),
        ["pledges", id] => crate::pledges::pledge(site, id),
        ["releases"] => crate::releases::releases(site),
        ["releases", id] => crate::releases::release(site, id),
        ["releases", a, "diff", z] => crate::releases::diff(site, a, z),
        ["search"] => crate::search::search(site, params),
        ["negotiation"] => crate::negotiation::index(site),
        ["negotiation", "votes", r] => crate::negotiation::vote(site, r, params),
        ["negotiation", d, "diff"] => crate::negotiation::diff(site, d, params),
        ["negotiation", d, label] => crate::negotiation::version(site, d, label),
        ["reports", "countries", code] => crate::report::country_report(site, code),
        ["reports", "compacts", c] => crate::report::compact_report(site, c),
        ["reports", "releases", id] => crate::report::release_report(site, id),
        _ => Err(PageError::NotFound(format!("no page at {path}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_files_are_split_from_their_page() {
        assert_eq!(
            split_chart("/countries/SYR/charts/refugees-host.svg"),
            Some(("/countries/SYR", "refugees-host.svg"))
        );
        assert_eq!(
            split_chart("/charts/forcibly-displaced"),
            Some(("", "forcibly-displaced"))
        );
        assert_eq!(split_chart("/countries/SYR/charts/"), None);
        assert_eq!(split_chart("/countries/SYR/charts/a/b"), None);
        assert_eq!(split_chart("/countries/SYR"), None);
    }

    #[test]
    fn the_apis_keep_their_paths() {
        assert!(!is_page_path("/api/v1/datasets"));
        assert!(!is_page_path("/population/v1/population/"));
        assert!(is_page_path("/countries/SYR"));
        assert_eq!(twin_base("/index"), "/");
        assert_eq!(twin_base("/countries"), "/countries");
    }
}
