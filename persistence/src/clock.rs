//! The change clock: every enrollment write takes the next instant from one row, inside its
//! transaction, so `updated_at` is unique and rises in the order writes commit. The change
//! feed can then resume from any `updated_at` without missing or repeating a change, even when
//! several changes fall in the same millisecond.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::schema::change_clock;

/// The later of `wanted` and one microsecond after the last instant handed out.
pub fn tick(conn: &mut DbConnection, wanted: NaiveDateTime) -> Result<NaiveDateTime, StoreError> {
    // Updating first takes the row's lock, so writers queue here rather than both reading
    // the same last instant.
    diesel::update(change_clock::table.find(1))
        .set(change_clock::last_at.eq(change_clock::last_at))
        .execute(conn)?;
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
