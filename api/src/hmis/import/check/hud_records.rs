//! The files of HUD's records under an enrollment: IncomeBenefits.csv (4.02-4.04),
//! Disabilities.csv (4.05-4.10), HealthAndDV.csv (4.11), EmploymentEducation.csv (R4-R6),
//! CurrentLivingSituation.csv (4.12), Event.csv (4.20) and YouthEducationStatus.csv (C3).
//! Each row's HUD fields are read by the column catalog and held to the checks a record
//! written through the API is (`hud_records`: types, lists, "null unless", the stage rules
//! among the enrollment's records of the archive).

use std::collections::{HashMap, HashSet};

use threshold_domain::dates::check_not_future;
use threshold_domain::hud_fields::read_cell;
use threshold_domain::hud_records::consistency::check_consistency;
use threshold_domain::hud_records::{check_record_dates, HudValue, RecordFacts, StageRecord};
use threshold_domain::Date;
use threshold_persistence::ids::{EnrollmentId, HouseholdId};
use threshold_persistence::rows::{HudCollection, DISABILITY_TYPE};
use threshold_persistence::StoreError;

use super::plan::{EnrollmentRecord, FieldsText, HudRecordImport};
use super::Checker;
use crate::hmis::import::read::Table;
use crate::usecases::hud_records::disability_type_of;

/// What the stage rules read across the files of records: each enrollment's records so far,
/// and each household's head's entry date.
#[derive(Debug, Default)]
pub(super) struct Stages {
    records: HashMap<EnrollmentId, Vec<StageRecord>>,
    head_entries: Option<HashMap<HouseholdId, Date>>,
}

impl Checker<'_> {
    /// The rows of the file of `C`'s records.
    pub(super) fn hud_records<C: HudCollection>(
        &mut self,
        table: &Table,
    ) -> Result<Vec<HudRecordImport<C>>, StoreError> {
        let collection = C::COLLECTION;
        let file = collection.file();
        let id_column = file.columns[0].name;
        let date_column = collection.date_column();
        let stage_column = file.column("DataCollectionStage");
        let mut seen = HashSet::new();
        // Sized once: a file of these holds most of an archive's rows, and a vector grown
        // by doubling would hold up to twice their room until written.
        let mut records = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let enrollment = cells.text_ref("EnrollmentID", 32, true);
            cells.text_ref("PersonalID", 32, true);
            let date = cells.date(date_column, true);
            cells.fail_with(check_not_future(
                date_column,
                date.map(Date::from),
                self.today,
            ));
            let stage = stage_column.and_then(|column| {
                let text = cells.present(column.name, true)?;
                match read_cell(column, text) {
                    Ok(HudValue::Integer(code)) => Some(code),
                    Ok(_) => None,
                    Err(error) => {
                        cells.fail_with(Some(error));
                        None
                    }
                }
            });
            let fields = cells.hud_fields(collection, true);
            let problems = check_consistency(collection, &fields);
            cells.fail_fields(collection, problems);
            let meta = self.meta(&mut cells, C::ENTITY, id_column, &mut seen)?;
            let target = enrollment.and_then(|id| self.enrollment(id));
            if let (Some(id), None) = (enrollment, target) {
                self.not_found(
                    &mut cells,
                    "EnrollmentID",
                    "enrollment",
                    id,
                    "Enrollment.csv",
                );
            }
            let target = target.map(|target| {
                let live = !target.meta.deleted;
                (target.meta.id, live.then(|| facts_of(target)))
            });
            if let (Some((enrollment_id, Some(facts))), Some(date), Some(meta)) =
                (target, date, &meta)
            {
                if !meta.deleted {
                    let facts = RecordFacts {
                        head_entry_date: self.head_entry(facts.1).unwrap_or(facts.0.entry_date),
                        ..facts.0
                    };
                    let record = StageRecord {
                        id: meta.id.uuid(),
                        collection,
                        information_date: date.into(),
                        stage,
                        disability_type: fields.code(DISABILITY_TYPE),
                    };
                    let others = self.stages.records.entry(enrollment_id).or_default();
                    if let Err(violations) = check_record_dates(&facts, &record, others) {
                        for violation in violations.all() {
                            let column = match violation.field {
                                Some("data_collection_stage") => "DataCollectionStage",
                                _ => date_column,
                            };
                            cells.fail(column, violation.rule.code(), violation.message.clone());
                        }
                    }
                    others.push(record);
                }
            }
            self.errors.append(&mut errors);
            if let (Some(meta), Some((enrollment_id, _)), Some(date)) = (meta, target, date) {
                if stage_column.is_none() || stage.is_some() {
                    records.push(HudRecordImport {
                        meta,
                        enrollment_id,
                        information_date: date,
                        stage,
                        disability_type: disability_type_of(collection, &fields),
                        fields: FieldsText::of(&fields, &[DISABILITY_TYPE]),
                    });
                }
            }
        }
        Ok(records)
    }

    /// The entry date of the head of the household, from the archive's enrollments.
    fn head_entry(&mut self, household: HouseholdId) -> Option<Date> {
        let enrollments = &self.plan.enrollments;
        self.stages
            .head_entries
            .get_or_insert_with(|| {
                enrollments
                    .iter()
                    .filter(|enrollment| enrollment.relationship_to_hoh == 1)
                    .filter(|enrollment| !enrollment.meta.deleted)
                    .map(|head| (head.household_id, Date::from(head.entry_date)))
                    .collect()
            })
            .get(&household)
            .copied()
    }
}

/// An enrollment's own dates, as the stage rules read them, and its household.
fn facts_of(enrollment: &EnrollmentRecord) -> (RecordFacts, HouseholdId) {
    let entry_date = Date::from(enrollment.entry_date);
    let facts = RecordFacts {
        entry_date,
        exit_date: enrollment
            .exit
            .as_ref()
            .map(|exit| Date::from(exit.exit_date)),
        head_entry_date: entry_date,
    };
    (facts, enrollment.household_id)
}
