//! Writes an HMIS CSV export: our rows mapped to FY2026 records, each file written through a
//! CSV writer into a streaming ZIP, one batch of rows at a time: read on one thread, written
//! as CSV on a second, deflated on a third.

mod clients;
mod reading;
mod records;
mod reference_data;
mod writing;
mod zipping;

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDateTime;
use threshold_persistence::export::{self as store, ExportFilter};
use threshold_persistence::rows::UserRow;
use threshold_persistence::{DbConnection, StoreError};
use uuid::Uuid;

pub use records::question_id;

use crate::hmis::hmis_id;

use threshold_domain::hmis_csv::{fy2026, CsvFile};

/// The files an export writes, in its order: every file of HMIS CSV FY2026.
pub const FILES: [&CsvFile; 24] = [
    &fy2026::EXPORT,
    &fy2026::ORGANIZATION,
    &fy2026::USER,
    &fy2026::PROJECT,
    &fy2026::FUNDER,
    &fy2026::PROJECT_COC,
    &fy2026::INVENTORY,
    &fy2026::AFFILIATION,
    &fy2026::HMIS_PARTICIPATION,
    &fy2026::CE_PARTICIPATION,
    &fy2026::CLIENT,
    &fy2026::ENROLLMENT,
    &fy2026::EXIT,
    &fy2026::ASSESSMENT,
    &fy2026::ASSESSMENT_QUESTIONS,
    &fy2026::ASSESSMENT_RESULTS,
    &fy2026::SERVICES,
    &fy2026::INCOME_BENEFITS,
    &fy2026::DISABILITIES,
    &fy2026::HEALTH_AND_DV,
    &fy2026::EMPLOYMENT_EDUCATION,
    &fy2026::CURRENT_LIVING_SITUATION,
    &fy2026::EVENT,
    &fy2026::YOUTH_EDUCATION_STATUS,
];

/// Rows handed from the reading thread to the writing one at a time, and records written
/// between two progress reports.
const BATCH: usize = 1_000;

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing failed, or the reader went away.
    #[error("writing the export failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing the ZIP failed: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("writing a CSV file failed: {0}")]
    Csv(#[from] csv::Error),
}

/// How far an export got: `rows` of `file` written, `done` once the file is complete.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub file: &'a str,
    pub rows: u64,
    pub done: bool,
}

/// Which IDs an export writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Ids {
    /// Ours (UUIDs without hyphens).
    #[default]
    Own,
    /// The ID another system gave a record we imported from it, where it has one (to send
    /// records back to the system they came from); ours for the others.
    Source,
}

/// What an export is of, and what Export.csv says about it.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub filter: ExportFilter,
    pub ids: Ids,
    /// ExportID of every row.
    pub export_id: String,
    pub exported_at: NaiveDateTime,
}

impl ExportRequest {
    pub fn new(filter: ExportFilter) -> ExportRequest {
        ExportRequest {
            filter,
            ids: Ids::Own,
            export_id: Uuid::now_v7().simple().to_string(),
            exported_at: chrono::Utc::now().naive_utc(),
        }
    }
}

/// Writes the whole export as a ZIP into `out`, reading everything in one snapshot, and
/// answers `out` once the ZIP is complete. `progress` hears about every thousand records.
///
/// Three threads share the work: this one reads the rows, in batches, another maps them to
/// records and writes them as CSV, a third deflates the CSV into the ZIP. Short channels
/// between them hold a few batches and chunks, so memory stays bounded.
pub fn write_zip<W: Write + Send>(
    conn: &mut DbConnection,
    request: &ExportRequest,
    out: W,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<W, ExportError> {
    std::thread::scope(|scope| {
        let (zip, chunks) = zipping::channel();
        let archive = scope.spawn(move || zipping::write_archive(out, chunks));
        let (reader, batches) = reading::channel();
        let writing = scope.spawn(move || {
            let mut writer = Writer {
                csv: csv_writer(zip),
                request,
                users: HashMap::new(),
                sources: SourceIds::default(),
                written: 0,
                progress,
            };
            // Each batch is written as it comes, until the reader is done or gone.
            for batch in batches {
                batch(&mut writer)?;
            }
            Ok::<_, ExportError>(())
        });
        let read = store::in_snapshot(conn, |conn| reader.all(conn, request));
        // Each thread ends once the one before it has: their channels are closed.
        let written = writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let archive = archive
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A thread that failed stopped the ones before it, which only saw their channel
        // close: the error furthest down the line is the cause.
        match (read, written, archive) {
            (_, _, Err(error)) | (_, Err(error), _) | (Err(error), _, _) => Err(error),
            (Ok(()), Ok(()), Ok(Some(out))) => Ok(out),
            (Ok(()), Ok(()), Ok(None)) => {
                Err(std::io::Error::other("the archive was not completed").into())
            }
        }
    })
}

/// CSV as HMIS files write it: no header of its own (each file's header is its first
/// record), quotes only where needed. Flexible: one writer serves every file, each with its
/// own number of columns, which `Record` fixes.
fn csv_writer(sender: zipping::ZipSender) -> csv::Writer<zipping::ZipSender> {
    csv::WriterBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_writer(sender)
}

/// Maps rows to records and writes them as CSV, on a thread of its own.
struct Writer<'a> {
    csv: csv::Writer<zipping::ZipSender>,
    request: &'a ExportRequest,
    /// Every user by id (staff are few): `created_by` is a user's id, or some other token
    /// subject.
    users: HashMap<String, User>,
    /// With `ids=source`, the IDs other systems gave the records imported from them.
    sources: SourceIds,
    /// Records of the current file written so far.
    written: u64,
    progress: &'a mut (dyn FnMut(Progress<'_>) + Send),
}

/// The IDs other systems gave the records imported from them, by our record's id; an
/// exit's apart (it is stored as its enrollment).
#[derive(Debug, Default)]
pub(super) struct SourceIds {
    records: HashMap<Uuid, String>,
    exits: HashMap<Uuid, String>,
}

impl SourceIds {
    fn of(rows: Vec<(String, threshold_persistence::ids::EntityId, String)>) -> SourceIds {
        let mut sources = SourceIds::default();
        for (entity, record_id, source_id) in rows {
            let map = match entity.as_str() {
                "exit" => &mut sources.exits,
                _ => &mut sources.records,
            };
            map.entry(record_id.uuid()).or_insert(source_id);
        }
        sources
    }
}

impl Writer<'_> {
    /// A record's ID as the export writes it: its source's, with `ids=source`, when it has
    /// one; ours otherwise.
    fn id<K>(&self, id: threshold_persistence::ids::Id<K>) -> String {
        match self.sources.records.get(&id.uuid()) {
            Some(source_id) => source_id.clone(),
            None => hmis_id(id),
        }
    }

    /// An exit's ID: its source's, with `ids=source`, else its enrollment's.
    fn exit_id(&self, enrollment_id: threshold_persistence::ids::EnrollmentId) -> String {
        match self.sources.exits.get(&enrollment_id.uuid()) {
            Some(source_id) => source_id.clone(),
            None => hmis_id(enrollment_id),
        }
    }
}

/// A user as rows refer to them.
struct User {
    row: UserRow,
    hmis_id: String,
    /// Whether a row written so far refers to them: User.csv has the users referred to.
    referenced: bool,
}

/// Writes an export of the database at `database_url` to the file `out`, through a `.part`
/// file beside it, so that a failed export leaves no ZIP that looks whole.
pub fn export_to_file(
    database_url: &str,
    filter: ExportFilter,
    out: &std::path::Path,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<(), String> {
    let db = threshold_persistence::Database::connect(database_url, 1)
        .map_err(|error| error.to_string())?;
    let mut conn = db.get().map_err(|error| error.to_string())?;
    let mut partial = out.as_os_str().to_owned();
    partial.push(".part");
    let partial = std::path::PathBuf::from(partial);
    let file = std::fs::File::create(&partial)
        .map_err(|error| format!("cannot create {}: {error}", partial.display()))?;
    let request = ExportRequest::new(filter);
    let written = write_zip(&mut conn, &request, std::io::BufWriter::new(file), progress)
        .map_err(|error| error.to_string())
        .and_then(|mut writer| writer.flush().map_err(|error| error.to_string()));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, out)
        .map_err(|error| format!("cannot write {}: {error}", out.display()))
}
