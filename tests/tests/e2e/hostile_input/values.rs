//! Values inside well-formed requests: IDs, text, dates, numbers and query strings.

use serde_json::json;
use threshold_tests::both_backends;

use super::{
    admin_post, assert_invalid_exactly, assert_refused, assert_still_serving, send_json, short,
};
use crate::common::{create_client, create_organization};

/// `"Harbor Shelter"`'s program body with `capacity` written as `capacity` (raw JSON).
fn program_with_capacity(organization: &str, capacity: &str) -> String {
    format!(
        r#"{{"organization_id": "{organization}", "name": "Harbor Shelter", "project_type": 0,
             "operating_start_date": "2020-01-01", "capacity": {capacity}}}"#
    )
}

both_backends!(
    fn overlong_ids_name_nothing(app: &TestApp) {
        let client = create_client(app, "Jordan");
        let token = app.admin_token();
        for id in [
            "a".repeat(10_000),
            format!("{client}0"),
            format!("{client}{}", "0".repeat(5_000)),
            "%00".repeat(1_000),
        ] {
            let what = format!("GET /v1/clients/{}...", &id[..20]);
            let response = app.get(&format!("/v1/clients/{id}"), Some(&token));
            assert_refused(app, &response, 404, "not_found", &what);
            let response = app.get(
                &format!("/v1/clients/{client}/enrollments/{id}"),
                Some(&token),
            );
            assert_refused(app, &response, 404, "not_found", &what);
        }
        let response = admin_post(
            app,
            &format!("/v1/clients/{client}/enrollments"),
            &json!({"program_id": "7".repeat(10_000), "entry_date": "2024-03-01",
                    "relationship_to_hoh": 1, "household_id": format!("{client}ff")}),
        );
        assert_invalid_exactly(
            app,
            &response,
            "overlong IDs in a body",
            &[("household_id", "invalid"), ("program_id", "invalid")],
        );
        let response = app
            .request("POST", "/v1/organizations")
            .token(Some(&token))
            .header("Idempotency-Key", &"k".repeat(10_000))
            .json(&json!({"name": "Harbor Light"}))
            .send();
        assert_refused(
            app,
            &response,
            400,
            "request.malformed",
            "a 10,000-byte key",
        );
    }

    fn text_shaped_like_sql_is_stored_and_returned_verbatim(app: &TestApp) {
        let token = app.admin_token();
        let other = create_client(app, "Jordan");
        let names = [
            "Robert'); DROP TABLE clients;--",
            "' OR '1'='1",
            "\"; DELETE FROM enrollments; --",
            "100% _under_ \\back",
        ];
        let mut ids = Vec::new();
        for name in names {
            let response = admin_post(app, "/v1/clients", &json!({"first_name": name}));
            assert_eq!(response.status, 201, "{name}: {}", short(&response));
            assert_eq!(response.body["first_name"], name);
            let id = response.body["id"].as_str().unwrap().to_owned();
            let read = app.get(&format!("/v1/clients/{id}"), Some(&token));
            assert_eq!(read.body["first_name"], name, "read back");
            ids.push(id);
        }
        // Searching for the text finds that client only: quotes and LIKE wildcards are text.
        for (query, expected) in [
            ("%27%20OR%20%271%27%3D%271", vec![&ids[1]]),
            ("%25", vec![&ids[3]]),
            ("_", vec![&ids[3]]),
            ("%5C", vec![&ids[3]]),
            ("DROP%20TABLE", vec![&ids[0]]),
        ] {
            let found = app.get(&format!("/v1/clients?q={query}"), Some(&token));
            let found: Vec<&str> = found.body["data"]
                .as_array()
                .unwrap_or_else(|| panic!("q={query}: {}", short(&found)))
                .iter()
                .map(|client| client["id"].as_str().unwrap())
                .collect();
            let expected: Vec<&str> = expected.iter().map(|id| id.as_str()).collect();
            assert_eq!(found, expected, "q={query}");
        }
        let all = app.get("/v1/clients?limit=200", Some(&token));
        assert_eq!(all.body["data"].as_array().map(Vec::len), Some(5));
        let read = app.get(&format!("/v1/clients/{other}"), Some(&token));
        assert_eq!(read.body["first_name"], "Jordan");
        assert_still_serving(app, "SQL-shaped text");
    }

    fn dates_out_of_the_calendar_are_refused(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let token = app.admin_token();
        for date in [
            "0000-00-00",
            "2024-02-30",
            "99999-01-01",
            "+2024-01-01",
            "-0001-01-01",
            "0999-12-31",
            "2024-1-1",
            "2024-01-01T00:00:00Z",
            "",
        ] {
            let response = admin_post(
                app,
                "/v1/programs",
                &json!({"organization_id": organization, "name": "Harbor Shelter",
                        "project_type": 0, "operating_start_date": date,
                        "operating_end_date": date}),
            );
            let what = format!("date `{date}`");
            assert_invalid_exactly(
                app,
                &response,
                &what,
                &[
                    ("operating_end_date", "invalid"),
                    ("operating_start_date", "invalid"),
                ],
            );
            let encoded = date.replace('+', "%2B");
            let response = app.get(&format!("/v1/clients?dob={encoded}"), Some(&token));
            assert_refused(app, &response, 400, "request.malformed", &what);
        }
        for instant in ["2024-02-30T00:00:00Z", "99999-01-01T00:00:00Z", "yesterday"] {
            let response = app.get(
                &format!("/v1/enrollments?updated_since={instant}"),
                Some(&token),
            );
            assert_refused(app, &response, 400, "request.malformed", instant);
        }
        let programs = app.get("/v1/programs", Some(&token));
        assert_eq!(programs.body["data"], json!([]));
    }

    fn numbers_out_of_range_are_refused(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        for capacity in [
            "-1",
            "0",
            "2147483648",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "1.5",
            "2.5e0",
            "\"10\"",
            "[10]",
        ] {
            let body = program_with_capacity(&organization, capacity);
            let response = send_json(app, "POST", "/v1/programs", body);
            let what = format!("capacity {capacity}");
            assert_invalid_exactly(app, &response, &what, &[("capacity", "invalid")]);
        }
        // Beyond what a double holds: the body cannot be read as numbers at all.
        for capacity in ["1e400", "-1e400"] {
            let body = program_with_capacity(&organization, capacity);
            let response = send_json(app, "POST", "/v1/programs", body);
            assert_refused(app, &response, 400, "request.malformed", capacity);
        }
        let programs = app.get("/v1/programs", Some(&app.admin_token()));
        assert_eq!(programs.body["data"], json!([]));
        // JSON Schema counts a number with a zero fraction as an integer: 1e2 is 100.
        let body = program_with_capacity(&organization, "1e2");
        let response = send_json(app, "POST", "/v1/programs", body);
        response.assert_status(201);
        assert_eq!(response.body["capacity"], 100);
    }

    fn junk_query_strings_are_400(app: &TestApp) {
        let token = app.admin_token();
        for query in [
            "limit=abc",
            "limit=0",
            "limit=201",
            "limit=-1",
            "limit=99999999999999999999",
            "limit=1&limit=2",
            "cursor=%%%",
            "cursor=djE6AA",
            "cursor=djE6IA",
            "dry_run=maybe",
            "colour=red",
            "=&&=",
            "q=a%00b",
            "q=%00",
        ] {
            let response = app.get(&format!("/v1/clients?{query}"), Some(&token));
            assert_refused(app, &response, 400, "request.malformed", query);
        }
        for query in ["actor=a%00", "entity_type=%00client"] {
            let response = app.get(&format!("/v1/audit-events?{query}"), Some(&token));
            assert_refused(app, &response, 400, "request.malformed", query);
        }
        let response = app.post(
            "/v1/organizations?dry_run=true&name=%00",
            Some(&token),
            &json!({"name": "Harbor Light"}),
        );
        assert_refused(
            app,
            &response,
            400,
            "request.malformed",
            "NUL beside dry_run",
        );
        // An escaped percent sign is text, not a NUL.
        let response = app.get("/v1/clients?q=%2500", Some(&token));
        assert_eq!(response.status, 200, "{}", short(&response));
    }
);
