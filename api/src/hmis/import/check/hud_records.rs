//! The files of HUD's records under an enrollment: IncomeBenefits.csv (4.02-4.04),
//! Disabilities.csv (4.05-4.10), HealthAndDV.csv (4.11), EmploymentEducation.csv (R4-R6),
//! CurrentLivingSituation.csv (4.12), Event.csv (4.20) and YouthEducationStatus.csv (C3).
//! Each row's HUD fields are read by the column catalog and held to the checks a record
//! written through the API is (`hud_records`: types, lists, "null unless", the stage rules
//! among the enrollment's records of the archive).

use std::collections::HashMap;
use std::io::{Read, Seek};

use threshold_domain::dates::check_not_future;
use threshold_domain::hud_fields::read_cell;
use threshold_domain::hud_records::consistency::check_consistency;
use threshold_domain::hud_records::{check_record_dates, HudValue, RecordFacts, StageRecord};
use threshold_domain::Date;
use threshold_persistence::ids::{EnrollmentId, HouseholdId};
use threshold_persistence::rows::{HudCollection, DISABILITY_TYPE};
use threshold_persistence::StoreError;

use super::plan::{EnrollmentRecord, FieldsText, HudRecordImport};
use super::{Checker, Known, RecordSink, Seen, ROWS_AT_A_TIME};
use crate::hmis::import::queue::Queue;
use crate::hmis::import::read::{Archive, Table};
use crate::hmis::import::ImportError;
use crate::usecases::hud_records::disability_type_of;
use threshold_persistence::ids::EntityId;
use threshold_persistence::imports;

/// What the stage rules read: the records of the file so far that take a slot of their
/// enrollment's, and each household's head's entry date.
#[derive(Debug, Default)]
pub(super) struct Stages {
    /// Each enrollment's, exactly sized: a file of half a million records keeps about half
    /// of them here until it is read.
    records: HashMap<EnrollmentId, Box<[StageRecord]>>,
    head_entries: Option<HashMap<HouseholdId, Date>>,
}

impl Checker<'_> {
    /// The file of `C`'s records, streamed ([`Checker::stream`]).
    pub(super) fn record_file<C: HudCollection>(
        &mut self,
        archive: &mut Archive<impl Read + Seek>,
        queue: &Queue<'_>,
        sink: &mut impl RecordSink,
    ) -> Result<(), StoreError> {
        let file = C::COLLECTION.file();
        // The stage rules compare records of one collection: of this file only.
        self.stages.records.clear();
        self.stream(
            archive,
            queue,
            (file.name, C::ENTITY, file.columns[0].name),
            Checker::hud_records::<C>,
            |records| sink.records(records),
        )
    }

    /// A file nothing refers to, named `name` and holding records of `entity` by their IDs
    /// in `id_column`: read a part at a time, each part's rows checked by `check` and (while
    /// the archive may be written) their records given to `write`. Once a file could not be
    /// read, the others are only read, to report those that cannot be either.
    pub(super) fn stream<R>(
        &mut self,
        archive: &mut Archive<impl Read + Seek>,
        queue: &Queue<'_>,
        (name, entity, id_column): (&'static str, &'static str, &'static str),
        check: impl Fn(&mut Self, &Table, &mut Seen) -> Result<Vec<R>, StoreError>,
        mut write: impl FnMut(Vec<R>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.known.clear();
        if self.unreadable.is_empty() {
            let Some(known) = self.known_of(archive, queue, name, entity, id_column)? else {
                return Ok(());
            };
            self.known.insert(entity, known);
        }
        let mut seen = Seen::default();
        self.each_part(archive, name, |checker, table| {
            if !checker.unreadable.is_empty() {
                return Ok(());
            }
            checker.rows += table.rows.len() as u64;
            let records = check(checker, &table, &mut seen)?;
            if checker.writable() && !records.is_empty() {
                write(records)?;
            }
            Ok(())
        })?;
        Ok(())
    }

    /// What the IDs of `entity` in `id_column` of the file `name` were imported as before, by
    /// ID: `None` when the file cannot be read (it is reported). When none of the entity's
    /// IDs was ever imported from the source, nothing is read; otherwise the file's IDs are
    /// read a part at a time and looked up.
    fn known_of(
        &mut self,
        archive: &mut Archive<impl Read + Seek>,
        queue: &Queue<'_>,
        name: &'static str,
        entity: &'static str,
        id_column: &'static str,
    ) -> Result<Option<HashMap<String, Known<EntityId>>>, StoreError> {
        let source = self.plan.source.clone();
        let mut known = HashMap::new();
        if !queue.read(move |conn| imports::any_known(conn, &source, entity))? {
            return Ok(Some(known));
        }
        let whole = self.each_part(archive, name, |checker, table| {
            let Some(index) = table.column(id_column) else {
                return Ok(());
            };
            let wanted: Vec<String> = table
                .rows
                .iter()
                .filter_map(|row| table.field(row, index))
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
                .collect();
            let source = checker.plan.source.clone();
            known.extend(queue.read(move |conn| {
                let wanted: Vec<&str> = wanted.iter().map(String::as_str).collect();
                imports::known_ids(conn, &source, entity, &wanted)
            })?);
            Ok(())
        })?;
        Ok(whole.then_some(known))
    }

    /// Each part of the file `name` (none when the archive has no such file), given to
    /// `each`; a part that cannot be read is reported and ends the file. Answers whether the
    /// file was read to its end.
    fn each_part(
        &mut self,
        archive: &mut Archive<impl Read + Seek>,
        name: &'static str,
        mut each: impl FnMut(&mut Self, Table) -> Result<(), StoreError>,
    ) -> Result<bool, StoreError> {
        let mut chunks = match archive.chunks(name) {
            Ok(Some(chunks)) => chunks,
            Ok(None) => return Ok(true),
            Err(error) => {
                self.unreadable.push(error);
                return Ok(false);
            }
        };
        while !chunks.finished() {
            match chunks.next_rows(ROWS_AT_A_TIME, 0) {
                Ok(table) => each(self, table)?,
                Err(error) => {
                    self.unreadable.push(error);
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// The rows of a part of the file of `C`'s records: the records of those that may be
    /// written (none of a row with an error of its own, or whose enrollment is not
    /// imported).
    fn hud_records<C: HudCollection>(
        &mut self,
        table: &Table,
        seen: &mut Seen,
    ) -> Result<Vec<HudRecordImport<C>>, StoreError> {
        let collection = C::COLLECTION;
        let file = collection.file();
        let id_column = file.columns[0].name;
        let date_column = collection.date_column();
        let stage_column = file.column("DataCollectionStage");
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
            let meta = self.meta(&mut cells, C::ENTITY, id_column, seen)?;
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
                    // Only these are read by the rules of the file's later records.
                    if record.takes_a_slot() {
                        let mut kept = std::mem::take(others).into_vec();
                        kept.push(record);
                        *others = kept.into_boxed_slice();
                    }
                }
            }
            let refused = errors.iter().any(ImportError::is_error);
            self.errors.append(&mut errors);
            if let (false, Some(meta), Some((enrollment_id, _)), Some(date)) =
                (refused, meta, target, date)
            {
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
