//! `GET /v1/reports/enrollment-summary` and `GET /v1/reports/data-quality`: exact numbers
//! over a small known data set (stays entering and exiting on the edges of the range,
//! destinations of every class, a deleted enrollment that never counts), bad records written
//! straight into the database since the API refuses to make them, organization scope, and
//! refused requests.

use crate::common::*;
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};
use threshold_persistence::db::DatabaseUrl;
use threshold_tests::{both_backends, Backend, Role, TestApp};

const SUMMARY: &str = "/v1/reports/enrollment-summary?from=2025-01-01&to=2025-01-31";

/// Runs SQL straight against the app's database, for records the API refuses to make.
fn sql(app: &TestApp, statements: &str) {
    let mut connection = DatabaseUrl::parse(app.database_url())
        .and_then(|url| url.connect())
        .expect("a database connection");
    connection
        .batch_execute(statements)
        .unwrap_or_else(|error| panic!("{statements}: {error}"));
}

/// A new client enrolled as the head of a new household, optionally on a grant and exited
/// through the API; answers `(client_id, enrollment_id, household_id)`.
fn stay(
    app: &TestApp,
    program: &str,
    grant: Option<&str>,
    entry: &str,
    exit: Option<(&str, i32)>,
) -> (String, String, String) {
    let client = create_client(app, "Stay");
    let mut body = enrollment_body(program, entry, 1);
    if let Some(grant) = grant {
        body = merged(body, json!({ "grant_id": grant }));
    }
    let response = post_enrollment(app, &app.admin_token(), &client, &body);
    response.assert_status(201);
    let enrollment = id_of(&response.body);
    let household = response.body["household_id"].as_str().unwrap().to_owned();
    if let Some((exit_date, destination)) = exit {
        let response = app.post(
            &format!("{}/exit", enrollment_path(&client, &enrollment)),
            Some(&app.admin_token()),
            &json!({ "exit_date": exit_date, "destination": destination }),
        );
        response.assert_status(200);
    }
    (client, enrollment, household)
}

/// The names of the programs a report lists, as `token` reads it.
fn program_names(app: &TestApp, path: &str, token: &str) -> Vec<String> {
    let report = app.get(path, Some(token));
    report.assert_status(200);
    report.body["programs"]
        .as_array()
        .unwrap_or_else(|| panic!("no `programs` list in {}", report.describe()))
        .iter()
        .map(|program| {
            program["name"]
                .as_str()
                .expect("a program's name")
                .to_owned()
        })
        .collect()
}

struct Known {
    organization_a: String,
    organization_b: String,
    shelter: String,
    housing: String,
    outreach: String,
    grant: String,
}

/// Organization A: "A Shelter" (with a grant) and "B Housing"; organization B: "C Outreach".
fn known_data(app: &TestApp) -> Known {
    let organization_a = create_organization(app, "North Agency");
    let organization_b = create_organization(app, "South Agency");
    let shelter = create_program(app, &organization_a, json!({ "name": "A Shelter" }));
    let housing = create_program(app, &organization_a, json!({ "name": "B Housing" }));
    let outreach = create_program(app, &organization_b, json!({ "name": "C Outreach" }));
    let grant = create_grant(app, &shelter, "2024-01-01", None);
    let on_grant = Some(grant.as_str());
    // Exits on `from`: an exit, not active at the start. 31 days.
    stay(
        app,
        &shelter,
        on_grant,
        "2024-12-01",
        Some(("2025-01-01", 410)),
    );
    // Enters on `to`: an entry, active at the end.
    stay(app, &shelter, on_grant, "2025-01-31", None);
    // There all along.
    stay(app, &shelter, None, "2024-06-01", None);
    // Enters and exits on `from`: 0 days.
    stay(app, &shelter, None, "2025-01-01", Some(("2025-01-01", 116)));
    // Exits on `to`: active at the start, not at the end. 31 days.
    stay(
        app,
        &shelter,
        on_grant,
        "2024-12-31",
        Some(("2025-01-31", 204)),
    );
    // Exits after `to`: active at the end.
    stay(app, &shelter, None, "2025-01-10", Some(("2025-02-01", 8)));
    // Before the range.
    stay(app, &shelter, None, "2024-01-01", Some(("2024-12-31", 302)));
    // 5 days, temporary.
    stay(app, &shelter, None, "2025-01-15", Some(("2025-01-20", 302)));
    // 20 days, no exit interview (other).
    stay(
        app,
        &shelter,
        on_grant,
        "2025-01-05",
        Some(("2025-01-25", 30)),
    );
    // Deleted: never counts.
    let (client, enrollment, _) = stay(app, &shelter, on_grant, "2025-01-05", None);
    app.delete(
        &enrollment_path(&client, &enrollment),
        Some(&app.admin_token()),
    )
    .assert_status(204);
    stay(app, &housing, None, "2024-11-01", None);
    stay(app, &outreach, None, "2025-01-02", None);
    Known {
        organization_a,
        organization_b,
        shelter,
        housing,
        outreach,
        grant,
    }
}

fn counts(
    [active_at_start, entries, exits, active_at_end]: [u64; 4],
    [permanent, temporary, institutional, homeless, other]: [u64; 5],
    average: Value,
    median: Value,
) -> Value {
    json!({
        "active_at_start": active_at_start,
        "entries": entries,
        "exits": exits,
        "active_at_end": active_at_end,
        "exits_by_destination_class": {
            "permanent": permanent,
            "temporary": temporary,
            "institutional": institutional,
            "homeless": homeless,
            "other": other,
        },
        "average_length_of_stay_days": average,
        "median_length_of_stay_days": median,
    })
}

fn shelter_summary(known: &Known, grants: Value) -> Value {
    merged(
        json!({ "program_id": known.shelter, "name": "A Shelter", "grants": grants }),
        counts([2, 5, 5, 3], [1, 1, 1, 1, 1], json!(17.4), json!(20.0)),
    )
}

fn grant_summary(known: &Known) -> Value {
    merged(
        json!({ "grant_id": known.grant }),
        counts([1, 2, 3, 1], [1, 0, 1, 0, 1], json!(27.33), json!(31.0)),
    )
}

fn housing_summary(known: &Known) -> Value {
    merged(
        json!({ "program_id": known.housing, "name": "B Housing", "grants": [] }),
        counts([1, 0, 0, 1], [0, 0, 0, 0, 0], Value::Null, Value::Null),
    )
}

both_backends!(
    fn enrollment_summary_counts_every_edge_of_the_range(app: &TestApp) {
        let known = known_data(app);
        let token = token_for(app, "north", Role::CaseManager, &known.organization_a);
        let response = app.get(SUMMARY, Some(&token));
        response.assert_status(200);
        assert_eq!(
            response.body,
            json!({
                "from": "2025-01-01",
                "to": "2025-01-31",
                "programs": [
                    shelter_summary(&known, json!([grant_summary(&known)])),
                    housing_summary(&known),
                ],
            })
        );

        let one_program = app.get(
            &format!("{SUMMARY}&program_id={}", known.housing),
            Some(&token),
        );
        one_program.assert_status(200);
        assert_eq!(
            one_program.body["programs"],
            json!([housing_summary(&known)])
        );

        let one_grant = app.get(&format!("{SUMMARY}&grant_id={}", known.grant), Some(&token));
        one_grant.assert_status(200);
        assert_eq!(
            one_grant.body["programs"],
            json!([shelter_summary(&known, json!([grant_summary(&known)]))])
        );

        // One day: the range's both ends are the same day.
        let one_day = app.get(
            &format!(
                "/v1/reports/enrollment-summary?from=2025-01-31&to=2025-01-31&program_id={}",
                known.shelter
            ),
            Some(&token),
        );
        one_day.assert_status(200);
        let shelter = &one_day.body["programs"][0];
        assert_eq!(shelter["active_at_start"], 3);
        assert_eq!(shelter["entries"], 1);
        assert_eq!(shelter["exits"], 1);
        assert_eq!(shelter["active_at_end"], 3);
        assert_eq!(shelter["average_length_of_stay_days"], 31.0);
    }

    fn reports_cover_only_the_callers_organization(app: &TestApp) {
        let known = known_data(app);
        let south = token_for(app, "south", Role::CaseManager, &known.organization_b);
        let response = app.get(SUMMARY, Some(&south));
        response.assert_status(200);
        let programs = response.body["programs"].as_array().unwrap();
        assert_eq!(programs.len(), 1);
        assert_eq!(programs[0]["program_id"], json!(known.outreach));
        assert_eq!(programs[0]["entries"], 1);
        assert_eq!(programs[0]["active_at_end"], 1);

        assert_eq!(
            program_names(app, "/v1/reports/data-quality", &south),
            ["C Outreach"]
        );

        // Another organization's program or grant names nothing.
        for path in [
            format!("{SUMMARY}&program_id={}", known.shelter),
            format!("{SUMMARY}&grant_id={}", known.grant),
            format!("/v1/reports/data-quality?program_id={}", known.shelter),
        ] {
            assert_not_found(&app.get(&path, Some(&south)));
        }

        let viewer = token_for(app, "viewer", Role::Viewer, &known.organization_a);
        let response = app.get(SUMMARY, Some(&viewer));
        response.assert_status(200);
        assert_eq!(response.body["programs"].as_array().unwrap().len(), 2);

        assert_eq!(
            program_names(app, SUMMARY, &app.admin_token()),
            ["A Shelter", "B Housing", "C Outreach"]
        );
    }

    fn refused_requests(app: &TestApp) {
        let token = app.admin_token();
        let summary_queries = [
            "to=2025-01-31",
            "from=2025-01-01",
            "from=2025-02-30&to=2025-03-01",
            "from=01/01/2025&to=2025-03-01",
            "from=2025-02-01&to=2025-01-31",
            "from=2025-01-01&to=2025-01-31&program=x",
            "from=2025-01-01&to=2025-01-31&program_id=nope",
        ];
        let summary = "/v1/reports/enrollment-summary";
        assert_malformed_queries(app, &token, summary, &summary_queries);
        let quality_queries = ["from=2025-01-01", "program_id=nope"];
        assert_malformed_queries(app, &token, "/v1/reports/data-quality", &quality_queries);
        assert_unauthenticated(&app.get(SUMMARY, None));
        assert_unauthenticated(&app.get("/v1/reports/data-quality", None));
        let missing = format!("{SUMMARY}&program_id=0193a1b2-0000-7000-8000-000000000002");
        assert_not_found(&app.get(&missing, Some(&token)));
    }
);

/// Sets every stored timestamp to noon of the day it records, so only the records the test
/// makes late are late.
fn timely(app: &TestApp) {
    match app.backend() {
        Backend::Sqlite => sql(
            app,
            "UPDATE enrollments SET created_at = entry_date || ' 12:00:00'; \
             UPDATE enrollments SET exited_at = exit_date || ' 12:00:00' \
             WHERE exit_date IS NOT NULL;",
        ),
        Backend::Postgres => sql(
            app,
            "UPDATE enrollments SET created_at = entry_date + TIME '12:00'; \
             UPDATE enrollments SET exited_at = exit_date + TIME '12:00' \
             WHERE exit_date IS NOT NULL;",
        ),
    }
}

fn check(report: &Value, name: &str, key: &str, ids: &[&str]) {
    let mut expected: Vec<&str> = ids.to_vec();
    expected.sort_unstable();
    assert_eq!(
        report[name],
        json!({ "count": ids.len(), key: expected }),
        "{name}"
    );
}

both_backends!(
    fn data_quality_finds_every_broken_expectation(app: &TestApp) {
        let organization = create_organization(app, "North Agency");
        let program = create_program(app, &organization, json!({ "name": "A Shelter" }));
        let admin = app.admin_token();

        // A clean household of two.
        let (_, _, clean_household) = stay(app, &program, None, "2025-01-10", None);
        let member = create_client(app, "Member");
        enroll_member(app, &member, &program, &clean_household, "2025-01-10", 2);
        // A member entering before the head (the API refuses it: written directly).
        let (_, _, early_household) = stay(app, &program, None, "2025-01-10", None);
        let early = create_client(app, "Early");
        let early_member = enroll_member(app, &early, &program, &early_household, "2025-01-12", 2);
        let early_member = id_of(&early_member);
        // Two heads: the API refuses to make a member a second head.
        let (_, _, two_heads) = stay(app, &program, None, "2025-01-10", None);
        let second = create_client(app, "Second");
        let second_head = enroll_member(app, &second, &program, &two_heads, "2025-01-10", 3);
        let second_head = id_of(&second_head);
        let refused = app.patch(
            &enrollment_path(&second, &second_head),
            Some(&admin),
            &json!({ "relationship_to_hoh": 1 }),
        );
        assert!(
            [409, 422].contains(&refused.status),
            "{}",
            refused.describe()
        );
        // No head.
        let (_, headless, no_head) = stay(app, &program, None, "2025-01-10", None);
        // The same client twice at once in the program.
        let (twice, first_stay, _) =
            stay(app, &program, None, "2025-01-01", Some(("2025-02-01", 410)));
        let second_stay = id_of(&enroll_head(app, &twice, &program, "2025-02-01"));
        // Exit before entry, move-in outside the stay, destinations missing or unclear.
        let (_, backwards, _) = stay(app, &program, None, "2025-01-10", Some(("2025-01-20", 410)));
        let (_, moved_in, _) = stay(app, &program, None, "2025-01-10", None);
        let (_, no_destination, _) =
            stay(app, &program, None, "2025-01-10", Some(("2025-01-20", 410)));
        let (_, refused_destination, _) =
            stay(app, &program, None, "2025-01-10", Some(("2025-01-20", 9)));
        let (_, unknown_destination, _) =
            stay(app, &program, None, "2025-01-10", Some(("2025-01-20", 99)));
        // Recorded late.
        let (_, late, _) = stay(app, &program, None, "2025-01-10", Some(("2025-01-20", 410)));
        // Deleted enrollments never count, whatever they hold.
        let (deleted_client, deleted, _) = stay(app, &program, None, "2025-01-10", None);
        app.delete(&enrollment_path(&deleted_client, &deleted), Some(&admin))
            .assert_status(204);

        sql(
            app,
            &format!(
                "UPDATE clients SET name_data_quality = 1, ssn_data_quality = 1, \
                     dob_data_quality = 1, veteran_status = 0, sex = 1; \
                 UPDATE enrollments SET entry_date = '2025-01-05' WHERE id = '{early_member}'; \
                 UPDATE enrollments SET relationship_to_hoh = 1 WHERE id = '{second_head}'; \
                 UPDATE enrollments SET relationship_to_hoh = 2 WHERE id = '{headless}'; \
                 UPDATE enrollments SET entry_date = '2025-01-20' WHERE id = '{second_stay}'; \
                 UPDATE enrollments SET exit_date = '2025-01-05' WHERE id = '{backwards}'; \
                 UPDATE enrollments SET move_in_date = '2024-12-01' WHERE id = '{moved_in}'; \
                 UPDATE enrollments SET destination = NULL WHERE id = '{no_destination}'; \
                 UPDATE enrollments SET relationship_to_hoh = 2, move_in_date = '2020-01-01', \
                     destination = NULL, exit_date = '2020-01-01' WHERE id = '{deleted}';"
            ),
        );
        timely(app);
        sql(
            app,
            &format!(
                "UPDATE enrollments SET created_at = '2025-01-14 12:00:00', \
                     exited_at = '2025-01-24 12:00:00' WHERE id = '{late}';"
            ),
        );
        // Clients' unclear answers: one client per check, two for sex.
        sql(
            app,
            &format!(
                "UPDATE clients SET name_data_quality = 8 WHERE id = '{member}'; \
                 UPDATE clients SET ssn_data_quality = 9 WHERE id = '{early}'; \
                 UPDATE clients SET dob_data_quality = 99 WHERE id = '{second}'; \
                 UPDATE clients SET veteran_status = 8 WHERE id = '{twice}'; \
                 UPDATE clients SET sex = 99 WHERE id IN ('{member}', '{early}'); \
                 UPDATE clients SET sex = 9 WHERE id = '{deleted_client}';"
            ),
        );

        let response = app.get(
            "/v1/reports/data-quality",
            Some(&token_for(app, "north", Role::CaseManager, &organization)),
        );
        response.assert_status(200);
        let programs = response.body["programs"].as_array().unwrap();
        assert_eq!(programs.len(), 1);
        let report = &programs[0];
        assert_eq!(report["program_id"], json!(program));
        assert_eq!(report["name"], "A Shelter");
        check(
            report,
            "households_without_one_head",
            "household_ids",
            &[&two_heads, &no_head],
        );
        check(
            report,
            "members_before_head",
            "enrollment_ids",
            &[&early_member],
        );
        check(
            report,
            "overlapping_enrollments",
            "enrollment_ids",
            &[&first_stay, &second_stay],
        );
        check(
            report,
            "exits_before_entries",
            "enrollment_ids",
            &[&backwards],
        );
        // An exit before the entry leaves no day a move-in could fall on.
        check(
            report,
            "move_in_outside_stay",
            "enrollment_ids",
            &[&moved_in],
        );
        check(
            report,
            "missing_destination",
            "enrollment_ids",
            &[&no_destination],
        );
        check(
            report,
            "destination_dont_know_refused_missing",
            "enrollment_ids",
            &[&refused_destination, &unknown_destination],
        );
        check(
            report,
            "name_dont_know_refused_missing",
            "client_ids",
            &[&member],
        );
        check(
            report,
            "ssn_dont_know_refused_missing",
            "client_ids",
            &[&early],
        );
        check(
            report,
            "dob_dont_know_refused_missing",
            "client_ids",
            &[&second],
        );
        check(
            report,
            "veteran_status_dont_know_refused_missing",
            "client_ids",
            &[&twice],
        );
        check(
            report,
            "sex_dont_know_refused_missing",
            "client_ids",
            &[&member, &early],
        );
        check(report, "entries_recorded_late", "enrollment_ids", &[&late]);
        check(report, "exits_recorded_late", "enrollment_ids", &[&late]);

        let one = app.get(
            &format!("/v1/reports/data-quality?program_id={program}"),
            Some(&admin),
        );
        one.assert_status(200);
        assert_eq!(one.body, response.body);
    }
);
