//! Reference data: organizations, programs, grants and users.

use diesel::prelude::*;
use serde::de::DeserializeOwned;

use threshold_domain::codes::ProjectType;
use threshold_domain::enrollment::{GrantFacts, ProgramFacts};
use threshold_domain::DateRange;

use crate::audit::{self, Audited};
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{GrantId, OrganizationId, ProgramId, UserId};
use crate::page::Page;
use crate::rows::{GrantRow, OrganizationRow, ProgramRow, Stamped, UserRow};
use crate::schema::{grants, organizations, programs, users};

/// A row of reference data: found by its own kind of ID, inserted and updated with its
/// audit event.
pub trait ReferenceRow: Audited + Stamped + Sized {
    /// The row's own kind of ID.
    type Id: Copy + std::fmt::Display + std::str::FromStr + DeserializeOwned + Send + 'static;

    fn find(conn: &mut DbConnection, id: Self::Id) -> Result<Option<Self>, StoreError>;
    fn insert(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError>;
    fn update(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError>;
}

/// A row of reference data that is deleted softly: kept with the instant it was deleted, gone
/// from every read.
pub trait SoftDeleted {
    fn mark_deleted(&mut self, at: chrono::NaiveDateTime);
}

/// Finds, inserts and updates rows of a table keyed by a text `id`, as a module of functions
/// and as the row's [`ReferenceRow`].
macro_rules! keyed_table {
    ($module:ident, $table:ident, $row:ty, $id:ty) => {
        impl ReferenceRow for $row {
            type Id = $id;

            fn find(conn: &mut DbConnection, id: $id) -> Result<Option<Self>, StoreError> {
                $module::find(conn, id)
            }

            fn insert(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError> {
                $module::insert(conn, row)
            }

            fn update(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError> {
                $module::update(conn, row)
            }
        }

        pub mod $module {
            use super::*;

            pub fn find(conn: &mut DbConnection, id: $id) -> Result<Option<$row>, StoreError> {
                Ok($table::table.find(id).first::<$row>(conn).optional()?)
            }

            /// The rows of `ids` that exist, a thousand a query, in no particular order.
            pub fn find_all(conn: &mut DbConnection, ids: &[$id]) -> Result<Vec<$row>, StoreError> {
                let mut found: Vec<$row> = Vec::new();
                for chunk in ids.chunks(crate::multi_row::ROWS_PER_STATEMENT) {
                    found.extend(
                        $table::table
                            .filter($table::id.eq_any(chunk))
                            .load::<$row>(conn)?,
                    );
                }
                Ok(found)
            }

            pub fn insert(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                diesel::insert_into($table::table)
                    .values(row)
                    .execute(conn)?;
                audit::created(conn, row)
            }

            pub fn update(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                let before: $row = $table::table.find(row.id).first(conn)?;
                diesel::update($table::table.find(row.id))
                    .set(row)
                    .execute(conn)?;
                crate::stale::Read::changed(conn, &before, row)?;
                audit::updated(conn, &before, row)
            }
        }
    };
}

/// The organization a row of reference data belongs to: an HMIS import into it writes the
/// same rows, so a change to one locks it (shared) against the import.
pub trait Owned {
    fn owner(&self, conn: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError>;
}

impl Owned for OrganizationRow {
    fn owner(&self, _: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError> {
        Ok(Some(self.id))
    }
}

impl Owned for ProgramRow {
    fn owner(&self, _: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError> {
        Ok(Some(self.organization_id))
    }
}

impl Owned for UserRow {
    fn owner(&self, _: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError> {
        Ok(Some(self.organization_id))
    }
}

impl Owned for GrantRow {
    fn owner(&self, conn: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError> {
        Ok(program::find(conn, self.program_id)?.map(|program| program.organization_id))
    }
}

keyed_table!(organization, organizations, OrganizationRow, OrganizationId);
keyed_table!(program, programs, ProgramRow, ProgramId);
keyed_table!(grant, grants, GrantRow, GrantId);
keyed_table!(user, users, UserRow, UserId);

pub fn list_organizations(
    conn: &mut DbConnection,
    after: Option<OrganizationId>,
    limit: i64,
) -> Result<Page<OrganizationRow>, StoreError> {
    let mut query = organizations::table.into_boxed();
    if let Some(after) = after {
        query = query.filter(organizations::id.gt(after));
    }
    let rows = query
        .order(organizations::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

/// Programs in ID order, of one organization and of one HUD project type (2.02.6) when given.
pub fn list_programs(
    conn: &mut DbConnection,
    organization_id: Option<OrganizationId>,
    project_type: Option<i32>,
    after: Option<ProgramId>,
    limit: i64,
) -> Result<Page<ProgramRow>, StoreError> {
    let mut query = programs::table.into_boxed();
    if let Some(organization_id) = organization_id {
        query = query.filter(programs::organization_id.eq(organization_id));
    }
    if let Some(project_type) = project_type {
        query = query.filter(programs::project_type.eq(project_type));
    }
    if let Some(after) = after {
        query = query.filter(programs::id.gt(after));
    }
    let rows = query
        .order(programs::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

pub fn list_grants(
    conn: &mut DbConnection,
    program_id: ProgramId,
    after: Option<GrantId>,
    limit: i64,
) -> Result<Page<GrantRow>, StoreError> {
    let mut query = grants::table
        .filter(grants::program_id.eq(program_id))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(grants::id.gt(after));
    }
    let rows = query.order(grants::id.asc()).limit(limit + 1).load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

pub fn list_users(
    conn: &mut DbConnection,
    organization_id: Option<OrganizationId>,
    after: Option<UserId>,
    limit: i64,
) -> Result<Page<UserRow>, StoreError> {
    let mut query = users::table.into_boxed();
    if let Some(organization_id) = organization_id {
        query = query.filter(users::organization_id.eq(organization_id));
    }
    if let Some(after) = after {
        query = query.filter(users::id.gt(after));
    }
    let rows = query.order(users::id.asc()).limit(limit + 1).load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

/// What the rules know of a program.
pub fn program_facts(row: &ProgramRow) -> Result<ProgramFacts, StoreError> {
    Ok(ProgramFacts {
        id: row.id.uuid(),
        project_type: ProjectType::try_from(row.project_type)
            .map_err(|error| StoreError::Config(format!("program {}: {error}", row.id)))?,
        operating: DateRange {
            start: row.operating_start_date.into(),
            end: row.operating_end_date.map(Into::into),
        },
        capacity: row.capacity,
    })
}

/// What the rules know of a grant.
pub fn grant_facts(row: &GrantRow) -> Result<GrantFacts, StoreError> {
    Ok(GrantFacts {
        id: row.id.uuid(),
        program_id: row.program_id.uuid(),
        term: DateRange {
            start: row.start_date.into(),
            end: row.end_date.map(Into::into),
        },
    })
}

/// The programs whose enrollments the auto-exit job looks after.
pub fn auto_exit_programs(conn: &mut DbConnection) -> Result<Vec<ProgramRow>, StoreError> {
    Ok(programs::table
        .filter(programs::auto_exit_days.is_not_null())
        .order(programs::id.asc())
        .load(conn)?)
}
