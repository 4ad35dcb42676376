//! HUD's records under an enrollment (`rows::HudRecord`), one table for the seven
//! collections: each collection is a record resource of its own, finding and listing only
//! its own records, and the rules read them all at once. Deleted records (soft) are
//! invisible to every read here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use threshold_domain::hud_records::StageRecord;

use super::EnrollmentRecord;
use crate::audit;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{AnyHudRecordId, EnrollmentId, HudRecordId};
use crate::multi_row::ROWS_PER_STATEMENT;
use crate::page::Page;
use crate::rows::{
    AnyHudRecord, CurrentLivingSituations, Disabilities, EmploymentEducation, Events, HealthAndDv,
    HudCollection, HudRecord, IncomeBenefits, Stamped, YouthEducationStatuses,
};
use crate::schema::hud_records;

/// The records of `C` are those whose `collection` is `C::NAME`: a record is found, listed,
/// changed and deleted only as one of its own collection.
impl<C: HudCollection> EnrollmentRecord for HudRecord<C> {
    type Id = HudRecordId<C>;
    type ParentId = EnrollmentId;

    fn id(&self) -> HudRecordId<C> {
        self.id
    }

    fn enrollment_id(&self) -> EnrollmentId {
        self.enrollment_id
    }

    fn parent_id(&self) -> EnrollmentId {
        self.enrollment_id
    }

    fn mark_deleted(&mut self, at: NaiveDateTime) {
        self.deleted_at = Some(at);
    }

    fn find(conn: &mut DbConnection, id: HudRecordId<C>) -> Result<Option<Self>, StoreError> {
        Ok(hud_records::table
            .find(id)
            .filter(hud_records::collection.eq(C::NAME))
            .filter(hud_records::deleted_at.is_null())
            .first::<HudRecord<C>>(conn)
            .optional()?)
    }

    fn insert(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError> {
        diesel::insert_into(hud_records::table)
            .values(row)
            .execute(conn)?;
        crate::stale::touch_enrollment(row.enrollment_id);
        audit::created(conn, row)
    }

    fn update(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError> {
        let stored = hud_records::table
            .find(row.id)
            .filter(hud_records::collection.eq(C::NAME));
        let before: HudRecord<C> = stored.first(conn)?;
        diesel::update(stored).set(row).execute(conn)?;
        crate::stale::touch_enrollment(row.enrollment_id);
        audit::updated(conn, &before, row)
    }

    fn list(
        conn: &mut DbConnection,
        enrollment_id: EnrollmentId,
        after: Option<HudRecordId<C>>,
        limit: i64,
    ) -> Result<Page<Self>, StoreError> {
        let mut query = hud_records::table
            .filter(hud_records::enrollment_id.eq(enrollment_id))
            .filter(hud_records::collection.eq(C::NAME))
            .filter(hud_records::deleted_at.is_null())
            .into_boxed();
        if let Some(after) = after {
            query = query.filter(hud_records::id.gt(after));
        }
        let rows = query
            .order(hud_records::id.asc())
            .limit(limit + 1)
            .load(conn)?;
        Ok(Page::from_probe(rows, limit))
    }
}

/// Every record (not deleted) of an enrollment, of every collection, in the order of their
/// collections' names, then of their dates, then IDs.
pub fn of_enrollment(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
) -> Result<Vec<AnyHudRecord>, StoreError> {
    of_enrollments(conn, &[enrollment_id])
}

/// Every record (not deleted) of these enrollments (a household's), of every collection, in
/// the order of [`of_enrollment`].
pub fn of_enrollments(
    conn: &mut DbConnection,
    enrollment_ids: &[EnrollmentId],
) -> Result<Vec<AnyHudRecord>, StoreError> {
    let mut found: Vec<AnyHudRecord> = Vec::new();
    for chunk in enrollment_ids.chunks(ROWS_PER_STATEMENT) {
        let rows: Vec<AnyHudRecord> = hud_records::table
            .filter(hud_records::enrollment_id.eq_any(chunk))
            .filter(hud_records::deleted_at.is_null())
            .order((
                hud_records::collection.asc(),
                hud_records::information_date.asc(),
                hud_records::id.asc(),
            ))
            .load(conn)?;
        found.extend(rows);
    }
    if enrollment_ids.len() > ROWS_PER_STATEMENT {
        found.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    }
    Ok(found)
}

fn order_key(record: &AnyHudRecord) -> (&'static str, NaiveDate, AnyHudRecordId) {
    (record.collection.name(), record.information_date, record.id)
}

/// Where a record stands among those `record.stage_duplicate` counts: its collection's
/// record of an enrollment at a data collection stage (5.03), and for a disability of its
/// disability type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageSlot {
    pub enrollment_id: EnrollmentId,
    pub data_collection_stage: i32,
    /// `Some` for a disability (4.05-4.10), `None` for the other collections.
    pub disability_type: Option<i32>,
}

impl<C: HudCollection> HudRecord<C> {
    /// The slot the record takes, if it has a stage.
    pub fn stage_slot(&self) -> Option<StageSlot> {
        Some(StageSlot {
            enrollment_id: self.enrollment_id,
            data_collection_stage: self.data_collection_stage?,
            disability_type: self.disability_type,
        })
    }

    /// The record as the domain's stage and date rules see it.
    pub fn stage_record(&self) -> StageRecord {
        StageRecord {
            id: self.id.uuid(),
            collection: C::COLLECTION,
            information_date: self.information_date.into(),
            stage: self.data_collection_stage,
            disability_type: self.disability_type,
        }
    }
}

impl AnyHudRecord {
    /// The record as the domain's stage and date rules see it (the enrollment's `others`).
    pub fn stage_record(&self) -> StageRecord {
        StageRecord {
            id: self.id.uuid(),
            collection: self.collection,
            information_date: self.information_date.into(),
            stage: self.data_collection_stage,
            disability_type: self.disability_type,
        }
    }
}

/// A record of `C` (not deleted) in `slot`, other than `except` (the record being changed):
/// the one `record.stage_duplicate` would name. Collections without stages have none.
pub fn at_stage<C: HudCollection>(
    conn: &mut DbConnection,
    slot: StageSlot,
    except: Option<HudRecordId<C>>,
) -> Result<Option<HudRecordId<C>>, StoreError> {
    let mut query = hud_records::table
        .filter(hud_records::enrollment_id.eq(slot.enrollment_id))
        .filter(hud_records::collection.eq(C::NAME))
        .filter(hud_records::data_collection_stage.eq(slot.data_collection_stage))
        .filter(hud_records::deleted_at.is_null())
        .select(hud_records::id)
        .into_boxed();
    query = match slot.disability_type {
        Some(disability_type) => query.filter(hud_records::disability_type.eq(disability_type)),
        None => query.filter(hud_records::disability_type.is_null()),
    };
    if let Some(except) = except {
        query = query.filter(hud_records::id.ne(except));
    }
    Ok(query
        .order(hud_records::id.asc())
        .first::<HudRecordId<C>>(conn)
        .optional()?)
}

/// Deletes (softly) an enrollment's records of every collection, row by row, so each
/// deletion is audited as its collection's.
pub(super) fn delete_with_enrollment(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
    at: NaiveDateTime,
    by: &str,
) -> Result<(), StoreError> {
    delete_all::<IncomeBenefits>(conn, enrollment_id, at, by)?;
    delete_all::<Disabilities>(conn, enrollment_id, at, by)?;
    delete_all::<HealthAndDv>(conn, enrollment_id, at, by)?;
    delete_all::<EmploymentEducation>(conn, enrollment_id, at, by)?;
    delete_all::<CurrentLivingSituations>(conn, enrollment_id, at, by)?;
    delete_all::<Events>(conn, enrollment_id, at, by)?;
    delete_all::<YouthEducationStatuses>(conn, enrollment_id, at, by)
}

fn delete_all<C: HudCollection>(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
    at: NaiveDateTime,
    by: &str,
) -> Result<(), StoreError> {
    let rows: Vec<HudRecord<C>> = hud_records::table
        .filter(hud_records::enrollment_id.eq(enrollment_id))
        .filter(hud_records::collection.eq(C::NAME))
        .filter(hud_records::deleted_at.is_null())
        .load(conn)?;
    for mut row in rows {
        row.deleted_at = Some(at);
        row.stamp(at, by);
        EnrollmentRecord::update(conn, &row)?;
    }
    Ok(())
}
