//! A real `passage serve` on a free loopback port, for the tests that talk to one over HTTP.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::passage;

/// A `passage serve` on a free loopback port, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub url: String,
}

impl Server {
    pub fn start(data: &Path) -> Server {
        let mut child = passage(data)
            .args(["serve", "--addr", "127.0.0.1:0", "--reload-every", "1"])
            .env("PASSAGE_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = lines
            .by_ref()
            .map(|l| l.unwrap())
            .find_map(|l| l.strip_prefix("listening on ").map(str::to_string))
            .expect("the server prints its address");
        // Keep reading, so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server { child, url }
    }

    pub fn serves(&self, id: &str) -> bool {
        Command::new("curl")
            .args(["-sf", &format!("{}/readyz", self.url)])
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(id))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
