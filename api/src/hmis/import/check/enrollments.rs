//! Enrollment.csv and Exit.csv: each row's values and references; the rules come after.

use std::collections::HashMap;

use threshold_domain::codes::{
    Destination, LengthOfStay, NoYesMissing, RelationshipToHoh, RentalSubsidyType,
};
use threshold_domain::dates::check_not_future;
use threshold_domain::enrollment::CocCode;
use threshold_domain::hud_fields::resources::{Own, Resource};
use threshold_domain::Date;
use threshold_persistence::ids::{ClientId, HouseholdId, Id, ProgramId};
use threshold_persistence::StoreError;

use super::plan::{EnrollmentRecord, ExitRecord};
use super::{Checker, Seen};
use crate::hmis::import::codes;
use crate::hmis::import::read::Table;
use crate::hmis::import::ImportError;

impl Checker<'_> {
    /// Exit.csv by the source EnrollmentID it exits.
    pub(super) fn exits(
        &mut self,
        table: &Table,
    ) -> Result<HashMap<String, Box<ExitRecord>>, StoreError> {
        let mut seen = Seen::default();
        let mut exits = HashMap::new();
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let enrollment = cells.text("EnrollmentID", 32, true);
            let exit_date = cells.date("ExitDate", true);
            cells.fail_with(check_not_future(
                "ExitDate",
                exit_date.map(Date::from),
                self.today,
            ));
            let destination = cells.code::<Destination>("Destination", true);
            let subsidy = cells.code::<RentalSubsidyType>("DestinationSubsidyType", false);
            // Files are read leniently: a detail no destination asks for is kept, not refused.
            if destination.is_some_and(Destination::asks_subsidy_type) && subsidy.is_none() {
                cells.fail(
                    "DestinationSubsidyType",
                    codes::REQUIRED,
                    "DestinationSubsidyType is required when Destination is 435",
                );
            }
            let other = cells.text("OtherDestination", 50, false);
            if destination.is_some_and(Destination::asks_other_text) && other.is_none() {
                cells.fail(
                    "OtherDestination",
                    codes::REQUIRED,
                    "OtherDestination is required when Destination is 17",
                );
            }
            let own = Own {
                exit_date: exit_date.map(Date::from),
                ..Own::default()
            };
            let hud = cells.resource_fields(Resource::Exit, &own);
            let meta = self.meta(&mut cells, "exit", "ExitID", &mut seen)?;
            self.errors.append(&mut errors);
            let (Some(meta), Some(enrollment)) = (meta, enrollment) else {
                continue;
            };
            if meta.deleted {
                self.plan.deleted_exits.push(meta);
                continue;
            }
            if let (Some(exit_date), Some(destination)) = (exit_date, destination) {
                if exits.contains_key(&enrollment) {
                    self.errors.push(ImportError {
                        file: table.file.clone(),
                        line: Some(meta.line),
                        column: Some("EnrollmentID".into()),
                        code: codes::DUPLICATE.into(),
                        reason: format!("enrollment {enrollment} has more than one exit"),
                        severity: crate::hmis::import::Severity::Error,
                        caused_by: None,
                    });
                    continue;
                }
                exits.insert(
                    enrollment,
                    Box::new(ExitRecord {
                        meta,
                        exit_date,
                        destination: destination.code(),
                        destination_subsidy_type: subsidy.map(RentalSubsidyType::code),
                        other_destination: other,
                        hud,
                    }),
                );
            }
        }
        Ok(exits)
    }

    pub(super) fn enrollments(
        &mut self,
        table: &Table,
        mut exits: HashMap<String, Box<ExitRecord>>,
    ) -> Result<(), StoreError> {
        // Taken out of the plan while the file is read, so the map can borrow their source
        // IDs; put back after, whatever happens.
        let planned_clients = std::mem::take(&mut self.plan.clients);
        let clients: HashMap<&str, ClientId> = planned_clients
            .iter()
            .map(|client| (client.meta.source_id.as_str(), client.meta.id))
            .collect();
        let read = self.enrollment_rows(table, &mut exits, &clients);
        drop(clients);
        self.plan.clients = planned_clients;
        read?;
        self.index_enrollments();
        for (enrollment, exit) in exits {
            let refused = self.refused("enrollment", &enrollment).cloned();
            let reason = match &refused {
                Some(cause) => format!(
                    "EnrollmentID {enrollment} is {} line {}, which is not imported",
                    cause.file, cause.line
                ),
                None => format!("EnrollmentID {enrollment} is not in Enrollment.csv"),
            };
            self.errors.push(ImportError {
                file: "Exit.csv".into(),
                line: Some(exit.meta.line),
                column: Some("EnrollmentID".into()),
                code: match refused {
                    Some(_) => codes::DEPENDS_ON_REFUSED,
                    None => codes::REFERENCE_NOT_FOUND,
                }
                .into(),
                reason,
                severity: crate::hmis::import::Severity::Error,
                caused_by: refused.map(Box::new),
            });
        }
        Ok(())
    }

    /// The plan's enrollments by their source IDs, for [`Checker::enrollment`].
    pub(super) fn index_enrollments(&mut self) {
        let enrollments = &self.plan.enrollments;
        let mut order: Vec<u32> = (0..enrollments.len())
            .map(|index| u32::try_from(index).unwrap_or(u32::MAX))
            .collect();
        order.sort_unstable_by(|a, b| {
            let source_id = |index: &u32| enrollments[*index as usize].meta.source_id.as_str();
            source_id(a).cmp(source_id(b))
        });
        self.enrollment_order = order;
    }

    /// Enrollment.csv's rows into the plan, each with its exit (taken from `exits`).
    fn enrollment_rows(
        &mut self,
        table: &Table,
        exits: &mut HashMap<String, Box<ExitRecord>>,
        clients: &HashMap<&str, ClientId>,
    ) -> Result<(), StoreError> {
        let mut seen = Seen::default();
        let projects: HashMap<String, ProgramId> = self
            .plan
            .projects
            .iter()
            .map(|project| (project.meta.source_id.clone(), project.meta.id))
            .collect();
        // By the HouseholdID as the file holds it.
        let mut households: HashMap<&str, (HouseholdId, bool)> = HashMap::new();
        self.plan.enrollments.reserve_exact(table.rows.len());
        for row in &table.rows {
            let mut errors = Vec::new();
            let mut cells = self.cells(table, row, &mut errors);
            let client_id =
                self.reference(&mut cells, "PersonalID", "client", "Client.csv", |id| {
                    clients.get(id).copied()
                });
            let program_id =
                self.reference(&mut cells, "ProjectID", "project", "Project.csv", |id| {
                    projects.get(id).copied()
                });
            let entry_date = cells.date("EntryDate", true);
            let household = cells.text("HouseholdID", 32, true);
            let relationship = cells.code::<RelationshipToHoh>("RelationshipToHoH", true);
            let coc =
                cells.text_ref("EnrollmentCoC", 6, false).and_then(|text| {
                    match CocCode::parse(text) {
                        Ok(coc) => Some(coc.as_str().to_owned()),
                        Err(reason) => {
                            cells.fail("EnrollmentCoC", codes::INVALID, reason);
                            None
                        }
                    }
                });
            let living = cells
                .code::<threshold_domain::codes::PriorLivingSituation>("LivingSituation", false);
            let length = cells.code::<LengthOfStay>("LengthOfStay", false);
            let disabling = cells.code::<NoYesMissing>("DisablingCondition", false);
            let move_in = cells.date("MoveInDate", false);
            let household_key = cells.raw("HouseholdID").unwrap_or_default();
            let own = Own {
                entry_date: entry_date.map(Date::from),
                exit_date: cells
                    .raw("EnrollmentID")
                    .and_then(|id| exits.get(id))
                    .map(|exit| Date::from(exit.exit_date)),
                ..Own::default()
            };
            let hud = cells.resource_fields(Resource::Enrollment, &own);
            let meta = self.meta(&mut cells, "enrollment", "EnrollmentID", &mut seen)?;
            self.errors.append(&mut errors);
            let Some(meta) = meta else { continue };
            let exit = exits.remove(&meta.source_id);
            let (
                Some(client_id),
                Some(program_id),
                Some(entry_date),
                Some(household),
                Some(relationship),
            ) = (client_id, program_id, entry_date, household, relationship)
            else {
                continue;
            };
            let (household_id, household_known) = match households.get(household_key) {
                Some(known) => *known,
                None => {
                    let stored = self
                        .known_id(table, "household", "HouseholdID", &household)?
                        .map(|(id, _)| id);
                    let resolved = (stored.unwrap_or_else(Id::new), stored.is_some());
                    households.insert(household_key, resolved);
                    resolved
                }
            };
            self.plan.enrollments.push(EnrollmentRecord {
                meta,
                client_id,
                program_id,
                household_source_id: household,
                household_id,
                household_known,
                relationship_to_hoh: relationship.code(),
                entry_date,
                enrollment_coc: coc,
                prior_living_situation: living.map(|code| code.code()),
                length_of_stay: length.map(LengthOfStay::code),
                disabling_condition: disabling.map(NoYesMissing::code),
                move_in_date: move_in,
                hud,
                flags: Default::default(),
                exit,
            });
        }
        // An enrollment row refused for its own values: what refers to it says nothing more
        // (the row's own problems say why).
        let unplanned = super::unplanned(
            table,
            "EnrollmentID",
            self.plan
                .enrollments
                .iter()
                .map(|enrollment| &enrollment.meta),
        );
        self.unplanned.insert("enrollment", unplanned);
        Ok(())
    }
}
