//! The HMIS CSV round trip: a data set built through the API is exported, imported into a
//! fresh system, and exported from there again; the two archives must say the same thing,
//! file by file, once what legitimately differs is set aside (the ExportID and the
//! Export.csv dates, and the IDs, which the second system assigns itself: they are mapped
//! through the rows that correspond). Importing the same archive again changes nothing.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::common::imports::{import_and_wait, read_csv_zip};
use crate::common::*;
use serde_json::{json, Value};
use threshold_api::hmis::export::FILES;
use threshold_domain::hmis_csv::{ColumnType, CsvFile};
use threshold_tests::{both_backends, Role, TestApp};

/// One row of a CSV file, by column name.
type Row = BTreeMap<String, String>;

/// An archive: every file's rows, by file name without `.csv`.
type Archive = BTreeMap<String, Vec<Row>>;

fn read_archive(bytes: &[u8]) -> Archive {
    read_csv_zip(bytes)
        .into_iter()
        .map(|(file, table)| (file, table.rows))
        .collect()
}

/// An export as an admin reads it, as raw bytes.
fn export_bytes(app: &TestApp, query: &str) -> Vec<u8> {
    let response = app.get(
        &format!("/v1/exports/hmis-csv?{query}"),
        Some(&app.admin_token()),
    );
    response.assert_status(200);
    response.bytes
}

/// Imports an archive as an admin into `organization_id` (waiting at most 60 s); answers
/// the job.
fn import(app: &TestApp, organization_id: &str, zip: &[u8]) -> Value {
    import_and_wait(app, organization_id, zip.to_vec(), Duration::from_secs(60))
}

const PERIOD: &str = "from=2024-01-01&to=2024-12-31";

/// The data set: an organization with a shelter and a grant, a case manager, a household of
/// two (the child exits to a subsidized rental), an assessment with answers linked to the
/// head's enrollment, and services, one with a financial-assistance amount.
fn build(app: &TestApp) -> World {
    let organization = create_organization(app, "Harbor Services");
    let program = create_program(
        app,
        &organization,
        json!({ "name": "Harbor Shelter, North", "continuum_project": true, "housing_type": 1 }),
    );
    let grant = create_grant(app, &program, "2020-01-01", Some("2030-12-31"));
    // What the shelter records about itself, and a services-only program serving it.
    let admin = app.admin_token();
    let under = |segment: &str| format!("/v1/programs/{program}/{segment}");
    for (segment, body) in [
        (
            "cocs",
            json!({"coc_code": "CA-500", "geocode": "069001", "address1": "1 Harbor Way",
                         "city": "Oakland", "state": "CA", "zip": "94607", "geography_type": 1}),
        ),
        (
            "inventories",
            json!({"coc_code": "CA-500", "household_type": 1, "availability": 1,
                               "unit_inventory": 10, "bed_inventory": 12, "vet_bed_inventory": 2,
                               "other_bed_inventory": 10, "es_bed_type": 1,
                               "inventory_start_date": "2020-10-01"}),
        ),
        (
            "hmis-participations",
            json!({"hmis_participation_type": 1,
                                       "hmis_participation_status_start_date": "2020-01-01"}),
        ),
        (
            "ce-participations",
            json!({"access_point": 1, "prevention_assessment": 0,
                                     "crisis_assessment": 1, "housing_assessment": 1,
                                     "direct_services": 0, "receives_referrals": 1,
                                     "ce_participation_status_start_date": "2024-01-01"}),
        ),
    ] {
        create_as(app, &admin, &under(segment), &body);
    }
    let services_only = create_program(
        app,
        &organization,
        json!({ "name": "Harbor Outreach Services", "project_type": 6 }),
    );
    create_as(
        app,
        &admin,
        &format!("/v1/programs/{services_only}/affiliations"),
        &json!({ "res_program_id": program }),
    );
    let user = create_user(app, &organization);
    let token = token_for(app, &user, Role::CaseManager, &organization);

    let head = id_of(&create_client_with_as(
        app,
        &token,
        json!({
            "first_name": "Ana, \"Annie\"",
            "middle_name": "Maria",
            "last_name": "Lee",
            "name_data_quality": 1,
            "ssn": "123456789",
            "ssn_data_quality": 1,
            "dob": "1980-01-01",
            "dob_data_quality": 1,
            "sex": 0,
            "race_ethnicity": ["asian", "white"],
            "additional_race_ethnicity": "Hmong",
            "veteran_status": 0,
        }),
    ));
    let child = id_of(&create_client_with_as(
        app,
        &token,
        json!({
            "first_name": "Ben",
            "last_name": "Lee",
            "name_data_quality": 1,
            "ssn_data_quality": 99,
            "dob": "2015-05-05",
            "dob_data_quality": 1,
            "sex": 1,
            "race_ethnicity": ["black_af_american", "hispanic_latinaeo"],
            "veteran_status": 0,
        }),
    ));

    let response = post_enrollment(
        app,
        &token,
        &head,
        &json!({ "program_id": program, "entry_date": "2024-03-01", "relationship_to_hoh": 1,
                 "grant_id": grant, "case_manager_id": user, "enrollment_coc": "XX-500",
                 "prior_living_situation": 116, "length_of_stay": 4,
                 "disabling_condition": 1, "date_to_street_essh": "2024-01-01",
                 "times_homeless_past_three_years": 1, "months_homeless_past_three_years": 102 }),
    );
    response.assert_status(201);
    let head_enrollment = id_of(&response.body);
    let household = response.body["household_id"]
        .as_str()
        .expect("a household")
        .to_owned();
    let response = post_enrollment(
        app,
        &token,
        &child,
        &json!({ "program_id": program, "entry_date": "2024-03-02", "relationship_to_hoh": 2,
                 "household_id": household, "enrollment_coc": "XX-500",
                 "prior_living_situation": 116, "disabling_condition": 0 }),
    );
    response.assert_status(201);
    let child_enrollment = id_of(&response.body);
    exit_as(
        app,
        &token,
        &enrollment_path(&child, &child_enrollment),
        &json!({ "exit_date": "2024-06-30", "destination": 435,
                 "destination_subsidy_type": 419 }),
    );

    let base = enrollment_path(&head, &head_enrollment);
    let assessments = format!("/v1/clients/{head}/assessments");
    let mut answered = assessment_with_answers("2024-03-03");
    answered["results"] = json!([
        {"result_type": "VI-SPDAT score", "result": "11"},
        {"result_type": "Priority, \"tier\"", "result": "high"},
    ]);
    let assessment = create_as(app, &token, &assessments, &answered);
    link_assessment(app, &token, &base, &assessment);

    let services = [
        json!({ "date_provided": "2024-03-05", "record_type": 144, "type_provided": 1,
                "fa_amount": 125.5 }),
        json!({ "date_provided": "2024-03-06", "record_type": 141, "type_provided": 1 }),
    ]
    .iter()
    .map(|service| create_as(app, &token, &format!("{base}/services"), service))
    .collect();
    // The services-only program has a client of its own: it and its affiliation are
    // exported.
    let response = post_enrollment(
        app,
        &token,
        &child,
        &json!({ "program_id": services_only, "entry_date": "2024-03-10",
                 "relationship_to_hoh": 1, "enrollment_coc": "XX-500",
                 "prior_living_situation": 116, "disabling_condition": 0 }),
    );
    response.assert_status(201);
    // A record of each of HUD's collections, with money, codes, text and a date.
    for (segment, record) in [
        (
            "income-benefits",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "income_from_any_source": 1, "earned": 1, "earned_amount": 1250.5,
                   "total_monthly_income": 1250.5, "benefits_from_any_source": 0,
                   "insurance_from_any_source": 1, "medicaid": 1}),
        ),
        (
            "disabilities",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "disability_type": 10, "disability_response": 3,
                   "indefinite_and_impairs": 1}),
        ),
        (
            "health-and-dv",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "domestic_violence_survivor": 1, "when_occurred": 2, "currently_fleeing": 0,
                   "pregnancy_status": 1, "due_date": "2024-09-01"}),
        ),
        (
            "employment-education",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "employed": 1, "employment_type": 1}),
        ),
        (
            "current-living-situations",
            json!({"information_date": "2024-04-02", "current_living_situation": 116,
                   "location_details": "Under the bridge, \"north\" side"}),
        ),
        (
            "events",
            json!({"information_date": "2024-04-03", "event": 1, "prob_sol_div_rr_result": 1}),
        ),
        (
            "youth-education-statuses",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "current_school_attend": 0, "most_recent_ed_status": 1}),
        ),
    ] {
        create_as(app, &token, &format!("{base}/{segment}"), &record);
    }
    // The head leaves last, after the child: a past stay of the whole household.
    let exit = json!({ "exit_date": "2024-07-31", "destination": 410,
                       "project_completion_status": 1 });
    exit_as(app, &token, &base, &exit);
    World {
        head,
        head_enrollment,
        services,
    }
}

/// What the tests change after the first export.
struct World {
    head: String,
    head_enrollment: String,
    services: Vec<String>,
}

/// The columns that hold our IDs (32 characters): every `...ID` column typed `Text(32)`
/// but the ExportID.
fn id_columns(file: &CsvFile) -> Vec<&'static str> {
    file.columns
        .iter()
        .filter(|column| {
            column.name.ends_with("ID")
                && column.kind == ColumnType::Text(32)
                && column.name != "ExportID"
        })
        .map(|column| column.name)
        .collect()
}

/// IDs a row brings in itself (its own, and a household's): matched, not translated.
fn is_own(file: &CsvFile, column: &str) -> bool {
    column == file.columns[0].name || column == "HouseholdID"
}

/// How two archives compare once normalised.
struct Comparison {
    /// First system's ID to the second's.
    ids: BTreeMap<String, String>,
    /// Columns set aside in every file besides ExportID and IDs.
    ignored: &'static [&'static str],
    differences: Vec<String>,
}

impl Comparison {
    fn new(ignored: &'static [&'static str]) -> Comparison {
        let mut ids = BTreeMap::new();
        // The system user is the same in both.
        ids.insert("0".repeat(32), "0".repeat(32));
        Comparison {
            ids,
            ignored,
            differences: Vec::new(),
        }
    }

    /// A row with its own IDs and the set-aside columns blanked, its references translated
    /// into the second system's IDs when `translate`.
    fn normalised(&mut self, file: &CsvFile, row: &Row, translate: bool) -> Row {
        let mut out = row.clone();
        out.insert("ExportID".into(), String::new());
        for column in self.ignored {
            if out.contains_key(*column) && !is_own(file, column) {
                out.insert((*column).into(), String::new());
            }
        }
        for column in id_columns(file) {
            if self.ignored.contains(&column) && !is_own(file, column) {
                continue;
            }
            let value = row[column].clone();
            if is_own(file, column) || value.is_empty() {
                out.insert(column.into(), String::new());
            } else if translate {
                let mapped = self.ids.get(&value).cloned().unwrap_or_else(|| {
                    self.differences.push(format!(
                        "{}.csv {column}: `{value}` refers to no record carried over",
                        file.name
                    ));
                    format!("unmapped:{value}")
                });
                out.insert(column.into(), mapped);
            }
        }
        out
    }

    fn map(&mut self, file: &CsvFile, first: &Row, second: &Row) {
        for column in id_columns(file) {
            if !is_own(file, column) || first[column].is_empty() {
                continue;
            }
            let previous = self
                .ids
                .insert(first[column].clone(), second[column].clone());
            if let Some(previous) = previous {
                if previous != second[column] {
                    self.differences.push(format!(
                        "{}.csv {column}: `{}` became both `{previous}` and `{}`",
                        file.name, first[column], second[column]
                    ));
                }
            }
        }
    }

    /// Matches the rows of one file: equal rows first, then each remaining first row with the
    /// closest remaining second row, every differing column reported.
    fn file(&mut self, file: &CsvFile, first: &[Row], second: &[Row]) {
        let left: Vec<Row> = first
            .iter()
            .map(|row| self.normalised(file, row, true))
            .collect();
        let right: Vec<Row> = second
            .iter()
            .map(|row| self.normalised(file, row, false))
            .collect();
        let mut taken = vec![false; right.len()];
        let mut unmatched = Vec::new();
        for (index, row) in left.iter().enumerate() {
            match (0..right.len()).find(|&other| !taken[other] && right[other] == *row) {
                Some(other) => {
                    taken[other] = true;
                    self.map(file, &first[index], &second[other]);
                }
                None => unmatched.push(index),
            }
        }
        for index in unmatched {
            let row = &left[index];
            let closest = (0..right.len())
                .filter(|&other| !taken[other])
                .min_by_key(|&other| {
                    row.iter()
                        .filter(|(column, value)| right[other].get(*column) != Some(value))
                        .count()
                });
            let Some(other) = closest else {
                self.differences.push(format!(
                    "{}.csv: a row is missing from the second export: {:?}",
                    file.name, first[index]
                ));
                continue;
            };
            taken[other] = true;
            self.map(file, &first[index], &second[other]);
            for (column, expected) in row {
                let got = right[other].get(column).cloned().unwrap_or_default();
                if got != *expected {
                    self.differences.push(format!(
                        "{}.csv {column} (row {}): expected `{expected}`, got `{got}`",
                        file.name, first[index][file.columns[0].name]
                    ));
                }
            }
        }
        for (other, row) in second.iter().enumerate() {
            if !taken[other] {
                self.differences.push(format!(
                    "{}.csv: an extra row in the second export: {row:?}",
                    file.name
                ));
            }
        }
    }
}

/// Compares the record files of two archives, Organization.csv apart: the import puts every
/// record into the receiving organization, so only that is checked of it.
fn compare(
    first: &Archive,
    second: &Archive,
    receiving: &str,
    ignored: &'static [&'static str],
) -> Vec<String> {
    let mut comparison = Comparison::new(ignored);
    let organizations = &second["Organization"];
    assert_eq!(organizations.len(), 1, "{organizations:?}");
    assert_eq!(
        organizations[0]["OrganizationID"],
        receiving.replace('-', "")
    );
    for row in &first["Organization"] {
        comparison.ids.insert(
            row["OrganizationID"].clone(),
            organizations[0]["OrganizationID"].clone(),
        );
    }
    for file in FILES {
        if matches!(file.name, "Export" | "Organization") {
            continue;
        }
        if ignored.contains(&"UserID") && file.name == "User" {
            continue;
        }
        comparison.file(file, &first[file.name], &second[file.name]);
    }
    comparison.differences
}

/// The Export.csv rows agree but for the ExportID and the export's own dates.
fn compare_export_rows(first: &Archive, second: &Archive) {
    let normalise = |archive: &Archive| {
        let mut row = archive["Export"][0].clone();
        for column in ["ExportID", "ExportDate", "SourceID", "SourceName"] {
            row.insert(column.into(), String::new());
        }
        row
    };
    assert_eq!(normalise(first), normalise(second));
    assert_eq!(first["Export"][0]["ExportStartDate"], "2024-01-01");
    assert_eq!(second["Export"][0]["ExportEndDate"], "2024-12-31");
}

/// Builds the data set, exports it, imports it into a fresh app and exports that again.
fn round_trip(app: &TestApp) -> RoundTrip {
    let world = build(app);
    let first_zip = export_bytes(app, PERIOD);
    let first = read_archive(&first_zip);
    assert_eq!(first["Enrollment"].len(), 3, "{:?}", first["Enrollment"]);

    let second_app = TestApp::spawn(app.backend());
    let receiving = create_organization(&second_app, "Receiving Agency");
    let job = import(&second_app, &receiving, &first_zip);
    assert_eq!(job["status"], "succeeded", "{job}");
    let second = read_archive(&export_bytes(&second_app, PERIOD));
    RoundTrip {
        world,
        second_app,
        receiving,
        first_zip,
        first,
        second,
    }
}

struct RoundTrip {
    world: World,
    /// The fresh app the first export was imported into.
    second_app: TestApp,
    /// Its organization the import went into.
    receiving: String,
    first_zip: Vec<u8>,
    first: Archive,
    second: Archive,
}

fn report(differences: &[String]) {
    assert!(
        differences.is_empty(),
        "the round trip changed {} thing(s):\n{}",
        differences.len(),
        differences.join("\n")
    );
}

both_backends!(
    fn round_trip_carries_every_record_and_field(app: &TestApp) {
        let RoundTrip {
            receiving,
            first,
            second,
            ..
        } = round_trip(app);
        compare_export_rows(&first, &second);
        // Who wrote a record and when are the receiving system's own bookkeeping: its
        // records were written by the import job, when it ran.
        let differences = compare(
            &first,
            &second,
            &receiving,
            &["DateCreated", "DateUpdated", "UserID"],
        );
        report(&differences);
        assert_eq!(second["Client"].len(), 2);
        assert_eq!(second["Services"].len(), 2);
        assert_eq!(second["AssessmentQuestions"].len(), 2);
        assert_eq!(second["AssessmentResults"].len(), 2);
        assert_eq!(FILES.len(), 24, "every file of HMIS CSV FY2026");
        // The files' columns beyond a record's own fields came over too.
        let has = |file: &str, column: &str, value: &str| {
            assert!(
                second[file].iter().any(|row| row[column] == value),
                "{file}.{column} = {value}: {:?}",
                second[file]
            );
        };
        has("Client", "AdditionalRaceEthnicity", "Hmong");
        has("Enrollment", "DateToStreetESSH", "2024-01-01");
        has("Enrollment", "MonthsHomelessPastThreeYears", "102");
        has("Exit", "ProjectCompletionStatus", "1");
        has("Project", "HousingType", "1");
        has("IncomeBenefits", "EarnedAmount", "1250.50");
        for file in [
            "ProjectCoC",
            "Inventory",
            "Affiliation",
            "HMISParticipation",
            "CEParticipation",
            "IncomeBenefits",
            "Disabilities",
            "HealthAndDV",
            "EmploymentEducation",
            "CurrentLivingSituation",
            "Event",
            "YouthEducationStatus",
        ] {
            assert_eq!(second[file].len(), 1, "{file}: {:?}", second[file]);
        }
    }

    fn importing_the_export_again_changes_nothing(app: &TestApp) {
        let RoundTrip {
            second_app,
            receiving,
            first_zip,
            ..
        } = round_trip(app);
        let again = import(&second_app, &receiving, &first_zip);
        assert_eq!(again["status"], "succeeded", "{again}");
        let counts = again["counts"].as_object().expect("counts");
        for file in ["Client.csv", "Enrollment.csv", "Exit.csv", "Services.csv"] {
            assert!(counts.contains_key(file), "no counts for {file}: {again}");
        }
        for (file, counts) in counts {
            for kind in ["created", "updated", "deleted"] {
                assert_eq!(counts[kind], 0, "{file} {kind} in {again}");
            }
        }
        let unchanged: u64 = counts
            .values()
            .map(|counts| counts["unchanged"].as_u64().unwrap_or(0))
            .sum();
        assert!(unchanged > 0, "{again}");
    }
);

/// Waits past the current second: the files' DateUpdated has whole seconds.
fn next_second() {
    std::thread::sleep(Duration::from_millis(1100));
}

/// The first export's client `first_name` renamed `name`, and its first service deleted.
fn edit_and_delete(app: &TestApp, world: &World, name: &str) {
    app.patch(
        &format!("/v1/clients/{}", world.head),
        Some(&app.admin_token()),
        &json!({ "first_name": name }),
    )
    .assert_status(200);
    app.delete(
        &format!(
            "{}/services/{}",
            enrollment_path(&world.head, &world.head_enrollment),
            world.services[0]
        ),
        Some(&app.admin_token()),
    )
    .assert_status(204);
}

/// Imports a newer export of the first app into the second; checks the counts and what
/// the second app exports then.
fn import_newer_export(app: &TestApp, trip: &RoundTrip, name: &str) {
    let newer = export_bytes(app, &format!("{PERIOD}&include_deleted=true"));
    let job = import(&trip.second_app, &trip.receiving, &newer);
    assert_eq!(job["status"], "succeeded", "{job}");
    let counts = &job["counts"];
    assert_eq!(
        (
            &counts["Client.csv"]["updated"],
            &counts["Client.csv"]["unchanged"]
        ),
        (&json!(1), &json!(1)),
        "Client.csv counts: {job}"
    );
    assert_eq!(counts["Services.csv"]["deleted"], 1, "{job}");
    assert_eq!(counts["Enrollment.csv"]["updated"], 0, "{job}");
    let after = read_archive(&export_bytes(&trip.second_app, PERIOD));
    let names: Vec<&str> = after["Client"]
        .iter()
        .map(|row| row["FirstName"].as_str())
        .collect();
    assert!(names.contains(&name), "{names:?}");
    assert_eq!(after["Services"].len(), 1, "{:?}", after["Services"]);
    assert_eq!(after["Services"][0]["DateProvided"], "2024-03-06");
}

both_backends!(
    fn a_newer_export_updates_and_deletes(app: &TestApp) {
        let trip = round_trip(app);
        next_second();
        edit_and_delete(app, &trip.world, "Anabel");
        import_newer_export(app, &trip, "Anabel");
    }
);

both_backends!(
    fn a_change_made_before_the_last_import_ran_is_taken(app: &TestApp) {
        let world = build(app);
        let first_zip = export_bytes(app, PERIOD);
        next_second();
        // Changed at the source after the first export was taken...
        edit_and_delete(app, &world, "Anabel");
        next_second();
        // ...which is imported only now, stamped with the time of the import.
        let second_app = TestApp::spawn(app.backend());
        let receiving = create_organization(&second_app, "Receiving Agency");
        let job = import(&second_app, &receiving, &first_zip);
        assert_eq!(job["status"], "succeeded", "{job}");
        let trip = RoundTrip {
            world,
            second_app,
            receiving,
            first: read_archive(&first_zip),
            second: Archive::new(),
            first_zip,
        };
        import_newer_export(app, &trip, "Anabel");
    }
);
