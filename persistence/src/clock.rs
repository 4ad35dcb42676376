//! The change clock: every enrollment write takes the next instant from one row, inside its
//! transaction, so `updated_at` is unique and rises in the order writes commit. The change
//! feed can then resume from any `updated_at` without missing or repeating a change, even when
//! several changes fall in the same millisecond.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use diesel::sql_types::Timestamp;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::change_clock;

/// The later of `wanted` and one microsecond after the last instant handed out.
pub fn tick(conn: &mut DbConnection, wanted: NaiveDateTime) -> Result<NaiveDateTime, StoreError> {
    match conn {
        // One statement: the update takes the row's lock, so writers queue on it rather than
        // both reading the same last instant, and answers the instant it stored.
        DbConnection::Postgresql(pg) => Ok(diesel::sql_query(
            "UPDATE change_clock SET last_at = GREATEST(last_at + INTERVAL '1 microsecond', $1) \
             WHERE id = 1 RETURNING last_at",
        )
        .bind::<Timestamp, _>(wanted)
        .get_result::<Clock>(pg)?
        .last_at),
        // A SQLite write transaction holds the whole database (`BEGIN IMMEDIATE`), and SQLite
        // stores instants as text, which it cannot add a microsecond to.
        DbConnection::Sqlite(_) => {
            let last: NaiveDateTime = change_clock::table
                .find(1)
                .select(change_clock::last_at)
                .first(conn)?;
            let at = wanted.max(last + TimeDelta::microseconds(1));
            diesel::update(change_clock::table.find(1))
                .set(change_clock::last_at.eq(at))
                .execute(conn)?;
            Ok(at)
        }
    }
}

#[derive(QueryableByName)]
struct Clock {
    #[diesel(sql_type = Timestamp)]
    last_at: NaiveDateTime,
}

/// Takes `count` consecutive instants at once, one microsecond apart, for a bulk write: the
/// first is the later of `wanted` and one microsecond after the last instant handed out, and
/// the clock moves on to the last of them. Returns the first (`None` when `count` is 0).
pub fn reserve(
    conn: &mut DbConnection,
    wanted: NaiveDateTime,
    count: usize,
) -> Result<Option<NaiveDateTime>, StoreError> {
    if count == 0 {
        return Ok(None);
    }
    let first = tick(conn, wanted)?;
    let span = i64::try_from(count - 1).unwrap_or(i64::MAX);
    let last = first + TimeDelta::microseconds(span);
    diesel::update(change_clock::table.find(1))
        .set(change_clock::last_at.eq(last))
        .execute(conn)?;
    Ok(Some(first))
}
