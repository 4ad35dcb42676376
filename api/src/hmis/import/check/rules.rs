//! The enrollment rules over the file's enrollments, checked by the domain's own functions.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::NaiveDate;
use threshold_domain::codes::RelationshipToHoh;
use threshold_domain::enrollment::{self, EnrollContext, EnrollmentFacts, NewEnrollment};
use threshold_domain::household::Household;
use threshold_domain::{lifecycle, Date, DateRange, Period, Violations};
use threshold_persistence::ids::{ClientId, ProgramId};
use threshold_persistence::StoreError;

use super::plan::EnrollmentRecord;
use super::stored::{merged, Stored};
use super::Checker;
use crate::hmis::import::{ImportError, Severity};
use threshold_domain::flags::{Flag, Flags};

impl Checker<'_> {
    /// The enrollment rules over the file's enrollments that are not deleted, each checked
    /// by the domain as if added in entry order (heads first on a day), then exited. An
    /// enrollment new to us is checked against stored data too: the client's stored
    /// enrollments in the program, the stored household it joins, and the stored program's
    /// dates and capacity. The transaction holds the writer lock, so what is read here stays
    /// true until the import is written.
    pub(super) fn enrollment_rules(&mut self) -> Result<(), StoreError> {
        let programs: HashMap<ProgramId, enrollment::ProgramFacts> = self
            .plan
            .projects
            .iter()
            .map(|project| {
                (
                    project.meta.id,
                    enrollment::ProgramFacts {
                        id: project.meta.id.uuid(),
                        project_type: project.project_type,
                        operating: DateRange {
                            start: project.operating_start_date.into(),
                            end: project.operating_end_date.map(Into::into),
                        },
                        capacity: None,
                    },
                )
            })
            .collect();
        let conn = self.conn.as_deref_mut().ok_or_else(|| {
            StoreError::Config("the enrollment rules were checked without a connection".into())
        })?;
        let mut stored = Stored::new(&mut *conn, &self.plan)?;
        let births: HashMap<ClientId, Option<NaiveDate>> = self
            .plan
            .clients
            .iter()
            .map(|client| (client.meta.id, client.dob))
            .collect();
        let mut order: Vec<&EnrollmentRecord> = self
            .plan
            .enrollments
            .iter()
            .filter(|enrollment| !enrollment.meta.deleted)
            .collect();
        order.sort_by_key(|enrollment| {
            (
                enrollment.entry_date,
                !RelationshipToHoh::try_from(enrollment.relationship_to_hoh)
                    .is_ok_and(RelationshipToHoh::is_head),
                enrollment.meta.line,
            )
        });
        // The file's enrollments checked so far, and which of them each client has in each
        // program, and each household.
        let mut added: Vec<EnrollmentFacts> = Vec::with_capacity(order.len());
        let mut by_client = Chains::default();
        let mut by_household = Chains::default();
        let mut broken = Vec::new();
        for record in order {
            let Some(file_program) = programs.get(&record.program_id) else {
                continue;
            };
            let (id, client_id, household_id) =
                (record.meta.id, record.client_id, record.household_id);
            let Ok(relationship) = RelationshipToHoh::try_from(record.relationship_to_hoh) else {
                continue;
            };
            let new_to_us = !record.meta.known;
            let program = match stored.programs.get(&record.program_id) {
                Some(stored_program) if new_to_us => stored_program.clone(),
                _ => file_program.clone(),
            };
            // The client's enrollments in the program, as the file's are chained.
            let chain = (client_id, ProgramId::from(program.id));
            let new = NewEnrollment {
                client_id: client_id.uuid(),
                program_id: program.id,
                relationship,
                entry_date: record.entry_date.into(),
                move_in_date: record.move_in_date.map(Into::into),
            };
            for error in enrollment::check_new_dates(&new, self.today) {
                broken.push((
                    record.meta.line,
                    column_of(&error.field),
                    error.code.to_owned(),
                    error.message,
                    Some(error.field),
                ));
            }
            let mut others: Vec<EnrollmentFacts> = by_client
                .members(&chain)
                .map(|index| added[index].clone())
                .collect();
            // Later rows of the file join the household as it was when they entered, before
            // anyone's exit: in a past stay the head has left by now, yet was there then.
            let file_household = by_household.first(&household_id).map(|first| Household {
                id: household_id.uuid(),
                program_id: added[first].program_id,
                members: by_household
                    .members(&household_id)
                    .map(|index| EnrollmentFacts {
                        period: Period::new(added[index].period.entry, None),
                        ..added[index].clone()
                    })
                    .collect(),
            });
            let file_household = file_household.as_ref();
            let mut joined = None;
            let mut active_in_program = 0;
            if new_to_us {
                others.extend(stored.client_enrollments(&mut *conn, record)?);
                if let Some(stored_household) = stored.household(&mut *conn, record)? {
                    joined = Some(merged(stored_household, file_household));
                }
                if record.exit.is_none() && program.capacity.is_some() {
                    active_in_program = stored.active_in_program(&mut *conn, record)?;
                }
            }
            let household = match &joined {
                Some(joined) => joined.as_ref(),
                None => file_household,
            };
            let context = EnrollContext {
                program: &program,
                grant: None,
                client_dob: births.get(&client_id).copied().flatten().map(Into::into),
                client_enrollments_in_program: &others,
                active_in_program,
                household,
            };
            report(
                &mut broken,
                record.meta.line,
                enrollment::enroll(&new, &context),
            );
            let mut facts = EnrollmentFacts {
                id: id.uuid(),
                client_id: client_id.uuid(),
                program_id: program.id,
                household_id: household_id.uuid(),
                relationship,
                period: Period::new(new.entry_date, None),
                move_in_date: new.move_in_date,
            };
            if let Some(exit) = &record.exit {
                let exit_date: Date = exit.exit_date.into();
                if let Err(violations) = lifecycle::exit(&facts, &[], exit_date, true) {
                    for violation in violations.all() {
                        broken.push((
                            exit.meta.line,
                            "ExitDate".to_owned(),
                            violation.rule.code().to_owned(),
                            violation.message.clone(),
                            violation.field.map(str::to_owned),
                        ));
                    }
                }
                facts.period = Period::new(new.entry_date, Some(exit_date));
            } else if new_to_us {
                stored.entered(record.program_id);
            }
            let index = added.len();
            by_client.add(chain, index);
            by_household.add(household_id, index);
            added.push(facts);
        }
        let exit_lines: HashSet<u64> = self
            .plan
            .enrollments
            .iter()
            .filter_map(|enrollment| enrollment.exit.as_ref().map(|exit| exit.meta.line))
            .collect();
        // Where each row is in the plan: a tolerant import flags the enrollment whose row
        // (or whose exit's) breaks a rule, and imports it.
        let mut places: HashMap<(&str, u64), usize> = HashMap::new();
        for (index, enrollment) in self.plan.enrollments.iter().enumerate() {
            places.insert(("Enrollment.csv", enrollment.meta.line), index);
            if let Some(exit) = &enrollment.exit {
                places.insert(("Exit.csv", exit.meta.line), index);
            }
        }
        let mut flags: HashMap<usize, Vec<Flag>> = HashMap::new();
        for (line, column, code, reason, field) in broken {
            let file = if column == "ExitDate" && exit_lines.contains(&line) {
                "Exit.csv"
            } else {
                "Enrollment.csv"
            };
            let place = places.get(&(file, line)).copied().filter(|_| self.tolerant);
            if let Some(index) = place {
                flags.entry(index).or_default().push(Flag {
                    code: code.clone(),
                    message: reason.clone(),
                    field,
                });
            }
            self.errors.push(ImportError {
                file: file.into(),
                line: Some(line),
                column: Some(column),
                code,
                reason,
                severity: match place {
                    Some(_) => Severity::Warning,
                    None => Severity::Error,
                },
                caused_by: None,
            });
        }
        for (index, flags) in flags {
            self.plan.enrollments[index].flags = Flags::new(flags);
        }
        Ok(())
    }
}

/// Lists of the enrollments checked so far (by their place among them) under a key, kept
/// without a list per key: each key knows its last one, each one the one before it under
/// the same key. Large files have as many keys as enrollments.
struct Chains<K> {
    last: HashMap<K, usize>,
    before: Vec<Option<usize>>,
}

impl<K> Default for Chains<K> {
    fn default() -> Self {
        Chains {
            last: HashMap::new(),
            before: Vec::new(),
        }
    }
}

impl<K: Eq + Hash> Chains<K> {
    /// Adds the enrollment at `index`, the next one checked, under `key`.
    fn add(&mut self, key: K, index: usize) {
        self.before.resize(index + 1, None);
        self.before[index] = self.last.insert(key, index);
    }

    /// The enrollments under `key`, in the order they were added.
    fn members(&self, key: &K) -> impl Iterator<Item = usize> {
        let mut members = Vec::new();
        let mut next = self.last.get(key).copied();
        while let Some(index) = next {
            members.push(index);
            next = self.before[index];
        }
        members.into_iter().rev()
    }

    /// The first enrollment added under `key`.
    fn first(&self, key: &K) -> Option<usize> {
        self.members(key).next()
    }
}

/// A rule broken on a line: the line, the column, the rule's code, what it says and the
/// field it is about.
type Broken = (u64, String, String, String, Option<String>);

fn report(broken: &mut Vec<Broken>, line: u64, result: Result<(), Violations>) {
    if let Err(violations) = result {
        for violation in violations.all() {
            broken.push((
                line,
                column_of(violation.field.unwrap_or("")),
                violation.rule.code().to_owned(),
                violation.message.clone(),
                violation.field.map(str::to_owned),
            ));
        }
    }
}

/// The CSV column a rule's field stands for.
fn column_of(field: &str) -> String {
    match field {
        "entry_date" => "EntryDate",
        "move_in_date" => "MoveInDate",
        "relationship_to_hoh" => "RelationshipToHoH",
        "program_id" => "ProjectID",
        "household_id" | "household" => "HouseholdID",
        "client_id" => "PersonalID",
        "exit_date" => "ExitDate",
        _ => "EnrollmentID",
    }
    .to_owned()
}
