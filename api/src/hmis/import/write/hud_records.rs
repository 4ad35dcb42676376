//! How the records of HUD's collections become rows, as a record written through the API
//! does (`usecases::hud_records`).

use chrono::NaiveDateTime;
use threshold_persistence::ids::Id;
use threshold_persistence::records::EnrollmentRecord;
use threshold_persistence::rows::{CollectionTag, HudCollection, HudRecord};
use threshold_persistence::{DbConnection, StoreError};

use super::{Record, Writer};
use crate::hmis::import::check::{HudRecordImport, Meta};

impl<C: HudCollection> Record for HudRecordImport<C> {
    type Kind = C;
    type Row = HudRecord<C>;
    const FILE: &'static str = C::COLLECTION.file().name;
    const ENTITY: &'static str = C::ENTITY;

    fn meta(&self) -> &Meta<Id<C>> {
        &self.meta
    }

    fn create(&self, writer: &Writer<'_, '_>) -> HudRecord<C> {
        let mut row = HudRecord {
            id: self.meta.id,
            enrollment_id: self.enrollment_id,
            collection: CollectionTag::new(),
            information_date: self.information_date,
            data_collection_stage: None,
            disability_type: None,
            fields: Default::default(),
            version: 1,
            created_at: writer.at,
            updated_at: writer.at,
            created_by: writer.by.clone(),
            updated_by: writer.by.clone(),
            deleted_at: None,
        };
        self.fill(&mut row, writer.source);
        row
    }

    fn fill(&self, row: &mut HudRecord<C>, _source: &str) {
        row.information_date = self.information_date;
        row.data_collection_stage = self.stage;
        row.disability_type = self.disability_type;
        row.fields = self.fields.json();
    }

    fn delete(row: &mut HudRecord<C>, at: NaiveDateTime) -> bool {
        row.deleted_at = Some(at);
        true
    }

    fn update(conn: &mut DbConnection, row: &HudRecord<C>) -> Result<(), StoreError> {
        <HudRecord<C> as EnrollmentRecord>::update(conn, row)
    }
}
