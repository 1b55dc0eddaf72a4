//! Releases on S3-compatible object storage, against a real test server (s3s-fs on loopback):
//! publish writes each key once and a second publish of the release is refused by the store; a new
//! data directory synced from the bucket holds the same release with the same answers; pyarrow
//! reads the published Parquet straight from the bucket and gets Passage's total; a table file
//! altered in the bucket is refused, naming its digest, and the store keeps its active release.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

use crate::{active_release, passage, run_err, run_ok, small_sources, synced_store};

const BUCKET: &str = "passage-test";
const ACCESS_KEY: &str = "test";
const SECRET_KEY: &str = "testtest";

/// An s3s-fs server over a fresh folder, stopped when dropped.
struct S3Server {
    child: Child,
    port: u16,
    root: tempfile::TempDir,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn s3s_fs() -> PathBuf {
    if let Some(p) = std::env::var_os("PASSAGE_S3S_FS") {
        return PathBuf::from(p);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let installed = home.join(".cargo/bin/s3s-fs");
    assert!(
        installed.exists(),
        "the tests need s3s-fs: cargo install --locked s3s-fs@0.14.1 --features binary"
    );
    installed
}

fn start_s3() -> S3Server {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir(root.path().join(BUCKET)).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(s3s_fs())
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
        .arg(root.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(std::time::Instant::now() < deadline, "s3s-fs did not start");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    S3Server { child, port, root }
}

/// `passage` with the bucket's endpoint and credentials in the standard variables.
fn with_s3(data: &Path, s3: &S3Server) -> Command {
    let mut c = passage(data);
    c.env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT", format!("http://127.0.0.1:{}", s3.port))
        .env("AWS_ALLOW_HTTP", "true");
    c
}

fn refugees_2024(data: &Path) -> f64 {
    let out = run_ok(passage(data).args([
        "query",
        "population",
        "--year",
        "2024",
        "--measures",
        "refugees",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    doc["total"]["refugees"].as_f64().unwrap()
}

#[test]
fn a_release_published_to_a_bucket_is_written_once_and_read_back_verified() {
    let s3 = start_s3();
    let url = format!("s3://{BUCKET}/public/releases");
    let source = synced_store();
    let id = active_release(source.path());
    let out = run_ok(with_s3(source.path(), &s3).args(["publish", "--to", &url]));
    assert!(out.contains(&format!("release {id} published")), "{out}");
    // Publishing the same release again is refused by the store's create-only writes.
    let again = run_err(with_s3(source.path(), &s3).args(["publish", "--to", &url]));
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("already published"), "{err}");

    // A new data directory takes the release from the bucket: same id, same answers.
    let mirror = tempfile::tempdir().unwrap();
    let out = run_ok(with_s3(mirror.path(), &s3).args(["sync", "--from", &url]));
    assert!(out.contains(&format!("release {id}")), "{out}");
    assert_eq!(active_release(mirror.path()), id);
    let total = refugees_2024(source.path());
    assert_eq!(refugees_2024(mirror.path()), total);
    let out = run_ok(with_s3(mirror.path(), &s3).args(["sync", "--from", &url]));
    assert!(out.contains("already the active one"), "{out}");

    // pyarrow reads the Parquet beside the tables straight from the bucket.
    let script = format!(
        "import pyarrow.fs as fs, pyarrow.parquet as pq, pyarrow.compute as pc\n\
         s3 = fs.S3FileSystem(access_key='{ACCESS_KEY}', secret_key='{SECRET_KEY}', region='us-east-1', \
         endpoint_override='127.0.0.1:{}', scheme='http')\n\
         t = pq.read_table('{BUCKET}/public/releases/releases/{id}/parquet/population.parquet', filesystem=s3)\n\
         print(t.schema.metadata[b'passage.release'].decode())\n\
         print(pc.sum(t.filter(pc.equal(t['year'], 2024))['refugees']).as_py())\n",
        s3.port
    );
    let py = Command::new("python3")
        .args(["-c", &script])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&py.stdout);
    assert!(
        py.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let mut lines = printed.lines();
    let meta = lines.next().unwrap_or_default();
    assert!(
        meta.contains(&id),
        "the release id in the Parquet metadata: {meta}"
    );
    let sum: f64 = lines.next().unwrap_or_default().trim().parse().unwrap();
    assert_eq!(sum, total);
}

#[test]
fn a_table_altered_in_the_bucket_is_refused_and_the_store_keeps_its_release() {
    let s3 = start_s3();
    let url = format!("s3://{BUCKET}/altered");
    let source = synced_store();
    let id = active_release(source.path());
    run_ok(with_s3(source.path(), &s3).args(["publish", "--to", &url]));
    let table = s3
        .root
        .path()
        .join(BUCKET)
        .join("altered/releases")
        .join(&id)
        .join("tables/population.arrow");
    let mut bytes = std::fs::read(&table).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&table, bytes).unwrap();

    let target = tempfile::tempdir().unwrap();
    let small = small_sources();
    run_ok(
        passage(target.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    );
    let before = active_release(target.path());
    let out = run_err(with_s3(target.path(), &s3).args(["sync", "--from", &url]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("population"), "{err}");
    assert!(err.contains("sha256") || err.contains("digest"), "{err}");
    assert_eq!(
        active_release(target.path()),
        before,
        "the store keeps its active release"
    );
}

/// The release a server answers from, by the header of a dataset answer.
fn served_release(port: u16) -> Option<String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    write!(
        s,
        "GET /api/v1/datasets/population?year=2024&by=year HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    raw.lines().find_map(|l| {
        l.to_ascii_lowercase()
            .strip_prefix("x-passage-release: ")
            .map(|v| v.trim().to_string())
    })
}

#[test]
fn a_server_on_a_bucket_follows_its_pointer_to_the_next_release() {
    let s3 = start_s3();
    let url = format!("s3://{BUCKET}/served");
    let first = tempfile::tempdir().unwrap();
    let small = small_sources();
    run_ok(
        passage(first.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    );
    run_ok(with_s3(first.path(), &s3).args(["publish", "--to", &url]));
    let first_id = active_release(first.path());

    let served = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = with_s3(served.path(), &s3)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--reload-every",
            "1",
        ])
        .args(["--releases", &url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wait_for = |id: &str| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while std::time::Instant::now() < deadline {
            if served_release(port).as_deref() == Some(id) {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        false
    };
    let started = wait_for(&first_id);
    // The next release, published from another store, is picked up without a restart.
    let second = synced_store();
    run_ok(with_s3(second.path(), &s3).args(["publish", "--to", &url]));
    let second_id = active_release(second.path());
    let followed = wait_for(&second_id);
    let _ = server.kill();
    let _ = server.wait();
    assert!(started, "the server came up on {first_id}");
    assert!(followed, "the server moved to {second_id}");
    assert_ne!(first_id, second_id);
}
