//! Checking an archive: every row's types, lengths and codes, the references between files,
//! and the enrollment rules (through the domain's own functions), every problem listed.

mod clients;
mod descriptors;
mod enrollments;
mod hud_records;
mod plan;
mod records;
mod reference_data;
mod references;
mod rules;
mod stored;
mod tolerance;
mod values;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDateTime;

use threshold_domain::Date;
use threshold_persistence::ids::{EntityId, Id};
use threshold_persistence::rows::{
    CurrentLivingSituations, Disabilities, EmploymentEducation, Events, HealthAndDv, HudCollection,
    IncomeBenefits, YouthEducationStatuses,
};
use threshold_persistence::{imports, DbConnection, StoreError};

use super::read::{Archive, Row, Table};
use super::{codes, CausedBy, ImportError, Job, Mode, Severity};

use threshold_domain::program_descriptors::Descriptor;

pub use plan::{
    AffiliationImport, AssessmentRecord, ClientRecord, DescriptorImport, EnrollmentRecord,
    ExitRecord, FunderRecord, HudRecordImport, HudRecordsPlan, Meta, Plan, ProjectRecord,
    ServiceRecord, UserRecord,
};
use values::Cells;

/// Why an archive is not written: its source, when Export.csv could be read, and every
/// problem.
pub type Refusal = (Option<String>, Vec<ImportError>);

/// Reads, resolves and checks. Strict (`job.mode`): on any problem, every problem and
/// nothing to write. Tolerant: the plan without the rows refused for their own values and
/// those that depend on them, with every problem (warnings included), unless more rows
/// than `job.max_skipped_percent` are refused. When a file cannot be read, only that is
/// reported (every such file), with no source.
pub fn check(
    conn: &mut DbConnection,
    archive: &mut Archive<'_>,
    today: Date,
    job: &Job,
) -> Result<(Plan, Vec<ImportError>), Refusal> {
    let tolerant = job.mode == Mode::Tolerant;
    let mut checker = Checker {
        conn,
        unplanned: HashMap::new(),
        known: HashMap::new(),
        enrollment_order: Vec::new(),
        unreadable: Vec::new(),
        errors: Vec::new(),
        plan: Plan::default(),
        stages: hud_records::Stages::default(),
        today,
        tolerant,
        rows: 0,
        users: HashSet::new(),
    };
    let result = checker.run(archive);
    if !checker.unreadable.is_empty() {
        return Err((None, checker.unreadable));
    }
    let source = Some(checker.plan.source.clone());
    if let Err(error) = result {
        return Err((
            source,
            vec![ImportError {
                file: String::new(),
                line: None,
                column: None,
                code: codes::FAILED.into(),
                reason: format!("the database could not be read: {error}"),
                severity: Severity::Error,
                caused_by: None,
            }],
        ));
    }
    let mut problems = checker.errors;
    problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let refused = refused_rows(&problems);
    if !tolerant && refused > 0 {
        return Err((source, problems));
    }
    // More than the share allowed: the data is too far from what it should be to keep.
    if refused * 100 > checker.rows * u64::from(job.max_skipped_percent) {
        problems.push(ImportError {
            file: String::new(),
            line: None,
            column: None,
            code: codes::TOO_MANY_SKIPPED.into(),
            reason: format!(
                "{refused} of {} rows would be skipped, more than {}%: nothing was written",
                checker.rows, job.max_skipped_percent
            ),
            severity: Severity::Error,
            caused_by: None,
        });
        return Err((source, problems));
    }
    Ok((checker.plan, problems))
}

/// How many rows the problems refuse: each row once, however many problems it has.
pub fn refused_rows(problems: &[ImportError]) -> u64 {
    let rows: HashSet<(&str, u64)> = problems
        .iter()
        .filter(|problem| problem.is_error())
        .filter_map(|problem| Some((problem.file.as_str(), problem.line?)))
        .collect();
    rows.len() as u64
}

struct Checker<'c> {
    conn: &'c mut DbConnection,
    /// The source IDs of the rows a file holds that are not in the plan, by entity (of
    /// those referred to: clients and projects): a reference to a bad row is not reported
    /// again.
    unplanned: HashMap<&'static str, HashMap<String, CausedBy>>,
    /// Per entity of the file being checked, its source IDs imported before: our record's id
    /// and the source's DateUpdated last imported. Read in bulk at the entity's first row,
    /// each taken out once its row has it, all let go when the next file is read.
    known: HashMap<&'static str, HashMap<String, Known<EntityId>>>,
    /// The plan's enrollments, by their place in it, in the order of their source IDs.
    enrollment_order: Vec<u32>,
    /// The files that cannot be read: once there is one, the others are only read.
    unreadable: Vec<ImportError>,
    errors: Vec<ImportError>,
    plan: Plan,
    /// The records of the HUD record files read so far, for the stage rules.
    stages: hud_records::Stages,
    today: Date,
    /// A tolerant import: see [`tolerance`].
    tolerant: bool,
    /// The rows of the files read so far.
    rows: u64,
    /// The UserIDs of the rows read so far.
    users: HashSet<Arc<str>>,
}

/// What a source ID was imported as: our record's id, and the source's DateUpdated last
/// imported.
type Known<I> = (I, Option<NaiveDateTime>);

impl Checker<'_> {
    /// Each file is read when its turn comes and let go once checked.
    fn run(&mut self, archive: &mut Archive<'_>) -> Result<(), StoreError> {
        if let Some(table) = self.read(archive, "Export") {
            self.plan.source = source_of(&table);
            self.plan.hash_status = table.rows.first().and_then(|row| {
                let index = table.column("HashStatus")?;
                table.field(row, index)?.parse().ok()
            });
        }
        if let Some(table) = self.read(archive, "Organization") {
            self.organizations(&table)?;
        }
        if let Some(table) = self.read(archive, "User") {
            self.users(&table)?;
        }
        if let Some(table) = self.read(archive, "Project") {
            self.projects(&table)?;
        }
        if let Some(table) = self.read(archive, "Funder") {
            self.funders(&table)?;
        }
        if let Some(table) = self.read(archive, "ProjectCoC") {
            self.plan.project_cocs =
                self.descriptors(&table, Descriptor::ProjectCoc, "project_coc")?;
        }
        if let Some(table) = self.read(archive, "Inventory") {
            self.plan.inventories = self.inventories(&table)?;
        }
        if let Some(table) = self.read(archive, "Affiliation") {
            self.affiliations(&table)?;
        }
        if let Some(table) = self.read(archive, "HMISParticipation") {
            self.plan.hmis_participations =
                self.descriptors(&table, Descriptor::HmisParticipation, "hmis_participation")?;
        }
        if let Some(table) = self.read(archive, "CEParticipation") {
            self.plan.ce_participations =
                self.descriptors(&table, Descriptor::CeParticipation, "ce_participation")?;
        }
        if let Some(table) = self.read(archive, "Client") {
            self.clients(&table)?;
        }
        let exits = match self.read(archive, "Exit") {
            Some(table) => self.exits(&table)?,
            None => HashMap::new(),
        };
        if let Some(table) = self.read(archive, "Enrollment") {
            self.enrollments(&table, exits)?;
        }
        if let Some(table) = self.read(archive, "Services") {
            self.services(&table)?;
        }
        self.hud_record_files(archive)?;
        let answers = match self.read(archive, "AssessmentQuestions") {
            Some(table) => self.questions(&table),
            None => HashMap::new(),
        };
        let results = match self.read(archive, "AssessmentResults") {
            Some(table) => self.results(&table),
            None => HashMap::new(),
        };
        if let Some(table) = self.read(archive, "Assessment") {
            self.assessments(&table, answers, results)?;
        }
        if self.unreadable.is_empty() {
            if self.tolerant {
                self.skip_refused();
            }
            self.enrollment_rules()?;
        }
        Ok(())
    }

    /// The files of HUD's records under enrollments, in the specifications' order.
    fn hud_record_files(&mut self, archive: &mut Archive<'_>) -> Result<(), StoreError> {
        macro_rules! file {
            ($field:ident, $kind:ident) => {
                if let Some(table) = self.read(archive, $kind::COLLECTION.file().name) {
                    self.plan.hud_records.$field = self.hud_records::<$kind>(&table)?;
                }
            };
        }
        file!(income_benefits, IncomeBenefits);
        file!(health_and_dv, HealthAndDv);
        file!(employment_education, EmploymentEducation);
        file!(disabilities, Disabilities);
        file!(current_living_situations, CurrentLivingSituations);
        file!(events, Events);
        file!(youth_education_statuses, YouthEducationStatuses);
        Ok(())
    }

    /// A file to check (an empty one when the archive has none); `None` once a file could
    /// not be read, when the rest are read only to report those that cannot be either.
    fn read(&mut self, archive: &mut Archive<'_>, name: &'static str) -> Option<Table> {
        // What the previous file's source IDs were imported as is of no use to this one.
        self.known.clear();
        match archive.read(name) {
            Ok(table) if self.unreadable.is_empty() => {
                self.rows += table.rows.len() as u64;
                Some(table)
            }
            Ok(_) => None,
            Err(error) => {
                self.unreadable.push(error);
                None
            }
        }
    }

    /// The id, the date updated and the deleted mark every record has; the id is of the
    /// kind of record `entity` is imported as. `seen` holds the source IDs of the file's rows
    /// so far, borrowed from its table.
    fn meta<'t, K>(
        &mut self,
        cells: &mut Cells<'t, '_>,
        entity: &'static str,
        id_column: &'static str,
        seen: &mut HashSet<&'t str>,
    ) -> Result<Option<Meta<Id<K>>>, StoreError> {
        let source_id = cells.text(id_column, 32, true);
        let date_updated = cells.datetime("DateUpdated", true);
        let date_created = cells.datetime("DateCreated", false);
        // A few users record every row: each is held once.
        let user_id = cells.text("UserID", 32, false).map(|user| {
            let users = &mut self.users;
            users.get(user.as_str()).cloned().unwrap_or_else(|| {
                let shared: Arc<str> = Arc::from(user);
                users.insert(Arc::clone(&shared));
                shared
            })
        });
        let deleted = cells.datetime("DateDeleted", false).is_some();
        let Some(source_id) = source_id else {
            return Ok(None);
        };
        if !seen.insert(cells.raw(id_column).unwrap_or_default()) {
            cells.fail(
                id_column,
                codes::DUPLICATE,
                format!("{source_id} appears twice in the file"),
            );
            return Ok(None);
        }
        let Some(date_updated) = date_updated else {
            return Ok(None);
        };
        let (stored, last_seen) = match self.known_id(cells.table, entity, id_column, &source_id)? {
            Some((id, last_seen)) => (Some(id), last_seen),
            None => (None, None),
        };
        Ok(Some(Meta {
            line: cells.row.line,
            known: stored.is_some(),
            last_seen,
            id: stored.unwrap_or_else(Id::new),
            source_id,
            date_updated,
            date_created,
            user_id,
            deleted,
        }))
    }
}

impl Checker<'_> {
    /// A row's cells, read as this import reads them; their problems go to `errors`.
    fn cells<'a, 'e>(
        &self,
        table: &'a Table,
        row: &'a Row,
        errors: &'e mut Vec<ImportError>,
    ) -> Cells<'a, 'e> {
        Cells {
            table,
            row,
            errors,
            tolerant: self.tolerant,
        }
    }

    /// What a source ID of `entity`, from `column` of `table`, was imported as before, if
    /// it was: the id of a record of kind `K`, the kind `entity` is imported as. The first
    /// call for an entity reads every source ID of the column at once.
    fn known_id<K>(
        &mut self,
        table: &Table,
        entity: &'static str,
        column: &'static str,
        source_id: &str,
    ) -> Result<Option<Known<Id<K>>>, StoreError> {
        if !self.known.contains_key(entity) {
            let mut wanted: Vec<&str> = match table.column(column) {
                Some(index) => table
                    .rows
                    .iter()
                    .filter_map(|row| table.field(row, index))
                    .filter(|value| !value.is_empty())
                    .collect(),
                None => Vec::new(),
            };
            wanted.sort_unstable();
            wanted.dedup();
            let known = imports::known_ids(self.conn, &self.plan.source, entity, &wanted)?;
            self.known.insert(entity, known);
        }
        // Source IDs name records of any kind; those of `entity` are all of kind `K`.
        Ok(self
            .known
            .get_mut(entity)
            .and_then(|known| known.remove(source_id))
            .map(|(id, seen)| (id.cast(), seen)))
    }
}

/// The rows of `table` whose source ID (in `column`) is not in the plan, by that ID: the
/// row each refers to was refused for its own values.
fn unplanned<'m, I: 'm>(
    table: &Table,
    column: &'static str,
    planned: impl Iterator<Item = &'m Meta<I>>,
) -> HashMap<String, CausedBy> {
    let planned: HashSet<&str> = planned.map(|meta| meta.source_id.as_str()).collect();
    let Some(index) = table.column(column) else {
        return HashMap::new();
    };
    table
        .rows
        .iter()
        .filter_map(|row| Some((table.field(row, index)?, row.line)))
        .filter(|(id, _)| !id.is_empty() && !planned.contains(id))
        .map(|(id, line)| {
            let cause = CausedBy {
                file: table.file.clone(),
                line,
            };
            (id.to_owned(), cause)
        })
        .collect()
}

/// Export.csv's SourceID, else its SourceName, else `default`: IDs of two sources never meet.
fn source_of(export: &Table) -> String {
    export
        .rows
        .first()
        .and_then(|row| {
            ["SourceID", "SourceName"].into_iter().find_map(|column| {
                export
                    .column(column)
                    .and_then(|index| export.field(row, index))
                    .filter(|value| !value.is_empty())
                    .map(str::to_owned)
            })
        })
        .unwrap_or_else(|| "default".into())
}
