//! Writing a checked archive: each record created, updated (when the file's DateUpdated is
//! newer than ours and something changed) or deleted (soft) through the repositories, so
//! every write leaves its audit event; the source IDs remembered for the next import.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use threshold_domain::client::RaceEthnicity;
use threshold_persistence::rows::{
    AssessmentRow, ClientRow, EnrollmentRow, GrantRow, HouseholdRow, ProgramRow, ServiceRow,
    Stamped, UserRow,
};
use threshold_persistence::{
    clients, enrollments, households, imports, records, reference, DbConnection, StoreError,
};

use super::check::{EnrollmentRecord, Meta, Plan};
use super::{count, Change, Counts, Job};

struct Writer<'a> {
    conn: &'a mut DbConnection,
    job: &'a Job,
    source: &'a str,
    by: String,
    at: NaiveDateTime,
    counts: Counts,
    done: u64,
    total: u64,
    progress: &'a dyn Fn(u64, u64),
}

pub fn write(
    conn: &mut DbConnection,
    job: &Job,
    plan: &Plan,
    progress: &dyn Fn(u64, u64),
) -> Result<Counts, StoreError> {
    let mut writer = Writer {
        conn,
        job,
        source: &plan.source,
        by: job.writer(),
        at: crate::v1::common::now(),
        counts: Counts::new(),
        done: 0,
        total: plan.rows(),
        progress,
    };
    writer.plan(plan)?;
    Ok(writer.counts)
}

/// What to do with a record the file holds, given what is stored.
enum Decision<R> {
    Create,
    Update(R),
    Delete(R),
    Leave,
}

fn decide<R>(meta: &Meta, stored: Option<R>, at: impl Fn(&R) -> NaiveDateTime) -> Decision<R> {
    match (stored, meta.deleted) {
        // Deleted here, or never imported and deleted at the source: nothing to do.
        (None, true) => Decision::Leave,
        (None, false) if meta.known => Decision::Leave,
        (None, false) => Decision::Create,
        (Some(row), true) => Decision::Delete(row),
        // Newer than the version last imported from this source (or, for a record imported
        // before that was remembered, than our own copy).
        (Some(row), false) if meta.date_updated > meta.last_seen.unwrap_or_else(|| at(&row)) => {
            Decision::Update(row)
        }
        (Some(_), false) => Decision::Leave,
    }
}

impl Writer<'_> {
    fn step(&mut self, file: &str, change: Change) {
        count(&mut self.counts, file, change);
        self.done += 1;
        (self.progress)(self.done, self.total);
    }

    fn remember(&mut self, entity: &str, meta: &Meta) -> Result<(), StoreError> {
        imports::remember(self.conn, self.source, entity, &meta.source_id, &meta.id)
    }

    fn plan(&mut self, plan: &Plan) -> Result<(), StoreError> {
        for _ in &plan.organizations {
            // Records go into the job's organization; the file's organizations are not
            // copied over it.
            self.step("Organization", Change::Unchanged);
        }
        for user in &plan.users {
            // Our own exports name a system user for records no staff member wrote; it is
            // not staff of the receiving organization.
            if user.meta.source_id == crate::hmis::SYSTEM_USER_ID {
                self.step("User", Change::Unchanged);
                continue;
            }
            let stored = reference::user::find(self.conn, &user.meta.id)?;
            let change = match decide(&user.meta, stored, |row| row.updated_at) {
                Decision::Create => {
                    reference::user::insert(
                        self.conn,
                        &UserRow {
                            id: user.meta.id.clone(),
                            organization_id: self.job.organization_id.clone(),
                            first_name: user.first_name.clone(),
                            last_name: user.last_name.clone(),
                            email: user.email.clone(),
                            version: 1,
                            created_at: self.at,
                            updated_at: self.at,
                            created_by: self.by.clone(),
                            updated_by: self.by.clone(),
                        },
                    )?;
                    self.remember("user", &user.meta)?;
                    Change::Created
                }
                Decision::Update(row) => {
                    let mut new = row.clone();
                    new.first_name = user.first_name.clone();
                    new.last_name = user.last_name.clone();
                    new.email = user.email.clone();
                    self.update(row, new, reference::user::update)?
                }
                Decision::Delete(_) | Decision::Leave => Change::Unchanged,
            };
            self.step("User", change);
        }
        for project in &plan.projects {
            let stored = reference::program::find(self.conn, &project.meta.id)?;
            let change = match decide(&project.meta, stored, |row| row.updated_at) {
                Decision::Create => {
                    reference::program::insert(
                        self.conn,
                        &ProgramRow {
                            id: project.meta.id.clone(),
                            organization_id: self.job.organization_id.clone(),
                            name: project.name.clone(),
                            project_type: project.project_type.code(),
                            operating_start_date: project.operating_start_date,
                            operating_end_date: project.operating_end_date,
                            continuum_project: project.continuum_project,
                            capacity: None,
                            auto_exit_days: None,
                            version: 1,
                            created_at: self.at,
                            updated_at: self.at,
                            created_by: self.by.clone(),
                            updated_by: self.by.clone(),
                        },
                    )?;
                    self.remember("project", &project.meta)?;
                    Change::Created
                }
                Decision::Update(row) => {
                    let mut new = row.clone();
                    new.name = project.name.clone();
                    new.project_type = project.project_type.code();
                    new.operating_start_date = project.operating_start_date;
                    new.operating_end_date = project.operating_end_date;
                    new.continuum_project = project.continuum_project;
                    self.update(row, new, reference::program::update)?
                }
                Decision::Delete(_) | Decision::Leave => Change::Unchanged,
            };
            self.step("Project", change);
        }
        for funder in &plan.funders {
            let stored = reference::grant::find(self.conn, &funder.meta.id)?;
            let change = match decide(&funder.meta, stored, |row| row.updated_at) {
                Decision::Create => {
                    reference::grant::insert(
                        self.conn,
                        &GrantRow {
                            id: funder.meta.id.clone(),
                            program_id: funder.program_id.clone(),
                            funder: funder.funder.code(),
                            other_funder: funder.other_funder.clone(),
                            grant_identifier: funder.grant_identifier.clone(),
                            start_date: funder.start_date,
                            end_date: funder.end_date,
                            version: 1,
                            created_at: self.at,
                            updated_at: self.at,
                            created_by: self.by.clone(),
                            updated_by: self.by.clone(),
                        },
                    )?;
                    self.remember("funder", &funder.meta)?;
                    Change::Created
                }
                Decision::Update(row) => {
                    let mut new = row.clone();
                    new.funder = funder.funder.code();
                    new.other_funder = funder.other_funder.clone();
                    new.grant_identifier = funder.grant_identifier.clone();
                    new.start_date = funder.start_date;
                    new.end_date = funder.end_date;
                    self.update(row, new, reference::grant::update)?
                }
                Decision::Delete(_) | Decision::Leave => Change::Unchanged,
            };
            self.step("Funder", change);
        }
        for client in &plan.clients {
            let stored = clients::find(self.conn, &client.meta.id)?;
            let fill = |row: &mut ClientRow| {
                row.first_name = client.first_name.clone();
                row.middle_name = client.middle_name.clone();
                row.last_name = client.last_name.clone();
                row.name_suffix = client.name_suffix.clone();
                row.name_data_quality = client.name_data_quality;
                row.ssn = client.ssn.as_ref().map(|ssn| ssn.as_str().to_owned());
                row.ssn_last4 = client.ssn.as_ref().map(|ssn| ssn.last4().to_owned());
                row.ssn_data_quality = client.ssn_data_quality;
                row.dob = client.dob;
                row.dob_data_quality = client.dob_data_quality;
                row.sex = client.sex;
                row.race_ethnicity = races_text(&client.race_ethnicity);
                row.race_none = client.race_none;
                row.veteran_status = client.veteran_status;
                row.search_name = row.search_text();
            };
            let change = match decide(&client.meta, stored, |row| row.updated_at) {
                Decision::Create => {
                    let mut row = ClientRow {
                        id: client.meta.id.clone(),
                        first_name: None,
                        middle_name: None,
                        last_name: None,
                        name_suffix: None,
                        name_data_quality: 99,
                        ssn: None,
                        ssn_last4: None,
                        ssn_data_quality: 99,
                        dob: None,
                        dob_data_quality: 99,
                        sex: 99,
                        race_ethnicity: String::new(),
                        race_none: None,
                        veteran_status: 99,
                        search_name: String::new(),
                        version: 1,
                        created_at: self.at,
                        updated_at: self.at,
                        created_by: self.by.clone(),
                        updated_by: self.by.clone(),
                        deleted_at: None,
                    };
                    fill(&mut row);
                    clients::insert(self.conn, &row)?;
                    self.remember("client", &client.meta)?;
                    Change::Created
                }
                Decision::Update(row) => {
                    let mut new = row.clone();
                    fill(&mut new);
                    self.update(row, new, clients::update)?
                }
                Decision::Delete(row) => {
                    let mut new = row.clone();
                    new.deleted_at = Some(self.at);
                    self.update(row, new, clients::update)?;
                    Change::Deleted
                }
                Decision::Leave => Change::Unchanged,
            };
            self.step("Client", change);
        }
        let mut households_made = HashSet::new();
        for enrollment in &plan.enrollments {
            self.enrollment(enrollment, &mut households_made)?;
        }
        for exit in &plan.deleted_exits {
            let enrollment_id =
                imports::record_id(self.conn, self.source, "exit", &exit.source_id)?;
            let stored = match &enrollment_id {
                Some(id) => enrollments::find(self.conn, None, id)?,
                None => None,
            };
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
        for service in &plan.services {
            let stored = records::service::find(self.conn, &service.meta.id)?;
            let fill = |row: &mut ServiceRow| {
                row.date_provided = service.date_provided;
                row.record_type = service.record_type;
                row.type_provided = service.type_provided;
                row.other_type_provided = service.other_type_provided.clone();
                row.fa_amount_cents = service.fa_amount_cents;
            };
            let change = match decide(&service.meta, stored, |row| row.updated_at) {
                Decision::Create => {
                    let mut row = ServiceRow {
                        id: service.meta.id.clone(),
                        enrollment_id: service.enrollment_id.clone(),
                        date_provided: service.date_provided,
                        record_type: 0,
                        type_provided: 0,
                        other_type_provided: None,
                        fa_amount_cents: None,
                        note: None,
                        version: 1,
                        created_at: self.at,
                        updated_at: self.at,
                        created_by: self.by.clone(),
                        updated_by: self.by.clone(),
                        deleted_at: None,
                    };
                    fill(&mut row);
                    records::service::insert(self.conn, &row)?;
                    self.remember("service", &service.meta)?;
                    Change::Created
                }
                Decision::Update(row) => {
                    let mut new = row.clone();
                    fill(&mut new);
                    self.update(row, new, records::service::update)?
                }
                Decision::Delete(row) => {
                    let mut new = row.clone();
                    new.deleted_at = Some(self.at);
                    self.update(row, new, records::service::update)?;
                    Change::Deleted
                }
                Decision::Leave => Change::Unchanged,
            };
            self.step("Services", change);
        }
        for assessment in &plan.assessments {
            let stored = records::assessment::find(self.conn, &assessment.meta.id)?;
            let fill = |row: &mut AssessmentRow| {
                row.enrollment_id = Some(assessment.enrollment_id.clone());
                row.assessment_date = assessment.assessment_date;
                row.assessment_location = assessment.assessment_location.clone();
                row.assessment_type = assessment.assessment_type;
                row.assessment_level = assessment.assessment_level;
                row.prioritization_status = assessment.prioritization_status;
                row.answers = assessment.answers.clone();
            };
            let change = match decide(&assessment.meta, stored, |row| row.updated_at) {
                Decision::Create => {
                    let mut row = AssessmentRow {
                        id: assessment.meta.id.clone(),
                        client_id: assessment.client_id.clone(),
                        enrollment_id: None,
                        assessment_date: assessment.assessment_date,
                        assessment_location: String::new(),
                        assessment_type: 0,
                        assessment_level: 0,
                        prioritization_status: 0,
                        answers: "[]".into(),
                        version: 1,
                        created_at: self.at,
                        updated_at: self.at,
                        created_by: self.by.clone(),
                        updated_by: self.by.clone(),
                        deleted_at: None,
                    };
                    fill(&mut row);
                    records::assessment::insert(self.conn, &row)?;
                    self.remember("assessment", &assessment.meta)?;
                    Change::Created
                }
                Decision::Update(row) => {
                    let mut new = row.clone();
                    fill(&mut new);
                    self.update(row, new, records::assessment::update)?
                }
                Decision::Delete(row) => {
                    let mut new = row.clone();
                    new.deleted_at = Some(self.at);
                    self.update(row, new, records::assessment::update)?;
                    Change::Deleted
                }
                Decision::Leave => Change::Unchanged,
            };
            self.step("Assessment", change);
        }
        let questions = plan.questions;
        for _ in 0..questions {
            // Answers are written with their assessment.
            count(&mut self.counts, "AssessmentQuestions", Change::Unchanged);
        }
        self.mark_seen(plan)
    }

    /// Remembers, for every record the file holds, the source's DateUpdated of the version
    /// now stored, so the next file from the source is compared with it.
    fn mark_seen(&mut self, plan: &Plan) -> Result<(), StoreError> {
        // An enrollment's version includes its exit's, as when it was written.
        let enrollments: Vec<Meta> = plan
            .enrollments
            .iter()
            .map(|record| {
                let mut meta = record.meta.clone();
                if let Some(exit) = &record.exit {
                    meta.date_updated = meta.date_updated.max(exit.meta.date_updated);
                }
                meta
            })
            .collect();
        let metas = plan
            .users
            .iter()
            .map(|record| ("user", &record.meta))
            .chain(plan.projects.iter().map(|record| ("project", &record.meta)))
            .chain(plan.funders.iter().map(|record| ("funder", &record.meta)))
            .chain(plan.clients.iter().map(|record| ("client", &record.meta)))
            .chain(enrollments.iter().map(|meta| ("enrollment", meta)))
            .chain(
                plan.assessments
                    .iter()
                    .map(|record| ("assessment", &record.meta)),
            )
            .chain(plan.services.iter().map(|record| ("service", &record.meta)));
        for (entity, meta) in metas {
            let newer = meta.last_seen.is_none_or(|seen| meta.date_updated > seen);
            if !meta.deleted && newer {
                imports::seen(
                    self.conn,
                    self.source,
                    entity,
                    &meta.source_id,
                    meta.date_updated,
                )?;
            }
        }
        Ok(())
    }

    /// Writes `new` over `stored` when something but the bookkeeping changed.
    fn update<R: Clone + PartialEq + Stamped>(
        &mut self,
        stored: R,
        mut new: R,
        write: fn(&mut DbConnection, &R) -> Result<(), StoreError>,
    ) -> Result<Change, StoreError> {
        if new == stored {
            return Ok(Change::Unchanged);
        }
        new.stamp(self.at, &self.by);
        write(self.conn, &new)?;
        Ok(Change::Updated)
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
        enrollments::update(self.conn, &mut new)?;
        Ok(Change::Updated)
    }

    fn enrollment(
        &mut self,
        record: &EnrollmentRecord,
        households_made: &mut HashSet<String>,
    ) -> Result<(), StoreError> {
        let stored = enrollments::find(self.conn, None, &record.meta.id)?;
        let had_exit = stored.as_ref().map(|row| row.exit_date.is_some());
        let fill = |row: &mut EnrollmentRow, by: &str, at: NaiveDateTime| {
            row.relationship_to_hoh = record.relationship_to_hoh;
            row.entry_date = record.entry_date;
            row.enrollment_coc = record.enrollment_coc.clone();
            row.prior_living_situation = record.prior_living_situation;
            row.length_of_stay = record.length_of_stay;
            row.disabling_condition = record.disabling_condition;
            row.move_in_date = record.move_in_date;
            if let Some(exit) = &record.exit {
                let same = row.exit_date == Some(exit.exit_date)
                    && row.destination == Some(exit.destination)
                    && row.destination_subsidy_type == exit.destination_subsidy_type
                    && row.other_destination == exit.other_destination;
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
        };
        // The exit's DateUpdated counts too: a file may change only the exit.
        let mut meta = record.meta.clone();
        if let Some(exit) = &record.exit {
            meta.date_updated = meta.date_updated.max(exit.meta.date_updated);
        }
        let change = match decide(&meta, stored, |row| row.updated_at) {
            Decision::Create => {
                if !record.household_known && households_made.insert(record.household_id.clone()) {
                    households::insert(
                        self.conn,
                        &HouseholdRow {
                            id: record.household_id.clone(),
                            program_id: record.program_id.clone(),
                            created_at: self.at,
                            created_by: self.by.clone(),
                        },
                    )?;
                    imports::remember(
                        self.conn,
                        self.source,
                        "household",
                        &record.household_source_id,
                        &record.household_id,
                    )?;
                }
                let mut row = EnrollmentRow {
                    id: record.meta.id.clone(),
                    client_id: record.client_id.clone(),
                    program_id: record.program_id.clone(),
                    household_id: record.household_id.clone(),
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
                fill(&mut row, &self.by, self.at);
                enrollments::insert(self.conn, &mut row)?;
                self.remember("enrollment", &record.meta)?;
                Change::Created
            }
            Decision::Update(row) => {
                let mut new = row.clone();
                fill(&mut new, &self.by, self.at);
                self.update_enrollment(row, new)?
            }
            Decision::Delete(row) => {
                let mut new = row.clone();
                new.deleted_at = Some(self.at);
                self.update_enrollment(row, new)?;
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
                self.remember_exit(exit, &record.meta.id)?;
            }
            count(&mut self.counts, "Exit", exit_change);
        }
        self.step("Enrollment", change);
        Ok(())
    }

    fn remember_exit(
        &mut self,
        exit: &super::check::ExitRecord,
        enrollment_id: &str,
    ) -> Result<(), StoreError> {
        imports::remember(
            self.conn,
            self.source,
            "exit",
            &exit.meta.source_id,
            enrollment_id,
        )
    }
}

fn clear_exit(row: &mut EnrollmentRow) {
    row.exit_date = None;
    row.destination = None;
    row.destination_subsidy_type = None;
    row.other_destination = None;
    row.auto_exited = false;
    row.exited_by = None;
    row.exited_at = None;
}

/// The categories as clients store them: comma separated, in the fixed order.
fn races_text(races: &[RaceEthnicity]) -> String {
    let mut sorted = races.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|race| race.as_str())
        .collect::<Vec<_>>()
        .join(",")
}
