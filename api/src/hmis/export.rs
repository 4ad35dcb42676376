//! Writes an HMIS CSV export: our rows mapped to FY2026 records, each file written through a
//! CSV writer into a streaming ZIP, one batch of rows at a time.

use std::collections::{BTreeSet, HashSet};
use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use threshold_persistence::export::{self as store, ExportFilter};
use threshold_persistence::rows::{
    AssessmentRow, ClientRow, EnrollmentRow, GrantRow, OrganizationRow, ProgramRow, ServiceRow,
    UserRow,
};
use threshold_persistence::{DbConnection, StoreError};
use uuid::Uuid;
use zip::write::{SimpleFileOptions, StreamWriter};
use zip::{CompressionMethod, ZipWriter};

use super::columns::{self, ColumnType, CsvFile};
use super::{format_date, format_datetime, format_money, hmis_id, CSV_VERSION, SYSTEM_USER_ID};

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

/// One row of a file, filled by column name and written in the file's column order.
struct Record {
    file: &'static CsvFile,
    values: Vec<String>,
}

impl Record {
    fn new(file: &'static CsvFile) -> Record {
        Record {
            file,
            values: vec![String::new(); file.columns.len()],
        }
    }

    fn set(&mut self, column: &str, value: impl Into<String>) -> &mut Record {
        match self.file.position(column) {
            Some(position) => self.values[position] = value.into(),
            None => debug_assert!(false, "{} has no column {column}", self.file.name),
        }
        self
    }

    fn set_opt<T>(&mut self, column: &str, value: Option<T>, show: impl Fn(T) -> String) {
        if let Some(value) = value {
            self.set(column, show(value));
        }
    }

    fn date(&mut self, column: &str, date: Option<NaiveDate>) {
        self.set_opt(column, date, format_date);
    }

    fn datetime(&mut self, column: &str, at: Option<NaiveDateTime>) {
        self.set_opt(column, at, format_datetime);
    }

    fn int(&mut self, column: &str, value: Option<i32>) {
        self.set_opt(column, value, |value| value.to_string());
    }

    /// The values as written: required codes we hold nothing for are 99 ("data not
    /// collected"), and text is cut to the column's length.
    fn finish(mut self) -> Vec<String> {
        for (value, column) in self.values.iter_mut().zip(self.file.columns) {
            match column.kind {
                ColumnType::Integer if column.required && value.is_empty() => {
                    *value = "99".into();
                }
                ColumnType::Text(length) if value.chars().count() > length => {
                    *value = value.chars().take(length).collect();
                }
                _ => {}
            }
        }
        self.values
    }
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

    /// Writes one file from keyset-paginated batches.
    fn file<T>(
        &mut self,
        conn: &mut DbConnection,
        file: &'static CsvFile,
        next: &mut Batch<'_, T>,
        id_of: impl Fn(&T) -> &String,
        records: impl Fn(&mut Self, &T) -> Vec<Record>,
    ) -> Result<(), ExportError> {
        self.start(file)?;
        let mut rows = 0;
        let mut after: Option<String> = None;
        loop {
            let batch = next(conn, after.as_deref())?;
            let Some(last) = batch.last() else { break };
            after = Some(id_of(last).clone());
            let mut lines = Vec::with_capacity(batch.len());
            for row in &batch {
                for record in records(self, row) {
                    lines.push(self.finish(record));
                }
            }
            self.write(&lines)?;
            rows += lines.len() as u64;
            self.report(file, rows, false);
            if batch.len() < BATCH as usize {
                break;
            }
        }
        self.report(file, rows, true);
        Ok(())
    }

    /// Starts a file in the ZIP with its header row.
    fn start(&mut self, file: &'static CsvFile) -> Result<(), ExportError> {
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Deflated)
            .large_file(false);
        self.zip.start_file(file.file_name(), options)?;
        let header: Vec<String> = file.header().map(str::to_owned).collect();
        self.write(&[header])
    }

    /// Writes records through a CSV writer into the ZIP, one batch at a time.
    fn write(&mut self, lines: &[Vec<String>]) -> Result<(), ExportError> {
        let mut csv = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(&mut *self.zip);
        for line in lines {
            csv.write_record(line)?;
        }
        csv.flush()?;
        Ok(())
    }

    /// The values of a record, with this export's ExportID.
    fn finish(&mut self, record: Record) -> Vec<String> {
        let mut values = record.finish();
        if let Some(position) = values.len().checked_sub(1) {
            // ExportID is the last column of every file but Export.csv, which sets it itself.
            if values[position].is_empty() {
                values[position] = self.request.export_id.clone();
            }
        }
        values
    }

    fn report(&mut self, file: &CsvFile, rows: u64, done: bool) {
        (self.progress)(Progress {
            file: file.name,
            rows,
            done,
        });
    }

    fn user_id(&mut self, created_by: &str) -> String {
        if self.users.contains(created_by) {
            self.referenced_users.insert(created_by.to_owned());
            hmis_id(created_by)
        } else {
            SYSTEM_USER_ID.to_owned()
        }
    }

    /// DateCreated, DateUpdated, UserID and DateDeleted.
    fn audit(
        &mut self,
        record: &mut Record,
        created: (NaiveDateTime, &str),
        updated_at: NaiveDateTime,
        deleted_at: Option<NaiveDateTime>,
    ) {
        let user_id = self.user_id(created.1);
        record.datetime("DateCreated", Some(created.0));
        record.datetime("DateUpdated", Some(updated_at));
        record.set("UserID", user_id);
        record.datetime("DateDeleted", deleted_at);
    }

    fn export_file(&mut self) -> Result<(), ExportError> {
        let request = self.request;
        let mut record = Record::new(&columns::EXPORT);
        record
            .set("ExportID", request.export_id.clone())
            .set("SourceType", "1")
            .set("SourceName", "Threshold")
            .set("ExportDate", format_datetime(request.exported_at))
            .set("ExportStartDate", format_date(request.filter.from))
            .set("ExportEndDate", format_date(request.filter.to))
            .set("SoftwareName", "Threshold")
            .set("SoftwareVersion", env!("CARGO_PKG_VERSION"))
            .set("CSVVersion", CSV_VERSION)
            .set("ExportPeriodType", "3")
            .set("ExportDirective", "2")
            .set("HashStatus", "1")
            .set("ImplementationID", "threshold");
        if let Some(organization_id) = &request.filter.organization_id {
            record.set("SourceID", hmis_id(organization_id));
        }
        self.start(&columns::EXPORT)?;
        self.write(&[record.finish()])?;
        self.report(&columns::EXPORT, 1, true);
        Ok(())
    }

    fn organization(&mut self, row: &OrganizationRow) -> Record {
        let mut record = Record::new(&columns::ORGANIZATION);
        record
            .set("OrganizationID", hmis_id(&row.id))
            .set("OrganizationName", row.name.clone())
            .set("VictimServiceProvider", flag(row.victim_service_provider));
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            None,
        );
        record
    }

    fn project(&mut self, row: &ProgramRow) -> Record {
        let mut record = Record::new(&columns::PROJECT);
        record
            .set("ProjectID", hmis_id(&row.id))
            .set("OrganizationID", hmis_id(&row.organization_id))
            .set("ProjectName", row.name.clone())
            .set("ContinuumProject", flag(row.continuum_project))
            .set("ProjectType", row.project_type.to_string());
        record.date("OperatingStartDate", Some(row.operating_start_date));
        record.date("OperatingEndDate", row.operating_end_date);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            None,
        );
        record
    }

    fn funder(&mut self, row: &GrantRow) -> Record {
        let mut record = Record::new(&columns::FUNDER);
        record
            .set("FunderID", hmis_id(&row.id))
            .set("ProjectID", hmis_id(&row.program_id))
            .set("Funder", row.funder.to_string())
            .set("OtherFunder", row.other_funder.clone().unwrap_or_default())
            .set("GrantID", row.grant_identifier.clone());
        record.date("StartDate", Some(row.start_date));
        record.date("EndDate", row.end_date);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            None,
        );
        record
    }

    fn client(&mut self, row: &ClientRow) -> Record {
        let mut record = Record::new(&columns::CLIENT);
        record.set("PersonalID", hmis_id(&row.id));
        for (column, value) in [
            ("FirstName", &row.first_name),
            ("MiddleName", &row.middle_name),
            ("LastName", &row.last_name),
            ("NameSuffix", &row.name_suffix),
            ("SSN", &row.ssn),
        ] {
            record.set(column, value.clone().unwrap_or_default());
        }
        record.int("NameDataQuality", Some(row.name_data_quality));
        record.int("SSNDataQuality", Some(row.ssn_data_quality));
        record.date("DOB", row.dob);
        record.int("DOBDataQuality", Some(row.dob_data_quality));
        record.int("Sex", Some(row.sex));
        let races: HashSet<&str> = row
            .race_ethnicity
            .split(',')
            .map(str::trim)
            .filter(|race| !race.is_empty())
            .collect();
        for (column, race) in RACE_COLUMNS {
            record.set(column, flag(races.contains(race)));
        }
        record.int("RaceNone", row.race_none);
        record.int("VeteranStatus", Some(row.veteran_status));
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    fn enrollment(&mut self, row: &EnrollmentRow) -> Record {
        let mut record = Record::new(&columns::ENROLLMENT);
        record
            .set("EnrollmentID", hmis_id(&row.id))
            .set("PersonalID", hmis_id(&row.client_id))
            .set("ProjectID", hmis_id(&row.program_id))
            .set("HouseholdID", hmis_id(&row.household_id))
            .set(
                "EnrollmentCoC",
                row.enrollment_coc.clone().unwrap_or_default(),
            );
        record.date("EntryDate", Some(row.entry_date));
        record.int("RelationshipToHoH", Some(row.relationship_to_hoh));
        record.int("LivingSituation", row.prior_living_situation);
        record.int("LengthOfStay", row.length_of_stay);
        record.int("DisablingCondition", row.disabling_condition);
        record.date("MoveInDate", row.move_in_date);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    /// The exit of an exited enrollment; its ExitID is the enrollment's ID (one exit each).
    fn exit(&mut self, row: &EnrollmentRow) -> Option<Record> {
        let exit_date = row.exit_date?;
        let mut record = Record::new(&columns::EXIT);
        record
            .set("ExitID", hmis_id(&row.id))
            .set("EnrollmentID", hmis_id(&row.id))
            .set("PersonalID", hmis_id(&row.client_id))
            .set(
                "OtherDestination",
                row.other_destination.clone().unwrap_or_default(),
            );
        record.date("ExitDate", Some(exit_date));
        record.int("Destination", row.destination);
        record.int("DestinationSubsidyType", row.destination_subsidy_type);
        let exited_at = row.exited_at.unwrap_or(row.updated_at);
        let exited_by = row.exited_by.as_deref().unwrap_or(&row.updated_by);
        self.audit(
            &mut record,
            (exited_at, exited_by),
            exited_at.max(row.updated_at),
            row.deleted_at,
        );
        Some(record)
    }

    fn assessment(&mut self, row: &AssessmentRow) -> Record {
        let mut record = Record::new(&columns::ASSESSMENT);
        record
            .set("AssessmentID", hmis_id(&row.id))
            .set(
                "EnrollmentID",
                row.enrollment_id
                    .as_deref()
                    .map(hmis_id)
                    .unwrap_or_default(),
            )
            .set("PersonalID", hmis_id(&row.client_id))
            .set("AssessmentLocation", row.assessment_location.clone());
        record.date("AssessmentDate", Some(row.assessment_date));
        record.int("AssessmentType", Some(row.assessment_type));
        record.int("AssessmentLevel", Some(row.assessment_level));
        record.int("PrioritizationStatus", Some(row.prioritization_status));
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    fn assessment_questions(&mut self, row: &AssessmentRow) -> Vec<Record> {
        let answers: Vec<StoredAnswer> = serde_json::from_str(&row.answers).unwrap_or_default();
        let mut records = Vec::with_capacity(answers.len());
        for (index, answer) in answers.into_iter().enumerate() {
            let order = index + 1;
            let mut record = Record::new(&columns::ASSESSMENT_QUESTIONS);
            record
                .set("AssessmentQuestionID", question_id(&row.id, order))
                .set("AssessmentID", hmis_id(&row.id))
                .set(
                    "EnrollmentID",
                    row.enrollment_id
                        .as_deref()
                        .map(hmis_id)
                        .unwrap_or_default(),
                )
                .set("PersonalID", hmis_id(&row.client_id))
                .set("AssessmentQuestionOrder", order.to_string())
                .set("AssessmentQuestion", answer.question)
                .set("AssessmentAnswer", answer.answer);
            self.audit(
                &mut record,
                (row.created_at, &row.created_by),
                row.updated_at,
                row.deleted_at,
            );
            records.push(record);
        }
        records
    }

    fn service(&mut self, row: &ServiceRow, client_id: &str) -> Record {
        let mut record = Record::new(&columns::SERVICES);
        record
            .set("ServicesID", hmis_id(&row.id))
            .set("EnrollmentID", hmis_id(&row.enrollment_id))
            .set("PersonalID", hmis_id(client_id))
            .set(
                "OtherTypeProvided",
                row.other_type_provided.clone().unwrap_or_default(),
            );
        record.date("DateProvided", Some(row.date_provided));
        record.int("RecordType", Some(row.record_type));
        record.int("TypeProvided", Some(row.type_provided));
        record.set_opt("FAAmount", row.fa_amount_cents, format_money);
        self.audit(
            &mut record,
            (row.created_at, &row.created_by),
            row.updated_at,
            row.deleted_at,
        );
        record
    }

    /// User.csv, last: the users the other files refer to, and the system user.
    fn user_file(&mut self, conn: &mut DbConnection) -> Result<(), ExportError> {
        self.start(&columns::USER)?;
        let mut system = Record::new(&columns::USER);
        system
            .set("UserID", SYSTEM_USER_ID)
            .set("UserFirstName", "Threshold")
            .set("UserLastName", "System");
        system.datetime("DateCreated", Some(self.request.exported_at));
        system.datetime("DateUpdated", Some(self.request.exported_at));
        let system = self.finish(system);
        self.write(&[system])?;
        let mut rows = 1;
        let ids: Vec<String> = self.referenced_users.iter().cloned().collect();
        for chunk in ids.chunks(BATCH as usize) {
            let mut lines = Vec::with_capacity(chunk.len());
            for row in store::users_by_ids(conn, chunk)? {
                lines.push(self.finish(user(&row)));
            }
            self.write(&lines)?;
            rows += lines.len() as u64;
            self.report(&columns::USER, rows, false);
        }
        self.report(&columns::USER, rows, true);
        Ok(())
    }
}

fn user(row: &UserRow) -> Record {
    let mut record = Record::new(&columns::USER);
    record
        .set("UserID", hmis_id(&row.id))
        .set("UserFirstName", row.first_name.clone())
        .set("UserLastName", row.last_name.clone())
        .set("UserEmail", row.email.clone());
    record.datetime("DateCreated", Some(row.created_at));
    record.datetime("DateUpdated", Some(row.updated_at));
    record
}

/// Client.csv's race and ethnicity columns and the categories we store for them.
const RACE_COLUMNS: [(&str, &str); 7] = [
    ("AmIndAKNative", "am_ind_ak_native"),
    ("Asian", "asian"),
    ("BlackAfAmerican", "black_af_american"),
    ("HispanicLatinaeo", "hispanic_latinaeo"),
    ("MidEastNAfrican", "mid_east_n_african"),
    ("NativeHIPacific", "native_hi_pacific"),
    ("White", "white"),
];

/// An answer as the assessments store them.
#[derive(Debug, Default, Deserialize)]
struct StoredAnswer {
    question: String,
    answer: String,
}

/// A stable ID for the `order`th answer of an assessment: the same in every export, so an
/// import of a later file updates the answer instead of adding another.
pub fn question_id(assessment_id: &str, order: usize) -> String {
    let digest = Sha256::digest(format!("{}:{order}", hmis_id(assessment_id)).as_bytes());
    digest[..16]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn flag(value: bool) -> &'static str {
    if value {
        "1"
    } else {
        "0"
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
