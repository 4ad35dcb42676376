//! HUD Q7a, persons served, and Q8a, households served, by household type.

use super::table::{Table, TableBuilder};
use super::universe::{AgeGroup, HouseholdType, Person, HOUSEHOLD_COLUMNS};

/// Fills row `row` with the people that pass `keep`: the total, then one column per
/// household type.
pub(super) fn household_row<'p, 'a: 'p>(
    table: &mut TableBuilder<'_>,
    row: usize,
    people: impl Iterator<Item = &'p Person<'a>> + Clone,
) {
    table.count(row, 0, people.clone().map(|p| &p.member));
    for (index, kind) in HouseholdType::ALL.into_iter().enumerate() {
        table.count(
            row,
            index + 1,
            people
                .clone()
                .filter(|p| p.household == kind)
                .map(|p| &p.member),
        );
    }
}

/// 3.20: permanent supportive housing (3) and rapid re-housing (13) clients who moved in by
/// the report end.
fn moved_in(person: &Person, universe: &super::universe::Universe) -> bool {
    let fact = person.fact;
    matches!(fact.project_type.code(), 3 | 13)
        && fact
            .move_in_date
            .is_some_and(|move_in| fact.entry_date <= move_in && move_in <= universe.range.to())
}

const Q7A_ROWS: [&str; 6] = [
    "Adults",
    "Children",
    "Client Doesn't Know/Prefers Not to Answer",
    "Data Not Collected",
    "Total",
    "For PSH & RRH – the total persons served who moved into housing",
];

pub(super) fn q7a(universe: &super::universe::Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q7a",
        "Number of Persons Served",
        &Q7A_ROWS,
        &HOUSEHOLD_COLUMNS,
    );
    let people = || universe.people.iter();
    let groups = [
        AgeGroup::Adult,
        AgeGroup::Child,
        AgeGroup::DontKnow,
        AgeGroup::NotCollected,
    ];
    for (row, group) in groups.into_iter().enumerate() {
        household_row(&mut table, row, people().filter(move |p| p.age == group));
    }
    household_row(&mut table, 4, people());
    household_row(&mut table, 5, people().filter(|p| moved_in(p, universe)));
    table.build()
}

const Q8A_ROWS: [&str; 2] = [
    "Total Households",
    "For PSH & RRH – the total households served who moved into housing",
];

/// Households are counted by their heads in the report; a cell's members are the heads.
pub(super) fn q8a(universe: &super::universe::Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q8a",
        "Number of Households Served",
        &Q8A_ROWS,
        &HOUSEHOLD_COLUMNS,
    );
    let heads = || universe.people.iter().filter(|p| p.is_head);
    household_row(&mut table, 0, heads());
    household_row(&mut table, 1, heads().filter(|p| moved_in(p, universe)));
    table.build()
}
