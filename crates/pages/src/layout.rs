//! The site's frame around every page: header with navigation and search, the release being
//! shown, the page's twins, footer with licences and feeds; the chrome-free frame of embeds; and
//! the error page. Styles and the one small script are served from this origin.

use maud::{html, Markup, PreEscaped, DOCTYPE};
use passage_domain::ReleaseId;
use passage_store::Release;

use crate::large::{Large, Room};
use crate::offline_links::offline_links;
use crate::page::{with_query, Chart, Page};
use crate::site_url::SiteUrl;

/// The stylesheet, served at [`CSS_PATH`].
pub const CSS: &str = include_str!("../assets/passage.css");
/// The small script of hover read-outs and auto-applying controls, served at [`JS_PATH`].
pub const JS: &str = include_str!("../assets/passage.js");
/// Where the stylesheet is served.
pub const CSS_PATH: &str = "/assets/passage.css";
/// Where the script is served.
pub const JS_PATH: &str = "/assets/passage.js";
/// The site's icon (an arrow across a border), served at [`ICON_PATH`]: without one, a browser
/// asks for `/favicon.ico` and logs its 404 as an error on every first page.
pub const ICON: &str = include_str!("../assets/passage-icon.svg");
/// Where the icon is served.
pub const ICON_PATH: &str = "/assets/passage-icon.svg";

const NAV: [(&str, &str); 9] = [
    ("/countries", "Countries"),
    ("/indicators", "Indicators"),
    ("/map", "Map"),
    ("/compacts/gcr", "Refugee compact"),
    ("/compacts/gcm", "Migration compact"),
    ("/claims", "Claims"),
    ("/pledges", "Pledges"),
    ("/negotiation", "Negotiation"),
    ("/releases", "Releases"),
];

/// How a document carries its stylesheet and script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assets<'s> {
    /// Linked from this origin, as every page served is.
    Linked,
    /// Written into the document, so that one file read offline looks as it does served.
    Inline {
        /// Where the site's pages are published, for the document's links to them; without it
        /// they are unlinked (their text kept), since a file or a printing browser resolves them
        /// to nowhere.
        site: Option<&'s SiteUrl>,
    },
}

fn head(title: &str, assets: Assets) -> Markup {
    html! {
        meta charset="utf-8";
        meta name="viewport" content="width=device-width, initial-scale=1";
        title { (title) " · Passage" }
        @if assets == Assets::Linked {
            link rel="stylesheet" href=(CSS_PATH);
            link rel="icon" type="image/svg+xml" href=(ICON_PATH);
            link rel="alternate" type="application/atom+xml" title="New releases" href="/feeds/releases.atom";
            link rel="alternate" type="application/atom+xml" title="Verdict changes" href="/feeds/verdicts.atom";
            link rel="alternate" type="application/atom+xml" title="Pledge updates" href="/feeds/pledges.atom";
            script src=(JS_PATH) defer {}
        } @else {
            style { (PreEscaped(CSS)) }
        }
    }
}

/// The whole HTML document of a page.
pub fn document(page: &Page, release: Option<&Release>) -> String {
    let current = |href: &str| page.path == href || page.path.starts_with(&format!("{href}/"));
    html! {
        (Room(page.lead.0.len() + page.body.0.len()))
        (DOCTYPE)
        html lang="en" {
            head { (head(&page.title, Assets::Linked)) }
            body {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    a.brand href="/" { "Passage" }
                    span.tagline { "Refugee and migration evidence for the Global Compacts" }
                    nav aria-label="Sections" {
                        ul { @for (href, label) in NAV {
                            li { a href=(href) aria-current=[current(href).then_some("page")] { (label) } }
                        } }
                    }
                    form.search role="search" action="/search" method="get" {
                        label for="site-search" { "Search" }
                        input id="site-search" type="search" name="q" placeholder="Country, indicator, claim, pledge";
                        button type="submit" { "Search" }
                    }
                }
                main id="main" {
                    h1 { (page.title) }
                    (page.lead)
                    (Large(&page.body.0))
                    p.twins { "This page's data: "
                        a href=(page.twin("json")) { "JSON" } " · "
                        a href=(page.twin("csv")) { "CSV" } " · "
                        a href=(page.twin("xlsx")) { "XLSX" } " · "
                        a href=(page.twin("parquet")) { "Parquet" }
                    }
                    p.twins { "Cite this page: "
                        @for (i, (format, label)) in CITE_FORMATS.iter().enumerate() {
                            @if i > 0 { " · " }
                            a href=(cite_href(format, &with_query(&page.path, &page.query))) { (label) }
                        }
                    }
                }
                footer.site {
                    @if let Some(r) = release {
                        p { "Figures from release " a href=(format!("/releases/{}", r.manifest.id)) { code { (r.manifest.id) } }
                            ", created " (r.manifest.created_at.get(..10).unwrap_or("")) ". Each figure names its sources and licences." }
                    }
                    p { "Feeds: " a href="/feeds/releases.atom" { "releases" } " · " a href="/feeds/verdicts.atom" { "verdict changes" }
                        " · " a href="/feeds/pledges.atom" { "pledge updates" } ". API: " a href="/api/v1/docs" { "native" } " · "
                        a href="/population/v1/" { "UNHCR-compatible" } "." }
                    p { "Passage is open-source software (Apache-2.0). It works offline: nothing on these pages comes from another site." }
                }
            }
        }
    }
    .into_string()
}

/// A report's running header and page numbers on paper, as CSS page-margin boxes. In the document,
/// they print from any Chromium, the reader's as well as Passage's, and cost less to print than
/// the DevTools protocol's header and footer templates did (0.88–1.01× the print time in four
/// runs of `scripts/print-costs`).
fn running_head(release: &ReleaseId) -> String {
    const TEXT: &str = "font-family: 'DejaVu Sans', sans-serif; font-size: 8px; color: #4a4a4a;";
    // A release id is `r` and hex digits, by parsing: nothing in it can end the CSS string.
    format!(
        "@page {{ @top-left {{ content: \"Passage · release {release}\"; {TEXT} }} \
         @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); {TEXT} }} }}"
    )
}

/// The citation formats `/cite/{format}` answers in, with their labels.
const CITE_FORMATS: [(&str, &str); 3] = [
    ("text", "plain text"),
    ("bibtex", "BibTeX"),
    ("csl", "CSL-JSON"),
];

/// Where the citation of the page at `path` (with its query) is given in `format`.
fn cite_href(format: &str, path: &str) -> String {
    format!(
        "/cite/{format}?{}",
        crate::query::canonical(&[("path", path)])
    )
}

/// A report: a title page with the release, a table of contents, the sections, and the citation
/// and licence of every source at the end; made for print and PDF as much as for the screen.
/// With [`Assets::Inline`] it is one file that reads the same offline, and what a PDF is printed
/// from: its links to other pages lead to the site's public address, or are taken out.
pub fn report_document(page: &Page, release: &Release, assets: Assets) -> String {
    let m = &release.manifest;
    let created = m.created_at.get(..10).unwrap_or("");
    // Read away from the site, the report names the address it is published at, if known.
    let address = match assets {
        Assets::Inline { site: Some(site) } => format!("{site}{}", page.path),
        _ => page.path.to_string(),
    };
    // No access date: the same release gives the same text; the served formats carry one.
    let cite = format!(
        "Passage, “{}”, report from release {} ({created}), {address}. Data: {}.",
        page.title,
        m.id,
        passage_downloads::providers(release).join("; ")
    );
    let html = html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(&page.title, assets)) style { (PreEscaped(running_head(&m.id))) } }
            body.report.offline[matches!(assets, Assets::Inline { site: None })] {
                header.title-page {
                    p.kicker { "Passage report" }
                    h1 { (page.title) }
                    p { "From release " code { (m.id) } " of " (created) ", " (m.sources.len()) " source files." }
                    p { "Every figure is from the official statistics named under it and at the end of this report, and can be traced to its source rows." }
                    p.cite { strong { "Cite: " } (cite) }
                    @if assets == Assets::Linked {
                        p.cite-formats { "As "
                            @for (i, (format, label)) in CITE_FORMATS.iter().enumerate() {
                                @if i > 0 { " · " }
                                a href=(cite_href(format, &page.path)) { (label) }
                            }
                            ", with the date you read it." }
                        p.downloads { "Download as PDF: "
                            a href=(format!("{}.pdf", page.path)) download { "A4" } " · "
                            a href=(format!("{}.pdf?paper=letter", page.path)) download { "US Letter" }
                            "; as one HTML file to read offline: "
                            a href=(format!("{}.html", page.path)) download { "HTML" } }
                    }
                    (page.lead)
                }
                nav.toc aria-label="Contents" {
                    h2 { "Contents" }
                    ol { @for (id, title) in &page.toc { li { a href=(format!("#{id}")) { (title) } } } li { a href="#sources" { "Sources and licences" } } }
                }
                main id="main" { (Large(&page.body.0)) }
                section.report-section id="sources" {
                    h2 { "Sources and licences" }
                    ul { @for s in &m.sources {
                        li { strong { (s.attribution) } @if let Some(v) = &s.source_version { " (" (v) ")" } ". Licence: " (s.licence) ". File "
                            code { (s.file) } ", sha256 " code.digest { (s.sha256) } ", " (s.rows) " rows." }
                    } }
                    p { "Cite this report as: " (cite) }
                    p { "Passage is open-source software (Apache-2.0). The figures remain under their providers' licences above." }
                }
                // Inline, the script runs where it stands: after the body it works on.
                @if assets != Assets::Linked { script { (PreEscaped(JS)) } }
            }
        }
    }
    .into_string();
    match assets {
        Assets::Linked => html,
        Assets::Inline { site } => offline_links(&html, site),
    }
}

/// A chart alone, for an iframe: the figure, its source line and a link back to its page.
pub fn embed_document(chart: &Chart, page: &Page) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(&chart.title, Assets::Linked)) }
            body.embed {
                main {
                    h1 { (chart.title) }
                    div.chart-box { (PreEscaped(&chart.svg)) }
                    p.source { (chart.credit) " " a href=(crate::page::with_query(&page.path, &page.query)) target="_top" { "Figures and table" } }
                }
            }
        }
    }
    .into_string()
}

/// The page of an error: what went wrong, said plainly, with a way back.
pub fn error_document(status: u16, message: &str) -> String {
    let title = match status {
        404 => "Not found",
        400 => "Bad request",
        503 => "Not ready",
        _ => "Something went wrong",
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head { (head(title, Assets::Linked)) }
            body {
                header.site { a.brand href="/" { "Passage" } }
                main id="main" {
                    h1 { (title) }
                    p { (message) }
                    p { a href="/" { "Back to the dashboard" } " · " a href="/search" { "Search" } }
                }
            }
        }
    }
    .into_string()
}
