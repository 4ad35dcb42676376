//! A program's roster: its enrollments with their clients' names and households, for the
//! program's organization (every role) and admins.

use threshold_persistence::enrollments::EntryCursor;
use threshold_persistence::rosters::{self, RosterPage, RosterQuery};
use threshold_persistence::DbConnection;

use super::visibility::visible_program;
use crate::auth::Caller;
use crate::error::ApiError;

/// The page of the program's roster after `after`, with its households: 404 for a program
/// that does not exist or that belongs to another organization than the caller's. The
/// clients the caller may not see are left out of the page and of the households' heads and
/// counts.
pub fn roster(
    conn: &mut DbConnection,
    caller: &Caller,
    query: &RosterQuery,
    after: Option<&EntryCursor>,
    limit: i64,
) -> Result<RosterPage, ApiError> {
    visible_program(conn, caller, query.program_id)?;
    Ok(rosters::page(conn, &caller.sight(), query, after, limit)?)
}
