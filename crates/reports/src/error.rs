//! Why a report could not be printed or written: each names the browser, page or path at fault.

/// A report's failure.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// No Chromium was found.
    #[error("no Chromium found (looked for {looked_for}); install Debian's `chromium` package or set PASSAGE_CHROMIUM to the browser's path")]
    NoBrowser {
        /// The names and paths tried.
        looked_for: String,
    },
    /// The browser did not start or did not offer its DevTools endpoint.
    #[error("could not start the browser {browser}: {message}")]
    BrowserStart {
        /// The browser's path.
        browser: String,
        /// What went wrong.
        message: String,
    },
    /// The DevTools conversation failed.
    #[error("the browser failed while printing {report}: {message}")]
    Print {
        /// The report being printed (its page's path).
        report: String,
        /// What went wrong.
        message: String,
    },
    /// The page answered an error instead of a report.
    #[error("{url} answered {status}: {message}")]
    Page {
        /// The page.
        url: String,
        /// Its HTTP status.
        status: u16,
        /// The error page's text.
        message: String,
    },
    /// The output could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The output path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}
