//! A throwaway database per test: a SQLite file in a fresh temp folder, or a fresh
//! PostgreSQL database, removed when the test is done with it.

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use threshold_persistence::db::{redact, DatabaseUrl};
use uuid::Uuid;

use crate::Backend;

/// The server that hands out PostgreSQL test databases.
pub const POSTGRES_URL_VAR: &str = "THRESHOLD_TEST_POSTGRES_URL";
pub const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The admin URL PostgreSQL tests connect to in order to create and drop their databases.
pub fn postgres_admin_url() -> String {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|url| !url.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned())
}

/// A database that exists for as long as this value does.
#[derive(Debug)]
pub struct TestDatabase {
    url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    Folder(PathBuf),
    Database { admin_url: String, name: String },
}

impl TestDatabase {
    /// Makes an empty database. PostgreSQL being unreachable is a failure, never a skip:
    /// a suite that quietly tests one backend would hide the other's bugs.
    pub fn create(backend: Backend) -> TestDatabase {
        let unique = Uuid::now_v7().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let folder = std::env::temp_dir().join(format!("threshold-test-{unique}"));
                std::fs::create_dir_all(&folder).unwrap_or_else(|error| {
                    panic!(
                        "cannot create the test folder {}: {error}",
                        folder.display()
                    )
                });
                TestDatabase {
                    url: format!("sqlite://{}", folder.join("threshold.db").display()),
                    cleanup: Cleanup::Folder(folder),
                }
            }
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("threshold_test_{unique}");
                admin_execute(&admin_url, &format!("CREATE DATABASE \"{name}\""))
                    .unwrap_or_else(|error| panic!("{error}"));
                TestDatabase {
                    url: with_database_name(&admin_url, &name),
                    cleanup: Cleanup::Database { admin_url, name },
                }
            }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Never panic here: this also runs while a failed test unwinds.
        match &self.cleanup {
            Cleanup::Folder(folder) => {
                if let Err(error) = std::fs::remove_dir_all(folder) {
                    eprintln!("cannot remove {}: {error}", folder.display());
                }
            }
            Cleanup::Database { admin_url, name } => {
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                if let Err(error) = admin_execute(admin_url, &sql) {
                    eprintln!("cannot drop the test database {name}: {error}");
                }
            }
        }
    }
}

/// Runs one statement on the admin connection, explaining what to do when there is none.
pub fn admin_execute(admin_url: &str, sql: &str) -> Result<(), String> {
    let mut connection = DatabaseUrl::parse(admin_url)
        .and_then(|url| url.connect())
        .map_err(|error| {
            format!(
                "PostgreSQL is not reachable at {} ({}). PostgreSQL tests need a server: \
                 run `make test` (it starts the local cluster) or set {POSTGRES_URL_VAR} to \
                 the URL of one that lets this user create databases.",
                redact(admin_url),
                error.to_string().trim_end()
            )
        })?;
    connection
        .batch_execute(sql)
        .map_err(|error| format!("`{sql}` failed on {}: {error}", redact(admin_url)))
}

/// The same server and credentials as `url`, naming another database.
pub fn with_database_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |index| index + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database_name;

    #[test]
    fn swaps_the_database_name() {
        assert_eq!(
            with_database_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            with_database_name("postgresql://u:p@db", "t1"),
            "postgresql://u:p@db/t1"
        );
        assert_eq!(
            with_database_name("postgres://u@db/x?sslmode=disable", "t1"),
            "postgres://u@db/t1?sslmode=disable"
        );
    }
}
