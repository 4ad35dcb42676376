//! Reports: the enrollment summary over a date range and the data-quality checks, computed
//! from plain facts about stored enrollments and clients.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use crate::codes::{DataQuality, Destination, NoYesMissing, RelationshipToHoh, Sex};
use crate::dates::{Date, Period};

pub mod hud;

/// How HUD groups destinations for reporting, by the first digit of the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DestinationClass {
    Homeless,
    Institutional,
    Temporary,
    Permanent,
    /// Don't know, refused, not collected, other, deceased, no exit interview.
    Other,
}

impl DestinationClass {
    pub fn of(destination: Destination) -> DestinationClass {
        match destination.code() / 100 {
            1 => DestinationClass::Homeless,
            2 => DestinationClass::Institutional,
            3 => DestinationClass::Temporary,
            4 => DestinationClass::Permanent,
            _ => DestinationClass::Other,
        }
    }
}

/// Whether a destination code is an answer that says nothing: don't know, refused, not
/// collected.
pub fn is_dont_know_refused_missing(destination: Destination) -> bool {
    matches!(destination.code(), 8 | 9 | 99)
}

/// A report's dates, `from` and `to` both included; `from` is never after `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRange {
    from: Date,
    to: Date,
}

/// A range whose `from` comes after its `to`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`from` ({from}) is after `to` ({to})")]
pub struct RangeReversed {
    pub from: Date,
    pub to: Date,
}

impl ReportRange {
    pub fn new(from: Date, to: Date) -> Result<ReportRange, RangeReversed> {
        if from > to {
            Err(RangeReversed { from, to })
        } else {
            Ok(ReportRange { from, to })
        }
    }

    pub fn from(self) -> Date {
        self.from
    }

    pub fn to(self) -> Date {
        self.to
    }

    pub fn contains(self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

/// What the enrollment summary knows of one enrollment that is not deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stay {
    pub period: Period,
    pub destination: Option<Destination>,
}

impl Stay {
    /// Active on a day, as [`Period::is_active_on`] says.
    pub fn is_active_on(&self, day: Date) -> bool {
        self.period.is_active_on(day)
    }
}

/// Exits counted by the class of their destination. An exit without a destination counts
/// as `other`, so the classes always add up to the exits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClassCounts {
    pub permanent: u64,
    pub temporary: u64,
    pub institutional: u64,
    pub homeless: u64,
    pub other: u64,
}

impl ClassCounts {
    fn add(&mut self, destination: Option<Destination>) {
        let slot = match destination.map(DestinationClass::of) {
            Some(DestinationClass::Permanent) => &mut self.permanent,
            Some(DestinationClass::Temporary) => &mut self.temporary,
            Some(DestinationClass::Institutional) => &mut self.institutional,
            Some(DestinationClass::Homeless) => &mut self.homeless,
            Some(DestinationClass::Other) | None => &mut self.other,
        };
        *slot += 1;
    }
}

/// Average and median of lengths of stay, in days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LengthOfStay {
    /// Rounded to two decimals.
    pub average_days: f64,
    /// The middle stay, or the mean of the two middle ones.
    pub median_days: f64,
}

impl LengthOfStay {
    /// `None` when there is no stay to measure.
    pub fn of(days: &[i64]) -> Option<LengthOfStay> {
        if days.is_empty() {
            return None;
        }
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        let count = sorted.len();
        let total: i64 = sorted.iter().sum();
        let average = total as f64 / count as f64;
        let middle = count / 2;
        let median = if count % 2 == 1 {
            sorted[middle] as f64
        } else {
            (sorted[middle - 1] + sorted[middle]) as f64 / 2.0
        };
        Some(LengthOfStay {
            average_days: (average * 100.0).round() / 100.0,
            median_days: median,
        })
    }
}

/// The enrollment summary of a set of stays over a range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Active on `from`.
    pub active_at_start: u64,
    /// Entered within the range.
    pub entries: u64,
    /// Exited within the range.
    pub exits: u64,
    /// Active on `to`.
    pub active_at_end: u64,
    pub exits_by_destination_class: ClassCounts,
    /// Over the stays exited within the range: exit date minus entry date.
    pub length_of_stay: Option<LengthOfStay>,
}

impl Summary {
    pub fn of<'a>(range: ReportRange, stays: impl IntoIterator<Item = &'a Stay>) -> Summary {
        let mut summary = Summary {
            active_at_start: 0,
            entries: 0,
            exits: 0,
            active_at_end: 0,
            exits_by_destination_class: ClassCounts::default(),
            length_of_stay: None,
        };
        let mut lengths = Vec::new();
        for stay in stays {
            if stay.is_active_on(range.from) {
                summary.active_at_start += 1;
            }
            if stay.is_active_on(range.to) {
                summary.active_at_end += 1;
            }
            if range.contains(stay.period.entry) {
                summary.entries += 1;
            }
            if let Some(exit) = stay.period.exit.filter(|exit| range.contains(*exit)) {
                summary.exits += 1;
                summary.exits_by_destination_class.add(stay.destination);
                lengths.push(stay.period.entry.days_until(exit));
            }
        }
        summary.length_of_stay = LengthOfStay::of(&lengths);
        summary
    }
}

/// What the data-quality checks know of one enrollment that is not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollmentRecord {
    pub id: Uuid,
    pub client_id: Uuid,
    pub household_id: Uuid,
    pub relationship: RelationshipToHoh,
    pub period: Period,
    pub move_in_date: Option<Date>,
    pub destination: Option<Destination>,
    /// The day the enrollment was stored (UTC).
    pub created_on: Date,
    /// The day the exit was stored (UTC), when there is one.
    pub exit_recorded_on: Option<Date>,
    /// Imported though it broke enrollment rules, and flagged with them.
    pub flagged: bool,
}

/// A client's answers the data-quality checks look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAnswers {
    pub id: Uuid,
    pub name_data_quality: DataQuality,
    pub ssn_data_quality: DataQuality,
    pub dob_data_quality: DataQuality,
    pub veteran_status: NoYesMissing,
    pub sex: Sex,
}

/// Days after the event within which a record counts as timely.
pub const TIMELY_DAYS: i64 = 3;

/// The records that break a HUD data-quality expectation, each list sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataQualityReport {
    /// Households with no head or more than one among their enrollments.
    pub households_without_one_head: Vec<Uuid>,
    /// Enrollments of members who entered before their household's only head.
    pub members_before_head: Vec<Uuid>,
    /// Enrollments overlapping another of the same client in the same program.
    pub overlapping_enrollments: Vec<Uuid>,
    pub exits_before_entries: Vec<Uuid>,
    /// Move-in dates before entry or after exit.
    pub move_in_outside_stay: Vec<Uuid>,
    /// Exited enrollments without a destination.
    pub missing_destination: Vec<Uuid>,
    /// Exited enrollments whose destination is 8, 9 or 99.
    pub destination_dont_know_refused_missing: Vec<Uuid>,
    /// Clients (IDs) whose answer is 8, 9 or 99.
    pub name_dont_know_refused_missing: Vec<Uuid>,
    pub ssn_dont_know_refused_missing: Vec<Uuid>,
    pub dob_dont_know_refused_missing: Vec<Uuid>,
    pub veteran_status_dont_know_refused_missing: Vec<Uuid>,
    pub sex_dont_know_refused_missing: Vec<Uuid>,
    /// Enrollments stored more than [`TIMELY_DAYS`] after their entry date.
    pub entries_recorded_late: Vec<Uuid>,
    /// Enrollments whose exit was stored more than [`TIMELY_DAYS`] after the exit date.
    pub exits_recorded_late: Vec<Uuid>,
    /// Enrollments imported from another system though they break enrollment rules, each
    /// flagged with the rules (contract: "Imports from other systems").
    pub flagged_enrollments: Vec<Uuid>,
}

fn unclear(code: i32) -> bool {
    matches!(code, 8 | 9 | 99)
}

impl DataQualityReport {
    /// Checks the enrollments of one program and the clients they belong to.
    pub fn check(enrollments: &[EnrollmentRecord], clients: &[ClientAnswers]) -> DataQualityReport {
        let mut report = DataQualityReport::default();
        let mut households: BTreeMap<Uuid, Vec<&EnrollmentRecord>> = BTreeMap::new();
        let mut by_client: BTreeMap<Uuid, Vec<&EnrollmentRecord>> = BTreeMap::new();
        for enrollment in enrollments {
            households
                .entry(enrollment.household_id)
                .or_default()
                .push(enrollment);
            by_client
                .entry(enrollment.client_id)
                .or_default()
                .push(enrollment);
            let period = enrollment.period;
            if period.exit.is_some_and(|exit| exit < period.entry) {
                report.exits_before_entries.push(enrollment.id);
            }
            if enrollment
                .move_in_date
                .is_some_and(|move_in| !period.covers(move_in))
            {
                report.move_in_outside_stay.push(enrollment.id);
            }
            if let Some(exit) = period.exit {
                match enrollment.destination {
                    None => report.missing_destination.push(enrollment.id),
                    Some(destination) if is_dont_know_refused_missing(destination) => report
                        .destination_dont_know_refused_missing
                        .push(enrollment.id),
                    Some(_) => {}
                }
                if enrollment
                    .exit_recorded_on
                    .is_some_and(|recorded| exit.days_until(recorded) > TIMELY_DAYS)
                {
                    report.exits_recorded_late.push(enrollment.id);
                }
            }
            if enrollment.flagged {
                report.flagged_enrollments.push(enrollment.id);
            }
            if period.entry.days_until(enrollment.created_on) > TIMELY_DAYS {
                report.entries_recorded_late.push(enrollment.id);
            }
        }
        for (household_id, members) in &households {
            let heads: Vec<_> = members
                .iter()
                .filter(|m| m.relationship.is_head())
                .collect();
            match heads.as_slice() {
                [head] => report.members_before_head.extend(
                    members
                        .iter()
                        .filter(|member| member.period.entry < head.period.entry)
                        .map(|member| member.id),
                ),
                _ => report.households_without_one_head.push(*household_id),
            }
        }
        for stays in by_client.values() {
            for (index, stay) in stays.iter().enumerate() {
                if stays
                    .iter()
                    .enumerate()
                    .any(|(other, them)| other != index && stay.period.overlaps(&them.period))
                {
                    report.overlapping_enrollments.push(stay.id);
                }
            }
        }
        let clients: BTreeMap<Uuid, &ClientAnswers> = clients
            .iter()
            .filter(|client| by_client.contains_key(&client.id))
            .map(|client| (client.id, client))
            .collect();
        for (id, client) in clients {
            let checks = [
                (
                    client.name_data_quality.code(),
                    &mut report.name_dont_know_refused_missing,
                ),
                (
                    client.ssn_data_quality.code(),
                    &mut report.ssn_dont_know_refused_missing,
                ),
                (
                    client.dob_data_quality.code(),
                    &mut report.dob_dont_know_refused_missing,
                ),
                (
                    client.veteran_status.code(),
                    &mut report.veteran_status_dont_know_refused_missing,
                ),
                (client.sex.code(), &mut report.sex_dont_know_refused_missing),
            ];
            for (code, found) in checks {
                if unclear(code) {
                    found.push(id);
                }
            }
        }
        report.sort();
        report
    }

    fn sort(&mut self) {
        for list in [
            &mut self.households_without_one_head,
            &mut self.members_before_head,
            &mut self.overlapping_enrollments,
            &mut self.exits_before_entries,
            &mut self.move_in_outside_stay,
            &mut self.missing_destination,
            &mut self.destination_dont_know_refused_missing,
            &mut self.name_dont_know_refused_missing,
            &mut self.ssn_dont_know_refused_missing,
            &mut self.dob_dont_know_refused_missing,
            &mut self.veteran_status_dont_know_refused_missing,
            &mut self.sex_dont_know_refused_missing,
            &mut self.entries_recorded_late,
            &mut self.exits_recorded_late,
        ] {
            let unique: BTreeSet<Uuid> = list.drain(..).collect();
            list.extend(unique);
        }
    }
}

#[cfg(test)]
mod tests;
