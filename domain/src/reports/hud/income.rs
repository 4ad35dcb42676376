//! HUD Q19a: cash income change (4.02) of adults from project start to the annual
//! assessment (Q19a1, stayers) and to exit (Q19a2, leavers).

use super::facts::IncomeRecord;
use super::table::{CellValue, Member, Table, TableBuilder};
use super::universe::Universe;
use crate::money::Cents;

const ROWS: [&str; 6] = [
    "Number of Adults with Earned Income (i.e., Employment Income)",
    "Average Change in Earned Income",
    "Number of Adults with Other Income",
    "Average Change in Other Income",
    "Number of Adults with Any Income (i.e., Total Income)",
    "Average Change in Overall Income",
];

const ANNUAL_COLUMNS: [&str; 9] = [
    "Had Income Category at Start and Did Not Have It at Annual Assessment",
    "Retained Income Category But Had Less $ at Annual Assessment Than at Start",
    "Retained Income Category and Same $ at Annual Assessment as at Start",
    "Retained Income Category and Increased $ at Annual Assessment",
    "Did Not Have the Income Category at Start and Gained the Income Category at Annual Assessment",
    "Did Not Have the Income Category at Start or at Annual Assessment",
    "Total Adults (including those with No Income)",
    "Performance Measure: Adults who Gained or Increased Income from Start to Annual Assessment, Average Gain",
    "Performance measure: Percent of persons who accomplished this measure",
];

const EXIT_COLUMNS: [&str; 9] = [
    "Had Income Category at Start and Did Not Have It at Exit",
    "Retained Income Category But Had Less $ at Exit Than at Start",
    "Retained Income Category and Same $ at Exit as at Start",
    "Retained Income Category and Increased $ at Exit",
    "Did Not Have the Income Category at Start and Gained the Income Category at Exit",
    "Did Not Have the Income Category at Start or at Exit",
    "Total Adults (including those with No Income)",
    "Performance Measure: Adults who Gained or Increased Income from Start to Exit, Average Gain",
    "Performance measure: Percent of persons who accomplished this measure",
];

/// The amount of one income category on a record, in cents.
type Category = fn(&IncomeRecord) -> i64;

const CATEGORIES: [Category; 3] = [
    |record| i64::from(record.earned_amount()),
    |record| i64::from(record.other_amount),
    |record| i64::from(record.total()),
];

/// Which of the six change columns a pair of amounts falls in.
fn change_column(start: i64, later: i64) -> usize {
    match (start > 0, later > 0) {
        (true, false) => 0,
        (true, true) if later < start => 1,
        (true, true) if later == start => 2,
        (true, true) => 3,
        (false, true) => 4,
        (false, false) => 5,
    }
}

fn average(changes: &[i64]) -> Option<Cents> {
    if changes.is_empty() {
        return None;
    }
    let total: i64 = changes.iter().sum();
    Some(Cents::from(
        (total as f64 / changes.len() as f64).round() as i64
    ))
}

/// Fills the table from (member, start record, later record) triples.
fn fill(table: &mut TableBuilder<'_>, adults: &[(Member, &IncomeRecord, &IncomeRecord)]) {
    for (index, amount) in CATEGORIES.iter().enumerate() {
        let (count_row, average_row) = (index * 2, index * 2 + 1);
        let mut columns: [Vec<(Member, i64)>; 8] = Default::default();
        for (member, start, later) in adults {
            let (start, later) = (amount(start), amount(later));
            let column = change_column(start, later);
            columns[column].push((*member, later - start));
            columns[6].push((*member, later - start));
            if matches!(column, 3 | 4) {
                columns[7].push((*member, later - start));
            }
        }
        for (column, entries) in columns.iter().enumerate() {
            table.count(count_row, column, entries.iter().map(|(member, _)| member));
            let changes: Vec<i64> = entries.iter().map(|(_, change)| *change).collect();
            table.set(average_row, column, CellValue::Amount(average(&changes)));
        }
        table.rate(count_row, 8, columns[7].len(), columns[6].len());
    }
}

/// Q19a1: adult stayers whose annual assessment is due, with income answered (4.02.1 yes
/// or no) at start and on the annual assessment that counts.
pub(super) fn q19a1(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q19a1",
        "Client Cash Income Change - Income Source - by Start and Latest Status",
        &ROWS,
        &ANNUAL_COLUMNS,
    );
    let adults: Vec<_> = universe
        .people
        .iter()
        .filter(|p| p.is_adult())
        .filter_map(|p| {
            let start = p.fact.income_at_start.as_ref()?;
            let annual = universe.relevant_annual(p)?;
            (start.is_answered() && annual.is_answered()).then_some((p.member, start, annual))
        })
        .collect();
    fill(&mut table, &adults);
    table.build()
}

/// Q19a2: adult leavers with income answered at start and at exit.
pub(super) fn q19a2(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q19a2",
        "Client Cash Income Change - Income Source - by Start and Exit",
        &ROWS,
        &EXIT_COLUMNS,
    );
    let adults: Vec<_> = universe
        .people
        .iter()
        .filter(|p| p.is_adult() && p.leaver)
        .filter_map(|p| {
            let start = p.fact.income_at_start.as_ref()?;
            let exit = p.fact.income_at_exit.as_ref()?;
            (start.is_answered() && exit.is_answered()).then_some((p.member, start, exit))
        })
        .collect();
    fill(&mut table, &adults);
    table.build()
}
