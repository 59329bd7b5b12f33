//! The `linli` binary as a separate process, for the tests that must kill it, restart it or
//! watch its memory: the release build when `LINLI_BIN` names it (`make verify`), else the
//! debug build cargo made for these tests.
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn bin() -> PathBuf {
    std::env::var("LINLI_BIN").map(PathBuf::from).unwrap_or_else(|_| PathBuf::from(env!("CARGO_BIN_EXE_linli")))
}

/// Runs `linli <args>` against `url` to completion; panics with its output when it fails.
pub fn run(url: &str, args: &[&str]) -> String {
    let out = Command::new(bin()).args(args).env("DATABASE_URL", url).env("RUST_LOG", "warn").output().expect("running linli");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "linli {args:?}: {text}");
    text
}

/// A free local port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `linli serve` on `url`; its log (stderr) goes to `log`. Killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub port: u16,
    pub log: PathBuf,
}

impl Server {
    pub async fn start(url: &str, port: u16, log: PathBuf, extra_env: &[(&str, &str)]) -> Server {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
        let mut cmd = Command::new(bin());
        cmd.arg("serve")
            .env("DATABASE_URL", url)
            .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(file);
        for (k, v) in extra_env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("starting linli serve");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..600 {
            if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
                return Server { child, base, port, log };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("linli serve did not come up on port {port}; log: {}", std::fs::read_to_string(&log).unwrap_or_default());
    }

    /// SIGKILL: no shutdown, no flush — a crash.
    pub fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Resident memory now, in KiB.
    pub fn rss_kb(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap_or(0)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
