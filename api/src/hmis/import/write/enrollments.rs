//! Enrollment.csv with its exits and households: a new enrollment takes the next ticks of
//! the change clock, a new household is created with its first enrollment, and an exit
//! deleted at the source reopens its enrollment.

use std::collections::HashSet;

use chrono::NaiveDateTime;

use threshold_persistence::bulk;
use threshold_persistence::ids::HouseholdId;
use threshold_persistence::rows::StoredFlags;
use threshold_persistence::rows::{EnrollmentRow, HouseholdRow, Stamped};
use threshold_persistence::{enrollments, imports, StoreError};

use super::{decide, stored, Decision, Writer, BATCH};
use crate::hmis::import::check::{EnrollmentRecord, Plan};
use crate::hmis::import::{count, Change};
use crate::usecases::lifecycle::clear_exit;

impl Writer<'_, '_> {
    pub(super) fn enrollments(&mut self, plan: &Plan) -> Result<(), StoreError> {
        // The households new to us created so far, by id.
        let mut households_made: HashSet<HouseholdId> = HashSet::new();
        for batch in plan.enrollments.chunks(BATCH) {
            let mut stored = stored::<_, EnrollmentRow>(self.queue, batch.iter().map(|r| &r.meta))?;
            let mut new = New::default();
            for record in batch {
                let row = stored.remove(&record.meta.id);
                self.enrollment(record, row, &mut households_made, &mut new)?;
            }
            self.queue.write(move |conn| {
                bulk::insert_imported(conn, &new.households)?;
                bulk::insert_enrollments(conn, &mut new.enrollments)?;
                imports::remember_all(conn, &new.source_ids)
            })?;
        }
        for exit in &plan.deleted_exits {
            let (source, source_id) = (self.source, exit.source_id.clone());
            // An exit is imported as its enrollment.
            let stored = self.queue.read(move |conn| {
                match imports::record_id(conn, source, "exit", &source_id)? {
                    Some(id) => enrollments::find(conn, None, id.cast()),
                    None => Ok(None),
                }
            })?;
            let change = match stored {
                Some(row) if row.exit_date.is_some() => {
                    let mut new = row.clone();
                    clear_exit(&mut new);
                    self.update_enrollment(row, new)?;
                    Change::Deleted
                }
                _ => Change::Unchanged,
            };
            count(&mut self.counts, "Exit", change);
        }
        Ok(())
    }

    fn update_enrollment(
        &mut self,
        stored: EnrollmentRow,
        mut new: EnrollmentRow,
    ) -> Result<Change, StoreError> {
        if new == stored {
            return Ok(Change::Unchanged);
        }
        new.stamp(self.at, &self.by);
        self.queue
            .write(move |conn| enrollments::update(conn, &mut new))?;
        Ok(Change::Updated)
    }

    fn enrollment(
        &mut self,
        record: &EnrollmentRecord,
        stored: Option<EnrollmentRow>,
        households_made: &mut HashSet<HouseholdId>,
        new: &mut New,
    ) -> Result<(), StoreError> {
        let had_exit = stored.as_ref().map(|row| row.exit_date.is_some());
        // The exit's DateUpdated counts too: a file may change only the exit.
        let mut meta = record.meta.clone();
        if let Some(exit) = &record.exit {
            meta.date_updated = meta.date_updated.max(exit.meta.date_updated);
        }
        let change = match decide(&meta, stored, |row| row.updated_at) {
            Decision::Create => {
                if !record.household_known && households_made.insert(record.household_id) {
                    new.households.push(HouseholdRow {
                        id: record.household_id,
                        program_id: record.program_id,
                        created_at: self.at,
                        created_by: self.by.clone(),
                    });
                    new.source_ids.push(self.source_id(
                        "household",
                        &record.household_source_id,
                        record.household_id,
                        None,
                    ));
                }
                new.enrollments.push(self.new_enrollment(record));
                new.source_ids.push(self.source_id(
                    "enrollment",
                    &meta.source_id,
                    meta.id,
                    Some(meta.date_updated),
                ));
                Change::Created
            }
            Decision::Update(row) => {
                let mut updated = row.clone();
                fill(record, &mut updated, self.source, &self.by, self.at);
                self.update_enrollment(row, updated)?
            }
            Decision::Delete(row) => {
                let mut deleted = row.clone();
                deleted.deleted_at = Some(self.at);
                self.update_enrollment(row, deleted)?;
                Change::Deleted
            }
            Decision::Leave => Change::Unchanged,
        };
        if let Some(exit) = &record.exit {
            let exit_change = match (change, had_exit) {
                (Change::Created, _) | (Change::Updated, Some(false)) => Change::Created,
                (Change::Updated, Some(true)) => Change::Updated,
                _ => Change::Unchanged,
            };
            if exit_change == Change::Created && !exit.meta.known {
                new.source_ids.push(self.source_id(
                    "exit",
                    &exit.meta.source_id,
                    record.meta.id,
                    None,
                ));
            }
            count(&mut self.counts, "Exit", exit_change);
        }
        self.step("Enrollment", change);
        Ok(())
    }

    fn new_enrollment(&self, record: &EnrollmentRecord) -> EnrollmentRow {
        let mut row = EnrollmentRow {
            hud: Default::default(),
            exit_hud: Default::default(),
            flags: Default::default(),
            source: None,
            exit_source: None,
            id: record.meta.id,
            client_id: record.client_id,
            program_id: record.program_id,
            household_id: record.household_id,
            relationship_to_hoh: record.relationship_to_hoh,
            entry_date: record.entry_date,
            exit_date: None,
            destination: None,
            destination_subsidy_type: None,
            other_destination: None,
            auto_exited: false,
            exited_by: None,
            exited_at: None,
            grant_id: None,
            case_manager_id: None,
            enrollment_coc: None,
            disabling_condition: None,
            prior_living_situation: None,
            length_of_stay: None,
            move_in_date: None,
            version: 1,
            created_at: self.at,
            updated_at: self.at,
            created_by: self.by.clone(),
            updated_by: self.by.clone(),
            deleted_at: None,
        };
        fill(record, &mut row, self.source, &self.by, self.at);
        row
    }
}

/// A chunk's new rows, inserted together once the chunk is decided: households before the
/// enrollments that name them.
#[derive(Default)]
struct New {
    households: Vec<HouseholdRow>,
    enrollments: Vec<EnrollmentRow>,
    source_ids: Vec<imports::SourceIdRow>,
}

/// Our row with the file's values; a changed exit is stamped as made by the import.
fn fill(
    record: &EnrollmentRecord,
    row: &mut EnrollmentRow,
    source: &str,
    by: &str,
    at: NaiveDateTime,
) {
    row.relationship_to_hoh = record.relationship_to_hoh;
    row.entry_date = record.entry_date;
    row.enrollment_coc = record.enrollment_coc.clone();
    row.prior_living_situation = record.prior_living_situation;
    row.length_of_stay = record.length_of_stay;
    row.disabling_condition = record.disabling_condition;
    row.move_in_date = record.move_in_date;
    row.hud = record.hud.json();
    row.flags = StoredFlags(record.flags.clone());
    row.source = Some(record.meta.source(source));
    if let Some(exit) = &record.exit {
        let exit_hud = exit.hud.json();
        let same = row.exit_date == Some(exit.exit_date)
            && row.destination == Some(exit.destination)
            && row.destination_subsidy_type == exit.destination_subsidy_type
            && row.other_destination == exit.other_destination
            && row.exit_hud == exit_hud;
        row.exit_hud = exit_hud;
        row.exit_source = Some(exit.meta.source(source));
        if !same {
            row.exit_date = Some(exit.exit_date);
            row.destination = Some(exit.destination);
            row.destination_subsidy_type = exit.destination_subsidy_type;
            row.other_destination = exit.other_destination.clone();
            row.auto_exited = false;
            row.exited_by = Some(by.to_owned());
            row.exited_at = Some(at);
        }
    }
}
