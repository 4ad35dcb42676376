//! HUD's reports (contract: "Reports, release 2"): `hud-data-quality` and `outcomes` over a
//! small program imported from another system (so that each record's creation date is the
//! source's), every cell of every table checked against the domain's computation over the
//! same facts, the numbers HUD's rules give checked by hand, the drill-down of cells a page
//! at a time, the CSV ZIP, the command line, the organization scope, and refused requests.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

use serde_json::{json, Value};
use threshold_domain::codes::{
    DataQuality, Destination, NoYesMissing, PriorLivingSituation, ProjectType, RelationshipToHoh,
    Sex,
};
use threshold_domain::money::Cents;
use threshold_domain::reports::hud::{
    hud_data_quality, outcomes, CellValue, ClientAnswers, IncomeRecord, LivingSituation,
    ReportedEnrollment, Table,
};
use threshold_domain::reports::ReportRange;
use threshold_domain::Date;
use threshold_tests::{both_backends, Role, TestApp};
use uuid::Uuid;

use crate::common::imports::{self, file_of, poll_job_every, post_import, zip_of};
use crate::common::{create_organization, id_of, token_for};
use threshold_domain::hmis_csv::fy2026;

const RANGE: &str = "from=2025-01-01&to=2025-12-31";

type Values = Vec<(&'static str, &'static str)>;

/// `values` recorded at `stamp` (DateCreated and DateUpdated).
fn at(stamp: &'static str, mut values: Values) -> Values {
    values.push(("DateCreated", stamp));
    values.push(("DateUpdated", stamp));
    values
}

/// Two programs of another system: a shelter (P-1) and rapid re-housing (P-2).
///
/// - C-1, an adult, entered the shelter on 2025-01-10, recorded that day; a stayer with no
///   income;
/// - C-2 (adult, head) and C-3 (a child) entered on 2025-02-01, recorded 4 days late, and
///   left on 2025-03-01 for a rental (410), recorded that day; C-2 earned 500 at entry and
///   800 at exit;
/// - C-4, an adult whose SSN they don't know (8), entered rapid re-housing on 2025-04-01,
///   recorded 11 days late, and moved in on 2025-04-15; no income;
/// - C-5, whose date of birth was not collected (99), entered the shelter on 2025-05-01,
///   recorded 3 days late, and left on 2025-05-20 for a place not meant for habitation
///   (116), recorded 11 days late, without an exit income record.
fn archive() -> Vec<(&'static str, String)> {
    let stamp = "2025-06-01 10:00:00";
    let client = |id, last, ssn, ssn_quality, dob, dob_quality| {
        at(
            stamp,
            vec![
                ("PersonalID", id),
                ("FirstName", "Sam"),
                ("LastName", last),
                ("NameDataQuality", "1"),
                ("SSN", ssn),
                ("SSNDataQuality", ssn_quality),
                ("DOB", dob),
                ("DOBDataQuality", dob_quality),
                ("White", "1"),
                ("Sex", "0"),
                ("VeteranStatus", "0"),
            ],
        )
    };
    let stay = |id, client, project, household, relationship, entry, created, move_in| {
        at(
            created,
            vec![
                ("EnrollmentID", id),
                ("PersonalID", client),
                ("ProjectID", project),
                ("EntryDate", entry),
                ("HouseholdID", household),
                ("RelationshipToHoH", relationship),
                ("EnrollmentCoC", "XX-500"),
                ("LivingSituation", "116"),
                ("DisablingCondition", "0"),
                ("MoveInDate", move_in),
            ],
        )
    };
    let exit = |id, enrollment, client, date, destination, created| {
        at(
            created,
            vec![
                ("ExitID", id),
                ("EnrollmentID", enrollment),
                ("PersonalID", client),
                ("ExitDate", date),
                ("Destination", destination),
            ],
        )
    };
    let income = |id, enrollment, client, date, stage, earned: Option<&'static str>| {
        let mut values = vec![
            ("IncomeBenefitsID", id),
            ("EnrollmentID", enrollment),
            ("PersonalID", client),
            ("InformationDate", date),
            ("DataCollectionStage", stage),
            ("BenefitsFromAnySource", "0"),
            ("InsuranceFromAnySource", "0"),
        ];
        match earned {
            Some(amount) => values.extend([
                ("IncomeFromAnySource", "1"),
                ("Earned", "1"),
                ("EarnedAmount", amount),
                ("TotalMonthlyIncome", amount),
            ]),
            None => values.push(("IncomeFromAnySource", "0")),
        }
        at(stamp, values)
    };
    let project = |id, name, kind| {
        at(
            stamp,
            vec![
                ("ProjectID", id),
                ("OrganizationID", "O-1"),
                ("ProjectName", name),
                ("OperatingStartDate", "2020-01-01"),
                ("ContinuumProject", "1"),
                ("ProjectType", kind),
                ("HousingType", "1"),
            ],
        )
    };
    let export = vec![
        ("ExportID", "X1"),
        ("SourceType", "3"),
        ("SourceID", "other-hmis"),
        ("SourceName", "Other HMIS"),
        ("ExportDate", stamp),
        ("ExportStartDate", "2025-01-01"),
        ("ExportEndDate", "2025-12-31"),
        ("SoftwareName", "Other"),
        ("CSVVersion", "2026 v1.0"),
        ("ExportPeriodType", "3"),
        ("ExportDirective", "2"),
        ("HashStatus", "1"),
    ];
    let organization = vec![
        ("OrganizationID", "O-1"),
        ("OrganizationName", "Harbor"),
        ("VictimServiceProvider", "0"),
    ];
    let user = at(
        stamp,
        vec![
            ("UserID", "U-1"),
            ("UserFirstName", "Dana"),
            ("UserLastName", "Reyes"),
        ],
    );
    let rows = |values: &[Values]| -> Vec<Values> { values.to_vec() };
    let clients = rows(&[
        client("C-1", "Ash", "219456781", "1", "1980-01-01", "1"),
        client("C-2", "Birch", "219456782", "1", "1985-01-01", "1"),
        client("C-3", "Cedar", "219456783", "1", "2015-06-01", "1"),
        client("C-4", "Dogwood", "", "8", "1990-01-01", "1"),
        client("C-5", "Elm", "219456785", "1", "", "99"),
    ]);
    let stays = rows(&[
        stay(
            "E-1",
            "C-1",
            "P-1",
            "H-1",
            "1",
            "2025-01-10",
            "2025-01-10 09:00:00",
            "",
        ),
        stay(
            "E-2",
            "C-2",
            "P-1",
            "H-2",
            "1",
            "2025-02-01",
            "2025-02-05 09:00:00",
            "",
        ),
        stay(
            "E-3",
            "C-3",
            "P-1",
            "H-2",
            "2",
            "2025-02-01",
            "2025-02-05 09:00:00",
            "",
        ),
        stay(
            "E-4",
            "C-4",
            "P-2",
            "H-4",
            "1",
            "2025-04-01",
            "2025-04-12 09:00:00",
            "2025-04-15",
        ),
        stay(
            "E-5",
            "C-5",
            "P-1",
            "H-5",
            "1",
            "2025-05-01",
            "2025-05-04 09:00:00",
            "",
        ),
    ]);
    let exits = rows(&[
        exit(
            "X-2",
            "E-2",
            "C-2",
            "2025-03-01",
            "410",
            "2025-03-01 17:00:00",
        ),
        exit(
            "X-3",
            "E-3",
            "C-3",
            "2025-03-01",
            "410",
            "2025-03-01 17:00:00",
        ),
        exit(
            "X-5",
            "E-5",
            "C-5",
            "2025-05-20",
            "116",
            "2025-05-31 09:00:00",
        ),
    ]);
    let incomes = rows(&[
        income("IB-1", "E-1", "C-1", "2025-01-10", "1", None),
        income("IB-2", "E-2", "C-2", "2025-02-01", "1", Some("500")),
        income("IB-2X", "E-2", "C-2", "2025-03-01", "3", Some("800")),
        income("IB-4", "E-4", "C-4", "2025-04-01", "1", None),
    ]);
    // C-1's disabling condition is "no", though a disability at start says otherwise: an
    // error Q6b counts.
    let disability = at(
        stamp,
        vec![
            ("DisabilitiesID", "D-1"),
            ("EnrollmentID", "E-1"),
            ("PersonalID", "C-1"),
            ("InformationDate", "2025-01-10"),
            ("DataCollectionStage", "1"),
            ("DisabilityType", "10"),
            ("DisabilityResponse", "3"),
            ("IndefiniteAndImpairs", "1"),
        ],
    );
    fn slices(values: &[Values]) -> Vec<&[(&'static str, &'static str)]> {
        values.iter().map(Vec::as_slice).collect()
    }
    vec![
        file_of(&fy2026::EXPORT, &[&export]),
        file_of(&fy2026::ORGANIZATION, &[&organization]),
        file_of(&fy2026::USER, &[&user]),
        file_of(
            &fy2026::PROJECT,
            &[
                &project("P-1", "Harbor Shelter", "0"),
                &project("P-2", "Harbor Homes", "13"),
            ],
        ),
        file_of(&fy2026::CLIENT, &slices(&clients)),
        file_of(&fy2026::ENROLLMENT, &slices(&stays)),
        file_of(&fy2026::EXIT, &slices(&exits)),
        file_of(&fy2026::INCOME_BENEFITS, &slices(&incomes)),
        file_of(&fy2026::DISABILITIES, &[&disability]),
    ]
}

/// The files of a ZIP by name, as text.
fn files_of(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP");
    (0..archive.len())
        .map(|index| {
            let mut entry = archive.by_index(index).expect("an entry");
            let name = entry.name().expect("a UTF-8 name").to_string();
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("UTF-8 CSV");
            (name, text)
        })
        .collect()
}

fn day(text: &str) -> Date {
    Date::parse(text).expect("a date")
}

fn range() -> ReportRange {
    ReportRange::new(day("2025-01-01"), day("2025-12-31")).expect("a range")
}

fn income(on: &str, earned: Option<i64>) -> IncomeRecord {
    IncomeRecord {
        information_date: day(on),
        income_from_any_source: NoYesMissing::try_from(i32::from(earned.is_some())).ok(),
        earned: earned.map(|dollars| Cents::from(dollars * 100)),
        other_sources: 0,
        other_amount: Cents::from(0),
        total_monthly: earned.map(|dollars| Cents::from(dollars * 100)),
    }
}

/// The facts of the archive as the report reads them, under ids of their own: what the
/// domain's computation of every cell is checked against.
fn facts() -> Vec<ReportedEnrollment> {
    let fact = |number: u128, household: u128, project_type: i32, entry: &str, created: &str| {
        ReportedEnrollment {
            enrollment_id: Uuid::from_u128(100 + number),
            client_id: Uuid::from_u128(number),
            household_id: Uuid::from_u128(200 + household),
            project_id: Uuid::from_u128(300 + u128::from(project_type == 13)),
            project_type: ProjectType::try_from(project_type).expect("a type"),
            relationship: Some(RelationshipToHoh::SELF_HEAD),
            entry_date: day(entry),
            move_in_date: None,
            exit_date: None,
            destination: None,
            enrollment_coc: Some("XX-500".to_owned()),
            disabling_condition: NoYesMissing::try_from(0).ok(),
            has_disabling_disability: false,
            living_situation: LivingSituation {
                prior_living_situation: PriorLivingSituation::try_from(116).ok(),
                ..LivingSituation::default()
            },
            client: ClientAnswers {
                has_first_name: true,
                has_last_name: true,
                name_data_quality: DataQuality::try_from(1).ok(),
                ssn: Some(format!("21945678{number}")),
                ssn_data_quality: DataQuality::try_from(1).ok(),
                dob: None,
                dob_data_quality: DataQuality::try_from(1).ok(),
                has_race: true,
                race_none: None,
                sex: Sex::try_from(0).ok(),
                veteran_status: NoYesMissing::try_from(0).ok(),
            },
            income_at_start: None,
            annual_assessments: Vec::new(),
            income_at_exit: None,
            entry_created_on: day(created),
            exit_created_on: None,
            last_contact: None,
            last_bed_night: None,
            flagged: false,
        }
    };
    let exited = |mut fact: ReportedEnrollment, on: &str, destination: i32, created: &str| {
        fact.exit_date = Some(day(on));
        fact.destination = Destination::try_from(destination).ok();
        fact.exit_created_on = Some(day(created));
        fact
    };
    let mut ash = fact(1, 1, 0, "2025-01-10", "2025-01-10");
    ash.client.dob = Some(day("1980-01-01"));
    ash.income_at_start = Some(income("2025-01-10", None));
    ash.has_disabling_disability = true;
    let mut birch = fact(2, 2, 0, "2025-02-01", "2025-02-05");
    birch.client.dob = Some(day("1985-01-01"));
    birch.income_at_start = Some(income("2025-02-01", Some(500)));
    birch.income_at_exit = Some(income("2025-03-01", Some(800)));
    let birch = exited(birch, "2025-03-01", 410, "2025-03-01");
    let mut cedar = fact(3, 2, 0, "2025-02-01", "2025-02-05");
    cedar.client.dob = Some(day("2015-06-01"));
    cedar.relationship = RelationshipToHoh::try_from(2).ok();
    let cedar = exited(cedar, "2025-03-01", 410, "2025-03-01");
    let mut dogwood = fact(4, 4, 13, "2025-04-01", "2025-04-12");
    dogwood.client.dob = Some(day("1990-01-01"));
    dogwood.client.ssn = None;
    dogwood.client.ssn_data_quality = DataQuality::try_from(8).ok();
    dogwood.move_in_date = Some(day("2025-04-15"));
    dogwood.income_at_start = Some(income("2025-04-01", None));
    let mut elm = fact(5, 5, 0, "2025-05-01", "2025-05-04");
    elm.client.dob_data_quality = DataQuality::try_from(99).ok();
    let elm = exited(elm, "2025-05-20", 116, "2025-05-31");
    vec![ash, birch, cedar, dogwood, elm]
}

fn import(app: &TestApp, organization: &str) {
    let queued = post_import(
        app,
        &app.admin_token(),
        &format!("?organization_id={organization}"),
        zip_of(&archive()),
    );
    queued.assert_status(202);
    let location = queued.header("location").expect("a Location").to_owned();
    let job = poll_job_every(
        app,
        &location,
        Duration::from_secs(60),
        Duration::from_millis(100),
        imports::finished,
    );
    assert_eq!(job["status"], "succeeded", "{job}");
}

/// `(question, cell) -> what the API says it holds`, as text: a count, `n/d` for a rate, or
/// dollars for an amount.
fn cells_of_view(report: &Value) -> BTreeMap<(String, String), String> {
    let mut cells = BTreeMap::new();
    for table in report["tables"].as_array().expect("tables") {
        let question = table["question"].as_str().expect("a question");
        for cell in table["cells"].as_array().expect("cells") {
            let value = match cell["kind"].as_str() {
                Some("count") => cell["count"].to_string(),
                Some("rate") => format!(
                    "{}/{}",
                    cell["rate"]["numerator"], cell["rate"]["denominator"]
                ),
                Some("amount") => cell["amount"].to_string(),
                other => panic!("a cell of kind {other:?}: {cell}"),
            };
            cells.insert(
                (
                    question.to_owned(),
                    cell["id"].as_str().unwrap_or_default().to_owned(),
                ),
                value,
            );
        }
    }
    cells
}

fn cells_of_tables(tables: &[Table]) -> BTreeMap<(String, String), String> {
    let mut cells = BTreeMap::new();
    for table in tables {
        for cell in &table.cells {
            let value = match &cell.value {
                CellValue::Count { count, .. } => count.to_string(),
                CellValue::Rate {
                    numerator,
                    denominator,
                } => format!("{numerator}/{denominator}"),
                CellValue::Amount(amount) => match amount {
                    Some(cents) => json!(cents.dollars()).to_string(),
                    None => "null".to_owned(),
                },
            };
            cells.insert((table.question.to_owned(), cell.id.clone()), value);
        }
    }
    cells
}

/// The count of the cell at `row` and `column` (labels) of `question` in the report.
fn count_at(report: &Value, question: &str, row: &str, column: &str) -> u64 {
    report["tables"]
        .as_array()
        .and_then(|tables| tables.iter().find(|table| table["question"] == question))
        .and_then(|table| {
            table["cells"]
                .as_array()?
                .iter()
                .find(|cell| cell["row"] == row && cell["column"] == column)
        })
        .and_then(|cell| cell["count"].as_u64())
        .unwrap_or_else(|| panic!("no count at {question} {row} / {column}"))
}

/// The link to the members of the cell at `row` and `column` of `question`.
fn members_link(report: &Value, question: &str, row: &str, column: &str) -> String {
    report["tables"]
        .as_array()
        .and_then(|tables| tables.iter().find(|table| table["question"] == question))
        .and_then(|table| {
            table["cells"]
                .as_array()?
                .iter()
                .find(|cell| cell["row"] == row && cell["column"] == column)
        })
        .and_then(|cell| cell["members"].as_str())
        .unwrap_or_else(|| panic!("no members at {question} {row} / {column}"))
        .to_owned()
}

fn client_id(app: &TestApp, last: &str) -> String {
    let clients = app.get(&format!("/v1/clients?q={last}"), Some(&app.admin_token()));
    clients.assert_status(200);
    id_of(&clients.body["data"][0])
}

/// Every member of a cell, following its pages `limit` at a time; answers the client IDs
/// and the number of pages.
fn all_members(app: &TestApp, link: &str, limit: u32) -> (Vec<String>, usize) {
    let mut clients = Vec::new();
    let mut pages = 0;
    let mut path = format!("{link}&limit={limit}");
    loop {
        let page = app.get(&path, Some(&app.admin_token()));
        page.assert_status(200);
        pages += 1;
        let data = page.body["data"].as_array().expect("data");
        assert!(data.len() <= limit as usize, "{}", page.body);
        clients.extend(
            data.iter()
                .map(|member| member["client_id"].as_str().unwrap_or_default().to_owned()),
        );
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("{link}&limit={limit}&cursor={cursor}"),
            None => break,
        }
    }
    (clients, pages)
}

both_backends!(
    fn every_cell_of_both_reports_is_the_domains_over_the_stored_facts(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        import(app, &organization);
        let token = app.admin_token();
        for (path, expected) in [
            ("hud-data-quality", hud_data_quality(&range(), &facts())),
            ("outcomes", outcomes(&range(), &facts())),
        ] {
            let report = app.get(&format!("/v1/reports/{path}?{RANGE}"), Some(&token));
            report.assert_status(200);
            assert_eq!(report.body["report"], path);
            let questions: Vec<&str> = expected.iter().map(|table| table.question).collect();
            let served: Vec<&str> = report.body["tables"]
                .as_array()
                .expect("tables")
                .iter()
                .filter_map(|table| table["question"].as_str())
                .collect();
            assert_eq!(served, questions);
            let served = cells_of_view(&report.body);
            let computed = cells_of_tables(&expected);
            assert_eq!(served.len(), computed.len(), "{path}");
            for (cell, value) in &computed {
                assert_eq!(served.get(cell), Some(value), "{path} {cell:?}");
            }
        }
    }

    fn the_numbers_are_huds_and_each_cell_lists_its_members(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        import(app, &organization);
        let token = app.admin_token();
        let quality = app.get(
            &format!("/v1/reports/hud-data-quality?{RANGE}"),
            Some(&token),
        );
        quality.assert_status(200);
        let quality = quality.body;
        let q5a = |row: &str| count_at(&quality, "Q5a", row, "Count of Clients for DQ");
        assert_eq!(q5a("Total Number of Persons Served"), 5);
        assert_eq!(q5a("Number of Adults (Age 18 or Over)"), 3);
        assert_eq!(q5a("Number of Children (Under Age 18)"), 1);
        assert_eq!(q5a("Number of Leavers"), 3);
        assert_eq!(q5a("Number of Stayers"), 2);
        // C-1 says "no" to 3.08 though a disability at start says yes.
        assert_eq!(
            count_at(&quality, "Q6b", "Disabling Condition (3.08)", "Error Count"),
            1
        );

        let outcomes = app.get(&format!("/v1/reports/outcomes?{RANGE}"), Some(&token));
        outcomes.assert_status(200);
        let outcomes = outcomes.body;
        assert_eq!(count_at(&outcomes, "Q7a", "Adults", "Total"), 3);
        assert_eq!(count_at(&outcomes, "Q7a", "Children", "Total"), 1);
        assert_eq!(count_at(&outcomes, "Q7a", "Data Not Collected", "Total"), 1);
        assert_eq!(count_at(&outcomes, "Q8a", "Total Households", "Total"), 4);

        // The drill-down: the child, and the people served a page at a time.
        let children = members_link(&outcomes, "Q7a", "Children", "Total");
        let (members, _) = all_members(app, &children, 50);
        assert_eq!(members, [client_id(app, "cedar")]);
        let everyone = members_link(
            &quality,
            "Q5a",
            "Total Number of Persons Served",
            "Count of Clients for DQ",
        );
        let (members, pages) = all_members(app, &everyone, 2);
        assert_eq!(pages, 3);
        let mut sorted = members.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 5, "{members:?}");
        let mut expected: Vec<String> = ["ash", "birch", "cedar", "dogwood", "elm"]
            .into_iter()
            .map(|last| client_id(app, last))
            .collect();
        expected.sort();
        assert_eq!(sorted, expected);
        // The rows of a column add up to their total, member by member.
        let (adults, _) = all_members(app, &members_link(&outcomes, "Q7a", "Adults", "Total"), 50);
        let (unknown, _) = all_members(
            app,
            &members_link(&outcomes, "Q7a", "Data Not Collected", "Total"),
            50,
        );
        let mut parts = [adults, vec![client_id(app, "cedar")], unknown].concat();
        parts.sort();
        assert_eq!(parts, expected);
        let page = app.get(&everyone, Some(&token));
        assert_eq!(page.body["count"], 5);
        assert_eq!(page.body["question"], "Q5a");
        assert_eq!(page.body["cell"], "B2");
    }

    fn the_reports_come_as_csv_tables_in_a_zip_and_from_the_command_line(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        import(app, &organization);
        let response = app
            .request("GET", &format!("/v1/reports/hud-data-quality?{RANGE}"))
            .token(Some(&app.admin_token()))
            .header("Accept", "text/csv")
            .send();
        response.assert_status(200);
        assert_eq!(response.header("content-type"), Some("application/zip"));
        let files = files_of(&response.bytes);
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["Q5a.csv", "Q6a.csv", "Q6b.csv", "Q6c.csv", "Q6d.csv", "Q6e.csv", "Q6f.csv"]
        );
        let q5a = &files["Q5a.csv"];
        let lines: Vec<&str> = q5a.lines().collect();
        assert!(lines[0].starts_with(",Count of Clients for DQ"), "{q5a}");
        assert!(lines.contains(&"Total Number of Persons Served,5"), "{q5a}");

        let output = std::process::Command::new(threshold_tests::threshold_binary())
            .args([
                "report",
                "outcomes",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
                "--database-url",
                app.database_url(),
            ])
            .output()
            .expect("the command runs");
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{text} {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(text.contains("Q7a Number of Persons Served"), "{text}");
        assert!(text.contains("Q23c"), "{text}");
        let out = std::env::temp_dir().join(format!("outcomes-{}.zip", Uuid::new_v4()));
        let output = std::process::Command::new(threshold_tests::threshold_binary())
            .args([
                "report",
                "outcomes",
                "--from",
                "2025-01-01",
                "--to",
                "2025-12-31",
            ])
            .args(["--format", "csv", "--out"])
            .arg(&out)
            .args(["--database-url", app.database_url()])
            .output()
            .expect("the command runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let bytes = std::fs::read(&out).expect("the ZIP");
        let _ = std::fs::remove_file(&out);
        assert!(files_of(&bytes).contains_key("Q23c.csv"));
    }

    fn each_organization_reports_its_own_and_bad_requests_are_refused(app: &TestApp) {
        let organization = create_organization(app, "Harbor");
        import(app, &organization);
        let other = create_organization(app, "Elsewhere");
        let theirs = token_for(app, "other-manager", Role::CaseManager, &other);
        let report = app.get(&format!("/v1/reports/outcomes?{RANGE}"), Some(&theirs));
        report.assert_status(200);
        assert_eq!(count_at(&report.body, "Q7a", "Adults", "Total"), 0);
        let ours = token_for(app, "manager", Role::CaseManager, &organization);
        let report = app.get(&format!("/v1/reports/outcomes?{RANGE}"), Some(&ours));
        assert_eq!(count_at(&report.body, "Q7a", "Adults", "Total"), 3);

        let token = app.admin_token();
        let cell = |path: &str| app.get(&format!("/v1/reports/{path}?{RANGE}"), Some(&token));
        cell("hud-data-quality/cells/Q5a/B2").assert_status(200);
        cell("hud-data-quality/cells/q5a/b2").assert_status(200);
        cell("hud-data-quality/cells/Q99/B2").assert_status(404);
        cell("hud-data-quality/cells/Q5a/Z99").assert_status(404);
        // Q7a is an outcome table, not a data quality one.
        cell("hud-data-quality/cells/Q7a/B2").assert_status(404);
        // A rate counts nobody by name.
        let rate = app.get(
            &format!("/v1/reports/hud-data-quality?{RANGE}"),
            Some(&token),
        );
        let rate_cell = rate.body["tables"]
            .as_array()
            .and_then(|tables| {
                tables.iter().find_map(|table| {
                    let cell = table["cells"]
                        .as_array()?
                        .iter()
                        .find(|cell| cell["kind"] == "rate")?;
                    Some(format!(
                        "{}/{}",
                        table["question"].as_str()?,
                        cell["id"].as_str()?
                    ))
                })
            })
            .expect("a rate cell");
        cell(&format!("hud-data-quality/cells/{rate_cell}")).assert_status(404);
        let reversed = app.get(
            "/v1/reports/outcomes?from=2025-12-31&to=2025-01-01",
            Some(&token),
        );
        reversed.assert_status(400);
        app.get("/v1/reports/outcomes?from=2025-01-01", Some(&token))
            .assert_status(400);
        app.get(
            &format!("/v1/reports/outcomes?{RANGE}&program_id={}", Uuid::new_v4()),
            Some(&token),
        )
        .assert_status(404);
        app.get(&format!("/v1/reports/outcomes?{RANGE}"), None)
            .assert_status(401);
        let page = app.get(
            &format!("/v1/reports/outcomes/cells/Q7a/B2?{RANGE}&cursor=nonsense"),
            Some(&token),
        );
        page.assert_status(400);
    }

    fn a_flagged_household_is_counted_as_it_is_and_said_to_be_flagged(app: &TestApp) {
        // The tolerant archive: H-4 imported with two heads, E-5 flagged.
        let organization = create_organization(app, "Receiving");
        let query = format!("?organization_id={organization}&mode=tolerant&max_skipped_percent=20");
        let queued = post_import(
            app,
            &app.admin_token(),
            &query,
            zip_of(&crate::hmis_import_tolerant::archive()),
        );
        queued.assert_status(202);
        let location = queued.header("location").expect("a Location").to_owned();
        let job = poll_job_every(
            app,
            &location,
            Duration::from_secs(60),
            Duration::from_millis(100),
            imports::finished,
        );
        assert_eq!(job["status"], "succeeded", "{job}");
        let token = app.admin_token();
        let range = "from=2024-01-01&to=2024-12-31";
        let outcomes = app.get(&format!("/v1/reports/outcomes?{range}"), Some(&token));
        outcomes.assert_status(200);
        let everyone = members_link(&outcomes.body, "Q7a", "Total", "Total");
        let page = app.get(&everyone, Some(&token));
        page.assert_status(200);
        let flagged: BTreeMap<String, bool> = page.body["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|member| {
                let client = member["client_id"].as_str().unwrap_or_default().to_owned();
                (client, member["flagged"].as_bool().expect("flagged"))
            })
            .collect();
        // Both heads of H-4 are counted; the one imported second carries the flag.
        assert_eq!(
            flagged.get(&client_id(app, "elm")),
            Some(&true),
            "{}",
            page.body
        );
        assert_eq!(flagged.get(&client_id(app, "dogwood")), Some(&false));
        assert_eq!(flagged.get(&client_id(app, "birch")), Some(&false));
        // Timeliness from the source's dates: only E-2 was recorded within 3 days.
        let quality = app.get(
            &format!("/v1/reports/hud-data-quality?{range}"),
            Some(&token),
        );
        quality.assert_status(200);
        let on_time = count_at(
            &quality.body,
            "Q6e",
            "0 days",
            "Number of Project Start Records",
        ) + count_at(
            &quality.body,
            "Q6e",
            "1-3 Days",
            "Number of Project Start Records",
        );
        assert_eq!(on_time, 1, "{}", quality.body);
    }
);
