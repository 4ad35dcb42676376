//! What HUD's APR and CAPER tables read (`threshold_domain::reports::hud`): every enrollment
//! (not deleted) of the programs in scope that started by the report's end, with its
//! program's type and its client's answers; and for those enrollments their income records
//! (4.02), their disabilities at project start (4.05-4.10), their latest contact (4.12) and
//! bed night (4.14). Five set-based statements, whatever the number of enrollments, each
//! kept to the scope by the same joins and filters.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Map, Value};
use threshold_domain::codes::{
    DataQuality, Destination, MonthsHomelessPastThreeYears, NoYesMissing, NoYesNotCollected,
    ProjectType, RaceNone, RelationshipToHoh, Sex, TimesHomelessPastThreeYears, UnknownCode,
};
use threshold_domain::money::Cents;
use threshold_domain::reports::hud::{
    ClientAnswers, IncomeRecord, LivingSituation, ReportedEnrollment,
};
use threshold_domain::Date;

use super::ReportScope;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use crate::rows::{StoredFlags, StoredSource};
use crate::schema::{clients, enrollments, hud_records, programs, services};

/// 4.14's record type of a bed night (HMIS CSV Services.RecordType).
const BED_NIGHT: i32 = 200;

/// The query of `$table` joined to its enrollment and the enrollment's program, kept to the
/// enrollments in scope that started by `$to` (not deleted), boxed.
macro_rules! in_scope {
    ($query:expr, $scope:expr, $to:expr) => {{
        let scope: ReportScope = $scope;
        let mut query = $query
            .filter(enrollments::deleted_at.is_null())
            .filter(enrollments::entry_date.le($to))
            .into_boxed();
        if let Some(organization_id) = scope.sight.organization() {
            query = query
                .filter(programs::organization_id.eq(organization_id))
                .filter(scope.sight.sees_client(enrollments::client_id));
        }
        if let Some(program_id) = scope.program_id {
            query = query.filter(enrollments::program_id.eq(program_id));
        }
        query
    }};
}

/// The facts of every enrollment in scope that started on or before `to`, in no order.
pub fn hud_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
    to: NaiveDate,
) -> Result<Vec<ReportedEnrollment>, StoreError> {
    let mut facts = enrollment_facts(conn, scope, to)?;
    let place: HashMap<EnrollmentId, usize> = facts
        .iter()
        .enumerate()
        .map(|(index, fact)| (EnrollmentId::from_uuid(fact.enrollment_id), index))
        .collect();
    let records = || hud_records::table.inner_join(enrollments::table.inner_join(programs::table));

    let rows: Vec<(EnrollmentId, Option<i32>, NaiveDate, String)> = in_scope!(records(), scope, to)
        .filter(hud_records::collection.eq("income_benefits"))
        .filter(hud_records::deleted_at.is_null())
        .select((
            hud_records::enrollment_id,
            hud_records::data_collection_stage,
            hud_records::information_date,
            hud_records::fields,
        ))
        .load(conn)?;
    for (id, stage, date, fields) in rows {
        let Some(fact) = fact_of(&mut facts, &place, id) else {
            continue;
        };
        let record = income_record(date.into(), &fields);
        // 5.03: 1 project start, 5 annual assessment, 3 project exit.
        match stage {
            Some(1) => fact.income_at_start = Some(record),
            Some(5) => fact.annual_assessments.push(record),
            Some(3) => fact.income_at_exit = Some(record),
            _ => {}
        }
    }

    let rows: Vec<(EnrollmentId, String)> = in_scope!(records(), scope, to)
        .filter(hud_records::collection.eq("disabilities"))
        .filter(hud_records::deleted_at.is_null())
        .filter(hud_records::data_collection_stage.eq(1))
        .select((hud_records::enrollment_id, hud_records::fields))
        .load(conn)?;
    for (id, fields) in rows {
        if let Some(fact) = fact_of(&mut facts, &place, id) {
            fact.has_disabling_disability |= is_disabling(&fields);
        }
    }

    // Each enrollment's latest date of each: the rows are few beside its records, and
    // kept to the latest as they come.
    let rows: Vec<(EnrollmentId, NaiveDate)> = in_scope!(records(), scope, to)
        .filter(hud_records::collection.eq("current_living_situations"))
        .filter(hud_records::deleted_at.is_null())
        .select((hud_records::enrollment_id, hud_records::information_date))
        .load(conn)?;
    for (id, date) in rows {
        if let Some(fact) = fact_of(&mut facts, &place, id) {
            fact.last_contact = fact.last_contact.max(Some(date.into()));
        }
    }

    let bed_nights = services::table.inner_join(enrollments::table.inner_join(programs::table));
    let rows: Vec<(EnrollmentId, NaiveDate)> = in_scope!(bed_nights, scope, to)
        .filter(services::record_type.eq(BED_NIGHT))
        .filter(services::deleted_at.is_null())
        .select((services::enrollment_id, services::date_provided))
        .load(conn)?;
    for (id, date) in rows {
        if let Some(fact) = fact_of(&mut facts, &place, id) {
            fact.last_bed_night = fact.last_bed_night.max(Some(date.into()));
        }
    }
    Ok(facts)
}

/// The fact of enrollment `id`, by its place among `facts`.
fn fact_of<'f>(
    facts: &'f mut [ReportedEnrollment],
    place: &HashMap<EnrollmentId, usize>,
    id: EnrollmentId,
) -> Option<&'f mut ReportedEnrollment> {
    facts.get_mut(*place.get(&id)?)
}

type EnrollmentColumns = (
    (
        EnrollmentId,
        ClientId,
        HouseholdId,
        ProgramId,
        i32,
        NaiveDate,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<i32>,
        Option<String>,
        Option<i32>,
        Option<i32>,
        Option<i32>,
        String,
    ),
    (
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<StoredSource>,
        Option<StoredSource>,
        StoredFlags,
        i32,
    ),
    (
        bool,
        bool,
        i32,
        Option<String>,
        i32,
        Option<NaiveDate>,
        i32,
        String,
        Option<i32>,
        i32,
        i32,
    ),
);

fn enrollment_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
    to: NaiveDate,
) -> Result<Vec<ReportedEnrollment>, StoreError> {
    let rows: Vec<EnrollmentColumns> = in_scope!(
        enrollments::table
            .inner_join(programs::table)
            .inner_join(clients::table),
        scope,
        to
    )
    .select((
        (
            enrollments::id,
            enrollments::client_id,
            enrollments::household_id,
            enrollments::program_id,
            enrollments::relationship_to_hoh,
            enrollments::entry_date,
            enrollments::move_in_date,
            enrollments::exit_date,
            enrollments::destination,
            enrollments::enrollment_coc,
            enrollments::disabling_condition,
            enrollments::prior_living_situation,
            enrollments::length_of_stay,
            enrollments::hud,
        ),
        (
            enrollments::created_at,
            enrollments::exited_at,
            enrollments::source,
            enrollments::exit_source,
            enrollments::flags,
            programs::project_type,
        ),
        (
            clients::first_name.is_not_null(),
            clients::last_name.is_not_null(),
            clients::name_data_quality,
            clients::ssn,
            clients::ssn_data_quality,
            clients::dob,
            clients::dob_data_quality,
            clients::race_ethnicity,
            clients::race_none,
            clients::sex,
            clients::veteran_status,
        ),
    ))
    .load(conn)?;
    rows.into_iter().map(enrollment_fact).collect()
}

fn enrollment_fact(row: EnrollmentColumns) -> Result<ReportedEnrollment, StoreError> {
    let (
        (
            id,
            client_id,
            household_id,
            program_id,
            relationship,
            entry,
            move_in,
            exit,
            destination,
            enrollment_coc,
            disabling_condition,
            prior_living_situation,
            length_of_stay,
            hud,
        ),
        (created_at, exited_at, source, exit_source, flags, project_type),
        (
            has_first_name,
            has_last_name,
            name_quality,
            ssn,
            ssn_quality,
            dob,
            dob_quality,
            races,
            race_none,
            sex,
            veteran,
        ),
    ) = row;
    // An imported record was recorded when its source says it was.
    let recorded = |source: Option<StoredSource>| source.and_then(|source| source.created_at);
    let created_at = recorded(source).unwrap_or(created_at);
    let exited_at = recorded(exit_source).or(exited_at);
    let hud = fields_of(&hud);
    let living_situation = LivingSituation {
        prior_living_situation: code(id, prior_living_situation)?,
        length_of_stay: code(id, length_of_stay)?,
        los_under_threshold: listed::<NoYesNotCollected>(&hud, "los_under_threshold"),
        previous_street_essh: listed::<NoYesNotCollected>(&hud, "previous_street_essh"),
        date_to_street_essh: date_of(&hud, "date_to_street_essh"),
        times_homeless: listed::<TimesHomelessPastThreeYears>(
            &hud,
            "times_homeless_past_three_years",
        ),
        months_homeless: listed::<MonthsHomelessPastThreeYears>(
            &hud,
            "months_homeless_past_three_years",
        ),
    };
    let client = ClientAnswers {
        has_first_name,
        has_last_name,
        name_data_quality: Some(required::<DataQuality>(client_id, name_quality)?),
        ssn,
        ssn_data_quality: Some(required::<DataQuality>(client_id, ssn_quality)?),
        dob: dob.map(Into::into),
        dob_data_quality: Some(required::<DataQuality>(client_id, dob_quality)?),
        has_race: !races.is_empty(),
        race_none: code::<RaceNone>(client_id, race_none)?,
        sex: Some(required::<Sex>(client_id, sex)?),
        veteran_status: Some(required::<NoYesMissing>(client_id, veteran)?),
    };
    Ok(ReportedEnrollment {
        enrollment_id: id.uuid(),
        client_id: client_id.uuid(),
        household_id: household_id.uuid(),
        project_id: program_id.uuid(),
        project_type: required::<ProjectType>(program_id, project_type)?,
        relationship: Some(required::<RelationshipToHoh>(id, relationship)?),
        entry_date: entry.into(),
        move_in_date: move_in.map(Into::into),
        exit_date: exit.map(Into::into),
        destination: code::<Destination>(id, destination)?,
        enrollment_coc,
        disabling_condition: code(id, disabling_condition)?,
        has_disabling_disability: false,
        living_situation,
        client,
        income_at_start: None,
        annual_assessments: Vec::new(),
        income_at_exit: None,
        entry_created_on: Date::from(created_at.date()),
        exit_created_on: exited_at.map(|at| Date::from(at.date())),
        last_contact: None,
        last_bed_night: None,
        flagged: !flags.0.is_empty(),
    })
}

/// A record's HUD fields as stored (a JSON object); none when the text is not one.
fn fields_of(text: &str) -> Map<String, Value> {
    serde_json::from_str(text).unwrap_or_default()
}

fn integer(fields: &Map<String, Value>, field: &str) -> Option<i32> {
    fields
        .get(field)
        .and_then(Value::as_i64)
        .and_then(|value| i32::try_from(value).ok())
}

/// A field holding a code of list `T`.
fn listed<T: TryFrom<i32>>(fields: &Map<String, Value>, field: &str) -> Option<T> {
    integer(fields, field).and_then(|code| T::try_from(code).ok())
}

fn date_of(fields: &Map<String, Value>, field: &str) -> Option<Date> {
    fields
        .get(field)
        .and_then(Value::as_str)
        .and_then(|text| text.parse::<NaiveDate>().ok())
        .map(Into::into)
}

/// A money field, stored in dollars.
fn money(fields: &Map<String, Value>, field: &str) -> Option<Cents> {
    fields
        .get(field)
        .and_then(Value::as_f64)
        .and_then(Cents::from_dollars)
}

/// The income sources of 4.02 other than earned income (4.02.3-4.02.15), each a yes/no
/// field and its monthly amount.
const OTHER_SOURCES: [(&str, &str); 14] = [
    ("unemployment", "unemployment_amount"),
    ("ssi", "ssi_amount"),
    ("ssdi", "ssdi_amount"),
    ("va_disability_service", "va_disability_service_amount"),
    (
        "va_disability_non_service",
        "va_disability_non_service_amount",
    ),
    ("private_disability", "private_disability_amount"),
    ("workers_comp", "workers_comp_amount"),
    ("tanf", "tanf_amount"),
    ("ga", "ga_amount"),
    ("soc_sec_retirement", "soc_sec_retirement_amount"),
    ("pension", "pension_amount"),
    ("child_support", "child_support_amount"),
    ("alimony", "alimony_amount"),
    ("other_income_source", "other_income_amount"),
];

/// One 4.02 record, from its stored fields.
fn income_record(information_date: Date, text: &str) -> IncomeRecord {
    let fields = fields_of(text);
    let yes = |field: &str| integer(&fields, field) == Some(1);
    let mut other_sources = 0;
    let mut other_amount = 0_i64;
    for (source, amount) in OTHER_SOURCES {
        if yes(source) {
            other_sources += 1;
            other_amount += money(&fields, amount).map(i64::from).unwrap_or(0);
        }
    }
    IncomeRecord {
        information_date,
        income_from_any_source: listed::<NoYesMissing>(&fields, "income_from_any_source"),
        earned: yes("earned").then(|| money(&fields, "earned_amount").unwrap_or(Cents::from(0))),
        other_sources,
        other_amount: Cents::from(other_amount),
        total_monthly: money(&fields, "total_monthly_income"),
    }
}

/// 4.05-4.10 at project start: a disability answered yes (1, or 2 or 3 for substance use,
/// 4.10) that, where HUD asks (4.05, 4.07, 4.09, 4.10), is expected to be of
/// long-continued and indefinite duration and to impair independent living.
fn is_disabling(text: &str) -> bool {
    let fields = fields_of(text);
    let answered_yes = matches!(integer(&fields, "disability_response"), Some(1..=3));
    let impairs = integer(&fields, "indefinite_and_impairs");
    answered_yes && impairs.is_none_or(|answer| answer == 1)
}

fn code<T>(id: impl std::fmt::Display, value: Option<i32>) -> Result<Option<T>, StoreError>
where
    T: TryFrom<i32, Error = UnknownCode>,
{
    value
        .map(|value| T::try_from(value).map_err(|error| StoreError::corrupt(&id, error)))
        .transpose()
}

fn required<T>(id: impl std::fmt::Display, value: i32) -> Result<T, StoreError>
where
    T: TryFrom<i32, Error = UnknownCode>,
{
    T::try_from(value).map_err(|error| StoreError::corrupt(id, error))
}
