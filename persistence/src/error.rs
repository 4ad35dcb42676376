//! The one error type of the storage layer.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached, or no connection came free in time: retry later.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A concurrent transaction got in the way and retrying did not help: retry later.
    #[error("the database was too busy to complete the transaction")]
    Busy,
    /// A unique or foreign-key constraint refused the write.
    #[error("the write conflicts with stored data: {0}")]
    Constraint(String),
    #[error("database error: {0}")]
    Query(DieselError),
    #[error("bad database configuration: {0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migration(String),
    /// A file kept beside the database for a while (an import's archive, spooled to the
    /// temporary folder) could not be written or read.
    #[error("a temporary file could not be used: {0}")]
    TemporaryFile(String),
}

impl StoreError {
    /// Whether a serializable transaction should simply run again.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Busy)
    }
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match &error {
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                StoreError::Busy
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ForeignKeyViolation,
                info,
            ) => StoreError::Constraint(info.message().to_owned()),
            // A connection the server dropped answers either way: closed while a query ran,
            // or "no connection to the server" when the next query cannot even be sent.
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => StoreError::Unavailable(info.message().to_owned()),
            DieselError::DatabaseError(_, info) if is_lock_contention(info.message()) => {
                StoreError::Busy
            }
            _ => StoreError::Query(error),
        }
    }
}

/// SQLite reports a lock it waited on for the whole busy timeout as "database is locked";
/// PostgreSQL reports deadlocks by message only through diesel.
fn is_lock_contention(message: &str) -> bool {
    message.contains("database is locked")
        || message.contains("deadlock detected")
        || message.contains("could not serialize access")
        || message.contains("lock timeout")
}

impl From<r2d2::Error> for StoreError {
    fn from(error: r2d2::Error) -> Self {
        StoreError::Unavailable(error.to_string())
    }
}

impl StoreError {
    /// A stored value that does not hold what its column promises.
    pub fn corrupt(id: impl std::fmt::Display, error: impl std::fmt::Display) -> StoreError {
        StoreError::Config(format!("stored record {id} does not hold: {error}"))
    }
}
