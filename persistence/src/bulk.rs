//! Many rows at once, for bulk writers such as the HMIS import: stored rows read by id a
//! thousand at a time, and new rows inserted a thousand per statement, each with its audit
//! event as the one-row `insert` functions write it. Through the `DbConnection` enum a
//! multi-row insert does not compile, so each backend's own connection runs it.

use std::collections::HashMap;

use chrono::TimeDelta;
use diesel::prelude::*;

use crate::audit::{self, Audited};
use crate::clock;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{
    AffiliationId, AssessmentId, CeParticipationId, ClientId, EnrollmentId, GrantId,
    HmisParticipationId, HouseholdId, HudRecordId, InventoryId, ProgramCocId, ProgramId, ServiceId,
    UserId,
};
use crate::multi_row::insert_rows;
pub use crate::multi_row::ROWS_PER_STATEMENT;
use crate::rows::{
    AffiliationRow, AssessmentRow, CeParticipationRow, ClientRow, EnrollmentRow, GrantRow,
    HmisParticipationRow, HouseholdRow, HudCollection, HudRecord, InventoryRow, ProgramCocRow,
    ProgramRow, ServiceRow, UserRow,
};
use crate::schema::{
    affiliations, assessments, ce_participations, clients, enrollments, grants,
    hmis_participations, households, hud_records, inventories, program_cocs, programs, services,
    users,
};

/// A row that can be read and inserted many at a time.
pub trait Bulk: Audited + Sized + Sync {
    /// What the rows are found by.
    type Id;

    /// Inserts the rows, without audit events.
    fn insert_rows(conn: &mut DbConnection, rows: &[Self]) -> Result<(), StoreError>;

    /// The stored rows with these ids, by id; deleted ones left out, as `find` does.
    fn find_all(
        conn: &mut DbConnection,
        ids: &[Self::Id],
    ) -> Result<HashMap<Self::Id, Self>, StoreError>;
}

macro_rules! bulk {
    ($row:ty, $id:ty, $table:ident $(, $deleted:ident)?) => {
        impl Bulk for $row {
            type Id = $id;

            fn insert_rows(conn: &mut DbConnection, rows: &[Self]) -> Result<(), StoreError> {
                insert_rows!(conn, $table::table, rows)
            }

            fn find_all(
                conn: &mut DbConnection,
                ids: &[$id],
            ) -> Result<HashMap<$id, Self>, StoreError> {
                let mut found = HashMap::with_capacity(ids.len());
                for chunk in ids.chunks(ROWS_PER_STATEMENT) {
                    let rows: Vec<$row> = $table::table
                        .filter($table::id.eq_any(chunk))
                        $(.filter($table::$deleted.is_null()))?
                        .load(conn)?;
                    found.extend(rows.into_iter().map(|row| (row.id, row)));
                }
                Ok(found)
            }
        }
    };
}

bulk!(UserRow, UserId, users);
bulk!(ProgramRow, ProgramId, programs);
bulk!(GrantRow, GrantId, grants);
bulk!(HouseholdRow, HouseholdId, households);
bulk!(ClientRow, ClientId, clients, deleted_at);
bulk!(EnrollmentRow, EnrollmentId, enrollments, deleted_at);
bulk!(AssessmentRow, AssessmentId, assessments, deleted_at);
bulk!(ServiceRow, ServiceId, services, deleted_at);
bulk!(ProgramCocRow, ProgramCocId, program_cocs, deleted_at);
bulk!(InventoryRow, InventoryId, inventories, deleted_at);
bulk!(
    HmisParticipationRow,
    HmisParticipationId,
    hmis_participations,
    deleted_at
);
bulk!(
    CeParticipationRow,
    CeParticipationId,
    ce_participations,
    deleted_at
);
bulk!(AffiliationRow, AffiliationId, affiliations, deleted_at);

/// HUD's records of one collection: found only as records of it; each inserted record's
/// enrollment has its completeness worked out again before the transaction commits, as a
/// record written one at a time has.
impl<C: HudCollection> Bulk for HudRecord<C> {
    type Id = HudRecordId<C>;

    fn insert_rows(conn: &mut DbConnection, rows: &[Self]) -> Result<(), StoreError> {
        insert_rows!(conn, hud_records::table, rows)?;
        for row in rows {
            crate::stale::touch_enrollment(row.enrollment_id);
        }
        Ok(())
    }

    fn find_all(
        conn: &mut DbConnection,
        ids: &[HudRecordId<C>],
    ) -> Result<HashMap<HudRecordId<C>, Self>, StoreError> {
        let mut found = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<HudRecord<C>> = hud_records::table
                .filter(hud_records::id.eq_any(chunk))
                .filter(hud_records::collection.eq(C::NAME))
                .filter(hud_records::deleted_at.is_null())
                .load(conn)?;
            found.extend(rows.into_iter().map(|row| (row.id, row)));
        }
        Ok(found)
    }
}

/// Inserts the rows, each with its creation event. The events, whose JSON costs more to
/// make than anything else here, are made on a second thread while the database stores the
/// rows.
pub fn insert_all<R: Bulk>(conn: &mut DbConnection, rows: &[R]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    // Read before the rows are stored: they name their parents, stored before them.
    let organizations = audit::organizations_of(conn, rows)?;
    let published = organizations.clone();
    let events = std::thread::scope(|scope| {
        let events = scope.spawn(|| audit::creation_events(rows, organizations));
        let stored = R::insert_rows(conn, rows);
        let events = events
            .join()
            .map_err(|_| StoreError::Config("making the rows' audit events failed".into()));
        stored.and(events)
    })?;
    audit::insert_events(conn, &events)?;
    audit::publish_created(conn, rows, &published)
}

/// Inserts the rows an import creates: as [`insert_all`] does, but without the creation
/// events of the kinds whose creations an import leaves implied (`audit::is_implied`),
/// which the trail makes from the records when asked.
pub fn insert_imported<R: Bulk>(conn: &mut DbConnection, rows: &[R]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    if !audit::is_implied(R::ENTITY) {
        return insert_all(conn, rows);
    }
    R::insert_rows(conn, rows)?;
    audit::publish_created_reading_organizations(conn, rows)
}

/// Inserts the enrollments an import creates ([`insert_imported`]), stamped as
/// `enrollments::insert` stamps one with the next ticks of the change clock in their order:
/// the first the later of the latest `updated_at` they ask for and the tick after the last,
/// each next one a microsecond later.
pub fn insert_enrollments(
    conn: &mut DbConnection,
    rows: &mut [EnrollmentRow],
) -> Result<(), StoreError> {
    let Some(wanted) = rows.iter().map(|row| row.updated_at).max() else {
        return Ok(());
    };
    let Some(first) = clock::reserve(conn, wanted, rows.len())? else {
        return Ok(());
    };
    for (index, row) in rows.iter_mut().enumerate() {
        let at = first + TimeDelta::microseconds(i64::try_from(index).unwrap_or(i64::MAX));
        row.created_at = at;
        row.updated_at = at;
        crate::stale::touch_household(row.household_id);
    }
    insert_imported(conn, rows)
}
