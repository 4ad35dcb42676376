//! The change clock: the instant every enrollment write stamps as its `updated_at`, no
//! earlier than the change feed may still see.
//!
//! On PostgreSQL a stamp is the database's clock (or the instant asked for, when later),
//! read after the transaction announced that it stamps (`locks::announce_changes`): the feed
//! stops short of the earliest announced instant of a running transaction, so it never
//! passes a change that is still to commit, and writers never wait for each other here. Two
//! writes may stamp the same microsecond; the feed orders them by ID.
//!
//! On SQLite writers take turns, and every stamp is the next instant of one row: unique, and
//! rising in the order writes commit.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use diesel::sql_types::Timestamp;
use threshold_domain::Date;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::locks;
use crate::schema::change_clock;

/// The later of `wanted` and the database's clock (PostgreSQL), or of `wanted` and one
/// microsecond after the last instant handed out (SQLite).
pub fn tick(conn: &mut DbConnection, wanted: NaiveDateTime) -> Result<NaiveDateTime, StoreError> {
    match conn {
        DbConnection::Postgresql(pg) => {
            locks::announce_changes(pg)?;
            let wanted = match locks::last_stamp() {
                Some(last) => wanted.max(last + TimeDelta::microseconds(1)),
                None => wanted,
            };
            let at = diesel::sql_query(
                "SELECT GREATEST($1, clock_timestamp() AT TIME ZONE 'UTC') AS last_at",
            )
            .bind::<Timestamp, _>(wanted)
            .get_result::<Clock>(pg)?
            .last_at;
            locks::stamped(at);
            Ok(at)
        }
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
/// first is [`tick`]'s, and on SQLite the clock moves on to the last of them. Returns the
/// first (`None` when `count` is 0).
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
    if !matches!(conn, DbConnection::Sqlite(_)) {
        locks::stamped(last);
        return Ok(Some(first));
    }
    diesel::update(change_clock::table.find(1))
        .set(change_clock::last_at.eq(last))
        .execute(conn)?;
    Ok(Some(first))
}

/// Today in UTC: the day every date rule compares with (no date a request gives may come
/// after it), and completeness is answered for.
pub fn today() -> Date {
    chrono::Utc::now().date_naive().into()
}
