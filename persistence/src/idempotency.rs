//! Stored answers to requests sent with an `Idempotency-Key`, written in the same
//! transaction as the request's own writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::idempotency_keys;

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    /// The `sub` of the caller: keys are the caller's own.
    pub caller: String,
    pub idempotency_key: String,
    /// A digest of the method, path, query and body.
    pub request_hash: String,
    pub status: i32,
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn find(
    conn: &mut DbConnection,
    caller: &str,
    key: &str,
) -> Result<Option<IdempotencyRow>, StoreError> {
    Ok(idempotency_keys::table
        .find((caller, key))
        .first(conn)
        .optional()?)
}

/// Stores an answer. A concurrent request that stored one for the same key first makes this
/// a retryable conflict: run again, the transaction finds that answer and replays it.
pub fn store(conn: &mut DbConnection, row: &IdempotencyRow) -> Result<(), StoreError> {
    match diesel::insert_into(idempotency_keys::table)
        .values(row)
        .execute(conn)
    {
        Ok(_) => Ok(()),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            Err(StoreError::Busy)
        }
        Err(error) => Err(error.into()),
    }
}

/// Forgets a key whose answer has expired.
pub fn forget(conn: &mut DbConnection, caller: &str, key: &str) -> Result<(), StoreError> {
    diesel::delete(idempotency_keys::table.find((caller, key))).execute(conn)?;
    Ok(())
}

/// Forgets every answer stored before `before`.
pub fn forget_older_than(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> Result<usize, StoreError> {
    Ok(
        diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
            .execute(conn)?,
    )
}
