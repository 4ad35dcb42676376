//! What a write transaction changes that the stored completeness of households reads
//! (`completeness`): the writes of enrollments, clients and HUD records note what they
//! change, and the transaction works those households out again before it commits; a
//! change of a program's project type or a grant's funding source forgets the answers of
//! every enrollment it applies to.

use std::cell::RefCell;
use std::collections::BTreeSet;

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, EnrollmentId, GrantId, HouseholdId, ProgramId};
use crate::rows::{GrantRow, OrganizationRow, ProgramRow, UserRow};
use crate::schema::{enrollment_completeness, enrollments};

/// What the current write transaction changed that completeness reads.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub households: BTreeSet<HouseholdId>,
    /// Households the transaction created: nobody else may write to them before it commits.
    pub new_households: BTreeSet<HouseholdId>,
    pub enrollments: BTreeSet<EnrollmentId>,
    pub clients: BTreeSet<ClientId>,
}

thread_local! {
    static TOUCHED: RefCell<Touched> = RefCell::default();
}

/// Notes that the write changes what a household's completeness reads (a member's
/// enrollment, exit or HUD records, who its members are).
pub(crate) fn touch_household(household_id: HouseholdId) {
    TOUCHED.with(|touched| touched.borrow_mut().households.insert(household_id));
}

/// Notes that the write creates a household (no other transaction sees it before this one
/// commits: working it out needs no lock).
pub(crate) fn created_household(household_id: HouseholdId) {
    TOUCHED.with(|touched| touched.borrow_mut().new_households.insert(household_id));
}

/// Notes that the write changes what an enrollment recorded (its HUD records), which its
/// household's completeness reads.
pub(crate) fn touch_enrollment(enrollment_id: EnrollmentId) {
    TOUCHED.with(|touched| touched.borrow_mut().enrollments.insert(enrollment_id));
}

/// Notes that the write changes a client's fields, which every household the client is a
/// member of reads.
pub(crate) fn touch_client(client_id: ClientId) {
    TOUCHED.with(|touched| touched.borrow_mut().clients.insert(client_id));
}

/// Forgets what was noted: a transaction begins, or rolled back.
pub(crate) fn forget() {
    TOUCHED.with(|touched| *touched.borrow_mut() = Touched::default());
}

/// What was noted, forgotten here: the households to work out again, the enrollments and
/// the clients whose households to work out again.
pub(crate) fn take() -> Touched {
    TOUCHED.with(|touched| std::mem::take(&mut *touched.borrow_mut()))
}

/// Forgets the stored completeness of every enrollment in a program (its project type
/// changed): each household is worked out when read, and stored again by
/// [`refresh_stale`].
fn forget_program(conn: &mut DbConnection, program_id: ProgramId) -> Result<(), StoreError> {
    let members = enrollments::table
        .filter(enrollments::program_id.eq(program_id))
        .select(enrollments::id);
    diesel::delete(
        enrollment_completeness::table
            .filter(enrollment_completeness::enrollment_id.eq_any(members)),
    )
    .execute(conn)?;
    Ok(())
}

/// Forgets the stored completeness of every enrollment under a grant (its funding source
/// changed), as [`forget_program`] does.
fn forget_grant(conn: &mut DbConnection, grant_id: GrantId) -> Result<(), StoreError> {
    let members = enrollments::table
        .filter(enrollments::grant_id.eq(grant_id))
        .select(enrollments::id);
    diesel::delete(
        enrollment_completeness::table
            .filter(enrollment_completeness::enrollment_id.eq_any(members)),
    )
    .execute(conn)?;
    Ok(())
}

/// Reference data completeness reads: a program's project type (HUD 2.02.6) and a grant's
/// funding source (HUD 2.06.1). A change of either forgets the stored answers of every
/// enrollment it applies to.
pub trait Read {
    fn changed(conn: &mut DbConnection, before: &Self, after: &Self) -> Result<(), StoreError>;
}

impl Read for ProgramRow {
    fn changed(conn: &mut DbConnection, before: &Self, after: &Self) -> Result<(), StoreError> {
        if before.project_type == after.project_type {
            return Ok(());
        }
        forget_program(conn, after.id)
    }
}

impl Read for GrantRow {
    fn changed(conn: &mut DbConnection, before: &Self, after: &Self) -> Result<(), StoreError> {
        if before.funder == after.funder {
            return Ok(());
        }
        forget_grant(conn, after.id)
    }
}

/// Organizations and users: nothing completeness reads.
impl Read for OrganizationRow {
    fn changed(_: &mut DbConnection, _: &Self, _: &Self) -> Result<(), StoreError> {
        Ok(())
    }
}

impl Read for UserRow {
    fn changed(_: &mut DbConnection, _: &Self, _: &Self) -> Result<(), StoreError> {
        Ok(())
    }
}
