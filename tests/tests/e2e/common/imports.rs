//! HMIS CSV imports as the fault and multi-server tests drive them: a large archive, its
//! job queued and polled, every table's rows counted, and whether a write is under way.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::thread;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::Value;
use threshold_domain::hmis_csv::CsvFile;
use threshold_persistence::DbConnection;
use threshold_tests::{Backend, Response, TestApp};

/// Lines joined with CRLF, the first one after a byte order mark.
pub fn csv<S: AsRef<str>>(lines: &[S]) -> String {
    let lines: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
    format!("\u{FEFF}{}\r\n", lines.join("\r\n"))
}

/// A row of `file` with these columns' values (by HUD name), the bookkeeping filled in.
pub fn row_of(file: &CsvFile, values: &[(&str, &str)]) -> String {
    file.columns
        .iter()
        .map(|column| {
            let value = values
                .iter()
                .find(|(name, _)| *name == column.name)
                .map(|(_, value)| (*value).to_owned());
            value.unwrap_or_else(|| match column.name {
                "DateCreated" | "DateUpdated" => "2024-03-01 10:00:00".to_owned(),
                "UserID" => "U-1".to_owned(),
                "ExportID" => "X1".to_owned(),
                _ => String::new(),
            })
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `Client.csv` for the file `Client`, as the archives' entries are named.
pub fn name_of(file: &CsvFile) -> &'static str {
    file.file_name().leak()
}

/// `file` as another system writes it: every FY2026 column, in the specifications' order.
pub fn file_of(file: &'static CsvFile, rows: &[&[(&str, &str)]]) -> (&'static str, String) {
    let mut lines = vec![file.header().collect::<Vec<_>>().join(",")];
    lines.extend(rows.iter().map(|values| row_of(file, values)));
    (name_of(file), csv(&lines))
}

/// A ZIP of `(name, content)` entries.
pub fn zip_of(files: &[(&str, String)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in files {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("a zip entry");
        writer.write_all(content.as_bytes()).expect("zip content");
    }
    writer.finish().expect("a finished zip").into_inner()
}

/// An HMIS CSV archive (FY2026) of `count` clients, each the head of a household of their
/// own in one emergency shelter.
pub fn large_archive(count: usize) -> Vec<u8> {
    archive_of_clients(count, false)
}

/// [`large_archive`] with a service (Services.csv) for each enrollment, `S-<index>`.
pub fn archive_with_services(count: usize) -> Vec<u8> {
    archive_of_clients(count, true)
}

fn archive_of_clients(count: usize, with_services: bool) -> Vec<u8> {
    const STAMP: &str = "2024-03-01 10:00:00";
    let mut clients = vec!["PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinao,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned()];
    let mut enrollments = vec!["EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,EnrollmentCoC,LivingSituation,LengthOfStay,DisablingCondition,MoveInDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned()];
    for index in 0..count {
        clients.push(format!(
            "C-{index},Client{index},,Lopez,,1,,99,1980-01-01,1,0,0,0,0,1,0,0,0,,,0,{STAMP},{STAMP},U-1,,X1"
        ));
        enrollments.push(format!(
            "E-{index},C-{index},P-1,2024-01-15,H-{index},1,XX-500,101,2,0,,{STAMP},{STAMP},U-1,,X1"
        ));
    }
    let files = [
        ("Export.csv", vec![
            "ExportID,SourceType,SourceID,SourceName,ExportDate,ExportStartDate,ExportEndDate,SoftwareName,CSVVersion,ExportPeriodType,ExportDirective,HashStatus,ImplementationID".to_owned(),
            format!("X1,3,faults,Source faults,{STAMP},2024-01-01,2024-12-31,Other,2026 v1.0,3,2,1,impl"),
        ]),
        ("Organization.csv", vec![
            "OrganizationID,OrganizationName,VictimServiceProvider,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned(),
            format!("O-1,Harbor,0,{STAMP},{STAMP},U-1,,X1"),
        ]),
        ("User.csv", vec![
            "UserID,UserFirstName,UserLastName,UserEmail,DateCreated,DateUpdated,DateDeleted,ExportID".to_owned(),
            format!("U-1,Dana,Reyes,dana@example.org,{STAMP},{STAMP},,X1"),
        ]),
        ("Project.csv", vec![
            "ProjectID,OrganizationID,ProjectName,OperatingStartDate,OperatingEndDate,ContinuumProject,ProjectType,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned(),
            format!("P-1,O-1,Harbor Shelter,2020-01-01,,1,0,{STAMP},{STAMP},U-1,,X1"),
        ]),
        ("Funder.csv", vec![
            "FunderID,ProjectID,Funder,OtherFunder,GrantID,StartDate,EndDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned(),
            format!("F-1,P-1,2,,CA0001,2020-01-01,,{STAMP},{STAMP},U-1,,X1"),
        ]),
        ("Client.csv", clients),
        ("Enrollment.csv", enrollments),
    ];
    let mut files: Vec<(&str, String)> = files
        .into_iter()
        .map(|(name, lines)| (name, csv(&lines)))
        .collect();
    if with_services {
        let mut services = vec!["ServicesID,EnrollmentID,PersonalID,DateProvided,RecordType,TypeProvided,OtherTypeProvided,FAAmount,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned()];
        services.extend((0..count).map(|index| {
            format!("S-{index},E-{index},C-{index},2024-01-20,141,1,,,{STAMP},{STAMP},U-1,,X1")
        }));
        files.push(("Services.csv", csv(&services)));
    }
    zip_of(&files)
}

/// POSTs `archive` as a ZIP to `/v1/imports/hmis-csv` with `query` (`""` for none), as
/// `token`.
pub fn post_import(app: &TestApp, token: &str, query: &str, archive: Vec<u8>) -> Response {
    app.request("POST", &format!("/v1/imports/hmis-csv{query}"))
        .token(Some(token))
        .header("Content-Type", "application/zip")
        .body(archive)
        .send()
}

/// One CSV file of an archive: its header, and its rows by column name.
pub struct CsvTable {
    pub header: Vec<String>,
    pub rows: Vec<BTreeMap<String, String>>,
}

impl CsvTable {
    /// Every row's value in the column `name`.
    pub fn column(&self, name: &str) -> Vec<String> {
        self.rows.iter().map(|row| row[name].clone()).collect()
    }

    /// The values in the column `name`, each once.
    pub fn ids(&self, name: &str) -> BTreeSet<String> {
        self.column(name).into_iter().collect()
    }
}

/// The CSV files of a ZIP (an export), by name without `.csv`: each must be at the root of
/// the archive, UTF-8, with a header, and every row as long as the header.
pub fn read_csv_zip(bytes: &[u8]) -> BTreeMap<String, CsvTable> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    let mut tables = BTreeMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("an entry");
        let name = entry.name().expect("a UTF-8 name").to_string();
        assert!(!name.contains('/'), "{name} is not at the root");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 CSV");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("a header row")
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader
            .records()
            .map(|record| {
                let record = record.expect("a CSV record");
                assert_eq!(record.len(), header.len(), "{name}: a short row");
                header
                    .iter()
                    .cloned()
                    .zip(record.iter().map(str::to_owned))
                    .collect()
            })
            .collect();
        let file = name.strip_suffix(".csv").expect("a .csv file").to_owned();
        tables.insert(file, CsvTable { header, rows });
    }
    tables
}

/// Queues an import of `archive` into `organization` as an admin; answers the job's path.
pub fn queue_import(app: &TestApp, organization: &str, archive: Vec<u8>) -> String {
    let query = format!("?organization_id={organization}");
    let response = post_import(app, &app.admin_token(), &query, archive);
    response.assert_status(202);
    response.header("location").expect("a Location").to_owned()
}

/// Imports `archive` into `organization` as an admin and waits (at most `within`) until the
/// job has succeeded or failed; answers the job.
pub fn import_and_wait(
    app: &TestApp,
    organization: &str,
    archive: Vec<u8>,
    within: Duration,
) -> Value {
    let job = queue_import(app, organization, archive);
    poll_job_every(app, &job, within, Duration::from_millis(100), finished)
}

/// Polls the job every 10 ms until `done` says so of it (at most `within`); answers it.
pub fn poll_job(
    app: &TestApp,
    path: &str,
    within: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    poll_job_every(app, path, within, Duration::from_millis(10), done)
}

/// Polls the job every `pause` until `done` says so of it (at most `within`); answers it.
pub fn poll_job_every(
    app: &TestApp,
    path: &str,
    within: Duration,
    pause: Duration,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + within;
    loop {
        let job = app.get(path, Some(&app.admin_token()));
        job.assert_status(200);
        if done(&job.body) {
            return job.body;
        }
        assert!(
            Instant::now() < deadline,
            "the job did not get there within {within:?}: {}",
            job.describe()
        );
        thread::sleep(pause);
    }
}

/// Queues an import of [`IMPORTED_CLIENTS`] clients into `organization` and waits until a
/// worker has taken it up; answers the job's path.
pub fn start_large_import(app: &TestApp, organization: &str) -> String {
    let job = queue_import(app, organization, large_archive(IMPORTED_CLIENTS));
    poll_job(app, &job, Duration::from_secs(30), |job| {
        job["status"] != "queued"
    });
    job
}

/// The job a killed server left behind, once it is done: failed as interrupted, and the
/// database holds what it held `before` the import (`row_counts` as seen by `app`).
pub fn assert_failed_as_interrupted(app: &TestApp, job: &str, before: &BTreeMap<String, i64>) {
    let failed = poll_job(app, job, Duration::from_secs(30), finished);
    assert_eq!(failed["status"], "failed", "{failed}");
    let reason = failed["errors"][0]["reason"].as_str().unwrap_or("");
    assert!(reason.contains("interrupted"), "{failed}");
    // Source IDs and audit events included: nothing of it is remembered.
    assert_eq!(
        &row_counts(app),
        before,
        "the killed import left records behind"
    );
}

pub fn finished(job: &Value) -> bool {
    matches!(job["status"].as_str(), Some("succeeded" | "failed"))
}

#[derive(QueryableByName)]
pub struct Count {
    #[diesel(sql_type = BigInt)]
    pub count: i64,
}

#[derive(QueryableByName)]
pub struct TableName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
}

/// Rows per table, every table but the import jobs' own and the migrations'.
pub fn row_counts(app: &TestApp) -> BTreeMap<String, i64> {
    let mut conn = app.state().db.get().expect("a connection");
    let tables_sql = match &*conn {
        DbConnection::Sqlite(_) => "SELECT name FROM sqlite_master WHERE type = 'table'",
        DbConnection::Postgresql(_) => {
            "SELECT table_name AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
    };
    let tables: Vec<TableName> = diesel::sql_query(tables_sql)
        .load(&mut *conn)
        .expect("the tables");
    tables
        .into_iter()
        .map(|table| table.name)
        .filter(|name| {
            !["import_jobs", "import_archive_slices"].contains(&name.as_str())
                && !name.starts_with("__diesel")
        })
        .map(|name| {
            let count: Count = diesel::sql_query(format!("SELECT COUNT(*) AS count FROM {name}"))
                .get_result(&mut *conn)
                .expect("a count");
            (name, count.count)
        })
        .collect()
}

/// Whether a transaction is writing now, seen from another connection: on PostgreSQL, a
/// session of the database whose transaction has written (it has a transaction id); on
/// SQLite, the write lock being taken.
pub fn a_write_is_under_way(app: &TestApp) -> bool {
    match app.backend() {
        Backend::Postgres => {
            let mut conn = app.state().db.get().expect("a connection");
            let count: Count = diesel::sql_query(
                "SELECT COUNT(*) AS count FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid() \
                 AND backend_xid IS NOT NULL",
            )
            .get_result(&mut *conn)
            .expect("the sessions");
            count.count > 0
        }
        Backend::Sqlite => {
            let path = app.database_url().trim_start_matches("sqlite://");
            let mut conn = diesel::SqliteConnection::establish(path).expect("a connection");
            conn.batch_execute("PRAGMA busy_timeout = 0").unwrap();
            match conn.batch_execute("BEGIN IMMEDIATE") {
                Ok(()) => {
                    conn.batch_execute("ROLLBACK").unwrap();
                    false
                }
                Err(_) => true,
            }
        }
    }
}

/// How many clients the killed import carries: enough that its writing lasts seconds, even
/// written in batches of a thousand (1,200 took a second in all, too short to catch it).
pub const IMPORTED_CLIENTS: usize = 12_000;
