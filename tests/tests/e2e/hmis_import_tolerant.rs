//! Imports in tolerant mode (contract: "Imports from other systems"): an archive written the
//! way other systems write them, with history a live form would refuse, blanks where HUD
//! wants codes and rows that cannot be read. Strict refuses it whole; tolerant keeps what
//! can be read, skips the rest with what depends on it (saying which row caused it), reads
//! blank codes as 99 and flags the rule breaks, and a case manager mends a flagged
//! household through the API.

use std::time::Duration;

use crate::common::imports::{self, file_of, poll_job_every, post_import, zip_of};
use crate::common::{create_organization, enrollments_path, id_of, patch_if};
use serde_json::{json, Value};
use threshold_domain::hmis_csv::fy2026;
use threshold_tests::{both_backends, TestApp};

/// Polls the job queued by importing `files` with `query` until it is done.
fn import(app: &TestApp, query: &str, files: &[(&str, String)]) -> Value {
    let queued = post_import(app, &app.admin_token(), query, zip_of(files));
    queued.assert_status(202);
    let location = queued.header("location").expect("a Location").to_owned();
    poll_job_every(
        app,
        &location,
        Duration::from_secs(60),
        Duration::from_millis(100),
        imports::finished,
    )
}

fn client(
    id: &'static str,
    last: &'static str,
    name_quality: &'static str,
    dob: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("PersonalID", id),
        ("FirstName", "Sam"),
        ("LastName", last),
        ("NameDataQuality", name_quality),
        ("SSNDataQuality", "99"),
        ("DOB", dob),
        ("DOBDataQuality", "1"),
        ("Sex", "0"),
        ("White", "1"),
        ("VeteranStatus", "0"),
    ]
}

/// `(EnrollmentID, PersonalID, ProjectID, HouseholdID, RelationshipToHoH, EntryDate,
/// MoveInDate)`.
type Stay = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

fn enrollment(stay: Stay) -> Vec<(&'static str, &'static str)> {
    let (id, client, project, household, relationship, entry, move_in) = stay;
    vec![
        ("EnrollmentID", id),
        ("PersonalID", client),
        ("ProjectID", project),
        ("EntryDate", entry),
        ("HouseholdID", household),
        ("RelationshipToHoH", relationship),
        ("EnrollmentCoC", "XX-500"),
        ("LivingSituation", "101"),
        ("DisablingCondition", "0"),
        ("MoveInDate", move_in),
    ]
}

/// The archive: a shelter (P-1) and a rapid re-housing program (P-2) of another system.
///
/// - C-1's shelter stay E-1 has a move-in date (a shelter records none): flagged;
/// - C-2's NameDataQuality is blank: read as 99, with a warning;
/// - C-3 has two overlapping shelter stays, E-3 (exited) and E-3B: E-3B flagged;
/// - H-4 has two heads, E-4 and E-5: E-5 flagged;
/// - C-6's date of birth cannot be read: C-6 is skipped, with its enrollment E-6 and E-6's
///   service S-6 (each saying which row caused it);
/// - E-3's exit has no destination: read as 99, with a warning.
pub(crate) fn archive() -> Vec<(&'static str, String)> {
    let stamp = "2024-06-01 10:00:00";
    let export = [
        ("ExportID", "X1"),
        ("SourceType", "3"),
        ("SourceID", "other-hmis"),
        ("SourceName", "Other HMIS"),
        ("ExportDate", stamp),
        ("ExportStartDate", "2024-01-01"),
        ("ExportEndDate", "2024-12-31"),
        ("SoftwareName", "Other"),
        ("CSVVersion", "2026 v1.0"),
        ("ExportPeriodType", "3"),
        ("ExportDirective", "2"),
        ("HashStatus", "1"),
    ];
    let organization = [
        ("OrganizationID", "O-1"),
        ("OrganizationName", "Harbor"),
        ("VictimServiceProvider", "0"),
    ];
    let user = [
        ("UserID", "U-1"),
        ("UserFirstName", "Dana"),
        ("UserLastName", "Reyes"),
    ];
    let project = |id, name, kind| {
        vec![
            ("ProjectID", id),
            ("OrganizationID", "O-1"),
            ("ProjectName", name),
            ("OperatingStartDate", "2020-01-01"),
            ("ContinuumProject", "1"),
            ("ProjectType", kind),
        ]
    };
    let stays: [Stay; 7] = [
        ("E-1", "C-1", "P-1", "H-1", "1", "2024-01-10", "2024-01-12"),
        ("E-2", "C-2", "P-1", "H-2", "1", "2024-01-10", ""),
        ("E-3", "C-3", "P-1", "H-3", "1", "2024-01-05", ""),
        ("E-3B", "C-3", "P-1", "H-3B", "1", "2024-01-20", ""),
        ("E-4", "C-4", "P-2", "H-4", "1", "2024-02-01", ""),
        ("E-5", "C-5", "P-2", "H-4", "1", "2024-02-01", ""),
        ("E-6", "C-6", "P-1", "H-6", "1", "2024-02-01", ""),
    ];
    let exit = [
        ("ExitID", "X-3"),
        ("EnrollmentID", "E-3"),
        ("PersonalID", "C-3"),
        ("ExitDate", "2024-02-15"),
    ];
    let service = [
        ("ServicesID", "S-6"),
        ("EnrollmentID", "E-6"),
        ("PersonalID", "C-6"),
        ("DateProvided", "2024-02-02"),
        ("RecordType", "200"),
        ("TypeProvided", "200"),
    ];
    let mut enrollments: Vec<Vec<(&str, &str)>> = stays.into_iter().map(enrollment).collect();
    // E-2 was recorded the day after its entry (timely); the others on 2024-03-01 (late).
    enrollments[1].push(("DateCreated", "2024-01-11 09:00:00"));
    let enrollment_rows: Vec<&[(&str, &str)]> = enrollments.iter().map(Vec::as_slice).collect();
    let clients = [
        client("C-1", "Ash", "1", "1980-01-01"),
        client("C-2", "Birch", "", "1981-01-01"),
        client("C-3", "Cedar", "1", "1982-01-01"),
        client("C-4", "Dogwood", "1", "1983-01-01"),
        client("C-5", "Elm", "1", "1984-01-01"),
        client("C-6", "Fir", "1", "1985-02-30"),
    ];
    let client_rows: Vec<&[(&str, &str)]> = clients.iter().map(Vec::as_slice).collect();
    let shelter = project("P-1", "Harbor Shelter", "0");
    let housing = project("P-2", "Harbor Homes", "13");
    vec![
        file_of(&fy2026::EXPORT, &[&export]),
        file_of(&fy2026::ORGANIZATION, &[&organization]),
        file_of(&fy2026::USER, &[&user]),
        file_of(&fy2026::PROJECT, &[&shelter, &housing]),
        file_of(&fy2026::CLIENT, &client_rows),
        file_of(&fy2026::ENROLLMENT, &enrollment_rows),
        file_of(&fy2026::EXIT, &[&exit]),
        file_of(&fy2026::SERVICES, &[&service]),
    ]
}

/// The job's problem on `file` line `line` with `code`.
fn problem<'j>(job: &'j Value, file: &str, line: u64, code: &str) -> &'j Value {
    job["problems"]
        .as_array()
        .and_then(|problems| {
            problems.iter().find(|problem| {
                problem["file"] == file && problem["line"] == line && problem["code"] == code
            })
        })
        .unwrap_or_else(|| panic!("no {code} on {file} line {line}: {job}"))
}

/// The stored client called `last` and its one enrollment's path and ETag.
fn enrollment_of(app: &TestApp, last: &str) -> (String, String, Value) {
    let clients = app.get(&format!("/v1/clients?q={last}"), Some(&app.admin_token()));
    clients.assert_status(200);
    let client = id_of(&clients.body["data"][0]);
    let list = app.get(&enrollments_path(&client), Some(&app.admin_token()));
    list.assert_status(200);
    let path = format!(
        "{}/{}",
        enrollments_path(&client),
        id_of(&list.body["data"][0])
    );
    let read = app.get(&path, Some(&app.admin_token()));
    read.assert_status(200);
    let etag = read.header("etag").expect("an ETag").to_owned();
    (path, etag, read.body)
}

both_backends!(
    fn strict_mode_refuses_the_archive_whole(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let job = import(app, &format!("?organization_id={organization}"), &archive());
        assert_eq!(job["status"], "failed", "{job}");
        assert_eq!(job["mode"], "strict");
        for (file, counts) in job["counts"].as_object().expect("counts") {
            assert_eq!(counts["created"], 0, "{file}: {job}");
        }
        problem(&job, "Client.csv", 7, "import.not_date");
        problem(&job, "Client.csv", 3, "import.required");
        problem(&job, "Enrollment.csv", 2, "enrollment.move_in_invalid");
        // Every problem of a strict job is an error.
        for each in job["problems"].as_array().expect("problems") {
            assert_eq!(each["severity"], "error", "{each}");
        }
    }

    fn tolerant_mode_keeps_history_skips_what_cannot_be_read_and_flags_rule_breaks(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let query = format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=20");
        let job = import(app, &query, &archive());
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(
            (&job["mode"], &job["max_skipped_percent"]),
            (&json!("tolerant"), &json!(20))
        );
        let counts = |file: &str| {
            let counts = &job["counts"][file];
            [
                counts["created"].as_u64().unwrap_or(0),
                counts["skipped"].as_u64().unwrap_or(0),
                counts["flagged"].as_u64().unwrap_or(0),
            ]
        };
        assert_eq!(counts("Client.csv"), [5, 1, 0], "{job}");
        assert_eq!(counts("Enrollment.csv"), [6, 1, 3], "{job}");
        assert_eq!(counts("Exit.csv"), [1, 0, 0], "{job}");
        assert_eq!(counts("Services.csv"), [0, 1, 0], "{job}");
        assert_eq!(counts("Project.csv"), [2, 0, 0], "{job}");

        // What cannot be read is skipped with what depends on it, each naming its cause.
        let dob = problem(&job, "Client.csv", 7, "import.not_date");
        assert_eq!(
            (&dob["severity"], &dob["column"]),
            (&json!("error"), &json!("DOB"))
        );
        assert_eq!(dob["caused_by"], Value::Null);
        let stay = problem(&job, "Enrollment.csv", 8, "import.depends_on_refused");
        assert_eq!(
            stay["caused_by"],
            json!({"file": "Client.csv", "line": 7}),
            "{stay}"
        );
        let service = problem(&job, "Services.csv", 2, "import.depends_on_refused");
        assert_eq!(
            service["caused_by"],
            json!({"file": "Enrollment.csv", "line": 8})
        );
        // Blank codes are data not collected, with a warning.
        let blank = problem(&job, "Client.csv", 3, "import.read_as_not_collected");
        assert_eq!(
            (&blank["severity"], &blank["column"]),
            (&json!("warning"), &json!("NameDataQuality"))
        );
        let destination = problem(&job, "Exit.csv", 2, "import.read_as_not_collected");
        assert_eq!(destination["column"], "Destination");
        // Rule breaks are imported and flagged.
        for (line, code) in [
            (2, "enrollment.move_in_invalid"),
            (5, "enrollment.overlap"),
            (7, "household.head_exists"),
        ] {
            let flag = problem(&job, "Enrollment.csv", line, code);
            assert_eq!(flag["severity"], "warning", "{flag}");
            assert!(flag["message"]
                .as_str()
                .is_some_and(|text| !text.is_empty()));
        }
        // `errors` lists what was skipped, as the job always listed its rejected rows.
        let errors = job["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 3, "{job}");

        let (_, _, birch) = enrollment_of(app, "birch");
        assert_eq!(birch["flags"], json!([]));
        // Where it came from, with its dates there.
        assert_eq!(
            birch["source"],
            json!({"system": "other-hmis", "id": "E-2", "created_at": "2024-01-11T09:00:00Z",
                   "updated_at": "2024-03-01T10:00:00Z", "user_id": "U-1"}),
            "{birch}"
        );
        let clients = app.get("/v1/clients?q=birch", Some(&app.admin_token()));
        assert_eq!(clients.body["data"][0]["name_data_quality"], 99);
        let (_, _, ash) = enrollment_of(app, "ash");
        assert_eq!(
            ash["flags"][0]["code"], "enrollment.move_in_invalid",
            "{ash}"
        );
        assert_eq!(ash["move_in_date"], "2024-01-12", "kept as it came: {ash}");
        let fir = app.get("/v1/clients?q=fir", Some(&app.admin_token()));
        assert_eq!(fir.body["data"], json!([]), "C-6 was skipped");

        // The data-quality report lists the flagged enrollments, program by program.
        let report = app.get("/v1/reports/data-quality", Some(&app.admin_token()));
        report.assert_status(200);
        let flagged: Vec<(String, u64)> = report.body["programs"]
            .as_array()
            .expect("programs")
            .iter()
            .map(|program| {
                let name = program["name"].as_str().unwrap_or_default().to_owned();
                (
                    name,
                    program["flagged_enrollments"]["count"]
                        .as_u64()
                        .unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(
            flagged,
            [
                ("Harbor Homes".to_owned(), 1),
                ("Harbor Shelter".to_owned(), 2)
            ],
            "{}",
            report.body
        );

        // Timeliness counts from the source's DateCreated, not the import's day: only E-2
        // of the shelter was recorded within 3 days of its entry.
        let shelter = report.body["programs"]
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|program| program["name"] == "Harbor Shelter")
            })
            .expect("the shelter");
        assert_eq!(shelter["entries_recorded_late"]["count"], 3, "{shelter}");
        let late = shelter["entries_recorded_late"]["enrollment_ids"].to_string();
        assert!(
            !late.contains(birch["id"].as_str().expect("an id")),
            "{late}"
        );
        let clients = app.get("/v1/clients?q=ash", Some(&app.admin_token()));
        assert_eq!(clients.body["data"][0]["source"]["id"], "C-1");

        // The household with two heads: a case manager may change what the flag is not
        // about, may not add a third head, and mends it by making one head a member.
        let (elm, etag, read) = enrollment_of(app, "elm");
        assert_eq!(
            read["flags"],
            json!([{"code": "household.head_exists",
                                           "message": read["flags"][0]["message"]}])
        );
        let token = app.admin_token();
        let edited = patch_if(app, &elm, &token, &etag, &json!({"disabling_condition": 1}));
        edited.assert_status(200);
        assert_eq!(
            edited.body["flags"][0]["code"], "household.head_exists",
            "the flag stays"
        );
        let etag = edited.header("etag").expect("an ETag").to_owned();
        let mended = patch_if(app, &elm, &token, &etag, &json!({"relationship_to_hoh": 3}));
        mended.assert_status(200);
        assert_eq!(mended.body["flags"], json!([]), "{}", mended.body);
        let report = app.get("/v1/reports/data-quality", Some(&app.admin_token()));
        let homes = &report.body["programs"][0];
        assert_eq!(
            (&homes["name"], &homes["flagged_enrollments"]["count"]),
            (&json!("Harbor Homes"), &json!(0))
        );
        let etag = mended.header("etag").expect("an ETag").to_owned();
        let again = patch_if(app, &elm, &token, &etag, &json!({"relationship_to_hoh": 1}));
        again.assert_status(409);
        assert_eq!(again.body["code"], "household.head_exists");
    }

    fn historical_codes_and_identifiers_are_kept_as_they_came(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let query = format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=30");
        let files = historical_archive();
        assert!(files[0].1.contains(",4"), "{}", files[0].1);
        let job = import(app, &query, &files);
        assert_eq!(job["status"], "succeeded", "{job}");
        let retired = problem(&job, "Funder.csv", 2, "import.retired_code");
        assert_eq!(
            (&retired["severity"], &retired["column"]),
            (&json!("warning"), &json!("Funder"))
        );
        let open = problem(&job, "Funder.csv", 3, "import.invalid");
        assert_eq!(open["severity"], "error", "{open}");
        assert_eq!(job["counts"]["Funder.csv"]["created"], 1, "{job}");
        assert_eq!(job["counts"]["Funder.csv"]["skipped"], 1, "{job}");
        for line in [5, 6] {
            let kept = problem(&job, "Client.csv", line, "import.partial_or_hashed_ssn");
            assert_eq!(kept["severity"], "warning", "{kept}");
        }
        // Never returned: the partial SSN's last four digits are, as a full one's.
        let dogwood = app.get("/v1/clients?q=dogwood", Some(&app.admin_token()));
        let client = &dogwood.body["data"][0];
        assert_eq!(
            (&client["ssn_last4"], &client["ssn_data_quality"]),
            (&json!("1232"), &json!(2))
        );
        assert!(client.get("ssn").is_none(), "{client}");
        let elm = app.get("/v1/clients?q=elm", Some(&app.admin_token()));
        assert_eq!(elm.body["data"][0]["ssn_last4"], Value::Null);
        // The grant keeps its retired funding source, and the export writes what came.
        let export = app.get(
            "/v1/exports/hmis-csv?from=2020-01-01&to=2026-12-01",
            Some(&app.admin_token()),
        );
        export.assert_status(200);
        let tables = imports::read_csv_zip(&export.bytes);
        let funders = &tables["Funder"].rows;
        assert_eq!(funders.len(), 1, "{funders:?}");
        assert_eq!(
            (
                funders[0]["Funder"].as_str(),
                funders[0]["EndDate"].as_str()
            ),
            ("47", "2021-09-30")
        );
        let ssns: Vec<&str> = tables["Client"]
            .rows
            .iter()
            .map(|row| row["SSN"].as_str())
            .collect();
        assert!(ssns.contains(&"xxx021232"), "{ssns:?}");
        assert!(ssns.iter().any(|ssn| ssn.len() == 64), "{ssns:?}");
        // The grant stays as it ended; it cannot be reopened into FY2026 with its source.
        let programs = app.get(
            &format!("/v1/programs?organization_id={organization}"),
            Some(&app.admin_token()),
        );
        let homes = programs.body["data"]
            .as_array()
            .and_then(|all| all.iter().find(|program| program["name"] == "Harbor Homes"))
            .map(id_of)
            .expect("Harbor Homes");
        let grants = app.get(
            &format!("/v1/programs/{homes}/grants"),
            Some(&app.admin_token()),
        );
        let grant = &grants.body["data"][0];
        assert_eq!(grant["funder"], 47, "{grant}");
        let path = format!("/v1/programs/{homes}/grants/{}", id_of(grant));
        let read = app.get(&path, Some(&app.admin_token()));
        let etag = read.header("etag").expect("an ETag").to_owned();
        let token = app.admin_token();
        let reopened = patch_if(
            app,
            &path,
            &token,
            &etag,
            &json!({"end_date": "2026-03-31"}),
        );
        reopened.assert_status(422);
        assert_eq!(
            reopened.body["errors"][0]["field"], "funder",
            "{}",
            reopened.body
        );
        let renamed = patch_if(
            app,
            &path,
            &token,
            &etag,
            &json!({"grant_identifier": "G-1b"}),
        );
        renamed.assert_status(200);
        // Strict mode keeps them too: they are warnings, not errors.
        let strict = import(app, &format!("?organization_id={organization}"), &files);
        let warned = problem(&strict, "Funder.csv", 2, "import.retired_code");
        assert_eq!(warned["severity"], "warning");
    }

    fn an_export_writes_the_ids_the_source_gave_when_asked(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let query = format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=20");
        let job = import(app, &query, &archive());
        assert_eq!(job["status"], "succeeded", "{job}");
        let export = |ids: &str| {
            let response = app.get(
                &format!("/v1/exports/hmis-csv?from=2024-01-01&to=2024-12-31{ids}"),
                Some(&app.admin_token()),
            );
            response.assert_status(200);
            imports::read_csv_zip(&response.bytes)
        };
        let source = export("&ids=source");
        let column = |file: &str, name: &str| -> Vec<String> {
            let mut values: Vec<String> = source[file]
                .rows
                .iter()
                .map(|row| row[name].clone())
                .collect();
            values.sort();
            values
        };
        assert_eq!(
            column("Client", "PersonalID"),
            ["C-1", "C-2", "C-3", "C-4", "C-5"]
        );
        assert_eq!(column("Project", "ProjectID"), ["P-1", "P-2"]);
        let stay = source["Enrollment"]
            .rows
            .iter()
            .find(|row| row["EnrollmentID"] == "E-3")
            .expect("E-3");
        assert_eq!(
            (stay["PersonalID"].as_str(), stay["ProjectID"].as_str()),
            ("C-3", "P-1")
        );
        assert_eq!(stay["HouseholdID"], "H-3");
        let exit = &source["Exit"].rows[0];
        assert_eq!(
            (exit["ExitID"].as_str(), exit["EnrollmentID"].as_str()),
            ("X-3", "E-3")
        );
        // Ours unless asked, as before.
        let own = export("");
        assert!(own["Client"]
            .rows
            .iter()
            .all(|row| row["PersonalID"].len() == 32));
        let refused = app.get(
            "/v1/exports/hmis-csv?from=2024-01-01&to=2024-12-31&ids=theirs",
            Some(&app.admin_token()),
        );
        refused.assert_status(400);
    }

    fn more_skipped_rows_than_allowed_fail_the_job_whole(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let query = format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=0");
        let job = import(app, &query, &archive());
        assert_eq!(job["status"], "failed", "{job}");
        let too_many = problem_without_line(&job, "import.too_many_skipped");
        assert!(
            too_many["message"]
                .as_str()
                .is_some_and(|text| text.contains("3 of")),
            "{too_many}"
        );
        for (file, counts) in job["counts"].as_object().expect("counts") {
            assert_eq!(counts["created"], 0, "{file}: {job}");
        }
        let clients = app.get("/v1/clients?q=ash", Some(&app.admin_token()));
        assert_eq!(clients.body["data"], json!([]), "nothing was written");
        let response = post_import(
            app,
            &app.admin_token(),
            &format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=101"),
            zip_of(&archive()),
        );
        response.assert_status(422);
        assert_eq!(response.body["errors"][0]["field"], "max_skipped_percent");
        let response = post_import(
            app,
            &app.admin_token(),
            &format!("?organization_id={organization}&mode=lenient"),
            zip_of(&archive()),
        );
        response.assert_status(400);
    }
);

/// The archive with history of identifiers and codes: its identifiers are hashed
/// (HashStatus 4); C-4's SSN is partial, C-5's hashed; a grant of P-2 was funded by ESG-CV
/// (47, retired in FY2026) and ended in 2021, one of P-1 by HOPWA-CV (48) and is still open.
fn historical_archive() -> Vec<(&'static str, String)> {
    let mut files = archive();
    let hashed = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    for (name, content) in &mut files {
        match *name {
            "Export.csv" => *content = content.replace("2026 v1.0,3,2,1", "2026 v1.0,3,2,4"),
            "Client.csv" => {
                *content = content
                    .replace("C-4,Sam,,Dogwood,,1,,99", "C-4,Sam,,Dogwood,,1,xxx021232,2")
                    .replace(
                        "C-5,Sam,,Elm,,1,,99",
                        &format!("C-5,Sam,,Elm,,1,{hashed},1"),
                    );
            }
            _ => {}
        }
    }
    let funder = |id, project, code, end| {
        vec![
            ("FunderID", id),
            ("ProjectID", project),
            ("Funder", code),
            ("GrantID", "G-1"),
            ("StartDate", "2020-04-01"),
            ("EndDate", end),
        ]
    };
    let ended = funder("F-1", "P-2", "47", "2021-09-30");
    let open = funder("F-2", "P-1", "48", "");
    files.push(file_of(&fy2026::FUNDER, &[&ended, &open]));
    files
}

fn problem_without_line<'j>(job: &'j Value, code: &str) -> &'j Value {
    job["problems"]
        .as_array()
        .and_then(|problems| problems.iter().find(|problem| problem["code"] == code))
        .unwrap_or_else(|| panic!("no {code}: {job}"))
}
