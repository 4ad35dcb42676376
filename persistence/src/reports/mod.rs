//! What the reports read: the programs in scope, their grants, and the few columns of their
//! enrollments (never the deleted ones) that the domain's report computations take.

mod hud;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
pub use hud::hud_facts;
use threshold_domain::codes::{DataQuality, NoYesMissing, RelationshipToHoh, Sex, UnknownCode};
use threshold_domain::reports::{ClientAnswers, EnrollmentRecord, Stay};
use threshold_domain::Period;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, EnrollmentId, GrantId, HouseholdId, ProgramId};
use crate::privacy::Sight;
use crate::rows::{StoredFlags, StoredSource};
use crate::schema::{clients, enrollments, grants, programs};

/// Which programs a report covers: the scope's (every organization's for `None`), or only
/// `program_id` among them.
#[derive(Debug, Clone, Copy)]
pub struct ReportScope {
    /// Who asks: an organization's reports cover its own programs and the clients it sees.
    pub sight: Sight,
    pub program_id: Option<ProgramId>,
}

/// A program a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportProgram {
    pub id: ProgramId,
    pub name: String,
}

/// The programs in scope, by name then ID.
pub fn programs(
    conn: &mut DbConnection,
    scope: ReportScope,
) -> Result<Vec<ReportProgram>, StoreError> {
    let mut query = programs::table
        .select((programs::id, programs::name))
        .into_boxed();
    if let Some(organization_id) = scope.sight.organization() {
        query = query.filter(programs::organization_id.eq(organization_id));
    }
    if let Some(program_id) = scope.program_id {
        query = query.filter(programs::id.eq(program_id));
    }
    let rows: Vec<(ProgramId, String)> = query
        .order((programs::name.asc(), programs::id.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| ReportProgram { id, name })
        .collect())
}

/// The grants of the programs in scope, as `(grant_id, program_id)`, by ID.
pub fn grants(
    conn: &mut DbConnection,
    scope: ReportScope,
) -> Result<Vec<(GrantId, ProgramId)>, StoreError> {
    let mut query = grants::table
        .inner_join(programs::table)
        .select((grants::id, grants::program_id))
        .into_boxed();
    if let Some(organization_id) = scope.sight.organization() {
        query = query.filter(programs::organization_id.eq(organization_id));
    }
    if let Some(program_id) = scope.program_id {
        query = query.filter(programs::id.eq(program_id));
    }
    Ok(query.order(grants::id.asc()).load(conn)?)
}

/// One enrollment as the enrollment summary sees it, with where it belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryFact {
    pub program_id: ProgramId,
    pub grant_id: Option<GrantId>,
    pub stay: Stay,
}

/// The enrollments (not deleted) of the programs in scope, in one query.
pub fn summary_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
) -> Result<Vec<SummaryFact>, StoreError> {
    let mut query = enrollments::table
        .inner_join(programs::table)
        .filter(enrollments::deleted_at.is_null())
        .select((
            enrollments::id,
            enrollments::program_id,
            enrollments::grant_id,
            enrollments::entry_date,
            enrollments::exit_date,
            enrollments::destination,
        ))
        .into_boxed();
    if let Some(organization_id) = scope.sight.organization() {
        query = query
            .filter(programs::organization_id.eq(organization_id))
            .filter(scope.sight.sees_client(enrollments::client_id));
    }
    if let Some(program_id) = scope.program_id {
        query = query.filter(enrollments::program_id.eq(program_id));
    }
    type Row = (
        EnrollmentId,
        ProgramId,
        Option<GrantId>,
        NaiveDate,
        Option<NaiveDate>,
        Option<i32>,
    );
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter()
        .map(|(id, program_id, grant_id, entry, exit, destination)| {
            Ok(SummaryFact {
                program_id,
                grant_id,
                stay: Stay {
                    period: Period::new(entry.into(), exit.map(Into::into)),
                    destination: code(id, destination)?,
                },
            })
        })
        .collect()
}

/// One enrollment and its client's answers, as the data-quality checks see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataQualityFact {
    pub program_id: ProgramId,
    pub enrollment: EnrollmentRecord,
    pub client: ClientAnswers,
}

type DataQualityRow = (
    (
        EnrollmentId,
        ClientId,
        ProgramId,
        HouseholdId,
        i32,
        NaiveDate,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<i32>,
        NaiveDateTime,
        Option<NaiveDateTime>,
        StoredFlags,
        Option<StoredSource>,
        Option<StoredSource>,
    ),
    (i32, i32, i32, i32, i32),
);

/// The enrollments (not deleted) of the programs in scope with their clients' answers, in
/// one query.
pub fn data_quality_facts(
    conn: &mut DbConnection,
    scope: ReportScope,
) -> Result<Vec<DataQualityFact>, StoreError> {
    let mut query = enrollments::table
        .inner_join(programs::table)
        .inner_join(clients::table)
        .filter(enrollments::deleted_at.is_null())
        .select((
            (
                enrollments::id,
                enrollments::client_id,
                enrollments::program_id,
                enrollments::household_id,
                enrollments::relationship_to_hoh,
                enrollments::entry_date,
                enrollments::exit_date,
                enrollments::move_in_date,
                enrollments::destination,
                enrollments::created_at,
                enrollments::exited_at,
                enrollments::flags,
                enrollments::source,
                enrollments::exit_source,
            ),
            (
                clients::name_data_quality,
                clients::ssn_data_quality,
                clients::dob_data_quality,
                clients::veteran_status,
                clients::sex,
            ),
        ))
        .into_boxed();
    if let Some(organization_id) = scope.sight.organization() {
        query = query
            .filter(programs::organization_id.eq(organization_id))
            .filter(scope.sight.sees_client(enrollments::client_id));
    }
    if let Some(program_id) = scope.program_id {
        query = query.filter(enrollments::program_id.eq(program_id));
    }
    let rows: Vec<DataQualityRow> = query.load(conn)?;
    rows.into_iter().map(data_quality_fact).collect()
}

fn data_quality_fact(row: DataQualityRow) -> Result<DataQualityFact, StoreError> {
    let (
        (
            id,
            client_id,
            program_id,
            household_id,
            relationship,
            entry,
            exit,
            move_in,
            destination,
            created_at,
            exited_at,
            flags,
            source,
            exit_source,
        ),
        (name, ssn, dob, veteran, sex),
    ) = row;
    // An imported record was recorded when its source says it was.
    let recorded = |source: Option<StoredSource>| source.and_then(|source| source.created_at);
    let created_at = recorded(source).unwrap_or(created_at);
    let exited_at = recorded(exit_source).or(exited_at);
    let enrollment = EnrollmentRecord {
        id: id.uuid(),
        client_id: client_id.uuid(),
        household_id: household_id.uuid(),
        relationship: required_code::<RelationshipToHoh>(id, relationship)?,
        period: Period::new(entry.into(), exit.map(Into::into)),
        move_in_date: move_in.map(Into::into),
        destination: code(id, destination)?,
        created_on: created_at.date().into(),
        exit_recorded_on: exited_at.map(|at| at.date().into()),
        flagged: !flags.0.is_empty(),
    };
    let client = ClientAnswers {
        id: client_id.uuid(),
        name_data_quality: required_code::<DataQuality>(client_id, name)?,
        ssn_data_quality: required_code::<DataQuality>(client_id, ssn)?,
        dob_data_quality: required_code::<DataQuality>(client_id, dob)?,
        veteran_status: required_code::<NoYesMissing>(client_id, veteran)?,
        sex: required_code::<Sex>(client_id, sex)?,
    };
    Ok(DataQualityFact {
        program_id,
        enrollment,
        client,
    })
}

/// A stored code of list `T`, if there is one; a code not on the list is a corrupt record.
fn code<T>(id: impl std::fmt::Display, value: Option<i32>) -> Result<Option<T>, StoreError>
where
    T: TryFrom<i32, Error = UnknownCode>,
{
    value
        .map(|value| T::try_from(value).map_err(|error| StoreError::corrupt(&id, error)))
        .transpose()
}

/// A stored code of list `T` that every record has.
fn required_code<T>(id: impl std::fmt::Display, value: i32) -> Result<T, StoreError>
where
    T: TryFrom<i32, Error = UnknownCode>,
{
    T::try_from(value).map_err(|error| StoreError::corrupt(id, error))
}
