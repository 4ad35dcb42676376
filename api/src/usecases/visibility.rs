//! Which records a caller may see: one rule, applied wherever a record is looked up.

use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId};
use threshold_persistence::reference::program;
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow};
use threshold_persistence::{enrollments, households, DbConnection};

use crate::auth::Caller;
use crate::error::ApiError;

/// The enrollment at a client's path, if the caller may see it.
pub fn visible_enrollment(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
    enrollment_id: EnrollmentId,
) -> Result<EnrollmentRow, ApiError> {
    let scope = caller.scope();
    enrollments::find(conn, scope, enrollment_id)?
        .filter(|row| row.client_id == client_id)
        .ok_or(ApiError::NotFound)
}

/// The household with this ID, if its program belongs to an organization the caller may
/// see; whether that is a 404 or a bad reference in a body is the caller's to say.
pub fn visible_household(
    conn: &mut DbConnection,
    caller: &Caller,
    household_id: HouseholdId,
) -> Result<Option<HouseholdRow>, ApiError> {
    let Some(row) = households::find(conn, household_id)? else {
        return Ok(None);
    };
    let owner = program::find(conn, row.program_id)?;
    Ok(owner
        .filter(|owner| caller.sees(owner.organization_id))
        .map(|_| row))
}
