//! What a program records about itself beside its grants: its CoCs (2.03), inventories
//! (2.07), HMIS and CE participations (2.08, 2.09) and affiliations (2.02.C), each a table
//! of rows found, listed and changed like grants, and deleted softly: a deleted row is kept
//! with `deleted_at` and gone from every read here.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{
    AffiliationId, CeParticipationId, HmisParticipationId, InventoryId, OrganizationId,
    ProgramCocId, ProgramId,
};
use crate::page::Page;
use crate::reference::{program, Owned, ReferenceRow, SoftDeleted};
use crate::rows::{
    AffiliationRow, CeParticipationRow, HmisParticipationRow, InventoryRow, ProgramCocRow,
};
use crate::schema::{
    affiliations, ce_participations, hmis_participations, inventories, program_cocs,
};

/// Finds (when not deleted), inserts, updates and lists a program's rows of one table, as a
/// module of functions and as the row's [`ReferenceRow`].
macro_rules! program_table {
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

        /// The program's organization: an import into it writes the same files.
        impl Owned for $row {
            fn owner(&self, conn: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError> {
                Ok(program::find(conn, self.program_id)?.map(|program| program.organization_id))
            }
        }

        impl SoftDeleted for $row {
            fn mark_deleted(&mut self, at: NaiveDateTime) {
                self.deleted_at = Some(at);
            }
        }

        pub mod $module {
            use super::*;

            /// The row with this ID, unless it is deleted.
            pub fn find(conn: &mut DbConnection, id: $id) -> Result<Option<$row>, StoreError> {
                Ok($table::table
                    .find(id)
                    .filter($table::deleted_at.is_null())
                    .first::<$row>(conn)
                    .optional()?)
            }

            pub fn insert(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                diesel::insert_into($table::table)
                    .values(row)
                    .execute(conn)?;
                audit::created(conn, row)
            }

            /// Stores the row as changed (deleted, when `deleted_at` is newly set), with its
            /// audit event.
            pub fn update(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                let before: $row = $table::table.find(row.id).first(conn)?;
                diesel::update($table::table.find(row.id))
                    .set(row)
                    .execute(conn)?;
                audit::updated(conn, &before, row)
            }

            /// A page of the program's rows that are not deleted, in ID order.
            pub fn list(
                conn: &mut DbConnection,
                program_id: ProgramId,
                after: Option<$id>,
                limit: i64,
            ) -> Result<Page<$row>, StoreError> {
                let mut query = $table::table
                    .filter($table::program_id.eq(program_id))
                    .filter($table::deleted_at.is_null())
                    .into_boxed();
                if let Some(after) = after {
                    query = query.filter($table::id.gt(after));
                }
                let rows = query.order($table::id.asc()).limit(limit + 1).load(conn)?;
                Ok(Page::from_probe(rows, limit))
            }
        }
    };
}

program_table!(program_coc, program_cocs, ProgramCocRow, ProgramCocId);
program_table!(inventory, inventories, InventoryRow, InventoryId);
program_table!(
    hmis_participation,
    hmis_participations,
    HmisParticipationRow,
    HmisParticipationId
);
program_table!(
    ce_participation,
    ce_participations,
    CeParticipationRow,
    CeParticipationId
);
program_table!(affiliation, affiliations, AffiliationRow, AffiliationId);

/// The CoC codes of the program's CoC records that are not deleted, with their records'
/// IDs (2.03.1: the codes its inventories may count in).
pub fn coc_codes(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<Vec<(ProgramCocId, String)>, StoreError> {
    Ok(program_cocs::table
        .filter(program_cocs::program_id.eq(program_id))
        .filter(program_cocs::deleted_at.is_null())
        .select((program_cocs::id, program_cocs::coc_code))
        .load(conn)?)
}

/// The CoC codes the program's inventories that are not deleted count in (2.07), each once.
pub fn inventory_coc_codes(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<Vec<String>, StoreError> {
    Ok(inventories::table
        .filter(inventories::program_id.eq(program_id))
        .filter(inventories::deleted_at.is_null())
        .select(inventories::coc_code)
        .distinct()
        .load(conn)?)
}
