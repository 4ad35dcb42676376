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
use std::hash::{BuildHasher, RandomState};
use std::io::{Read, Seek};
use std::sync::Arc;

use chrono::NaiveDateTime;

use threshold_domain::Date;
use threshold_persistence::ids::{EntityId, Id};
use threshold_persistence::rows::{
    CurrentLivingSituations, Disabilities, EmploymentEducation, Events, HealthAndDv, HudCollection,
    IncomeBenefits, YouthEducationStatuses,
};
use threshold_persistence::{imports, DbConnection, StoreError};

use super::queue::Queue;
use super::read::{Archive, Row, Table};
use super::{codes, CausedBy, ImportError, Job, Mode, Severity};

use threshold_domain::program_descriptors::Descriptor;

pub use plan::{
    AffiliationImport, AssessmentRecord, ClientRecord, DescriptorImport, EnrollmentRecord,
    ExitRecord, FunderRecord, HudRecordImport, Meta, Plan, ProjectRecord, ServiceRecord,
    UserRecord,
};
use values::Cells;

/// Why an archive is not written: its source, when Export.csv could be read, and every
/// problem.
pub type Refusal = (Option<String>, Vec<ImportError>);

/// Rows of Services.csv or a file of HUD's records checked (and written) at a time: the
/// file's records are never all held.
const ROWS_AT_A_TIME: usize = 10_000;

/// Where the records of Services.csv and HUD's files under enrollments go as they are
/// checked, a part of a file at a time (only while the archive may still be written: see
/// [`Checker::writable`]).
pub trait RecordSink {
    fn services(&mut self, records: Vec<ServiceRecord>) -> Result<(), StoreError>;

    fn records<C: HudCollection>(
        &mut self,
        records: Vec<HudRecordImport<C>>,
    ) -> Result<(), StoreError>;
}

/// The files [`Checker::record_files`] reads a part at a time, in its order.
pub fn record_file_names() -> [&'static str; 8] {
    [
        "Services",
        IncomeBenefits::COLLECTION.file().name,
        HealthAndDv::COLLECTION.file().name,
        EmploymentEducation::COLLECTION.file().name,
        Disabilities::COLLECTION.file().name,
        CurrentLivingSituations::COLLECTION.file().name,
        Events::COLLECTION.file().name,
        YouthEducationStatuses::COLLECTION.file().name,
    ]
}

impl<'c> Checker<'c> {
    /// A check of an archive for `job`, reading what is stored through `conn` until the
    /// files of HUD's records ([`Checker::connection`]).
    pub fn new(conn: &'c mut DbConnection, today: Date, job: &Job) -> Checker<'c> {
        Checker {
            conn: Some(conn),
            unplanned: HashMap::new(),
            known: HashMap::new(),
            enrollment_order: Vec::new(),
            unreadable: Vec::new(),
            errors: Vec::new(),
            plan: Plan::default(),
            stages: hud_records::Stages::default(),
            today,
            tolerant: job.mode == Mode::Tolerant,
            max_skipped_percent: job.max_skipped_percent,
            rows: 0,
            users: HashSet::new(),
            failed: None,
        }
    }

    /// Reads, resolves and checks every file but Services.csv and those of HUD's records
    /// under enrollments (which [`Checker::record_files`] streams), into the plan; in a
    /// tolerant import takes
    /// out of it the rows refused for their own values and those that depend on them, then
    /// checks the enrollment rules.
    pub fn files(&mut self, archive: &mut Archive<impl Read + Seek>) {
        if let Err(error) = self.run(archive) {
            self.failed = Some(error);
        }
    }

    /// The connection, given back for the files of HUD's records to be checked and written
    /// through a [`Queue`].
    pub fn connection(&mut self) -> Option<&'c mut DbConnection> {
        self.conn.take()
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    pub fn plan_mut(&mut self) -> &mut Plan {
        &mut self.plan
    }

    /// Whether what is checked so far may be written: every file read, the database read,
    /// and, in a strict import, no row refused. A tolerant import writes what it keeps, and
    /// is rolled back in the end when it skipped too many rows.
    pub fn writable(&self) -> bool {
        self.unreadable.is_empty()
            && self.failed.is_none()
            && (self.tolerant || !self.errors.iter().any(ImportError::is_error))
    }

    /// Services.csv, then the files of HUD's records under enrollments in the
    /// specifications' order, each read, checked and (while [`Checker::writable`]) given to
    /// `sink` a part at a time. Nothing refers to their rows, so each is written as it comes.
    /// What is stored is read through `queue`, after what was handed to it before.
    pub fn record_files(
        &mut self,
        archive: &mut Archive<impl Read + Seek>,
        queue: &Queue<'_>,
        sink: &mut impl RecordSink,
    ) -> Result<(), StoreError> {
        if self.failed.is_some() {
            return Ok(());
        }
        self.stream(
            archive,
            queue,
            ("Services", "service", "ServicesID"),
            Checker::services,
            |records| sink.services(records),
        )?;
        self.record_file::<IncomeBenefits>(archive, queue, sink)?;
        self.record_file::<HealthAndDv>(archive, queue, sink)?;
        self.record_file::<EmploymentEducation>(archive, queue, sink)?;
        self.record_file::<Disabilities>(archive, queue, sink)?;
        self.record_file::<CurrentLivingSituations>(archive, queue, sink)?;
        self.record_file::<Events>(archive, queue, sink)?;
        self.record_file::<YouthEducationStatuses>(archive, queue, sink)?;
        Ok(())
    }

    /// Strict: on any problem, every problem. Tolerant: every problem (warnings included),
    /// unless more rows than the job's `max_skipped_percent` are refused. When a file cannot
    /// be read, only that is reported (every such file), with no source. Otherwise the
    /// source and the problems; what was written stands.
    pub fn finish(self) -> Result<(String, Vec<ImportError>), Refusal> {
        if !self.unreadable.is_empty() {
            return Err((None, self.unreadable));
        }
        let source = self.plan.source;
        if let Some(error) = self.failed {
            return Err((
                Some(source),
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
        let mut problems = self.errors;
        problems.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        let refused = refused_rows(&problems);
        if !self.tolerant && refused > 0 {
            return Err((Some(source), problems));
        }
        // More than the share allowed: the data is too far from what it should be to keep.
        if refused * 100 > self.rows * u64::from(self.max_skipped_percent) {
            problems.push(ImportError {
                file: String::new(),
                line: None,
                column: None,
                code: codes::TOO_MANY_SKIPPED.into(),
                reason: format!(
                    "{refused} of {} rows would be skipped, more than {}%: nothing was written",
                    self.rows, self.max_skipped_percent
                ),
                severity: Severity::Error,
                caused_by: None,
            });
            return Err((Some(source), problems));
        }
        Ok((source, problems))
    }
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

/// A check of an archive: the files are read when their turn comes and let go once checked
/// (HUD's records under enrollments a part at a time), every problem listed.
pub struct Checker<'c> {
    /// What is stored is read through it, until the files of HUD's records.
    conn: Option<&'c mut DbConnection>,
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
    max_skipped_percent: u8,
    /// Why the database could not be read, when it could not.
    failed: Option<StoreError>,
    /// The rows of the files read so far.
    rows: u64,
    /// The UserIDs of the rows read so far.
    users: HashSet<Arc<str>>,
}

/// The source IDs of a file's rows so far, to find one that appears twice. Each is held as
/// a 128-bit hash under keys of this import's own, not as its text: a file of a million
/// rows is checked a part at a time without holding its IDs, and two IDs of a file share a
/// hash with a chance of about one in 10^26.
#[derive(Default)]
pub(super) struct Seen {
    keys: [RandomState; 2],
    hashes: HashSet<u128>,
}

impl Seen {
    /// Whether `id` is seen for the first time.
    pub(super) fn first(&mut self, id: &str) -> bool {
        let [high, low] = self.keys.each_ref().map(|keys| keys.hash_one(id));
        self.hashes
            .insert((u128::from(high) << 64) | u128::from(low))
    }
}

/// What a source ID was imported as: our record's id, and the source's DateUpdated last
/// imported.
type Known<I> = (I, Option<NaiveDateTime>);

impl Checker<'_> {
    /// Each file is read when its turn comes and let go once checked.
    fn run(&mut self, archive: &mut Archive<impl Read + Seek>) -> Result<(), StoreError> {
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

    /// A file to check (an empty one when the archive has none); `None` once a file could
    /// not be read, when the rest are read only to report those that cannot be either.
    fn read(
        &mut self,
        archive: &mut Archive<impl Read + Seek>,
        name: &'static str,
    ) -> Option<Table> {
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
    /// so far.
    fn meta<'t, K>(
        &mut self,
        cells: &mut Cells<'t, '_>,
        entity: &'static str,
        id_column: &'static str,
        seen: &mut Seen,
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
        if !seen.first(cells.raw(id_column).unwrap_or_default()) {
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
            let conn = self.conn.as_deref_mut().ok_or_else(|| {
                StoreError::Config(format!("the IDs of {entity} were not read before its file"))
            })?;
            let known = imports::known_ids(conn, &self.plan.source, entity, &wanted)?;
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
