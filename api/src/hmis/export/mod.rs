//! Writes an HMIS CSV export: our rows mapped to FY2026 records, each file written through a
//! CSV writer into a streaming ZIP, one batch of rows at a time.

mod clients;
mod records;
mod reference_data;
mod writing;

use std::collections::{BTreeSet, HashSet};
use std::io::Write;

use chrono::NaiveDateTime;
use threshold_persistence::export::{self as store, ExportFilter};
use threshold_persistence::{DbConnection, StoreError};
use uuid::Uuid;
use zip::write::StreamWriter;
use zip::ZipWriter;

use crate::hmis::columns;

pub use records::question_id;

/// Rows read from the database at a time.
const BATCH: i64 = 1_000;

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
/// answers `out` once the ZIP is complete. `progress` hears about every batch.
pub fn write_zip<W: Write>(
    conn: &mut DbConnection,
    request: &ExportRequest,
    out: W,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<W, ExportError> {
    store::in_snapshot(conn, |conn| {
        let mut zip = ZipWriter::new_stream(out);
        let mut writer = Writer {
            zip: &mut zip,
            request,
            users: store::user_ids(conn)?.into_iter().collect(),
            referenced_users: BTreeSet::new(),
            progress,
        };
        writer.all(conn)?;
        Ok(zip.finish()?.into_inner())
    })
}

struct Writer<'a, W: Write> {
    zip: &'a mut ZipWriter<StreamWriter<W>>,
    request: &'a ExportRequest,
    /// Every user id: `created_by` is a user's id, or some other token subject.
    users: HashSet<String>,
    /// The users rows refer to, for User.csv (staff are few).
    referenced_users: BTreeSet<String>,
    progress: &'a mut dyn FnMut(Progress<'_>),
}

/// The next batch of a keyset-paginated read, after the id given.
type Batch<'c, T> = dyn FnMut(&mut DbConnection, Option<&str>) -> Result<Vec<T>, StoreError> + 'c;

impl<W: Write> Writer<'_, W> {
    fn all(&mut self, conn: &mut DbConnection) -> Result<(), ExportError> {
        let filter = self.request.filter.clone();
        self.export_file()?;
        self.file(
            conn,
            &columns::ORGANIZATION,
            &mut |conn, after| store::organizations_after(conn, &filter, after, BATCH),
            |row| &row.id,
            |this, row| vec![this.organization(row)],
        )?;
        self.file(
            conn,
            &columns::PROJECT,
            &mut |conn, after| store::programs_after(conn, &filter, after, BATCH),
            |row| &row.id,
            |this, row| vec![this.project(row)],
        )?;
        self.file(
            conn,
            &columns::FUNDER,
            &mut |conn, after| store::grants_after(conn, &filter, after, BATCH),
            |row| &row.id,
            |this, row| vec![this.funder(row)],
        )?;
        self.file(
            conn,
            &columns::CLIENT,
            &mut |conn, after| store::clients_after(conn, &filter, after, BATCH),
            |row| &row.id,
            |this, row| vec![this.client(row)],
        )?;
        self.file(
            conn,
            &columns::ENROLLMENT,
            &mut |conn, after| store::enrollments_after(conn, &filter, false, after, BATCH),
            |row| &row.id,
            |this, row| vec![this.enrollment(row)],
        )?;
        self.file(
            conn,
            &columns::EXIT,
            &mut |conn, after| store::enrollments_after(conn, &filter, true, after, BATCH),
            |row| &row.id,
            |this, row| this.exit(row).into_iter().collect(),
        )?;
        // AssessmentQuestions.csv is a second pass over the same assessments: the ZIP is
        // written one file after the other.
        self.file(
            conn,
            &columns::ASSESSMENT,
            &mut |conn, after| store::assessments_after(conn, &filter, after, BATCH),
            |row| &row.id,
            |this, row| vec![this.assessment(row)],
        )?;
        self.file(
            conn,
            &columns::ASSESSMENT_QUESTIONS,
            &mut |conn, after| store::assessments_after(conn, &filter, after, BATCH),
            |row| &row.id,
            |this, row| this.assessment_questions(row),
        )?;
        self.file(
            conn,
            &columns::SERVICES,
            &mut |conn, after| store::services_after(conn, &filter, after, BATCH),
            |(row, _)| &row.id,
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
