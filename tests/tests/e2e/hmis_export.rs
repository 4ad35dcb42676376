//! `GET /v1/exports/hmis-csv` and `threshold export`: a ZIP of the FY2026 HMIS CSV files,
//! every header in the specification's order, one Export row, one ExportID everywhere, IDs
//! of 32 characters, required columns filled, dates and datetimes in their formats, every
//! reference resolving; only enrollments active in the period, deleted ones only on request
//! (with DateDeleted), the caller's organization only; 403 for case managers, 400 for bad
//! queries; a reader that hangs up stops the export, which writes nothing more.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::imports::{read_csv_zip, CsvTable};
use crate::common::*;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;
use threshold_api::hmis::export::FILES;
use threshold_api::hmis::export::{write_zip, ExportRequest};
use threshold_domain::hmis_csv::ColumnType;
use threshold_persistence::export::ExportFilter;
use threshold_persistence::privacy::Sight;
use threshold_tests::{both_backends, Response, Role, TestApp};

/// An export, by file name without `.csv`.
struct Export {
    tables: BTreeMap<String, CsvTable>,
}

impl Export {
    fn read(bytes: &[u8]) -> Export {
        Export {
            tables: read_csv_zip(bytes),
        }
    }

    /// The IDs in `column` of `file` are exactly those of `records`, as exported.
    fn assert_ids(&self, file: &str, column: &str, records: &[&str]) {
        let expected: BTreeSet<String> = records.iter().map(|id| hex(id)).collect();
        assert_eq!(self.table(file).ids(column), expected, "{file}.{column}");
    }

    fn table(&self, name: &str) -> &CsvTable {
        self.tables
            .get(name)
            .unwrap_or_else(|| panic!("no {name}.csv"))
    }

    /// Everything the specification asks of every export.
    fn check_format(&self) {
        let names: BTreeSet<&str> = self.tables.keys().map(String::as_str).collect();
        let expected: BTreeSet<&str> = FILES.iter().map(|file| file.name).collect();
        assert_eq!(names, expected);
        let export = self.table("Export");
        assert_eq!(export.rows.len(), 1, "Export.csv has one row");
        let export_id = export.rows[0]["ExportID"].clone();
        assert_eq!(export.rows[0]["CSVVersion"], "2026 v1.0");
        for file in FILES {
            let table = self.table(file.name);
            let header: Vec<&str> = file.header().collect();
            assert_eq!(table.header, header, "{} header", file.name);
            // HUD's spellings and order, as the FY2026 reference lists them.
            assert_eq!(
                table.header,
                reference_header(file.name),
                "{} header against the FY2026 reference",
                file.name
            );
            for row in &table.rows {
                assert_eq!(row["ExportID"], export_id, "{} ExportID", file.name);
                for column in file.columns {
                    let value = &row[column.name];
                    let place = format!("{}.{} = `{value}`", file.name, column.name);
                    if column.required {
                        assert!(!value.is_empty(), "{place} is required");
                    }
                    if value.is_empty() {
                        continue;
                    }
                    match column.kind {
                        ColumnType::Date => {
                            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                                .unwrap_or_else(|_| panic!("{place} is not a date"));
                            assert_eq!(value.len(), 10, "{place}");
                        }
                        ColumnType::DateTime => {
                            NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S")
                                .unwrap_or_else(|_| panic!("{place} is not a datetime"));
                            assert_eq!(value.len(), 19, "{place}");
                        }
                        ColumnType::Integer(_) => {
                            value
                                .parse::<i64>()
                                .unwrap_or_else(|_| panic!("{place} is not an integer"));
                        }
                        ColumnType::Money => {
                            value
                                .parse::<f64>()
                                .unwrap_or_else(|_| panic!("{place} is not money"));
                        }
                        ColumnType::Text(length) => {
                            assert!(value.chars().count() <= length, "{place} too long");
                        }
                    }
                    if column.name.ends_with("ID")
                        && column.kind == ColumnType::Text(32)
                        && column.name != "GrantID"
                    {
                        assert_eq!(value.len(), 32, "{place}: IDs are 32 characters");
                        assert!(!value.contains('-'), "{place}: no hyphens");
                    }
                }
            }
        }
    }

    /// Every ID a row refers to is in its file.
    fn check_references(&self) {
        let clients = self.table("Client").ids("PersonalID");
        let projects = self.table("Project").ids("ProjectID");
        let organizations = self.table("Organization").ids("OrganizationID");
        let enrollments = self.table("Enrollment").ids("EnrollmentID");
        let users = self.table("User").ids("UserID");
        let assessments = self.table("Assessment").ids("AssessmentID");
        // (file, column, the IDs it must be among)
        let mut references = vec![
            ("Project", "OrganizationID", &organizations),
            ("Funder", "ProjectID", &projects),
            ("Enrollment", "PersonalID", &clients),
            ("Enrollment", "ProjectID", &projects),
            ("AssessmentQuestions", "AssessmentID", &assessments),
        ];
        for file in ["Exit", "Assessment", "AssessmentQuestions", "Services"] {
            references.push((file, "EnrollmentID", &enrollments));
            references.push((file, "PersonalID", &clients));
        }
        for file in FILES {
            if file.position("UserID").is_some() && file.name != "User" {
                references.push((file.name, "UserID", &users));
            }
        }
        for (file, column, within) in references {
            let ids = self.table(file).ids(column);
            assert!(
                ids.is_subset(within),
                "{file}.{column}: {ids:?} not in {within:?}"
            );
        }
    }
}

fn hex(id: &str) -> String {
    id.replace('-', "")
}

fn fetch(app: &TestApp, query: &str, token: &str) -> Response {
    app.get(&format!("/v1/exports/hmis-csv?{query}"), Some(token))
}

fn export_of(app: &TestApp, query: &str, token: &str) -> Export {
    let response = fetch(app, query, token);
    response.assert_status(200);
    assert_eq!(response.header("content-type"), Some("application/zip"));
    let export = Export::read(&response.bytes);
    export.check_format();
    export.check_references();
    export
}

/// An organization with a shelter and a grant, and four stays: `inside` (with an exit,
/// services and an assessment, entered by a user), `before` (exited before the period),
/// `after` (entering after it) and `deleted` (inside the period, deleted).
struct World {
    organization: String,
    program: String,
    user: String,
    inside: String,
    inside_client: String,
    before: String,
    after: String,
    deleted: String,
    assessment: String,
    service: String,
}

fn world(app: &TestApp, name: &str) -> World {
    let organization = create_organization(app, name);
    let program = create_program(app, &organization, json!({}));
    create_grant(app, &program, "2020-01-01", None);
    let user = create_user(app, &organization);
    let user_token = token_for(app, &user, Role::CaseManager, &organization);

    let inside_client = id_of(&create_client_with_as(
        app,
        &user_token,
        json!({
            "first_name": "Ana, \"Annie\"",
            "last_name": "Lee",
            "ssn": "123456789",
            "ssn_data_quality": 1,
            "dob": "1980-01-01",
            "dob_data_quality": 1,
            "race_ethnicity": ["asian", "white"],
        }),
    ));
    let response = post_enrollment(
        app,
        &user_token,
        &inside_client,
        &json!({ "program_id": program, "entry_date": "2024-03-01", "relationship_to_hoh": 1,
                 "prior_living_situation": 116, "disabling_condition": 1 }),
    );
    response.assert_status(201);
    let inside = id_of(&response.body);
    let base = enrollment_path(&inside_client, &inside);
    let service = create_as(
        app,
        &user_token,
        &format!("{base}/services"),
        &json!({ "date_provided": "2024-03-05", "record_type": 144, "type_provided": 1,
                 "fa_amount": 125.5 }),
    );
    let assessments = format!("/v1/clients/{inside_client}/assessments");
    let answered = assessment_with_answers("2024-03-02");
    let assessment = create_as(app, &user_token, &assessments, &answered);
    link_assessment(app, &user_token, &base, &assessment);
    let exit = json!({ "exit_date": "2024-06-30", "destination": 30 });
    exit_as(app, &user_token, &base, &exit);

    let before_client = create_client(app, "Bea");
    let before = id_of(&enroll_head(app, &before_client, &program, "2023-01-01"));
    exit_in_database(app, &before, "2023-12-31");
    let after_client = create_client(app, "Cal");
    let after = id_of(&enroll_head(app, &after_client, &program, "2025-01-01"));
    let deleted_client = create_client(app, "Dee");
    let deleted = id_of(&enroll_head(app, &deleted_client, &program, "2024-02-01"));
    app.delete(
        &enrollment_path(&deleted_client, &deleted),
        Some(&app.admin_token()),
    )
    .assert_status(204);
    World {
        organization,
        program,
        user,
        inside,
        inside_client,
        before,
        after,
        deleted,
        assessment,
        service,
    }
}

const PERIOD: &str = "from=2024-01-01&to=2024-12-31";

/// What [`PERIOD`] asks for, as the export itself takes it.
fn period_filter() -> ExportFilter {
    ExportFilter {
        from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
        sight: Sight::Everything,
        program_id: None,
        include_deleted: false,
    }
}

both_backends!(
    fn exports_the_period_in_fy2026_files(app: &TestApp) {
        let world = world(app, "Harbor Services");
        let response = fetch(app, PERIOD, &app.admin_token());
        assert_eq!(
            response.header("content-disposition"),
            Some("attachment; filename=\"hmis-csv-2024-01-01-2024-12-31.zip\"")
        );
        let export = export_of(app, PERIOD, &app.admin_token());

        let row = &export.table("Export").rows[0];
        assert_eq!(row["ExportStartDate"], "2024-01-01");
        assert_eq!(row["ExportEndDate"], "2024-12-31");
        assert_eq!(
            (row["SourceType"].as_str(), row["ExportPeriodType"].as_str()),
            ("1", "3")
        );
        assert_eq!(
            (row["ExportDirective"].as_str(), row["HashStatus"].as_str()),
            ("2", "1")
        );
        assert_eq!(row["ExportID"].len(), 32);

        let enrollments = export.table("Enrollment");
        export.assert_ids("Enrollment", "EnrollmentID", &[&world.inside]);
        let enrollment = &enrollments.rows[0];
        assert_eq!(enrollment["EntryDate"], "2024-03-01");
        assert_eq!(enrollment["LivingSituation"], "116");
        assert_eq!(enrollment["DisablingCondition"], "1");
        assert_eq!(enrollment["RelationshipToHoH"], "1");
        assert_eq!(enrollment["HouseholdID"].len(), 32);
        assert_eq!(enrollment["UserID"], hex(&world.user));
        assert_eq!(enrollment["DateDeleted"], "");

        let exit = &export.table("Exit").rows;
        assert_eq!(exit.len(), 1);
        assert_eq!(exit[0]["ExitDate"], "2024-06-30");
        assert_eq!(exit[0]["Destination"], "30");

        let client = &export.table("Client").rows;
        assert_eq!(client.len(), 1);
        assert_eq!(client[0]["PersonalID"], hex(&world.inside_client));
        assert_eq!(client[0]["FirstName"], "Ana, \"Annie\"");
        assert_eq!(client[0]["SSN"], "123456789");
        assert_eq!(client[0]["DOB"], "1980-01-01");
        assert_eq!(
            (
                client[0]["Asian"].as_str(),
                client[0]["White"].as_str(),
                client[0]["BlackAfAmerican"].as_str()
            ),
            ("1", "1", "0")
        );

        let services = &export.table("Services").rows;
        assert_eq!(services.len(), 1);
        assert_eq!(services[0]["ServicesID"], hex(&world.service));
        assert_eq!(services[0]["FAAmount"], "125.50");
        assert_eq!(services[0]["DateProvided"], "2024-03-05");

        let assessments = &export.table("Assessment").rows;
        assert_eq!(assessments.len(), 1);
        assert_eq!(assessments[0]["AssessmentID"], hex(&world.assessment));
        let questions = export.table("AssessmentQuestions");
        assert_eq!(
            questions.column("AssessmentQuestion"),
            ["Nights homeless", "Income"]
        );
        assert_eq!(
            questions.column("AssessmentAnswer"),
            ["120", "none, at all"]
        );

        export.assert_ids("Project", "ProjectID", &[&world.program]);
        export.assert_ids("Organization", "OrganizationID", &[&world.organization]);
        assert_eq!(export.table("Funder").rows.len(), 1);
        let users = export.table("User").ids("UserID");
        assert!(users.contains(&hex(&world.user)));

        for left_out in [&world.before, &world.after, &world.deleted] {
            assert!(!enrollments.ids("EnrollmentID").contains(&hex(left_out)));
        }
    }

    fn writes_deleted_records_only_when_asked(app: &TestApp) {
        let world = world(app, "Harbor Services");
        let export = export_of(
            app,
            &format!("{PERIOD}&include_deleted=true"),
            &app.admin_token(),
        );
        let enrollments = export.table("Enrollment");
        export.assert_ids(
            "Enrollment",
            "EnrollmentID",
            &[&world.inside, &world.deleted],
        );
        let deleted = enrollments
            .rows
            .iter()
            .find(|row| row["EnrollmentID"] == hex(&world.deleted))
            .expect("the deleted enrollment");
        assert!(!deleted["DateDeleted"].is_empty());
        let export = export_of(
            app,
            &format!("{PERIOD}&include_deleted=false"),
            &app.admin_token(),
        );
        assert_eq!(export.table("Enrollment").rows.len(), 1);
    }

    fn exports_the_callers_organization_only(app: &TestApp) {
        let ours = world(app, "Harbor Services");
        let theirs = world(app, "Bayside Outreach");
        let token = token_for(app, "sync", Role::Integration, &ours.organization);
        let export = export_of(app, PERIOD, &token);
        export.assert_ids("Enrollment", "EnrollmentID", &[&ours.inside]);
        export.assert_ids("Organization", "OrganizationID", &[&ours.organization]);
        // Another organization's program is outside an integration's scope: nothing.
        let export = export_of(
            app,
            &format!("{PERIOD}&program_id={}", theirs.program),
            &token,
        );
        assert!(export.table("Enrollment").rows.is_empty());
        // An admin picks one program.
        let export = export_of(
            app,
            &format!("{PERIOD}&program_id={}", theirs.program),
            &app.admin_token(),
        );
        export.assert_ids("Enrollment", "EnrollmentID", &[&theirs.inside]);
        let admin = export_of(app, PERIOD, &app.admin_token());
        assert_eq!(admin.table("Enrollment").rows.len(), 2);
    }

    fn refuses_other_roles_and_bad_queries(app: &TestApp) {
        let organization = create_organization(app, "Harbor Services");
        for role in [Role::CaseManager, Role::Viewer] {
            let token = token_for(app, "someone", role, &organization);
            let response = app.get(&format!("/v1/exports/hmis-csv?{PERIOD}"), Some(&token));
            assert_forbidden(&response);
        }
        let admin = app.admin_token();
        let queries = [
            "",
            "from=2024-01-01",
            "to=2024-12-31",
            "from=2024-13-01&to=2024-12-31",
            "from=2024-12-31&to=2024-01-01",
            "from=2024-01-01&to=2024-12-31&program=1",
            "from=2024-01-01&to=2024-12-31&program_id=nope",
            "from=2024-01-01&to=2024-12-31&include_deleted=maybe",
        ];
        assert_malformed_queries(app, &admin, "/v1/exports/hmis-csv", &queries);
        let response = app.get(&format!("/v1/exports/hmis-csv?{PERIOD}"), None);
        assert_unauthenticated(&response);
    }

    fn the_command_writes_the_same_files(app: &TestApp) {
        let world = world(app, "Harbor Services");
        let folder =
            std::env::temp_dir().join(format!("threshold-export-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&folder).expect("a temp folder");
        let out = folder.join("export.zip");
        let filter = period_filter();
        let mut files = Vec::new();
        threshold_api::hmis::export::export_to_file(
            app.database_url(),
            filter,
            &out,
            &mut |progress| {
                if progress.done {
                    files.push((progress.file.to_owned(), progress.rows));
                }
            },
        )
        .expect("the export is written");
        assert_eq!(files.len(), FILES.len());
        assert!(files.contains(&("Enrollment".to_owned(), 1)));
        let export = Export::read(&std::fs::read(&out).expect("the ZIP"));
        export.check_format();
        export.check_references();
        export.assert_ids("Enrollment", "EnrollmentID", &[&world.inside]);
        let _ = std::fs::remove_dir_all(&folder);
    }

    fn a_reader_that_hangs_up_stops_the_export_and_frees_the_connection(app: &TestApp) {
        let world = world(app, "Harbor Services");
        let filter = period_filter();
        let request = ExportRequest::new(filter);
        let mut conn = app.state().db.get().expect("a connection");
        let attempts = Arc::new(AtomicUsize::new(0));
        let reader = HungUp {
            attempts: Arc::clone(&attempts),
        };
        // The archive is written on a thread of its own: its failure is the one reported,
        // the reads stop, and nothing more is written (no central directory after a failure,
        // which would make a cut archive look whole).
        let failed =
            write_zip(&mut conn, &request, reader, &mut |_| {}).expect_err("the export stops");
        assert!(
            failed.to_string().contains("the reader hung up"),
            "{failed}"
        );
        assert_eq!(attempts.load(Ordering::SeqCst), 1);
        // The connection is left as it was: the next export on it is whole.
        let zip = write_zip(&mut conn, &request, Vec::new(), &mut |_| {}).expect("an export");
        let export = Export::read(&zip);
        export.check_format();
        export.assert_ids("Enrollment", "EnrollmentID", &[&world.inside]);
    }
);

/// A reader gone before the first byte, counting the writes tried.
#[derive(Debug)]
struct HungUp {
    attempts: Arc<AtomicUsize>,
}

impl std::io::Write for HungUp {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        Err(std::io::Error::new(
            std::io::ErrorKind::BrokenPipe,
            "the reader hung up",
        ))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A file's header as the HMIS CSV FY2026 reference lists it (file, position, column, type,
/// required), in position order.
fn reference_header(file: &str) -> Vec<&'static str> {
    const REFERENCE: &str = include_str!("../../../domain/hud/csv-columns-fy2026.csv");
    let mut columns: Vec<(u32, &'static str)> = REFERENCE
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let (name, position, column) = (fields.next()?, fields.next()?, fields.next()?);
            (name == file).then(|| (position.parse().expect("a position"), column))
        })
        .collect();
    columns.sort();
    assert!(!columns.is_empty(), "{file} is not in the reference");
    columns.into_iter().map(|(_, column)| column).collect()
}
