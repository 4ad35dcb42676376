//! `.../enrollments/{enrollment_id}/income-benefits` and the six other collections of HUD
//! records under an enrollment (contract: "Records collected during an enrollment"): one
//! generic [`RecordResource`], [`HudRecords`], over the collection's type, whose fields,
//! schemas and rules come from the domain's column catalog and `hud_records` module.

mod body;
mod schema;

use std::marker::PhantomData;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;
use threshold_domain::hud_records::consistency::check_consistency;
use threshold_domain::hud_records::{Collection, FieldSet, StageRecord};
use threshold_domain::records::RecordKind;
use threshold_domain::Date;
use threshold_persistence::rows::{
    CurrentLivingSituations, Disabilities, EmploymentEducation, Events, HealthAndDv, HudCollection,
    HudRecord, IncomeBenefits, YouthEducationStatuses,
};
use threshold_persistence::DbConnection;

pub use body::{exit_record, CreateHudRecord, UpdateHudRecord};
pub use schema::{
    DisabilityPatch, EmploymentEducationPatch, HealthAndDvPatch, IncomeBenefitsPatch,
};

use crate::error::ApiError;
use crate::http::records::{Docs, Names, Parent, RecordResource, UnderEnrollment};
use crate::http::resource::audit_of;
use crate::http::v1::common::Audit;
use crate::usecases::hud_records::{self as hud, DISABILITY_TYPE};
use body::RecordBody;

/// A collection of HUD records as the API names and documents it.
pub trait ApiCollection: HudCollection {
    const NAMES: Names;
    /// The schemas' stem: `IncomeBenefits` (`CreateIncomeBenefits`, `IncomeBenefitsView`).
    const TYPE_NAME: &'static str;
    const ELEMENTS: &'static str;
}

macro_rules! api_collections {
    ($($kind:ident: $collection:ident, $type_name:literal, [$many:literal, $one:literal,
       $nouns:literal, $noun:literal], $elements:literal;)*) => {
        $(impl ApiCollection for $kind {
            const NAMES: Names = Names {
                segment: Collection::$collection.segment(),
                noun: $noun,
                nouns: $nouns,
                one: $one,
                many: $many,
            };
            const TYPE_NAME: &'static str = $type_name;
            const ELEMENTS: &'static str = $elements;
        })*
    };
}

api_collections! {
    IncomeBenefits: IncomeBenefits, "IncomeBenefits",
        ["income and benefits records", "income and benefits record", "income_benefits", "income_benefit"],
        "4.02 income and sources, 4.03 non-cash benefits, 4.04 health insurance, W3, P4";
    Disabilities: Disabilities, "Disability",
        ["disabilities", "disability", "disabilities", "disability"],
        "4.05-4.10, one record per disability_type and stage; W4, W6";
    HealthAndDv: HealthAndDv, "HealthAndDv",
        ["health and domestic violence records", "health and domestic violence record", "health_and_dv_records", "health_and_dv_record"],
        "4.11 domestic violence, R7-R10";
    EmploymentEducation: EmploymentEducation, "EmploymentEducation",
        ["employment and education records", "employment and education record", "employment_education_records", "employment_education_record"],
        "R4 last grade completed, R5 school status, R6 employment status";
    CurrentLivingSituations: CurrentLivingSituations, "CurrentLivingSituation",
        ["current living situations", "current living situation", "current_living_situations", "current_living_situation"],
        "4.12 current living situation";
    Events: Events, "Event",
        ["events", "event", "events", "event"],
        "4.20 coordinated entry events and referral results";
    YouthEducationStatuses: YouthEducationStatuses, "YouthEducationStatus",
        ["youth education statuses", "youth education status", "youth_education_statuses", "youth_education_status"],
        "C3 youth education status";
}

/// The resource of the collection `C`.
pub struct HudRecords<C: HudCollection>(PhantomData<C>);

/// A record as the API shows it: its date and stage, every HUD field of its file (`null`
/// where nothing is recorded), and the audit fields.
pub struct HudRecordView<C: HudCollection> {
    row: HudRecord<C>,
}

impl<C: ApiCollection> Serialize for HudRecordView<C> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let collection = C::COLLECTION;
        let row = &self.row;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &row.id)?;
        map.serialize_entry("enrollment_id", &row.enrollment_id)?;
        map.serialize_entry(body::INFORMATION_DATE, &Date::from(row.information_date))?;
        if collection.has_stage() {
            map.serialize_entry(body::STAGE, &row.data_collection_stage)?;
        }
        for column in collection.field_columns() {
            if column.field == DISABILITY_TYPE {
                map.serialize_entry(column.field, &row.disability_type)?;
                continue;
            }
            map.serialize_entry(
                column.field,
                row.fields.get(column.field).unwrap_or(&Value::Null),
            )?;
        }
        let audit: Audit = audit_of(row);
        map.serialize_entry("version", &audit.version)?;
        map.serialize_entry("created_at", &audit.created_at)?;
        map.serialize_entry("updated_at", &audit.updated_at)?;
        map.serialize_entry("created_by", &audit.created_by)?;
        map.serialize_entry("updated_by", &audit.updated_by)?;
        map.end()
    }
}

/// The stage rules for a record of the enrollment (409), the household locked.
fn check_stages(
    conn: &mut DbConnection,
    parent: &UnderEnrollment,
    record: StageRecord,
) -> Result<(), ApiError> {
    let facts = hud::record_facts(conn, parent.enrollment(), None)?;
    let others = hud::stored_stages(conn, parent.enrollment())?;
    hud::check_stages(&facts, &record, &others)
}

fn new_row<C: ApiCollection>(
    parent: &UnderEnrollment,
    body: &RecordBody,
    by: &str,
) -> HudRecord<C> {
    let date = body
        .information_date
        .unwrap_or_else(|| Date::from(parent.enrollment().entry_date));
    hud::new_record::<C>(
        parent.enrollment().id,
        date,
        body.stage,
        &body.present(),
        by,
    )
}

impl<C: ApiCollection> RecordResource for HudRecords<C> {
    type Row = HudRecord<C>;
    type Create = CreateHudRecord<C>;
    type Update = UpdateHudRecord<C>;
    type View = HudRecordView<C>;

    const NAMES: Names = C::NAMES;
    const DOCS: Docs = Docs::new("List an enrollment's records.", "Record one.")
        .conflict(
            "record.stage_duplicate",
            "a record of this kind at this stage exists, or the date does not fit the stage or the enrollment's period",
        );
    const KIND: RecordKind = RecordKind::Hud(C::COLLECTION);

    fn check_create(
        conn: &mut DbConnection,
        parent: &UnderEnrollment,
        body: &CreateHudRecord<C>,
    ) -> Result<(), ApiError> {
        let read = body.read();
        let row = new_row::<C>(parent, &read, "");
        check_stages(conn, parent, row.stage_record())
    }

    fn to_row(parent: &UnderEnrollment, body: CreateHudRecord<C>, by: &str) -> HudRecord<C> {
        new_row::<C>(parent, &body.read(), by)
    }

    fn apply_patch(
        conn: &mut DbConnection,
        parent: &UnderEnrollment,
        row: &mut HudRecord<C>,
        patch: UpdateHudRecord<C>,
    ) -> Result<(), ApiError> {
        let collection = C::COLLECTION;
        let change = patch.read();
        let stored = hud::stored_fields(collection, &row.fields, row.disability_type);
        let merged = stored.merged(&change.fields);
        ApiError::check_fields(check_consistency(collection, &merged))?;
        if let Some(date) = change.information_date {
            row.information_date = date.naive();
        }
        if change.stage.is_some() {
            row.data_collection_stage = change.stage;
        }
        row.disability_type = hud::disability_type_of(collection, &merged);
        row.fields = hud::fields_json(&merged);
        check_stages(conn, parent, row.stage_record())
    }

    fn view(row: &HudRecord<C>) -> Result<HudRecordView<C>, ApiError> {
        Ok(HudRecordView { row: row.clone() })
    }
}
