//! Connections: one code path over SQLite and PostgreSQL, chosen by the database URL.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use crate::error::StoreError;

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// A SQLite file path (from `sqlite://path` or `sqlite:path`).
    Sqlite(String),
    /// A PostgreSQL URL, passed on as it is.
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<DatabaseUrl, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(without_tls_on_loopback(url)));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .ok_or_else(|| {
                StoreError::Config(format!(
                    "the database URL must start with sqlite:// or postgres://, not `{}`",
                    redact(url)
                ))
            })?;
        if path.is_empty() {
            return Err(StoreError::Config("the SQLite URL names no file".into()));
        }
        Ok(DatabaseUrl::Sqlite(path.to_owned()))
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    /// Opens one connection, reporting the real cause when it fails.
    pub fn connect(&self) -> Result<DbConnection, StoreError> {
        match self {
            DatabaseUrl::Postgres(url) => PgConnection::establish(url)
                .map(DbConnection::Postgresql)
                .map_err(|error| StoreError::Unavailable(error.to_string())),
            DatabaseUrl::Sqlite(path) => {
                if let Some(folder) = Path::new(path).parent() {
                    if !folder.as_os_str().is_empty() {
                        std::fs::create_dir_all(folder).map_err(|error| {
                            StoreError::Config(format!(
                                "cannot create the folder {}: {error}",
                                folder.display()
                            ))
                        })?;
                    }
                }
                let mut connection = SqliteConnection::establish(path)
                    .map_err(|error| StoreError::Unavailable(error.to_string()))?;
                // WAL lets readers go on while one writer writes; the busy timeout makes a
                // second writer wait its turn instead of failing at once.
                connection.batch_execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )?;
                Ok(DbConnection::Sqlite(connection))
            }
        }
    }
}

/// The URL, with `sslmode=disable` added when it names a database on this machine (a
/// loopback address or a Unix socket) and says nothing of TLS: libpq's default, `prefer`,
/// would encrypt traffic that never leaves the machine, which cost 9% of the CPU of an
/// export. A URL that sets `sslmode` keeps it; a remote host keeps libpq's default.
fn without_tls_on_loopback(url: &str) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let parameters: Vec<(&str, &str)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    if parameters.iter().any(|(name, _)| *name == "sslmode") {
        return url.to_owned();
    }
    let socket = parameters
        .iter()
        .any(|(name, value)| *name == "host" && value.starts_with('/'));
    let authority = base
        .split_once("://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
    let host_and_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host_and_port.strip_prefix('[') {
        Some(bracketed) => bracketed.split(']').next().unwrap_or(""),
        None => host_and_port.split(':').next().unwrap_or(""),
    };
    let local = socket
        || matches!(host, "" | "localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback());
    if !local {
        return url.to_owned();
    }
    let separator = if query.is_empty() { '?' } else { '&' };
    format!("{}{separator}sslmode=disable", url.trim_end_matches('?'))
}

/// A URL fit for logs: any password replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Hands r2d2 connections made by [`DatabaseUrl::connect`].
#[derive(Debug)]
pub struct ConnectionManager {
    url: DatabaseUrl,
    /// Until when (seconds since the epoch) connections are tested as they are taken from
    /// the pool: set when the database was found unreachable, so that once it is back every
    /// pooled connection it dropped is replaced instead of failing one more request.
    suspect_until: Arc<AtomicU64>,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = StoreError;

    fn connect(&self) -> Result<DbConnection, StoreError> {
        self.url.connect()
    }

    fn is_valid(&self, connection: &mut DbConnection) -> Result<(), StoreError> {
        if epoch_seconds() >= self.suspect_until.load(Ordering::Relaxed) {
            return Ok(());
        }
        connection
            .batch_execute("SELECT 1")
            .map_err(StoreError::from)
    }

    fn has_broken(&self, connection: &mut DbConnection) -> bool {
        <DbConnection as Connection>::TransactionManager::is_broken_transaction_manager(connection)
    }
}

const SUSPECT_SECONDS: u64 = 60;

fn epoch_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// The database: a pool of connections to one SQLite file or PostgreSQL database, and
/// optionally one to a PostgreSQL read replica for the reads that tolerate a little lag.
#[derive(Clone)]
pub struct Database {
    pool: Pool,
    sqlite: bool,
    suspect_until: Arc<AtomicU64>,
    replica: Option<Replica>,
}

/// A PostgreSQL streaming replica (a hot standby) of the primary database.
#[derive(Clone)]
struct Replica {
    pool: Pool,
    /// Until when (seconds since the epoch) lag-tolerant reads go to the primary without
    /// asking the replica: set when it gave no connection, so that an unreachable replica
    /// costs one wait of [`REPLICA_WAIT`] now and then, not one per read.
    skip_until: Arc<AtomicU64>,
    /// Whether lag-tolerant reads are going to the primary because the replica failed: the
    /// change is logged once each way, not at every read.
    falling_back: Arc<AtomicBool>,
}

/// How long a request waits for a connection of the primary's pool.
const CONNECT_WAIT: Duration = Duration::from_secs(5);
/// How long a lag-tolerant read waits for a replica connection before it goes to the
/// primary.
const REPLICA_WAIT: Duration = Duration::from_secs(1);
/// How long lag-tolerant reads leave a replica that gave no connection alone.
const REPLICA_RETRY_SECONDS: u64 = 10;

impl Database {
    /// Connects once first, so a bad URL or password fails now with its real message.
    pub fn connect(url: &str, pool_size: u32) -> Result<Database, StoreError> {
        let url = DatabaseUrl::parse(url)?;
        url.connect()?;
        let sqlite = url.is_sqlite();
        let suspect_until = Arc::new(AtomicU64::new(0));
        let pool = r2d2::Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(CONNECT_WAIT)
            .test_on_check_out(true)
            .build(ConnectionManager {
                url,
                suspect_until: suspect_until.clone(),
            })?;
        Ok(Database {
            pool,
            sqlite,
            suspect_until,
            replica: None,
        })
    }

    /// Adds a read replica at `url` (PostgreSQL only, of a PostgreSQL primary), with a pool
    /// of the primary's size. A replica that does not answer now is no error: lag-tolerant
    /// reads go to the primary until it does (see [`Database::get_lagging`]).
    pub fn with_replica(mut self, url: &str) -> Result<Database, StoreError> {
        let url = replica_url(self.sqlite, url)?;
        let pool = r2d2::Pool::builder()
            .max_size(self.max_size())
            // Connections are made when a read asks for one, and failures are logged once
            // here rather than by r2d2 at every attempt.
            .min_idle(Some(0))
            .connection_timeout(REPLICA_WAIT)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            // The replica restarts and fails over without the primary knowing: each
            // connection is tested (`SELECT 1`) as it is taken, a round trip that is nothing
            // beside the report or export that follows.
            .test_on_check_out(true)
            .build_unchecked(ConnectionManager {
                url,
                suspect_until: Arc::new(AtomicU64::new(u64::MAX)),
            });
        let replica = Replica {
            pool,
            skip_until: Arc::new(AtomicU64::new(0)),
            falling_back: Arc::new(AtomicBool::new(false)),
        };
        // Said at start, whether the replica answers or not; a first connection may take
        // longer than the later ones, as the primary's may.
        if let Err(error) = replica.pool.get_timeout(CONNECT_WAIT) {
            replica.fail(&error);
        }
        self.replica = Some(replica);
        Ok(self)
    }

    /// Whether lag-tolerant reads go to the replica now: one is configured and the last
    /// attempt got a connection (`None` without a replica).
    pub fn replica_answers(&self) -> Option<bool> {
        self.replica
            .as_ref()
            .map(|replica| !replica.falling_back.load(Ordering::Relaxed))
    }

    /// A connection for reads that tolerate a little lag and check no rule (the reports,
    /// the export, the audit trail): the replica's when one is configured and answers, the
    /// primary's otherwise. Never for a read that follows a write it must see.
    pub fn get_lagging(&self) -> Result<PooledConnection, StoreError> {
        match self.replica.as_ref().and_then(Replica::get) {
            Some(connection) => Ok(connection),
            None => self.get(),
        }
    }

    /// Notes that the database was unreachable: for the next minute every connection is
    /// tested (`SELECT 1`) before it is handed out, and replaced when it is dead. Otherwise
    /// connections are handed out untested, which saves a round trip per request.
    pub fn suspect(&self) {
        self.suspect_until
            .store(epoch_seconds() + SUSPECT_SECONDS, Ordering::Relaxed);
    }

    pub fn get(&self) -> Result<PooledConnection, StoreError> {
        self.pool.get().map_err(StoreError::from)
    }

    /// A connection only if one is idle in the pool now: never waits for one, and never
    /// while the database is suspect (when taking one means testing it first).
    pub fn try_get(&self) -> Option<PooledConnection> {
        if epoch_seconds() < self.suspect_until.load(Ordering::Relaxed) {
            return None;
        }
        self.pool.try_get()
    }

    pub fn is_sqlite(&self) -> bool {
        self.sqlite
    }

    /// Answers whether the database takes a query now.
    pub fn ping(&self) -> Result<(), StoreError> {
        let answered = self
            .get()
            .and_then(|mut connection| Ok(connection.batch_execute("SELECT 1")?));
        if let Err(StoreError::Unavailable(_)) = &answered {
            self.suspect();
        }
        answered
    }

    pub fn pool_state(&self) -> r2d2::State {
        self.pool.state()
    }

    /// The most connections the pool opens.
    pub fn max_size(&self) -> u32 {
        self.pool.max_size()
    }
}

impl Replica {
    /// A connection, or `None` when the replica gave none in time (or recently did not).
    fn get(&self) -> Option<PooledConnection> {
        if epoch_seconds() < self.skip_until.load(Ordering::Relaxed) {
            return None;
        }
        match self.pool.get() {
            Ok(connection) => {
                if self.falling_back.swap(false, Ordering::Relaxed) {
                    tracing::info!("the read replica answers again: lag-tolerant reads go to it");
                }
                Some(connection)
            }
            Err(error) => {
                self.fail(&error);
                None
            }
        }
    }

    fn fail(&self, error: &r2d2::Error) {
        self.skip_until
            .store(epoch_seconds() + REPLICA_RETRY_SECONDS, Ordering::Relaxed);
        if !self.falling_back.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                %error,
                "the read replica gave no connection: lag-tolerant reads go to the primary \
                 until it does"
            );
        }
    }
}

/// The replica's URL, checked: a replica is a PostgreSQL standby of a PostgreSQL primary.
fn replica_url(primary_is_sqlite: bool, url: &str) -> Result<DatabaseUrl, StoreError> {
    if primary_is_sqlite {
        return Err(StoreError::Config(
            "a read replica needs a PostgreSQL primary, and the database URL names SQLite".into(),
        ));
    }
    match DatabaseUrl::parse(url) {
        Ok(url @ DatabaseUrl::Postgres(_)) => Ok(url),
        _ => Err(StoreError::Config(format!(
            "the read replica URL must start with postgres://, not `{}`",
            redact(url)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_by_scheme() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/threshold.db").unwrap(),
            DatabaseUrl::Sqlite("data/threshold.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap(),
            DatabaseUrl::Sqlite("/tmp/x.db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn databases_on_this_machine_are_reached_without_tls() {
        let postgres = |url: &str| match DatabaseUrl::parse(url).unwrap() {
            DatabaseUrl::Postgres(url) => url,
            other => panic!("not PostgreSQL: {other:?}"),
        };
        for (given, used) in [
            (
                "postgres://postgres@127.0.0.1:5432/threshold",
                "postgres://postgres@127.0.0.1:5432/threshold?sslmode=disable",
            ),
            (
                "postgresql://u:p@localhost/db?application_name=x",
                "postgresql://u:p@localhost/db?application_name=x&sslmode=disable",
            ),
            (
                "postgres://[::1]:5433/db",
                "postgres://[::1]:5433/db?sslmode=disable",
            ),
            ("postgres:///db", "postgres:///db?sslmode=disable"),
            ("postgres://u@/db?", "postgres://u@/db?sslmode=disable"),
            (
                "postgres://u@x/db?host=/var/run/postgresql",
                "postgres://u@x/db?host=/var/run/postgresql&sslmode=disable",
            ),
            // What the URL says of TLS stands.
            (
                "postgres://u@127.0.0.1/db?sslmode=require",
                "postgres://u@127.0.0.1/db?sslmode=require",
            ),
            // Another machine keeps libpq's default.
            (
                "postgres://u@db.example.org/db",
                "postgres://u@db.example.org/db",
            ),
            (
                "postgres://u@127.0.0.2/db",
                "postgres://u@127.0.0.2/db?sslmode=disable",
            ),
            ("postgres://u@10.0.0.5/db", "postgres://u@10.0.0.5/db"),
            (
                "postgres://u@[2001:db8::1]/db",
                "postgres://u@[2001:db8::1]/db",
            ),
        ] {
            assert_eq!(postgres(given), used, "{given}");
        }
    }

    #[test]
    fn a_replica_is_postgresql_behind_postgresql() {
        let refused = |primary_is_sqlite, url| match replica_url(primary_is_sqlite, url) {
            Err(StoreError::Config(message)) => message,
            other => panic!("{url} was not refused: {other:?}"),
        };
        assert!(refused(true, "postgres://u@127.0.0.1/db").contains("PostgreSQL primary"));
        for url in [
            "sqlite://data/replica.db",
            "mysql://u@h/db",
            "",
            "u:secret@h/db",
        ] {
            assert!(
                refused(false, url).contains("must start with postgres://"),
                "{url}"
            );
        }
        assert!(!refused(false, "mysql://u:secret@h/db").contains("secret"));
        assert_eq!(
            replica_url(false, "postgresql://u@10.0.0.6/db").unwrap(),
            DatabaseUrl::Postgres("postgresql://u@10.0.0.6/db".into())
        );
        assert_eq!(
            replica_url(false, "postgres://u@127.0.0.1:5433/db").unwrap(),
            DatabaseUrl::Postgres("postgres://u@127.0.0.1:5433/db?sslmode=disable".into())
        );
    }

    #[test]
    fn a_sqlite_database_takes_no_replica() {
        let folder =
            std::env::temp_dir().join(format!("threshold-replica-{}", uuid::Uuid::now_v7()));
        let url = format!("sqlite://{}", folder.join("threshold.db").display());
        let refused = Database::connect(&url, 1)
            .unwrap()
            .with_replica("postgres://u@127.0.0.1:5433/db");
        std::fs::remove_dir_all(&folder).unwrap();
        assert!(matches!(refused, Err(StoreError::Config(_))));
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://user:secret@host/db"),
            "postgres://user:***@host/db"
        );
        assert_eq!(redact("postgres://user@host/db"), "postgres://user@host/db");
    }
}
