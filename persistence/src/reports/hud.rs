//! What HUD's APR and CAPER tables read (`threshold_domain::reports::hud`): every enrollment
//! (not deleted) of the programs in scope that started by the report's end, with its
//! program's type and its client's answers; and for those enrollments their income records
//! (4.02), their disabilities at project start (4.05-4.10), their latest contact (4.12) and
//! bed night (4.14). Three set-based statements, whatever the number of enrollments, each
//! kept to the scope by the same joins and filters.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use threshold_domain::codes::{
    DataQuality, Destination, MonthsHomelessPastThreeYears, NoYesMissing, NoYesNotCollected,
    ProjectType, RaceNone, RelationshipToHoh, Sex, TimesHomelessPastThreeYears,
};
use threshold_domain::money::Cents;
use threshold_domain::reports::hud::{
    ClientAnswers, IncomeRecord, LivingSituation, ReportedEnrollment,
};
use threshold_domain::Date;
use uuid::Uuid;

use super::{code, required_code, ReportScope};
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::export::in_snapshot;
use crate::ids::{ClientId, EnrollmentId, HouseholdId, OrganizationId, ProgramId};
use crate::rows::{StoredFlags, StoredSource};
use crate::schema::{clients, enrollments, hud_records, programs, services};

/// The collections of `hud_records` the reports read.
const INCOME: &str = "income_benefits";
const DISABILITIES: &str = "disabilities";
const CONTACTS: &str = "current_living_situations";
/// 4.14's record type of a bed night (HMIS CSV Services.RecordType).
const BED_NIGHT: i32 = 200;
/// 2.02.6 project types: emergency shelter, night-by-night; street outreach.
const NIGHT_BY_NIGHT: i32 = 1;
const STREET_OUTREACH: i32 = 4;

/// `$query` (of enrollments joined to their programs) kept to the enrollments in scope that
/// started by `$to`, not deleted: every program's for an admin, else the organization's, and
/// only `program_id`'s when given. Not boxed, so that it streams on either backend: the
/// clients of those enrollments the scope may not see are left out by [`hidden`].
macro_rules! scoped {
    ($query:expr, $scope:expr, $to:expr) => {{
        let scope: ReportScope = $scope;
        let organization = scope.sight.organization();
        let any_organization = organization.is_none();
        let organization = organization.unwrap_or_else(|| OrganizationId::from_uuid(Uuid::nil()));
        let any_program = scope.program_id.is_none();
        let program = scope
            .program_id
            .unwrap_or_else(|| ProgramId::from_uuid(Uuid::nil()));
        $query
            .filter(enrollments::deleted_at.is_null())
            .filter(enrollments::entry_date.le($to))
            .filter(
                any_organization
                    .into_sql::<Bool>()
                    .or(programs::organization_id.eq(organization)),
            )
            .filter(
                any_program
                    .into_sql::<Bool>()
                    .or(enrollments::program_id.eq(program)),
            )
    }};
}

/// The facts of every enrollment in scope that started on or before `to`, in no order.
///
/// Read in one snapshot, each statement streamed: PostgreSQL finds the next rows while these
/// are decoded, and only the row at hand is held besides the facts.
pub fn hud_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
    to: NaiveDate,
) -> Result<Vec<ReportedEnrollment>, StoreError> {
    in_snapshot(conn, |conn| read_facts(conn, scope, to))
}

/// The clients of the enrollments in scope that the scope may not see (`Sight`): a client a
/// victim service provider serves, in another organization's report. None for an admin.
fn hidden(
    conn: &mut DbConnection,
    scope: ReportScope,
    to: NaiveDate,
) -> Result<HashSet<ClientId>, StoreError> {
    if scope.sight.organization().is_none() {
        return Ok(HashSet::new());
    }
    let rows: Vec<ClientId> = scoped!(enrollments::table.inner_join(programs::table), scope, to)
        .filter(not(scope.sight.sees_client(enrollments::client_id)))
        .select(enrollments::client_id)
        .distinct()
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

fn read_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
    to: NaiveDate,
) -> Result<Vec<ReportedEnrollment>, StoreError> {
    let hidden = hidden(conn, scope, to)?;
    let mut facts = enrollment_facts(conn, scope, to, &hidden)?;
    let place: HashMap<EnrollmentId, usize> = facts
        .iter()
        .enumerate()
        .map(|(index, fact)| (EnrollmentId::from_uuid(fact.enrollment_id), index))
        .collect();
    let records = || hud_records::table.inner_join(enrollments::table.inner_join(programs::table));
    let place = &place;

    // One pass over the records: the income records (4.02); the disabilities at start
    // (4.05-4.10) of the enrollments answering 3.08 "no" (the contradiction Q6b counts is
    // the only place they are read); the contacts (4.12) by the report's end of street
    // outreach (4) and night-by-night shelter (1), for Q6f.
    let income = hud_records::collection.eq(INCOME);
    let disabilities = hud_records::collection
        .eq(DISABILITIES)
        .and(hud_records::data_collection_stage.eq(1))
        .and(enrollments::disabling_condition.eq(0))
        // Only a yes (1, 2, 3) can be disabling (`is_disabling` decides), and most answer no.
        // The fields are stored as serde_json prints them, without spaces, and no other code
        // of the list begins with those digits.
        .and(
            hud_records::fields
                .like(r#"%"disability_response":1%"#)
                .or(hud_records::fields.like(r#"%"disability_response":2%"#))
                .or(hud_records::fields.like(r#"%"disability_response":3%"#)),
        );
    let contacts = hud_records::collection
        .eq(CONTACTS)
        .and(programs::project_type.eq_any([NIGHT_BY_NIGHT, STREET_OUTREACH]))
        .and(hud_records::information_date.le(to));
    let each = |(id, collection, stage, date, fields): RecordColumns| {
        let Some(fact) = fact_of(&mut facts, place, id) else {
            return Ok::<_, StoreError>(());
        };
        match collection.as_str() {
            INCOME => {
                let record = income_record(date.into(), &fields);
                // 5.03: 1 project start, 5 annual assessment, 3 project exit.
                match stage {
                    Some(1) => fact.income_at_start = Some(record),
                    Some(5) => fact.annual_assessments.push(record),
                    Some(3) => fact.income_at_exit = Some(record),
                    _ => {}
                }
            }
            DISABILITIES => fact.has_disabling_disability |= is_disabling(&fields),
            // The latest, kept as they come.
            _ => fact.last_contact = fact.last_contact.max(Some(date.into())),
        }
        Ok(())
    };
    let streamed: Result<(), StoreError> = stream!(
        conn,
        scoped!(records(), scope, to)
            .filter(hud_records::deleted_at.is_null())
            .filter(income.or(disabilities.nullable()).or(contacts.nullable()))
            .select((
                hud_records::enrollment_id,
                hud_records::collection,
                hud_records::data_collection_stage,
                hud_records::information_date,
                hud_records::fields,
            )),
        each
    );
    streamed?;

    let bed_nights = services::table.inner_join(enrollments::table.inner_join(programs::table));
    let each = |(id, date): (EnrollmentId, NaiveDate)| {
        if let Some(fact) = fact_of(&mut facts, place, id) {
            fact.last_bed_night = fact.last_bed_night.max(Some(date.into()));
        }
        Ok::<_, StoreError>(())
    };
    let streamed: Result<(), StoreError> = stream!(
        conn,
        scoped!(bed_nights, scope, to)
            .filter(programs::project_type.eq(NIGHT_BY_NIGHT))
            .filter(services::record_type.eq(BED_NIGHT))
            .filter(services::date_provided.le(to))
            .filter(services::deleted_at.is_null())
            .select((services::enrollment_id, services::date_provided)),
        each
    );
    streamed?;
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

type RecordColumns = (EnrollmentId, String, Option<i32>, NaiveDate, String);

fn enrollment_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
    to: NaiveDate,
    hidden: &HashSet<ClientId>,
) -> Result<Vec<ReportedEnrollment>, StoreError> {
    let mut facts = Vec::new();
    let each = |row: EnrollmentColumns| {
        if !hidden.contains(&row.0 .1) {
            facts.push(enrollment_fact(row)?);
        }
        Ok::<_, StoreError>(())
    };
    let query = scoped!(
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
    ));
    // Each row becomes its fact as it is read: the rows are never all held.
    let streamed: Result<(), StoreError> = stream!(conn, query, each);
    streamed?;
    Ok(facts)
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
    let hud: LivingFields = read_fields(&hud);
    let living_situation = LivingSituation {
        prior_living_situation: code(id, prior_living_situation)?,
        length_of_stay: code(id, length_of_stay)?,
        los_under_threshold: listed::<NoYesNotCollected>(hud.los_under_threshold),
        previous_street_essh: listed::<NoYesNotCollected>(hud.previous_street_essh),
        date_to_street_essh: hud.date_to_street_essh.map(Into::into),
        times_homeless: listed::<TimesHomelessPastThreeYears>(hud.times_homeless_past_three_years),
        months_homeless: listed::<MonthsHomelessPastThreeYears>(
            hud.months_homeless_past_three_years,
        ),
    };
    let client = ClientAnswers {
        has_first_name,
        has_last_name,
        name_data_quality: Some(required_code::<DataQuality>(client_id, name_quality)?),
        ssn,
        ssn_data_quality: Some(required_code::<DataQuality>(client_id, ssn_quality)?),
        dob: dob.map(Into::into),
        dob_data_quality: Some(required_code::<DataQuality>(client_id, dob_quality)?),
        has_race: !races.is_empty(),
        race_none: code::<RaceNone>(client_id, race_none)?,
        sex: Some(required_code::<Sex>(client_id, sex)?),
        veteran_status: Some(required_code::<NoYesMissing>(client_id, veteran)?),
    };
    Ok(ReportedEnrollment {
        enrollment_id: id.uuid(),
        client_id: client_id.uuid(),
        household_id: household_id.uuid(),
        project_id: program_id.uuid(),
        project_type: required_code::<ProjectType>(program_id, project_type)?,
        relationship: Some(required_code::<RelationshipToHoh>(id, relationship)?),
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

/// The fields of a record a report reads, from the JSON object they are stored in; the
/// other fields are skipped unread (a million records are read at a time). Stored fields were
/// checked when written, so a text that does not read is no answer.
fn read_fields<T: DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// 3.917's answers among an enrollment's HUD fields.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LivingFields {
    los_under_threshold: Option<i32>,
    previous_street_essh: Option<i32>,
    date_to_street_essh: Option<NaiveDate>,
    times_homeless_past_three_years: Option<i32>,
    months_homeless_past_three_years: Option<i32>,
}

/// A money field, stored in dollars.
fn cents(dollars: Option<f64>) -> Option<Cents> {
    dollars.and_then(Cents::from_dollars)
}

/// The fields of a 4.02 record: whether there is income from any source, the total, and
/// each source (4.02.2-4.02.15) answered yes (1) or not, with its monthly amount.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IncomeFields {
    income_from_any_source: Option<i32>,
    total_monthly_income: Option<f64>,
    earned: Option<i32>,
    earned_amount: Option<f64>,
    unemployment: Option<i32>,
    unemployment_amount: Option<f64>,
    ssi: Option<i32>,
    ssi_amount: Option<f64>,
    ssdi: Option<i32>,
    ssdi_amount: Option<f64>,
    va_disability_service: Option<i32>,
    va_disability_service_amount: Option<f64>,
    va_disability_non_service: Option<i32>,
    va_disability_non_service_amount: Option<f64>,
    private_disability: Option<i32>,
    private_disability_amount: Option<f64>,
    workers_comp: Option<i32>,
    workers_comp_amount: Option<f64>,
    tanf: Option<i32>,
    tanf_amount: Option<f64>,
    ga: Option<i32>,
    ga_amount: Option<f64>,
    soc_sec_retirement: Option<i32>,
    soc_sec_retirement_amount: Option<f64>,
    pension: Option<i32>,
    pension_amount: Option<f64>,
    child_support: Option<i32>,
    child_support_amount: Option<f64>,
    alimony: Option<i32>,
    alimony_amount: Option<f64>,
    other_income_source: Option<i32>,
    other_income_amount: Option<f64>,
}

impl IncomeFields {
    /// The sources other than earned income (4.02.3-4.02.15), as (answer, amount).
    fn others(&self) -> [(Option<i32>, Option<f64>); 14] {
        [
            (self.unemployment, self.unemployment_amount),
            (self.ssi, self.ssi_amount),
            (self.ssdi, self.ssdi_amount),
            (
                self.va_disability_service,
                self.va_disability_service_amount,
            ),
            (
                self.va_disability_non_service,
                self.va_disability_non_service_amount,
            ),
            (self.private_disability, self.private_disability_amount),
            (self.workers_comp, self.workers_comp_amount),
            (self.tanf, self.tanf_amount),
            (self.ga, self.ga_amount),
            (self.soc_sec_retirement, self.soc_sec_retirement_amount),
            (self.pension, self.pension_amount),
            (self.child_support, self.child_support_amount),
            (self.alimony, self.alimony_amount),
            (self.other_income_source, self.other_income_amount),
        ]
    }
}

/// One 4.02 record, from its stored fields.
fn income_record(information_date: Date, text: &str) -> IncomeRecord {
    let fields: IncomeFields = read_fields(text);
    let mut other_sources = 0;
    let mut other_amount = 0_i64;
    for (answer, amount) in fields.others() {
        if answer == Some(1) {
            other_sources += 1;
            other_amount += cents(amount).map(i64::from).unwrap_or(0);
        }
    }
    IncomeRecord {
        information_date,
        income_from_any_source: fields
            .income_from_any_source
            .and_then(|code| NoYesMissing::try_from(code).ok()),
        earned: (fields.earned == Some(1))
            .then(|| cents(fields.earned_amount).unwrap_or(Cents::from(0))),
        other_sources,
        other_amount: Cents::from(other_amount),
        total_monthly: cents(fields.total_monthly_income),
    }
}

/// The answers of a disability record (4.05-4.10).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DisabilityFields {
    disability_response: Option<i32>,
    indefinite_and_impairs: Option<i32>,
}

/// 4.05-4.10 at project start: a disability answered yes (1, or 2 or 3 for substance use,
/// 4.10) that, where HUD asks (4.05, 4.07, 4.09, 4.10), is expected to be of
/// long-continued and indefinite duration and to impair independent living.
fn is_disabling(text: &str) -> bool {
    let fields: DisabilityFields = read_fields(text);
    matches!(fields.disability_response, Some(1..=3))
        && fields
            .indefinite_and_impairs
            .is_none_or(|answer| answer == 1)
}

/// A HUD field's code of list `T`.
fn listed<T: TryFrom<i32>>(code: Option<i32>) -> Option<T> {
    code.and_then(|code| T::try_from(code).ok())
}
