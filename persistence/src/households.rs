//! Households: the enrollments of people who stay together.

use diesel::prelude::*;
use threshold_domain::household::Household;

use crate::audit;
use crate::db::DbConnection;
use crate::enrollments::{facts, household_members};
use crate::error::StoreError;
use crate::ids::HouseholdId;
use crate::privacy::Sight;
use crate::rows::HouseholdRow;
use crate::schema::households;

pub fn find(conn: &mut DbConnection, id: HouseholdId) -> Result<Option<HouseholdRow>, StoreError> {
    Ok(households::table.find(id).first(conn).optional()?)
}

pub fn insert(conn: &mut DbConnection, row: &HouseholdRow) -> Result<(), StoreError> {
    diesel::insert_into(households::table)
        .values(row)
        .execute(conn)?;
    crate::stale::created_household(row.id);
    audit::created(conn, row)
}

/// The household aggregate with every member's enrollment that is not deleted.
pub fn load(conn: &mut DbConnection, row: &HouseholdRow) -> Result<Household, StoreError> {
    let members = household_members(conn, &Sight::Everything, row.id)?;
    Ok(Household {
        id: row.id.uuid(),
        program_id: row.program_id.uuid(),
        members: members.iter().map(facts).collect::<Result<_, _>>()?,
    })
}
