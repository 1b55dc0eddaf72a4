//! Black-box tests of the server over real HTTP on loopback, on the real data of `../shared/data`.

mod bounds;
mod claims_api;
mod compat;
mod indicators_api;
mod lifecycle;
mod native;
mod negotiation_api;
mod pages;
mod registry_api;
mod trust;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::OnceLock;

use passage_server::{router, AppState, Limits};
use passage_store::Store;

pub fn shared_data() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        p.join("README.md").exists(),
        "the shared data is expected at {}",
        p.display()
    );
    p
}

/// A running server with the shared data synced into a store of its own.
pub struct Server {
    pub addr: SocketAddr,
    pub state: AppState,
    pub store: Store,
    _dir: tempfile::TempDir,
}

/// Starts a server on a fresh store holding the release made from `sources`.
pub fn start(sources: &std::path::Path) -> Server {
    start_with(sources, None)
}

/// Starts a server that registers claims from requests bearing `claims_token`.
pub fn start_with(sources: &std::path::Path, claims_token: Option<&str>) -> Server {
    start_with_registry(sources, claims_token, None)
}

/// Starts a server whose registry is at `registry_url` (default: SQLite beside the store).
pub fn start_with_registry(
    sources: &std::path::Path,
    claims_token: Option<&str>,
    registry_url: Option<String>,
) -> Server {
    start_with_options(
        sources,
        passage_server::Options {
            claims_token: claims_token.map(String::from),
            registry_url,
            ..Default::default()
        },
    )
}

/// Starts a server opened with `options`.
pub fn start_with_options(sources: &std::path::Path, options: passage_server::Options) -> Server {
    start_in(tempfile::tempdir().unwrap(), sources, options)
}

/// A temporary directory for the store of a server held by a static. A static is never dropped,
/// so such a directory outlives its run: it is made under Cargo's directory for test data, in a
/// folder that the next run of this binary empties.
fn lasting_tempdir() -> tempfile::TempDir {
    let parent = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("server-it-shared-store");
    let _ = std::fs::remove_dir_all(&parent);
    std::fs::create_dir_all(&parent).unwrap();
    tempfile::tempdir_in(parent).unwrap()
}

/// Starts a server on a store in `dir`, holding the release made from `sources`.
fn start_in(
    dir: tempfile::TempDir,
    sources: &std::path::Path,
    options: passage_server::Options,
) -> Server {
    let store = Store::open(dir.path()).unwrap();
    let imported = passage_datasets::import_dir(sources, &Default::default(), &|_| {}).unwrap();
    store.sync(&imported, &|_| {}).unwrap();
    let state = AppState::open_with(store.clone(), options).unwrap();
    let app = router(state.clone(), Limits::default());
    Server {
        addr: listen(app, passage_server::HEADER_READ_TIMEOUT),
        state,
        store,
        _dir: dir,
    }
}

/// Serves `app` on a loopback port of its own, on a runtime in a thread of its own, until the
/// test process ends; gives the address.
pub fn listen(app: axum::Router, header_timeout: std::time::Duration) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            passage_server::serve_with(listener, app, std::future::pending(), header_timeout)
                .await
                .unwrap();
        });
    });
    rx.recv().unwrap()
}

/// The server on the shared data, shared by the tests of this binary.
pub fn shared() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start_in(lasting_tempdir(), &shared_data(), Default::default()))
}

/// A GET over a fresh connection: status and body.
pub fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let (status, _, body) = get_with(addr, path, "");
    (status, body)
}

/// A GET with extra header lines (each ending in CRLF): status, response head and body.
pub fn get_with(addr: SocketAddr, path: &str, extra_headers: &str) -> (u16, String, String) {
    request(addr, "GET", path, extra_headers, "")
}

/// A request with a body over a fresh connection: status, response head and body.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    extra_headers: &str,
    body: &str,
) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let length = if method == "GET" {
        String::new()
    } else {
        format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        )
    };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{extra_headers}{length}Connection: close\r\n\r\n{body}"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text.as_str(), ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    (status, head.to_string(), body)
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        body = &rest[n + 2..];
    }
    out
}

pub fn get_json(addr: SocketAddr, path: &str) -> serde_json::Value {
    let (status, body) = get(addr, path);
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}"))
}
