//! Leaving and coming back: exiting an enrollment, alone or with its household, and undoing
//! an exit.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use threshold_domain::codes::{Destination, RentalSubsidyType};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_fields::FieldChanges;
use threshold_domain::hud_records::{Collection, HudFields};
use threshold_domain::lifecycle::{self, ReopenContext};
use threshold_domain::{Date, FieldError, Violations};
use threshold_persistence::ids::EnrollmentId;
use threshold_persistence::privacy::Sight;
use threshold_persistence::reference::{program, program_facts};
use threshold_persistence::rows::{EnrollmentRow, HudFieldsJson, Stamped};
use threshold_persistence::{enrollments, records, DbConnection};

use super::enrollments::household_others;
use super::hud_fields;
use super::hud_records::{self, AtExit};
use super::scopes;
use super::visibility::visible_enrollment;
use super::{EnrollmentKey, Versioned};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;

/// An exit as asked for.
pub type Exit = Versioned<EnrollmentKey, Leaving>;

/// When an enrollment leaves, for where, and whether its household leaves with it.
#[derive(Debug, Clone)]
pub struct Leaving {
    pub exit_date: Date,
    pub destination: Destination,
    pub destination_subsidy_type: Option<RentalSubsidyType>,
    pub other_destination: Option<String>,
    /// Every active member of the household exits too, on the same date.
    pub household: bool,
    /// With `household`: a destination per member enrollment, overriding `destination`.
    pub member_destinations: Option<BTreeMap<EnrollmentId, Destination>>,
    /// The exit-stage records of leaving enrollments, by enrollment.
    pub records: ExitRecordsByEnrollment,
    /// Exit.csv's other columns (W5, R15-R20, V9, ...), for every leaving enrollment.
    pub hud: FieldChanges,
}

/// The exit-stage records an exit brings, by enrollment, each with its collection.
pub type ExitRecordsByEnrollment = BTreeMap<EnrollmentId, Vec<(Collection, HudFields)>>;

impl Leaving {
    /// The destination of one leaving enrollment.
    fn destination_of(&self, enrollment_id: EnrollmentId) -> Destination {
        self.member_destinations
            .as_ref()
            .and_then(|members| members.get(&enrollment_id).copied())
            .unwrap_or(self.destination)
    }

    /// Writes the exit on one leaving enrollment's row.
    fn record_on(
        &self,
        row: &mut EnrollmentRow,
        destination: Destination,
        by: &str,
        at: NaiveDateTime,
    ) -> Result<(), ApiError> {
        row.exit_date = Some(self.exit_date.naive());
        row.exit_hud = hud_fields::apply(
            Resource::Exit,
            &HudFieldsJson::default(),
            &self.hud,
            None,
            &hud_fields::enrollment_own(row),
        )?;
        row.destination = Some(destination.code());
        row.destination_subsidy_type = self
            .destination_subsidy_type
            .filter(|_| destination.asks_subsidy_type())
            .map(RentalSubsidyType::code);
        row.other_destination = self
            .other_destination
            .clone()
            .filter(|_| destination.asks_other_text());
        row.auto_exited = false;
        row.exited_by = Some(by.to_owned());
        row.exited_at = Some(at);
        row.stamp(at, by);
        Ok(())
    }
}

/// What an exit stored (or, on a dry run, would store).
#[derive(Debug, Clone)]
pub struct Exited {
    /// The enrollment asked for.
    pub enrollment: EnrollmentRow,
    /// The other members who left with it, for a household exit.
    pub others: Vec<EnrollmentRow>,
}

/// Exits an enrollment, alone or with its household.
pub fn exit(conn: &mut DbConnection, caller: &Caller, input: &Exit) -> Result<Exited, ApiError> {
    let key = input.target;
    let target = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    input.expected.check(target.version)?;
    let asked = &input.change;
    let members = enrollments::household_members(conn, &Sight::Everything, target.household_id)?;
    if asked.household {
        scopes::members(conn, &members)?;
    }
    if let Some(named) = &asked.member_destinations {
        let unknown: Vec<FieldError> = named
            .keys()
            .filter(|id| !members.iter().any(|member| member.id == **id))
            .map(|id| {
                FieldError::new(
                    format!("member_destinations.{id}"),
                    "reference.not_found",
                    "not a member of this household",
                )
            })
            .collect();
        ApiError::check_fields(unknown)?;
    }
    let others = members
        .iter()
        .filter(|member| member.id != target.id)
        .map(enrollments::facts)
        .collect::<Result<Vec<_>, _>>()?;
    let target_facts = enrollments::facts(&target)?;
    let exited = lifecycle::exit(&target_facts, &others, asked.exit_date, asked.household);
    // Whoever would leave must keep their records inside the shortened stay.
    let mut kept_inside = Vec::new();
    for member in lifecycle::leaving(&target_facts, &others, asked.household) {
        kept_inside.push(lifecycle::check_records_kept(
            member,
            asked.exit_date,
            &records::dependents(conn, member.id.into())?,
        ));
    }
    Violations::merge(kept_inside.into_iter().chain([exited.clone().map(|_| ())]))?;
    let leaving = exited?;
    // Records only for the enrollments this exit exits.
    ApiError::check_fields(
        asked
            .records
            .keys()
            .filter(|id| !leaving.contains(&id.uuid()))
            .map(|id| {
                FieldError::new(
                    format!("records.{id}"),
                    "reference.not_found",
                    "not an enrollment this exit exits",
                )
            })
            .collect(),
    )?;
    let at = now();
    let mut exited_target = None;
    let mut exited_others = Vec::new();
    for member in &members {
        let id = member.id;
        if !leaving.contains(&id.uuid()) {
            continue;
        }
        let mut row = member.clone();
        asked.record_on(&mut row, asked.destination_of(id), &caller.sub, at)?;
        if !input.dry_run {
            enrollments::update(conn, &mut row)?;
        }
        if let Some(records) = asked.records.get(&id) {
            let mut at_exit = AtExit {
                facts: hud_records::record_facts(conn, member, Some(asked.exit_date))?,
                enrollment_id: id,
                others: hud_records::stored_stages(conn, member)?,
                by: &caller.sub,
                dry_run: input.dry_run,
            };
            for (collection, fields) in records {
                at_exit.record(conn, *collection, fields).map_err(|error| {
                    error.within(&format!("records.{id}.{}", collection.name()))
                })?;
            }
        }
        if row.id == target.id {
            exited_target = Some(row);
        } else {
            exited_others.push(row);
        }
    }
    let enrollment = exited_target
        .ok_or_else(|| ApiError::Internal("the exited enrollment went missing".into()))?;
    Ok(Exited {
        enrollment,
        others: exited_others,
    })
}

/// Which enrollment's exit to undo.
pub type Reopen = Versioned<EnrollmentKey>;

/// Undoes an exit: the enrollment is active again, from its entry date on.
pub fn reopen(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &Reopen,
) -> Result<EnrollmentRow, ApiError> {
    let key = input.target;
    let mut row = visible_enrollment(conn, caller, key.client_id, key.enrollment_id)?;
    input.expected.check(row.version)?;
    let program = program::find(conn, row.program_id)?
        .ok_or_else(|| ApiError::Internal("enrollment without program".into()))?;
    scopes::counted_program(conn, program.id, program.capacity)?;
    let client_enrollments =
        enrollments::client_facts_in_program(conn, row.client_id, row.program_id)?;
    let household_others = household_others(conn, &row)?;
    let active_in_program = enrollments::count_active_in_program(conn, row.program_id)?;
    lifecycle::reopen(
        &enrollments::facts(&row)?,
        &ReopenContext {
            program: &program_facts(&program)?,
            client_enrollments_in_program: &client_enrollments,
            household_others: &household_others,
            active_in_program,
        },
    )?;
    clear_exit(&mut row);
    row.stamp(now(), &caller.sub);
    if !input.dry_run {
        enrollments::update(conn, &mut row)?;
    }
    Ok(row)
}

/// Takes the exit off an enrollment's row: a reopen, or an import whose source deleted the
/// exit.
pub fn clear_exit(row: &mut EnrollmentRow) {
    row.exit_date = None;
    row.destination = None;
    row.destination_subsidy_type = None;
    row.other_destination = None;
    row.auto_exited = false;
    row.exited_by = None;
    row.exited_at = None;
    // Kept in the audit trail: the exit's HUD fields go with the exit.
    row.exit_hud = HudFieldsJson::default();
    row.exit_source = None;
}
