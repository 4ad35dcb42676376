//! Schema migrations, one tree per backend, embedded in the binary.

use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::db::{DatabaseUrl, DbConnection};
use crate::error::StoreError;

pub const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// An arbitrary constant naming Threshold's migration lock among PostgreSQL advisory locks.
const MIGRATION_LOCK: i64 = 0x7468_7265_7368;

/// Runs every pending migration and returns the versions it applied. On PostgreSQL an
/// advisory lock makes several servers starting at once migrate one after another.
pub fn run_pending(url: &str) -> Result<Vec<String>, StoreError> {
    let mut connection = DatabaseUrl::parse(url)?.connect()?;
    let locked = matches!(connection, DbConnection::Postgresql(_));
    if locked {
        connection.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
    }
    let result = apply(&mut connection);
    if locked {
        connection.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
    }
    result
}

fn apply(connection: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    let source = match connection {
        DbConnection::Sqlite(_) => SQLITE,
        DbConnection::Postgresql(_) => POSTGRES,
    };
    let applied = match connection {
        DbConnection::Sqlite(sqlite) => sqlite.run_pending_migrations(source),
        DbConnection::Postgresql(pg) => pg.run_pending_migrations(source),
    }
    .map_err(|error| StoreError::Migration(error.to_string()))?;
    Ok(applied.iter().map(ToString::to_string).collect())
}

/// Reverts every applied migration, newest first (for the migration round-trip test).
pub fn revert_all(url: &str) -> Result<usize, StoreError> {
    let mut connection = DatabaseUrl::parse(url)?.connect()?;
    let reverted = match &mut connection {
        DbConnection::Sqlite(sqlite) => sqlite.revert_all_migrations(SQLITE),
        DbConnection::Postgresql(pg) => pg.revert_all_migrations(POSTGRES),
    }
    .map_err(|error| StoreError::Migration(error.to_string()))?;
    Ok(reverted.len())
}

/// Reverts the newest applied migration and returns its version (for the tests that seed a
/// database at the migration before the newest one).
pub fn revert_last(url: &str) -> Result<String, StoreError> {
    let mut connection = DatabaseUrl::parse(url)?.connect()?;
    let reverted = match &mut connection {
        DbConnection::Sqlite(sqlite) => sqlite.revert_last_migration(SQLITE),
        DbConnection::Postgresql(pg) => pg.revert_last_migration(POSTGRES),
    }
    .map_err(|error| StoreError::Migration(error.to_string()))?;
    Ok(reverted.to_string())
}
