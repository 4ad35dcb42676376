//! The records HUD collects during an enrollment, seven HMIS CSV files of them, kept in one
//! table (`hud_records`): a record's HUD fields are one JSON object ([`HudFieldsJson`]),
//! checked against the domain's column catalog before they are written, and what the rules
//! and queries look records up by (the collection, the file's date, the data collection
//! stage, the disability type) has a column of its own.
//!
//! A record is typed by its collection (`HudRecord<IncomeBenefits>`, ...): its ID, the
//! `collection` it is stored with, the audit entity it is recorded as. [`AnyHudRecord`] is a
//! record of any collection, as the reads across collections give them.

mod collections;
mod fields;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use threshold_domain::hud_records::Collection;

pub use crate::ids::kind::{
    CurrentLivingSituations, Disabilities, EmploymentEducation, Events, HealthAndDv,
    IncomeBenefits, YouthEducationStatuses,
};
pub use collections::{CollectionColumn, CollectionTag, HudCollection};
pub use fields::{given, stored_fields, HudFieldsJson, NotHudFieldsJson, DISABILITY_TYPE};

use super::{Stamped, Stamps};
use crate::ids::{AnyHudRecordId, EnrollmentId, HudRecordId};
use crate::schema::hud_records;

/// A record of the collection `C`, as stored. Its row's JSON (the audit trail's, a webhook
/// event's) has the HUD fields beside the columns, so the trail names each field a change
/// changed, as it does a service's columns.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, AsChangeset, Serialize, Deserialize)]
#[diesel(table_name = hud_records, treat_none_as_null = true, treat_none_as_default_value = false)]
#[serde(bound = "C: HudCollection")]
pub struct HudRecord<C: HudCollection> {
    pub id: HudRecordId<C>,
    pub enrollment_id: EnrollmentId,
    /// Always `C::NAME`.
    pub collection: CollectionTag<C>,
    /// The file's date: InformationDate, or EventDate for an event (4.20).
    pub information_date: NaiveDate,
    /// 5.03; `None` exactly for the files without one (`Collection::has_stage`).
    pub data_collection_stage: Option<i32>,
    /// DisabilityType (4.05-4.10); `Some` exactly for disabilities.
    pub disability_type: Option<i32>,
    #[serde(flatten)]
    pub fields: HudFieldsJson,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

/// A record of any collection, as the reads across collections load them.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct AnyHudRecord {
    pub id: AnyHudRecordId,
    pub enrollment_id: EnrollmentId,
    #[diesel(deserialize_as = CollectionColumn)]
    pub collection: Collection,
    pub information_date: NaiveDate,
    pub data_collection_stage: Option<i32>,
    pub disability_type: Option<i32>,
    pub fields: HudFieldsJson,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub updated_by: String,
    pub deleted_at: Option<NaiveDateTime>,
}

impl AnyHudRecord {
    /// The record as one of the collection `C`, unless it is of another (match on its
    /// `collection` first to keep it then).
    pub fn into_collection<C: HudCollection>(self) -> Option<HudRecord<C>> {
        if self.collection != C::COLLECTION {
            return None;
        }
        Some(HudRecord {
            id: self.id.cast(),
            enrollment_id: self.enrollment_id,
            collection: CollectionTag::new(),
            information_date: self.information_date,
            data_collection_stage: self.data_collection_stage,
            disability_type: self.disability_type,
            fields: self.fields,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: self.created_by,
            updated_by: self.updated_by,
            deleted_at: self.deleted_at,
        })
    }
}

impl<C: HudCollection> From<HudRecord<C>> for AnyHudRecord {
    fn from(record: HudRecord<C>) -> AnyHudRecord {
        AnyHudRecord {
            id: record.id.cast(),
            enrollment_id: record.enrollment_id,
            collection: C::COLLECTION,
            information_date: record.information_date,
            data_collection_stage: record.data_collection_stage,
            disability_type: record.disability_type,
            fields: record.fields,
            version: record.version,
            created_at: record.created_at,
            updated_at: record.updated_at,
            created_by: record.created_by,
            updated_by: record.updated_by,
            deleted_at: record.deleted_at,
        }
    }
}

impl<C: HudCollection> Stamped for HudRecord<C> {
    fn stamp(&mut self, at: NaiveDateTime, by: &str) {
        self.version += 1;
        self.updated_at = at;
        self.updated_by = by.to_owned();
    }

    fn version(&self) -> i32 {
        self.version
    }

    fn stamps(&self) -> Stamps<'_> {
        Stamps {
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by: &self.created_by,
            updated_by: &self.updated_by,
        }
    }
}

#[cfg(test)]
mod tests;
