//! End-to-end tests of the HMIS CSV import: FY2026 and FY2024 archives built here, the job
//! polled until done, the records then read through the API.

use std::time::Duration;

use crate::common::imports::{
    self, csv, file_of, name_of, poll_job_every, post_import, row_of, zip_of,
};
use crate::common::{create_organization, enroll_head, enrollments_path, id_of, ids_in, token_for};
use serde_json::Value;
use threshold_domain::hmis_csv::{fy2026, CsvFile};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};

const STAMP: &str = "2024-03-01 10:00:00";

fn export(source: &str) -> String {
    export_of(source, "2026 v1.0")
}

/// Export.csv of `source` naming `version` in `CSVVersion`.
fn export_of(source: &str, version: &str) -> String {
    csv(&[
        "ExportID,SourceType,SourceID,SourceName,ExportDate,ExportStartDate,ExportEndDate,SoftwareName,CSVVersion,ExportPeriodType,ExportDirective,HashStatus,ImplementationID",
        &format!("X1,3,{source},Source {source},{STAMP},2024-01-01,2024-12-31,Other,{version},3,2,1,impl"),
    ])
}

fn reference_files() -> Vec<(&'static str, String)> {
    vec![
        (
            "Organization.csv",
            csv(&[
                "OrganizationID,OrganizationName,VictimServiceProvider,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
                &format!("O-1,Harbor,0,{STAMP},{STAMP},U-1,,X1"),
            ]),
        ),
        (
            "User.csv",
            csv(&[
                "UserID,UserFirstName,UserLastName,UserEmail,DateCreated,DateUpdated,DateDeleted,ExportID",
                &format!("U-1,Dana,Reyes,dana@example.org,{STAMP},{STAMP},,X1"),
            ]),
        ),
        (
            "Project.csv",
            csv(&[
                "ProjectID,OrganizationID,ProjectName,OperatingStartDate,OperatingEndDate,ContinuumProject,ProjectType,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
                &format!("P-1,O-1,\"Harbor Shelter, North\",2020-01-01,,1,0,{STAMP},{STAMP},U-1,,X1"),
            ]),
        ),
        (
            "Funder.csv",
            csv(&[
                "FunderID,ProjectID,Funder,OtherFunder,GrantID,StartDate,EndDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
                &format!("F-1,P-1,2,,CA0001,2020-01-01,,{STAMP},{STAMP},U-1,,X1"),
            ]),
        ),
    ]
}

/// FY2026: Sex, HispanicLatinao; a first name with a comma and a line break.
fn fy2026_files(source: &str) -> Vec<(&'static str, String)> {
    let mut files = vec![("Export.csv", export(source))];
    files.extend(reference_files());
    files.push(("Client.csv", client_csv()));
    files.push((
        "Enrollment.csv",
        enrollments(&[("E-1", "C-1", "H-1", 1), ("E-2", "C-2", "H-1", 2)]),
    ));
    files.push((
        "Exit.csv",
        csv(&[
            "ExitID,EnrollmentID,PersonalID,ExitDate,Destination,DestinationSubsidyType,OtherDestination,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            &format!("X-2,E-2,C-2,2024-02-01,410,,,{STAMP},{STAMP},U-1,,X1"),
        ]),
    ));
    files.push((
        "Services.csv",
        csv(&[
            "ServicesID,EnrollmentID,PersonalID,DateProvided,RecordType,TypeProvided,OtherTypeProvided,FAAmount,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            &format!("S-1,E-1,C-1,2024-01-20,141,1,,,{STAMP},{STAMP},U-1,,X1"),
        ]),
    ));
    files
}

fn client_csv() -> String {
    csv(&[
        "PersonalID,FirstName,MiddleName,LastName,NameSuffix,NameDataQuality,SSN,SSNDataQuality,DOB,DOBDataQuality,Sex,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinao,MidEastNAfrican,NativeHIPacific,White,RaceNone,AdditionalRaceEthnicity,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
        &format!("C-1,\"Ana, Maria\nSecond\",,Lopez,,1,123456789,1,1980-01-01,1,0,0,0,0,1,0,0,0,,,0,{STAMP},{STAMP},U-1,,X1"),
        &format!("C-2,Ben,,Lopez,,1,,99,2010-05-05,1,1,0,0,0,1,0,0,1,,,0,{STAMP},{STAMP},U-1,,X1"),
    ])
}

/// Export, reference files and Client.csv: imported, it maps C-1 and C-2 to stored clients.
fn client_files(source: &str) -> Vec<(&'static str, String)> {
    let mut files = vec![("Export.csv", export(source))];
    files.extend(reference_files());
    files.push(("Client.csv", client_csv()));
    files
}

/// `client_files` and an Enrollment.csv of `(EnrollmentID, PersonalID, HouseholdID,
/// RelationshipToHoH, EntryDate)` rows.
fn enrollment_files(
    source: &str,
    rows: &[(&str, &str, &str, i32, &str)],
) -> Vec<(&'static str, String)> {
    let mut files = client_files(source);
    files.push(("Enrollment.csv", enrollments_on(rows)));
    files
}

fn enrollments(rows: &[(&str, &str, &str, i32)]) -> String {
    let rows: Vec<(&str, &str, &str, i32, &str)> = rows
        .iter()
        .map(|&(id, client, household, relationship)| {
            (id, client, household, relationship, "2024-01-15")
        })
        .collect();
    enrollments_on(&rows)
}

fn enrollments_on(rows: &[(&str, &str, &str, i32, &str)]) -> String {
    let mut lines = vec![
        "EnrollmentID,PersonalID,ProjectID,EntryDate,HouseholdID,RelationshipToHoH,EnrollmentCoC,LivingSituation,LengthOfStay,DisablingCondition,MoveInDate,DateCreated,DateUpdated,UserID,DateDeleted,ExportID".to_owned(),
    ];
    for (id, client, household, relationship, entry_date) in rows {
        lines.push(format!(
            "{id},{client},P-1,{entry_date},{household},{relationship},XX-500,101,2,0,,{STAMP},{STAMP},U-1,,X1"
        ));
    }
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    csv(&lines)
}

/// FY2024: gender columns, no Sex, HispanicLatinaeo (FY2024's spelling); columns in another
/// order.
fn fy2024_files() -> Vec<(&'static str, String)> {
    let mut files = vec![("Export.csv", export_of("legacy", "2024 v1.3"))];
    files.extend(reference_files());
    files.push((
        "client.CSV",
        csv(&[
            "PersonalID,LastName,FirstName,NameDataQuality,SSNDataQuality,DOB,DOBDataQuality,AmIndAKNative,Asian,BlackAfAmerican,HispanicLatinaeo,MidEastNAfrican,NativeHIPacific,White,RaceNone,Woman,Man,NonBinary,CulturallySpecific,Transgender,Questioning,DifferentIdentity,GenderNone,VeteranStatus,DateCreated,DateUpdated,UserID,DateDeleted,ExportID",
            &format!("L-1,Okafor,Chidi,1,99,1975-03-03,1,0,0,0,1,0,0,0,,0,1,0,0,0,0,0,,0,{STAMP},{STAMP},U-1,,X1"),
        ]),
    ));
    files.push(("Enrollment.csv", enrollments(&[("E-9", "L-1", "H-9", 1)])));
    files
}

fn admin_import(app: &TestApp, organization_id: &str, zip: Vec<u8>, dry_run: bool) -> Response {
    let query = format!("?organization_id={organization_id}&dry_run={dry_run}");
    post_import(app, &app.admin_token(), &query, zip)
}

/// Polls the queued job until it is done (at most 60 s); answers it.
fn finished(app: &TestApp, queued: &Response) -> Value {
    queued.assert_status(202);
    assert_eq!(queued.body["status"], "queued");
    let location = queued.header("location").expect("a Location");
    poll_job_every(
        app,
        location,
        Duration::from_secs(60),
        Duration::from_millis(100),
        imports::finished,
    )
}

fn import(app: &TestApp, organization_id: &str, files: &[(&str, String)], dry_run: bool) -> Value {
    finished(
        app,
        &admin_import(app, organization_id, zip_of(files), dry_run),
    )
}

fn clients(app: &TestApp, q: &str) -> Vec<Value> {
    let response = app.get(&format!("/v1/clients?q={q}"), Some(&app.admin_token()));
    response.assert_status(200);
    response.body["data"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn all_unchanged(job: &Value) {
    for (file, counts) in job["counts"].as_object().expect("counts") {
        for kind in ["created", "updated", "deleted"] {
            assert_eq!(counts[kind], 0, "{file} {kind} in {job}");
        }
    }
}

/// Whether the job lists an error on this row and column with this `code`.
fn has_error(job: &Value, file: &str, line: u64, column: &str, code: &str) -> bool {
    has_error_saying(job, file, line, column, code, "")
}

/// [`has_error`], whose reason also says `text`.
fn has_error_saying(
    job: &Value,
    file: &str,
    line: u64,
    column: &str,
    code: &str,
    text: &str,
) -> bool {
    job["errors"].as_array().is_some_and(|errors| {
        errors.iter().any(|error| {
            error["file"] == file
                && error["line"] == line
                && error["column"] == column
                && error["code"] == code
                && error["reason"]
                    .as_str()
                    .is_some_and(|reason| reason.contains(text) && !reason.contains(code))
        })
    })
}

/// A failed job: every count zero, and the errors as asserted by the caller.
fn assert_failed(job: &Value) {
    assert_eq!(job["status"], "failed", "{job}");
    all_unchanged(job);
}

/// A failed job (see [`assert_failed`]) with an error naming `code` on the first row of
/// Enrollment.csv, in `column`.
fn assert_enrollment_refused(job: &Value, column: &str, code: &str) {
    assert_failed(job);
    assert!(
        has_error(job, "Enrollment.csv", 2, column, code),
        "expected {code} on Enrollment.csv row 2, {column}: {job}"
    );
}

/// The stored client the import made of C-1 (Ana) and the program it made of P-1.
fn ana_and_program(app: &TestApp, organization: &str) -> (String, String) {
    let ana = clients(app, "lopez")
        .into_iter()
        .find(|client| client["first_name"] == "Ana, Maria\nSecond")
        .expect("Ana is imported");
    let programs = app.get(
        &format!("/v1/programs?organization_id={organization}"),
        Some(&app.admin_token()),
    );
    programs.assert_status(200);
    (id_of(&ana), id_of(&programs.body["data"][0]))
}

/// An organization into which `fy2026_files("src-a")` went: Ana (C-1) heads H-1 in P-1
/// from 2024-01-15, Ben (C-2) left it on 2024-02-01. Answers the organization, and the
/// stored Ana and P-1.
fn imported_fy2026(app: &TestApp) -> (String, String, String) {
    let organization = create_organization(app, "Harbor");
    let first = import(app, &organization, &fy2026_files("src-a"), false);
    assert_eq!(first["status"], "succeeded", "{first}");
    let (ana, program) = ana_and_program(app, &organization);
    (organization, ana, program)
}

fn enrollment_count(app: &TestApp, client_id: &str) -> usize {
    let response = app.get(&enrollments_path(client_id), Some(&app.admin_token()));
    response.assert_status(200);
    ids_in(&response).len()
}

fn patch_program(app: &TestApp, program_id: &str, body: &Value) {
    app.request("PATCH", &format!("/v1/programs/{program_id}"))
        .token(Some(&app.admin_token()))
        .header("Content-Type", "application/merge-patch+json")
        .body(body.to_string().into_bytes())
        .send()
        .assert_status(200);
}

/// One record of each of HUD's seven collections for Ana's enrollment E-1 (from
/// 2024-01-15): at project start, or dated within the stay.
fn hud_record_files() -> Vec<(&'static str, String)> {
    let of =
        |id: (&'static str, &'static str)| [("EnrollmentID", "E-1"), ("PersonalID", "C-1"), id];
    let start = [
        ("InformationDate", "2024-01-15"),
        ("DataCollectionStage", "1"),
    ];
    let with = |id, more: &[(&'static str, &'static str)]| {
        let mut values: Vec<(&str, &str)> = of(id).to_vec();
        values.extend_from_slice(more);
        values
    };
    let income = with(
        ("IncomeBenefitsID", "IB-1"),
        &[
            start[0],
            start[1],
            ("IncomeFromAnySource", "1"),
            ("Earned", "1"),
            ("EarnedAmount", "500.25"),
            ("TotalMonthlyIncome", "500.25"),
            ("BenefitsFromAnySource", "0"),
            ("InsuranceFromAnySource", "0"),
        ],
    );
    let disability = with(
        ("DisabilitiesID", "D-1"),
        &[
            start[0],
            start[1],
            ("DisabilityType", "10"),
            ("DisabilityResponse", "3"),
            ("IndefiniteAndImpairs", "1"),
        ],
    );
    let health = with(
        ("HealthAndDVID", "HD-1"),
        &[
            start[0],
            start[1],
            ("DomesticViolenceSurvivor", "1"),
            ("WhenOccurred", "2"),
            ("CurrentlyFleeing", "0"),
        ],
    );
    let employment = with(
        ("EmploymentEducationID", "EE-1"),
        &[
            start[0],
            start[1],
            ("Employed", "1"),
            ("EmploymentType", "2"),
        ],
    );
    let living = with(
        ("CurrentLivingSitID", "CLS-1"),
        &[
            ("InformationDate", "2024-01-20"),
            ("CurrentLivingSituation", "116"),
            ("LocationDetails", r#""""North"" bridge, east side""#),
        ],
    );
    let event = with(
        ("EventID", "EV-1"),
        &[("EventDate", "2024-01-21"), ("Event", "1")],
    );
    let youth = with(
        ("YouthEducationStatusID", "Y-1"),
        &[
            start[0],
            start[1],
            ("CurrentSchoolAttend", "0"),
            ("MostRecentEdStatus", "1"),
        ],
    );
    vec![
        file_of(&fy2026::INCOME_BENEFITS, &[&income]),
        file_of(&fy2026::DISABILITIES, &[&disability]),
        file_of(&fy2026::HEALTH_AND_DV, &[&health]),
        file_of(&fy2026::EMPLOYMENT_EDUCATION, &[&employment]),
        file_of(&fy2026::CURRENT_LIVING_SITUATION, &[&living]),
        file_of(&fy2026::EVENT, &[&event]),
        file_of(&fy2026::YOUTH_EDUCATION_STATUS, &[&youth]),
    ]
}

both_backends!(
    fn imports_fy2026_and_again_changes_nothing(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let job = import(app, &organization, &fy2026_files("src-a"), false);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["counts"]["Client.csv"]["created"], 2, "{job}");
        assert_eq!(job["counts"]["Enrollment.csv"]["created"], 2, "{job}");
        assert_eq!(job["counts"]["Exit.csv"]["created"], 1, "{job}");
        assert_eq!(job["counts"]["Services.csv"]["created"], 1, "{job}");

        let found = clients(app, "lopez");
        assert_eq!(found.len(), 2);
        let ana = found
            .iter()
            .find(|client| client["first_name"] == "Ana, Maria\nSecond")
            .expect("the quoted first name, comma and line break kept");
        assert_eq!(ana["ssn_last4"], "6789");
        assert_eq!(
            ana["race_ethnicity"],
            serde_json::json!(["hispanic_latinaeo"])
        );
        let ana_id = ana["id"].as_str().unwrap();
        let enrollments = app.get(
            &format!("/v1/clients/{ana_id}/enrollments"),
            Some(&app.admin_token()),
        );
        assert_eq!(ids_in(&enrollments).len(), 1);
        let enrollment = &enrollments.body["data"][0];
        assert_eq!(enrollment["entry_date"], "2024-01-15");
        assert_eq!(
            enrollment["created_by"].as_str().unwrap(),
            format!("import:{}", job["id"].as_str().unwrap())
        );
        let programs = app.get(
            &format!("/v1/programs?organization_id={organization}"),
            Some(&app.admin_token()),
        );
        assert_eq!(programs.body["data"][0]["name"], "Harbor Shelter, North");

        let again = import(app, &organization, &fy2026_files("src-a"), false);
        assert_eq!(again["status"], "succeeded", "{again}");
        all_unchanged(&again);
        assert_eq!(clients(app, "lopez").len(), 2);

        // Another source's same IDs are other records.
        let other = import(app, &organization, &fy2026_files("src-b"), false);
        assert_eq!(other["counts"]["Client.csv"]["created"], 2, "{other}");
        assert_eq!(clients(app, "lopez").len(), 4);
    }

    fn imports_fy2024(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let job = import(app, &organization, &fy2024_files(), false);
        assert_eq!(job["status"], "succeeded", "{job}");
        let found = clients(app, "okafor");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["sex"], 99);
        assert_eq!(
            found[0]["race_ethnicity"],
            serde_json::json!(["hispanic_latinaeo"])
        );
        let again = import(app, &organization, &fy2024_files(), false);
        all_unchanged(&again);
    }

    fn a_version_the_import_does_not_read_is_refused_naming_it(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        // An FY2022 archive: its Ethnicity column would be lost read as FY2024.
        let mut files = fy2024_files();
        files[0].1 = export_of("older", "2022 v1.3");
        let response = admin_import(app, &organization, zip_of(&files), false);
        response.assert_status(422);
        assert_eq!(response.body["code"], "import.unsupported_version");
        let detail = response.body["detail"].as_str().expect("a detail");
        assert!(detail.contains("`2022 v1.3`"), "{detail}");
        // Nothing was queued.
        use diesel::{QueryDsl, RunQueryDsl};
        let mut connection = app.state().db.get().expect("a database connection");
        let jobs: i64 = threshold_persistence::schema::import_jobs::table
            .count()
            .get_result(&mut connection)
            .expect("the jobs counted");
        assert_eq!(jobs, 0);
        assert!(clients(app, "okafor").is_empty());
    }

    fn every_hud_record_file_is_imported(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        files.extend(hud_record_files());
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["ignored"], serde_json::json!([]), "{job}");
        for file in [
            "IncomeBenefits.csv",
            "Disabilities.csv",
            "HealthAndDV.csv",
            "EmploymentEducation.csv",
            "CurrentLivingSituation.csv",
            "Event.csv",
            "YouthEducationStatus.csv",
        ] {
            assert_eq!(job["counts"][file]["created"], 1, "{file}: {job}");
        }
        let (ana, _) = ana_and_program(app, &organization);
        let enrollments = app.get(&enrollments_path(&ana), Some(&app.admin_token()));
        enrollments.assert_status(200);
        let base = format!("{}/{}", enrollments_path(&ana), ids_in(&enrollments)[0]);
        let read = |segment: &str| {
            let response = app.get(&format!("{base}/{segment}"), Some(&app.admin_token()));
            response.assert_status(200);
            response.body["data"][0].clone()
        };
        let income = read("income-benefits");
        assert_eq!(income["data_collection_stage"], 1, "{income}");
        assert_eq!(income["information_date"], "2024-01-15", "{income}");
        assert_eq!(income["earned_amount"], 500.25, "{income}");
        assert_eq!(income["total_monthly_income"], 500.25, "{income}");
        assert_eq!(income["benefits_from_any_source"], 0, "{income}");
        let disability = read("disabilities");
        assert_eq!(disability["disability_type"], 10, "{disability}");
        assert_eq!(disability["disability_response"], 3, "{disability}");
        assert_eq!(read("health-and-dv")["when_occurred"], 2);
        assert_eq!(read("employment-education")["employment_type"], 2);
        let living = read("current-living-situations");
        assert_eq!(living["location_details"], "\"North\" bridge, east side");
        assert_eq!(living["data_collection_stage"], Value::Null, "{living}");
        let event = read("events");
        assert_eq!(
            (&event["event"], &event["information_date"]),
            (&1.into(), &"2024-01-21".into())
        );
        assert_eq!(read("youth-education-statuses")["most_recent_ed_status"], 1);
        // The same files again change nothing.
        let again = import(app, &organization, &files, false);
        assert_eq!(again["status"], "succeeded", "{again}");
        all_unchanged(&again);
        assert_eq!(
            again["counts"]["IncomeBenefits.csv"]["unchanged"], 1,
            "{again}"
        );
    }

    fn an_imported_records_creation_is_in_its_audit_trail(app: &TestApp) {
        // Services and HUD records are imported without a stored creation event each: asked
        // for one of them, the trail answers with its creation as the import made it.
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        files.extend(hud_record_files());
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        let writer = format!("import:{}", job["id"].as_str().expect("the job's id"));
        let (ana, _) = ana_and_program(app, &organization);
        let admin = app.admin_token();
        let enrollments = app.get(&enrollments_path(&ana), Some(&admin));
        let base = format!("{}/{}", enrollments_path(&ana), ids_in(&enrollments)[0]);
        let first = |segment: &str| {
            let response = app.get(&format!("{base}/{segment}"), Some(&admin));
            response.assert_status(200);
            response.body["data"][0].clone()
        };
        let trail = |entity: &str, id: &str, token: &str, more: &str| {
            let response = app.get(
                &format!("/v1/audit-events?entity_type={entity}&entity_id={id}{more}"),
                Some(token),
            );
            response.assert_status(200);
            response
        };

        let service = id_of(&first("services"));
        let events = trail("service", &service, &admin, "").body["data"].clone();
        assert_eq!(events.as_array().map(Vec::len), Some(1), "{events}");
        let created = &events[0];
        assert_eq!(created["action"], "create", "{created}");
        assert_eq!(created["actor"], writer, "{created}");
        assert_eq!(created["entity_id"], service, "{created}");
        let changes = &created["changes"];
        assert_eq!(changes["date_provided"]["new"], "2024-01-20", "{changes}");
        assert_eq!(changes["type_provided"]["new"], 1, "{changes}");
        assert_eq!(changes["id"]["new"], service, "{changes}");
        assert_eq!(changes["date_provided"]["old"], Value::Null, "{changes}");

        // Changed through the API: the creation keeps the imported values, the change
        // follows it, a page at a time.
        let disability = first("disabilities");
        let disability_id = id_of(&disability);
        let path = format!("{base}/disabilities/{disability_id}");
        let read = app.get(&path, Some(&admin));
        read.assert_status(200);
        crate::common::patch_if(
            app,
            &path,
            &admin,
            read.etag(),
            &serde_json::json!({"disability_response": 1}),
        )
        .assert_status(200);
        let both = trail("disability", &disability_id, &admin, "").body["data"].clone();
        let actions: Vec<&Value> = both
            .as_array()
            .expect("events")
            .iter()
            .map(|e| &e["action"])
            .collect();
        assert_eq!(actions, ["create", "update"], "{both}");
        assert_eq!(both[0]["actor"], writer, "{both}");
        assert_eq!(
            both[0]["changes"]["disability_response"]["new"], 3,
            "{both}"
        );
        assert_eq!(both[0]["changes"]["disability_type"]["new"], 10, "{both}");
        assert_eq!(
            both[0]["changes"]["information_date"]["new"], "2024-01-15",
            "{both}"
        );
        assert_eq!(
            both[1]["changes"]["disability_response"]["old"], 3,
            "{both}"
        );
        assert_eq!(
            both[1]["changes"]["disability_response"]["new"], 1,
            "{both}"
        );
        let page = trail("disability", &disability_id, &admin, "&limit=1");
        assert_eq!(
            page.body["data"][0]["action"],
            "create",
            "{}",
            page.describe()
        );
        let cursor = page.body["next_cursor"].as_str().expect("a next_cursor");
        let next = trail(
            "disability",
            &disability_id,
            &admin,
            &format!("&limit=1&cursor={cursor}"),
        );
        assert_eq!(
            next.body["data"][0]["action"],
            "update",
            "{}",
            next.describe()
        );
        assert_eq!(next.body["data"].as_array().map(Vec::len), Some(1));

        // The same keys as the creation of a disability recorded through the API.
        let made = app
            .request("POST", &format!("{base}/disabilities"))
            .token(Some(&admin))
            .json(&serde_json::json!({
                "information_date": "2024-01-15",
                "data_collection_stage": 1,
                "disability_type": 5,
                "disability_response": 1,
                "indefinite_and_impairs": 1
            }))
            .send();
        made.assert_status(201);
        let stored =
            trail("disability", &id_of(&made.body), &admin, "").body["data"][0]["changes"].clone();
        let keys = |changes: &Value| -> Vec<String> {
            let mut keys: Vec<String> = changes
                .as_object()
                .expect("changes")
                .keys()
                .cloned()
                .collect();
            keys.sort();
            keys
        };
        assert_eq!(
            keys(&both[0]["changes"]),
            keys(&stored),
            "{both} against {stored}"
        );

        // Shown to its organization, not to another; filtered like any event.
        let member = token_for(app, "maria", Role::CaseManager, &organization);
        let seen = trail("service", &service, &member, "");
        assert_eq!(
            seen.body["data"].as_array().map(Vec::len),
            Some(1),
            "{}",
            seen.describe()
        );
        let elsewhere = create_organization(app, "Elsewhere");
        let stranger = token_for(app, "olga", Role::CaseManager, &elsewhere);
        let hidden = trail("service", &service, &stranger, "");
        assert_eq!(
            hidden.body["data"],
            serde_json::json!([]),
            "{}",
            hidden.describe()
        );
        // Named by its ID alone, as by kind and ID.
        let by_id = app.get(
            &format!("/v1/audit-events?entity_id={service}"),
            Some(&admin),
        );
        by_id.assert_status(200);
        assert_eq!(by_id.body["data"], events, "{}", by_id.describe());
        let by_other = trail("service", &service, &admin, "&actor=someone-else");
        assert_eq!(by_other.body["data"], serde_json::json!([]));
        let before = trail("service", &service, &admin, "&to=2000-01-01T00:00:00Z");
        assert_eq!(before.body["data"], serde_json::json!([]));

        // A client's creation is the admins' (as a stored one is); its reads are events of
        // it too, which undo nothing.
        app.get(&format!("/v1/clients/{ana}"), Some(&admin))
            .assert_status(200);
        // The read's event is written a moment after the read.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let events = loop {
            let events = trail("client", &ana, &admin, "").body["data"].clone();
            let read = events.as_array().is_some_and(|events| {
                events
                    .iter()
                    .any(|event| event["changes"]["viewed"]["entity_type"] == "client")
            });
            if read {
                break events;
            }
            assert!(std::time::Instant::now() < deadline, "{events}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        assert_eq!(events[0]["action"], "create", "{events}");
        assert_eq!(events[0]["actor"], writer, "{events}");
        assert_eq!(
            events[0]["changes"]["last_name"]["new"], "Lopez",
            "{events}"
        );
        assert_eq!(events[0]["changes"].get("viewed"), None, "{events}");
        assert!(
            events
                .as_array()
                .is_some_and(|events| events[1..].iter().all(|event| event["action"] == "viewed")),
            "{events}"
        );
        assert_eq!(
            trail("client", &ana, &member, "").body["data"],
            serde_json::json!([])
        );

        // An enrollment's creation is shown to its organization while it may see the client,
        // as its stored events are; a household's to its organization.
        let enrollment = ids_in(&enrollments)[0].clone();
        let stay = trail("enrollment", &enrollment, &member, "").body["data"].clone();
        assert_eq!(stay.as_array().map(Vec::len), Some(1), "{stay}");
        assert_eq!(stay[0]["action"], "create", "{stay}");
        assert_eq!(
            stay[0]["changes"]["entry_date"]["new"], "2024-01-15",
            "{stay}"
        );
        let household = stay[0]["changes"]["household_id"]["new"]
            .as_str()
            .expect("a household")
            .to_owned();
        let made = trail("household", &household, &member, "").body["data"].clone();
        assert_eq!(made[0]["action"], "create", "{made}");
        assert_eq!(made[0]["actor"], writer, "{made}");
        let refuge = app.post(
            "/v1/organizations",
            Some(&admin),
            &serde_json::json!({"name": "Refuge", "victim_service_provider": true}),
        );
        refuge.assert_status(201);
        let safe_house =
            crate::common::create_program(app, &id_of(&refuge.body), serde_json::json!({}));
        enroll_head(app, &ana, &safe_house, "2024-06-01");
        assert_eq!(
            trail("enrollment", &enrollment, &member, "").body["data"],
            serde_json::json!([]),
            "sealed away, Ana's imported enrollment is no longer shown"
        );
        let still = trail("enrollment", &enrollment, &admin, "").body["data"].clone();
        assert_eq!(still[0]["action"], "create", "{still}");
    }

    fn hud_record_rows_are_held_to_the_rules_of_records(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        files.extend(hud_record_files());
        let keys = |id: (&'static str, &'static str)| {
            vec![("EnrollmentID", "E-1"), ("PersonalID", "C-1"), id]
        };
        let mut unknown = keys(("IncomeBenefitsID", "IB-2"));
        unknown.extend([
            ("InformationDate", "2024-01-16"),
            ("DataCollectionStage", "2"),
            ("IncomeFromAnySource", "7"),
        ]);
        let mut twice = keys(("DisabilitiesID", "D-2"));
        twice.extend([
            ("InformationDate", "2024-01-15"),
            ("DataCollectionStage", "1"),
            ("DisabilityType", "10"),
            ("DisabilityResponse", "1"),
        ]);
        let mut not_of_type = keys(("DisabilitiesID", "D-3"));
        not_of_type.extend([
            ("InformationDate", "2024-01-16"),
            ("DataCollectionStage", "2"),
            ("DisabilityType", "10"),
            ("DisabilityResponse", "5"),
        ]);
        let mut nowhere = vec![
            ("CurrentLivingSitID", "CLS-2"),
            ("EnrollmentID", "E-404"),
            ("PersonalID", "C-1"),
            ("InformationDate", "2024-01-20"),
            ("CurrentLivingSituation", "116"),
        ];
        nowhere.truncate(5);
        let mut before = keys(("EventID", "EV-2"));
        before.extend([("EventDate", "2023-12-31"), ("Event", "1")]);
        let mut rows = |file: &'static CsvFile, extra: &[(&str, &str)]| {
            let entry = files
                .iter_mut()
                .find(|(name, _)| *name == name_of(file))
                .expect("the file");
            entry.1 = format!("{}{}\r\n", entry.1, row_of(file, extra));
        };
        rows(&fy2026::INCOME_BENEFITS, &unknown);
        rows(&fy2026::DISABILITIES, &twice);
        rows(&fy2026::DISABILITIES, &not_of_type);
        rows(&fy2026::CURRENT_LIVING_SITUATION, &nowhere);
        rows(&fy2026::EVENT, &before);
        let job = import(app, &organization, &files, false);
        assert_failed(&job);
        let expected = [
            (
                "IncomeBenefits.csv",
                3,
                "IncomeFromAnySource",
                "import.unknown_code",
            ),
            (
                "Disabilities.csv",
                3,
                "DataCollectionStage",
                "record.stage_duplicate",
            ),
            (
                "Disabilities.csv",
                4,
                "DisabilityResponse",
                "import.invalid",
            ),
            (
                "CurrentLivingSituation.csv",
                3,
                "EnrollmentID",
                "import.reference_not_found",
            ),
            ("Event.csv", 3, "EventDate", "record.outside_enrollment"),
        ];
        for (file, line, column, code) in expected {
            assert!(
                has_error(&job, file, line, column, code),
                "{file} {line} {column} {code}: {job}"
            );
        }
        assert_eq!(
            job["errors"].as_array().map(Vec::len),
            Some(expected.len()),
            "{job}"
        );
    }

    fn what_a_project_records_about_itself_is_imported(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        let coc = [
            ("ProjectCoCID", "PC-1"),
            ("ProjectID", "P-1"),
            ("CoCCode", "CA-500"),
            ("Geocode", "069001"),
            ("GeographyType", "1"),
        ];
        let inventory = [
            ("InventoryID", "I-1"),
            ("ProjectID", "P-1"),
            ("CoCCode", "CA-500"),
            ("HouseholdType", "1"),
            ("Availability", "1"),
            ("UnitInventory", "10"),
            ("BedInventory", "12"),
            ("ESBedType", "1"),
            ("InventoryStartDate", "2020-10-01"),
        ];
        let elsewhere = [
            ("InventoryID", "I-2"),
            ("ProjectID", "P-1"),
            ("CoCCode", "CA-999"),
            ("HouseholdType", "1"),
            ("UnitInventory", "1"),
            ("BedInventory", "1"),
            ("InventoryStartDate", "2020-10-01"),
        ];
        let hmis = [
            ("HMISParticipationID", "HP-1"),
            ("ProjectID", "P-1"),
            ("HMISParticipationType", "1"),
            ("HMISParticipationStatusStartDate", "2020-01-01"),
        ];
        let ce = [
            ("CEParticipationID", "CE-1"),
            ("ProjectID", "P-1"),
            ("AccessPoint", "0"),
            ("ReceivesReferrals", "1"),
            ("CEParticipationStatusStartDate", "2024-01-01"),
        ];
        // P-1 is a shelter (residential): it is not the services-only program an affiliation
        // is of.
        let affiliation = [
            ("AffiliationID", "A-1"),
            ("ProjectID", "P-1"),
            ("ResProjectID", "P-1"),
        ];
        files.push(file_of(&fy2026::PROJECT_COC, &[&coc]));
        files.push(file_of(&fy2026::INVENTORY, &[&inventory, &elsewhere]));
        files.push(file_of(&fy2026::HMIS_PARTICIPATION, &[&hmis]));
        files.push(file_of(&fy2026::CE_PARTICIPATION, &[&ce]));
        files.push(file_of(&fy2026::AFFILIATION, &[&affiliation]));
        let job = import(app, &organization, &files, false);
        assert_failed(&job);
        let expected = [
            ("Inventory.csv", 3, "CoCCode", "inventory.coc_unknown"),
            (
                "Affiliation.csv",
                2,
                "ProjectID",
                "affiliation.not_services_only",
            ),
        ];
        for (file, line, column, code) in expected {
            assert!(
                has_error(&job, file, line, column, code),
                "{file} {line} {column} {code}: {job}"
            );
        }
        assert_eq!(
            job["errors"].as_array().map(Vec::len),
            Some(expected.len()),
            "{job}"
        );

        files
            .retain(|(name, _)| !name.starts_with("Inventory") && !name.starts_with("Affiliation"));
        files.push(file_of(&fy2026::INVENTORY, &[&inventory]));
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        for file in [
            "ProjectCoC.csv",
            "Inventory.csv",
            "HMISParticipation.csv",
            "CEParticipation.csv",
        ] {
            assert_eq!(job["counts"][file]["created"], 1, "{file}: {job}");
        }
        let (_, program) = ana_and_program(app, &organization);
        let read = |segment: &str| {
            let path = format!("/v1/programs/{program}/{segment}");
            let response = app.get(&path, Some(&app.admin_token()));
            response.assert_status(200);
            response.body["data"][0].clone()
        };
        let coc = read("cocs");
        assert_eq!(
            (&coc["coc_code"], &coc["geocode"]),
            (&"CA-500".into(), &"069001".into())
        );
        let inventory = read("inventories");
        assert_eq!(inventory["bed_inventory"], 12, "{inventory}");
        assert_eq!(
            inventory["inventory_start_date"], "2020-10-01",
            "{inventory}"
        );
        assert_eq!(read("hmis-participations")["hmis_participation_type"], 1);
        assert_eq!(read("ce-participations")["receives_referrals"], 1);
    }

    fn files_it_does_not_read_are_listed_as_ignored(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let plain = import(app, &organization, &fy2026_files("src-a"), false);
        assert_eq!(plain["ignored"], serde_json::json!([]), "{plain}");
        let mut files = fy2026_files("src-b");
        files.push(("Custom_Client.csv", "PersonalID,Shoe\nC-1,9\n".to_owned()));
        files.push(("notes.txt", "made by hand\n".to_owned()));
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(
            job["ignored"],
            serde_json::json!(["Custom_Client.csv", "notes.txt"]),
            "{job}"
        );
        assert!(job["counts"].get("Custom_Client.csv").is_none(), "{job}");
    }

    fn what_refers_to_a_refused_row_says_which_row_caused_it(app: &TestApp) {
        // E-1's entry date cannot be read: its service is refused with it, and says so,
        // naming E-1's row (it used to say E-1 was not in Enrollment.csv, though it is).
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        let enrollment = files
            .iter_mut()
            .find(|(name, _)| *name == "Enrollment.csv")
            .expect("Enrollment.csv");
        enrollment.1 = enrollment
            .1
            .replacen("E-1,C-1,P-1,2024-01-15", "E-1,C-1,P-1,2024-13-45", 1);
        let job = import(app, &organization, &files, false);
        assert_failed(&job);
        assert!(
            has_error(&job, "Enrollment.csv", 2, "EntryDate", "import.not_date"),
            "{job}"
        );
        let errors = job["errors"].as_array().expect("errors");
        assert!(
            errors
                .iter()
                .all(|error| error["code"] != "import.reference_not_found"),
            "{job}"
        );
        let service = errors
            .iter()
            .find(|error| error["file"] == "Services.csv")
            .expect("the service's problem");
        assert_eq!(service["code"], "import.depends_on_refused", "{service}");
        assert_eq!(
            service["caused_by"],
            serde_json::json!({"file": "Enrollment.csv", "line": 2})
        );
    }

    fn bad_rows_fail_the_whole_import(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        let bad_enrollments = enrollments(&[
            ("E-1", "C-1", "H-1", 1),
            ("E-2", "C-2", "H-1", 1),
            ("E-3", "C-404", "H-3", 1),
        ])
        .replace("E-3,C-404,P-1,2024-01-15", "E-3,C-404,P-1,2024-13-45");
        files[6].1 = bad_enrollments;
        files[7].1 = files[7].1.replace(",2024-02-01,410,", ",2024-02-01,999,");
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "failed", "{job}");
        // Each problem where it is, with a code of its own to count and filter by.
        let has = |file: &str, line: u64, column: &str, code: &str| {
            has_error(&job, file, line, column, code)
        };
        assert!(
            has("Exit.csv", 2, "Destination", "import.unknown_code"),
            "{job}"
        );
        assert!(
            has(
                "Enrollment.csv",
                3,
                "RelationshipToHoH",
                "household.head_exists"
            ),
            "{job}"
        );
        assert!(
            has(
                "Enrollment.csv",
                4,
                "PersonalID",
                "import.reference_not_found"
            ),
            "{job}"
        );
        assert!(
            has("Enrollment.csv", 4, "EntryDate", "import.not_date"),
            "{job}"
        );
        for error in job["errors"].as_array().expect("errors") {
            let code = error["code"].as_str().expect("every problem has a code");
            assert!(code.contains('.'), "{error}");
        }
        assert!(clients(app, "lopez").is_empty());
    }

    fn a_service_of_a_type_its_record_type_does_not_take_fails_the_import(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        let services = files
            .iter_mut()
            .find(|(name, _)| *name == "Services.csv")
            .expect("Services.csv");
        // A PATH service (141) of type 200: 200 is only a bed night (4.14).
        services.1 = services
            .1
            .replace(",2024-01-20,141,1,", ",2024-01-20,141,200,");
        let job = import(app, &organization, &files, false);
        assert_failed(&job);
        assert!(
            has_error_saying(
                &job,
                "Services.csv",
                2,
                "TypeProvided",
                "import.invalid",
                "P1.2 PATHServices"
            ),
            "{job}"
        );
    }

    fn dry_run_writes_nothing(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let job = import(app, &organization, &fy2026_files("src-a"), true);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["dry_run"], true);
        assert_eq!(job["counts"]["Client.csv"]["created"], 2, "{job}");
        assert!(clients(app, "lopez").is_empty());
    }

    fn refuses_paths_out_of_the_root(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let mut files = fy2026_files("src-a");
        files.push(("../x.csv", "a,b\r\n".into()));
        // The archive's directory shows it: refused on arrival, no job queued.
        let response = admin_import(app, &organization, zip_of(&files), false);
        assert_problem(&response, 400, "request.malformed");
        assert_eq!(response.body["errors"][0]["field"], "../x.csv");
        assert_eq!(response.body["errors"][0]["code"], "outside_root");
        let reason = response.body["errors"][0]["message"].as_str().unwrap();
        assert!(
            reason.contains("not at the root"),
            "{}",
            response.describe()
        );
        assert!(clients(app, "lopez").is_empty());
    }

    fn roles_and_organizations(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let other = create_organization(app, "Elsewhere");
        let case_manager = token_for(app, "cm", Role::CaseManager, &organization);
        let refused = post_import(app, &case_manager, "", zip_of(&fy2026_files("src-a")));
        refused.assert_status(403);

        let integration = token_for(app, "sync", Role::Integration, &organization);
        let queued = post_import(app, &integration, "", zip_of(&fy2026_files("src-a")));
        let job = finished(app, &queued);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["organization_id"].as_str(), Some(organization.as_str()));
        let path = format!("/v1/imports/{}", job["id"].as_str().unwrap());
        app.get(&path, Some(&integration)).assert_status(200);
        let outsider = token_for(app, "sync2", Role::Integration, &other);
        app.get(&path, Some(&outsider)).assert_status(404);
        app.get(&path, Some(&case_manager)).assert_status(403);
    }

    fn overlap_with_a_stored_enrollment_fails_the_import(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        let first = import(app, &organization, &client_files("src-a"), false);
        assert_eq!(first["status"], "succeeded", "{first}");
        let (ana, program) = ana_and_program(app, &organization);
        enroll_head(app, &ana, &program, "2024-01-15");

        let files = enrollment_files("src-a", &[("E-7", "C-1", "H-7", 1, "2024-03-01")]);
        let job = import(app, &organization, &files, false);
        assert_enrollment_refused(&job, "EntryDate", "enrollment.overlap");
        assert_eq!(enrollment_count(app, &ana), 1);

        // The dry run finds it too; after the stored stay ends, the same file goes in.
        let dry = import(app, &organization, &files, true);
        assert_failed(&dry);
        let stored = app.get(&enrollments_path(&ana), Some(&app.admin_token()));
        let enrollment_id = id_of(&stored.body["data"][0]);
        app.post(
            &format!("{}/{enrollment_id}/exit", enrollments_path(&ana)),
            Some(&app.admin_token()),
            &serde_json::json!({"exit_date": "2024-03-01", "destination": 410}),
        )
        .assert_status(200);
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(enrollment_count(app, &ana), 2);
    }

    fn household_rules_against_a_stored_household(app: &TestApp) {
        // H-1: Ana (C-1) heads it from 2024-01-15; Ben (C-2) left it on 2024-02-01.
        let (organization, ana, _) = imported_fy2026(app);

        // A second head of the stored household.
        let files = enrollment_files("src-a", &[("E-3", "C-2", "H-1", 1, "2024-03-01")]);
        let job = import(app, &organization, &files, false);
        assert_enrollment_refused(&job, "RelationshipToHoH", "household.head_exists");

        // A member entering before the stored head.
        let files = enrollment_files("src-a", &[("E-3", "C-2", "H-1", 2, "2024-01-10")]);
        let job = import(app, &organization, &files, false);
        assert_enrollment_refused(&job, "EntryDate", "household.member_before_head");

        // Ben coming back to the household under the stored head is fine.
        let files = enrollment_files("src-a", &[("E-3", "C-2", "H-1", 2, "2024-03-01")]);
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["counts"]["Enrollment.csv"]["created"], 1, "{job}");
        let stored = app.get(&enrollments_path(&ana), Some(&app.admin_token()));
        let household_id = stored.body["data"][0]["household_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let household = app.get(
            &format!("/v1/households/{household_id}"),
            Some(&app.admin_token()),
        );
        household.assert_status(200);
        assert_eq!(household.body["members"].as_array().unwrap().len(), 3);

        // Then Ben once more, while active there.
        let files = enrollment_files("src-a", &[("E-4", "C-2", "H-1", 2, "2024-03-05")]);
        let job = import(app, &organization, &files, false);
        assert_enrollment_refused(&job, "HouseholdID", "household.client_duplicate");
        assert!(
            has_error(&job, "Enrollment.csv", 2, "EntryDate", "enrollment.overlap"),
            "{job}"
        );
    }

    fn stored_program_dates_and_capacity(app: &TestApp) {
        // Ana (C-1) is active in P-1; Ben (C-2) left on 2024-02-01.
        let (organization, _, program) = imported_fy2026(app);
        let ben_again = enrollment_files("src-a", &[("E-8", "C-2", "H-8", 1, "2024-03-01")]);

        patch_program(app, &program, &serde_json::json!({"capacity": 1}));
        let job = import(app, &organization, &ben_again, false);
        assert_enrollment_refused(&job, "ProjectID", "program.at_capacity");

        // The stored program's later dates count, not the file's older Project.csv row.
        patch_program(
            app,
            &program,
            &serde_json::json!({"capacity": 2, "operating_end_date": "2024-02-15"}),
        );
        let job = import(app, &organization, &ben_again, false);
        assert_enrollment_refused(&job, "EntryDate", "program.not_operating");

        // Ana's stay, listed in the file too, takes one place, not two.
        patch_program(
            app,
            &program,
            &serde_json::json!({"operating_end_date": null}),
        );
        let files = enrollment_files(
            "src-a",
            &[
                ("E-1", "C-1", "H-1", 1, "2024-01-15"),
                ("E-8", "C-2", "H-8", 1, "2024-03-01"),
            ],
        );
        let job = import(app, &organization, &files, false);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["counts"]["Enrollment.csv"]["created"], 1, "{job}");
    }
);
