//! Leaving and coming back: exiting an enrollment (alone or with the whole household) and
//! reopening one.

use uuid::Uuid;

use crate::dates::{Date, Period};
use crate::enrollment::{EnrollmentFacts, ProgramFacts, Status};
use crate::rules::{Rule, RuleViolation, Violations};

/// Checks exiting `target` on `exit_date`, alone or, with `whole_household`, together with
/// every other active member in `household_others`. Returns the enrollments that exit.
pub fn exit(
    target: &EnrollmentFacts,
    household_others: &[EnrollmentFacts],
    exit_date: Date,
    whole_household: bool,
) -> Result<Vec<Uuid>, Violations> {
    if target.status() == Status::Exited {
        return Err(Violations::one(RuleViolation::new(
            Rule::EnrollmentAlreadyExited,
            None,
            "the enrollment has already exited; reopen it first to change the exit",
        )));
    }
    let active_others: Vec<&EnrollmentFacts> = household_others
        .iter()
        .filter(|member| member.status() == Status::Active)
        .collect();
    let mut broken = Vec::new();
    if target.is_head() && !whole_household && !active_others.is_empty() {
        broken.push(RuleViolation::new(
            Rule::HouseholdMembersActive,
            Some("household"),
            "the head leaves last: exit the other members first, or exit the whole household",
        ));
    }
    let mut leaving = vec![target];
    if whole_household {
        leaving.extend(active_others);
    }
    for member in &leaving {
        let whose = if member.id == target.id {
            String::from("the enrollment's")
        } else {
            format!("household member {}'s", member.id)
        };
        if exit_date < member.period.entry {
            broken.push(RuleViolation::new(
                Rule::ExitBeforeEntry,
                Some("exit_date"),
                format!("the exit date is before {whose} entry date"),
            ));
        }
        if member
            .move_in_date
            .is_some_and(|move_in| move_in > exit_date)
        {
            broken.push(RuleViolation::new(
                Rule::ExitBeforeEntry,
                Some("exit_date"),
                format!("the exit date is before {whose} move-in date"),
            ));
        }
    }
    Violations::check(broken)?;
    Ok(leaving.iter().map(|member| member.id).collect())
}

/// Everything stored that reopening an enrollment is checked against.
#[derive(Debug, Clone)]
pub struct ReopenContext<'a> {
    pub program: &'a ProgramFacts,
    /// The client's other enrollments (not deleted) in the same program.
    pub client_enrollments_in_program: &'a [EnrollmentFacts],
    /// The household's other members (not deleted).
    pub household_others: &'a [EnrollmentFacts],
    /// Active enrollments (not deleted) in the program now.
    pub active_in_program: i64,
}

/// Checks undoing the exit of `target`: the reopened stay runs on from its entry date, so it
/// must not overlap another, fit the program, and keep the household whole.
pub fn reopen(target: &EnrollmentFacts, context: &ReopenContext<'_>) -> Result<(), Violations> {
    if target.status() == Status::Active {
        return Err(Violations::one(RuleViolation::new(
            Rule::EnrollmentNotExited,
            None,
            "the enrollment has not exited",
        )));
    }
    let mut broken = Vec::new();
    let reopened = Period::new(target.period.entry, None);
    if context
        .client_enrollments_in_program
        .iter()
        .any(|other| other.id != target.id && other.period.overlaps(&reopened))
    {
        broken.push(RuleViolation::new(
            Rule::EnrollmentOverlap,
            None,
            "reopened, the enrollment would overlap another of the client's enrollments in this program",
        ));
    }
    if context
        .program
        .capacity
        .is_some_and(|capacity| context.active_in_program >= i64::from(capacity))
    {
        broken.push(RuleViolation::new(
            Rule::ProgramAtCapacity,
            None,
            "the program is at capacity",
        ));
    }
    let others = context.household_others;
    if others
        .iter()
        .any(|member| member.client_id == target.client_id && member.status() == Status::Active)
    {
        broken.push(RuleViolation::new(
            Rule::HouseholdClientDuplicate,
            None,
            "the client is already an active member of this household",
        ));
    }
    if !target.is_head()
        && others
            .iter()
            .any(|member| member.is_head() && member.status() == Status::Exited)
    {
        broken.push(RuleViolation::new(
            Rule::HouseholdMembersActive,
            None,
            "the head leaves last: reopen the head of household first",
        ));
    }
    Violations::check(broken)
}

/// The auto-exit job's decision for a household: when every active member has had no
/// service and no change for `idle_days` days as of `as_of`, the household exits on the last
/// day of activity of any of them. `active` pairs each active member with that member's last
/// day of activity (its entry date, latest service, or latest change, whichever is last).
pub fn auto_exit_date(
    active: &[(EnrollmentFacts, Date)],
    idle_days: u32,
    as_of: Date,
) -> Option<Date> {
    let last_activity = active
        .iter()
        .map(|(member, last)| (*last).max(member.period.entry))
        .max()?;
    (last_activity.days_until(as_of) >= i64::from(idle_days)).then_some(last_activity)
}

#[cfg(test)]
mod tests;
