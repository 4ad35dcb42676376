//! The HMIS CSV import of files larger than one batch (the writer reads and inserts a
//! thousand records at a time): every record, audit event (a service's creation implied)
//! and source ID written across the batches' edges, a household whose members fall in two
//! batches created once, each new
//! enrollment on its own tick of the change clock, and a bad row in the last batch still
//! failing the whole import. A file of HUD's records is checked and written ten thousand
//! rows at a time: a duplicate ID, a bad row and a row whose enrollment is not imported are
//! found across its parts, in strict and tolerant mode, and a second import of it changes
//! nothing. A job's archive is read back in slices, whole.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::common::create_organization;
use crate::common::imports::{
    file_of, finished, import_and_wait, poll_job_every, post_import, zip_of,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;
use threshold_domain::hmis_csv::fy2026;
use threshold_persistence::ids::ImportJobId;
use threshold_persistence::imports::{self, ImportJobRow};
use threshold_persistence::schema::{
    audit_events, enrollments, households, hud_records, source_ids,
};
use threshold_tests::{both_backends, TestApp};

/// Clients, each with one enrollment and one service: three batches.
const CLIENTS: usize = 2_500;
/// Every third enrollment is exited.
const EXITS: usize = CLIENTS / 3;
/// Households of three: the one of clients 999-1001 spans the first two batches.
const HOUSEHOLDS: usize = CLIENTS.div_ceil(3);
const STAMP: &str = "2024-03-01 10:00:00";

fn csv(header: &str, rows: impl Iterator<Item = String>) -> String {
    let mut text = format!("{header}\r\n");
    for row in rows {
        text.push_str(&row);
        text.push_str("\r\n");
    }
    text
}

/// The archive; the clients at `bad` (0-based) have a DOB that is not a date.
fn archive(bad: &[usize]) -> Vec<u8> {
    let head = |i: usize| i.is_multiple_of(3);
    let files = vec![
        ("Export.csv", csv(
            "ExportID,SourceType,SourceID,SourceName,ExportDate,ExportStartDate,ExportEndDate,SoftwareName,CSVVersion,ExportPeriodType,ExportDirective,HashStatus,ImplementationID",
            std::iter::once(format!("X1,3,batches,Batches,{STAMP},2024-01-01,2024-12-31,Other,2026 v1.0,3,2,1,impl")),
        )),
        ("Organization.csv", csv(
            "OrganizationID,OrganizationName,VictimServiceProvider,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            std::iter::once(format!("O-1,Harbor,0,{STAMP},{STAMP},U-1,,X1")),
        )),
        ("User.csv", csv(
            "UserID,UserFirstName,UserLastName,UserEmail,DateCreated,DateUpdated,DateDeleted,ExportID",
            std::iter::once(format!("U-1,Dana,Reyes,dana@example.org,{STAMP},{STAMP},,X1")),
        )),
        ("Project.csv", csv(
            "ProjectID,OrganizationID,ProjectName,OperatingStartDate,OperatingEndDate,ContinuumProject,ProjectType,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            std::iter::once(format!("P-1,O-1,Harbor Shelter,2020-01-01,,1,0,{STAMP},{STAMP},U-1,,X1")),
        )),
        ("Client.csv", csv(
            "PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinao,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            (0..CLIENTS).map(|i| {
                let dob = match (bad.contains(&i), head(i)) {
                    (true, _) => "not-a-date",
                    (false, true) => "1980-01-01",
                    (false, false) => "2010-05-05",
                };
                format!("C-{i},Client{i},,Lopez,,1,,99,{dob},1,0,0,0,0,1,0,0,1,,,0,{STAMP},{STAMP},U-1,,X1")
            }),
        )),
        ("Enrollment.csv", csv(
            "EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,EnrollmentCoC,LivingSituation,LengthOfStay,DisablingCondition,MoveInDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            (0..CLIENTS).map(|i| {
                let relationship = if head(i) { 1 } else { 2 };
                format!("E-{i},C-{i},P-1,2024-01-15,H-{},{relationship},XX-500,101,2,0,,{STAMP},{STAMP},U-1,,X1", i / 3)
            }),
        )),
        ("Exit.csv", csv(
            "ExitID,EnrollmentID,PersonalID,ExitDate,Destination,DestinationSubsidyType,OtherDestination,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            (0..CLIENTS).filter(|i| i % 3 == 2).map(|i| {
                format!("X-{i},E-{i},C-{i},2024-02-01,410,,,{STAMP},{STAMP},U-1,,X1")
            }),
        )),
        ("Services.csv", csv(
            "ServicesID,EnrollmentID,PersonalID,DateProvided,RecordType,TypeProvided,OtherTypeProvided,FAAmount,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            (0..CLIENTS).map(|i| {
                format!("S-{i},E-{i},C-{i},2024-01-20,141,1,,,{STAMP},{STAMP},U-1,,X1")
            }),
        )),
    ];
    zip_of(&files)
}

/// Disabilities recorded at project start for each client: five each, 12,500 rows, two parts
/// of the file (rows are checked and written ten thousand at a time).
const DISABILITY_TYPES: [&str; 5] = ["5", "6", "7", "9", "10"];

/// The archive with Disabilities.csv: the clients at `bad` have a DOB that is not a date;
/// the row at `bad_row` (0-based) an InformationDate that is not one, and the row at
/// `duplicate.1` the DisabilitiesID of the row at `duplicate.0`.
fn archive_with_disabilities(bad: &[usize], bad_row: usize, duplicate: (usize, usize)) -> Vec<u8> {
    let mut rows: Vec<Vec<(&str, String)>> = Vec::new();
    for client in 0..CLIENTS {
        for kind in DISABILITY_TYPES {
            let at = rows.len();
            let id = match at == duplicate.1 {
                true => format!("D-{}", duplicate.0),
                false => format!("D-{at}"),
            };
            let date = match at == bad_row {
                true => "2024-13-40".to_owned(),
                false => "2024-01-15".to_owned(),
            };
            rows.push(vec![
                ("DisabilitiesID", id),
                ("EnrollmentID", format!("E-{client}")),
                ("PersonalID", format!("C-{client}")),
                ("InformationDate", date),
                ("DisabilityType", kind.to_owned()),
                ("DisabilityResponse", "1".to_owned()),
                ("IndefiniteAndImpairs", "1".to_owned()),
                ("DataCollectionStage", "1".to_owned()),
            ]);
        }
    }
    let rows: Vec<Vec<(&str, &str)>> = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|(name, value)| (*name, value.as_str()))
                .collect()
        })
        .collect();
    let rows: Vec<&[(&str, &str)]> = rows.iter().map(Vec::as_slice).collect();
    let mut files = zip::ZipArchive::new(std::io::Cursor::new(archive(bad)))
        .map(|mut zip| {
            (0..zip.len())
                .map(|index| {
                    let mut entry = zip.by_index(index).expect("an entry");
                    let mut text = String::new();
                    std::io::Read::read_to_string(&mut entry, &mut text).expect("its text");
                    (
                        entry.name().expect("a name").into_owned().leak() as &str,
                        text,
                    )
                })
                .collect::<Vec<_>>()
        })
        .expect("the archive");
    files.push(file_of(&fy2026::DISABILITIES, &rows));
    zip_of(&files)
}

/// Imports `zip` in `mode` as an admin, waiting for its job; answers it.
fn import_in(app: &TestApp, organization_id: &str, zip: Vec<u8>, mode: &str) -> Value {
    let query = format!("?organization_id={organization_id}&mode={mode}");
    let response = post_import(app, &app.admin_token(), &query, zip);
    response.assert_status(202);
    let job = response.header("location").expect("a Location").to_owned();
    poll_job_every(
        app,
        &job,
        Duration::from_secs(180),
        Duration::from_millis(100),
        finished,
    )
}

/// `(file, line, column, code, caused_by line)` of a job's problems that are errors.
fn errors_of(job: &Value) -> Vec<(String, u64, String, String, Option<u64>)> {
    job["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter(|problem| problem["severity"] == "error")
        .map(|problem| {
            (
                problem["file"].as_str().unwrap_or("").to_owned(),
                problem["line"].as_u64().unwrap_or(0),
                problem["column"].as_str().unwrap_or("").to_owned(),
                problem["code"].as_str().unwrap_or("").to_owned(),
                problem["caused_by"]["line"].as_u64(),
            )
        })
        .collect()
}

fn stored_disabilities(app: &TestApp) -> i64 {
    let mut conn = app.state().db.get().expect("a connection");
    hud_records::table
        .filter(hud_records::collection.eq("disabilities"))
        .count()
        .get_result(&mut conn)
        .expect("a count")
}

/// Imports the archive as an admin (waiting at most 180 s); answers the job.
fn import(app: &TestApp, organization_id: &str, zip: Vec<u8>) -> Value {
    import_and_wait(app, organization_id, zip, Duration::from_secs(180))
}

fn created(job: &Value, file: &str) -> u64 {
    job["counts"][file]["created"].as_u64().unwrap_or(0)
}

/// Audit events of an entity type, and how many of them name `organization` (`None`: no
/// organization, admins only).
fn events(app: &TestApp, entity: &str, organization: Option<&str>) -> (i64, i64) {
    let mut conn = app.state().db.get().expect("a connection");
    let all: i64 = audit_events::table
        .filter(audit_events::entity_type.eq(entity))
        .count()
        .get_result(&mut conn)
        .expect("a count");
    let of_entity = audit_events::table
        .filter(audit_events::entity_type.eq(entity))
        .into_boxed();
    let named: i64 = match organization {
        Some(organization) => of_entity.filter(audit_events::organization_id.eq(organization)),
        None => of_entity.filter(audit_events::organization_id.is_null()),
    }
    .count()
    .get_result(&mut conn)
    .expect("a count");
    (all, named)
}

fn source_id_count(app: &TestApp, entity: &str) -> i64 {
    let mut conn = app.state().db.get().expect("a connection");
    source_ids::table
        .filter(source_ids::entity.eq(entity))
        .count()
        .get_result(&mut conn)
        .expect("a count")
}

both_backends!(
    fn a_file_of_several_batches_is_written_whole(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let job = import(app, &organization, archive(&[]));
        assert_eq!(job["status"], "succeeded", "{job}");
        for (file, expected) in [
            ("Client.csv", CLIENTS),
            ("Enrollment.csv", CLIENTS),
            ("Exit.csv", EXITS),
            ("Services.csv", CLIENTS),
        ] {
            assert_eq!(created(&job, file), expected as u64, "{file}: {job}");
        }

        let mut conn = app.state().db.get().expect("a connection");
        let stamps: Vec<NaiveDateTime> = enrollments::table
            .select(enrollments::updated_at)
            .load(&mut conn)
            .expect("the enrollments");
        assert_eq!(stamps.len(), CLIENTS);
        let distinct: BTreeSet<NaiveDateTime> = stamps.iter().copied().collect();
        assert_eq!(distinct.len(), CLIENTS, "each enrollment on its own tick");
        let exited: i64 = enrollments::table
            .filter(enrollments::exit_date.is_not_null())
            .count()
            .get_result(&mut conn)
            .expect("a count");
        assert_eq!(exited, EXITS as i64);
        let household_count: i64 = households::table
            .count()
            .get_result(&mut conn)
            .expect("a count");
        assert_eq!(household_count, HOUSEHOLDS as i64);
        let members: Vec<String> = source_ids::table
            .filter(source_ids::entity.eq("enrollment"))
            .filter(source_ids::source_id.eq_any(["E-999", "E-1000", "E-1001"]))
            .select(source_ids::record_id)
            .load(&mut conn)
            .expect("the source IDs");
        let spanning: Vec<String> = enrollments::table
            .filter(enrollments::id.eq_any(&members))
            .select(enrollments::household_id)
            .load(&mut conn)
            .expect("the household's enrollments");
        assert_eq!(spanning.len(), 3);
        assert!(spanning.iter().all(|id| *id == spanning[0]), "{spanning:?}");

        let rows = CLIENTS as i64;
        let households = HOUSEHOLDS as i64;
        // The creations of what an import creates are left implied (the trail makes each
        // from its record when asked for it): none is stored.
        for entity in ["client", "enrollment", "service", "household"] {
            assert_eq!(events(app, entity, None), (0, 0), "{entity}");
        }
        for (entity, first, last) in [
            ("client", "C-0", "C-2499"),
            ("enrollment", "E-0", "E-2499"),
            ("service", "S-0", "S-2499"),
        ] {
            let records: Vec<String> = source_ids::table
                .filter(source_ids::entity.eq(entity))
                .filter(source_ids::source_id.eq_any([first, last]))
                .select(source_ids::record_id)
                .load(&mut conn)
                .expect("the source IDs");
            assert_eq!(records.len(), 2, "{entity}");
            for record in records {
                let trail = app.get(
                    &format!("/v1/audit-events?entity_type={entity}&entity_id={record}"),
                    Some(&app.admin_token()),
                );
                trail.assert_status(200);
                assert_eq!(trail.body["data"].as_array().map(Vec::len), Some(1));
                let created = &trail.body["data"][0];
                assert_eq!(created["action"], "create", "{}", trail.describe());
                assert_eq!(created["changes"]["id"]["new"], record.as_str());
            }
        }
        for (entity, expected) in [
            ("client", rows),
            ("enrollment", rows),
            ("service", rows),
            ("household", households),
            ("exit", EXITS as i64),
        ] {
            assert_eq!(source_id_count(app, entity), expected, "{entity}");
        }
        let unseen: i64 = source_ids::table
            .filter(source_ids::entity.eq_any(["client", "enrollment", "service"]))
            .filter(source_ids::source_updated_at.is_null())
            .count()
            .get_result(&mut conn)
            .expect("a count");
        assert_eq!(unseen, 0, "every record's source version is remembered");

        let all_events = || -> i64 {
            let mut conn = app.state().db.get().expect("a connection");
            audit_events::table
                .count()
                .get_result(&mut conn)
                .expect("a count")
        };
        let before = all_events();
        let again = import(app, &organization, archive(&[]));
        assert_eq!(again["status"], "succeeded", "{again}");
        for (file, counts) in again["counts"].as_object().expect("counts") {
            assert_eq!(counts["created"], 0, "{file}: {again}");
            assert_eq!(counts["updated"], 0, "{file}: {again}");
            assert_eq!(counts["deleted"], 0, "{file}: {again}");
        }
        // Only the second job's own event.
        assert_eq!(all_events(), before + 1);
    }
);

both_backends!(
    fn a_bad_row_in_the_last_batch_fails_the_whole_import(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let job = import(app, &organization, archive(&[3, 2_400]));
        assert_eq!(job["status"], "failed", "{job}");
        let lines: Vec<(String, u64)> = job["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|error| {
                (
                    error["file"].as_str().unwrap_or("").to_owned(),
                    error["line"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert!(lines.contains(&("Client.csv".into(), 5)), "{job}");
        assert!(lines.contains(&("Client.csv".into(), 2_402)), "{job}");
        let mut conn = app.state().db.get().expect("a connection");
        let stored: i64 = enrollments::table
            .count()
            .get_result(&mut conn)
            .expect("a count");
        assert_eq!(stored, 0, "nothing is written");
        assert_eq!(source_id_count(app, "client"), 0);
    }
);

both_backends!(
    fn an_archive_of_several_slices_reads_back_whole(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        // Five slices of 2 MiB and a bit (read), three of 4 MiB (stored), every byte value,
        // no run to compress.
        let archive: Vec<u8> = (0..(10 * 1024 * 1024 + 7_u32))
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut conn = app.state().db.get().expect("a connection");
        let at = chrono::Utc::now().naive_utc();
        let job = |id: ImportJobId, archive: Vec<u8>| ImportJobRow {
            id,
            // Never run by the worker: it takes queued jobs only.
            status: "failed".into(),
            dry_run: true,
            organization_id: organization.parse().expect("an organization ID"),
            created_by: "test-admin".into(),
            created_at: at,
            started_at: None,
            finished_at: Some(at),
            counts: "{}".into(),
            errors: "[]".into(),
            source: None,
            archive,
            ignored: "[]".into(),
            mode: "strict".into(),
            max_skipped_percent: 5,
        };
        let id = ImportJobId::new();
        imports::insert_job(&mut conn, &job(id, archive.clone())).expect("the job is stored");
        let read = imports::archive(&mut conn, id).expect("the archive");
        assert_eq!(read.len(), archive.len());
        assert!(read == archive, "the archive read back differs");
        // Stored a slice at a time (six rows of import_archive_slices), as the API stores an
        // upload.
        let stored = ImportJobId::new();
        imports::insert_job(&mut conn, &job(stored, Vec::new())).expect("the job is stored");
        imports::store_archive(&mut conn, stored, &archive).expect("the archive is stored");
        let read = imports::archive(&mut conn, stored).expect("the archive");
        assert_eq!(read.len(), archive.len());
        assert!(
            read == archive,
            "the archive stored in slices reads back otherwise"
        );
        assert!(imports::archive(&mut conn, ImportJobId::new())
            .expect("no archive")
            .is_empty());
    }
);

both_backends!(
    fn a_file_of_hud_records_in_several_parts_is_checked_across_them(app: &TestApp) {
        let rows = CLIENTS * DISABILITY_TYPES.len();
        // Row 10,500 (line 10,502) is in the second part, as is the duplicate of row 3.
        let line = |row: usize| row as u64 + 2;
        let strict = create_organization(app, "Strict");
        let job = import_in(
            app,
            &strict,
            archive_with_disabilities(&[], 10_500, (3, 12_000)),
            "strict",
        );
        assert_eq!(job["status"], "failed", "{job}");
        assert_eq!(
            errors_of(&job),
            [
                (
                    "Disabilities.csv".into(),
                    line(10_500),
                    "InformationDate".into(),
                    "import.not_date".into(),
                    None
                ),
                (
                    "Disabilities.csv".into(),
                    line(12_000),
                    "DisabilitiesID".into(),
                    "import.duplicate".into(),
                    None
                ),
            ],
            "{job}"
        );
        assert_eq!(stored_disabilities(app), 0, "the first part is rolled back");
        let mut conn = app.state().db.get().expect("a connection");
        let stored: i64 = enrollments::table
            .count()
            .get_result(&mut conn)
            .expect("a count");
        assert_eq!(stored, 0, "nothing is written");
        drop(conn);

        // Tolerant: client 2,300's DOB is bad, so its enrollment is not imported, nor are
        // its five disabilities (rows 11,500-11,504, in the second part).
        let tolerant = create_organization(app, "Tolerant");
        let zip = archive_with_disabilities(&[2_300], 10_500, (3, 12_000));
        let job = import_in(app, &tolerant, zip.clone(), "tolerant");
        assert_eq!(job["status"], "succeeded", "{job}");
        let disabilities: Vec<_> = errors_of(&job)
            .into_iter()
            .filter(|problem| problem.0 == "Disabilities.csv")
            .collect();
        let mut expected = vec![(
            "Disabilities.csv".to_owned(),
            line(10_500),
            "InformationDate".to_owned(),
            "import.not_date".to_owned(),
            None,
        )];
        for row in 11_500..11_505 {
            expected.push((
                "Disabilities.csv".into(),
                line(row),
                "EnrollmentID".into(),
                "import.depends_on_refused".into(),
                // Enrollment.csv's row of client 2,300.
                Some(2_302),
            ));
        }
        expected.push((
            "Disabilities.csv".into(),
            line(12_000),
            "DisabilitiesID".into(),
            "import.duplicate".into(),
            None,
        ));
        assert_eq!(disabilities, expected, "{job}");
        let counts = &job["counts"]["Disabilities.csv"];
        assert_eq!(counts["skipped"], 7, "{job}");
        assert_eq!(counts["created"].as_u64(), Some(rows as u64 - 7), "{job}");
        assert_eq!(stored_disabilities(app), rows as i64 - 7);
        assert_eq!(source_id_count(app, "disability"), rows as i64 - 7);

        // The same archive again: every ID of the file is looked up, a part at a time.
        let job = import_in(app, &tolerant, zip, "tolerant");
        assert_eq!(job["status"], "succeeded", "{job}");
        let counts = &job["counts"]["Disabilities.csv"];
        assert_eq!(counts["created"], 0, "{job}");
        assert_eq!(counts["unchanged"].as_u64(), Some(rows as u64 - 7), "{job}");
        assert_eq!(stored_disabilities(app), rows as i64 - 7);
    }
);
