//! Finding and running the headless Chromium that prints reports: one process, with a profile of
//! its own that is removed with it, offering its DevTools endpoint on a loopback port; each
//! report is printed in a tab of its own, so several can print at once.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Mutex, MutexGuard};
use std::time::Duration;

use base64::Engine as _;
use serde_json::json;

use crate::devtools::Connection;
use crate::{PrintJob, ReportError};

/// How long a starting browser may take to offer its DevTools address: a first start on a busy
/// machine builds its font cache and profile, which has taken over 30 s beside a test run.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// What the thread reading the browser's standard error passes on.
enum Started {
    Address(String),
    Line(String),
}

/// The browser's last words, for an error message.
fn said(lines: &[String]) -> String {
    if lines.is_empty() {
        String::new()
    } else {
        format!("; it said: {}", lines.join(" | "))
    }
}

/// Browser names tried on `PATH` when `PASSAGE_CHROMIUM` is not set. Chromium's headless shell
/// first: made for printing and screenshots, it starts in about half the time of the browser
/// (0.05 s against 0.12 s to its DevTools endpoint here) and prints the same PDF.
const NAMES: [&str; 6] = [
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The browser to print with: `PASSAGE_CHROMIUM`, or the first on `PATH` of Chromium's headless
/// shell (chromium-headless-shell, chrome-headless-shell), chromium, chromium-browser,
/// google-chrome and google-chrome-stable.
pub fn find_browser() -> Result<PathBuf, ReportError> {
    if let Some(p) = std::env::var_os("PASSAGE_CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(ReportError::NoBrowser {
                looked_for: format!("PASSAGE_CHROMIUM={}", p.display()),
            })
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in NAMES {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(ReportError::NoBrowser {
        looked_for: format!("{} on PATH", NAMES.join(", ")),
    })
}

/// How a browser will be used, which decides how it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// One report: the browser runs as a single process, which starts in about half the time.
    One,
    /// Several reports printing side by side, each tab in a renderer process of its own.
    Many,
}

/// A running headless browser, and its tabs that are free to print the next report.
pub struct Browser {
    child: Child,
    path: PathBuf,
    ws_url: String,
    profile: PathBuf,
    idle: Mutex<Vec<Tab>>,
    /// The browser's own process, when the child started is not it (a launcher script).
    browser_pid: Option<i32>,
}

/// A tab, with its own DevTools connection, attached to its page session. Opening one costs
/// a good part of a short report's time, so a tab prints one report after another.
struct Tab {
    connection: Connection,
    target: String,
    session: String,
    /// The tab's main frame, whose document each report replaces.
    frame: String,
}

impl Tab {
    fn open(ws_url: &str) -> Result<Tab, String> {
        let mut connection = Connection::open(ws_url)?;
        let target = connection.call(None, "Target.createTarget", json!({"url": "about:blank"}))?;
        let target = target["targetId"].as_str().unwrap_or_default().to_string();
        let mut tab = Tab {
            connection,
            target,
            session: String::new(),
            frame: String::new(),
        };
        let attached = tab.connection.call(
            None,
            "Target.attachToTarget",
            json!({"targetId": tab.target, "flatten": true}),
        )?;
        tab.session = attached["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        tab.connection
            .call(Some(&tab.session), "Page.enable", json!({}))?;
        let tree = tab
            .connection
            .call(Some(&tab.session), "Page.getFrameTree", json!({}))?;
        tab.frame = tree["frameTree"]["frame"]["id"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        Ok(tab)
    }

    /// The browser process's id, as the browser tells it.
    fn browser_pid(&mut self) -> Option<i32> {
        let info = self
            .connection
            .call(None, "SystemInfo.getProcessInfo", json!({}))
            .ok()?;
        info["processInfo"]
            .as_array()?
            .iter()
            .find(|p| p["type"] == "browser")?["id"]
            .as_i64()
            .and_then(|id| i32::try_from(id).ok())
    }

    fn print(&mut self, job: &PrintJob) -> Result<Vec<u8>, String> {
        let session = self.session.clone();
        let c = &mut self.connection;
        // The document is given, not fetched: it is parsed, its inline script run, by the time
        // the call returns, and printing lays it out.
        c.call(
            Some(&session),
            "Page.setDocumentContent",
            json!({"frameId": self.frame, "html": job.html}),
        )?;
        let pdf = c.call(Some(&session), "Page.printToPDF", job.params())?;
        base64::engine::general_purpose::STANDARD
            .decode(pdf["data"].as_str().unwrap_or_default())
            .map_err(|e| format!("the PDF data is not base64: {e}"))
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        let _ = self
            .connection
            .call(None, "Target.closeTarget", json!({"targetId": self.target}));
    }
}

impl Browser {
    /// Starts the browser at `path` for `usage`, waits for its DevTools endpoint and opens a
    /// first tab, so that a caller starting it in the background finds a tab ready.
    pub fn launch(path: &Path, usage: Use) -> Result<Browser, ReportError> {
        let fail = |message: String| ReportError::BrowserStart {
            browser: path.display().to_string(),
            message,
        };
        let profile =
            std::env::temp_dir().join(format!("passage-print-{}-{}", std::process::id(), unique()));
        std::fs::create_dir_all(&profile)
            .map_err(|e| fail(format!("profile {}: {e}", profile.display())))?;
        let mut child = Command::new(path)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                // Debian's launcher loads its bundled extensions: a printer needs none.
                "--disable-extensions",
                "--disable-default-apps",
                "--disable-breakpad",
                "--mute-audio",
                "--hide-scrollbars",
                // Unhinted glyph metrics, as the full browser's headless mode has: the headless
                // shell otherwise hints them and breaks the report's lines elsewhere.
                "--font-render-hinting=none",
                // Tabs printing side by side are all in the background: keep them at full speed.
                "--disable-renderer-backgrounding",
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-features=Translate,MediaRouter,OptimizationHints",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
            ])
            .args(match usage {
                Use::One => &["--single-process", "--no-zygote"][..],
                Use::Many => &[][..],
            })
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| fail(e.to_string()))?;
        let Some(stderr) = child.stderr.take() else {
            let _ = child.kill();
            return Err(fail(
                "no standard error to read the DevTools address from".into(),
            ));
        };
        let (tx, rx) = mpsc::channel();
        // The browser writes to stderr for as long as it runs: keep draining it, sending the
        // DevTools address and, until then, each line, so a failed start can say why.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // Nobody listens once the address is known: sending then fails, and is harmless.
                let _ = match line.find("ws://") {
                    Some(at) => tx.send(Started::Address(line[at..].trim().to_string())),
                    None => tx.send(Started::Line(line)),
                };
            }
        });
        let mut browser = Browser {
            child,
            path: path.to_path_buf(),
            ws_url: String::new(),
            profile: profile.clone(),
            idle: Mutex::new(Vec::new()),
            browser_pid: None,
        };
        let deadline = std::time::Instant::now() + START_TIMEOUT;
        let mut last_lines: Vec<String> = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(Started::Address(url)) => {
                    let mut tab =
                        Tab::open(&url).map_err(|e| fail(format!("its first tab: {e}")))?;
                    browser.browser_pid = tab
                        .browser_pid()
                        .filter(|&p| Some(p) != i32::try_from(browser.child.id()).ok());
                    browser.ws_url = url;
                    browser.idle_tabs().push(tab);
                    return Ok(browser);
                }
                Ok(Started::Line(line)) => {
                    if last_lines.len() == 5 {
                        last_lines.remove(0);
                    }
                    last_lines.push(line);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(fail(format!(
                        "it did not offer a DevTools address within {} s{}",
                        START_TIMEOUT.as_secs(),
                        said(&last_lines)
                    )))
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = browser
                        .child
                        .wait()
                        .map(|s| s.to_string())
                        .unwrap_or_else(|e| e.to_string());
                    return Err(fail(format!(
                        "it ended ({status}) before offering a DevTools address{}",
                        said(&last_lines)
                    )));
                }
            }
        }
    }

    /// Prints one report to PDF bytes, in a tab no other report is printing in at the time.
    pub fn print(&self, job: &PrintJob) -> Result<Vec<u8>, ReportError> {
        let fail = |message: String| ReportError::Print {
            report: job.report.clone(),
            message,
        };
        let idle = self.idle_tabs().pop();
        let mut tab = match idle {
            Some(tab) => tab,
            None => Tab::open(&self.ws_url).map_err(fail)?,
        };
        // A tab that failed is closed with the error, not given the next report.
        let bytes = tab.print(job).map_err(fail)?;
        self.idle_tabs().push(tab);
        if !bytes.starts_with(b"%PDF") {
            return Err(fail("the browser's answer is not a PDF".into()));
        }
        Ok(bytes)
    }

    fn idle_tabs(&self) -> MutexGuard<'_, Vec<Tab>> {
        // A poisoned list only means a panic while a tab was taken or put back: each tab in it
        // is whole.
        self.idle.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The browser's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.idle_tabs().clear();
        // The browser's processes: a launcher script's child (Debian's headless shell runs the
        // browser without exec) and its renderers and utility processes, which otherwise
        // outlive it for a moment, still writing into its profile.
        #[cfg(target_os = "linux")]
        let tree = i32::try_from(self.child.id()).map_or_else(|_| Vec::new(), descendants);
        #[cfg(target_os = "linux")]
        for pid in tree
            .iter()
            .filter_map(|&p| rustix::process::Pid::from_raw(p))
        {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        }
        #[cfg(unix)]
        if let Some(pid) = self.browser_pid.and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        // None of them is our child, so nothing waited for them: the profile is removed once
        // they are gone (two seconds at most).
        #[cfg(target_os = "linux")]
        {
            let deadline = std::time::Instant::now() + Duration::from_secs(2);
            while tree.iter().any(|&p| is_running(p)) && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        if std::fs::remove_dir_all(&self.profile).is_err() {
            let _ = std::fs::remove_dir_all(&self.profile);
        }
    }
}

/// The state and parent of process `pid`, from `/proc/{pid}/stat`.
#[cfg(target_os = "linux")]
fn state_and_parent(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The state and the parent follow the command name, which is in parentheses and may hold
    // any byte.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?.chars().next()?;
    Some((state, fields.next()?.parse().ok()?))
}

/// Every process descended from `root`, children before their own children.
#[cfg(target_os = "linux")]
fn descendants(root: i32) -> Vec<i32> {
    let parents: Vec<(i32, i32)> = std::fs::read_dir("/proc")
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<i32>().ok())
                .filter_map(|pid| Some((pid, state_and_parent(pid)?.1)))
                .collect()
        })
        .unwrap_or_default();
    let mut found = Vec::new();
    let mut next = vec![root];
    while let Some(parent) = next.pop() {
        for &(pid, _) in parents.iter().filter(|(_, p)| *p == parent) {
            found.push(pid);
            next.push(pid);
        }
    }
    found
}

/// Whether process `pid` runs: it exists and is not a zombie (an orphan waiting to be reaped
/// has stopped writing anything).
#[cfg(target_os = "linux")]
fn is_running(pid: i32) -> bool {
    state_and_parent(pid).is_some_and(|(state, _)| state != 'Z' && state != 'X')
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[cfg(target_os = "linux")]
    #[test]
    fn a_process_runs_until_it_has_ended() {
        let mut child = Command::new("sleep").arg("30").spawn().expect("sleep runs");
        let pid = i32::try_from(child.id()).expect("a pid");
        assert!(is_running(pid));
        child.kill().expect("sleep is killed");
        // Killed but not yet reaped, it is a zombie: no longer running.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while is_running(pid) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert!(!is_running(pid), "a killed process still runs");
        let _ = child.wait();
        assert!(!is_running(pid));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_scripts_grandchildren_are_its_descendants() {
        // A shell that runs two sleeps without exec, as a launcher runs a browser.
        let mut child = Command::new("sh")
            .args(["-c", "sleep 30 & sleep 30 & wait"])
            .spawn()
            .expect("sh runs");
        let pid = i32::try_from(child.id()).expect("a pid");
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while descendants(pid).len() < 2 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        let tree = descendants(pid);
        assert_eq!(tree.len(), 2, "{tree:?}");
        assert!(tree
            .iter()
            .all(|&p| state_and_parent(p).map(|s| s.1) == Some(pid)));
        for p in tree
            .iter()
            .filter_map(|&p| rustix::process::Pid::from_raw(p))
        {
            let _ = rustix::process::kill_process(p, rustix::process::Signal::KILL);
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    #[test]
    fn a_browser_that_ends_at_start_is_named_with_its_last_words() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let fake = dir.path().join("fake-browser");
        std::fs::write(&fake, "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n")
            .expect("write the fake browser");
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755))
            .expect("make it executable");
        let message = match Browser::launch(&fake, Use::One) {
            Ok(_) => panic!("a browser that exits at once was taken as started"),
            Err(e) => e.to_string(),
        };
        assert!(
            message.contains("before offering a DevTools address"),
            "{message}"
        );
        assert!(message.contains("exit status: 3"), "{message}");
        assert!(message.contains("cannot open display"), "{message}");
    }
}
