//! HUD Q6e, how long after the fact project starts and exits were recorded, and Q6f, the
//! street outreach and night-by-night shelter records with no recent contact or bed night.

use super::table::{Table, TableBuilder};
use super::universe::Universe;

const Q6E_ROWS: [&str; 5] = ["0 days", "1-3 Days", "4-6 Days", "7-10 Days", "11+ Days"];

const Q6E_COLUMNS: [&str; 2] = [
    "Number of Project Start Records",
    "Number of Project Exit Records",
];

/// HUD's bucket for the days between an event and its record; a record created before the
/// event counts as on time.
fn bucket(days: i64) -> usize {
    match days {
        ..=0 => 0,
        1..=3 => 1,
        4..=6 => 2,
        7..=10 => 3,
        _ => 4,
    }
}

/// Project starts in the range (3.10 against the record's creation) and exits in the range
/// (3.11 against the exit record's creation).
pub(super) fn q6e(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q6e",
        "Data Quality: Timeliness",
        &Q6E_ROWS,
        &Q6E_COLUMNS,
    );
    let range = universe.range;
    let mut starts: [Vec<_>; 5] = Default::default();
    let mut exits: [Vec<_>; 5] = Default::default();
    for person in &universe.people {
        let fact = person.fact;
        if range.contains(fact.entry_date) {
            starts[bucket(fact.entry_date.days_until(fact.entry_created_on))].push(&person.member);
        }
        if let (Some(exit), Some(recorded)) = (fact.exit_date, fact.exit_created_on) {
            if range.contains(exit) {
                exits[bucket(exit.days_until(recorded))].push(&person.member);
            }
        }
    }
    for (row, (started, exited)) in starts.into_iter().zip(exits).enumerate() {
        table.count(row, 0, started);
        table.count(row, 1, exited);
    }
    table.build()
}

const Q6F_ROWS: [&str; 2] = [
    "Contact (Adults and Heads of Household in Street Outreach or ES-NbN)",
    "Bed Night (All Clients in ES-NbN)",
];

const Q6F_COLUMNS: [&str; 3] = [
    "# of Records",
    "# of Inactive Records",
    "% of Inactive Records",
];

/// Days without a contact or bed night after which a record is inactive.
const INACTIVE_DAYS: i64 = 90;

/// Stayers of street outreach (4) and night-by-night shelter (1) who started 90 days or more
/// before the report end; inactive when no contact (4.12) or bed night (4.14) falls within
/// the last 90 days of the range.
pub(super) fn q6f(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q6f",
        "Data Quality: Inactive Records: Street Outreach and Emergency Shelter",
        &Q6F_ROWS,
        &Q6F_COLUMNS,
    );
    let end = universe.range.to();
    let recent = |date: Option<_>| {
        date.is_some_and(|date: crate::dates::Date| {
            date <= end && date.days_until(end) <= INACTIVE_DAYS
        })
    };
    let long_stayers = || {
        universe
            .people
            .iter()
            .filter(|p| p.is_stayer() && p.fact.entry_date.days_until(end) >= INACTIVE_DAYS)
    };
    let contact: Vec<_> = long_stayers()
        .filter(|p| matches!(p.fact.project_type.code(), 1 | 4) && p.is_adult_or_head())
        .collect();
    let bed_night: Vec<_> = long_stayers()
        .filter(|p| p.fact.project_type.code() == 1)
        .collect();
    let inactive_contact = Universe::members(
        contact
            .iter()
            .copied()
            .filter(|p| !recent(p.fact.last_contact)),
    );
    let inactive_bed_night = Universe::members(
        bed_night
            .iter()
            .copied()
            .filter(|p| !recent(p.fact.last_bed_night)),
    );
    for (row, records, inactive) in [
        (0, &contact, inactive_contact),
        (1, &bed_night, inactive_bed_night),
    ] {
        table.count(row, 0, records.iter().map(|p| &p.member));
        table.rate(row, 2, inactive.len(), records.len());
        table.count(row, 1, &inactive);
    }
    table.build()
}
