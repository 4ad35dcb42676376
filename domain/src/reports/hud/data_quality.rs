//! HUD Q6a, Q6b and Q6c: personally identifying information, universal data elements, and
//! income and housing data quality.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::facts::{IncomeRecord, ReportedEnrollment};
use super::ssn::is_valid_ssn;
use super::table::{Members, Table, TableBuilder};
use super::universe::{Person, Universe};
use crate::dates::Date;

/// Which of Q6a's columns a client's answer to one element falls in; at most one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    DontKnowOrRefused,
    Missing,
    Invalid,
}

fn quality(code: Option<i32>) -> Option<Problem> {
    match code {
        Some(8 | 9) => Some(Problem::DontKnowOrRefused),
        Some(99) | None => Some(Problem::Missing),
        Some(2) => Some(Problem::Invalid),
        _ => None,
    }
}

/// 3.01: a name without a first or last part is missing, whatever its quality says.
fn name_issue(person: &Person) -> Option<Problem> {
    let client = &person.fact.client;
    match quality(client.name_data_quality.map(|q| q.code())) {
        Some(Problem::DontKnowOrRefused) => Some(Problem::DontKnowOrRefused),
        _ if !client.has_first_name || !client.has_last_name => Some(Problem::Missing),
        issue => issue,
    }
}

/// 3.02: no number is missing; a number that no SSN can be is a data issue.
fn ssn_issue(person: &Person) -> Option<Problem> {
    let client = &person.fact.client;
    match quality(client.ssn_data_quality.map(|q| q.code())) {
        Some(Problem::DontKnowOrRefused) => Some(Problem::DontKnowOrRefused),
        Some(Problem::Missing) => Some(Problem::Missing),
        issue => match client.ssn.as_deref() {
            None | Some("") => Some(Problem::Missing),
            Some(ssn) if !is_valid_ssn(ssn) => Some(Problem::Invalid),
            _ => issue,
        },
    }
}

/// 3.03: data issues are approximate dates, births before 1915, births after the record was
/// created, and heads of household born on or after their project start.
fn dob_issue(person: &Person) -> Option<Problem> {
    let fact = person.fact;
    let client = &fact.client;
    match quality(client.dob_data_quality.map(|q| q.code())) {
        Some(Problem::DontKnowOrRefused) => Some(Problem::DontKnowOrRefused),
        Some(Problem::Missing) => Some(Problem::Missing),
        issue => match client.dob {
            None => Some(Problem::Missing),
            Some(dob) => {
                let too_early = Date::from_ymd(1915, 1, 1).is_some_and(|limit| dob < limit);
                let impossible = too_early
                    || dob > fact.entry_created_on
                    || (person.is_head && dob >= fact.entry_date);
                if impossible {
                    Some(Problem::Invalid)
                } else {
                    issue
                }
            }
        },
    }
}

/// 3.04: a reason for no answer, or neither a race nor a reason.
fn race_issue(person: &Person) -> Option<Problem> {
    let client = &person.fact.client;
    match client.race_none.map(|none| none.code()) {
        Some(8 | 9) => Some(Problem::DontKnowOrRefused),
        Some(_) => Some(Problem::Missing),
        None if !client.has_race => Some(Problem::Missing),
        None => None,
    }
}

fn sex_issue(person: &Person) -> Option<Problem> {
    match person.fact.client.sex.map(|sex| sex.code()) {
        Some(8 | 9) => Some(Problem::DontKnowOrRefused),
        Some(99) | None => Some(Problem::Missing),
        Some(_) => None,
    }
}

const Q6A_ROWS: [&str; 6] = [
    "Name (3.01)",
    "Social Security Number (3.02)",
    "Date of Birth (3.03)",
    "Race and Ethnicity (3.04)",
    "Sex (4.21)",
    "Overall Score",
];

const Q6A_COLUMNS: [&str; 5] = [
    "Client Doesn't Know/Prefers Not to Answer",
    "Information Missing",
    "Data Issues",
    "Total",
    "% of Issue Rate",
];

pub(super) fn q6a(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q6a",
        "Data Quality: Personally Identifying Information",
        &Q6A_ROWS,
        &Q6A_COLUMNS,
    );
    let everyone = universe.people.len();
    let checks: [fn(&Person) -> Option<Problem>; 5] =
        [name_issue, ssn_issue, dob_issue, race_issue, sex_issue];
    let mut overall = Members::new();
    for (row, check) in checks.iter().enumerate() {
        let mut total = Members::new();
        for (column, kind) in [
            Problem::DontKnowOrRefused,
            Problem::Missing,
            Problem::Invalid,
        ]
        .into_iter()
        .enumerate()
        {
            let members: Members = universe
                .people
                .iter()
                .filter(|p| check(p) == Some(kind))
                .map(|p| p.member)
                .collect();
            total.extend(members.iter().copied());
            // Race and sex have no data issues in HUD's table.
            if kind == Problem::Invalid && row >= 3 {
                continue;
            }
            table.count(row, column, &members);
        }
        table.rate(row, 4, total.len(), everyone);
        overall.extend(total.iter().copied());
        table.count(row, 3, &total);
    }
    table.count(5, 3, &overall);
    table.rate(5, 4, overall.len(), everyone);
    table.build()
}

const ERROR_COLUMNS: [&str; 2] = ["Error Count", "% of Error Rate"];

/// Fills a row of an error table: the members with the error over those asked.
fn error_row<'p, 'a: 'p>(
    table: &mut TableBuilder<'_>,
    row: usize,
    asked: impl Iterator<Item = &'p Person<'a>>,
    has_error: impl Fn(&Person) -> bool,
) {
    let asked: Vec<&Person> = asked.collect();
    let errors = Universe::members(asked.iter().copied().filter(|p| has_error(p)));
    table.rate(row, 1, errors.len(), asked.len());
    table.count(row, 0, &errors);
}

fn unanswered(code: Option<i32>) -> bool {
    code.is_none_or(|code| matches!(code, 8 | 9 | 99))
}

/// 3.10: the project start falls within another stay of the same client in the same
/// project that started earlier.
fn overlaps_earlier_stay(universe: &Universe, fact: &ReportedEnrollment) -> bool {
    let period = crate::dates::Period::new(fact.entry_date, fact.exit_date);
    universe.stays_of(fact.client_id).any(|other| {
        other.enrollment_id != fact.enrollment_id
            && other.project_id == fact.project_id
            && other.entry_date <= fact.entry_date
            && crate::dates::Period::new(other.entry_date, other.exit_date).overlaps(&period)
    })
}

const Q6B_ROWS: [&str; 5] = [
    "Veteran Status (3.07)",
    "Project Start Date (3.10)",
    "Relationship to Head of Household (3.15)",
    "Enrollment CoC (3.16)",
    "Disabling Condition (3.08)",
];

pub(super) fn q6b(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q6b",
        "Data Quality: Universal Data Elements",
        &Q6B_ROWS,
        &ERROR_COLUMNS,
    );
    let people = || universe.people.iter();
    let mut heads: BTreeMap<Uuid, usize> = BTreeMap::new();
    for person in people() {
        *heads.entry(person.member.household_id).or_default() += usize::from(person.is_head);
    }
    error_row(&mut table, 0, people().filter(|p| p.is_adult()), |p| {
        unanswered(p.fact.client.veteran_status.map(|v| v.code()))
    });
    error_row(&mut table, 1, people(), |p| {
        overlaps_earlier_stay(universe, p.fact)
    });
    error_row(&mut table, 2, people(), |p| {
        p.fact.relationship.is_none_or(|r| r.code() == 99)
            || heads.get(&p.member.household_id) != Some(&1)
    });
    error_row(&mut table, 3, people().filter(|p| p.is_head), |p| {
        p.fact
            .enrollment_coc
            .as_deref()
            .is_none_or(|coc| coc.trim().is_empty())
    });
    error_row(&mut table, 4, people(), |p| {
        let answer = p.fact.disabling_condition.map(|d| d.code());
        unanswered(answer) || (answer == Some(0) && p.fact.has_disabling_disability)
    });
    table.build()
}

const Q6C_ROWS: [&str; 4] = [
    "Destination (3.12)",
    "Income and Sources (4.02) at Start",
    "Income and Sources (4.02) at Annual Assessment",
    "Income and Sources (4.02) at Exit",
];

fn income_error(record: Option<&IncomeRecord>) -> bool {
    record.is_none_or(IncomeRecord::has_error)
}

pub(super) fn q6c(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q6c",
        "Data Quality: Income and Housing Data Quality",
        &Q6C_ROWS,
        &ERROR_COLUMNS,
    );
    let people = || universe.people.iter();
    error_row(&mut table, 0, people().filter(|p| p.leaver), |p| {
        p.fact
            .destination
            .is_none_or(|d| matches!(d.code(), 8 | 9 | 30 | 99))
    });
    error_row(
        &mut table,
        1,
        people().filter(|p| p.is_adult_or_head()),
        |p| income_error(p.fact.income_at_start.as_ref()),
    );
    error_row(
        &mut table,
        2,
        people().filter(|p| p.is_adult_or_head() && universe.annual_due(p).is_some()),
        |p| income_error(universe.relevant_annual(p)),
    );
    error_row(
        &mut table,
        3,
        people().filter(|p| p.is_adult_or_head() && p.leaver),
        |p| income_error(p.fact.income_at_exit.as_ref()),
    );
    table.build()
}
