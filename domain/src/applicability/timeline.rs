//! Which data collection stages (HUD 5.03) an enrollment owes on a day: project start always;
//! project exit once exited; an annual assessment once the household has been enrolled a year;
//! post-exit once the time to collect it has passed.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::Stage;
use crate::dates::Date;

/// RHY aftercare (R20) is collected up to 180 days after exit: only then is it overdue.
pub const POST_EXIT_DAYS: i64 = 180;

/// The `years`th anniversary of `start` (a 29 February start falls on 28 February in other
/// years); none past the calendar's end.
fn anniversary(start: Date, years: u32) -> Option<Date> {
    NaiveDate::from(start)
        .checked_add_months(Months::new(years.checked_mul(12)?))
        .map(Date::from)
}

/// The latest anniversary of `start` on or before `day`, from the first on.
fn latest_anniversary(start: Date, day: Date) -> Option<Date> {
    let years_apart = day.naive().year() - start.naive().year();
    let years = u32::try_from(years_apart).ok()?;
    let candidate = anniversary(start, years)?;
    let latest = if candidate <= day {
        candidate
    } else {
        anniversary(start, years.checked_sub(1)?)?
    };
    (latest > start).then_some(latest)
}

/// The anniversary of the head of household's entry date at which a member owes an annual
/// assessment on `as_of` (HUD: every member is assessed within 30 days of each anniversary of
/// the head's project start): the latest anniversary reached, when the member had entered by
/// then and is still enrolled. A member who joined after it waits for the next one; a member
/// who has left owes the exit assessment instead (as the APR counts annual assessments of
/// stayers only). The caller looks for a stage-5 record within 30 days of the date returned.
pub fn annual_assessment_due(
    head_entry: Date,
    member_entry: Date,
    exit: Option<Date>,
    as_of: Date,
) -> Option<Date> {
    if exit.is_some_and(|exit| exit <= as_of) {
        return None;
    }
    latest_anniversary(head_entry, as_of).filter(|anniversary| member_entry <= *anniversary)
}

/// The stages one member's enrollment owes on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub exited: bool,
    /// The anniversary whose annual assessment is owed, if one is.
    pub annual_assessment: Option<Date>,
    pub post_exit: bool,
}

impl Due {
    /// What a member who entered on `member_entry` (and left on `exit`) owes on `as_of`, in a
    /// household whose head entered on `head_entry`.
    pub fn on(head_entry: Date, member_entry: Date, exit: Option<Date>, as_of: Date) -> Due {
        let exit_by_then = exit.filter(|exit| *exit <= as_of);
        Due {
            exited: exit_by_then.is_some(),
            annual_assessment: annual_assessment_due(head_entry, member_entry, exit, as_of),
            post_exit: exit_by_then.is_some_and(|exit| exit.days_until(as_of) > POST_EXIT_DAYS),
        }
    }

    /// The days after `as_of` on which what the member owes may change (it stays the same
    /// between two of them, and after the last): the exit, the day its post-exit collection
    /// is overdue, and the first anniversary of the head's entry that the member is
    /// enrolled on (later ones change which anniversary is assessed, not what is owed).
    pub fn changes_after(
        head_entry: Date,
        member_entry: Date,
        exit: Option<Date>,
        as_of: Date,
    ) -> Vec<Date> {
        let mut days = Vec::new();
        if let Some(exit) = exit {
            days.push(exit);
            let overdue = NaiveDate::from(exit)
                .checked_add_days(Days::new(POST_EXIT_DAYS.unsigned_abs() + 1));
            days.extend(overdue.map(Date::from));
        }
        let first_owed = (1..)
            .map_while(|years| anniversary(head_entry, years))
            .find(|day| *day > as_of && *day >= member_entry);
        days.extend(first_owed);
        days.retain(|day| *day > as_of);
        days.sort();
        days.dedup();
        days
    }

    /// Whether `stage` is owed. Updates are recorded as things change and are never owed.
    pub fn includes(&self, stage: Stage) -> bool {
        match stage {
            Stage::ProjectStart => true,
            Stage::Update => false,
            Stage::ProjectExit => self.exited,
            Stage::AnnualAssessment => self.annual_assessment.is_some(),
            Stage::PostExit => self.post_exit,
        }
    }
}
