//! Writes an HMIS CSV export: our rows mapped to FY2026 records, each file written through a
//! CSV writer into a streaming ZIP, one batch of rows at a time.

mod clients;
mod records;
mod reference_data;
mod writing;
mod zipping;

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDateTime;
use threshold_persistence::export::{self as store, ExportFilter};
use threshold_persistence::{DbConnection, StoreError};
use uuid::Uuid;

use crate::hmis::{columns, hmis_id};

pub use records::question_id;

/// Records written into the ZIP at a time, and between two progress reports.
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

/// What an export is of, and what Export.csv says about it.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub filter: ExportFilter,
    /// ExportID of every row.
    pub export_id: String,
    pub exported_at: NaiveDateTime,
}

impl ExportRequest {
    pub fn new(filter: ExportFilter) -> ExportRequest {
        ExportRequest {
            filter,
            export_id: Uuid::now_v7().simple().to_string(),
            exported_at: chrono::Utc::now().naive_utc(),
        }
    }
}

/// Writes the whole export as a ZIP into `out`, reading everything in one snapshot, and
/// answers `out` once the ZIP is complete. `progress` hears about every thousand records.
/// The rows are read and written as CSV on this thread and compressed into the ZIP on
/// another.
pub fn write_zip<W: Write + Send>(
    conn: &mut DbConnection,
    request: &ExportRequest,
    out: W,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<W, ExportError> {
    std::thread::scope(|scope| {
        let (sender, receiver) = zipping::channel();
        let archive = scope.spawn(move || zipping::write_archive(out, receiver));
        let written = store::in_snapshot(conn, |conn| {
            let mut writer = Writer {
                csv: csv_writer(sender),
                request,
                users: store::user_ids(conn)?
                    .into_iter()
                    .map(|id| {
                        let user = User {
                            hmis_id: hmis_id(&id),
                            referenced: false,
                        };
                        (id, user)
                    })
                    .collect(),
                progress,
            };
            writer.all(conn)?;
            let sender = writer
                .csv
                .into_inner()
                .map_err(|error| error.into_error())?;
            sender.finish()?;
            Ok::<_, ExportError>(())
        });
        // The sender is gone by now: the thread ends either way.
        let archive = archive
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        match (written, archive) {
            (Ok(()), Ok(Some(out))) => Ok(out),
            // The archive failed first (the reader hung up, say): the export only saw the
            // channel close, the archive's error is the cause.
            (_, Err(error)) => Err(error),
            (Err(error), Ok(_)) => Err(error),
            (Ok(()), Ok(None)) => {
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

struct Writer<'a> {
    csv: csv::Writer<zipping::ZipSender>,
    request: &'a ExportRequest,
    /// Every user by id (staff are few): `created_by` is a user's id, or some other token
    /// subject.
    users: HashMap<String, User>,
    progress: &'a mut dyn FnMut(Progress<'_>),
}

/// A user as rows refer to them.
struct User {
    hmis_id: String,
    /// Whether a row written so far refers to them: User.csv has the users referred to.
    referenced: bool,
}

impl Writer<'_> {
    fn all(&mut self, conn: &mut DbConnection) -> Result<(), ExportError> {
        let request = self.request;
        let filter = &request.filter;
        self.export_file()?;
        self.file(
            conn,
            &columns::ORGANIZATION,
            |conn, each| store::each_organization(conn, filter, each),
            |this, row| vec![this.organization(row)],
        )?;
        self.file(
            conn,
            &columns::PROJECT,
            |conn, each| store::each_program(conn, filter, each),
            |this, row| vec![this.project(row)],
        )?;
        self.file(
            conn,
            &columns::FUNDER,
            |conn, each| store::each_grant(conn, filter, each),
            |this, row| vec![this.funder(row)],
        )?;
        self.file(
            conn,
            &columns::CLIENT,
            |conn, each| store::each_client(conn, filter, each),
            |this, row| vec![this.client(row)],
        )?;
        self.file(
            conn,
            &columns::ENROLLMENT,
            |conn, each| store::each_enrollment(conn, filter, false, each),
            |this, row| vec![this.enrollment(row)],
        )?;
        self.file(
            conn,
            &columns::EXIT,
            |conn, each| store::each_enrollment(conn, filter, true, each),
            |this, row| this.exit(row).into_iter().collect(),
        )?;
        // AssessmentQuestions.csv is a second pass over the same assessments: the ZIP is
        // written one file after the other.
        self.file(
            conn,
            &columns::ASSESSMENT,
            |conn, each| store::each_assessment(conn, filter, each),
            |this, row| vec![this.assessment(row)],
        )?;
        self.file(
            conn,
            &columns::ASSESSMENT_QUESTIONS,
            |conn, each| store::each_assessment(conn, filter, each),
            |this, row| this.assessment_questions(row),
        )?;
        self.file(
            conn,
            &columns::SERVICES,
            |conn, each| store::each_service(conn, filter, each),
            |this, (row, client_id)| vec![this.service(row, client_id)],
        )?;
        self.user_file(conn)
    }
}

/// Writes an export of the database at `database_url` to the file `out`, through a `.part`
/// file beside it, so that a failed export leaves no ZIP that looks whole.
pub fn export_to_file(
    database_url: &str,
    filter: ExportFilter,
    out: &std::path::Path,
    progress: &mut dyn FnMut(Progress<'_>),
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
