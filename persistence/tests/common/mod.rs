//! What the persistence tests share: a database of their own on each backend, removed
//! afterwards.

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use threshold_persistence::db::{redact, DatabaseUrl};
use uuid::Uuid;

const POSTGRES_URL_VAR: &str = "THRESHOLD_TEST_POSTGRES_URL";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A SQLite file in a folder of its own, removed afterwards.
pub struct SqliteFile {
    folder: PathBuf,
}

impl SqliteFile {
    pub fn new() -> SqliteFile {
        let folder =
            std::env::temp_dir().join(format!("threshold-persistence-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&folder).expect("a temp folder");
        SqliteFile { folder }
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}", self.folder.join("threshold.db").display())
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// A PostgreSQL database of its own, dropped afterwards. An unreachable server fails the
/// test: skipping would leave the PostgreSQL tree untested without anyone noticing.
pub struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl PostgresDatabase {
    pub fn new() -> PostgresDatabase {
        let admin_url = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned());
        let name = format!("threshold_test_{}", Uuid::now_v7().simple());
        admin_execute(&admin_url, &format!("CREATE DATABASE \"{name}\""));
        PostgresDatabase { admin_url, name }
    }

    pub fn url(&self) -> String {
        let (base, query) = match self.admin_url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (self.admin_url.as_str(), String::new()),
        };
        let authority = base.find("://").map_or(0, |index| index + 3);
        let server = match base[authority..].find('/') {
            Some(slash) => &base[..authority + slash],
            None => base,
        };
        format!("{server}/{}{query}", self.name)
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Ok(mut connection) = DatabaseUrl::parse(&self.admin_url).and_then(|u| u.connect()) {
            if let Err(error) = connection.batch_execute(&sql) {
                eprintln!("cannot drop {}: {error}", self.name);
            }
        }
    }
}

fn admin_execute(admin_url: &str, sql: &str) {
    let mut connection = DatabaseUrl::parse(admin_url)
        .and_then(|url| url.connect())
        .unwrap_or_else(|error| {
            panic!(
                "PostgreSQL is not reachable at {} ({}). Run `make test` (it starts the local \
                 cluster) or set {POSTGRES_URL_VAR} to a server where this user may create \
                 databases.",
                redact(admin_url),
                error.to_string().trim_end()
            )
        });
    connection
        .batch_execute(sql)
        .unwrap_or_else(|error| panic!("`{sql}` failed: {error}"));
}
