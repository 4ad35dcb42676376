//! HUD Q5a, the report validations table: the counts every other table is checked against.

use super::table::{Table, TableBuilder};
use super::universe::{AgeGroup, Person, Universe};

/// Whether a person is counted in a row.
type Rule<'r> = &'r dyn Fn(&Person) -> bool;

const ROWS: [&str; 16] = [
    "Total Number of Persons Served",
    "Number of Adults (Age 18 or Over)",
    "Number of Children (Under Age 18)",
    "Number of Persons with Unknown Age",
    "Number of Leavers",
    "Number of Adult Leavers",
    "Number of Adult and Head of Household Leavers",
    "Number of Stayers",
    "Number of Adult Stayers",
    "Number of Veterans",
    "Number of Chronically Homeless Persons",
    "Number of Youth Under Age 25",
    "Number of Parenting Youth Under Age 25 with Children",
    "Number of Adult Heads of Household",
    "Number of Child and Unknown-Age Heads of Household",
    "Heads of Households and Adults with 365 Days or More in the Project",
];

const COLUMNS: [&str; 1] = ["Count of Clients for DQ"];

/// Each row counts the people its rule holds for; the youth rows by HUD's youth household
/// (every member under 25, ages known): see `Person::is_youth`.
pub(super) fn q5a(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q5a",
        "Report Validations Table",
        &ROWS,
        &COLUMNS,
    );
    let veteran = |p: &Person| {
        p.is_adult()
            && p.fact
                .client
                .veteran_status
                .is_some_and(|status| status.is_yes())
    };
    let rules: [(usize, Rule); 16] = [
        (0, &|_| true),
        (1, &|p| p.is_adult()),
        (2, &|p| p.age == AgeGroup::Child),
        (3, &|p| {
            matches!(p.age, AgeGroup::DontKnow | AgeGroup::NotCollected)
        }),
        (4, &|p| p.leaver),
        (5, &|p| p.leaver && p.is_adult()),
        (6, &|p| p.leaver && p.is_adult_or_head()),
        (7, &|p| p.is_stayer()),
        (8, &|p| p.is_stayer() && p.is_adult()),
        (9, &veteran),
        (10, &|p| p.chronic),
        (11, &|p| p.is_youth()),
        (12, &|p| p.is_parenting_youth()),
        (13, &|p| p.is_head && p.is_adult()),
        (14, &|p| p.is_head && !p.is_adult()),
        (15, &|p| {
            p.is_adult_or_head() && universe.annual_due(p).is_some()
        }),
    ];
    for (row, rule) in rules {
        table.count(
            row,
            0,
            universe
                .people
                .iter()
                .filter(|p| rule(p))
                .map(|p| &p.member),
        );
    }
    table.build()
}
