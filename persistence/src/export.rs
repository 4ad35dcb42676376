//! Reads for the HMIS CSV export: every table in keyset-paginated batches (by `id`), limited
//! to the enrollments active in a period and what they refer to, so an export of any size
//! holds one batch at a time.

use chrono::NaiveDate;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::rows::{
    AssessmentRow, ClientRow, EnrollmentRow, GrantRow, OrganizationRow, ProgramRow, ServiceRow,
    UserRow,
};
use crate::schema::{
    assessments, clients, enrollments, grants, organizations, programs, services, users,
};

/// Which enrollments an export covers: those active at any time in `from..=to` (entry on or
/// before `to`, and no exit or an exit on or after `from`), of one organization and/or one
/// program when given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub organization_id: Option<String>,
    pub program_id: Option<String>,
    /// Also deleted records (the export writes their `DateDeleted`).
    pub include_deleted: bool,
}

// The programs of the organization an export is limited to, under another name, so that
// reads of programs can select from the covered enrollments.
diesel::alias!(programs as organization_programs: OrganizationPrograms);

/// Whether an enrollment is covered by the filter, as a condition on `enrollments`. A macro,
/// not a function: a boxed query cannot be a subquery of another on the multi-backend
/// connection, so the optional parts are bound flags (`flag OR condition`).
macro_rules! covers {
    ($filter:expr) => {{
        let filter: &ExportFilter = $filter;
        let any_organization = filter.organization_id.is_none();
        let any_program = filter.program_id.is_none();
        enrollments::entry_date
            .le(filter.to)
            .and(
                enrollments::exit_date
                    .is_null()
                    .or(enrollments::exit_date.ge(filter.from)),
            )
            .and(
                enrollments::deleted_at
                    .is_null()
                    .or(filter.include_deleted.into_sql::<Bool>()),
            )
            .and(
                any_organization
                    .into_sql::<Bool>()
                    .or(enrollments::program_id.eq_any(
                        organization_programs
                            .filter(
                                organization_programs
                                    .field(programs::organization_id)
                                    .eq(filter.organization_id.clone().unwrap_or_default()),
                            )
                            .select(organization_programs.field(programs::id)),
                    )),
            )
            .and(
                any_program
                    .into_sql::<Bool>()
                    .or(enrollments::program_id.eq(filter.program_id.clone().unwrap_or_default())),
            )
    }};
}

/// The enrollments the filter covers, as a query that other reads select one column of.
macro_rules! covered {
    ($filter:expr) => {
        enrollments::table.filter(covers!($filter))
    };
}

/// Runs every read of one export in one read-only transaction, so that all files see the
/// same data even while others write (a snapshot on both backends).
pub fn in_snapshot<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<StoreError>,
{
    match conn {
        DbConnection::Sqlite(sqlite) => {
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN DEFERRED")
                .map_err(StoreError::from)?
        }
        DbConnection::Postgresql(pg) => {
            AnsiTransactionManager::begin_transaction_sql(
                pg,
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            )
            .map_err(StoreError::from)?;
            pg.batch_execute("SET LOCAL statement_timeout = 0")
                .map_err(StoreError::from)?;
        }
    }
    let outcome = work(conn);
    // Nothing was written: ending the transaction either way is the same.
    let ended = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)
        .map_err(StoreError::from);
    let value = outcome?;
    ended?;
    Ok(value)
}

/// The next batch of covered enrollments after `after` (by id); only exited ones when
/// `exited` (for Exit.csv).
pub fn enrollments_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    exited: bool,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<EnrollmentRow>, StoreError> {
    let mut query = covered!(filter).into_boxed();
    if exited {
        query = query.filter(enrollments::exit_date.is_not_null());
    }
    if let Some(after) = after {
        query = query.filter(enrollments::id.gt(after.to_owned()));
    }
    Ok(query.order(enrollments::id).limit(limit).load(conn)?)
}

/// The next batch of clients of covered enrollments.
pub fn clients_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ClientRow>, StoreError> {
    // Both sides start at the cursor: the clients by id, and (repeated inside the EXISTS) the
    // enrollments' client index, so each batch costs the same however far the walk has gone.
    // Without the inner bound PostgreSQL's merge semi join scanned that index from its start
    // for every batch. Every id sorts after "".
    let after = after.unwrap_or_default().to_owned();
    let mut query = clients::table
        .filter(diesel::dsl::exists(
            covered!(filter)
                .filter(enrollments::client_id.eq(clients::id))
                .filter(enrollments::client_id.gt(after.clone())),
        ))
        .filter(clients::id.gt(after))
        .into_boxed();
    if !filter.include_deleted {
        query = query.filter(clients::deleted_at.is_null());
    }
    Ok(query.order(clients::id).limit(limit).load(conn)?)
}

/// The next batch of programs of covered enrollments.
pub fn programs_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ProgramRow>, StoreError> {
    // Every id sorts after "".
    Ok(programs::table
        .filter(programs::id.eq_any(covered!(filter).select(enrollments::program_id)))
        .filter(programs::id.gt(after.unwrap_or_default().to_owned()))
        .order(programs::id)
        .limit(limit)
        .load(conn)?)
}

/// The next batch of organizations running the programs of covered enrollments.
pub fn organizations_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<OrganizationRow>, StoreError> {
    let running = programs::table
        .filter(programs::id.eq_any(covered!(filter).select(enrollments::program_id)))
        .select(programs::organization_id);
    Ok(organizations::table
        .filter(organizations::id.eq_any(running))
        .filter(organizations::id.gt(after.unwrap_or_default().to_owned()))
        .order(organizations::id)
        .limit(limit)
        .load(conn)?)
}

/// The next batch of grants of the programs of covered enrollments.
pub fn grants_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<GrantRow>, StoreError> {
    let mut query = grants::table
        .filter(grants::program_id.eq_any(covered!(filter).select(enrollments::program_id)))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(grants::id.gt(after.to_owned()));
    }
    Ok(query.order(grants::id).limit(limit).load(conn)?)
}

/// The next batch of assessments linked to covered enrollments.
pub fn assessments_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<AssessmentRow>, StoreError> {
    let mut query = assessments::table
        .filter(assessments::enrollment_id.is_not_null())
        .filter(
            assessments::enrollment_id
                .assume_not_null()
                .eq_any(covered!(filter).select(enrollments::id)),
        )
        .into_boxed();
    if !filter.include_deleted {
        query = query.filter(assessments::deleted_at.is_null());
    }
    if let Some(after) = after {
        query = query.filter(assessments::id.gt(after.to_owned()));
    }
    Ok(query.order(assessments::id).limit(limit).load(conn)?)
}

/// The next batch of services of covered enrollments, each with its enrollment's client.
pub fn services_after(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<(ServiceRow, String)>, StoreError> {
    let mut query = services::table
        .inner_join(enrollments::table)
        .filter(covers!(filter))
        .select((services::all_columns, enrollments::client_id))
        .into_boxed();
    if !filter.include_deleted {
        query = query.filter(services::deleted_at.is_null());
    }
    if let Some(after) = after {
        query = query.filter(services::id.gt(after.to_owned()));
    }
    Ok(query.order(services::id).limit(limit).load(conn)?)
}

/// Every user id: staff are few, and the export needs to tell a user's id from any other
/// token subject in `created_by`.
pub fn user_ids(conn: &mut DbConnection) -> Result<Vec<String>, StoreError> {
    Ok(users::table.select(users::id).order(users::id).load(conn)?)
}

/// The users with these ids, by id.
pub fn users_by_ids(conn: &mut DbConnection, ids: &[String]) -> Result<Vec<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .order(users::id)
        .load(conn)?)
}
