//! Leaving and coming back: exiting an enrollment (alone or with the whole household) and
//! reopening one.

use uuid::Uuid;

use crate::codes::{Destination, RentalSubsidyType};
use crate::dates::{Date, Period};
use crate::enrollment::{EnrollmentFacts, ProgramFacts, Status};
use crate::records::{check_dependents, DatedRecord};
use crate::rules::{FieldError, Rule, RuleViolation, Violations};

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
    let mut broken = Vec::new();
    let others_active = household_others
        .iter()
        .any(|member| member.status() == Status::Active);
    if target.is_head() && !whole_household && others_active {
        broken.push(RuleViolation::new(
            Rule::HouseholdMembersActive,
            Some("household"),
            "the head leaves last: exit the other members first, or exit the whole household",
        ));
    }
    let exiting = leaving(target, household_others, whole_household);
    for member in &exiting {
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
    Ok(exiting.iter().map(|member| member.id).collect())
}

/// Who leaves when `target` exits: the target, then, with `whole_household`, every other
/// active member of `household_others`, in their order.
pub fn leaving<'a>(
    target: &'a EnrollmentFacts,
    household_others: &'a [EnrollmentFacts],
    whole_household: bool,
) -> Vec<&'a EnrollmentFacts> {
    let mut leaving = vec![target];
    if whole_household {
        leaving.extend(
            household_others
                .iter()
                .filter(|member| member.status() == Status::Active),
        );
    }
    leaving
}

/// A member leaving on `exit_date` keeps every record of its stay (`records`) inside the
/// stay that exit ends: from its entry date to the exit date, both days included.
pub fn check_records_kept(
    member: &EnrollmentFacts,
    exit_date: Date,
    records: &[DatedRecord],
) -> Result<(), Violations> {
    check_dependents(&Period::new(member.period.entry, Some(exit_date)), records)
}

/// HUD 3.12 Destination, for an exit that names one destination or, for a household leaving
/// together, several, with one rental subsidy type and one text for all: the subsidy type
/// (3.12.A) is given when a destination is 435 (rental by client, with ongoing housing
/// subsidy) and only then, the text when a destination is 17 (other) and only then.
pub fn check_exit_destinations(
    destinations: &[Destination],
    subsidy_type: Option<RentalSubsidyType>,
    other_destination: Option<&str>,
) -> Vec<FieldError> {
    let asked = |asks: fn(Destination) -> bool| destinations.iter().copied().any(asks);
    let details = [
        (
            "destination_subsidy_type",
            Destination::RENTAL_WITH_ONGOING_SUBSIDY,
            asked(Destination::asks_subsidy_type),
            subsidy_type.is_some(),
        ),
        (
            "other_destination",
            Destination::OTHER,
            asked(Destination::asks_other_text),
            other_destination.is_some(),
        ),
    ];
    details
        .into_iter()
        .filter_map(|(field, destination, asked, given)| match (asked, given) {
            (true, false) => Some(FieldError::new(
                field,
                "required",
                format!("{field} is required for destination {destination}"),
            )),
            (false, true) => Some(FieldError::new(
                field,
                "not_allowed",
                format!("{field} is only for destination {destination}"),
            )),
            _ => None,
        })
        .collect()
}

/// Deleting an enrollment: the head of household is not deleted while another member is
/// active, as the head leaves last.
pub fn check_delete(
    target: &EnrollmentFacts,
    household_others: &[EnrollmentFacts],
) -> Result<(), Violations> {
    let others_active = household_others
        .iter()
        .any(|member| member.id != target.id && member.status() == Status::Active);
    if target.is_head() && others_active {
        return Err(Violations::one(RuleViolation::new(
            Rule::HouseholdMembersActive,
            None,
            "the head cannot be deleted while other members are active",
        )));
    }
    Ok(())
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
