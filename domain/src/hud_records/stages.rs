//! The dates and data collection stages (HUD 5.03) of an enrollment's records:
//!
//! - `record.stage_duplicate`: one record of a kind at project start (1) and one at exit (3)
//!   per enrollment (for disabilities, per `disability_type`);
//! - `record.stage_date`: a project-start record is dated the entry date, an exit record the
//!   exit date (and only on an exited enrollment, or in the exit request), an annual
//!   assessment (5) within 30 days of an anniversary of the head of household's entry date
//!   (HUD: "no more than 30 days before or after the anniversary");
//! - `record.outside_enrollment`: every record's date lies within the enrollment's period.

use chrono::Datelike;
use uuid::Uuid;

use crate::dates::Date;
use crate::enrollment::EnrollmentFacts;
use crate::rules::{Rule, RuleViolation, Violations};

use super::Collection;

/// HUD 5.03.1 Data Collection Stage codes.
pub const PROJECT_START: i32 = 1;
pub const UPDATE: i32 = 2;
pub const PROJECT_EXIT: i32 = 3;
pub const ANNUAL_ASSESSMENT: i32 = 5;
pub const POST_EXIT: i32 = 6;

/// HUD: an annual assessment is recorded within 30 days of the anniversary.
pub const ANNUAL_WINDOW_DAYS: i64 = 30;

/// What the rules read about the enrollment a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordFacts {
    pub entry_date: Date,
    /// The exit date: stored, or the one of the exit request the records come with.
    pub exit_date: Option<Date>,
    /// The head of household's entry date, from which annual assessments are counted.
    pub head_entry_date: Date,
}

/// A record as the stage rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageRecord {
    pub id: Uuid,
    pub collection: Collection,
    pub information_date: Date,
    pub stage: Option<i32>,
    pub disability_type: Option<i32>,
}

impl StageRecord {
    /// Whether the record takes its enrollment's one slot of its kind (project start or
    /// exit): only such records are among the `others` a later record can break a rule
    /// with ([`check_record_dates`]).
    pub fn takes_a_slot(&self) -> bool {
        matches!(self.stage, Some(PROJECT_START | PROJECT_EXIT))
    }

    /// Whether `other` is a record of the same kind at the same stage: what a second record
    /// at project start or exit may not be.
    fn same_slot(&self, other: &StageRecord) -> bool {
        self.id != other.id
            && self.collection == other.collection
            && self.stage == other.stage
            && self.disability_type == other.disability_type
    }
}

/// Every rule `record` breaks among the enrollment's `others` (the stored records, of any
/// collection; `record` itself among them is ignored).
pub fn check_record_dates(
    facts: &RecordFacts,
    record: &StageRecord,
    others: &[StageRecord],
) -> Result<(), Violations> {
    let mut found = Vec::new();
    let date = record.information_date;
    // A reopened enrollment keeps its exit records, but they no longer count as an exit:
    // at exit only a record dated the (new) exit date takes the slot.
    let counts = |other: &&StageRecord| {
        record.stage != Some(PROJECT_EXIT) || Some(other.information_date) == facts.exit_date
    };
    if matches!(record.stage, Some(PROJECT_START | PROJECT_EXIT))
        && others
            .iter()
            .filter(counts)
            .any(|other| record.same_slot(other))
    {
        let kind = match record.disability_type {
            Some(kind) => format!("{} of disability type {kind}", record.collection.name()),
            None => record.collection.name().to_owned(),
        };
        found.push(RuleViolation::new(
            Rule::RecordStageDuplicate,
            Some("data_collection_stage"),
            format!(
                "the enrollment already has {kind} at stage {}",
                record.stage.unwrap_or_default()
            ),
        ));
    }
    if let Some(message) = stage_date_problem(facts, record.stage, date) {
        found.push(RuleViolation::new(
            Rule::RecordStageDate,
            Some("information_date"),
            message,
        ));
    }
    let after_exit = facts.exit_date.is_some_and(|exit| date > exit);
    if date < facts.entry_date || after_exit {
        found.push(RuleViolation::new(
            Rule::RecordOutsideEnrollment,
            Some("information_date"),
            format!("{date} lies outside the enrollment's period"),
        ));
    }
    Violations::check(found)
}

impl RecordFacts {
    /// What the rules read of the enrollment `member` of a household (`household`, its
    /// members, `member` among them or not): its dates and the head's entry date, its own
    /// when it is the head or when the household has none (an imported, flagged one).
    pub fn of_member(member: &EnrollmentFacts, household: &[EnrollmentFacts]) -> RecordFacts {
        let head_entry_date = if member.is_head() {
            member.period.entry
        } else {
            household
                .iter()
                .find(|other| other.id != member.id && other.is_head())
                .map_or(member.period.entry, |head| head.period.entry)
        };
        RecordFacts {
            entry_date: member.period.entry,
            exit_date: member.period.exit,
            head_entry_date,
        }
    }
}

/// [`check_records_stay`] for an enrollment of a household moved from `before` to `after`
/// (a changed entry date), `others` being the household's other members and `records` the
/// household's records, each with its enrollment's ID: the enrollment's own records, and,
/// when the head's entry date moves, the other members' annual assessments.
pub fn check_household_records_stay(
    before: &EnrollmentFacts,
    after: &EnrollmentFacts,
    others: &[EnrollmentFacts],
    records: &[(Uuid, StageRecord)],
) -> Result<(), Violations> {
    let of = |enrollment_id: Uuid| -> Vec<StageRecord> {
        records
            .iter()
            .filter(|(id, _)| *id == enrollment_id)
            .map(|(_, record)| *record)
            .collect()
    };
    let household_with = |moved: &EnrollmentFacts| -> Vec<EnrollmentFacts> {
        others.iter().cloned().chain([moved.clone()]).collect()
    };
    let (was, is) = (household_with(before), household_with(after));
    let mut checks = vec![check_records_stay(
        &RecordFacts::of_member(before, others),
        &RecordFacts::of_member(after, others),
        &of(before.id),
    )];
    for member in others {
        checks.push(check_records_stay(
            &RecordFacts::of_member(member, &was),
            &RecordFacts::of_member(member, &is),
            &of(member.id),
        ));
    }
    Violations::merge(checks)
}

/// Records are moved by nothing: when an enrollment's entry date moves (or its head's, from
/// which annual assessments are counted), each record stays on its date, and a move that
/// would leave a record no longer dated as its stage asks is refused, one
/// `record.stage_date` per record, on its collection. A project-start record is dated the
/// entry date, so the entry date of an enrollment that has one does not move (earlier or
/// later) until the record is changed or deleted; an annual assessment keeps to the head's
/// anniversary. `before` and `after` are the enrollment's facts on each side of the move;
/// a record that broke its rule before it (an imported, flagged one) is left as it was.
pub fn check_records_stay(
    before: &RecordFacts,
    after: &RecordFacts,
    records: &[StageRecord],
) -> Result<(), Violations> {
    let broken = records
        .iter()
        .filter(|record| {
            stage_date_problem(before, record.stage, record.information_date).is_none()
        })
        .filter_map(|record| {
            let problem = stage_date_problem(after, record.stage, record.information_date)?;
            Some(RuleViolation::new(
                Rule::RecordStageDate,
                Some(record.collection.name()),
                format!(
                    "{} {} at stage {} is dated {}, and records are moved by nothing: {problem}",
                    record.collection.name(),
                    record.id,
                    record.stage.unwrap_or_default(),
                    record.information_date
                ),
            ))
        })
        .collect();
    Violations::check(broken)
}

fn stage_date_problem(facts: &RecordFacts, stage: Option<i32>, date: Date) -> Option<String> {
    match stage {
        Some(PROJECT_START) if date != facts.entry_date => Some(format!(
            "a project-start record is dated the entry date, {}",
            facts.entry_date
        )),
        Some(PROJECT_EXIT) => match facts.exit_date {
            None => Some("an exit record needs an exited enrollment, or the exit request".into()),
            Some(exit) if date != exit => {
                Some(format!("an exit record is dated the exit date, {exit}"))
            }
            Some(_) => None,
        },
        Some(ANNUAL_ASSESSMENT) if !near_anniversary(facts.head_entry_date, date) => Some(format!(
            "an annual assessment is dated within {ANNUAL_WINDOW_DAYS} days of an anniversary of \
             the head of household's entry date, {}",
            facts.head_entry_date
        )),
        _ => None,
    }
}

/// Whether `date` lies within the window of an anniversary (the first or a later one) of
/// `start`. An anniversary of 29 February falls on 28 February in other years.
pub fn near_anniversary(start: Date, date: Date) -> bool {
    let years = date.naive().years_since(start.naive()).unwrap_or(0);
    // The nearest anniversaries are the one before the date and the one after it.
    [years, years + 1]
        .into_iter()
        .filter(|years| *years >= 1)
        .any(|years| {
            anniversary(start, years)
                .is_some_and(|day| day.days_until(date).abs() <= ANNUAL_WINDOW_DAYS)
        })
}

/// The `years`-th anniversary of `start`.
pub fn anniversary(start: Date, years: u32) -> Option<Date> {
    let naive = start.naive();
    let year = naive.year().checked_add(i32::try_from(years).ok()?)?;
    Date::from_ymd(year, naive.month(), naive.day())
        .or_else(|| Date::from_ymd(year, naive.month(), naive.day() - 1))
}
