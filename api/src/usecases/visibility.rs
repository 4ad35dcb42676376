//! Which records a caller may see: one rule, applied wherever a record is looked up. A
//! client's records are seen only by those who may see the client (`privacy::Sight`), and
//! then an enrollment only by its program's organization.

use threshold_persistence::completeness::{self, HouseholdAnswer};
use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use threshold_persistence::privacy::Sight;
use threshold_persistence::reference::program;
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow, ProgramRow};
use threshold_persistence::{enrollments, households, DbConnection};

use super::scopes;
use crate::auth::Caller;
use crate::error::ApiError;

/// Whether the caller may see the client at a path: a 404 otherwise, exactly as for a client
/// that does not exist. (An admin sees every client; whether the client exists is then the
/// lookup of what is under it to say.)
pub fn visible_client(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
) -> Result<(), ApiError> {
    match caller.sight() {
        Sight::Everything => Ok(()),
        sight if sight.sees(conn, client_id)? => Ok(()),
        _ => Err(ApiError::NotFound),
    }
}

/// The enrollment at a client's path, if the caller may see the client and the enrollment.
pub fn visible_enrollment(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
    enrollment_id: EnrollmentId,
) -> Result<EnrollmentRow, ApiError> {
    let scope = caller.scope();
    let find = |conn: &mut DbConnection| -> Result<_, ApiError> {
        enrollments::find_with_organization(conn, scope, enrollment_id)?
            .filter(|(row, _)| row.client_id == client_id)
            .ok_or(ApiError::NotFound)
    };
    let (row, organization_id) = find(conn)?;
    visible_client(conn, caller, client_id)?;
    // In a write: what the enrollment's rules read is locked, and the row read again.
    if scopes::enrollment(conn, &row, organization_id)? {
        return Ok(find(conn)?.0);
    }
    Ok(row)
}

/// The enrollment at a client's path as a read shows it (not in a write), if the caller may
/// see the client and the enrollment, with what its household's stored completeness says
/// today: one statement for an admin.
pub fn readable_enrollment(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: ClientId,
    enrollment_id: EnrollmentId,
) -> Result<(EnrollmentRow, HouseholdAnswer), ApiError> {
    let day = completeness::today().into();
    let (row, _, answer) =
        completeness::find_with_answer(conn, caller.scope(), enrollment_id, day)?
            .filter(|(row, ..)| row.client_id == client_id)
            .ok_or(ApiError::NotFound)?;
    visible_client(conn, caller, client_id)?;
    Ok((row, answer))
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
    let Some(owner) = program::find(conn, row.program_id)? else {
        return Ok(None);
    };
    if !caller.sees(owner.organization_id) {
        return Ok(None);
    }
    // In a write: the household is locked (its program never changes).
    scopes::household(conn, household_id, owner.organization_id)?;
    Ok(Some(row))
}

/// The program whose enrollments the caller may read (its roster): any for an admin, its own
/// organization's for everyone else. Another organization's program is a 404, as its
/// households and enrollments are, though the program itself is public reference data.
pub fn visible_program(
    conn: &mut DbConnection,
    caller: &Caller,
    program_id: ProgramId,
) -> Result<ProgramRow, ApiError> {
    program::find(conn, program_id)?
        .filter(|row| caller.sees(row.organization_id))
        .ok_or(ApiError::NotFound)
}
