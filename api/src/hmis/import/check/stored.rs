//! The stored data an enrollment new to us is checked against.

use std::collections::{HashMap, HashSet};

use threshold_domain::enrollment::{self, EnrollmentFacts};
use threshold_domain::household::Household;
use threshold_domain::DateRange;
use threshold_persistence::households as stored_households;
use threshold_persistence::ids::{ClientId, EnrollmentId, HouseholdId, ProgramId};
use threshold_persistence::{enrollments, imports, reference, DbConnection, StoreError};

use super::plan::{EnrollmentRecord, Plan};

/// What is stored that an enrollment new to us is checked against. A stored enrollment the
/// file lists gives way to the file's version of it (deleted there, it is gone), which the
/// rules already see among the file's enrollments.
pub(super) struct Stored {
    /// Our ids of every enrollment the file lists, deleted or not.
    in_file: HashSet<EnrollmentId>,
    /// Clients the file maps to stored clients.
    known_clients: HashSet<ClientId>,
    /// The stored programs the file names, as they will be after the import: the stored row
    /// (its capacity too, which files do not carry), with the file's dates and type when its
    /// row is the newer and will be written over it.
    pub(super) programs: HashMap<ProgramId, enrollment::ProgramFacts>,
    /// Stored households by id, their members that the file does not list; `None` when
    /// the household is not stored.
    households: HashMap<HouseholdId, Option<Household>>,
    /// Active enrollments per program once the file is in: stored ones it does not list,
    /// its own active ones we already have, and the new active ones checked so far.
    active: HashMap<ProgramId, i64>,
    /// The file's active enrollments per program that we already have.
    known_active: HashMap<ProgramId, i64>,
}

impl Stored {
    pub(super) fn new(conn: &mut DbConnection, plan: &Plan) -> Result<Stored, StoreError> {
        let mut programs = HashMap::new();
        for project in plan.projects.iter().filter(|project| project.meta.known) {
            let Some(row) = reference::program::find(conn, project.meta.id)? else {
                continue;
            };
            let mut facts = reference::program_facts(&row)?;
            if !project.meta.deleted && project.meta.date_updated > row.updated_at {
                facts.project_type = project.project_type;
                facts.operating = DateRange {
                    start: project.operating_start_date.into(),
                    end: project.operating_end_date.map(Into::into),
                };
            }
            programs.insert(project.meta.id, facts);
        }
        let mut known_active: HashMap<ProgramId, i64> = HashMap::new();
        for record in &plan.enrollments {
            if record.meta.known && !record.meta.deleted && record.exit.is_none() {
                *known_active.entry(record.program_id).or_default() += 1;
            }
        }
        Ok(Stored {
            in_file: plan
                .enrollments
                .iter()
                .map(|record| record.meta.id)
                .collect(),
            known_clients: plan
                .clients
                .iter()
                .filter(|client| client.meta.known)
                .map(|client| client.meta.id)
                .collect(),
            programs,
            households: HashMap::new(),
            active: HashMap::new(),
            known_active,
        })
    }

    fn listed(&self, id: EnrollmentId) -> bool {
        self.in_file.contains(&id)
    }

    /// The client's stored enrollments in the record's program.
    pub(super) fn client_enrollments(
        &self,
        conn: &mut DbConnection,
        record: &EnrollmentRecord,
    ) -> Result<Vec<EnrollmentFacts>, StoreError> {
        if !self.known_clients.contains(&record.client_id) {
            return Ok(Vec::new());
        }
        let stored =
            enrollments::client_facts_in_program(conn, record.client_id, record.program_id)?;
        Ok(stored
            .into_iter()
            .filter(|facts| !self.listed(facts.id.into()))
            .collect())
    }

    /// The stored household the record joins, if its HouseholdID maps to one.
    pub(super) fn household(
        &mut self,
        conn: &mut DbConnection,
        record: &EnrollmentRecord,
    ) -> Result<Option<&Household>, StoreError> {
        if !record.household_known {
            return Ok(None);
        }
        if !self.households.contains_key(&record.household_id) {
            let household = match stored_households::find(conn, record.household_id)? {
                Some(row) => {
                    let mut household = stored_households::load(conn, &row)?;
                    household
                        .members
                        .retain(|member| !self.listed(member.id.into()));
                    Some(household)
                }
                None => None,
            };
            self.households.insert(record.household_id, household);
        }
        Ok(self
            .households
            .get(&record.household_id)
            .and_then(Option::as_ref))
    }

    /// How many enrollments are active in the record's program before it is added.
    pub(super) fn active_in_program(
        &mut self,
        conn: &mut DbConnection,
        record: &EnrollmentRecord,
    ) -> Result<i64, StoreError> {
        if let Some(active) = self.active.get(&record.program_id) {
            return Ok(*active);
        }
        let stored = imports::active_enrollment_ids(conn, record.program_id)?
            .into_iter()
            .filter(|id| !self.in_file.contains(id))
            .count();
        let active = i64::try_from(stored).unwrap_or(i64::MAX)
            + self
                .known_active
                .get(&record.program_id)
                .copied()
                .unwrap_or(0);
        self.active.insert(record.program_id, active);
        Ok(active)
    }

    /// A new enrollment that stays active now takes a place in its program.
    pub(super) fn entered(&mut self, program_id: ProgramId) {
        if let Some(active) = self.active.get_mut(&program_id) {
            *active += 1;
        }
    }
}

/// A stored household together with the members the file has added to it so far; `None`
/// when it has no member left, so that the new one must be its head.
pub(super) fn merged(stored: &Household, file: Option<&Household>) -> Option<Household> {
    let mut household = stored.clone();
    if let Some(file) = file {
        household.members.extend(file.members.iter().cloned());
    }
    (!household.members.is_empty()).then_some(household)
}
