//! What each write locks before its rules read, in one place (the locks themselves:
//! `threshold_persistence::locks`). Outside a write transaction (a read) nothing is locked.
//!
//! - A write to an enrollment, or to a record under it, locks the enrollment's organization
//!   (shared: only an HMIS import into it, which locks it exclusively, waits), its household
//!   (one head, members inside the head's stay, move-in) and its client (the client's stays
//!   in a program do not overlap; records and assessments stay inside their enrollment).
//! - A new enrollment locks the same, and its program when the program has a capacity (its
//!   active enrollments are counted).
//! - A write to a client, or to one of the client's assessments, locks the client and,
//!   shared, every organization serving the client.
//! - A write to a household's members locks each member's client too.
//! - A change to reference data locks its organization, shared.
//! - A change to a program's CoCs, inventories, participations or affiliations locks its
//!   organization, shared, and the program: the rules read its CoCs and inventories together.

use threshold_persistence::ids::{ClientId, HouseholdId, OrganizationId, ProgramId};
use threshold_persistence::locks::{hold_all, Mode, Scope};
use threshold_persistence::rows::{EnrollmentRow, ProgramRow};
use threshold_persistence::{clients, reference, DbConnection, StoreError};

use crate::error::ApiError;

/// Locks what a write to this enrollment reads. Answers whether a lock was waited for: what
/// was read of the enrollment before must then be read again.
pub fn enrollment(
    conn: &mut DbConnection,
    row: &EnrollmentRow,
    organization_id: OrganizationId,
) -> Result<bool, ApiError> {
    Ok(hold_all(
        conn,
        [
            (Scope::Organization(organization_id), Mode::Shared),
            (Scope::Household(row.household_id), Mode::Exclusive),
            (Scope::Client(row.client_id), Mode::Exclusive),
        ],
    )?)
}

/// Locks what a new enrollment of `client_id` in `program` reads, in a new household or the
/// one it joins. Answers whether a lock was waited for.
pub fn new_enrollment(
    conn: &mut DbConnection,
    program: &ProgramRow,
    household_id: Option<HouseholdId>,
    client_id: ClientId,
) -> Result<bool, ApiError> {
    let counted = program
        .capacity
        .map(|_| (Scope::Program(program.id), Mode::Exclusive));
    Ok(hold_all(
        conn,
        [
            Some((Scope::Organization(program.organization_id), Mode::Shared)),
            counted,
            household_id.map(|id| (Scope::Household(id), Mode::Exclusive)),
            Some((Scope::Client(client_id), Mode::Exclusive)),
        ]
        .into_iter()
        .flatten(),
    )?)
}

/// Locks a program whose active enrollments a write adds to, when it has a capacity.
pub fn counted_program(
    conn: &mut DbConnection,
    program_id: ProgramId,
    capacity: Option<i32>,
) -> Result<(), ApiError> {
    if capacity.is_some() {
        hold_all(conn, [(Scope::Program(program_id), Mode::Exclusive)])?;
    }
    Ok(())
}

/// Locks a household and its organization. Answers whether a lock was waited for.
pub fn household(
    conn: &mut DbConnection,
    household_id: HouseholdId,
    organization_id: OrganizationId,
) -> Result<bool, ApiError> {
    Ok(hold_all(
        conn,
        [
            (Scope::Organization(organization_id), Mode::Shared),
            (Scope::Household(household_id), Mode::Exclusive),
        ],
    )?)
}

/// Locks the clients of a household's members, whose enrollments a write changes.
pub fn members(conn: &mut DbConnection, members: &[EnrollmentRow]) -> Result<(), ApiError> {
    hold_all(
        conn,
        members
            .iter()
            .map(|member| (Scope::Client(member.client_id), Mode::Exclusive)),
    )?;
    Ok(())
}

/// Locks a client and, shared, the organizations serving the client.
pub fn client(conn: &mut DbConnection, client_id: ClientId) -> Result<(), ApiError> {
    let serving = clients::organizations_serving(conn, client_id)?;
    hold_all(
        conn,
        serving
            .into_iter()
            .map(|id| (Scope::Organization(id), Mode::Shared))
            .chain([(Scope::Client(client_id), Mode::Exclusive)]),
    )?;
    Ok(())
}

/// Locks, shared, the organization whose reference data (the organization, a program, a
/// grant, a user) a write changes: an import into it writes the same rows. Answers whether a
/// lock was waited for.
pub fn reference_data(
    conn: &mut DbConnection,
    organization_id: Option<OrganizationId>,
) -> Result<bool, ApiError> {
    Ok(hold_all(
        conn,
        organization_id.map(|id| (Scope::Organization(id), Mode::Shared)),
    )?)
}

/// Locks a program whose CoCs, inventories, participations or affiliations a write changes,
/// and its organization, shared (404 for no such program). Answers whether a lock was waited
/// for.
pub fn program_descriptors(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<bool, ApiError> {
    let program = reference::program::find(conn, program_id)?.ok_or(ApiError::NotFound)?;
    Ok(hold_all(
        conn,
        [
            (Scope::Organization(program.organization_id), Mode::Shared),
            (Scope::Program(program_id), Mode::Exclusive),
        ],
    )?)
}

/// Locks an organization for an HMIS import into it: every write into the organization
/// waits until the import is written or refused, and no other.
pub fn import(conn: &mut DbConnection, organization_id: OrganizationId) -> Result<(), StoreError> {
    hold_all(
        conn,
        [(Scope::Organization(organization_id), Mode::Exclusive)],
    )?;
    Ok(())
}
