//! Chronic homelessness at project start (3.08 with 3.917) and HUD Q6d, the data quality of
//! the questions it is computed from.

use super::facts::ReportedEnrollment;
use super::table::{Member, Members, Table, TableBuilder};
use super::universe::Universe;
use crate::dates::Date;

/// What kind of place 3.917.1 names, by the hundreds of its code.
fn prior_place(fact: &ReportedEnrollment) -> Option<i32> {
    fact.living_situation
        .prior_living_situation
        .map(|situation| situation.code() / 100)
        .filter(|hundreds| *hundreds > 0)
}

fn length_of_stay(fact: &ReportedEnrollment) -> Option<i32> {
    fact.living_situation.length_of_stay.map(|los| los.code())
}

fn previous_street_yes(fact: &ReportedEnrollment) -> bool {
    fact.living_situation
        .previous_street_essh
        .is_some_and(|answer| answer.code() == 1)
}

fn previous_street_missing(fact: &ReportedEnrollment) -> bool {
    fact.living_situation
        .previous_street_essh
        .is_none_or(|answer| answer.code() == 99)
}

fn unanswered(code: Option<i32>) -> bool {
    code.is_none_or(|code| matches!(code, 8 | 9 | 99))
}

/// Street outreach, emergency shelter (both methods) and safe haven: projects whose clients
/// are literally homeless at start, so 3.917A asks them all of 3.917.3-5.
fn is_street_or_shelter(fact: &ReportedEnrollment) -> bool {
    matches!(fact.project_type.code(), 0 | 1 | 4 | 8)
}

/// 3.917.2: less than 90 days (institutions) and less than 7 nights (housing).
fn under_90_days(fact: &ReportedEnrollment) -> bool {
    matches!(length_of_stay(fact), Some(10 | 11 | 2 | 3))
}

fn under_7_nights(fact: &ReportedEnrollment) -> bool {
    matches!(length_of_stay(fact), Some(10 | 11))
}

/// Whether 3.917.3-5 (date homelessness started, times and months) are asked: always in
/// street outreach, shelter and safe haven; elsewhere when the client came from a homeless
/// situation, or from a short institutional stay or a short stay in housing with the night
/// before on the street or in ES or SH (3.917B).
pub(super) fn asks_homeless_history(fact: &ReportedEnrollment) -> bool {
    is_street_or_shelter(fact)
        || match prior_place(fact) {
            Some(1) => true,
            Some(2) => under_90_days(fact) && previous_street_yes(fact),
            Some(3 | 4) => under_7_nights(fact) && previous_street_yes(fact),
            _ => false,
        }
}

/// HUD's chronic homelessness at project start for an adult or head of household: a
/// disabling condition (3.08 "yes") and a homeless history that either started a year or more
/// before project start (3.917.3) or counts four or more times (3.917.4) adding up to twelve
/// months or more (3.917.5: 112 or 113).
pub(super) fn chronic_at_start(fact: &ReportedEnrollment) -> bool {
    let disabled = fact
        .disabling_condition
        .is_some_and(|answer| answer.is_yes());
    if !disabled || !asks_homeless_history(fact) {
        return false;
    }
    let situation = &fact.living_situation;
    let a_year_since_start = situation
        .date_to_street_essh
        .is_some_and(|started| started.days_until(fact.entry_date) >= 365);
    let four_times_twelve_months = situation.times_homeless.is_some_and(|t| t.code() == 4)
        && situation
            .months_homeless
            .is_some_and(|m| matches!(m.code(), 112 | 113));
    a_year_since_start || four_times_twelve_months
}

const ROWS: [&str; 4] = [
    "ES-EE, ES-NbN, SH, Street Outreach",
    "TH",
    "PH (All)",
    "Total",
];

const COLUMNS: [&str; 7] = [
    "Count of Total Records",
    "Missing Time in Institution (3.917.2)",
    "Missing Time in Housing (3.917.2)",
    "Approximate Date Started (3.917.3) Client Doesn't Know/Prefers Not to Answer/Missing",
    "Number of Times (3.917.4) Client Doesn't Know/Prefers Not to Answer/Missing",
    "Number of Months (3.917.5) Client Doesn't Know/Prefers Not to Answer/Missing",
    "% of Records Unable to Calculate",
];

fn project_group(fact: &ReportedEnrollment) -> Option<usize> {
    match fact.project_type.code() {
        0 | 1 | 4 | 8 => Some(0),
        2 => Some(1),
        3 | 9 | 10 | 13 => Some(2),
        _ => None,
    }
}

/// The errors of one record, by column (from "Missing Time in Institution").
fn errors(fact: &ReportedEnrollment) -> [bool; 5] {
    let situation = &fact.living_situation;
    let housing_asked = !is_street_or_shelter(fact);
    let los_unanswered = unanswered(length_of_stay(fact));
    let history = asks_homeless_history(fact);
    [
        housing_asked
            && prior_place(fact) == Some(2)
            && (los_unanswered || (under_90_days(fact) && previous_street_missing(fact))),
        housing_asked
            && matches!(prior_place(fact), Some(3 | 4))
            && (los_unanswered || (under_7_nights(fact) && previous_street_missing(fact))),
        history && situation.date_to_street_essh.is_none(),
        history && unanswered(situation.times_homeless.map(|t| t.code())),
        history && unanswered(situation.months_homeless.map(|m| m.code())),
    ]
}

/// HUD Q6d: adults and heads of household who started on or after 2016-10-01 (when 3.917
/// took its current form), by project type.
pub(super) fn q6d(universe: &Universe) -> Table {
    let mut table = TableBuilder::new(
        universe.detail,
        "Q6d",
        "Data Quality: Chronic Homelessness",
        &ROWS,
        &COLUMNS,
    );
    let since = Date::from_ymd(2016, 10, 1);
    let mut records: [Vec<(Member, [bool; 5])>; 3] = Default::default();
    for person in universe.people.iter().filter(|p| p.is_adult_or_head()) {
        let fact = person.fact;
        if since.is_some_and(|since| fact.entry_date < since) {
            continue;
        }
        if let Some(group) = project_group(fact) {
            records[group].push((person.member, errors(fact)));
        }
    }
    let total: Vec<(Member, [bool; 5])> = records.iter().flatten().copied().collect();
    for (row, rows_records) in records.iter().chain([&total]).enumerate() {
        table.count(row, 0, rows_records.iter().map(|(member, _)| member));
        let mut unable = Members::new();
        for column in 0..5 {
            let members: Members = rows_records
                .iter()
                .filter(|(_, errors)| errors[column])
                .map(|(member, _)| *member)
                .collect();
            unable.extend(members.iter().copied());
            // Street outreach, shelter and safe haven do not ask 3.917.2 this way.
            if row == 0 && column < 2 {
                continue;
            }
            table.count(row, column + 1, &members);
        }
        table.rate(row, 6, unable.len(), rows_records.len());
    }
    table.build()
}
