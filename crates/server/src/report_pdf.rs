//! `/reports/….pdf`: a report page printed to PDF on the server, for readers without the command
//! line. A headless Chromium is started on the first such request and kept, its tabs reused; it
//! is given the report as one file (`….html`, styles inside), so it fetches nothing and the PDF's
//! links are the file's. Each PDF is kept per release, registry head and paper, so a report is
//! printed once.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use passage_reports::{find_browser, Browser, Paper, PrintJob, ReportError, Use};
use tokio::sync::Semaphore;

use crate::web::{error_page, page_response, Rendered, RenderedPages};
use crate::AppState;

/// How long a report's PDF may take: the browser's first start (up to 120 s on a busy machine)
/// and the printing.
pub(crate) const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

/// Reports printed at once: each takes a core while the browser lays it out, and a client asking
/// for many must not take every core from the readers of pages and answers.
const PRINTS_AT_ONCE: usize = 1;

/// How long the browser stays without printing before it is closed. A browser is a child of
/// the server: closed when idle, it is not left behind by a server that is killed outright.
const IDLE: Duration = Duration::from_secs(60);

/// The running browser and when it last printed.
type Held = Arc<Mutex<Option<(Arc<Browser>, Instant)>>>;

/// The server's browser, started on first use, and the PDFs it printed.
pub(crate) struct Printer {
    browser: Held,
    slots: Semaphore,
    pdfs: RenderedPages,
}

fn lock(held: &Held) -> std::sync::MutexGuard<'_, Option<(Arc<Browser>, Instant)>> {
    // A poisoned slot only means a panic while it was held; the browser in it is whole.
    held.lock().unwrap_or_else(|e| e.into_inner())
}

/// Closes the browser once it has not printed for [`IDLE`], then ends. It holds the slot weakly,
/// so that a server stopping drops its browser (which kills it) without waiting for this.
fn close_when_idle(held: &Held) {
    let held = Arc::downgrade(held);
    std::thread::spawn(move || loop {
        std::thread::sleep(IDLE / 6);
        let Some(held) = held.upgrade() else {
            return;
        };
        let mut slot = lock(&held);
        match slot.as_ref() {
            None => return,
            Some((_, last)) if last.elapsed() >= IDLE => {
                *slot = None;
                return;
            }
            Some(_) => {}
        }
    });
}

impl Printer {
    pub(crate) fn new() -> Printer {
        Printer {
            browser: Held::default(),
            slots: Semaphore::new(PRINTS_AT_ONCE),
            // A country's report is 1–2 MB: a few dozen of them.
            pdfs: RenderedPages::new(64 << 20),
        }
    }

    /// The running browser, started if there is none.
    fn browser(&self) -> Result<Arc<Browser>, ReportError> {
        let mut held = lock(&self.browser);
        if let Some((b, last)) = held.as_mut() {
            *last = Instant::now();
            return Ok(b.clone());
        }
        let b = Arc::new(Browser::launch(&find_browser()?, Use::Many)?);
        *held = Some((b.clone(), Instant::now()));
        close_when_idle(&self.browser);
        Ok(b)
    }

    /// Forgets a browser that failed a print, so the next request starts a new one.
    fn forget(&self, failed: &Arc<Browser>) {
        let mut held = lock(&self.browser);
        if held.as_ref().is_some_and(|(b, _)| Arc::ptr_eq(b, failed)) {
            *held = None;
        }
    }
}

/// Whether `path` is a report's PDF, and the report page's path if so.
pub(crate) fn report_of(path: &str) -> Option<&str> {
    path.strip_suffix(".pdf")
        .filter(|p| p.starts_with("/reports/") && p.len() > "/reports/".len())
}

/// The PDF of the report page at `report` (`/reports/countries/SYR`), on `paper` (`?paper=`).
pub(crate) async fn pdf(
    state: AppState,
    report: &str,
    query: &str,
    headers: HeaderMap,
) -> Response {
    let mut paper = Paper::A4;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match (name.as_ref(), Paper::parse(&value)) {
            ("paper", Some(p)) => paper = p,
            ("paper", None) => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    &format!("paper: expected a4 or letter, found `{value}`"),
                )
            }
            _ => {
                return error_page(
                    StatusCode::BAD_REQUEST,
                    &format!("{name}: not a parameter of a report's PDF (paper=a4|letter)"),
                )
            }
        }
    }
    // The report as one file, from the page cache: an unknown country or release is its error
    // page. The browser prints that file, links and all, so it fetches nothing.
    let file_uri: Uri = match format!("{report}.html").parse() {
        Ok(u) => u,
        Err(_) => return error_page(StatusCode::NOT_FOUND, "not a report's address"),
    };
    // The file is rendered after the key is taken: a release activated (or a registry write)
    // meanwhile would be in a PDF kept under the earlier key. Such a print is done again once,
    // and otherwise sent without being kept.
    let mut may_retry = true;
    loop {
        let Some(release) = state.release() else {
            return error_page(StatusCode::SERVICE_UNAVAILABLE, "no release is active yet");
        };
        let key = pdf_key(&state, &release.manifest.id, report, paper);
        if let Some(hit) = state.printer().pdfs.get(&key) {
            return page_response(&hit, true, &headers);
        }
        let file = crate::web::page(
            axum::extract::State(state.clone()),
            Method::GET,
            file_uri.clone(),
            HeaderMap::new(),
        )
        .await;
        if file.status() != StatusCode::OK {
            return file;
        }
        let html = match axum::body::to_bytes(file.into_body(), usize::MAX).await {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => return print_failed(report, &e.to_string()),
        };
        let Ok(_slot) = state.printer().slots.acquire().await else {
            return error_page(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
        };
        let job = PrintJob {
            report: report.to_string(),
            html,
            paper,
        };
        let st = state.clone();
        // Not on the heavy-work pool: printing waits on the browser, not on a core of its own.
        let printed = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let browser = st.printer().browser()?;
            let bytes = browser
                .print(&job)
                .inspect_err(|_| st.printer().forget(&browser))?;
            Ok::<_, ReportError>((bytes, started.elapsed().as_micros()))
        })
        .await;
        let (bytes, micros) = match printed {
            Ok(Ok(p)) => p,
            Ok(Err(ReportError::NoBrowser { looked_for })) => {
                tracing::warn!(%looked_for, "no browser to print a report");
                return error_page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "This server cannot print PDFs: it has no Chromium. The report is at the same address without .pdf.",
                );
            }
            Ok(Err(e)) => return print_failed(report, &e.to_string()),
            Err(e) => return print_failed(report, &e.to_string()),
        };
        let unchanged = state
            .release()
            .is_some_and(|now| pdf_key(&state, &now.manifest.id, report, paper) == key);
        if !unchanged && may_retry {
            may_retry = false;
            continue;
        }
        let file = report.trim_start_matches("/reports/").replace('/', "-");
        let rendered = Arc::new(Rendered {
            content_type: "application/pdf",
            attachment: Some(format!("passage-{file}-{}.pdf", paper.name())),
            plain: Bytes::from(bytes),
            gzip: Bytes::new(),
            micros,
            gzip_micros: 0,
            warmed: false,
        });
        if unchanged {
            state.printer().pdfs.keep(key, rendered.clone());
        }
        return page_response(&rendered, false, &headers);
    }
}

/// The key a PDF is kept under: the release, the registry's head, the report and the paper.
fn pdf_key(
    state: &AppState,
    release: &impl std::fmt::Display,
    report: &str,
    paper: Paper,
) -> String {
    let head = state.registry().head_seq().ok();
    format!("{release}@{}{report}?{}", head.unwrap_or(-1), paper.name())
}

/// A print that failed, for a reason logged and not sent.
fn print_failed(report: &str, error: &str) -> Response {
    tracing::error!(%error, report, "printing a report failed");
    error_page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "This report could not be printed. The error is logged.",
    )
}
