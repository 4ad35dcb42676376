//! Write transactions: the one way a write reaches the database, with its rules' locks
//! (`locks`) and its runs again when the database was too busy.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::Connection;

use crate::completeness;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::locks;
use crate::stale;

/// Runs `work` in a transaction that checks a rule and writes. On SQLite an immediate
/// transaction: one writer at a time. On PostgreSQL the rules' reads are made safe by the
/// locks of what they read (`locks::hold`), taken as `work` goes, so that writes sharing no
/// scope run side by side. Run again from the start when the database was too busy (a lock
/// waited on too long, or one that had to be taken first, which the next attempt does).
pub fn write_transaction<T, E, F>(connection: &mut DbConnection, mut work: F) -> Result<T, E>
where
    F: FnMut(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError> + Retryable,
{
    const ATTEMPTS: u32 = 8;
    let mut attempt = 0;
    let mut plan = locks::Plan::default();
    loop {
        attempt += 1;
        begin_write(connection).map_err(E::from)?;
        stale::forget();
        let (running, taken) = locks::begin(connection, &plan);
        let outcome = taken
            .map_err(E::from)
            .and_then(|()| work(connection))
            .and_then(|value| {
                completeness::flush(connection).map_err(E::from)?;
                Ok(value)
            });
        plan = running.finish();
        let result = match outcome {
            Ok(value) => {
                match <DbConnection as Connection>::TransactionManager::commit_transaction(
                    connection,
                ) {
                    Ok(()) => return Ok(value),
                    Err(error) => {
                        let _ = rollback(connection);
                        E::from(StoreError::from(error))
                    }
                }
            }
            Err(error) => {
                stale::forget();
                rollback(connection).map_err(E::from)?;
                error
            }
        };
        if !(result.is_retryable() && attempt < ATTEMPTS) {
            return Err(result);
        }
        std::thread::sleep(Duration::from_millis(u64::from(attempt * attempt)));
    }
}

/// Errors that say whether running the transaction again may succeed.
pub trait Retryable {
    fn is_retryable(&self) -> bool;
}

impl Retryable for StoreError {
    fn is_retryable(&self) -> bool {
        StoreError::is_retryable(self)
    }
}

fn begin_write(connection: &mut DbConnection) -> Result<(), StoreError> {
    match connection {
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?
        }
        DbConnection::Postgresql(pg) => {
            AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN")?;
            // A scope's lock waited on longer than this is a busy database: the transaction
            // runs again, and in the end the request answers 503.
            pg.batch_execute(&format!(
                "SET LOCAL lock_timeout = '10s'; {}",
                locks::writer_lock_statement()
            ))?;
        }
    }
    Ok(())
}

fn rollback(connection: &mut DbConnection) -> Result<(), StoreError> {
    if <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(connection)
        .transaction_depth()
        .ok()
        .flatten()
        .is_some()
    {
        <DbConnection as Connection>::TransactionManager::rollback_transaction(connection)?;
    }
    Ok(())
}
