//! HUD Q22a, length of participation, and Q23c, exit destinations.

use super::served::household_row;
use super::table::{Table, TableBuilder};
use super::universe::{HouseholdType, Person, Universe, HOUSEHOLD_COLUMNS};
use crate::codes::Destination;
use std::collections::HashMap;

const Q22A_ROWS: [&str; 11] = [
    "30 days or less",
    "31 to 60 days",
    "61 to 90 days",
    "91 to 180 days",
    "181 to 365 days",
    "366 to 730 days (1-2 Yrs)",
    "731 to 1,095 days (2-3 Yrs)",
    "1,096 to 1,460 days (3-4 Yrs)",
    "1,461 to 1,825 days (4-5 Yrs)",
    "More than 1,825 days (> 5 Yrs)",
    "Total",
];

const Q22A_COLUMNS: [&str; 3] = ["Total", "Leavers", "Stayers"];

/// The upper bound (days, included) of each of Q22a's buckets but the last.
const BUCKET_ENDS: [i64; 9] = [30, 60, 90, 180, 365, 730, 1095, 1460, 1825];

/// Days in the project: to the exit for leavers, to the report end for stayers.
pub(super) fn days_in_project(universe: &Universe, person: &Person) -> i64 {
    let end = match person.fact.exit_date {
        Some(exit) if person.leaver => exit,
        _ => universe.range.to(),
    };
    person.fact.entry_date.days_until(end)
}

fn bucket(days: i64) -> usize {
    BUCKET_ENDS
        .iter()
        .position(|end| days <= *end)
        .unwrap_or(BUCKET_ENDS.len())
}

pub(super) fn q22a(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q22a",
        "Length of Participation",
        &Q22A_ROWS,
        &Q22A_COLUMNS,
    );
    // Each person into their bucket once (a report may hold a million), the last row all.
    let mut rows: Vec<Vec<&Person>> = vec![Vec::new(); Q22A_ROWS.len()];
    for person in &universe.people {
        rows[bucket(days_in_project(universe, person))].push(person);
    }
    if let Some(total) = rows.last_mut() {
        *total = universe.people.iter().collect();
    }
    for (row, people) in rows.iter().enumerate() {
        let people = || people.iter().copied();
        table.count(row, 0, people().map(|p| &p.member));
        table.count(row, 1, people().filter(|p| p.leaver).map(|p| &p.member));
        table.count(
            row,
            2,
            people().filter(|p| p.is_stayer()).map(|p| &p.member),
        );
    }
    table.build()
}

/// A row of Q23c.
#[derive(Debug, Clone, Copy)]
enum Line {
    Heading(&'static str),
    /// One destination code, or several (8 and 9) under one label.
    Codes(&'static [i32], Option<&'static str>),
    /// The destinations of the group above.
    Subtotal,
}

const LINES: [Line; 38] = [
    Line::Heading("Homeless Situations"),
    Line::Codes(&[101], None),
    Line::Codes(&[116], None),
    Line::Codes(&[118], None),
    Line::Subtotal,
    Line::Heading("Institutional Situations"),
    Line::Codes(&[215], None),
    Line::Codes(&[206], None),
    Line::Codes(&[207], None),
    Line::Codes(&[225], None),
    Line::Codes(&[204], None),
    Line::Codes(&[205], None),
    Line::Subtotal,
    Line::Heading("Temporary Situations"),
    Line::Codes(&[302], None),
    Line::Codes(&[329], None),
    Line::Codes(&[314], None),
    Line::Codes(&[332], None),
    Line::Codes(&[312], None),
    Line::Codes(&[313], None),
    Line::Codes(&[327], None),
    Line::Subtotal,
    Line::Heading("Permanent Situations"),
    Line::Codes(&[422], None),
    Line::Codes(&[423], None),
    Line::Codes(&[426], None),
    Line::Codes(&[410], None),
    Line::Codes(&[435], None),
    Line::Codes(&[421], None),
    Line::Codes(&[411], None),
    Line::Subtotal,
    Line::Heading("Other Situations"),
    Line::Codes(&[30], None),
    Line::Codes(&[17], None),
    Line::Codes(&[24], None),
    Line::Codes(&[8, 9], Some("Client Doesn't Know/Prefers Not to Answer")),
    Line::Codes(&[99], None),
    Line::Subtotal,
];

const TOTAL: &str = "Total";
const POSITIVE: &str = "Total persons exiting to positive housing destinations";
const EXCLUDED: &str = "Total persons whose destinations excluded them from the calculation";
const PERCENTAGE: &str = "Percentage";

/// Destinations that take a leaver out of the positive-destination rate: foster care (215),
/// hospital (206), long-term care (225) and deceased (24).
fn is_excluded(code: i32) -> bool {
    matches!(code, 206 | 215 | 225 | 24)
}

/// A leaver's 3.12 destination; none recorded reads as 99, data not collected.
fn destination_code(person: &Person) -> i32 {
    person.fact.destination.map_or(99, Destination::code)
}

fn label(line: Line) -> &'static str {
    match line {
        Line::Heading(text) => text,
        Line::Codes(_, Some(text)) => text,
        Line::Codes(codes, None) => codes
            .first()
            .and_then(|code| Destination::try_from(*code).ok())
            .map_or("", Destination::label),
        Line::Subtotal => "Subtotal",
    }
}

/// Leavers by destination. Positive destinations are the permanent ones (400s).
pub(super) fn q23c(universe: &Universe) -> Table {
    let rows: Vec<&'static str> = LINES
        .iter()
        .map(|line| label(*line))
        .chain([TOTAL, POSITIVE, EXCLUDED, PERCENTAGE])
        .collect();
    let mut table = TableBuilder::new(
        universe.detail,
        "Q23c",
        "Exit Destination – All persons",
        &rows,
        &HOUSEHOLD_COLUMNS,
    );
    let leavers = || universe.people.iter().filter(|p| p.leaver);
    // The leavers by destination, grouped once (a report may hold a million).
    let mut by_destination: HashMap<i32, Vec<&Person>> = HashMap::new();
    for person in leavers() {
        by_destination
            .entry(destination_code(person))
            .or_default()
            .push(person);
    }
    let with = |codes: &[i32]| {
        codes
            .iter()
            .filter_map(|code| by_destination.get(code))
            .flatten()
            .copied()
            .collect::<Vec<&Person>>()
    };
    let mut group: Vec<i32> = Vec::new();
    for (row, line) in LINES.iter().enumerate() {
        match line {
            Line::Heading(_) => group.clear(),
            Line::Codes(codes, _) => {
                group.extend_from_slice(codes);
                household_row(&mut table, row, with(codes).into_iter());
            }
            Line::Subtotal => household_row(&mut table, row, with(&group).into_iter()),
        }
    }
    let total_row = LINES.len();
    household_row(&mut table, total_row, leavers());
    let positive = |p: &&Person| destination_code(p) / 100 == 4;
    let excluded = |p: &&Person| is_excluded(destination_code(p));
    household_row(&mut table, total_row + 1, leavers().filter(positive));
    household_row(&mut table, total_row + 2, leavers().filter(excluded));
    let columns = [None]
        .into_iter()
        .chain(HouseholdType::ALL.into_iter().map(Some));
    for (column, kind) in columns.enumerate() {
        let in_column = |p: &&Person| kind.is_none_or(|kind| p.household == kind);
        let counted = leavers().filter(in_column).filter(|p| !excluded(p)).count();
        let to_positive = leavers().filter(in_column).filter(positive).count();
        table.rate(total_row + 3, column, to_positive, counted);
    }
    table.build()
}
