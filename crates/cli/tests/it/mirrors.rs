//! Mirrors of a real `passage serve` on loopback: the same release and answers, nothing fetched
//! again while the source is unchanged and only the changed table when it changes; a transfer cut
//! in the middle (by a proxy in this file) leaves the old release active, and the next run asks
//! for the rest with a byte range and ends with the verified release; `passage mirror` repeats
//! rounds until SIGTERM.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::server::Server;
use crate::{
    active_release, passage, release_of, run_err, run_ok, shared_data, small_sources, synced_store,
};

/// A proxy that forwards each request to `upstream` and, while `cutting` is set, the first
/// `limit` bytes of a response to a request whose path holds `cut_path`, then closes. It keeps
/// every request head it saw.
struct Proxy {
    url: String,
    cutting: Arc<AtomicBool>,
    heads: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    fn start(upstream: &str, cut_path: &'static str, limit: usize) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let upstream = upstream.trim_start_matches("http://").to_string();
        let cutting = Arc::new(AtomicBool::new(true));
        let heads = Arc::new(Mutex::new(Vec::new()));
        let (c, h) = (cutting.clone(), heads.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let (upstream, c, h) = (upstream.clone(), c.clone(), h.clone());
                std::thread::spawn(move || forward(client, &upstream, cut_path, limit, &c, &h));
            }
        });
        Proxy {
            url,
            cutting,
            heads,
        }
    }
}

fn forward(
    mut client: TcpStream,
    upstream: &str,
    cut_path: &str,
    limit: usize,
    cutting: &AtomicBool,
    heads: &Mutex<Vec<String>>,
) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match client.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    heads.lock().unwrap().push(head.clone());
    let cut =
        cutting.load(Ordering::SeqCst) && head.lines().next().is_some_and(|l| l.contains(cut_path));
    // One request per connection, so the end of the response is the end of the stream.
    let request = head.replacen("\r\n\r\n", "\r\nConnection: close\r\n\r\n", 1);
    let Ok(mut server) = TcpStream::connect(upstream) else {
        return;
    };
    if server.write_all(request.as_bytes()).is_err() {
        return;
    }
    let mut sent = 0;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let n = if cut { n.min(limit - sent) } else { n };
        if client.write_all(&buf[..n]).is_err() {
            break;
        }
        sent += n;
        if cut && sent >= limit {
            break;
        }
    }
    let _ = client.shutdown(std::net::Shutdown::Both);
}

fn answers(data: &Path) -> Vec<String> {
    [
        vec![
            "population",
            "--years",
            "2015..2025",
            "--measures",
            "refugees,asylum_seekers,idps",
        ],
        vec![
            "asylum_decisions",
            "--origin",
            "AFG",
            "--where",
            "dec_pc=P",
            "--by",
            "year",
        ],
        vec!["idmc_new_displacements", "--by", "year"],
    ]
    .iter()
    .map(|q| run_ok(passage(data).arg("query").args(q).args(["--format", "csv"])))
    .collect()
}

/// The number after `word` in `text`, as in "fetched 3 tables".
fn number_after(text: &str, word: &str) -> u64 {
    let at = text
        .find(word)
        .unwrap_or_else(|| panic!("no `{word}` in {text}"))
        + word.len();
    text[at..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_mirror_gets_the_same_release_and_then_only_what_changed() {
    let source = crate::synced_store();
    let server = Server::start(source.path());
    let id = active_release(source.path());
    let mirror = tempfile::tempdir().unwrap();

    let first = run_ok(passage(mirror.path()).args(["sync", "--from", &server.url]));
    assert!(first.contains(&format!("release {id} from")), "{first}");
    let tables = std::fs::read_dir(source.path().join("releases").join(&id).join("tables"))
        .unwrap()
        .count() as u64;
    assert_eq!(number_after(&first, "fetched"), tables, "{first}");
    assert_eq!(active_release(mirror.path()), id);
    assert_eq!(answers(mirror.path()), answers(source.path()));

    // Unchanged: the manifest only.
    let second = run_ok(passage(mirror.path()).args(["sync", "--from", &server.url]));
    assert!(second.contains("unchanged"), "{second}");
    assert!(second.contains("fetched 0 tables, 0 bytes"), "{second}");

    // One source file changed on the source: one table travels, the others are reused.
    let changed = tempfile::tempdir().unwrap();
    let mut csv = std::fs::read_to_string(shared_data().join("unhcr/population.csv")).unwrap();
    csv.push_str("2025,Ukraine,UKR,UKR,Unknown,UKN,UNK,1,0,0,0,0,0,0,,0\n");
    std::fs::write(changed.path().join("population.csv"), csv).unwrap();
    let new_id = release_of(&run_ok(
        passage(source.path())
            .args(["sync", "--source-version", "unhcr=2025.12.1", "--from"])
            .arg(changed.path()),
    ));
    assert_ne!(new_id, id);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.serves(&new_id) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let third = run_ok(passage(mirror.path()).args(["sync", "--from", &server.url]));
    assert!(third.contains(&format!("release {new_id} from")), "{third}");
    assert_eq!(number_after(&third, "fetched"), 1, "{third}");
    assert_eq!(number_after(&third, "reused"), tables - 1, "{third}");
    let population = std::fs::metadata(
        source
            .path()
            .join("releases")
            .join(&new_id)
            .join("tables/population.arrow"),
    )
    .unwrap()
    .len();
    assert_eq!(number_after(&third, "tables,"), population, "{third}");
    assert_eq!(active_release(mirror.path()), new_id);
    assert_eq!(answers(mirror.path()), answers(source.path()));
}

#[test]
fn a_transfer_cut_in_the_middle_changes_nothing_and_the_next_run_resumes_it() {
    let source = crate::synced_store();
    let server = Server::start(source.path());
    let id = active_release(source.path());
    let cut_after = 1 << 20;
    let proxy = Proxy::start(&server.url, "/tables/population", cut_after);

    let mirror = tempfile::tempdir().unwrap();
    let small = small_sources();
    let before = release_of(&run_ok(
        passage(mirror.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    ));

    let err = run_err(passage(mirror.path()).args(["sync", "--from", &proxy.url]));
    let err = String::from_utf8_lossy(&err.stderr);
    assert!(err.contains("/tables/population"), "{err}");
    assert!(
        err.contains(&format!("release {before} stays active")),
        "{err}"
    );
    assert_eq!(active_release(mirror.path()), before);
    assert!(!mirror.path().join("releases").join(&id).exists());
    let kept: u64 = std::fs::read_dir(mirror.path().join("transfers"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "part"))
        .map(|p| std::fs::metadata(p).unwrap().len())
        .max()
        .unwrap();
    assert!(kept > 0 && kept < cut_after as u64, "{kept}");

    // The path works again: the rest of the table is asked for from where it stopped.
    proxy.cutting.store(false, Ordering::SeqCst);
    let out = run_ok(passage(mirror.path()).args(["sync", "--from", &proxy.url]));
    assert!(
        out.contains(&format!("resumed population at byte {kept}")),
        "{out}"
    );
    let heads = proxy.heads.lock().unwrap();
    let ranged: Vec<&String> = heads
        .iter()
        .filter(|h| {
            h.contains("/tables/population")
                && h.to_ascii_lowercase()
                    .contains(&format!("range: bytes={kept}-"))
        })
        .collect();
    assert_eq!(ranged.len(), 1, "{heads:?}");
    assert_eq!(active_release(mirror.path()), id);
    assert_eq!(answers(mirror.path()), answers(source.path()));
    // The verified release loads: every table's digest is checked again on load.
    run_ok(passage(mirror.path()).args(["show", &id]));
    let parts = std::fs::read_dir(mirror.path().join("transfers"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "part")
        })
        .count();
    assert_eq!(parts, 0);
}

#[test]
fn passage_mirror_repeats_until_sigterm_and_a_failed_round_does_not_stop_it() {
    let source = crate::synced_store();
    let server = Server::start(source.path());
    let id = active_release(source.path());
    // A source that is not there yet: the first rounds fail, then it appears behind the proxy.
    let proxy = Proxy::start(&server.url, "/api/", 0);
    let mirror = tempfile::tempdir().unwrap();
    let mut child = passage(mirror.path())
        .args(["mirror", "--from", &proxy.url, "--every", "1s"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    proxy.cutting.store(false, Ordering::SeqCst);
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::read_to_string(mirror.path().join("ACTIVE"))
        .map(|s| s.trim().to_string())
        .ok()
        != Some(id.clone())
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stderr.contains("round failed"), "{stderr}");
    assert!(stdout.contains(&format!("release {id} from")), "{stdout}");
    assert!(stdout.contains("mirror stopped"), "{stdout}");
    assert_eq!(active_release(mirror.path()), id);
}

#[test]
fn a_kept_partial_file_that_is_not_the_file_s_start_is_fetched_again_whole() {
    let source = crate::synced_store();
    let server = Server::start(source.path());
    let id = active_release(source.path());
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(
            source
                .path()
                .join("releases")
                .join(&id)
                .join("manifest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let population = manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["dataset"] == "population")
        .unwrap();
    let mirror = tempfile::tempdir().unwrap();
    let transfers = mirror.path().join("transfers");
    std::fs::create_dir_all(&transfers).unwrap();
    let part = transfers.join(format!("{}.part", population["sha256"].as_str().unwrap()));
    std::fs::write(&part, vec![0xAB; 1000]).unwrap();

    let out = run_ok(passage(mirror.path()).args(["sync", "--from", &server.url]));
    assert!(!out.contains("resumed"), "{out}");
    assert_eq!(active_release(mirror.path()), id);
    assert!(!part.exists());
    run_ok(passage(mirror.path()).args(["show", &id]));
}

#[test]
fn a_mirror_of_a_compatible_population_api_reproduces_the_sources_unhcr_tables() {
    let source = synced_store();
    let server = Server::start(source.path());
    let target = tempfile::tempdir().unwrap();
    let out = run_ok(
        passage(target.path())
            .args(["sync", "--source-version", "unhcr=2025.12.1", "--from"])
            .arg(format!("{}/population/v1", server.url)),
    );
    assert!(out.contains("created"), "{out}");
    for dataset in [
        "population",
        "asylum_applications",
        "asylum_decisions",
        "demographics",
        "solutions",
        "idmc",
        "unrwa",
    ] {
        let q = |data: &Path| {
            run_ok(passage(data).args([
                "query",
                dataset,
                "--by",
                "year,origin,asylum",
                "--format",
                "csv",
            ]))
        };
        let (a, b) = (q(source.path()), q(target.path()));
        assert!(a.lines().count() > 10, "{dataset}: {a}");
        // Not assert_eq: a table of 100,000 lines would drown the report.
        let first = a.lines().zip(b.lines()).position(|(x, y)| x != y);
        assert!(
            a == b,
            "{dataset}: the mirror's answer differs from the source's ({} vs {} lines, first at {first:?}: {:?} vs {:?})",
            a.lines().count(),
            b.lines().count(),
            first.and_then(|i| a.lines().nth(i)),
            first.and_then(|i| b.lines().nth(i)),
        );
    }
    // A population API that cannot be reached stores nothing and says which table failed.
    let out = run_err(passage(target.path()).args([
        "sync",
        "--from",
        "http://127.0.0.1:9/population/v1",
    ]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/population/v1/population/"), "{err}");
}
