//! Fixtures: one client at a time, with every answer complete, then changed by each test.

mod data_quality;
mod outcomes;

use uuid::Uuid;

use super::*;
use crate::codes::{
    DataQuality, Destination, MonthsHomelessPastThreeYears, NoYesMissing, PriorLivingSituation,
    ProjectType, RelationshipToHoh, Sex, TimesHomelessPastThreeYears,
};
use crate::dates::Date;
use crate::money::Cents;
use crate::reports::ReportRange;

fn day(text: &str) -> Date {
    Date::parse(text).unwrap()
}

fn id(number: u128) -> Uuid {
    Uuid::from_u128(number)
}

/// The report's range: calendar year 2025.
fn range() -> ReportRange {
    ReportRange::new(day("2025-01-01"), day("2025-12-31")).unwrap()
}

fn no_income(on: &str) -> IncomeRecord {
    IncomeRecord {
        information_date: day(on),
        income_from_any_source: Some(NoYesMissing::try_from(0).unwrap()),
        earned: None,
        other_sources: 0,
        other_amount: Cents::from(0),
        total_monthly: None,
    }
}

/// Client `number`, head of their own household `number` (enrollment `number`), an adult in
/// an entry-exit shelter since 2025-03-01, every answer complete and recorded on the day.
fn client(number: u128) -> ReportedEnrollment {
    ReportedEnrollment {
        enrollment_id: id(1000 + number),
        client_id: id(number),
        household_id: id(2000 + number),
        project_id: id(9),
        project_type: ProjectType::try_from(0).unwrap(),
        relationship: Some(RelationshipToHoh::SELF_HEAD),
        entry_date: day("2025-03-01"),
        move_in_date: None,
        exit_date: None,
        destination: None,
        enrollment_coc: Some("XX-500".to_owned()),
        disabling_condition: Some(NoYesMissing::try_from(0).unwrap()),
        has_disabling_disability: false,
        living_situation: LivingSituation {
            prior_living_situation: Some(PriorLivingSituation::try_from(116).unwrap()),
            date_to_street_essh: Some(day("2025-01-01")),
            times_homeless: Some(TimesHomelessPastThreeYears::try_from(1).unwrap()),
            months_homeless: Some(MonthsHomelessPastThreeYears::try_from(102).unwrap()),
            ..LivingSituation::default()
        },
        client: ClientAnswers {
            has_first_name: true,
            has_last_name: true,
            name_data_quality: Some(DataQuality::try_from(1).unwrap()),
            ssn: Some("219-45-6781".to_owned()),
            ssn_data_quality: Some(DataQuality::try_from(1).unwrap()),
            dob: Some(day("1980-06-15")),
            dob_data_quality: Some(DataQuality::try_from(1).unwrap()),
            has_race: true,
            race_none: None,
            sex: Some(Sex::try_from(0).unwrap()),
            veteran_status: Some(NoYesMissing::try_from(0).unwrap()),
        },
        income_at_start: Some(no_income("2025-03-01")),
        annual_assessments: Vec::new(),
        income_at_exit: None,
        entry_created_on: day("2025-03-01"),
        exit_created_on: None,
        last_contact: None,
        last_bed_night: None,
        flagged: false,
    }
}

/// `member` of the household headed by `head`: a child (born 2015) by default.
fn member_of(head: &ReportedEnrollment, number: u128) -> ReportedEnrollment {
    let mut member = client(number);
    member.household_id = head.household_id;
    member.relationship = Some(RelationshipToHoh::try_from(2).unwrap());
    member.client.dob = Some(day("2015-05-05"));
    member.entry_date = head.entry_date;
    member.entry_created_on = head.entry_date;
    member.income_at_start = None;
    member
}

fn exited(mut fact: ReportedEnrollment, on: &str, destination: i32) -> ReportedEnrollment {
    fact.exit_date = Some(day(on));
    fact.exit_created_on = Some(day(on));
    fact.destination = Some(Destination::try_from(destination).unwrap());
    fact.income_at_exit = Some(no_income(on));
    fact
}

fn table<'a>(tables: &'a [Table], question: &str) -> &'a Table {
    tables
        .iter()
        .find(|table| table.question == question)
        .unwrap()
}

/// The clients (by number) a cell counts.
fn clients(tables: &[Table], question: &str, cell: &str) -> Vec<u128> {
    find_cell(tables, question, cell)
        .unwrap_or_else(|| panic!("{question} {cell}"))
        .value
        .members()
        .unwrap()
        .iter()
        .map(|member| member.client_id.as_u128())
        .collect()
}

fn rate(tables: &[Table], question: &str, cell: &str) -> (usize, usize) {
    match find_cell(tables, question, cell).unwrap().value {
        CellValue::Rate {
            numerator,
            denominator,
        } => (numerator, denominator),
        ref other => panic!("{question} {cell} is {other:?}"),
    }
}

#[test]
fn cell_ids_are_huds_spreadsheet_references() {
    assert_eq!(cell_id(0, 0), "B2");
    assert_eq!(cell_id(4, 5), "G6");
    assert_eq!(cell_id(0, 24), "Z2");
    assert_eq!(cell_id(0, 25), "AA2");
}

#[test]
fn a_cell_is_found_by_question_and_reference_and_by_its_labels() {
    let tables = hud_data_quality(&range(), &[client(1)]);
    let cell = find_cell(&tables, "q5a", "b2").unwrap();
    assert_eq!(cell.row, "Total Number of Persons Served");
    assert_eq!(cell.column, "Count of Clients for DQ");
    assert_eq!(cell.value.count(), Some(1));
    let q5a = table(&tables, "Q5a");
    assert_eq!(
        q5a.at(
            "Number of Adults (Age 18 or Over)",
            "Count of Clients for DQ"
        )
        .map(|cell| cell.id.as_str()),
        Some("B3")
    );
    assert!(find_cell(&tables, "Q5a", "C2").is_none());
    assert!(find_cell(&tables, "Q99", "B2").is_none());
}

fn earning(on: &str, dollars: i64) -> IncomeRecord {
    IncomeRecord {
        income_from_any_source: Some(NoYesMissing::YES),
        earned: Some(Cents::from(dollars * 100)),
        ..no_income(on)
    }
}

#[test]
fn counts_alone_or_one_cells_members_are_kept_as_asked() {
    let facts = [client(1), client(2), exited(client(3), "2025-06-01", 410)];
    let all = hud_data_quality(&range(), &facts);
    let counts = hud_data_quality_with(&range(), &facts, Detail::Counts);
    let one = hud_data_quality_with(
        &range(),
        &facts,
        Detail::Cell {
            question: "q5a",
            cell: "b2",
        },
    );
    assert_eq!(all.len(), counts.len());
    for (full, counted) in all.iter().zip(&counts) {
        for (cell, alone) in full.cells.iter().zip(&counted.cells) {
            assert_eq!(cell.value.count(), alone.value.count(), "{}", cell.id);
            assert!(alone.value.members().is_none(), "{}", cell.id);
        }
    }
    assert_eq!(clients(&one, "Q5a", "B2"), [1, 2, 3]);
    assert!(find_cell(&one, "Q5a", "B3")
        .and_then(|cell| cell.value.members())
        .is_none());
    assert_eq!(
        find_cell(&one, "Q5a", "B3").and_then(|cell| cell.value.count()),
        Some(3)
    );
}
