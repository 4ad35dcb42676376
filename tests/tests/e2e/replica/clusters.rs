//! Two throwaway PostgreSQL clusters on this machine: a primary made by `initdb` and a hot
//! standby of it made by `pg_basebackup -R`, each on a free port of 127.0.0.1 with its data
//! directory in a temp folder of its own. Dropping them stops both and removes the folder,
//! also when a test fails half-way.

use std::ffi::OsStr;
use std::fs::OpenOptions;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::dsl::sql;
use diesel::pg::PgConnection;
use diesel::sql_types::{Bool, Text};
use diesel::{Connection, RunQueryDsl};

/// The programs the clusters need, beside `postgres` itself.
const PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "pg_basebackup"];

/// How long the standby may take to replay what the primary wrote.
const CATCH_UP: Duration = Duration::from_secs(30);

/// What runs the servers: PostgreSQL's binaries, and the OS user they run as (PostgreSQL
/// refuses to run as root, so root runs them as `postgres`).
pub struct Binaries {
    folder: PathBuf,
    run_as: Option<&'static str>,
}

impl Binaries {
    /// The server binaries of this machine, or why they cannot be run here.
    pub fn find() -> Result<Binaries, String> {
        let folder = binary_folders()
            .into_iter()
            .find(|folder| {
                PROGRAMS
                    .iter()
                    .all(|program| folder.join(program).is_file())
            })
            .ok_or(
                "the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed",
            )?;
        let root = output(Command::new("id").arg("-u")).is_ok_and(|uid| uid.trim() == "0");
        let run_as = if root {
            output(Command::new("id").args(["-u", "postgres"])).map_err(|_| {
                "running as root, and there is no `postgres` user to run PostgreSQL as"
            })?;
            Some("postgres")
        } else {
            None
        };
        Ok(Binaries { folder, run_as })
    }
}

/// Where PostgreSQL's server binaries may be: `pg_config --bindir`, Debian's and Ubuntu's
/// versioned folders (newest first), then `PATH`.
fn binary_folders() -> Vec<PathBuf> {
    let mut folders = Vec::new();
    if let Ok(folder) = output(Command::new("pg_config").arg("--bindir")) {
        folders.push(PathBuf::from(folder.trim()));
    }
    if let Ok(versions) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versioned: Vec<(u32, PathBuf)> = versions
            .flatten()
            .filter_map(|entry| {
                let version = entry.file_name().to_str()?.parse().ok()?;
                Some((version, entry.path().join("bin")))
            })
            .collect();
        versioned.sort();
        folders.extend(versioned.into_iter().rev().map(|(_, folder)| folder));
    }
    if let Some(path) = std::env::var_os("PATH") {
        folders.extend(std::env::split_paths(&path));
    }
    folders
}

/// A command's standard output, or its standard error when it fails.
fn output(command: &mut Command) -> Result<String, String> {
    let done = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("{command:?} cannot run: {error}"))?;
    if done.status.success() {
        Ok(String::from_utf8_lossy(&done.stdout).into_owned())
    } else {
        Err(format!(
            "{command:?} failed ({}):\n{}{}",
            done.status,
            String::from_utf8_lossy(&done.stdout),
            String::from_utf8_lossy(&done.stderr)
        ))
    }
}

/// A primary and its hot standby, both running.
pub struct Clusters {
    binaries: Binaries,
    folder: PathBuf,
    /// The data directories of the servers started and not stopped yet.
    running: Vec<PathBuf>,
    pub primary_port: u16,
    pub standby_port: u16,
}

impl Clusters {
    /// Makes and starts the primary (configured for streaming replication), then the standby
    /// from a base backup of it. Panics when any step fails.
    pub fn start(binaries: Binaries) -> Clusters {
        let folder = std::env::temp_dir().join(format!(
            "threshold-replica-{}",
            uuid::Uuid::now_v7().simple()
        ));
        std::fs::create_dir_all(&folder)
            .unwrap_or_else(|error| panic!("cannot create {}: {error}", folder.display()));
        let [primary_port, standby_port] = free_ports();
        // From here on, dropping the value stops what was started and removes the folder.
        let mut clusters = Clusters {
            binaries,
            folder,
            running: Vec::new(),
            primary_port,
            standby_port,
        };
        if let Some(user) = clusters.binaries.run_as {
            output(Command::new("chown").arg(user).arg(&clusters.folder))
                .unwrap_or_else(|error| panic!("{error}"));
        }
        let primary = clusters.folder.join("primary");
        let standby = clusters.folder.join("standby");
        let mut initdb = words("-U postgres -A trust -E UTF8 --locale=C --no-sync -D");
        initdb.push(primary.as_os_str());
        clusters.run("initdb", &initdb);
        let sockets = clusters.folder.display().to_string();
        // Small and unsynced: the clusters are thrown away. Commits stay synchronous (the
        // default), which `wait_caught_up` relies on.
        append(
            &primary.join("postgresql.conf"),
            &format!(
                "port = {primary_port}\n\
                 listen_addresses = '127.0.0.1'\n\
                 unix_socket_directories = '{sockets}'\n\
                 wal_level = replica\n\
                 max_wal_senders = 4\n\
                 hot_standby = on\n\
                 max_connections = 40\n\
                 shared_buffers = 16MB\n\
                 fsync = off\n"
            ),
        );
        append(
            &primary.join("pg_hba.conf"),
            "host replication all 127.0.0.1/32 trust\n",
        );
        clusters.start_server(&primary);
        let port = primary_port.to_string();
        let mut basebackup = words("-h 127.0.0.1 -U postgres -R -X stream -c fast -N -D");
        basebackup.extend([standby.as_os_str(), OsStr::new("-p"), OsStr::new(&port)]);
        clusters.run("pg_basebackup", &basebackup);
        // The copied configuration with the standby's own port (the last setting wins).
        append(
            &standby.join("postgresql.conf"),
            &format!("port = {standby_port}\n"),
        );
        clusters.start_server(&standby);
        clusters
    }

    /// The URL of database `name` on the primary.
    pub fn primary_url(&self, name: &str) -> String {
        url(self.primary_port, name)
    }

    /// The URL of database `name` on the standby.
    pub fn standby_url(&self, name: &str) -> String {
        url(self.standby_port, name)
    }

    /// Runs SQL on the primary's `postgres` database.
    pub fn on_primary(&self, statements: &str) {
        execute(&self.primary_url("postgres"), statements);
    }

    /// Runs SQL on the standby's `postgres` database.
    pub fn on_standby(&self, statements: &str) {
        execute(&self.standby_url("postgres"), statements);
    }

    /// Waits until the standby has replayed everything the primary has written so far: the
    /// commits of the requests answered so far among it, since the primary commits
    /// synchronously (with `synchronous_commit = off`, a commit could still wait in the WAL
    /// buffers, beyond the position read here).
    pub fn wait_caught_up(&self) {
        let written: String = diesel::select(sql::<Text>("pg_current_wal_lsn()::text"))
            .get_result(&mut connect(&self.primary_url("postgres")))
            .expect("the primary's WAL position");
        let mut standby = connect(&self.standby_url("postgres"));
        let replayed = format!("pg_last_wal_replay_lsn() >= '{written}'::pg_lsn");
        let deadline = Instant::now() + CATCH_UP;
        while !diesel::select(sql::<Bool>(&replayed))
            .get_result::<bool>(&mut standby)
            .expect("the standby's replay position")
        {
            assert!(
                Instant::now() < deadline,
                "the standby did not replay the primary's WAL up to {written} within {CATCH_UP:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the standby at once, as a crash would.
    pub fn stop_standby(&mut self) {
        let standby = self.folder.join("standby");
        self.stop(&standby)
            .unwrap_or_else(|error| panic!("the standby did not stop: {error}"));
    }

    fn start_server(&mut self, data: &Path) {
        let log = data.with_extension("log");
        let mut start = words("-w -t 60 -l");
        start.extend([
            log.as_os_str(),
            OsStr::new("-D"),
            data.as_os_str(),
            OsStr::new("start"),
        ]);
        self.run("pg_ctl", &start);
        self.running.push(data.to_owned());
    }

    fn stop(&mut self, data: &Path) -> Result<(), String> {
        self.running.retain(|running| running != data);
        let mut stop = words("-m immediate -w -D");
        stop.extend([data.as_os_str(), OsStr::new("stop")]);
        output(&mut self.command("pg_ctl", &stop)).map(drop)
    }

    /// Runs one of PostgreSQL's programs as the servers' user, panicking when it fails.
    fn run(&self, program: &str, arguments: &[&OsStr]) {
        if let Err(error) = output(&mut self.command(program, arguments)) {
            panic!("{error}\n{}", self.server_logs());
        }
    }

    fn command(&self, program: &str, arguments: &[&OsStr]) -> Command {
        let path = self.binaries.folder.join(program);
        let mut command = match self.binaries.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        };
        command.args(arguments);
        // The servers' user may not enter the directory the tests run in.
        command.current_dir(&self.folder);
        command
    }

    /// What the servers logged, to explain a failure.
    fn server_logs(&self) -> String {
        ["primary.log", "standby.log"]
            .iter()
            .filter_map(|name| {
                let text = std::fs::read_to_string(self.folder.join(name)).ok()?;
                Some(format!("--- {name} ---\n{text}"))
            })
            .collect()
    }
}

impl Drop for Clusters {
    fn drop(&mut self) {
        // Never panic here: this also runs while a failed test unwinds.
        if std::thread::panicking() {
            eprintln!("{}", self.server_logs());
        }
        for data in self.running.clone().iter().rev() {
            if let Err(error) = self.stop(data) {
                eprintln!("cannot stop the cluster in {}: {error}", data.display());
            }
        }
        if let Err(error) = std::fs::remove_dir_all(&self.folder) {
            eprintln!("cannot remove {}: {error}", self.folder.display());
        }
    }
}

/// Arguments without spaces in them, written as one line.
fn words(line: &str) -> Vec<&OsStr> {
    line.split(' ').map(OsStr::new).collect()
}

/// Two ports free on 127.0.0.1 now (asked of the kernel, both held at once so they differ).
fn free_ports() -> [u16; 2] {
    let listeners = [0, 1].map(|_| TcpListener::bind("127.0.0.1:0").expect("a free port"));
    listeners.map(|listener| listener.local_addr().expect("the port").port())
}

fn url(port: u16, name: &str) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/{name}?sslmode=disable")
}

fn connect(url: &str) -> PgConnection {
    PgConnection::establish(url).unwrap_or_else(|error| panic!("cannot connect to {url}: {error}"))
}

fn execute(url: &str, statements: &str) {
    connect(url)
        .batch_execute(statements)
        .unwrap_or_else(|error| panic!("`{statements}` failed on {url}: {error}"));
}

fn append(file: &Path, text: &str) {
    OpenOptions::new()
        .append(true)
        .open(file)
        .and_then(|mut file| file.write_all(text.as_bytes()))
        .unwrap_or_else(|error| panic!("cannot write {}: {error}", file.display()));
}
