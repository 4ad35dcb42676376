//! `threshold serve` as a child process, for what a server inside the test process cannot
//! show: signals, a kill -9 in the middle of a job, several servers on one database.
//!
//! ```ignore
//! let database = TestDatabase::create(Backend::Postgres);
//! let mut server = ServerProcess::spawn(database.url());
//! let app = server.client(database.url()); // the usual helpers, over HTTP to the process
//! server.signal(Signal::Term);
//! assert!(server.wait_exit(Duration::from_secs(35)).expect("it exits").success());
//! ```

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::{TestApp, JWT_SECRET};

/// The line `threshold serve` prints once it listens, before the address.
const SERVING: &str = "Threshold is serving on http://";

/// How long a server may take to migrate, listen and answer `/readyz`.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A signal [`ServerProcess::signal`] sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Stop gracefully.
    Term,
    /// Stop at once (Ctrl-C): requests in flight are dropped.
    Int,
    /// Die at once, as a crash or the OOM killer would.
    Kill,
}

/// How a server process is started; [`ServerProcessBuilder::start`] starts it.
#[derive(Debug, Clone)]
#[must_use = "the process starts only when started"]
pub struct ServerProcessBuilder {
    database_url: String,
    env: Vec<(String, String)>,
}

impl ServerProcessBuilder {
    /// One more environment variable (a `THRESHOLD_*` setting, `RUST_LOG`...), over the
    /// defaults: the test JWT secret, two workers, a free port on 127.0.0.1.
    pub fn env(mut self, name: &str, value: &str) -> ServerProcessBuilder {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Starts the process without waiting for it: start several, then
    /// [`ServerProcess::wait_ready`] on each, and they start at the same moment.
    pub fn start(self) -> ServerProcess {
        let binary = binary();
        let mut command = Command::new(&binary);
        command
            .arg("serve")
            .env("THRESHOLD_DATABASE_URL", &self.database_url)
            .env("THRESHOLD_BIND", "127.0.0.1:0")
            .env("THRESHOLD_JWT_SECRET", JWT_SECRET)
            .env("THRESHOLD_WORKERS", "2")
            .env("THRESHOLD_DB_POOL_SIZE", "4")
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (name, value) in &self.env {
            command.env(name, value);
        }
        let mut child = command
            .spawn()
            .unwrap_or_else(|error| panic!("cannot run {}: {error}", binary.display()));
        let log = Arc::new(Mutex::new(String::new()));
        let (address_sender, address) = mpsc::channel();
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            readers.push(capture(stdout, Arc::clone(&log), Some(address_sender)));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(capture(stderr, Arc::clone(&log), None));
        }
        ServerProcess {
            child,
            address: Mutex::new(address),
            base_url: None,
            log,
            exit: None,
            readers,
        }
    }
}

/// The path of the `threshold-under-test` binary cargo built beside the test binaries
/// (`target/<profile>/deps/<test>` next to `target/<profile>/<bin>`).
pub fn binary() -> PathBuf {
    let test_binary = std::env::current_exe().expect("the test binary's path");
    let profile_folder = test_binary
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary lives in target/<profile>/deps");
    let binary = profile_folder.join(format!(
        "threshold-under-test{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        binary.exists(),
        "{} is missing: cargo builds it with the threshold-tests integration tests",
        binary.display()
    );
    binary
}

/// Copies a pipe's lines into the log; the first `SERVING` line's address goes to `address`.
fn capture(
    pipe: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    mut address: Option<Sender<String>>,
) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { return };
            if let Some(found) = line.strip_prefix(SERVING) {
                if let Some(sender) = address.take() {
                    let _ = sender.send(found.trim().to_owned());
                }
            }
            let mut log = log.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            log.push_str(&line);
            log.push('\n');
        }
    })
}

/// A running `threshold serve`. Dropping it kills the process (and, while a test is
/// failing, prints its log).
pub struct ServerProcess {
    child: Child,
    /// In a mutex only so that a server can be shared between threads.
    address: Mutex<Receiver<String>>,
    base_url: Option<String>,
    log: Arc<Mutex<String>>,
    exit: Option<ExitStatus>,
    /// The threads copying its output into `log`, until the process has exited.
    readers: Vec<JoinHandle<()>>,
}

impl ServerProcess {
    pub fn builder(database_url: &str) -> ServerProcessBuilder {
        ServerProcessBuilder {
            database_url: database_url.to_owned(),
            env: Vec::new(),
        }
    }

    /// Starts a server on `database_url` with the default settings and waits until it is
    /// ready.
    pub fn spawn(database_url: &str) -> ServerProcess {
        let mut server = ServerProcess::builder(database_url).start();
        server.wait_ready();
        server
    }

    /// Waits until the server listens and `/readyz` answers 200 (it has migrated and the
    /// database answers); panics with its log when it does not within a minute.
    pub fn wait_ready(&mut self) -> &mut ServerProcess {
        let deadline = Instant::now() + START_TIMEOUT;
        if self.base_url.is_none() {
            let address = self
                .address
                .get_mut()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| {
                    panic!("the server never said it was serving:\n{}", self.log())
                });
            self.base_url = Some(format!("http://{address}"));
        }
        let agent = short_agent();
        let readyz = format!("{}/readyz", self.base_url());
        loop {
            match agent.get(&readyz).call() {
                Ok(response) if response.status() == 200 => return self,
                _ if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                other => panic!(
                    "the server was not ready within {START_TIMEOUT:?} ({:?}):\n{}",
                    other.map(|response| response.status()),
                    self.log()
                ),
            }
        }
    }

    /// `http://127.0.0.1:<port>`, once [`ServerProcess::wait_ready`] has returned.
    pub fn base_url(&self) -> &str {
        self.base_url
            .as_deref()
            .expect("the server's address is known once wait_ready returned")
    }

    /// A [`TestApp`] speaking to this process, so every helper of the suite works on it;
    /// `database_url` is what the test itself reaches the database with (the server's own,
    /// or the real one behind a proxy). Dropping it leaves the process and the database be.
    pub fn client(&self, database_url: &str) -> TestApp {
        TestApp::attach(self.base_url(), database_url)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends `signal` to the process.
    pub fn signal(&mut self, signal: Signal) {
        match signal {
            Signal::Kill => self.child.kill().expect("SIGKILL is sent"),
            // The standard library sends only SIGKILL, and this workspace has no unsafe code
            // to call kill(2) with: the `kill` command does it.
            Signal::Term | Signal::Int => {
                let name = if signal == Signal::Term {
                    "TERM"
                } else {
                    "INT"
                };
                let status = Command::new("kill")
                    .args(["-s", name, &self.pid().to_string()])
                    .status()
                    .expect("the kill command runs");
                assert!(status.success(), "kill -s {name} {} failed", self.pid());
            }
        }
    }

    /// Kills the process (SIGKILL) and waits until it has ended.
    pub fn kill(&mut self) {
        self.signal(Signal::Kill);
        self.wait_exit(Duration::from_secs(10))
            .expect("a killed server exits within 10 s");
    }

    /// Waits for the process to end, up to `timeout`; `None` when it is still running.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.exit {
                return Some(status);
            }
            self.exit = self.child.try_wait().expect("the child's state");
            if self.exit.is_some() {
                // Its pipes are closed: once the readers have copied what was left in them,
                // the log holds everything it wrote.
                for reader in self.readers.drain(..) {
                    let _ = reader.join();
                }
            } else if Instant::now() >= deadline {
                return None;
            } else {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }

    /// Everything the process wrote to standard output and error so far.
    pub fn log(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if self.exit.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        if std::thread::panicking() {
            eprintln!(
                "--- log of server process {} ---\n{}",
                self.pid(),
                self.log()
            );
        }
    }
}

/// A client for probes: a dead or hung server fails fast instead of after the suite's 30 s.
fn short_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}
