//! HUD's records of an enrollment (income and benefits, disabilities, ...): what their
//! writes share, whether a case manager records one (`http::v1::hud_records`) or an exit
//! brings the exit-stage records of its household (`lifecycle::exit`).

use threshold_domain::hud_records::{
    check_record_dates, Collection, HudFields, RecordFacts, StageRecord,
};
use threshold_domain::Date;
use threshold_persistence::households;
use threshold_persistence::ids::{EnrollmentId, Id};
use threshold_persistence::locks::{self, Mode, Scope};
use threshold_persistence::records::hud as stored;
use threshold_persistence::records::EnrollmentRecord;
use threshold_persistence::rows::{
    CollectionTag, Disabilities, EmploymentEducation, EnrollmentRow, HealthAndDv, HudCollection,
    HudFieldsJson, HudRecord, IncomeBenefits,
};
use threshold_persistence::DbConnection;
use uuid::Uuid;

use super::hud_fields;
use crate::clock::now;
use crate::error::ApiError;

pub use threshold_persistence::rows::{given, stored_fields, DISABILITY_TYPE};

/// The disability type of a disability's fields (its own column); `None` for the others.
pub fn disability_type_of(collection: Collection, fields: &HudFields) -> Option<i32> {
    (collection == Collection::Disabilities)
        .then(|| fields.code(DISABILITY_TYPE))
        .flatten()
}

/// What the stage rules read of an enrollment: its dates (the exit date an exit is about to
/// write, when there is one) and its head's entry date. The household is locked first, so
/// that two writes of one household's records take turns.
pub fn record_facts(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    exit_date: Option<Date>,
) -> Result<RecordFacts, ApiError> {
    locks::hold(
        conn,
        Scope::Household(enrollment.household_id),
        Mode::Exclusive,
    )?;
    let entry_date = Date::from(enrollment.entry_date);
    let head_entry_date = match households::find(conn, enrollment.household_id)? {
        Some(row) => households::load(conn, &row)?
            .head()
            .map(|head| head.period.entry)
            .unwrap_or(entry_date),
        None => entry_date,
    };
    Ok(RecordFacts {
        entry_date,
        exit_date: exit_date.or(enrollment.exit_date.map(Date::from)),
        head_entry_date,
    })
}

/// The enrollment's stored records as the stage rules see them.
pub fn stored_stages(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
) -> Result<Vec<StageRecord>, ApiError> {
    Ok(stored::of_enrollment(conn, enrollment.id)?
        .iter()
        .map(|other| other.stage_record())
        .collect())
}

/// The stored records of a household's enrollments as the stage rules see them, each with
/// its enrollment's ID.
pub fn household_stages(
    conn: &mut DbConnection,
    enrollment_ids: &[EnrollmentId],
) -> Result<Vec<(Uuid, StageRecord)>, ApiError> {
    Ok(stored::of_enrollments(conn, enrollment_ids)?
        .iter()
        .map(|record| (record.enrollment_id.uuid(), record.stage_record()))
        .collect())
}

/// The stage rules for `record` among `others` (409).
pub fn check_stages(
    facts: &RecordFacts,
    record: &StageRecord,
    others: &[StageRecord],
) -> Result<(), ApiError> {
    check_record_dates(facts, record, others)?;
    Ok(())
}

/// The fields as stored: JSON, but a disability's type, which has its own column.
pub fn fields_json(fields: &HudFields) -> HudFieldsJson {
    hud_fields::to_json(fields, &[DISABILITY_TYPE])
}

pub use super::hud_fields::json_of;

/// A new record of `C` of the enrollment.
pub fn new_record<C: HudCollection>(
    enrollment_id: EnrollmentId,
    information_date: Date,
    stage: Option<i32>,
    fields: &HudFields,
    by: &str,
) -> HudRecord<C> {
    let at = now();
    HudRecord {
        id: Id::new(),
        enrollment_id,
        collection: CollectionTag::default(),
        information_date: information_date.naive(),
        data_collection_stage: stage,
        disability_type: disability_type_of(C::COLLECTION, fields),
        fields: fields_json(fields),
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: by.to_owned(),
        updated_by: by.to_owned(),
        deleted_at: None,
    }
}

/// The exit-stage (3) records an exit brings for one of its enrollments, each dated the exit
/// date and held to the stage rules among the enrollment's records and those the request
/// brought before it (one request cannot bring two of a kind).
pub struct AtExit<'a> {
    pub facts: RecordFacts,
    pub enrollment_id: EnrollmentId,
    pub others: Vec<StageRecord>,
    pub by: &'a str,
    pub dry_run: bool,
}

impl AtExit<'_> {
    pub fn record(
        &mut self,
        conn: &mut DbConnection,
        collection: Collection,
        fields: &HudFields,
    ) -> Result<(), ApiError> {
        match collection {
            Collection::IncomeBenefits => self.write::<IncomeBenefits>(conn, fields),
            Collection::Disabilities => self.write::<Disabilities>(conn, fields),
            Collection::HealthAndDv => self.write::<HealthAndDv>(conn, fields),
            Collection::EmploymentEducation => self.write::<EmploymentEducation>(conn, fields),
            other => Err(ApiError::Internal(format!(
                "{} has no exit-stage records",
                other.name()
            ))),
        }
    }

    fn write<C: HudCollection>(
        &mut self,
        conn: &mut DbConnection,
        fields: &HudFields,
    ) -> Result<(), ApiError> {
        let exit_date = self.facts.exit_date.unwrap_or(self.facts.entry_date);
        let row = new_record::<C>(self.enrollment_id, exit_date, Some(3), fields, self.by);
        let stage = row.stage_record();
        check_stages(&self.facts, &stage, &self.others)?;
        self.others.push(stage);
        if !self.dry_run {
            HudRecord::<C>::insert(conn, &row)?;
        }
        Ok(())
    }
}
