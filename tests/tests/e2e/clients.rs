//! `/v1/clients`: create, search, read, merge-patch and delete clients, and who may.

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Role, TestApp};
use uuid::Uuid;

fn client_path(id: &str) -> String {
    format!("/v1/clients/{id}")
}

/// The ids a client search answers, in order.
fn search(app: &TestApp, query: &str) -> Vec<String> {
    ids_in(&app.get(&format!("/v1/clients?{query}"), Some(&app.admin_token())))
}

both_backends!(
    fn create_answers_the_stored_client(app: &TestApp) {
        let token = app.admin_token();
        let response = app.post(
            "/v1/clients",
            Some(&token),
            &json!({
                "first_name": "Jordan",
                "middle_name": "Avery",
                "last_name": "Lee",
                "name_suffix": "Jr.",
                "name_data_quality": 1,
                "ssn": "123456789",
                "ssn_data_quality": 1,
                "dob": "1990-04-12",
                "dob_data_quality": 1,
                "sex": 1,
                "race_ethnicity": ["white", "asian"],
                "veteran_status": 0,
            }),
        );
        let id = assert_created(&response, "/v1/clients");
        let body = &response.body;
        assert_eq!(body["first_name"], "Jordan");
        assert_eq!(body["middle_name"], "Avery");
        assert_eq!(body["last_name"], "Lee");
        assert_eq!(body["name_suffix"], "Jr.");
        assert_eq!(body["name_data_quality"], 1);
        assert_eq!(body["ssn_last4"], "6789");
        assert_eq!(body["ssn_data_quality"], 1);
        assert_eq!(body["dob"], "1990-04-12");
        assert_eq!(body["dob_data_quality"], 1);
        assert_eq!(body["sex"], 1);
        assert_eq!(body["veteran_status"], 0);
        assert_eq!(body["race_none"], Value::Null);
        let mut races: Vec<&str> = body["race_ethnicity"]
            .as_array()
            .expect("a race_ethnicity list")
            .iter()
            .map(|race| race.as_str().unwrap())
            .collect();
        races.sort_unstable();
        assert_eq!(races, ["asian", "white"]);
        assert_eq!(body["version"], 1);
        assert_eq!(body["created_by"], "test-admin");
        assert_eq!(body["updated_by"], "test-admin");
        assert!(
            body.get("ssn").is_none(),
            "the full SSN came back: {}",
            response.describe()
        );
        assert!(
            !response.text.contains("123456789"),
            "the full SSN came back: {}",
            response.describe()
        );

        let fetched = app.get(&client_path(&id), Some(&token));
        fetched.assert_status(200);
        assert_eq!(fetched.etag(), "\"1\"");
        assert_eq!(&fetched.body, body);
        assert!(fetched.body.get("ssn").is_none());
        assert!(!fetched.text.contains("123456789"));

        let listed = app.get("/v1/clients", Some(&token));
        listed.assert_status(200);
        assert_eq!(listed.body["data"], json!([body]));
        assert!(!listed.text.contains("123456789"));
    }

    fn missing_answers_default_to_not_collected(app: &TestApp) {
        let response = app.post(
            "/v1/clients",
            Some(&app.admin_token()),
            &json!({"first_name": "Sam"}),
        );
        response.assert_status(201);
        let body = &response.body;
        for field in [
            "name_data_quality",
            "ssn_data_quality",
            "dob_data_quality",
            "sex",
            "veteran_status",
            "race_none",
        ] {
            assert_eq!(body[field], 99, "`{field}` in {}", response.describe());
        }
        assert_eq!(body["race_ethnicity"], json!([]));
        assert_eq!(body["ssn_last4"], Value::Null);
        assert_eq!(body["dob"], Value::Null);
        assert_eq!(body["middle_name"], Value::Null);
        assert!(body.get("ssn").is_none());

        // A reason for no race is kept when there are no categories.
        let refused = create_client_with(app, json!({"first_name": "Ari", "race_none": 9}));
        assert_eq!(refused["race_none"], 9);
        assert_eq!(refused["race_ethnicity"], json!([]));
    }

    fn data_quality_codes_must_be_borne_out_by_the_data(app: &TestApp) {
        let token = app.admin_token();
        // HUD's anonymous client: nothing recorded, every universal element answered 99.
        let anonymous = app.post("/v1/clients", Some(&token), &json!({}));
        anonymous.assert_status(201);
        for field in ["name_data_quality", "ssn_data_quality", "dob_data_quality"] {
            assert_eq!(anonymous.body[field], 99, "{field}");
        }
        // 8 and 9 are answers without data too.
        let declined = app.post(
            "/v1/clients",
            Some(&token),
            &json!({"name_data_quality": 9, "ssn_data_quality": 8, "dob_data_quality": 9}),
        );
        declined.assert_status(201);
        // 3.01.5, 3.02.2, 3.03.2: a code that claims data the body does not hold.
        for (body, fields) in [
            (
                json!({"first_name": "Sam", "name_data_quality": 1}),
                vec!["name_data_quality"],
            ),
            (json!({"name_data_quality": 2}), vec!["name_data_quality"]),
            (json!({"ssn_data_quality": 1}), vec!["ssn_data_quality"]),
            (
                json!({"dob_data_quality": 2, "ssn_data_quality": 1}),
                vec!["ssn_data_quality", "dob_data_quality"],
            ),
        ] {
            let refused = app.post("/v1/clients", Some(&token), &body);
            assert_problem(&refused, 422, "validation.failed");
            let expected: std::collections::BTreeSet<(String, String)> = fields
                .iter()
                .map(|field| (field.to_string(), "invalid".to_owned()))
                .collect();
            assert_eq!(error_fields(&refused), expected, "{body}");
        }
        let partial = app.post(
            "/v1/clients",
            Some(&token),
            &json!({"first_name": "Sam", "name_data_quality": 2}),
        );
        partial.assert_status(201);

        // A change may not leave a code without its data; clearing both is fine.
        let created = create_client_with(
            app,
            json!({"first_name": "Jo", "last_name": "Lee", "name_data_quality": 1,
                   "dob": "1990-04-12", "dob_data_quality": 1}),
        );
        let path = client_path(&id_of(&created));
        let refused = app.patch(&path, Some(&token), &json!({"dob": null}));
        assert_invalid(&refused, "dob_data_quality", "invalid");
        let refused = app.patch(&path, Some(&token), &json!({"last_name": null}));
        assert_invalid(&refused, "name_data_quality", "invalid");
        let cleared = app.patch(
            &path,
            Some(&token),
            &json!({"dob": null, "dob_data_quality": 8}),
        );
        cleared.assert_status(200);
        assert_eq!(cleared.body["dob_data_quality"], 8);
        assert_eq!(cleared.body["version"], 2);
    }

    fn dry_run_create_stores_nothing(app: &TestApp) {
        let token = app.admin_token();
        let response = app.post(
            "/v1/clients?dry_run=true",
            Some(&token),
            &json!({"first_name": "Jordan", "ssn": "123456789"}),
        );
        response.assert_status(200);
        assert_eq!(response.body["first_name"], "Jordan");
        assert_eq!(response.body["ssn_last4"], "6789");
        assert_eq!(response.header("location"), None);
        assert_eq!(app.get("/v1/clients", Some(&token)).body["data"], json!([]));
    }

    fn body_problems_from_parsing_are_listed_together(app: &TestApp) {
        let token = app.admin_token();
        let response = app.post(
            "/v1/clients",
            Some(&token),
            &json!({
                "first_name": "Jordan",
                "ssn": "123-45-6789",
                "sex": 7,
                "dob": days_ahead(3),
                "eye_colour": "brown",
            }),
        );
        assert_problem(&response, 422, "validation.failed");
        assert_eq!(
            error_fields(&response),
            pairs(&[
                ("ssn", "invalid"),
                ("sex", "invalid"),
                ("dob", "date.in_future"),
                ("eye_colour", "unknown_field"),
            ]),
            "{}",
            response.describe()
        );
        assert_eq!(app.get("/v1/clients", Some(&token)).body["data"], json!([]));
    }

    fn body_problems_from_checks_are_listed_together(app: &TestApp) {
        let response = app.post(
            "/v1/clients",
            Some(&app.admin_token()),
            &json!({
                "first_name": "J".repeat(51),
                "last_name": "Lee",
                "race_ethnicity": ["white"],
                "race_none": 99,
            }),
        );
        assert_problem(&response, 422, "validation.failed");
        assert_eq!(
            error_fields(&response),
            pairs(&[("first_name", "too_long"), ("race_none", "invalid")]),
            "{}",
            response.describe()
        );
    }

    fn single_body_problems_are_refused(app: &TestApp) {
        let token = app.admin_token();
        let cases = [
            (json!({"ssn": "12345678"}), "ssn", "invalid"),
            (json!({"ssn": "1234567890"}), "ssn", "invalid"),
            (json!({"sex": 3}), "sex", "invalid"),
            (json!({"veteran_status": 2}), "veteran_status", "invalid"),
            (
                json!({"name_data_quality": 3}),
                "name_data_quality",
                "invalid",
            ),
            (
                json!({"race_ethnicity": ["martian"]}),
                "race_ethnicity",
                "invalid",
            ),
            (json!({"race_none": 1}), "race_none", "invalid"),
            (
                json!({"race_ethnicity": ["asian"], "race_none": 8}),
                "race_none",
                "invalid",
            ),
            (json!({"dob": days_ahead(2)}), "dob", "date.in_future"),
            (json!({"dob": "1990-02-30"}), "dob", "invalid"),
            (
                json!({"last_name": "L".repeat(51)}),
                "last_name",
                "too_long",
            ),
            (
                json!({"middle_name": "M".repeat(51)}),
                "middle_name",
                "too_long",
            ),
            (json!({"nickname": "JJ"}), "nickname", "unknown_field"),
        ];
        for (extra, field, code) in cases {
            let body = merged(json!({"first_name": "Jordan"}), extra.clone());
            let response = app.post("/v1/clients", Some(&token), &body);
            assert_problem(&response, 422, "validation.failed");
            // A field inside a list is named by its JSON path, as `race_ethnicity[0]`.
            assert!(
                error_fields(&response)
                    .iter()
                    .any(|(named, found)| named.starts_with(field) && found == code),
                "expected ({field}, {code}) for {extra}: {}",
                response.describe()
            );
        }
        // Exactly 50 characters is allowed, and today is not in the future.
        let body = json!({"first_name": "J".repeat(50), "dob": today().to_string()});
        app.post("/v1/clients", Some(&token), &body)
            .assert_status(201);
        assert_eq!(search(app, "").len(), 1, "a refused body stored a client");
    }

    fn search_by_words_and_date_of_birth(app: &TestApp) {
        let jordan = id_of(&create_client_with(
            app,
            json!({"first_name": "Jordan", "middle_name": "Avery", "last_name": "Lee",
                   "dob": "1990-04-12"}),
        ));
        let jordan_park = id_of(&create_client_with(
            app,
            json!({"first_name": "Jordan", "last_name": "Park", "dob": "1985-01-20"}),
        ));
        let lee = id_of(&create_client_with(
            app,
            json!({"first_name": "Morgan", "last_name": "Lee", "dob": "1990-04-12"}),
        ));

        assert_eq!(
            search(app, ""),
            [jordan.as_str(), jordan_park.as_str(), lee.as_str()]
        );
        assert_eq!(
            search(app, "q=jordan"),
            [jordan.as_str(), jordan_park.as_str()]
        );
        assert_eq!(
            search(app, "q=JORDAN"),
            [jordan.as_str(), jordan_park.as_str()]
        );
        assert_eq!(search(app, "q=jordan%20lee"), [jordan.as_str()]);
        assert_eq!(search(app, "q=lee+jordan"), [jordan.as_str()]);
        assert_eq!(search(app, "q=avery"), [jordan.as_str()]);
        assert_eq!(search(app, "q=lee"), [jordan.as_str(), lee.as_str()]);
        assert_eq!(search(app, "q=jordan+morgan"), Vec::<String>::new());
        assert_eq!(search(app, "q=nobody"), Vec::<String>::new());
        assert_eq!(
            search(app, "dob=1990-04-12"),
            [jordan.as_str(), lee.as_str()]
        );
        assert_eq!(search(app, "q=jordan&dob=1990-04-12"), [jordan.as_str()]);
        assert_eq!(search(app, "dob=2001-01-01"), Vec::<String>::new());

        let token = app.admin_token();
        let queries = [
            "dob=1990-4-12",
            "dob=1990-02-30",
            "dob=yesterday",
            "name=jordan",
        ];
        assert_malformed_queries(app, &token, "/v1/clients", &queries);
    }

    fn unknown_client_is_not_found(app: &TestApp) {
        let token = app.admin_token();
        let path = client_path(&Uuid::now_v7().to_string());
        assert_not_found(&app.get(&path, Some(&token)));
        assert_not_found(&app.patch(&path, Some(&token), &json!({"first_name": "X"})));
        assert_not_found(&app.delete(&path, Some(&token)));
        assert_not_found(&app.get("/v1/clients/not-a-uuid", Some(&token)));
    }

    fn patch_is_a_merge_patch(app: &TestApp) {
        let token = app.admin_token();
        let created = create_client_with(
            app,
            json!({
                "first_name": "Jordan",
                "middle_name": "Avery",
                "last_name": "Lee",
                "name_data_quality": 1,
                "ssn": "123456789",
                "ssn_data_quality": 1,
                "dob": "1990-04-12",
                "dob_data_quality": 1,
                "sex": 0,
                "veteran_status": 0,
            }),
        );
        let path = client_path(&id_of(&created));

        let response = app.patch(
            &path,
            Some(&token),
            &json!({"middle_name": null, "name_data_quality": null, "last_name": "Lee-Park"}),
        );
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2\"");
        let body = &response.body;
        assert_eq!(body["middle_name"], Value::Null);
        assert_eq!(body["name_data_quality"], 99);
        assert_eq!(body["last_name"], "Lee-Park");
        assert_eq!(body["version"], 2);
        // Absent fields are unchanged.
        assert_eq!(body["first_name"], "Jordan");
        assert_eq!(body["ssn_last4"], "6789");
        assert_eq!(body["ssn_data_quality"], 1);
        assert_eq!(body["dob"], "1990-04-12");
        assert_eq!(body["sex"], 0);
        assert_eq!(body["veteran_status"], 0);

        let response = app.patch(
            &path,
            Some(&token),
            &json!({"ssn": null, "ssn_data_quality": null, "sex": null, "dob": "1990-04-21"}),
        );
        response.assert_status(200);
        assert_eq!(response.body["ssn_last4"], Value::Null);
        assert_eq!(response.body["ssn_data_quality"], 99);
        assert_eq!(response.body["sex"], 99);
        assert_eq!(response.body["dob"], "1990-04-21");
        assert!(response.body.get("ssn").is_none());

        let response = app.patch(&path, Some(&token), &json!({"ssn": "987654321"}));
        response.assert_status(200);
        assert_eq!(response.body["ssn_last4"], "4321");
        assert!(!response.text.contains("987654321"));

        let fetched = app.get(&path, Some(&token));
        fetched.assert_status(200);
        assert_eq!(fetched.etag(), "\"4\"");
        assert_eq!(fetched.body["middle_name"], Value::Null);
        assert_eq!(fetched.body["name_data_quality"], 99);
        assert_eq!(fetched.body["ssn_last4"], "4321");
        assert_eq!(fetched.body["dob"], "1990-04-21");
        assert_eq!(fetched.body["last_name"], "Lee-Park");
    }

    fn patch_checks_the_body(app: &TestApp) {
        let token = app.admin_token();
        let path = client_path(&create_client(app, "Jordan"));
        for (body, field, code) in [
            (json!({"ssn": "1234"}), "ssn", "invalid"),
            (json!({"sex": 5}), "sex", "invalid"),
            (json!({"dob": days_ahead(2)}), "dob", "date.in_future"),
            (
                json!({"first_name": "J".repeat(51)}),
                "first_name",
                "too_long",
            ),
            (json!({"shoe_size": 9}), "shoe_size", "unknown_field"),
        ] {
            let response = app.patch(&path, Some(&token), &body);
            assert_problem(&response, 422, "validation.failed");
            assert!(
                error_fields(&response).contains(&(field.to_owned(), code.to_owned())),
                "expected ({field}, {code}) for {body}: {}",
                response.describe()
            );
        }
        let fetched = app.get(&path, Some(&token));
        assert_eq!(
            fetched.etag(),
            "\"1\"",
            "a refused patch changed the client"
        );
    }

    fn patch_race_answers(app: &TestApp) {
        let token = app.admin_token();
        let path = client_path(&id_of(&create_client_with(
            app,
            json!({"first_name": "Jordan", "race_ethnicity": ["asian"]}),
        )));
        // A reason for no race only goes with no categories.
        let response = app.patch(&path, Some(&token), &json!({"race_none": 9}));
        assert_problem(&response, 422, "validation.failed");

        let response = app.patch(
            &path,
            Some(&token),
            &json!({"race_ethnicity": [], "race_none": 8}),
        );
        response.assert_status(200);
        assert_eq!(response.body["race_ethnicity"], json!([]));
        assert_eq!(response.body["race_none"], 8);

        let response = app.patch(&path, Some(&token), &json!({"race_none": null}));
        response.assert_status(200);
        assert_eq!(response.body["race_none"], 99);

        let response = app.patch(&path, Some(&token), &json!({"race_ethnicity": ["white"]}));
        response.assert_status(200);
        assert_eq!(response.body["race_ethnicity"], json!(["white"]));
        assert_eq!(response.body["race_none"], Value::Null);
    }

    fn patch_and_delete_check_if_match(app: &TestApp) {
        let token = app.admin_token();
        let path = client_path(&create_client(app, "Jordan"));

        assert_stale_patch(app, &path, &token, "\"2\"", &json!({"first_name": "Jordy"}));
        assert_eq!(app.get(&path, Some(&token)).body["first_name"], "Jordan");

        let fresh = patch_if(app, &path, &token, "\"1\"", &json!({"first_name": "Jordy"}));
        fresh.assert_status(200);
        assert_eq!(fresh.etag(), "\"2\"");
        assert_eq!(fresh.body["first_name"], "Jordy");

        // The tag that was current is now stale.
        assert_stale_patch(app, &path, &token, "\"1\"", &json!({"first_name": "Jo"}));

        assert_stale_delete(app, &path, &token, "\"1\"");
        app.get(&path, Some(&token)).assert_status(200);

        let deleted = delete_if(app, &path, &token, "\"2\"");
        deleted.assert_status(204);
    }

    fn patch_dry_run_changes_nothing(app: &TestApp) {
        let token = app.admin_token();
        let path = client_path(&create_client(app, "Jordan"));
        let response = app.patch(
            &format!("{path}?dry_run=true"),
            Some(&token),
            &json!({"first_name": "Jordy"}),
        );
        response.assert_status(200);
        assert_eq!(response.body["first_name"], "Jordy");
        let fetched = app.get(&path, Some(&token));
        assert_eq!(fetched.body["first_name"], "Jordan");
        assert_eq!(fetched.etag(), "\"1\"");
    }

    fn delete_hides_the_client(app: &TestApp) {
        let token = app.admin_token();
        let kept = create_client(app, "Morgan");
        let gone = create_client(app, "Jordan");
        let path = client_path(&gone);

        let response = app.delete(&path, Some(&token));
        response.assert_status(204);
        assert_eq!(response.text, "");

        assert_not_found(&app.get(&path, Some(&token)));
        assert_not_found(&app.delete(&path, Some(&token)));
        assert_not_found(&app.patch(&path, Some(&token), &json!({"first_name": "X"})));
        assert_eq!(search(app, ""), [kept.as_str()]);
        assert_eq!(search(app, "q=jordan"), Vec::<String>::new());
        assert_eq!(search(app, "dob=1980-01-01"), [kept.as_str()]);
        assert_not_found(&app.get(&enrollments_path(&gone), Some(&token)));
    }

    fn delete_is_refused_while_enrollments_exist(app: &TestApp) {
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        let client = create_client(app, "Jordan");
        let enrollment = enroll_head(app, &client, &program, "2024-03-01");

        let response = app.delete(&client_path(&client), Some(&token));
        assert_problem(&response, 409, "client.has_enrollments");
        assert_eq!(error_codes(&response), ["client.has_enrollments"]);
        app.get(&client_path(&client), Some(&token))
            .assert_status(200);

        // An exited enrollment still counts.
        exit_in_database(app, &id_of(&enrollment), "2024-04-01");
        let response = app.delete(&client_path(&client), Some(&token));
        assert_problem(&response, 409, "client.has_enrollments");

        app.delete(&enrollment_path(&client, &id_of(&enrollment)), Some(&token))
            .assert_status(204);
        app.delete(&client_path(&client), Some(&token))
            .assert_status(204);
        assert_not_found(&app.get(&client_path(&client), Some(&token)));
    }

    fn readers_may_not_write(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let case_manager = token_for(app, "casey", Role::CaseManager, &organization);
        let client = create_client_as(app, &case_manager, "Jordan");
        let path = client_path(&client);
        for role in [Role::Viewer, Role::Integration] {
            let token = token_for(app, "reader", role, &organization);
            let response = app.post("/v1/clients", Some(&token), &json!({"first_name": "A"}));
            assert_forbidden(&response);
            let response = app.patch(&path, Some(&token), &json!({"first_name": "A"}));
            assert_forbidden(&response);
            assert_forbidden(&app.delete(&path, Some(&token)));

            let fetched = app.get(&path, Some(&token));
            fetched.assert_status(200);
            assert_eq!(fetched.body["first_name"], "Jordan");
            assert_eq!(fetched.etag(), "\"1\"");
            let listed = app.get("/v1/clients?q=jordan", Some(&token));
            assert_eq!(ids_in(&listed), [client.as_str()]);
        }
        assert_eq!(
            search(app, ""),
            [client.as_str()],
            "a refused write stored a client"
        );

        // Without a token nothing is answered.
        assert_unauthenticated(&app.get(&path, None));
        assert_unauthenticated(&app.get("/v1/clients", None));
        assert_unauthenticated(&app.post("/v1/clients", None, &json!({"first_name": "A"})));
    }

    fn case_managers_write_clients(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let token = token_for(app, "casey", Role::CaseManager, &organization);
        let response = app.post(
            "/v1/clients",
            Some(&token),
            &json!({"first_name": "Jordan", "last_name": "Lee"}),
        );
        response.assert_status(201);
        assert_eq!(response.body["created_by"], "casey");
        let path = client_path(&id_of(&response.body));

        let response = app.patch(&path, Some(&token), &json!({"last_name": "Park"}));
        response.assert_status(200);
        assert_eq!(response.body["last_name"], "Park");
        assert_eq!(response.body["updated_by"], "casey");

        // Clients are not shared: a case manager of another organization neither reads nor
        // edits a client it does not serve, did not create and has no consent for (404, as
        // for a client that does not exist), nor finds them by name.
        let other = create_organization(app, "Other Agency");
        let other_token = token_for(app, "robin", Role::CaseManager, &other);
        assert_not_found(&app.get(&path, Some(&other_token)));
        assert_not_found(&app.patch(&path, Some(&other_token), &json!({"middle_name": "Q"})));
        assert_not_found(&app.delete(&path, Some(&other_token)));
        let found = app.get("/v1/clients?q=park", Some(&other_token));
        found.assert_status(200);
        assert_eq!(found.body["data"], json!([]));

        app.delete(&path, Some(&token)).assert_status(204);
        assert_not_found(&app.get(&path, Some(&token)));
    }
);

both_backends!(
    fn every_body_problem_is_listed_at_once(app: &TestApp) {
        let response = app.post(
            "/v1/clients",
            Some(&app.admin_token()),
            &json!({
                "first_name": "J".repeat(51),
                "ssn": "12345678",
                "sex": 7,
                "dob": days_ahead(3),
                "race_ethnicity": ["white"],
                "race_none": 99,
                "eye_colour": "brown",
            }),
        );
        assert_problem(&response, 422, "validation.failed");
        assert_eq!(
            error_fields(&response),
            pairs(&[
                ("first_name", "too_long"),
                ("ssn", "invalid"),
                ("sex", "invalid"),
                ("dob", "date.in_future"),
                ("race_none", "invalid"),
                ("eye_colour", "unknown_field"),
            ]),
            "{}",
            response.describe()
        );
    }
);
