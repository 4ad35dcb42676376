//! Households: reading one with its members, and changing its head.

use threshold_domain::codes::RelationshipToHoh;
use threshold_domain::Date;
use threshold_persistence::ids::{EnrollmentId, HouseholdId};
use threshold_persistence::privacy::Sight;
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow, Stamped};
use threshold_persistence::{audit, enrollments, households, DbConnection};

use super::scopes;
use super::visibility::visible_household;
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;

/// A household and its members' enrollments that are not deleted, earliest entry first.
#[derive(Debug, Clone)]
pub struct HouseholdNow {
    pub household: HouseholdRow,
    pub members: Vec<EnrollmentRow>,
}

/// A household the caller may see, with its members; 404 otherwise.
pub fn household(
    conn: &mut DbConnection,
    caller: &Caller,
    household_id: HouseholdId,
) -> Result<HouseholdNow, ApiError> {
    let household = visible_household(conn, caller, household_id)?.ok_or(ApiError::NotFound)?;
    // A member whose client the caller may not see (sealed by a victim service provider
    // serving them too) is left out.
    let members = enrollments::household_members(conn, &caller.sight(), household.id)?;
    Ok(HouseholdNow { household, members })
}

/// Another active member to become the head of household.
#[derive(Debug, Clone)]
pub struct ChangeHead {
    pub household_id: HouseholdId,
    /// The enrollment of the member who becomes the head.
    pub enrollment_id: EnrollmentId,
    /// The old head's relationship to the new head.
    pub previous_head_relationship: RelationshipToHoh,
    pub dry_run: bool,
}

/// Makes another active member the head: the old head takes `previous_head_relationship`,
/// and a move-in date moves to the new head.
pub fn change_head(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &ChangeHead,
) -> Result<HouseholdNow, ApiError> {
    let household_row =
        visible_household(conn, caller, input.household_id)?.ok_or(ApiError::NotFound)?;
    let household = households::load(conn, &household_row)?;
    let mut members = enrollments::household_members(conn, &Sight::Everything, household_row.id)?;
    scopes::members(conn, &members)?;
    let candidate = household
        .member(input.enrollment_id.uuid())
        .ok_or_else(|| {
            ApiError::unknown_reference("enrollment_id", "not a member of this household")
        })?;
    let change = household.change_head(candidate, input.previous_head_relationship)?;
    let at = now();
    for member in members.iter_mut() {
        let id = member.id.uuid();
        if id == change.new_head && !candidate.is_head() {
            member.relationship_to_hoh = RelationshipToHoh::SELF_HEAD.code();
            member.move_in_date = change.new_head_move_in.map(Date::naive);
        } else if Some(id) == change.old_head {
            member.relationship_to_hoh = change.previous_head_relationship.code();
            member.move_in_date = None;
        } else {
            continue;
        }
        member.stamp(at, &caller.sub);
        if !input.dry_run {
            enrollments::update(conn, member)?;
        }
    }
    if !input.dry_run && change.old_head != Some(change.new_head) {
        audit::head_changed(
            conn,
            &household_row,
            change.old_head.map(EnrollmentId::from_uuid),
            EnrollmentId::from_uuid(change.new_head),
            &members,
            at,
            &caller.sub,
        )?;
    }
    Ok(HouseholdNow {
        household: household_row,
        members,
    })
}
