//! Changing an enrollment and deleting one; and the references every enrollment write
//! checks: its program, grant and case manager.

use threshold_domain::codes::{
    LengthOfStay, NoYesMissing, PriorLivingSituation, RelationshipToHoh,
};
use threshold_domain::enrollment::{self, CocCode, EditContext, EnrollmentFacts, GrantFacts};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_fields::FieldChanges;
use threshold_domain::hud_records::check_household_records_stay;
use threshold_domain::lifecycle::check_delete;
use threshold_domain::records::check_dependents;
use threshold_domain::{Date, Violations};
use threshold_persistence::ids::{EnrollmentId, GrantId, OrganizationId, ProgramId, UserId};
use threshold_persistence::privacy::Sight;
use threshold_persistence::reference::{grant, grant_facts, program, program_facts, user};
use threshold_persistence::rows::StoredFlags;
use threshold_persistence::rows::{EnrollmentRow, ProgramRow, Stamped};
use threshold_persistence::{clients, enrollments, records, DbConnection};

use super::hud_fields;
use super::hud_records;
use super::visibility::visible_enrollment;
use super::{Change, EnrollmentKey, Versioned};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;

/// The program an enrollment is in, which the caller must be allowed to write to.
pub(super) fn writable_program(
    conn: &mut DbConnection,
    caller: &Caller,
    program_id: ProgramId,
) -> Result<ProgramRow, ApiError> {
    let row = program::find(conn, program_id)?
        .ok_or_else(|| ApiError::unknown_reference("program_id", "no such program"))?;
    if !caller.sees(row.organization_id) {
        return Err(ApiError::Forbidden);
    }
    Ok(row)
}

/// The grant an enrollment names, as the rules see it.
pub(super) fn grant_of(
    conn: &mut DbConnection,
    grant_id: Option<GrantId>,
) -> Result<Option<GrantFacts>, ApiError> {
    let Some(grant_id) = grant_id else {
        return Ok(None);
    };
    let row = grant::find(conn, grant_id)?
        .ok_or_else(|| ApiError::unknown_reference("grant_id", "no such grant"))?;
    Ok(Some(grant_facts(&row)?))
}

/// A case manager must be staff of the program's organization.
pub(super) fn check_case_manager(
    conn: &mut DbConnection,
    case_manager_id: Option<UserId>,
    organization_id: OrganizationId,
) -> Result<(), ApiError> {
    if let Some(case_manager_id) = case_manager_id {
        let found =
            user::find(conn, case_manager_id)?.filter(|row| row.organization_id == organization_id);
        if found.is_none() {
            return Err(ApiError::unknown_reference(
                "case_manager_id",
                "no such user in the program's organization",
            ));
        }
    }
    Ok(())
}

/// A change to an enrollment; the program, client and household stay.
pub type EditEnrollment = Versioned<EnrollmentKey, EnrollmentChange>;

/// The fields a change to an enrollment sets or clears.
#[derive(Debug, Clone)]
pub struct EnrollmentChange {
    /// `None` keeps the entry date (it cannot be cleared).
    pub entry_date: Option<Date>,
    /// `None` keeps the relationship (it cannot be cleared).
    pub relationship: Option<RelationshipToHoh>,
    pub grant_id: Change<GrantId>,
    pub case_manager_id: Change<UserId>,
    pub enrollment_coc: Change<CocCode>,
    pub disabling_condition: Change<NoYesMissing>,
    pub prior_living_situation: Change<PriorLivingSituation>,
    pub length_of_stay: Change<LengthOfStay>,
    pub move_in_date: Change<Date>,
    /// Enrollment.csv's other columns; `None` clears one.
    pub hud: FieldChanges,
}

impl EnrollmentChange {
    /// The enrollment with the change applied.
    fn applied_to(&self, current: &EnrollmentRow) -> EnrollmentRow {
        let mut next = current.clone();
        if let Some(entry_date) = self.entry_date {
            next.entry_date = entry_date.naive();
        }
        if let Some(relationship) = self.relationship {
            next.relationship_to_hoh = relationship.code();
        }
        next.grant_id = self.grant_id.clone().apply(current.grant_id);
        next.case_manager_id = self.case_manager_id.clone().apply(current.case_manager_id);
        next.enrollment_coc = self
            .enrollment_coc
            .clone()
            .apply_with(current.enrollment_coc.clone(), |coc| {
                coc.as_str().to_owned()
            });
        next.disabling_condition = self
            .disabling_condition
            .clone()
            .apply_with(current.disabling_condition, NoYesMissing::code);
        next.prior_living_situation = self
            .prior_living_situation
            .clone()
            .apply_with(current.prior_living_situation, PriorLivingSituation::code);
        next.length_of_stay = self
            .length_of_stay
            .clone()
            .apply_with(current.length_of_stay, LengthOfStay::code);
        next.move_in_date = self
            .move_in_date
            .clone()
            .apply_with(current.move_in_date, Date::naive);
        next
    }
}

/// Changes an enrollment; every rule the changed fields touch is checked again, and the
/// records of the enrollment must stay inside a moved entry date, HUD's records dated as
/// their stages ask (a project-start record keeps the entry date from moving; a head's move
/// keeps the members' annual assessments near its anniversaries).
pub fn edit(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &EditEnrollment,
) -> Result<EnrollmentRow, ApiError> {
    let key = input.target;
    let current = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    input.expected.check(current.version)?;
    let mut next = input.change.applied_to(&current);
    next.hud = hud_fields::apply(
        Resource::Enrollment,
        &current.hud,
        &input.change.hud,
        Some(&hud_fields::enrollment_own(&current)),
        &hud_fields::enrollment_own(&next),
    )?;
    let program = program::find(conn, current.program_id)?
        .ok_or_else(|| ApiError::Internal("enrollment without program".into()))?;
    let grant_changed = next.grant_id != current.grant_id;
    let grant = grant_of(conn, next.grant_id)?;
    if next.case_manager_id != current.case_manager_id {
        check_case_manager(conn, next.case_manager_id, program.organization_id)?;
    }
    let client = clients::find(conn, &caller.sight(), current.client_id)?;
    let others: Vec<_> =
        enrollments::client_facts_in_program(conn, current.client_id, current.program_id)?
            .into_iter()
            .filter(|other| other.id != current.id.uuid())
            .collect();
    let household_others = household_others(conn, &current)?;
    let current_facts = enrollments::facts(&current)?;
    let next_facts = enrollments::facts(&next)?;
    let edited = enrollment::edit(
        &current_facts,
        &next_facts,
        &EditContext {
            program: &program_facts(&program)?,
            grant: grant.as_ref(),
            grant_changed,
            client_dob: client.and_then(|client| client.dob).map(Into::into),
            client_enrollments_in_program: &others,
            household_others: &household_others,
        },
    );
    // Records are moved by nothing: a moved entry date keeps them inside the stay, and
    // dated as their stages ask (a project-start record on the entry date).
    let (dependents, stages) = if next.entry_date == current.entry_date {
        (Ok(()), Ok(()))
    } else {
        let mut household: Vec<EnrollmentId> = vec![current.id];
        household.extend(
            household_others
                .iter()
                .map(|other| EnrollmentId::from(other.id)),
        );
        (
            check_dependents(&next_facts.period, &records::dependents(conn, current.id)?),
            check_household_records_stay(
                &current_facts,
                &next_facts,
                &household_others,
                &hud_records::household_stages(conn, &household)?,
            ),
        )
    };
    // An imported enrollment's flags: the write may leave a flagged rule broken, never
    // break another; a flag about a field the write mends is cleared.
    let changed = |field: &str| match field {
        "entry_date" => next.entry_date != current.entry_date,
        "relationship_to_hoh" => next.relationship_to_hoh != current.relationship_to_hoh,
        "move_in_date" => next.move_in_date != current.move_in_date,
        "grant_id" => next.grant_id != current.grant_id,
        _ => false,
    };
    let flags = current
        .flags
        .0
        .after_write(changed, Violations::merge([edited, dependents, stages]))?;
    next.flags = StoredFlags(flags);
    next.stamp(now(), &caller.sub);
    if !input.dry_run {
        enrollments::update(conn, &mut next)?;
    }
    Ok(next)
}

/// The other members (not deleted) of an enrollment's household, as the rules see them.
pub(super) fn household_others(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
) -> Result<Vec<EnrollmentFacts>, ApiError> {
    Ok(
        enrollments::household_members(conn, &Sight::Everything, enrollment.household_id)?
            .iter()
            .filter(|member| member.id != enrollment.id)
            .map(enrollments::facts)
            .collect::<Result<_, _>>()?,
    )
}

/// Which enrollment to delete.
pub type DeleteEnrollment = Versioned<EnrollmentKey>;

/// Deletes an enrollment (soft: kept for audit and the HMIS export) with its services,
/// goals, action steps and follow-ups; its assessments are unlinked and stay with the client.
pub fn delete(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &DeleteEnrollment,
) -> Result<(), ApiError> {
    let key = input.target;
    let mut row = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    input.expected.check(row.version)?;
    check_delete(&enrollments::facts(&row)?, &household_others(conn, &row)?)?;
    let at = now();
    row.stamp(at, &caller.sub);
    if !input.dry_run {
        row.deleted_at = Some(at);
        enrollments::update(conn, &mut row)?;
        records::cascade_delete(conn, row.id, at, &caller.sub)?;
    }
    Ok(())
}
