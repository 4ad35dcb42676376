//! `GET .../completeness`: what HUD requires of an enrollment's household and is missing,
//! per the HMIS Data Standards' applicability (who, project type, funding source, stage).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::races::{posting, race, racing_app, summary};
use crate::common::*;
use diesel::connection::{Connection, InstrumentationEvent};
use serde_json::{json, Value};
use threshold_api::usecases::completeness;
use threshold_persistence::completeness as stored;
use threshold_persistence::enrollments;
use threshold_persistence::page::Page;
use threshold_persistence::privacy::Sight;
use threshold_persistence::rows::EnrollmentRow;
use threshold_persistence::write_transaction;
use threshold_tests::{both_backends, TestApp};

/// A date `days` before today, as `YYYY-MM-DD`.
fn days_ago(days: u64) -> String {
    today()
        .checked_sub_days(chrono::Days::new(days))
        .expect("a representable date")
        .format("%Y-%m-%d")
        .to_string()
}

/// A client with every universal data element answered, born on `dob`.
fn answered_client(app: &TestApp, name: &str, dob: &str) -> String {
    id_of(&create_client_with(
        app,
        json!({"first_name": name, "last_name": "Lee", "name_data_quality": 1,
               "ssn_data_quality": 9, "dob": dob, "dob_data_quality": 1, "sex": 1,
               "race_ethnicity": ["white"], "veteran_status": 0}),
    ))
}

fn enroll(app: &TestApp, client: &str, body: Value) -> Stay {
    let response = post_enrollment(app, &app.admin_token(), client, &body);
    response.assert_status(201);
    Stay::from_body(&response.body)
}

fn completeness(app: &TestApp, stay: &Stay) -> Value {
    let path = format!("{}/completeness", stay.path());
    let response = app.get(&path, Some(&app.admin_token()));
    response.assert_status(200);
    response.body
}

/// `(element, field, stage, enrollment_id, reason)` of each missing item.
type Item = (String, String, i64, String, String);

fn missing(body: &Value) -> Vec<Item> {
    body["missing"]
        .as_array()
        .expect("missing")
        .iter()
        .map(|item| {
            (
                item["element"].as_str().unwrap().to_owned(),
                item["field"].as_str().unwrap().to_owned(),
                item["stage"].as_i64().unwrap(),
                item["enrollment_id"].as_str().unwrap().to_owned(),
                item["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn post(app: &TestApp, stay: &Stay, segment: &str, body: Value) {
    let path = format!("{}/{segment}", stay.path());
    app.post(&path, Some(&app.admin_token()), &body)
        .assert_status(201);
}

/// An adult's 4.02-4.04 record at `stage`.
fn income_at(date: &str, stage: i32) -> Value {
    json!({"information_date": date, "data_collection_stage": stage,
           "income_from_any_source": 0, "benefits_from_any_source": 0,
           "insurance_from_any_source": 1, "medicaid": 1})
}

/// The project-start records HUD asks of a member of a CoC-funded program: disabilities of
/// every type and health insurance (all clients), and for an adult income, benefits and
/// domestic violence (the income left out when `income` is false).
fn record_start(app: &TestApp, stay: &Stay, entry: &str, adult: bool, income: bool) {
    for kind in [5, 6, 7, 8, 9, 10] {
        let body = json!({"information_date": entry, "data_collection_stage": 1,
                          "disability_type": kind, "disability_response": 0});
        post(app, stay, "disabilities", body);
    }
    if !adult {
        let body = json!({"information_date": entry, "data_collection_stage": 1,
                          "insurance_from_any_source": 1, "medicaid": 1});
        post(app, stay, "income-benefits", body);
        return;
    }
    if income {
        post(app, stay, "income-benefits", income_at(entry, 1));
    }
    let body = json!({"information_date": entry, "data_collection_stage": 1,
                      "domestic_violence_survivor": 0});
    post(app, stay, "health-and-dv", body);
}

/// A CoC-funded (2.06.1 code 2) permanent supportive housing household entered on `entry`:
/// a head, an adult partner and a child, every member's project start recorded, but the
/// partner's income when `partner_income` is false.
fn supportive_household(app: &TestApp, entry: &str, partner_income: bool) -> (Stay, Stay, Stay) {
    let organization = create_organization(app, "Harbor Light");
    let program = create_program(app, &organization, json!({"project_type": 3}));
    let grant = create_grant(app, &program, "2020-01-01", None);
    let enrollment = |relationship: i32, extra: Value| {
        merged(
            json!({"program_id": program, "entry_date": entry,
                   "relationship_to_hoh": relationship, "grant_id": grant,
                   "disabling_condition": 0, "prior_living_situation": 116,
                   "length_of_stay": 4}),
            extra,
        )
    };
    let head_client = answered_client(app, "Jordan", "1985-02-01");
    let head = enroll(
        app,
        &head_client,
        enrollment(1, json!({"enrollment_coc": "CA-500"})),
    );
    let in_household = json!({"household_id": head.household});
    let partner_client = answered_client(app, "Sam", "1987-06-01");
    let partner = enroll(app, &partner_client, enrollment(3, in_household.clone()));
    let child_client = answered_client(app, "Riley", "2015-09-01");
    let child = enroll(app, &child_client, enrollment(2, in_household));
    record_start(app, &head, entry, true, true);
    record_start(app, &partner, entry, true, partner_income);
    record_start(app, &child, entry, false, false);
    (head, partner, child)
}

both_backends!(
    fn a_shelter_without_a_hud_grant_needs_the_universal_elements_only(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({"project_type": 0}));
        let entry = days_ago(60);
        let enrollment = json!({"program_id": program, "entry_date": entry,
            "relationship_to_hoh": 1, "disabling_condition": 0, "prior_living_situation": 116,
            "length_of_stay": 4, "enrollment_coc": "CA-500"});
        let client = answered_client(app, "Jordan", "1985-02-01");
        let stay = enroll(app, &client, enrollment.clone());
        // Universal elements only: what is missing is 3.917A's homeless history of a
        // shelter stay, until it is recorded.
        let body = completeness(app, &stay);
        let fields: Vec<String> = missing(&body)
            .into_iter()
            .map(|item| format!("{} {}", item.0, item.1))
            .collect();
        assert_eq!(
            fields,
            [
                "3.917 date_to_street_essh",
                "3.917 times_homeless_past_three_years",
                "3.917 months_homeless_past_three_years"
            ],
            "{body}"
        );
        // Recorded on the enrollment, the history completes it; 99 is not collected.
        let etag = app
            .get(&stay.path(), Some(&app.admin_token()))
            .etag()
            .to_owned();
        let history = json!({"date_to_street_essh": entry, "times_homeless_past_three_years": 99,
            "months_homeless_past_three_years": 101});
        let patched = patch_if(app, &stay.path(), &app.admin_token(), &etag, &history);
        patched.assert_status(200);
        let body = completeness(app, &stay);
        let found: Vec<(String, String)> = missing(&body)
            .into_iter()
            .map(|item| (item.1, item.4))
            .collect();
        assert_eq!(
            found,
            [(
                "times_homeless_past_three_years".to_owned(),
                "not_collected".to_owned()
            )],
            "{body}"
        );
        let patched = patch_if(
            app,
            &stay.path(),
            &app.admin_token(),
            patched.etag(),
            &json!({"times_homeless_past_three_years": 1}),
        );
        patched.assert_status(200);
        assert_eq!(completeness(app, &stay)["complete"], true);
        // A client whose name was not collected (99): 3.01 is not collected; no
        // program-specific element is asked without a HUD grant.
        let unnamed = id_of(&create_client_with(
            app,
            json!({"dob": "1990-01-01", "dob_data_quality": 1, "sex": 0,
                   "race_ethnicity": ["asian"], "veteran_status": 0, "ssn_data_quality": 8}),
        ));
        let other = enroll(app, &unnamed, enrollment);
        let body = completeness(app, &other);
        assert_eq!(body["complete"], false);
        let items = missing(&body);
        let name = (
            "3.01",
            "name_data_quality",
            1,
            other.id.as_str(),
            "not_collected",
        );
        assert_eq!(
            (
                items[0].0.as_str(),
                items[0].1.as_str(),
                items[0].2,
                items[0].3.as_str(),
                items[0].4.as_str()
            ),
            name
        );
        assert!(!items.iter().any(|item| item.0.starts_with("4.")), "{body}");
    }

    fn a_coc_funded_supportive_housing_household_is_complete(app: &TestApp) {
        let (head, partner, child) = supportive_household(app, &days_ago(60), true);
        let body = completeness(app, &head);
        assert_eq!(missing(&body), Vec::<Item>::new(), "{body}");
        assert_eq!(body["complete"], true);
        // The same answer from any member's enrollment.
        assert_eq!(completeness(app, &child), body);

        // Exited: the exit-stage records are owed, and nothing else; a child owes no
        // income at exit.
        let exit = json!({"exit_date": days_ago(1), "destination": 410, "household": true});
        app.post(&head.exit_path(), Some(&app.admin_token()), &exit)
            .assert_status(200);
        let owed = missing(&completeness(app, &head));
        assert!(owed.iter().all(|item| item.2 == 3), "{owed:?}");
        let partner_income = owed
            .iter()
            .any(|item| item.0 == "4.02" && item.3 == partner.id && item.4 == "absent");
        assert!(partner_income, "{owed:?}");
        assert!(
            !owed
                .iter()
                .any(|item| item.0 == "4.02" && item.3 == child.id),
            "{owed:?}"
        );
    }

    fn an_adults_income_missing_at_project_start(app: &TestApp) {
        let (head, partner, child) = supportive_household(app, &days_ago(60), false);
        let body = completeness(app, &head);
        assert_eq!(body["complete"], false);
        let items = missing(&body);
        let fields: Vec<&str> = items.iter().map(|item| item.0.as_str()).collect();
        assert_eq!(fields, ["4.02", "4.03", "4.04"], "{body}");
        for item in &items {
            assert_eq!(
                (item.2, item.3.as_str(), item.4.as_str()),
                (1, partner.id.as_str(), "absent")
            );
        }
        assert!(!items
            .iter()
            .any(|item| item.3 == child.id || item.3 == head.id));
    }

    fn an_adults_income_missing_at_the_annual_assessment(app: &TestApp) {
        // Entered a year and 10 days ago: the annual assessment is due. The head's and the
        // child's are recorded, the partner's is not.
        let (head, partner, child) = supportive_household(app, &days_ago(375), true);
        post(app, &head, "income-benefits", income_at(&days_ago(10), 5));
        let insured = json!({"information_date": days_ago(10), "data_collection_stage": 5,
                             "insurance_from_any_source": 1, "medicaid": 1});
        post(app, &child, "income-benefits", insured);
        let items = missing(&completeness(app, &head));
        let fields: Vec<(&str, i64, &str)> = items
            .iter()
            .map(|item| (item.0.as_str(), item.2, item.3.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("4.02", 5, partner.id.as_str()),
                ("4.03", 5, partner.id.as_str()),
                ("4.04", 5, partner.id.as_str())
            ],
            "{items:?}"
        );
    }

    fn every_enrollment_read_says_whether_the_household_is_complete(app: &TestApp) {
        let entry = days_ago(60);
        let (head, partner, child) = supportive_household(app, &entry, false);
        let stays = [&head, &partner, &child];
        let admin = app.admin_token();
        let head_read = fetch_stay(app, &head).body;
        let (program, grant) = (&head_read["program_id"], &head_read["grant_id"]);
        // A household of one beside it in the program and grant, missing its project start
        // records.
        let alone = enroll(
            app,
            &answered_client(app, "Avery", "1990-05-01"),
            json!({"program_id": program, "grant_id": grant, "entry_date": entry,
                   "relationship_to_hoh": 1, "disabling_condition": 0,
                   "prior_living_situation": 116, "length_of_stay": 4,
                   "enrollment_coc": "CA-500"}),
        );
        let complete_in = |path: &str, stay: &Stay| -> Option<bool> {
            let list = app.get(path, Some(&admin));
            list.assert_status(200);
            let found = items(&list);
            found
                .iter()
                .find(|item| item["id"] == stay.id.as_str())
                .unwrap_or_else(|| panic!("{} not in {}", stay.id, list.describe()))["complete"]
                .as_bool()
        };
        let roster = format!(
            "/v1/programs/{}/enrollments?limit=200",
            program.as_str().expect("a program_id")
        );
        let feed = "/v1/enrollments?limit=200";
        let reads = |stay: &Stay| -> [Option<bool>; 4] {
            [
                fetch_stay(app, stay).body["complete"].as_bool(),
                complete_in(&format!("/v1/clients/{}/enrollments", stay.client), stay),
                complete_in(&roster, stay),
                complete_in(feed, stay),
            ]
        };

        // The partner's income is missing at project start: no member's read is complete,
        // on its own, in its client's list, on the roster or in the change feed.
        for stay in stays {
            assert_eq!(reads(stay), [Some(false); 4], "{}", stay.id);
        }
        assert_eq!(reads(&alone), [Some(false); 4]);
        let before = fetch_stay(app, &head);
        assert_eq!(before.etag(), "\"1-incomplete\"");

        // Recorded: every member's read is complete, at the same version; the household
        // beside it is not. The tag changed with it, so a cached read is not "not modified".
        post(app, &partner, "income-benefits", income_at(&entry, 1));
        for stay in stays {
            assert_eq!(reads(stay), [Some(true); 4], "{}", stay.id);
        }
        assert_eq!(reads(&alone), [Some(false); 4]);
        let after = fetch_stay(app, &head);
        assert_eq!(after.body["version"], 1);
        assert_eq!(after.etag(), "\"1-complete\"");
        let cached = app
            .request("GET", &head.path())
            .token(Some(&admin))
            .header("If-None-Match", before.etag())
            .send();
        cached.assert_status(200);
        assert_eq!(cached.body["complete"], true);
        // The answers of writes say it too, and If-Match takes either tag of a version.
        let changed = app
            .request("PATCH", &head.path())
            .token(Some(&admin))
            .header("If-Match", before.etag())
            .json(&json!({"enrollment_coc": "CA-501"}))
            .send();
        changed.assert_status(200);
        assert_eq!(changed.body["complete"], true);
        assert_eq!(changed.etag(), "\"2-complete\"");
        // A member who joins without records makes the household incomplete again, for
        // everyone in it, at their own versions.
        let joined = post_enrollment(
            app,
            &admin,
            &answered_client(app, "Quinn", "1992-01-01"),
            &json!({"program_id": program, "grant_id": grant, "entry_date": entry,
                    "relationship_to_hoh": 3, "household_id": head.household,
                    "disabling_condition": 0, "prior_living_situation": 116,
                    "length_of_stay": 4}),
        );
        joined.assert_status(201);
        assert_eq!(joined.body["complete"], false);
        assert_eq!(fetch_stay(app, &child).body["complete"], false);
        assert_eq!(fetch_stay(app, &child).body["version"], 1);
        // Deleted, it leaves the household complete; the change feed shows it deleted, and
        // no longer complete of anything.
        let joined = Stay::from_body(&joined.body);
        app.delete(&joined.path(), Some(&admin)).assert_status(204);
        assert_eq!(fetch_stay(app, &child).body["complete"], true);
        let feed = app.get(feed, Some(&admin));
        let deleted = items(&feed)
            .into_iter()
            .find(|item| item["id"] == joined.id.as_str())
            .unwrap_or_else(|| panic!("{} not in {}", joined.id, feed.describe()));
        assert!(deleted["deleted_at"].is_string(), "{deleted}");
        assert_eq!(deleted["complete"], false);
    }

    fn a_page_is_read_with_as_many_queries_as_one_enrollment(app: &TestApp) {
        // Four households in four programs: two complete, two missing the partner's income.
        let entry = days_ago(60);
        let households = [
            supportive_household(app, &entry, true),
            supportive_household(app, &entry, false),
            supportive_household(app, &entry, true),
            supportive_household(app, &entry, false),
        ];
        let mut connection = app.state().db.get().expect("a database connection");
        let page = enrollments::changed_since(&mut connection, &Sight::Everything, None, 200)
            .expect("the change feed");
        assert_eq!(page.rows.len(), 12);
        let queries = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&queries);
        connection.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        });
        let read = |connection: &mut threshold_persistence::DbConnection,
                    rows: Vec<EnrollmentRow>| {
            queries.store(0, Ordering::Relaxed);
            let page = Page { rows, more: false };
            let read = completeness::read_page(connection, &Sight::Everything, page)
                .expect("the page read");
            (read.rows, queries.load(Ordering::Relaxed))
        };
        let (_, for_one) = read(&mut connection, page.rows[..1].to_vec());
        let (reads, for_all) = read(&mut connection, page.rows.clone());
        // The households' writes stored their answers: one query reads them.
        assert_eq!(
            for_all, for_one,
            "a page's queries do not grow with its rows"
        );
        assert_eq!(for_all, 1, "{for_all} queries");

        // One enrollment and its household's stored answer are one statement.
        let day = stored::today().into();
        let answer_of = |connection: &mut threshold_persistence::DbConnection, stay: &Stay| {
            let id = stay.id.parse().expect("an enrollment ID");
            let (row, _, answer) = stored::find_with_answer(connection, None, id, day)
                .expect("the read")
                .expect("the enrollment");
            assert_eq!(row.id.to_string(), stay.id);
            answer
        };
        queries.store(0, Ordering::Relaxed);
        let answers: Vec<Option<bool>> = households
            .iter()
            .map(|(head, _, _)| answer_of(&mut connection, head).of_everyone())
            .collect();
        assert_eq!(queries.load(Ordering::Relaxed), households.len());
        assert_eq!(answers, [Some(true), Some(false), Some(true), Some(false)]);

        // Answers not stored (forgotten, or stored before completeness was) are worked
        // out: six queries more, the same answers.
        let mut other = app.state().db.get().expect("a database connection");
        diesel::RunQueryDsl::execute(
            diesel::sql_query("DELETE FROM enrollment_completeness"),
            &mut other,
        )
        .expect("the answers forgotten");
        drop(other);
        let (worked_out, worked_out_queries) = read(&mut connection, page.rows.clone());
        let (head, _, _) = &households[0];
        assert_eq!(answer_of(&mut connection, head).of_everyone(), None);
        connection.set_instrumentation(|_: InstrumentationEvent<'_>| {});
        assert!(worked_out_queries <= 7, "{worked_out_queries} queries");
        assert_eq!(worked_out, reads);

        // Each read says what the household's completeness says.
        for (index, (head, partner, child)) in households.iter().enumerate() {
            let expected = index % 2 == 0;
            assert_eq!(completeness(app, head)["complete"], expected);
            for stay in [head, partner, child] {
                let found = reads
                    .iter()
                    .find(|read| read.row.id.to_string() == stay.id)
                    .expect("every enrollment on the page");
                assert_eq!(found.complete, expected, "household {index}");
            }
        }
    }

    fn the_stored_answers_follow_every_write_that_changes_them(app: &TestApp) {
        let entry = days_ago(60);
        let (head, partner, child) = supportive_household(app, &entry, false);
        let admin = app.admin_token();
        // Each read says what working the household out again says, from every member, and
        // every member's stored answer holds and agrees.
        let agrees = |expected: bool, step: &str| {
            for stay in [&head, &partner, &child] {
                assert_eq!(
                    fetch_stay(app, stay).body["complete"],
                    expected,
                    "{step}: {}",
                    stay.id
                );
                assert_eq!(completeness(app, stay)["complete"], expected, "{step}");
            }
            let mut connection = app.state().db.get().expect("a database connection");
            let verified = stored::verify(&mut connection).expect("the answers verified");
            assert_eq!(verified, stored::Verified::default(), "{step}");
        };
        agrees(false, "the partner's income missing");

        // A record created, changed to "not collected" and back, deleted.
        let path = format!("{}/income-benefits", partner.path());
        let created = app.post(&path, Some(&admin), &income_at(&entry, 1));
        created.assert_status(201);
        agrees(true, "the income recorded");
        let record = format!("{path}/{}", id_of(&created.body));
        let changed = patch_if(
            app,
            &record,
            &admin,
            created.etag(),
            &json!({"income_from_any_source": 99}),
        );
        changed.assert_status(200);
        agrees(false, "the income not collected");
        let changed = patch_if(
            app,
            &record,
            &admin,
            changed.etag(),
            &json!({"income_from_any_source": 0}),
        );
        changed.assert_status(200);
        agrees(true, "the income answered again");

        // A client's field: the head's veteran status not collected, then answered.
        let client = format!("/v1/clients/{}", head.client);
        let read = app.get(&client, Some(&admin));
        let changed = patch_if(
            app,
            &client,
            &admin,
            read.etag(),
            &json!({"veteran_status": 99}),
        );
        changed.assert_status(200);
        agrees(false, "the head's veteran status not collected");
        patch_if(
            app,
            &client,
            &admin,
            changed.etag(),
            &json!({"veteran_status": 0}),
        )
        .assert_status(200);
        agrees(true, "the head's veteran status answered");

        // The household exits without its exit-stage records, and is reopened.
        let exit = json!({"exit_date": days_ago(1), "destination": 410, "household": true});
        app.post(&head.exit_path(), Some(&admin), &exit)
            .assert_status(200);
        agrees(false, "exited without the exit records");
        for stay in [&head, &partner, &child] {
            app.delete(&stay.exit_path(), Some(&admin))
                .assert_status(200);
        }
        agrees(true, "reopened");

        // The record deleted, then the grant's funder changed to a local one (46): only
        // the universal elements are asked, the income no more. A grant's change forgets
        // the answers of its enrollments, which reads then work out, and the background
        // refresh stores again.
        let read = app.get(&record, Some(&admin));
        delete_if(app, &record, &admin, read.etag()).assert_status(204);
        agrees(false, "the income deleted");
        let head_read = fetch_stay(app, &head).body;
        let grant = format!(
            "/v1/programs/{}/grants/{}",
            head_read["program_id"].as_str().expect("a program"),
            head_read["grant_id"].as_str().expect("a grant")
        );
        let read = app.get(&grant, Some(&admin));
        patch_if(
            app,
            &grant,
            &admin,
            read.etag(),
            &json!({"funder": 46, "other_funder": "County"}),
        )
        .assert_status(200);
        for stay in [&head, &partner, &child] {
            assert_eq!(fetch_stay(app, stay).body["complete"], true);
        }
        let mut connection = app.state().db.get().expect("a database connection");
        let verified = stored::verify(&mut connection).expect("the answers verified");
        assert!(verified.wrong.is_empty(), "{verified:?}");
        assert_eq!(verified.unstored.len(), 3, "{verified:?}");
        let refreshed = write_transaction(&mut connection, |conn| stored::refresh_stale(conn, 10))
            .expect("the refresh");
        assert_eq!(refreshed.len(), 1);
        drop(connection);
        agrees(true, "stored again");
    }

    fn a_record_and_a_members_client_written_at_once_leave_the_later_answer(backend: Backend) {
        // A record of the partner and a field of the head's client race: each write works
        // the household out again as it commits, the later one seeing the earlier.
        let app = &racing_app(backend, 2);
        let (head, partner, _) = supportive_household(app, &days_ago(60), false);
        let admin = app.admin_token();
        let records = format!("{}/income-benefits", partner.path());
        let client = format!("/v1/clients/{}", head.client);
        let mut record: Option<String> = None;
        for round in 0..8 {
            let client_etag = app.get(&client, Some(&admin)).etag().to_owned();
            let veteran = if round % 2 == 0 { 99 } else { 0 };
            let record_request = match &record {
                None => posting(app, &admin, &records, &income_at(&days_ago(60), 1)),
                Some(path) => {
                    let etag = app.get(path, Some(&admin)).etag().to_owned();
                    app.request("DELETE", path)
                        .token(Some(&admin))
                        .header("If-Match", &etag)
                }
            };
            let client_request = app
                .request("PATCH", &client)
                .token(Some(&admin))
                .header("If-Match", &client_etag)
                .json(&json!({"veteran_status": veteran}));
            let requests = std::sync::Mutex::new([Some(record_request), Some(client_request)]);
            let answers = race(2, |index| {
                requests.lock().expect("the requests")[index]
                    .take()
                    .expect("one request each")
            });
            assert!(
                answers[0].status == 201 || answers[0].status == 204,
                "{}",
                summary(&answers)
            );
            answers[1].assert_status(200);
            record = match record {
                None => Some(format!("{records}/{}", id_of(&answers[0].body))),
                Some(_) => None,
            };
            let mut connection = app.state().db.get().expect("a database connection");
            let verified = stored::verify(&mut connection).expect("the answers verified");
            assert_eq!(verified, stored::Verified::default(), "round {round}");
            // Complete only with the income recorded and the veteran status answered.
            let expected = record.is_some() && veteran == 0;
            assert_eq!(
                fetch_stay(app, &head).body["complete"],
                expected,
                "round {round}"
            );
        }
    }
);
