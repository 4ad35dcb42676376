//! `/v1/clients/{client_id}/enrollments`: create, list, read, merge-patch and delete
//! enrollments; every enrollment rule the contract names, at its boundary dates; who sees and
//! writes what.

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};
use uuid::Uuid;

/// An organization with one emergency shelter operating since 2020-01-01.
fn setup(app: &TestApp) -> Shelter {
    shelter(app, "Harbor Light")
}

/// The client's enrollment ids as `token` lists them (one page, up to 200).
fn stays(app: &TestApp, token: &str, client_id: &str, query: &str) -> Vec<String> {
    let path = format!("{}?limit=200{query}", enrollments_path(client_id));
    ids_in(&app.get(&path, Some(token)))
}

/// POSTs, as an admin, `client` as the head of a new household of `program` entering on
/// `entry`; the response is the test's to check.
fn post_head(app: &TestApp, client: &str, program: &str, entry: &str) -> Response {
    post_enrollment(
        app,
        &app.admin_token(),
        client,
        &enrollment_body(program, entry, 1),
    )
}

/// PATCHes the enrollment (a body the API answered) as an admin.
fn patch_enrollment(app: &TestApp, enrollment: &Value, body: Value) -> Response {
    let client = enrollment["client_id"].as_str().expect("a client_id");
    let path = enrollment_path(client, &id_of(enrollment));
    app.patch(&path, Some(&app.admin_token()), &body)
}

both_backends!(
    fn create_answers_the_stored_enrollment(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let grant = create_grant(app, &setup.program, "2024-01-01", None);
        let case_manager = create_user(app, &setup.organization);
        let client = create_client(app, "Jordan");
        let response = post_enrollment(
            app,
            &token,
            &client,
            &json!({
                "program_id": setup.program,
                "entry_date": "2024-03-01",
                "relationship_to_hoh": 1,
                "grant_id": grant,
                "case_manager_id": case_manager,
                "enrollment_coc": "CA-500",
                "disabling_condition": 0,
                "prior_living_situation": 116,
                "length_of_stay": 4,
            }),
        );
        let id = assert_created(&response, &enrollments_path(&client));
        let body = &response.body;
        assert_eq!(body["client_id"], client.as_str());
        assert_eq!(body["program_id"], setup.program.as_str());
        assert!(
            body["household_id"]
                .as_str()
                .is_some_and(|household| Uuid::parse_str(household).is_ok()),
            "a new household: {}",
            response.describe()
        );
        assert_eq!(body["relationship_to_hoh"], 1);
        assert_eq!(body["entry_date"], "2024-03-01");
        assert_eq!(body["status"], "active");
        assert_eq!(body["exit"], Value::Null);
        assert_eq!(body["grant_id"], grant.as_str());
        assert_eq!(body["case_manager_id"], case_manager.as_str());
        assert_eq!(body["enrollment_coc"], "CA-500");
        assert_eq!(body["disabling_condition"], 0);
        assert_eq!(body["prior_living_situation"], 116);
        assert_eq!(body["length_of_stay"], 4);
        assert_eq!(body["move_in_date"], Value::Null);
        assert_eq!(body["version"], 1);
        assert_eq!(body["created_by"], "test-admin");
        assert_eq!(body["updated_by"], "test-admin");

        assert_stored(
            app,
            &token,
            &enrollment_path(&client, &id),
            "\"1-incomplete\"",
            body,
        );

        assert_lists_only(app, &token, &enrollments_path(&client), body);

        // The enrollment is found only under its own client.
        let other = create_client(app, "Morgan");
        assert_not_found(&app.get(&enrollment_path(&other, &id), Some(&token)));
    }

    fn a_new_household_starts_with_its_head(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        for relationship in [2, 3, 4, 5, 99] {
            let response = post_enrollment(
                app,
                &token,
                &client,
                &enrollment_body(&setup.program, "2024-03-01", relationship),
            );
            assert_rule(&response, "household.head_required");
        }
        assert_eq!(stays(app, &token, &client, ""), Vec::<String>::new());
    }

    fn members_join_the_household(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let parent = create_client(app, "Jordan");
        let child = create_client(app, "Riley");
        let partner = create_client(app, "Morgan");
        let head = enroll_head(app, &parent, &setup.program, "2024-03-01");
        let household = household_of(&head);

        let response = post_enrollment(
            app,
            &token,
            &child,
            &member_body(&setup.program, household, "2024-03-01", 2),
        );
        response.assert_status(201);
        assert_eq!(response.body["household_id"], household);
        assert_eq!(response.body["relationship_to_hoh"], 2);

        let later = enroll_member(app, &partner, &setup.program, household, "2024-04-01", 3);
        assert_eq!(later["household_id"], household);

        // Without household_id a client starts a household of their own.
        let alone = create_client(app, "Sam");
        let own = enroll_head(app, &alone, &setup.program, "2024-03-01");
        assert_ne!(own["household_id"], head["household_id"]);
    }

    fn unknown_client_is_not_found(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let body = enrollment_body(&setup.program, "2024-03-01", 1);
        let nobody = Uuid::now_v7().to_string();
        assert_not_found(&post_enrollment(app, &token, &nobody, &body));
        assert_not_found(&app.get(&enrollments_path(&nobody), Some(&token)));

        let deleted = create_client(app, "Jordan");
        app.delete(&format!("/v1/clients/{deleted}"), Some(&token))
            .assert_status(204);
        assert_not_found(&post_enrollment(app, &token, &deleted, &body));

        // A body invalid on its own is answered before anything is looked up.
        let future = merged(body, json!({"entry_date": days_ahead(2)}));
        let response = post_enrollment(app, &token, &nobody, &future);
        assert_invalid(&response, "entry_date", "date.in_future");
    }

    fn unknown_references_are_invalid(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let nothing = Uuid::now_v7().to_string();
        let base = enrollment_body(&setup.program, "2024-03-01", 1);
        for (field, body) in [
            (
                "program_id",
                merged(base.clone(), json!({"program_id": nothing})),
            ),
            (
                "grant_id",
                merged(base.clone(), json!({"grant_id": nothing})),
            ),
            (
                "case_manager_id",
                merged(base.clone(), json!({"case_manager_id": nothing})),
            ),
            (
                "household_id",
                member_body(&setup.program, &nothing, "2024-03-01", 2),
            ),
        ] {
            let response = post_enrollment(app, &token, &client, &body);
            assert_invalid(&response, field, "reference.not_found");
        }
        assert_eq!(stays(app, &token, &client, ""), Vec::<String>::new());
    }

    fn body_problems_are_listed_together(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let response = post_enrollment(
            app,
            &token,
            &client,
            &json!({
                "entry_date": days_ahead(2),
                "relationship_to_hoh": 6,
                "enrollment_coc": "ca-500",
                "disabling_condition": 2,
                "prior_living_situation": 1,
                "length_of_stay": 1,
                "bed_number": 12,
            }),
        );
        assert_problem(&response, 422, "validation.failed");
        assert_eq!(
            error_fields(&response),
            pairs(&[
                ("program_id", "required"),
                ("entry_date", "date.in_future"),
                ("relationship_to_hoh", "invalid"),
                ("enrollment_coc", "invalid"),
                ("disabling_condition", "invalid"),
                ("prior_living_situation", "invalid"),
                ("length_of_stay", "invalid"),
                ("bed_number", "unknown_field"),
            ]),
            "{}",
            response.describe()
        );

        let base = enrollment_body(&setup.program, "2024-03-01", 1);
        for coc in ["XX500", "XX-5000", "X1-500", "xx-500", ""] {
            let body = merged(base.clone(), json!({"enrollment_coc": coc}));
            let response = post_enrollment(app, &token, &client, &body);
            assert_invalid(&response, "enrollment_coc", "invalid");
        }
        for (field, value) in [
            ("entry_date", json!("2024-02-30")),
            ("entry_date", json!("2024-3-1")),
            ("program_id", json!("not-a-uuid")),
            ("relationship_to_hoh", json!("1")),
        ] {
            let body = merged(base.clone(), json!({ field: value }));
            let response = post_enrollment(app, &token, &client, &body);
            assert_invalid(&response, field, "invalid");
        }

        // A move-in date before the entry date in the same body.
        let body = merged(base.clone(), json!({"move_in_date": "2024-02-29"}));
        let response = post_enrollment(app, &token, &client, &body);
        assert_invalid(&response, "move_in_date", "enrollment.move_in_invalid");
        let body = merged(base.clone(), json!({"move_in_date": days_ahead(2)}));
        let response = post_enrollment(app, &token, &client, &body);
        assert_invalid(&response, "move_in_date", "date.in_future");

        assert_eq!(stays(app, &token, &client, ""), Vec::<String>::new());

        // Today is not in the future.
        let today = today().to_string();
        let response = post_head(app, &client, &setup.program, &today);
        response.assert_status(201);
    }

    fn entry_within_operating_dates(app: &TestApp) {
        let dates =
            json!({"operating_start_date": "2024-01-10", "operating_end_date": "2024-06-30"});
        let program = shelter_with(app, "Harbor Light", dates).program;
        for (entry, allowed) in [
            ("2024-01-09", false),
            ("2024-01-10", true),
            ("2024-06-30", true),
            ("2024-07-01", false),
        ] {
            let client = create_client(app, "Jordan");
            let response = post_head(app, &client, &program, entry);
            if allowed {
                response.assert_status(201);
            } else {
                assert_rule(&response, "program.not_operating");
                assert_eq!(response.body["errors"][0]["field"], "entry_date");
            }
        }
    }

    fn grant_belongs_to_the_program(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let other_program = create_program(app, &setup.organization, json!({"name": "Other"}));
        let other_grant = create_grant(app, &other_program, "2020-01-01", None);
        let client = create_client(app, "Jordan");
        let body = merged(
            enrollment_body(&setup.program, "2024-03-01", 1),
            json!({"grant_id": other_grant}),
        );
        let response = post_enrollment(app, &token, &client, &body);
        assert_rule(&response, "grant.program_mismatch");
        assert_eq!(response.body["errors"][0]["field"], "grant_id");
    }

    fn grant_dates_cover_the_entry(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let grant = create_grant(app, &setup.program, "2024-02-01", Some("2024-03-31"));
        for (entry, allowed) in [
            ("2024-01-31", false),
            ("2024-02-01", true),
            ("2024-03-31", true),
            ("2024-04-01", false),
        ] {
            let client = create_client(app, "Jordan");
            let body = merged(
                enrollment_body(&setup.program, entry, 1),
                json!({"grant_id": grant}),
            );
            let response = post_enrollment(app, &token, &client, &body);
            if allowed {
                response.assert_status(201);
                assert_eq!(response.body["grant_id"], grant.as_str());
            } else {
                assert_rule(&response, "grant.not_active");
            }
        }
        let open = create_grant(app, &setup.program, "2024-02-01", None);
        let client = create_client(app, "Jordan");
        let body = merged(
            enrollment_body(&setup.program, "2025-09-01", 1),
            json!({"grant_id": open}),
        );
        post_enrollment(app, &token, &client, &body).assert_status(201);
    }

    fn open_enrollments_overlap(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let other_program = create_program(app, &setup.organization, json!({"name": "Other"}));
        let client = create_client(app, "Jordan");
        let first = enroll_head(app, &client, &setup.program, "2024-03-01");

        for entry in ["2024-03-01", "2024-05-01", "2024-01-01"] {
            let response = post_head(app, &client, &setup.program, entry);
            assert_rule(&response, "enrollment.overlap");
            assert_eq!(response.body["errors"][0]["field"], "entry_date");
        }
        // Another program, or another client, is no overlap.
        enroll_head(app, &client, &other_program, "2024-05-01");
        let someone = create_client(app, "Morgan");
        enroll_head(app, &someone, &setup.program, "2024-05-01");

        // A deleted enrollment frees its period.
        app.delete(&enrollment_path(&client, &id_of(&first)), Some(&token))
            .assert_status(204);
        let response = post_head(app, &client, &setup.program, "2024-05-01");
        response.assert_status(201);
    }

    fn periods_are_half_open(app: &TestApp) {
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let first = enroll_head(app, &client, &setup.program, "2024-03-01");
        exit_in_database(app, &id_of(&first), "2024-04-01");

        // Entering the day before the earlier exit overlaps; so does an open stay that
        // starts before it.
        for entry in ["2024-03-31", "2024-03-01", "2024-02-01"] {
            let response = post_head(app, &client, &setup.program, entry);
            assert_rule(&response, "enrollment.overlap");
        }
        // A new entry on the day of the earlier exit is fine.
        let response = post_head(app, &client, &setup.program, "2024-04-01");
        response.assert_status(201);
    }

    fn entry_not_before_birth(app: &TestApp) {
        let setup = setup(app);
        let client = id_of(&create_client_with(
            app,
            json!({"first_name": "Riley", "dob": "2024-03-15", "dob_data_quality": 1}),
        ));
        let response = post_head(app, &client, &setup.program, "2024-03-14");
        assert_rule(&response, "enrollment.before_birth");
        let response = post_head(app, &client, &setup.program, "2024-03-15");
        response.assert_status(201);

        // Without a date of birth there is nothing to check.
        let unknown_age = id_of(&create_client_with(app, json!({"first_name": "Sam"})));
        let response = post_head(app, &unknown_age, &setup.program, "2020-01-01");
        response.assert_status(201);
    }

    fn capacity_counts_active_enrollments(app: &TestApp) {
        let token = app.admin_token();
        let program = shelter_with(app, "Harbor Light", json!({"capacity": 1})).program;
        let first = create_client(app, "Jordan");
        let second = create_client(app, "Morgan");
        let third = create_client(app, "Riley");
        let body = enrollment_body(&program, "2024-03-01", 1);

        let first_enrollment = enroll_head(app, &first, &program, "2024-03-01");
        let response = post_enrollment(app, &token, &second, &body);
        assert_rule(&response, "program.at_capacity");

        // A deleted enrollment frees its place.
        app.delete(
            &enrollment_path(&first, &id_of(&first_enrollment)),
            Some(&token),
        )
        .assert_status(204);
        let second_enrollment = post_enrollment(app, &token, &second, &body);
        second_enrollment.assert_status(201);
        let response = post_enrollment(app, &token, &third, &body);
        assert_rule(&response, "program.at_capacity");

        // So does an exited one.
        exit_in_database(app, &id_of(&second_enrollment.body), "2024-04-01");
        post_enrollment(app, &token, &third, &body).assert_status(201);
    }

    fn move_in_only_for_the_head_in_permanent_housing(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let housing = create_program(
            app,
            &setup.organization,
            json!({"name": "Harbor Homes", "project_type": 3}),
        );

        let client = create_client(app, "Jordan");
        let body = merged(
            enrollment_body(&setup.program, "2024-03-01", 1),
            json!({"move_in_date": "2024-03-05"}),
        );
        let response = post_enrollment(app, &token, &client, &body);
        assert_rule(&response, "enrollment.move_in_invalid");
        assert_eq!(response.body["errors"][0]["field"], "move_in_date");

        let body = merged(
            enrollment_body(&housing, "2024-03-01", 1),
            json!({"move_in_date": "2024-03-01"}),
        );
        let head = post_enrollment(app, &token, &client, &body);
        head.assert_status(201);
        assert_eq!(head.body["move_in_date"], "2024-03-01");
        let household = household_of(&head.body);

        let child = create_client(app, "Riley");
        let body = merged(
            member_body(&housing, household, "2024-03-01", 2),
            json!({"move_in_date": "2024-03-05"}),
        );
        let response = post_enrollment(app, &token, &child, &body);
        assert_rule(&response, "enrollment.move_in_invalid");
        // The same member without a move-in date joins.
        let body = member_body(&housing, household, "2024-03-01", 2);
        post_enrollment(app, &token, &child, &body).assert_status(201);

        for project_type in [9, 10, 13] {
            let program = create_program(
                app,
                &setup.organization,
                json!({"name": "Housing", "project_type": project_type}),
            );
            let body = merged(
                enrollment_body(&program, "2024-03-01", 1),
                json!({"move_in_date": "2024-03-02"}),
            );
            let response = post_enrollment(app, &token, &client, &body);
            response.assert_status(201);
        }
    }

    fn a_household_has_one_head(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let jordan = create_client(app, "Jordan");
        let head = enroll_head(app, &jordan, &setup.program, "2024-03-01");
        let household = household_of(&head);
        let second = create_client(app, "Morgan");
        let body = member_body(&setup.program, household, "2024-03-01", 1);
        let response = post_enrollment(app, &token, &second, &body);
        assert_rule(&response, "household.head_exists");
        assert_eq!(response.body["errors"][0]["field"], "relationship_to_hoh");

        // Once the head is deleted, the household may take a new one.
        app.delete(
            &enrollment_path(head["client_id"].as_str().unwrap(), &id_of(&head)),
            Some(&token),
        )
        .assert_status(204);
        post_enrollment(app, &token, &second, &body).assert_status(201);
    }

    fn a_household_is_in_one_program(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let other_program = create_program(app, &setup.organization, json!({"name": "Other"}));
        let jordan = create_client(app, "Jordan");
        let head = enroll_head(app, &jordan, &setup.program, "2024-03-01");
        let child = create_client(app, "Riley");
        let body = member_body(&other_program, household_of(&head), "2024-03-01", 2);
        let response = post_enrollment(app, &token, &child, &body);
        assert_rule(&response, "household.program_mismatch");
    }

    fn members_enter_with_or_after_the_head(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let jordan = create_client(app, "Jordan");
        let head = enroll_head(app, &jordan, &setup.program, "2024-03-10");
        let child = create_client(app, "Riley");
        let body = |entry: &str| member_body(&setup.program, household_of(&head), entry, 2);
        let response = post_enrollment(app, &token, &child, &body("2024-03-09"));
        assert_rule(&response, "household.member_before_head");
        post_enrollment(app, &token, &child, &body("2024-03-10")).assert_status(201);
    }

    fn a_client_is_once_among_active_members(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let head = enroll_head(app, &client, &setup.program, "2024-03-01");
        // The same client again in the same household: in one program, so it overlaps too.
        let body = member_body(&setup.program, household_of(&head), "2024-04-01", 2);
        let response = post_enrollment(app, &token, &client, &body);
        assert_problem(&response, 409, "enrollment.overlap");
        assert_eq!(
            error_codes(&response),
            ["enrollment.overlap", "household.client_duplicate"],
            "{}",
            response.describe()
        );
    }

    fn several_broken_rules_are_all_listed(app: &TestApp) {
        let token = app.admin_token();
        let small = json!({"operating_start_date": "2024-01-10", "capacity": 1});
        let Shelter {
            organization,
            program,
        } = shelter_with(app, "Harbor Light", small);
        let other_program = create_program(app, &organization, json!({"name": "Other"}));
        let other_grant = create_grant(app, &other_program, "2020-01-01", None);
        let client = id_of(&create_client_with(
            app,
            json!({"first_name": "Riley", "dob": "2024-02-01"}),
        ));
        let body = merged(
            enrollment_body(&program, "2024-01-05", 2),
            json!({"grant_id": other_grant}),
        );
        let response = post_enrollment(app, &token, &client, &body);
        assert_rules(
            &response,
            "program.not_operating",
            &[
                "enrollment.before_birth",
                "grant.program_mismatch",
                "household.head_required",
                "program.not_operating",
            ],
        );

        // Fill the program; then a head joining a household that has one, in the wrong
        // program, overlapping, at capacity: led by the overlap, the earliest in the table.
        let head = enroll_head(app, &client, &program, "2024-03-01");
        let sam = create_client(app, "Sam");
        let other_head = enroll_head(app, &sam, &other_program, "2024-03-01");
        let body = member_body(&program, household_of(&other_head), "2024-03-05", 1);
        let response = post_enrollment(app, &token, &client, &body);
        assert_rules(
            &response,
            "enrollment.overlap",
            &[
                "enrollment.overlap",
                "household.head_exists",
                "household.program_mismatch",
                "program.at_capacity",
            ],
        );
        assert_eq!(stays(app, &token, &client, ""), [id_of(&head)]);
    }

    fn list_is_newest_entry_first_with_filters(app: &TestApp) {
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let programs: Vec<String> = (0..4)
            .map(|index| create_program(app, &organization, json!({"name": format!("P{index}")})))
            .collect();
        let client = create_client(app, "Jordan");
        let entries = ["2024-02-01", "2024-05-01", "2023-11-01", "2024-05-01"];
        let created: Vec<Value> = programs
            .iter()
            .zip(entries)
            .map(|(program, entry)| enroll_head(app, &client, program, entry))
            .collect();

        let all = app.get(&enrollments_path(&client), Some(&token));
        all.assert_status(200);
        let data = all.body["data"].as_array().unwrap();
        let dates: Vec<&str> = data
            .iter()
            .map(|item| item["entry_date"].as_str().unwrap())
            .collect();
        assert_eq!(
            dates,
            ["2024-05-01", "2024-05-01", "2024-02-01", "2023-11-01"],
            "{}",
            all.describe()
        );
        let all_ids = ids_in(&all);
        assert_eq!(all_ids[2], id_of(&created[0]));
        assert_eq!(all_ids[3], id_of(&created[2]));

        // Pages of one by next_cursor, and pages of three by Link, give the same order.
        let path = enrollments_path(&client);
        assert_eq!(ids_one_per_page(app, &token, &path), all_ids);
        let pages = pages_by_link(app, &token, &format!("{path}?limit=3"));
        assert_eq!(ids_of_pages(&pages), all_ids);
        assert_eq!(pages.len(), 2);

        // Filters.
        assert_eq!(stays(app, &token, &client, "&status=active"), all_ids);
        assert_eq!(
            stays(app, &token, &client, "&status=exited"),
            Vec::<String>::new()
        );
        let exited = id_of(&created[0]);
        exit_in_database(app, &exited, "2024-03-01");
        assert_eq!(
            stays(app, &token, &client, "&status=exited"),
            [exited.as_str()]
        );
        let active: Vec<String> = all_ids
            .iter()
            .filter(|id| **id != exited)
            .cloned()
            .collect();
        assert_eq!(stays(app, &token, &client, "&status=active"), active);
        let fetched = app.get(&enrollment_path(&client, &exited), Some(&token));
        assert_eq!(fetched.body["status"], "exited");
        assert_eq!(fetched.body["exit"]["exit_date"], "2024-03-01");

        for (index, enrollment) in created.iter().enumerate() {
            let query = format!("&program_id={}", programs[index]);
            assert_eq!(stays(app, &token, &client, &query), [id_of(enrollment)]);
        }
        let query = format!("&program_id={}&status=active", programs[0]);
        assert_eq!(stays(app, &token, &client, &query), Vec::<String>::new());
        let query = format!("&program_id={}&status=exited", programs[0]);
        assert_eq!(stays(app, &token, &client, &query), [exited.as_str()]);
        let query = format!("&program_id={}", Uuid::now_v7());
        assert_eq!(stays(app, &token, &client, &query), Vec::<String>::new());

        // Another client's list is their own.
        let other = create_client(app, "Morgan");
        assert_eq!(stays(app, &token, &other, ""), Vec::<String>::new());

        let queries = [
            "status=closed",
            "status=",
            "program_id=not-a-uuid",
            "limit=0",
            "limit=201",
            "cursor=not-a-cursor",
            "sort=entry_date",
        ];
        assert_malformed_queries(app, &token, &enrollments_path(&client), &queries);
    }

    fn organizations_see_only_their_enrollments(app: &TestApp) {
        let admin = app.admin_token();
        let a = setup(app);
        let b = setup(app);
        let client = create_client(app, "Jordan");
        let in_a = enroll_head(app, &client, &a.program, "2024-03-01");
        let in_b = enroll_head(app, &client, &b.program, "2024-04-01");
        let path_a = enrollment_path(&client, &id_of(&in_a));

        let manager_a = token_for(app, "alex", Role::CaseManager, &a.organization);
        let manager_b = token_for(app, "blair", Role::CaseManager, &b.organization);

        // Admins see every organization's enrollments.
        assert_eq!(
            stays(app, &admin, &client, ""),
            [id_of(&in_b), id_of(&in_a)]
        );
        assert_eq!(stays(app, &manager_a, &client, ""), [id_of(&in_a)]);
        assert_eq!(stays(app, &manager_b, &client, ""), [id_of(&in_b)]);
        app.get(&path_a, Some(&manager_a)).assert_status(200);

        // Another organization's enrollment does not exist for the caller.
        assert_not_found(&app.get(&path_a, Some(&manager_b)));
        assert_not_found(&app.patch(
            &path_a,
            Some(&manager_b),
            &json!({"prior_living_situation": 116}),
        ));
        assert_not_found(&app.delete(&path_a, Some(&manager_b)));
        let query = format!("&program_id={}", a.program);
        assert_eq!(
            stays(app, &manager_b, &client, &query),
            Vec::<String>::new()
        );

        // Enrolling into another organization's program is forbidden.
        let someone = create_client_as(app, &manager_b, "Morgan");
        let response = post_enrollment(
            app,
            &manager_b,
            &someone,
            &enrollment_body(&a.program, "2024-03-01", 1),
        );
        assert_forbidden(&response);
        // Joining another organization's household names nothing the caller can see.
        let body = member_body(&b.program, household_of(&in_a), "2024-03-01", 2);
        let response = post_enrollment(app, &manager_b, &someone, &body);
        assert_invalid(&response, "household_id", "reference.not_found");
        assert_eq!(stays(app, &admin, &someone, ""), Vec::<String>::new());

        let fetched = app.get(&path_a, Some(&admin));
        assert_eq!(
            fetched.etag(),
            "\"1-incomplete\"",
            "another organization changed it"
        );

        // The own organization's case manager writes (for a client it created).
        let mine = create_client_as(app, &manager_a, "Quinn");
        let response = post_enrollment(
            app,
            &manager_a,
            &mine,
            &enrollment_body(&a.program, "2024-03-01", 1),
        );
        response.assert_status(201);
        assert_eq!(response.body["created_by"], "alex");
        let response = app.patch(&path_a, Some(&manager_a), &json!({"length_of_stay": 2}));
        response.assert_status(200);
        assert_eq!(response.body["updated_by"], "alex");
    }

    fn readers_read_but_do_not_write(app: &TestApp) {
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let enrollment = enroll_head(app, &client, &setup.program, "2024-03-01");
        let path = enrollment_path(&client, &id_of(&enrollment));
        let other = create_organization(app, "Other Agency");
        for role in [Role::Viewer, Role::Integration] {
            let token = token_for(app, "reader", role, &setup.organization);
            app.get(&path, Some(&token)).assert_status(200);
            assert_eq!(stays(app, &token, &client, ""), [id_of(&enrollment)]);

            let someone = create_client(app, "Morgan");
            let response = post_enrollment(
                app,
                &token,
                &someone,
                &enrollment_body(&setup.program, "2024-03-01", 1),
            );
            assert_forbidden(&response);
            let response = app.patch(&path, Some(&token), &json!({"length_of_stay": 2}));
            assert_forbidden(&response);
            assert_forbidden(&app.delete(&path, Some(&token)));

            let outsider = token_for(app, "outsider", role, &other);
            assert_not_found(&app.get(&path, Some(&outsider)));
            // The client is not the outsider's to see at all (client privacy).
            assert_not_found(&app.get(&enrollments_path(&client), Some(&outsider)));
        }
        let fetched = app.get(&path, Some(&app.admin_token()));
        assert_eq!(fetched.etag(), "\"1-incomplete\"");
        assert_unauthenticated(&app.get(&path, None));
        assert_unauthenticated(&app.post(
            &enrollments_path(&client),
            None,
            &enrollment_body(&setup.program, "2024-03-01", 1),
        ));
    }

    fn patch_edits_and_checks_if_match(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let case_manager = create_user(app, &setup.organization);
        let client = create_client(app, "Jordan");
        let created = post_enrollment(
            app,
            &token,
            &client,
            &merged(
                enrollment_body(&setup.program, "2024-03-01", 1),
                json!({"enrollment_coc": "CA-500", "disabling_condition": 1}),
            ),
        );
        created.assert_status(201);
        let path = enrollment_path(&client, &id_of(&created.body));

        assert_stale_patch(
            app,
            &path,
            &token,
            "\"2\"",
            &json!({"prior_living_situation": 116}),
        );

        let response = patch_if(
            app,
            &path,
            &token,
            "\"1\"",
            &json!({
                "prior_living_situation": 116,
                "length_of_stay": 10,
                "case_manager_id": case_manager,
                "enrollment_coc": null,
                "entry_date": "2024-03-02",
            }),
        );
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2-incomplete\"");
        let body = &response.body;
        assert_eq!(body["version"], 2);
        assert_eq!(body["prior_living_situation"], 116);
        assert_eq!(body["length_of_stay"], 10);
        assert_eq!(body["case_manager_id"], case_manager.as_str());
        assert_eq!(body["enrollment_coc"], Value::Null);
        assert_eq!(body["entry_date"], "2024-03-02");
        // Absent fields are unchanged.
        assert_eq!(body["disabling_condition"], 1);
        assert_eq!(body["relationship_to_hoh"], 1);
        assert_eq!(body["household_id"], created.body["household_id"]);

        assert_stored(app, &token, &path, "\"2-incomplete\"", body);

        assert_stale_patch(app, &path, &token, "\"1\"", &json!({"length_of_stay": 2}));
        assert_eq!(app.get(&path, Some(&token)).body["length_of_stay"], 10);
    }

    fn patch_checks_the_body(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let enrollment = enroll_head(app, &client, &setup.program, "2024-03-01");
        let path = enrollment_path(&client, &id_of(&enrollment));
        for (body, field, code) in [
            (json!({"entry_date": null}), "entry_date", "required"),
            (
                json!({"relationship_to_hoh": null}),
                "relationship_to_hoh",
                "required",
            ),
            (
                json!({"entry_date": days_ahead(2)}),
                "entry_date",
                "date.in_future",
            ),
            (
                json!({"relationship_to_hoh": 7}),
                "relationship_to_hoh",
                "invalid",
            ),
            (
                json!({"enrollment_coc": "CA500"}),
                "enrollment_coc",
                "invalid",
            ),
            (
                json!({"program_id": setup.program}),
                "program_id",
                "unknown_field",
            ),
            (
                json!({"entry_date": "2024-03-10", "move_in_date": "2024-03-09"}),
                "move_in_date",
                "enrollment.move_in_invalid",
            ),
            (
                json!({"grant_id": Uuid::now_v7()}),
                "grant_id",
                "reference.not_found",
            ),
            (
                json!({"case_manager_id": Uuid::now_v7()}),
                "case_manager_id",
                "reference.not_found",
            ),
        ] {
            let response = app.patch(&path, Some(&token), &body);
            assert_invalid(&response, field, code);
        }
        assert_eq!(app.get(&path, Some(&token)).etag(), "\"1-incomplete\"");
        let missing = enrollment_path(&client, &Uuid::now_v7().to_string());
        assert_not_found(&app.patch(&missing, Some(&token), &json!({"length_of_stay": 2})));
    }

    fn moving_the_entry_rechecks_program_birth_and_grant(app: &TestApp) {
        let setup = setup(app);
        let grant = create_grant(app, &setup.program, "2024-01-01", Some("2024-12-31"));
        let client = id_of(&create_client_with(
            app,
            json!({"first_name": "Riley", "dob": "2022-01-01"}),
        ));
        let body = merged(
            enrollment_body(&setup.program, "2024-03-01", 1),
            json!({"grant_id": grant}),
        );
        let response = post_enrollment(app, &app.admin_token(), &client, &body);
        response.assert_status(201);
        let enrollment = response.body;

        let response = patch_enrollment(app, &enrollment, json!({"entry_date": "2019-12-31"}));
        assert_rules(
            &response,
            "program.not_operating",
            &[
                "enrollment.before_birth",
                "grant.not_active",
                "program.not_operating",
            ],
        );
        let response = patch_enrollment(app, &enrollment, json!({"entry_date": "2021-12-31"}));
        assert_rules(
            &response,
            "grant.not_active",
            &["enrollment.before_birth", "grant.not_active"],
        );
        let response = patch_enrollment(app, &enrollment, json!({"entry_date": "2023-12-31"}));
        assert_rule(&response, "grant.not_active");
        let response = patch_enrollment(app, &enrollment, json!({"entry_date": "2025-01-01"}));
        assert_rule(&response, "grant.not_active");

        // Dropping the grant lets the entry move out of its dates.
        let response = patch_enrollment(
            app,
            &enrollment,
            json!({"entry_date": "2022-01-01", "grant_id": null}),
        );
        response.assert_status(200);
        assert_eq!(response.body["grant_id"], Value::Null);

        // A grant of another program, or one whose dates miss the entry, is refused.
        let other_program = create_program(app, &setup.organization, json!({"name": "Other"}));
        let other_grant = create_grant(app, &other_program, "2020-01-01", None);
        let response = patch_enrollment(app, &enrollment, json!({"grant_id": other_grant}));
        assert_rule(&response, "grant.program_mismatch");
        let response = patch_enrollment(app, &enrollment, json!({"grant_id": grant}));
        assert_rule(&response, "grant.not_active");

        let response = patch_enrollment(app, &enrollment, json!({"move_in_date": "2024-03-01"}));
        assert_rule(&response, "enrollment.move_in_invalid");
    }

    fn moving_the_entry_rechecks_overlap(app: &TestApp) {
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let earlier = enroll_head(app, &client, &setup.program, "2024-01-01");
        exit_in_database(app, &id_of(&earlier), "2024-03-01");
        let later = enroll_head(app, &client, &setup.program, "2024-03-01");

        let response = patch_enrollment(app, &later, json!({"entry_date": "2024-02-29"}));
        assert_rule(&response, "enrollment.overlap");
        let response = patch_enrollment(app, &later, json!({"entry_date": "2024-03-02"}));
        response.assert_status(200);
        let response = patch_enrollment(app, &later, json!({"entry_date": "2024-03-01"}));
        response.assert_status(200);
    }

    fn moving_the_entry_rechecks_the_household_order(app: &TestApp) {
        let setup = setup(app);
        let parent = create_client(app, "Jordan");
        let child = create_client(app, "Riley");
        let head = enroll_head(app, &parent, &setup.program, "2024-03-10");
        let household = household_of(&head);
        let member = enroll_member(app, &child, &setup.program, household, "2024-03-15", 2);

        let response = patch_enrollment(app, &member, json!({"entry_date": "2024-03-09"}));
        assert_rule(&response, "household.member_before_head");
        let response = patch_enrollment(app, &head, json!({"entry_date": "2024-03-16"}));
        assert_rule(&response, "household.member_before_head");

        patch_enrollment(app, &head, json!({"entry_date": "2024-03-15"})).assert_status(200);
        patch_enrollment(app, &member, json!({"entry_date": "2024-03-20"})).assert_status(200);
    }

    fn the_head_stays_head_while_members_are_active(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let parent = create_client(app, "Jordan");
        let child = create_client(app, "Riley");
        let head = enroll_head(app, &parent, &setup.program, "2024-03-01");
        let household = household_of(&head);
        let member = enroll_member(app, &child, &setup.program, household, "2024-03-01", 2);

        let response = patch_enrollment(app, &head, json!({"relationship_to_hoh": 2}));
        assert_rule(&response, "household.members_active");
        assert_eq!(response.body["errors"][0]["field"], "relationship_to_hoh");
        let response = patch_enrollment(app, &member, json!({"relationship_to_hoh": 1}));
        assert_rule(&response, "household.head_exists");
        // A member may change how they relate to the head.
        let response = patch_enrollment(app, &member, json!({"relationship_to_hoh": 3}));
        response.assert_status(200);
        assert_eq!(response.body["relationship_to_hoh"], 3);

        let fetched = app.get(&enrollment_path(&parent, &id_of(&head)), Some(&token));
        assert_eq!(fetched.body["relationship_to_hoh"], 1);
        assert_eq!(fetched.etag(), "\"1-incomplete\"");
    }

    fn dry_runs_store_nothing(app: &TestApp) {
        let token = app.admin_token();
        let program = shelter_with(app, "Harbor Light", json!({"capacity": 1})).program;
        let client = create_client(app, "Jordan");
        let body = enrollment_body(&program, "2024-03-01", 1);

        let response = app.post(
            &format!("{}?dry_run=true", enrollments_path(&client)),
            Some(&token),
            &body,
        );
        response.assert_status(200);
        assert_eq!(response.header("location"), None);
        assert_eq!(response.body["entry_date"], "2024-03-01");
        assert_eq!(response.body["status"], "active");
        assert_eq!(stays(app, &token, &client, ""), Vec::<String>::new());

        // Nothing was counted against the capacity of one either.
        let created = post_enrollment(app, &token, &client, &body);
        created.assert_status(201);
        let enrollment = created.body;

        // A dry run answers the problem a real request would.
        let someone = create_client(app, "Morgan");
        let response = app.post(
            &format!("{}?dry_run=true", enrollments_path(&someone)),
            Some(&token),
            &body,
        );
        assert_rule(&response, "program.at_capacity");

        let path = enrollment_path(&client, &id_of(&enrollment));
        let response = app.patch(
            &format!("{path}?dry_run=true"),
            Some(&token),
            &json!({"entry_date": "2024-03-05", "prior_living_situation": 101}),
        );
        response.assert_status(200);
        assert_eq!(response.body["entry_date"], "2024-03-05");
        assert_eq!(response.body["prior_living_situation"], 101);
        assert_stored(app, &token, &path, "\"1-incomplete\"", &enrollment);

        let response = app.patch(
            &format!("{path}?dry_run=true"),
            Some(&token),
            &json!({"entry_date": "2019-01-01"}),
        );
        assert_rule(&response, "program.not_operating");
    }

    fn delete_hides_the_enrollment(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let client = create_client(app, "Jordan");
        let other_program = create_program(app, &setup.organization, json!({"name": "Other"}));
        let kept = enroll_head(app, &client, &other_program, "2024-02-01");
        let enrollment = enroll_head(app, &client, &setup.program, "2024-03-01");
        let path = enrollment_path(&client, &id_of(&enrollment));

        assert_stale_delete(app, &path, &token, "\"7\"");
        app.get(&path, Some(&token)).assert_status(200);

        let response = delete_if(app, &path, &token, "\"1\"");
        response.assert_status(204);
        assert_eq!(response.text, "");

        assert_not_found(&app.get(&path, Some(&token)));
        assert_not_found(&app.delete(&path, Some(&token)));
        assert_not_found(&app.patch(&path, Some(&token), &json!({"length_of_stay": 2})));
        assert_eq!(stays(app, &token, &client, ""), [id_of(&kept)]);
        let query = format!("&program_id={}", setup.program);
        assert_eq!(stays(app, &token, &client, &query), Vec::<String>::new());
    }

    fn a_head_with_active_members_is_not_deleted(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let parent = create_client(app, "Jordan");
        let child = create_client(app, "Riley");
        let partner = create_client(app, "Morgan");
        let head = enroll_head(app, &parent, &setup.program, "2024-03-01");
        let household = household_of(&head);
        let member = enroll_member(app, &child, &setup.program, household, "2024-03-01", 2);
        let exited = enroll_member(app, &partner, &setup.program, household, "2024-03-01", 3);
        exit_in_database(app, &id_of(&exited), "2024-04-01");
        let head_path = enrollment_path(&parent, &id_of(&head));

        let response = app.delete(&head_path, Some(&token));
        assert_rule(&response, "household.members_active");
        app.get(&head_path, Some(&token)).assert_status(200);

        // With only an exited member left, the head goes.
        app.delete(&enrollment_path(&child, &id_of(&member)), Some(&token))
            .assert_status(204);
        app.delete(&head_path, Some(&token)).assert_status(204);
        assert_not_found(&app.get(&head_path, Some(&token)));
    }
);
