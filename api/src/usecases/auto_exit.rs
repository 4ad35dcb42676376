//! The auto-exit job: programs with `auto_exit_days` exit enrollments that have had no
//! service and no change for that many days, whole households together, with destination
//! 30 (no exit interview completed), on the last day of activity.

use threshold_domain::codes::Destination;
use threshold_domain::enrollment::{EnrollmentFacts, Status};
use threshold_domain::lifecycle::{auto_exit_date, check_records_kept, exit};
use threshold_domain::{Date, Violations};
use threshold_persistence::ids::{EnrollmentId, HouseholdId, ProgramId};
use threshold_persistence::privacy::Sight;
use threshold_persistence::reference::auto_exit_programs;
use threshold_persistence::rows::Stamped;
use threshold_persistence::{enrollments, records, write_transaction, Database, DbConnection};

use super::scopes;
use crate::clock::now;
use crate::error::ApiError;

/// Who the audit fields name for the job's writes.
pub const ACTOR: &str = "auto-exit";

/// What happened to one household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Exited {
        household_id: HouseholdId,
        program_id: ProgramId,
        exit_date: Date,
        enrollment_ids: Vec<EnrollmentId>,
    },
    /// Idle long enough, but exiting would break a rule (a follow-up due after the exit
    /// date, say): left for a person to decide.
    Skipped {
        household_id: HouseholdId,
        program_id: ProgramId,
        reason: String,
    },
}

/// Runs the job once as of a date; `dry_run` checks everything and writes nothing.
/// `report` hears of each household as it is decided.
pub fn run(
    db: &Database,
    as_of: Date,
    dry_run: bool,
    mut report: impl FnMut(&Outcome),
) -> Result<Vec<Outcome>, ApiError> {
    let mut connection = db.get()?;
    let programs = auto_exit_programs(&mut connection)?;
    let mut outcomes = Vec::new();
    for program in programs {
        let Some(days) = program
            .auto_exit_days
            .and_then(|days| u32::try_from(days).ok())
        else {
            continue;
        };
        for household_id in enrollments::active_household_ids(&mut connection, program.id)? {
            let decided = write_transaction(&mut connection, |conn| {
                scopes::household(conn, household_id, program.organization_id)?;
                decide(conn, household_id, program.id, days, as_of, dry_run)
            })?;
            if let Some(outcome) = decided {
                report(&outcome);
                outcomes.push(outcome);
            }
        }
    }
    Ok(outcomes)
}

fn decide(
    conn: &mut DbConnection,
    household_id: HouseholdId,
    program_id: ProgramId,
    idle_days: u32,
    as_of: Date,
    dry_run: bool,
) -> Result<Option<Outcome>, ApiError> {
    let members = enrollments::household_members(conn, &Sight::Everything, household_id)?;
    scopes::members(conn, &members)?;
    let mut active: Vec<(EnrollmentFacts, Date)> = Vec::new();
    for row in members.iter().filter(|row| row.exit_date.is_none()) {
        let last_service = records::last_service_date(conn, row.id)?;
        let last_change = row.updated_at.date();
        let last = [Some(row.entry_date), last_service, Some(last_change)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(row.entry_date);
        active.push((enrollments::facts(row)?, last.into()));
    }
    let Some(exit_date) = auto_exit_date(&active, idle_days, as_of) else {
        return Ok(None);
    };
    let all: Vec<EnrollmentFacts> = members
        .iter()
        .map(enrollments::facts)
        .collect::<Result<_, _>>()?;
    let Some(target) = all
        .iter()
        .filter(|member| member.status() == Status::Active)
        .min_by_key(|member| !member.is_head())
    else {
        return Ok(None);
    };
    let others: Vec<EnrollmentFacts> = all
        .iter()
        .filter(|member| member.id != target.id)
        .cloned()
        .collect();
    let mut checks = vec![exit(target, &others, exit_date, true).map(|_| ())];
    for (member, _) in &active {
        checks.push(check_records_kept(
            member,
            exit_date,
            &records::dependents(conn, member.id.into())?,
        ));
    }
    if let Err(violations) = Violations::merge(checks) {
        return Ok(Some(Outcome::Skipped {
            household_id,
            program_id,
            reason: violations
                .all()
                .iter()
                .map(|violation| format!("{}: {}", violation.rule.code(), violation.message))
                .collect::<Vec<_>>()
                .join("; "),
        }));
    }
    let at = now();
    let mut enrollment_ids = Vec::new();
    for mut row in members.into_iter().filter(|row| row.exit_date.is_none()) {
        row.exit_date = Some(exit_date.naive());
        row.destination = Some(Destination::NO_EXIT_INTERVIEW.code());
        row.destination_subsidy_type = None;
        row.other_destination = None;
        row.auto_exited = true;
        row.exited_by = Some(ACTOR.to_owned());
        row.exited_at = Some(at);
        row.stamp(at, ACTOR);
        if !dry_run {
            enrollments::update(conn, &mut row)?;
        }
        enrollment_ids.push(row.id);
    }
    Ok(Some(Outcome::Exited {
        household_id,
        program_id,
        exit_date,
        enrollment_ids,
    }))
}

/// One line of the job's report.
pub fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Exited {
            household_id,
            program_id,
            exit_date,
            enrollment_ids,
        } => format!(
            "exited household {household_id} (program {program_id}) on {exit_date}: {}",
            enrollment_ids
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Outcome::Skipped {
            household_id,
            program_id,
            reason,
        } => format!("skipped household {household_id} (program {program_id}): {reason}"),
    }
}
