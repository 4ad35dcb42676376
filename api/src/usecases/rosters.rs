//! A program's roster: its enrollments with their clients' names and households, for the
//! program's organization (every role) and admins.

use std::collections::BTreeMap;

use threshold_persistence::enrollments::EntryCursor;
use threshold_persistence::ids::HouseholdId;
use threshold_persistence::rosters::{self, RosterPage, RosterQuery};
use threshold_persistence::DbConnection;

use super::completeness::complete_households;
use super::visibility::visible_program;
use crate::auth::Caller;
use crate::error::ApiError;

/// A page of a roster, with whether each of its households is complete (the enrollment
/// read's `complete`).
#[derive(Debug, Clone)]
pub struct Roster {
    pub found: RosterPage,
    pub complete: BTreeMap<HouseholdId, bool>,
}

/// The page of the program's roster after `after`, with its households: 404 for a program
/// that does not exist or that belongs to another organization than the caller's. The
/// clients the caller may not see are left out of the page and of the households' heads,
/// counts and completeness.
pub fn roster(
    conn: &mut DbConnection,
    caller: &Caller,
    query: &RosterQuery,
    after: Option<&EntryCursor>,
    limit: i64,
) -> Result<Roster, ApiError> {
    visible_program(conn, caller, query.program_id)?;
    let sight = caller.sight();
    let found = rosters::page(conn, &sight, query, after, limit)?;
    // The page's read of its households' members brought their stored answers: only the
    // households one of those does not settle are asked of again.
    let mut complete: BTreeMap<HouseholdId, bool> = BTreeMap::new();
    let mut unsettled: Vec<HouseholdId> = Vec::new();
    for (household_id, household) in &found.households {
        match household.complete {
            Some(answer) => {
                complete.insert(*household_id, answer);
            }
            None => unsettled.push(*household_id),
        }
    }
    if !unsettled.is_empty() {
        complete.extend(complete_households(conn, &sight, &unsettled)?);
    }
    Ok(Roster { found, complete })
}
