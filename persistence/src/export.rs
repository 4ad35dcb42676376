//! Reads for the HMIS CSV export: every file's rows in one streaming query (by `id`), limited
//! to the enrollments active in a period and what they refer to, so an export of any size
//! holds one row at a time.

use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{ClientId, ProgramId};
use crate::privacy::Sight;
use crate::rows::{
    AffiliationRow, AnyHudRecord, AssessmentRow, CeParticipationRow, ClientRow, EnrollmentRow,
    GrantRow, HmisParticipationRow, InventoryRow, OrganizationRow, ProgramCocRow, ProgramRow,
    ServiceRow, UserRow,
};
use crate::schema::{
    affiliations, assessments, ce_participations, clients, enrollments, grants,
    hmis_participations, hud_records, inventories, organizations, program_cocs, programs, services,
    users,
};
use threshold_domain::hud_records::Collection;

/// Which enrollments an export covers: those active at any time in `from..=to` (entry on or
/// before `to`, and no exit or an exit on or after `from`), of the organization looking (every
/// one for an admin) and of one program when given, of the clients it may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFilter {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Who asked: an organization's export covers its own programs and the clients it sees.
    pub sight: Sight,
    pub program_id: Option<ProgramId>,
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
        let any_organization = filter.sight.organization().is_none();
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
                                    .eq(filter.sight.organization().unwrap_or_default()),
                            )
                            .select(organization_programs.field(programs::id)),
                    )),
            )
            .and(
                any_program
                    .into_sql::<Bool>()
                    .or(enrollments::program_id.eq(filter.program_id.unwrap_or_default())),
            )
    }};
}

/// The enrollments the filter covers, as a query that other reads select one column of.
macro_rules! covered {
    ($filter:expr) => {
        enrollments::table.filter(covers!($filter))
    };
}

/// The clients of covered enrollments that whoever asked for the export may not see (a client
/// served by a victim service provider, in the export of another organization): their
/// enrollments, exits, assessments and services are left out with them. Read once, in the
/// export's snapshot; the clients sealed in one organization's programs are few.
#[derive(Debug, Clone, Default)]
pub struct Hidden(HashSet<ClientId>);

impl Hidden {
    pub fn shows(&self, client_id: ClientId) -> bool {
        !self.0.contains(&client_id)
    }
}

/// The clients an export by `sight` leaves out (none for an admin's).
pub fn hidden_clients(
    conn: &mut DbConnection,
    filter: &ExportFilter,
) -> Result<Hidden, StoreError> {
    let sight = &filter.sight;
    if let Sight::Everything = sight {
        return Ok(Hidden::default());
    }
    let covered: Vec<ClientId> = covered!(filter)
        .select(enrollments::client_id)
        .distinct()
        .load(conn)?;
    if covered.is_empty() {
        return Ok(Hidden::default());
    }
    let mut hidden: HashSet<ClientId> = covered.into_iter().collect();
    let seen: Vec<ClientId> = clients::table
        .filter(clients::id.eq_any(hidden.iter().copied().collect::<Vec<_>>()))
        .filter(sight.sees_client(clients::id))
        .select(clients::id)
        .load(conn)?;
    for client_id in seen {
        hidden.remove(&client_id);
    }
    Ok(Hidden(hidden))
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

/// Each covered enrollment by id, only the exited ones when `exited` (for Exit.csv).
pub fn each_enrollment<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    hidden: &Hidden,
    exited: bool,
    mut each: impl FnMut(EnrollmentRow) -> Result<(), E>,
) -> Result<(), E> {
    let any_exit = !exited;
    let each = |row: EnrollmentRow| {
        if hidden.shows(row.client_id) {
            each(row)
        } else {
            Ok(())
        }
    };
    stream!(
        conn,
        covered!(filter)
            .filter(
                any_exit
                    .into_sql::<Bool>()
                    .or(enrollments::exit_date.is_not_null()),
            )
            .order(enrollments::id),
        each
    )
}

/// Each client of covered enrollments, by id.
pub fn each_client<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    hidden: &Hidden,
    mut each: impl FnMut(ClientRow) -> Result<(), E>,
) -> Result<(), E> {
    let each = |row: ClientRow| {
        if hidden.shows(row.id) {
            each(row)
        } else {
            Ok(())
        }
    };
    // One query for the whole file: PostgreSQL walks the clients and the enrollments'
    // client index side by side (a merge semi join), once.
    stream!(
        conn,
        clients::table
            .filter(diesel::dsl::exists(
                covered!(filter).filter(enrollments::client_id.eq(clients::id)),
            ))
            .filter(
                clients::deleted_at
                    .is_null()
                    .or(filter.include_deleted.into_sql::<Bool>()),
            )
            .order(clients::id),
        each
    )
}

/// Each program of covered enrollments, by id.
pub fn each_program<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    each: impl FnMut(ProgramRow) -> Result<(), E>,
) -> Result<(), E> {
    stream!(
        conn,
        programs::table
            .filter(programs::id.eq_any(covered!(filter).select(enrollments::program_id)))
            .order(programs::id),
        each
    )
}

/// Each organization running the programs of covered enrollments, by id.
pub fn each_organization<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    each: impl FnMut(OrganizationRow) -> Result<(), E>,
) -> Result<(), E> {
    stream!(
        conn,
        organizations::table
            .filter(
                organizations::id.eq_any(
                    programs::table
                        .filter(
                            programs::id.eq_any(covered!(filter).select(enrollments::program_id)),
                        )
                        .select(programs::organization_id),
                ),
            )
            .order(organizations::id),
        each
    )
}

/// Each grant of the programs of covered enrollments, by id.
pub fn each_grant<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    each: impl FnMut(GrantRow) -> Result<(), E>,
) -> Result<(), E> {
    stream!(
        conn,
        grants::table
            .filter(grants::program_id.eq_any(covered!(filter).select(enrollments::program_id)))
            .order(grants::id),
        each
    )
}

/// Each assessment linked to a covered enrollment, by id.
pub fn each_assessment<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    hidden: &Hidden,
    mut each: impl FnMut(AssessmentRow) -> Result<(), E>,
) -> Result<(), E> {
    let each = |row: AssessmentRow| {
        if hidden.shows(row.client_id) {
            each(row)
        } else {
            Ok(())
        }
    };
    stream!(
        conn,
        assessments::table
            .filter(assessments::enrollment_id.is_not_null())
            .filter(
                assessments::enrollment_id
                    .assume_not_null()
                    .eq_any(covered!(filter).select(enrollments::id)),
            )
            .filter(
                assessments::deleted_at
                    .is_null()
                    .or(filter.include_deleted.into_sql::<Bool>()),
            )
            .order(assessments::id),
        each
    )
}

/// Each service of covered enrollments by id, with its enrollment's client.
pub fn each_service<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    hidden: &Hidden,
    mut each: impl FnMut((ServiceRow, ClientId)) -> Result<(), E>,
) -> Result<(), E> {
    let each = |row: (ServiceRow, ClientId)| {
        if hidden.shows(row.1) {
            each(row)
        } else {
            Ok(())
        }
    };
    stream!(
        conn,
        services::table
            .inner_join(enrollments::table)
            .filter(covers!(filter))
            .filter(
                services::deleted_at
                    .is_null()
                    .or(filter.include_deleted.into_sql::<Bool>()),
            )
            .select((services::all_columns, enrollments::client_id))
            .order(services::id),
        each
    )
}

/// Each row of a table of what programs record about themselves (their CoCs, inventories,
/// ...), of the programs of covered enrollments, by id.
macro_rules! each_of_programs {
    ($(#[$doc:meta] $name:ident, $row:ty, $table:ident;)*) => {$(
        #[$doc]
        pub fn $name<E: From<StoreError>>(
            conn: &mut DbConnection,
            filter: &ExportFilter,
            each: impl FnMut($row) -> Result<(), E>,
        ) -> Result<(), E> {
            stream!(
                conn,
                $table::table
                    .filter($table::program_id.eq_any(covered!(filter).select(enrollments::program_id)))
                    .filter(
                        $table::deleted_at
                            .is_null()
                            .or(filter.include_deleted.into_sql::<Bool>()),
                    )
                    .order($table::id),
                each
            )
        }
    )*};
}

each_of_programs! {
    /// ProjectCoC.csv's rows: the programs' CoCs (2.03).
    each_program_coc, ProgramCocRow, program_cocs;
    /// Inventory.csv's rows (2.07).
    each_inventory, InventoryRow, inventories;
    /// Affiliation.csv's rows (2.02.C).
    each_affiliation, AffiliationRow, affiliations;
    /// HMISParticipation.csv's rows (2.08).
    each_hmis_participation, HmisParticipationRow, hmis_participations;
    /// CEParticipation.csv's rows (2.09).
    each_ce_participation, CeParticipationRow, ce_participations;
}

/// Each record of `collection` under a covered enrollment by id, with its enrollment's
/// client.
pub fn each_hud_record<E: From<StoreError>>(
    conn: &mut DbConnection,
    filter: &ExportFilter,
    hidden: &Hidden,
    collection: Collection,
    mut each: impl FnMut((AnyHudRecord, ClientId)) -> Result<(), E>,
) -> Result<(), E> {
    let each = |row: (AnyHudRecord, ClientId)| {
        if hidden.shows(row.1) {
            each(row)
        } else {
            Ok(())
        }
    };
    stream!(
        conn,
        hud_records::table
            .inner_join(enrollments::table)
            .filter(covers!(filter))
            .filter(hud_records::collection.eq(collection.name()))
            .filter(
                hud_records::deleted_at
                    .is_null()
                    .or(filter.include_deleted.into_sql::<Bool>()),
            )
            .select((hud_records::all_columns, enrollments::client_id))
            .order(hud_records::id),
        each
    )
}

/// Every user, by id: staff are few, and the export needs to tell a user's id from any other
/// token subject in `created_by`.
pub fn users(conn: &mut DbConnection) -> Result<Vec<UserRow>, StoreError> {
    Ok(users::table.order(users::id).load(conn)?)
}
