//! Enrolling a client in a program: in a new household or one joined, with its grant and
//! case manager, the client's assessments linked and the first follow-ups made, all checked
//! before anything is written.

use threshold_domain::codes::{
    LengthOfStay, NoYesMissing, PriorLivingSituation, RelationshipToHoh,
};
use threshold_domain::enrollment::{self, CocCode, EnrollContext, NewEnrollment};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_fields::FieldChanges;
use threshold_domain::records::link_assessment;
use threshold_domain::{Date, FieldError, Violations};
use threshold_persistence::ids::{
    AssessmentId, ClientId, GrantId, HouseholdId, Id, ProgramId, UserId,
};
use threshold_persistence::records::{assessment, follow_up};
use threshold_persistence::reference::program_facts;
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow, ProgramRow};
use threshold_persistence::{clients, enrollments, households, DbConnection};

use super::assessments::{assessment_facts, link_to};
use super::enrollments::{check_case_manager, grant_of, writable_program};
use super::follow_ups::{check_new_follow_up, new_follow_up_row};
use super::hud_fields;
use super::scopes;
use super::visibility::visible_household;
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;

/// A new enrollment of a client, as asked for.
#[derive(Debug, Clone)]
pub struct Enroll {
    pub client_id: ClientId,
    pub program_id: ProgramId,
    pub relationship: RelationshipToHoh,
    pub entry_date: Date,
    /// The household joined; `None` starts a new household with this client as its head.
    pub household_id: Option<HouseholdId>,
    pub grant_id: Option<GrantId>,
    pub case_manager_id: Option<UserId>,
    pub enrollment_coc: Option<CocCode>,
    pub disabling_condition: Option<NoYesMissing>,
    pub prior_living_situation: Option<PriorLivingSituation>,
    pub length_of_stay: Option<LengthOfStay>,
    pub move_in_date: Option<Date>,
    /// Assessments of the client to link to the new enrollment.
    pub assessment_ids: Vec<AssessmentId>,
    pub follow_ups: Vec<FirstFollowUp>,
    /// Enrollment.csv's other columns (3.917 in full, 4.13, P3, R1, ...).
    pub hud: FieldChanges,
    pub dry_run: bool,
}

/// A follow-up made together with the enrollment.
#[derive(Debug, Clone)]
pub struct FirstFollowUp {
    pub reason: String,
    pub due_date: Date,
    pub assigned_to: Option<UserId>,
}

impl Enroll {
    /// What the domain's rules of a new enrollment look at.
    pub fn as_new(&self) -> NewEnrollment {
        NewEnrollment {
            client_id: self.client_id.uuid(),
            program_id: self.program_id.uuid(),
            relationship: self.relationship,
            entry_date: self.entry_date,
            move_in_date: self.move_in_date,
        }
    }
}

/// Enrolls a client: the new enrollment as stored (or, on a dry run, as it would be).
pub fn enroll(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &Enroll,
) -> Result<EnrollmentRow, ApiError> {
    let client_id = input.client_id;
    // A client the caller's organization may not see cannot be enrolled (404): a case manager
    // finds a client through search, which shows only those, or creates one.
    let sight = caller.sight();
    let mut client = clients::find(conn, &sight, client_id)?.ok_or(ApiError::NotFound)?;
    let program = writable_program(conn, caller, input.program_id)?;
    if scopes::new_enrollment(conn, &program, input.household_id, client_id)? {
        client = clients::find(conn, &sight, client_id)?.ok_or(ApiError::NotFound)?;
    }
    let grant = grant_of(conn, input.grant_id)?;
    check_case_manager(conn, input.case_manager_id, program.organization_id)?;
    let household_row = match input.household_id {
        Some(household_id) => Some(
            visible_household(conn, caller, household_id)?
                .ok_or_else(|| ApiError::unknown_reference("household_id", "no such household"))?,
        ),
        None => None,
    };
    let household = household_row
        .as_ref()
        .map(|row| households::load(conn, row))
        .transpose()?;
    let client_enrollments = enrollments::client_facts_in_program(conn, client_id, program.id)?;
    // Counted only when there is a capacity to compare the count with.
    let active_in_program = match program.capacity {
        Some(_) => enrollments::count_active_in_program(conn, program.id)?,
        None => 0,
    };
    let enrolled = enrollment::enroll(
        &input.as_new(),
        &EnrollContext {
            program: &program_facts(&program)?,
            grant: grant.as_ref(),
            client_dob: client.dob.map(Into::into),
            client_enrollments_in_program: &client_enrollments,
            active_in_program,
            household: household.as_ref(),
        },
    );
    let household_id = household_row.as_ref().map_or_else(Id::new, |row| row.id);
    let mut row = new_row(input, &program, household_id, &caller.sub);
    row.hud = hud_fields::apply(
        Resource::Enrollment,
        &row.hud,
        &input.hud,
        None,
        &hud_fields::enrollment_own(&row),
    )?;
    check_what_comes_along(conn, input, &row, enrolled)?;
    if input.dry_run {
        return Ok(row);
    }
    if household_row.is_none() {
        households::insert(
            conn,
            &HouseholdRow {
                id: row.household_id,
                program_id: program.id,
                created_at: row.created_at,
                created_by: caller.sub.clone(),
            },
        )?;
    }
    enrollments::insert(conn, &mut row)?;
    for assessment_id in &input.assessment_ids {
        link_to(conn, *assessment_id, &row, &caller.sub, false)?;
    }
    for follow_up in &input.follow_ups {
        follow_up::insert(
            conn,
            &new_follow_up_row(
                &row,
                &follow_up.reason,
                follow_up.due_date,
                follow_up.assigned_to,
                &caller.sub,
            ),
        )?;
    }
    Ok(row)
}

fn new_row(
    input: &Enroll,
    program: &ProgramRow,
    household_id: HouseholdId,
    by: &str,
) -> EnrollmentRow {
    let at = now();
    EnrollmentRow {
        hud: Default::default(),
        exit_hud: Default::default(),
        flags: Default::default(),
        source: None,
        exit_source: None,
        id: Id::new(),
        client_id: input.client_id,
        program_id: program.id,
        household_id,
        relationship_to_hoh: input.relationship.code(),
        entry_date: input.entry_date.naive(),
        exit_date: None,
        destination: None,
        destination_subsidy_type: None,
        other_destination: None,
        auto_exited: false,
        exited_by: None,
        exited_at: None,
        grant_id: input.grant_id,
        case_manager_id: input.case_manager_id,
        enrollment_coc: input
            .enrollment_coc
            .as_ref()
            .map(|coc| coc.as_str().to_owned()),
        disabling_condition: input.disabling_condition.map(NoYesMissing::code),
        prior_living_situation: input.prior_living_situation.map(PriorLivingSituation::code),
        length_of_stay: input.length_of_stay.map(LengthOfStay::code),
        move_in_date: input.move_in_date.map(Date::naive),
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: by.to_owned(),
        updated_by: by.to_owned(),
        deleted_at: None,
    }
}

/// Every rule of the enrollment (`enrolled`), its assessments and its follow-ups, checked
/// before anything is written so that one answer lists every problem: first the bad
/// references (422), then the broken rules (409).
fn check_what_comes_along(
    conn: &mut DbConnection,
    input: &Enroll,
    row: &EnrollmentRow,
    enrolled: Result<(), Violations>,
) -> Result<(), ApiError> {
    let facts = enrollments::facts(row)?;
    let mut checks = vec![enrolled];
    let mut invalid = Vec::new();
    for (index, assessment_id) in input.assessment_ids.iter().enumerate() {
        let within = format!("assessment_ids[{index}]");
        match assessment::find(conn, *assessment_id)? {
            Some(found) => checks.push(
                link_assessment(&assessment_facts(&found)?, &facts)
                    .map_err(|violations| violations.within(&within)),
            ),
            None => invalid.push(FieldError::new(
                within,
                "reference.not_found",
                format!("no such assessment {assessment_id}"),
            )),
        }
    }
    for (index, follow_up) in input.follow_ups.iter().enumerate() {
        match check_new_follow_up(conn, row, follow_up.due_date, follow_up.assigned_to)
            .map_err(|error| error.within(&format!("follow_ups[{index}]")))
        {
            Err(ApiError::Invalid(errors)) => invalid.extend(errors),
            Err(ApiError::Conflict(violations)) => checks.push(Err(violations)),
            other => other?,
        }
    }
    ApiError::check_fields(invalid)?;
    Violations::merge(checks)?;
    Ok(())
}
