//! Writing a checked archive: each record created, updated (when the file's DateUpdated is
//! newer than ours and something changed) or deleted (soft), every write with its audit
//! event (the creations of most kinds left implied: `audit::is_implied`);
//! the source IDs remembered for the next import.
//!
//! A file's records go a batch at a time: the stored rows they name are read in one query,
//! the new ones inserted many per statement with their audit events and source IDs.
//! Updates and deletes, rarer, go one by one through the repositories. The connection runs
//! on a thread of its own (`queue`): while it stores one batch, the next is decided and
//! built here, and HUD's records are checked.

mod descriptors;
mod enrollments;
mod hud_records;
mod records;

use std::collections::HashMap;
use std::mem::take;

use chrono::NaiveDateTime;
use threshold_persistence::audit::Audited;
use threshold_persistence::bulk::{self, Bulk};
use threshold_persistence::ids::{Id, OrganizationId};
use threshold_persistence::imports::{self, SourceIdRow};
use threshold_persistence::rows::{HudCollection, Stamped};
use threshold_persistence::{DbConnection, StoreError};

use super::check::{HudRecordImport, Meta, Plan, RecordSink, ServiceRecord};
use super::queue::Queue;
use super::{count, Change, Counts, Job};

/// Records per batch: a few statements' worth, so that the database's work per statement
/// outweighs the round trips, and the batches waiting for the connection stay small.
const BATCH: usize = 2 * bulk::ROWS_PER_STATEMENT;

/// Writes a checked archive through the import's [`Queue`]: the plan of every file but
/// HUD's records first ([`Writer::plan`]), then those records as each part of their files is
/// checked ([`RecordSink`]), then what is remembered of the enrollments
/// ([`Writer::finish`]).
pub struct Writer<'a, 'q> {
    queue: &'a Queue<'q>,
    source: &'q str,
    /// The job's organization, which receives the records.
    organization_id: OrganizationId,
    by: String,
    at: NaiveDateTime,
    counts: Counts,
    done: u64,
    /// The rows to write, about: see [`Writer::new`].
    total: u64,
    progress: &'a dyn Fn(u64, u64),
}

impl<'a, 'q> Writer<'a, 'q> {
    /// A writer of `job`'s records from `source`; `progress` hears how many of about `total`
    /// are written.
    pub fn new(
        queue: &'a Queue<'q>,
        source: &'q str,
        job: &Job,
        total: u64,
        progress: &'a dyn Fn(u64, u64),
    ) -> Writer<'a, 'q> {
        Writer {
            queue,
            source,
            organization_id: job.organization_id,
            by: job.writer(),
            at: crate::clock::now(),
            counts: Counts::new(),
            done: 0,
            total,
            progress,
        }
    }

    /// Remembers what the enrollments were imported as, and says what was written.
    pub fn finish(mut self, plan: &Plan) -> Result<Counts, StoreError> {
        self.mark_seen(plan)?;
        Ok(self.counts)
    }
}

impl RecordSink for Writer<'_, '_> {
    fn services(&mut self, records: Vec<ServiceRecord>) -> Result<(), StoreError> {
        self.file(&records)
    }

    fn records<C: HudCollection>(
        &mut self,
        records: Vec<HudRecordImport<C>>,
    ) -> Result<(), StoreError> {
        self.file(&records)
    }
}

/// A record of one of the files written the same way: users, projects, funders, clients,
/// services and assessments.
trait Record {
    /// The kind of record it becomes.
    type Kind: 'static;
    type Row: Bulk<Id = Id<Self::Kind>> + Clone + PartialEq + Stamped + Send + 'static;
    /// The file, without `.csv`.
    const FILE: &'static str;
    /// The entity its source IDs are remembered under.
    const ENTITY: &'static str;

    fn meta(&self) -> &Meta<Id<Self::Kind>>;

    /// The row of a record new to us.
    fn create(&self, writer: &Writer<'_, '_>) -> Self::Row;

    /// Our row with the file's values, from `source`.
    fn fill(&self, row: &mut Self::Row, source: &str);

    /// Marks the row deleted, for the tables that keep deleted rows; false when a deletion
    /// in the file changes nothing.
    fn delete(_row: &mut Self::Row, _at: NaiveDateTime) -> bool {
        false
    }

    fn update(conn: &mut DbConnection, row: &Self::Row) -> Result<(), StoreError>;

    /// A record the file holds that is never written.
    fn skipped(&self) -> bool {
        false
    }
}

/// What to do with a record the file holds, given what is stored.
enum Decision<R> {
    Create,
    Update(R),
    Delete(R),
    Leave,
}

fn decide<I, R>(
    meta: &Meta<I>,
    stored: Option<R>,
    at: impl Fn(&R) -> NaiveDateTime,
) -> Decision<R> {
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

/// The source's DateUpdated of a record imported before (the later of its own and its
/// exit's, for an enrollment), when it is newer than the one last remembered.
fn newer_than_seen<I>(
    meta: &Meta<I>,
    exit_updated: Option<NaiveDateTime>,
) -> Option<NaiveDateTime> {
    if !meta.known || meta.deleted {
        return None;
    }
    let date_updated = meta
        .date_updated
        .max(exit_updated.unwrap_or(meta.date_updated));
    meta.last_seen
        .is_none_or(|seen| date_updated > seen)
        .then_some(date_updated)
}

/// The stored rows of a batch's records imported before, by id.
fn stored<'m, K: 'static, R: Bulk<Id = Id<K>> + Send + 'static>(
    queue: &Queue<'_>,
    metas: impl Iterator<Item = &'m Meta<Id<K>>>,
) -> Result<HashMap<Id<K>, R>, StoreError> {
    let known: Vec<Id<K>> = metas
        .filter(|meta| meta.known)
        .map(|meta| meta.id)
        .collect();
    if known.is_empty() {
        return Ok(HashMap::new());
    }
    queue.read(move |conn| R::find_all(conn, &known))
}

impl Writer<'_, '_> {
    fn step(&mut self, file: &str, change: Change) {
        count(&mut self.counts, file, change);
        self.done += 1;
        (self.progress)(self.done, self.total);
    }

    /// The source ID row of a record new to us; `seen` is the source's DateUpdated of the
    /// version written, when the entity's versions are remembered.
    fn source_id<K>(
        &self,
        entity: &str,
        source_id: &str,
        record_id: Id<K>,
        seen: Option<NaiveDateTime>,
    ) -> SourceIdRow {
        SourceIdRow {
            source: self.source.to_owned(),
            entity: entity.to_owned(),
            source_id: source_id.to_owned(),
            // Source IDs name records of every kind.
            record_id: record_id.cast(),
            source_updated_at: seen,
        }
    }

    /// Writes the plan's files in order, letting each of the large ones go once written.
    pub fn plan(&mut self, plan: &mut Plan) -> Result<(), StoreError> {
        for _ in &plan.organizations {
            // Records go into the job's organization; the file's organizations are not
            // copied over it.
            self.step("Organization", Change::Unchanged);
        }
        self.file(&plan.users)?;
        self.file(&plan.projects)?;
        self.file(&plan.funders)?;
        self.file(&plan.project_cocs)?;
        self.file(&plan.inventories)?;
        self.file(&plan.affiliations)?;
        self.file(&plan.hmis_participations)?;
        self.file(&plan.ce_participations)?;
        self.file(&take(&mut plan.clients))?;
        self.enrollments(plan)?;
        // Questions and results are written with their assessment.
        let questions: usize = plan
            .assessments
            .iter()
            .map(|record| record.question_lines.len())
            .sum();
        let results: usize = plan
            .assessments
            .iter()
            .map(|record| record.result_lines.len())
            .sum();
        self.file(&take(&mut plan.assessments))?;
        for _ in 0..questions + plan.deleted_questions {
            count(&mut self.counts, "AssessmentQuestions", Change::Unchanged);
        }
        for _ in 0..results + plan.deleted_results {
            count(&mut self.counts, "AssessmentResults", Change::Unchanged);
        }
        Ok(())
    }

    /// Writes one file's records, a batch at a time.
    fn file<T: Record>(&mut self, records: &[T]) -> Result<(), StoreError> {
        for batch in records.chunks(BATCH) {
            let mut stored = stored::<_, T::Row>(self.queue, batch.iter().map(T::meta))?;
            let mut created = Vec::new();
            let mut remembered = Vec::new();
            let mut seen_now = Vec::new();
            for record in batch {
                let meta = record.meta();
                if record.skipped() {
                    self.step(T::FILE, Change::Unchanged);
                    continue;
                }
                if let Some(seen) = newer_than_seen(meta, None) {
                    seen_now.push((meta.source_id.clone(), seen));
                }
                let change = match decide(meta, stored.remove(&meta.id), |row| row.at()) {
                    Decision::Create => {
                        created.push(record.create(self));
                        remembered.push(self.source_id(
                            T::ENTITY,
                            &meta.source_id,
                            meta.id,
                            Some(meta.date_updated),
                        ));
                        Change::Created
                    }
                    Decision::Update(row) => {
                        let mut new = row.clone();
                        record.fill(&mut new, self.source);
                        self.update(row, new, T::update)?
                    }
                    Decision::Delete(row) => {
                        let mut new = row.clone();
                        if T::delete(&mut new, self.at) {
                            self.update(row, new, T::update)?;
                            Change::Deleted
                        } else {
                            Change::Unchanged
                        }
                    }
                    Decision::Leave => Change::Unchanged,
                };
                self.step(T::FILE, change);
            }
            let source = self.source;
            self.queue.write(move |conn| {
                bulk::insert_imported(conn, &created)?;
                imports::remember_all(conn, &remembered)?;
                for (source_id, date_updated) in seen_now {
                    imports::seen(conn, source, T::ENTITY, &source_id, date_updated)?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Remembers, for every enrollment imported before that the file holds, the source's
    /// DateUpdated of the version now stored (its exit's included), so the next file from
    /// the source is compared with it. The other files' records are remembered as each is
    /// written ([`Writer::file`]); a record new to us had it remembered with its source ID.
    fn mark_seen(&mut self, plan: &Plan) -> Result<(), StoreError> {
        self.mark_seen_of(
            "enrollment",
            plan.enrollments.iter().map(|record| {
                // An enrollment's version includes its exit's, as when it was written.
                let exit = record.exit.as_ref().map(|exit| exit.meta.date_updated);
                (&record.meta, exit)
            }),
        )
    }

    /// [`Writer::mark_seen`] for the records of one entity, each with its exit's
    /// DateUpdated when it has one.
    fn mark_seen_of<'m, I: 'm>(
        &mut self,
        entity: &str,
        metas: impl Iterator<Item = (&'m Meta<I>, Option<NaiveDateTime>)>,
    ) -> Result<(), StoreError> {
        for (meta, exit_updated) in metas {
            if let Some(date_updated) = newer_than_seen(meta, exit_updated) {
                let (source, entity) = (self.source, entity.to_owned());
                let source_id = meta.source_id.clone();
                self.queue.write(move |conn| {
                    imports::seen(conn, source, &entity, &source_id, date_updated)
                })?;
            }
        }
        Ok(())
    }

    /// Writes `new` over `stored` when something but the bookkeeping changed.
    fn update<R: Clone + PartialEq + Stamped + Send + 'static>(
        &mut self,
        stored: R,
        mut new: R,
        write: fn(&mut DbConnection, &R) -> Result<(), StoreError>,
    ) -> Result<Change, StoreError> {
        if new == stored {
            return Ok(Change::Unchanged);
        }
        new.stamp(self.at, &self.by);
        self.queue.write(move |conn| write(conn, &new))?;
        Ok(Change::Updated)
    }
}
