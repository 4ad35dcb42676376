//! Bulk writes for `threshold seed`: generated rows go straight into their tables, many at a
//! time (COPY on PostgreSQL, one transaction per batch on SQLite), in exactly the form the
//! repositories write them, but without audit events.

mod write_pg;
mod write_sqlite;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::clock;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::OrganizationId;
use crate::rows::{
    AnyHudRecord, AssessmentRow, ClientRow, EnrollmentRow, GrantRow, HouseholdRow, OrganizationRow,
    ProgramRow, ServiceRow, UserRow,
};
use crate::schema::organizations;
use crate::stale;
use crate::transaction::write_transaction;

/// Rows written together, in one transaction, parents before children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedRows {
    pub organizations: Vec<OrganizationRow>,
    pub programs: Vec<ProgramRow>,
    pub grants: Vec<GrantRow>,
    pub users: Vec<UserRow>,
    pub clients: Vec<ClientRow>,
    pub households: Vec<HouseholdRow>,
    pub enrollments: Vec<EnrollmentRow>,
    pub assessments: Vec<AssessmentRow>,
    pub services: Vec<ServiceRow>,
    /// HUD's records of the enrollments, of every collection (one table).
    pub hud_records: Vec<AnyHudRecord>,
}

impl SeedRows {
    /// How many rows of each table, by table name, in the order they are written.
    pub fn counts(&self) -> [(&'static str, u64); 10] {
        [
            ("organizations", self.organizations.len() as u64),
            ("programs", self.programs.len() as u64),
            ("grants", self.grants.len() as u64),
            ("users", self.users.len() as u64),
            ("clients", self.clients.len() as u64),
            ("households", self.households.len() as u64),
            ("enrollments", self.enrollments.len() as u64),
            ("assessments", self.assessments.len() as u64),
            ("services", self.services.len() as u64),
            ("hud_records", self.hud_records.len() as u64),
        ]
    }
}

/// Writes `rows` in one write transaction (queued behind other writers like any write). The
/// enrollments take consecutive instants of the change clock as their `created_at` and
/// `updated_at` (and `exited_at`, when exited), in their order, from `changes_from` on (or
/// after the clock's last instant, when that is later), so the change feed sees them as it
/// sees every other write.
pub fn write(
    conn: &mut DbConnection,
    rows: &mut SeedRows,
    changes_from: NaiveDateTime,
) -> Result<(), StoreError> {
    write_transaction(conn, |conn| {
        if let Some(first) = clock::reserve(conn, changes_from, rows.enrollments.len())? {
            let mut at = first;
            for row in &mut rows.enrollments {
                row.created_at = at;
                row.updated_at = at;
                if row.exited_at.is_some() {
                    row.exited_at = Some(at);
                }
                at += TimeDelta::microseconds(1);
            }
        }
        match conn {
            DbConnection::Postgresql(pg) => write_pg::write(pg, rows)?,
            DbConnection::Sqlite(sqlite) => write_sqlite::write(sqlite, rows)?,
        }
        // Their completeness is stored as the transaction commits, as any write's.
        for row in &rows.households {
            stale::created_household(row.id);
        }
        for row in &rows.enrollments {
            stale::touch_household(row.household_id);
        }
        Ok(())
    })
}

/// Whether an organization with this ID is stored (a seed written before, say).
pub fn organization_exists(
    conn: &mut DbConnection,
    id: OrganizationId,
) -> Result<bool, StoreError> {
    let found: i64 = organizations::table.find(id).count().get_result(conn)?;
    Ok(found > 0)
}

/// Refreshes PostgreSQL's planner statistics after a bulk load (nothing to do on SQLite).
pub fn analyze(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Postgresql(pg) = conn {
        pg.batch_execute("ANALYZE")?;
    }
    Ok(())
}
