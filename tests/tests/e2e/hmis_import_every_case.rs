//! One archive per version read (FY2026 and FY2024) as another system writes it: every file
//! of the version present, and in it every case an exchange meets at once (issue "Real
//! exchanges": shelter move-in, overlapping stays, two heads, no head, an exit before the
//! move-in, an ESG-CV grant, a partial and a hashed SSN, blank required codes, a bad date
//! with every row that depends on it, a custom file). Strict refuses it whole, naming every
//! row; tolerant writes what it can, with exact counts per file and every problem listed.
//! An FY2022 archive is refused for its version.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::common::imports::{self, csv, file_of, poll_job_every, post_import, zip_of};
use crate::common::{create_organization, enrollments_path, id_of};
use serde_json::{json, Value};
use threshold_domain::hmis_csv::CsvVersion;
use threshold_tests::{both_backends, TestApp};

type Values = Vec<(&'static str, &'static str)>;

/// The rows of each file, by file name without `.csv`; the files not named have none.
fn rows() -> BTreeMap<&'static str, Vec<Values>> {
    let client = |id, last, name_quality, ssn, ssn_quality, dob| -> Values {
        vec![
            ("PersonalID", id),
            ("FirstName", "Sam"),
            ("LastName", last),
            ("NameDataQuality", name_quality),
            ("SSN", ssn),
            ("SSNDataQuality", ssn_quality),
            ("DOB", dob),
            ("DOBDataQuality", "1"),
            ("AmIndAKNative", "0"),
            ("Asian", "0"),
            ("BlackAfAmerican", "0"),
            // FY2026's spelling, and FY2024's.
            ("HispanicLatinao", "0"),
            ("HispanicLatinaeo", "0"),
            ("MidEastNAfrican", "0"),
            ("NativeHIPacific", "0"),
            ("White", "1"),
            // FY2026's sex; FY2024's gender.
            ("Sex", "0"),
            ("Woman", "1"),
            ("Man", "0"),
            ("NonBinary", "0"),
            ("CulturallySpecific", "0"),
            ("Transgender", "0"),
            ("Questioning", "0"),
            ("DifferentIdentity", "0"),
            ("VeteranStatus", "0"),
        ]
    };
    let hashed = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let stay = |id, client, project, household, relationship, entry, move_in| -> Values {
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
    };
    let exit = |id, enrollment, client, date, destination| -> Values {
        vec![
            ("ExitID", id),
            ("EnrollmentID", enrollment),
            ("PersonalID", client),
            ("ExitDate", date),
            ("Destination", destination),
        ]
    };
    let project = |id, name, kind| -> Values {
        vec![
            ("ProjectID", id),
            ("OrganizationID", "O-1"),
            ("ProjectName", name),
            ("OperatingStartDate", "2020-01-01"),
            ("ContinuumProject", "1"),
            ("ProjectType", kind),
            ("HousingType", "1"),
        ]
    };
    let funder = |id, project, code, start, end| -> Values {
        vec![
            ("FunderID", id),
            ("ProjectID", project),
            ("Funder", code),
            ("GrantID", "G-1"),
            ("StartDate", start),
            ("EndDate", end),
        ]
    };
    // E-2's records (entry 2024-01-10) and E-6's (entry 2024-02-01), in each HUD file.
    let of = |enrollment: &'static str, more: &[(&'static str, &'static str)]| -> Values {
        let client = if enrollment == "E-2" { "C-2" } else { "C-6" };
        let mut values = vec![("EnrollmentID", enrollment), ("PersonalID", client)];
        values.extend_from_slice(more);
        values
    };
    let both = |make: &dyn Fn(&'static str, &'static str, &'static str) -> Values| {
        vec![
            make("E-2", "2", "2024-01-10"),
            make("E-6", "6", "2024-02-01"),
        ]
    };
    let suffixed = |prefix: &str, n: &str| -> &'static str { format!("{prefix}-{n}").leak() };
    let at_start = |id_column: &'static str,
                    prefix: &'static str,
                    more: &'static [(&'static str, &'static str)]| {
        both(&move |enrollment, n, date| {
            let mut values = of(
                enrollment,
                &[
                    (id_column, suffixed(prefix, n)),
                    ("InformationDate", date),
                    ("DataCollectionStage", "1"),
                ],
            );
            values.extend_from_slice(more);
            values
        })
    };
    let later = |n: &str| -> &'static str {
        if n == "2" {
            "2024-01-20"
        } else {
            "2024-02-05"
        }
    };
    BTreeMap::from([
        (
            "Export",
            vec![vec![
                ("ExportID", "X1"),
                ("SourceType", "3"),
                ("SourceID", "other-hmis"),
                ("SourceName", "Other HMIS"),
                ("ExportDate", "2024-06-01 10:00:00"),
                ("ExportStartDate", "2024-01-01"),
                ("ExportEndDate", "2024-12-31"),
                ("SoftwareName", "Other"),
                ("ExportPeriodType", "3"),
                ("ExportDirective", "2"),
                // Identifiers hashed at the source.
                ("HashStatus", "4"),
            ]],
        ),
        (
            "Organization",
            vec![vec![
                ("OrganizationID", "O-1"),
                ("OrganizationName", "Harbor"),
                ("VictimServiceProvider", "0"),
            ]],
        ),
        (
            "User",
            vec![vec![
                ("UserID", "U-1"),
                ("UserFirstName", "Dana"),
                ("UserLastName", "Reyes"),
            ]],
        ),
        (
            "Project",
            vec![
                project("P-1", "Harbor Shelter", "0"),
                project("P-2", "Harbor Homes", "13"),
                project("P-3", "Harbor Services", "6"),
            ],
        ),
        (
            "Funder",
            vec![
                // ESG-CV (47), retired in FY2026, on a grant that ended in 2021.
                funder("F-1", "P-2", "47", "2020-04-01", "2021-09-30"),
                funder("F-2", "P-1", "2", "2023-01-01", ""),
            ],
        ),
        (
            "ProjectCoC",
            vec![vec![
                ("ProjectCoCID", "PC-1"),
                ("ProjectID", "P-1"),
                ("CoCCode", "XX-500"),
                ("Geocode", "069001"),
                ("GeographyType", "1"),
            ]],
        ),
        (
            "Inventory",
            vec![vec![
                ("InventoryID", "I-1"),
                ("ProjectID", "P-1"),
                ("CoCCode", "XX-500"),
                ("HouseholdType", "1"),
                ("Availability", "1"),
                ("UnitInventory", "10"),
                ("BedInventory", "12"),
                ("ESBedType", "1"),
                ("InventoryStartDate", "2020-10-01"),
            ]],
        ),
        (
            "Affiliation",
            vec![vec![
                ("AffiliationID", "A-1"),
                ("ProjectID", "P-3"),
                ("ResProjectID", "P-2"),
            ]],
        ),
        (
            "HMISParticipation",
            vec![vec![
                ("HMISParticipationID", "HP-1"),
                ("ProjectID", "P-1"),
                ("HMISParticipationType", "1"),
                ("HMISParticipationStatusStartDate", "2020-01-01"),
            ]],
        ),
        (
            "CEParticipation",
            vec![vec![
                ("CEParticipationID", "CE-1"),
                ("ProjectID", "P-1"),
                ("AccessPoint", "0"),
                ("ReceivesReferrals", "1"),
                ("CEParticipationStatusStartDate", "2024-01-01"),
            ]],
        ),
        (
            "Client",
            vec![
                client("C-1", "Ash", "1", "", "99", "1980-01-01"),
                // A blank NameDataQuality.
                client("C-2", "Birch", "", "", "99", "1981-01-01"),
                client("C-3", "Cedar", "1", "", "99", "1982-01-01"),
                // A partial SSN, padded with x.
                client("C-4", "Dogwood", "1", "xxx021232", "2", "1983-01-01"),
                // A hashed SSN.
                client("C-5", "Elm", "1", hashed, "1", "1984-01-01"),
                // A date that cannot be read.
                client("C-6", "Fir", "1", "", "99", "1985-02-30"),
                client("C-7", "Gum", "1", "", "99", "1986-01-01"),
                client("C-8", "Hazel", "1", "", "99", "1987-01-01"),
            ],
        ),
        (
            "Enrollment",
            vec![
                // A move-in date on a shelter stay.
                stay("E-1", "C-1", "P-1", "H-1", "1", "2024-01-10", "2024-01-12"),
                stay("E-2", "C-2", "P-1", "H-2", "1", "2024-01-10", ""),
                // Two overlapping shelter stays of one client.
                stay("E-3", "C-3", "P-1", "H-3", "1", "2024-01-05", ""),
                stay("E-3B", "C-3", "P-1", "H-3B", "1", "2024-01-20", ""),
                // A household with two heads.
                stay("E-4", "C-4", "P-2", "H-4", "1", "2024-02-01", ""),
                stay("E-5", "C-5", "P-2", "H-4", "1", "2024-02-01", ""),
                // The client that cannot be read.
                stay("E-6", "C-6", "P-1", "H-6", "1", "2024-02-01", ""),
                // A household with no head.
                stay("E-7", "C-7", "P-2", "H-7", "2", "2024-02-01", ""),
                // Exited before the move-in date.
                stay("E-8", "C-8", "P-2", "H-8", "1", "2024-02-01", "2024-03-10"),
            ],
        ),
        (
            "Exit",
            vec![
                // A blank Destination.
                exit("X-3", "E-3", "C-3", "2024-02-15", ""),
                exit("X-6", "E-6", "C-6", "2024-02-20", "101"),
                exit("X-8", "E-8", "C-8", "2024-03-01", "101"),
            ],
        ),
        (
            "Services",
            both(&|enrollment, n, date| {
                of(
                    enrollment,
                    &[
                        ("ServicesID", suffixed("S", n)),
                        ("DateProvided", date),
                        ("RecordType", "200"),
                        ("TypeProvided", "200"),
                    ],
                )
            }),
        ),
        ("IncomeBenefits", {
            const INCOME: &[(&str, &str)] = &[
                ("IncomeFromAnySource", "1"),
                ("Earned", "1"),
                ("EarnedAmount", "500.25"),
                ("TotalMonthlyIncome", "500.25"),
                ("BenefitsFromAnySource", "0"),
                ("InsuranceFromAnySource", "0"),
            ];
            let mut rows = at_start("IncomeBenefitsID", "IB", INCOME);
            // At project start, dated before E-3's entry: a record rule it breaks.
            let mut early = vec![
                ("IncomeBenefitsID", "IB-3"),
                ("EnrollmentID", "E-3"),
                ("PersonalID", "C-3"),
                ("InformationDate", "2024-01-01"),
                ("DataCollectionStage", "1"),
            ];
            early.extend_from_slice(INCOME);
            rows.push(early);
            rows
        }),
        (
            "Disabilities",
            at_start(
                "DisabilitiesID",
                "D",
                &[
                    ("DisabilityType", "10"),
                    ("DisabilityResponse", "3"),
                    ("IndefiniteAndImpairs", "1"),
                ],
            ),
        ),
        (
            "HealthAndDV",
            at_start(
                "HealthAndDVID",
                "HD",
                &[
                    ("DomesticViolenceSurvivor", "1"),
                    ("WhenOccurred", "2"),
                    ("CurrentlyFleeing", "0"),
                ],
            ),
        ),
        (
            "EmploymentEducation",
            at_start(
                "EmploymentEducationID",
                "EE",
                &[("Employed", "1"), ("EmploymentType", "2")],
            ),
        ),
        (
            "YouthEducationStatus",
            at_start(
                "YouthEducationStatusID",
                "Y",
                &[("CurrentSchoolAttend", "0"), ("MostRecentEdStatus", "1")],
            ),
        ),
        (
            "CurrentLivingSituation",
            both(&|enrollment, n, _| {
                of(
                    enrollment,
                    &[
                        ("CurrentLivingSitID", suffixed("CLS", n)),
                        ("InformationDate", later(n)),
                        ("CurrentLivingSituation", "116"),
                    ],
                )
            }),
        ),
        (
            "Event",
            both(&|enrollment, n, _| {
                of(
                    enrollment,
                    &[
                        ("EventID", suffixed("EV", n)),
                        ("EventDate", later(n)),
                        ("Event", "1"),
                    ],
                )
            }),
        ),
        (
            "Assessment",
            both(&|enrollment, n, _| {
                of(
                    enrollment,
                    &[
                        ("AssessmentID", suffixed("AS", n)),
                        ("AssessmentDate", later(n)),
                        ("AssessmentLocation", "Front desk"),
                        ("AssessmentType", "1"),
                        ("AssessmentLevel", "1"),
                        ("PrioritizationStatus", "1"),
                    ],
                )
            }),
        ),
        (
            "AssessmentQuestions",
            both(&|enrollment, n, _| {
                of(
                    enrollment,
                    &[
                        ("AssessmentQuestionID", suffixed("AQ", n)),
                        ("AssessmentID", suffixed("AS", n)),
                        ("AssessmentQuestion", "Sleeping outside?"),
                        ("AssessmentAnswer", "Yes"),
                    ],
                )
            }),
        ),
        (
            "AssessmentResults",
            both(&|enrollment, n, _| {
                of(
                    enrollment,
                    &[
                        ("AssessmentResultID", suffixed("AR", n)),
                        ("AssessmentID", suffixed("AS", n)),
                        ("AssessmentResultType", "VI-SPDAT"),
                        ("AssessmentResult", "9"),
                    ],
                )
            }),
        ),
    ])
}

/// The archive of `version` (CSVVersion `csv_version`): every file of the version, in its
/// columns, and a custom file.
fn archive(version: CsvVersion, csv_version: &'static str) -> Vec<(&'static str, String)> {
    let mut rows = rows();
    if let Some(export) = rows.get_mut("Export") {
        export[0].push(("CSVVersion", csv_version));
    }
    let mut files: Vec<(&'static str, String)> = version
        .files()
        .iter()
        .map(|file| {
            let values = rows.remove(file.name).unwrap_or_default();
            let values: Vec<&[(&str, &str)]> = values.iter().map(Vec::as_slice).collect();
            file_of(file, &values)
        })
        .collect();
    assert!(rows.is_empty(), "rows of no file: {rows:?}");
    files.push((
        "CustomClientServices.csv",
        csv(&["CustomServiceID,PersonalID", "CS-1,C-1"]),
    ));
    files
}

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

/// `created/skipped/flagged` of every file the job counted.
fn counts(job: &Value) -> BTreeMap<String, [u64; 3]> {
    job["counts"]
        .as_object()
        .expect("counts")
        .iter()
        .map(|(file, counts)| {
            let count = |kind: &str| counts[kind].as_u64().unwrap_or(0);
            (
                file.clone(),
                [count("created"), count("skipped"), count("flagged")],
            )
        })
        .collect()
}

/// Every problem as `file:line column code severity [caused by file:line]`, sorted.
fn problems(job: &Value) -> Vec<String> {
    let mut all: Vec<String> = job["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|problem| {
            let mut text = format!(
                "{}:{} {} {} {}",
                problem["file"].as_str().unwrap_or_default(),
                problem["line"],
                problem["column"].as_str().unwrap_or_default(),
                problem["code"].as_str().unwrap_or_default(),
                problem["severity"].as_str().unwrap_or_default(),
            );
            if let Some(cause) = problem["caused_by"].as_object() {
                let file = cause["file"].as_str().unwrap_or_default();
                text.push_str(&format!(" <- {file}:{}", cause["line"]));
            }
            text
        })
        .collect();
    all.sort();
    all
}

/// What strict mode says of the archive: every row that breaks a rule or cannot be read,
/// each row that depends on one whose reference cannot be resolved, and the warnings.
const STRICT: &[&str] = &[
    "Assessment.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "AssessmentQuestions.csv:2 AssessmentID import.depends_on_refused error <- Assessment.csv:2",
    "AssessmentResults.csv:2 AssessmentID import.depends_on_refused error <- Assessment.csv:2",
    "Client.csv:3 NameDataQuality import.required error",
    "Client.csv:5 SSN import.partial_or_hashed_ssn warning",
    "Client.csv:6 SSN import.partial_or_hashed_ssn warning",
    "Client.csv:7 DOB import.not_date error",
    "CurrentLivingSituation.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "Disabilities.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "EmploymentEducation.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "Enrollment.csv:2 MoveInDate enrollment.move_in_invalid error",
    "Enrollment.csv:3 PersonalID import.depends_on_refused error <- Client.csv:3",
    "Enrollment.csv:5 EntryDate enrollment.overlap error",
    "Enrollment.csv:7 RelationshipToHoH household.head_exists error",
    "Enrollment.csv:9 RelationshipToHoH household.head_required error",
    "Event.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "Exit.csv:2 Destination import.required error",
    "Exit.csv:4 ExitDate exit.before_entry error",
    "Funder.csv:2 Funder import.retired_code warning",
    "HealthAndDV.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "IncomeBenefits.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "IncomeBenefits.csv:4 InformationDate record.outside_enrollment error",
    "IncomeBenefits.csv:4 InformationDate record.stage_date error",
    "Services.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
    "YouthEducationStatus.csv:2 EnrollmentID import.depends_on_refused error <- Enrollment.csv:3",
];

/// What tolerant mode says: C-6 (a bad date) skipped with everything that depends on it,
/// row by row; IB-3 skipped for the rule it breaks; blanks read as 99; the enrollment rule
/// breaks flagged; the historical identifiers and codes kept, each with a warning.
const TOLERANT: &[&str] = &[
    "Assessment.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "AssessmentQuestions.csv:3 AssessmentID import.depends_on_refused error <- Assessment.csv:3",
    "AssessmentResults.csv:3 AssessmentID import.depends_on_refused error <- Assessment.csv:3",
    "Client.csv:3 NameDataQuality import.read_as_not_collected warning",
    "Client.csv:5 SSN import.partial_or_hashed_ssn warning",
    "Client.csv:6 SSN import.partial_or_hashed_ssn warning",
    "Client.csv:7 DOB import.not_date error",
    "CurrentLivingSituation.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "Disabilities.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "EmploymentEducation.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "Enrollment.csv:2 MoveInDate enrollment.move_in_invalid warning",
    "Enrollment.csv:5 EntryDate enrollment.overlap warning",
    "Enrollment.csv:7 RelationshipToHoH household.head_exists warning",
    "Enrollment.csv:8 PersonalID import.depends_on_refused error <- Client.csv:7",
    "Enrollment.csv:9 RelationshipToHoH household.head_required warning",
    "Event.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "Exit.csv:2 Destination import.read_as_not_collected warning",
    "Exit.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "Exit.csv:4 ExitDate exit.before_entry warning",
    "Funder.csv:2 Funder import.retired_code warning",
    "HealthAndDV.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "IncomeBenefits.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "IncomeBenefits.csv:4 InformationDate record.outside_enrollment error",
    "IncomeBenefits.csv:4 InformationDate record.stage_date error",
    "Services.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
    "YouthEducationStatus.csv:3 EnrollmentID import.depends_on_refused error <- Enrollment.csv:8",
];

/// `[created, skipped, flagged]` per file in tolerant mode. The file's organization is not
/// copied (records go into the job's); E-8's exit before its move-in is flagged on its exit.
const TOLERANT_COUNTS: &[(&str, [u64; 3])] = &[
    ("Affiliation.csv", [1, 0, 0]),
    ("Assessment.csv", [1, 1, 0]),
    // Questions and results are written with their assessment.
    ("AssessmentQuestions.csv", [0, 1, 0]),
    ("AssessmentResults.csv", [0, 1, 0]),
    ("CEParticipation.csv", [1, 0, 0]),
    ("Client.csv", [7, 1, 0]),
    ("CurrentLivingSituation.csv", [1, 1, 0]),
    ("Disabilities.csv", [1, 1, 0]),
    ("EmploymentEducation.csv", [1, 1, 0]),
    ("Enrollment.csv", [8, 1, 4]),
    ("Event.csv", [1, 1, 0]),
    ("Exit.csv", [2, 1, 1]),
    ("Funder.csv", [2, 0, 0]),
    ("HMISParticipation.csv", [1, 0, 0]),
    ("HealthAndDV.csv", [1, 1, 0]),
    ("IncomeBenefits.csv", [1, 2, 0]),
    ("Inventory.csv", [1, 0, 0]),
    ("Organization.csv", [0, 0, 0]),
    ("Project.csv", [3, 0, 0]),
    ("ProjectCoC.csv", [1, 0, 0]),
    ("Services.csv", [1, 1, 0]),
    ("User.csv", [1, 0, 0]),
    ("YouthEducationStatus.csv", [1, 1, 0]),
];

/// The flags of the one enrollment of the client called `last`.
fn flags_of(app: &TestApp, last: &str) -> Vec<String> {
    let token = app.admin_token();
    let clients = app.get(&format!("/v1/clients?q={last}"), Some(&token));
    clients.assert_status(200);
    let client = id_of(&clients.body["data"][0]);
    let list = app.get(&enrollments_path(&client), Some(&token));
    list.assert_status(200);
    let enrollment = &list.body["data"][0];
    let read = app.get(
        &format!("{}/{}", enrollments_path(&client), id_of(enrollment)),
        Some(&token),
    );
    read.assert_status(200);
    read.body["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|flag| flag["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn every_case(app: &TestApp, version: CsvVersion, csv_version: &'static str) {
    let files = archive(version, csv_version);
    assert_eq!(
        files.len(),
        25,
        "every file of the version and a custom one"
    );
    let organization = create_organization(app, "Receiving");

    let strict = import(app, &format!("?organization_id={organization}"), &files);
    assert_eq!(strict["status"], "failed", "{strict}");
    for (file, [created, _, _]) in counts(&strict) {
        assert_eq!(created, 0, "{file}: {strict}");
    }
    assert_eq!(problems(&strict), STRICT, "{strict}");
    assert_eq!(strict["ignored"], json!(["CustomClientServices.csv"]));

    let query = format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=50");
    let tolerant = import(app, &query, &files);
    assert_eq!(tolerant["status"], "succeeded", "{tolerant}");
    assert_eq!(problems(&tolerant), TOLERANT, "{tolerant}");
    let expected: BTreeMap<String, [u64; 3]> = TOLERANT_COUNTS
        .iter()
        .map(|(file, counts)| ((*file).to_owned(), *counts))
        .collect();
    assert_eq!(counts(&tolerant), expected, "{tolerant}");
    // The flags are on the records, as the problems said.
    for (last, flags) in [
        ("ash", vec!["enrollment.move_in_invalid"]),
        ("birch", vec![]),
        ("elm", vec!["household.head_exists"]),
        ("gum", vec!["household.head_required"]),
        ("hazel", vec!["exit.before_entry"]),
    ] {
        assert_eq!(flags_of(app, last), flags, "{last}");
    }
    let fir = app.get("/v1/clients?q=fir", Some(&app.admin_token()));
    assert_eq!(fir.body["data"], json!([]), "C-6 was skipped");

    // Once more: nothing new to write, the same problems said again.
    let again = import(app, &query, &files);
    assert_eq!(again["status"], "succeeded", "{again}");
    assert!(
        counts(&again).values().all(|[created, _, _]| *created == 0),
        "{again}"
    );
}

both_backends!(
    fn an_fy2026_archive_with_every_file_and_every_case(app: &TestApp) {
        every_case(app, CsvVersion::Fy2026, "2026 v1.0");
    }

    fn an_fy2024_archive_with_every_file_and_every_case(app: &TestApp) {
        every_case(app, CsvVersion::Fy2024, "2024 v1.3");
    }

    fn an_fy2022_archive_is_refused_for_its_version(app: &TestApp) {
        let organization = create_organization(app, "Receiving");
        let files = archive(CsvVersion::Fy2024, "2022 v1.3");
        let refused = post_import(
            app,
            &app.admin_token(),
            &format!("?organization_id={organization}&mode=tolerant"),
            zip_of(&files),
        );
        refused.assert_status(422);
        assert_eq!(refused.body["code"], "import.unsupported_version");
        let detail = refused.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("2022 v1.3"), "{detail}");
    }
);
