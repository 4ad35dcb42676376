//! Reference data beyond organizations: programs, their grants, and users (staff). Admins
//! write it; every role reads programs and grants, and users only within its organization.

use crate::common::{
    assert_created, assert_forbidden, assert_lists_only, assert_not_found, assert_stale,
    assert_stored, create_organization, error_fields, id_of, ids_in, ids_of_pages, pages_by_link,
    timestamp,
};
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};
use uuid::Uuid;

fn program_body(organization_id: &str) -> Value {
    json!({
        "organization_id": organization_id,
        "name": "Harbor Emergency Shelter",
        "project_type": 0,
        "operating_start_date": "2020-01-01",
        "operating_end_date": "2025-12-31",
        "continuum_project": true,
        "capacity": 40
    })
}

fn create_program(app: &TestApp, body: &Value) -> Value {
    let response = app.post("/v1/programs", Some(&app.admin_token()), body);
    response.assert_status(201);
    response.body
}

fn grant_body() -> Value {
    json!({
        "funder": 2,
        "grant_identifier": "CA0001L9T001",
        "start_date": "2024-07-01",
        "end_date": "2025-06-30"
    })
}

fn create_grant(app: &TestApp, program_id: &str, body: &Value) -> Value {
    let response = app.post(
        &format!("/v1/programs/{program_id}/grants"),
        Some(&app.admin_token()),
        body,
    );
    response.assert_status(201);
    response.body
}

fn user_body(organization_id: &str, first_name: &str) -> Value {
    json!({
        "organization_id": organization_id,
        "first_name": first_name,
        "last_name": "Reyes",
        "email": format!("{}.reyes@example.org", first_name.to_lowercase())
    })
}

fn create_user(app: &TestApp, organization_id: &str, first_name: &str) -> Value {
    let response = app.post(
        "/v1/users",
        Some(&app.admin_token()),
        &user_body(organization_id, first_name),
    );
    response.assert_status(201);
    response.body
}

/// A JSON Merge Patch of `body` as `token`, with `If-Match: etag` when there is a tag.
fn merge_patch(
    app: &TestApp,
    path: &str,
    token: &str,
    etag: Option<&str>,
    body: &Value,
) -> Response {
    let mut request = app
        .request("PATCH", path)
        .token(Some(token))
        .header("Content-Type", "application/merge-patch+json")
        .body(serde_json::to_vec(body).expect("JSON"));
    if let Some(tag) = etag {
        request = request.header("If-Match", tag);
    }
    request.send()
}

/// A 422 `validation.failed` listing (at least) each of `expected` as a field problem.
fn assert_invalid(response: &Response, expected: &[(&str, &str)]) {
    assert_problem(response, 422, "validation.failed");
    let found = error_fields(response);
    for (field, code) in expected {
        assert!(
            found.contains(&((*field).to_owned(), (*code).to_owned())),
            "expected `{field}` with code `{code}` among the errors of {}",
            response.describe()
        );
    }
}

/// The ids of a list, following its `Link` header from `first` to the end.
fn walk_pages(app: &TestApp, token: &str, first: &str) -> Vec<String> {
    ids_of_pages(&pages_by_link(app, token, first))
}

/// Tokens of the three roles that may read but not write reference data.
fn non_admin_tokens(app: &TestApp, organization_id: &str) -> Vec<(&'static str, String)> {
    let org = Some(Uuid::parse_str(organization_id).expect("a UUID"));
    vec![
        (
            "case_manager",
            app.token("casey", &[Role::CaseManager], org),
        ),
        ("viewer", app.token("vera", &[Role::Viewer], org)),
        (
            "integration",
            app.token("ingrid", &[Role::Integration], org),
        ),
    ]
}

both_backends!(
    fn program_create_get_and_list(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let response = app.post("/v1/programs", Some(&token), &program_body(&org));
        let id = assert_created(&response, "/v1/programs");
        let body = &response.body;
        assert_eq!(body["organization_id"], org.as_str());
        assert_eq!(body["name"], "Harbor Emergency Shelter");
        assert_eq!(body["project_type"], 0);
        assert_eq!(body["operating_start_date"], "2020-01-01");
        assert_eq!(body["operating_end_date"], "2025-12-31");
        assert_eq!(body["continuum_project"], true);
        assert_eq!(body["capacity"], 40);
        assert_eq!(body["auto_exit_days"], Value::Null);
        assert_eq!(body["version"], 1);
        assert_eq!(body["created_by"], "test-admin");
        assert_eq!(body["updated_by"], "test-admin");
        timestamp(&body["created_at"]);

        assert_stored(app, &token, &format!("/v1/programs/{id}"), "\"1\"", body);

        assert_lists_only(app, &token, "/v1/programs", body);

        // Optional fields default to open, unlimited and never.
        let minimal = app.post(
            "/v1/programs",
            Some(&token),
            &json!({"organization_id": org, "name": "Street Outreach", "project_type": 4,
                    "operating_start_date": "2021-03-01"}),
        );
        minimal.assert_status(201);
        assert_eq!(minimal.body["operating_end_date"], Value::Null);
        assert_eq!(minimal.body["capacity"], Value::Null);
        assert_eq!(minimal.body["auto_exit_days"], Value::Null);
        assert_eq!(minimal.body["continuum_project"], false);
    }

    fn unknown_programs_are_404(app: &TestApp) {
        let token = app.admin_token();
        let unknown = Uuid::now_v7();
        let path = format!("/v1/programs/{unknown}");
        assert_not_found(&app.get(&path, Some(&token)));
        let response = merge_patch(app, &path, &token, None, &json!({"name": "Renamed"}));
        assert_not_found(&response);
        assert_not_found(&app.get("/v1/programs/not-a-uuid", Some(&token)));
    }

    fn programs_filter_by_organization_and_paginate(app: &TestApp) {
        let token = app.admin_token();
        let harbor = create_organization(app, "Harbor Light");
        let bayside = create_organization(app, "Bayside Housing");
        let mut harbor_programs = Vec::new();
        let mut all = Vec::new();
        // Emergency shelters (0) and, the third and fifth, permanent supportive housing (3).
        let mut supportive = Vec::new();
        for (index, org) in [&harbor, &bayside, &harbor, &harbor, &bayside]
            .into_iter()
            .enumerate()
        {
            let mut body = program_body(org);
            body["name"] = json!(format!("Program {index}"));
            if index % 2 == 0 && index > 0 {
                body["project_type"] = json!(3);
            }
            let id = id_of(&create_program(app, &body));
            if org == &harbor {
                harbor_programs.push(id.clone());
            }
            if index % 2 == 0 && index > 0 {
                supportive.push(id.clone());
            }
            all.push(id);
        }
        all.sort();
        harbor_programs.sort();
        supportive.sort();

        // By HUD project type (2.02.6), alone and with the organization.
        let of_type = |query: &str| {
            let list = app.get(&format!("/v1/programs?{query}"), Some(&token));
            list.assert_status(200);
            ids_in(&list)
        };
        assert_eq!(of_type("project_type=3"), supportive);
        assert_eq!(
            of_type(&format!("project_type=3&organization_id={harbor}")),
            supportive
                .iter()
                .filter(|id| harbor_programs.contains(id))
                .cloned()
                .collect::<Vec<_>>()
        );
        assert_eq!(supportive.len(), 2);
        assert_eq!(of_type("project_type=13"), Vec::<String>::new());
        for refused in ["project_type=5", "project_type=shelter", "project_type="] {
            assert_problem(
                &app.get(&format!("/v1/programs?{refused}"), Some(&token)),
                400,
                "request.malformed",
            );
        }

        let list = app.get(
            &format!("/v1/programs?organization_id={harbor}"),
            Some(&token),
        );
        assert_eq!(ids_in(&list), harbor_programs);
        for program in list.body["data"].as_array().unwrap() {
            assert_eq!(program["organization_id"], harbor.as_str());
        }
        let list = app.get(
            &format!("/v1/programs?organization_id={bayside}"),
            Some(&token),
        );
        assert_eq!(ids_in(&list).len(), 2);
        let list = app.get(
            &format!("/v1/programs?organization_id={}", Uuid::now_v7()),
            Some(&token),
        );
        assert_eq!(ids_in(&list), Vec::<String>::new());

        // Every program once, in id order, two at a time.
        let first = app.get("/v1/programs?limit=2", Some(&token));
        assert_eq!(ids_in(&first).len(), 2);
        assert!(
            first.body["next_cursor"].is_string(),
            "{}",
            first.describe()
        );
        assert_eq!(walk_pages(app, &token, "/v1/programs?limit=2"), all);
        // The filter holds on every page the Link header leads to.
        assert_eq!(
            walk_pages(
                app,
                &token,
                &format!("/v1/programs?organization_id={harbor}&limit=1")
            ),
            harbor_programs
        );

        assert_problem(
            &app.get("/v1/programs?organization_id=nope", Some(&token)),
            400,
            "request.malformed",
        );
        assert_problem(
            &app.get("/v1/programs?cursor=not-a-cursor", Some(&token)),
            400,
            "request.malformed",
        );
        assert_problem(
            &app.get("/v1/programs?organisation_id=x", Some(&token)),
            400,
            "request.malformed",
        );
    }

    fn program_patch_merges_and_clears(app: &TestApp) {
        let org = create_organization(app, "Harbor Light");
        let created = create_program(app, &program_body(&org));
        let path = format!("/v1/programs/{}", id_of(&created));
        let editor = app.token("second-admin", &[Role::Admin], None);
        let patch = |etag: Option<&str>, body: Value| merge_patch(app, &path, &editor, etag, &body);

        let response = patch(
            Some("\"1\""),
            json!({"name": "Harbor Family Shelter", "auto_exit_days": 90}),
        );
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2\"");
        assert_eq!(response.body["version"], 2);
        assert_eq!(response.body["name"], "Harbor Family Shelter");
        assert_eq!(response.body["auto_exit_days"], 90);
        // Absent fields are unchanged.
        for field in [
            "organization_id",
            "project_type",
            "operating_start_date",
            "operating_end_date",
            "continuum_project",
            "capacity",
            "created_at",
            "created_by",
        ] {
            assert_eq!(response.body[field], created[field], "{field} changed");
        }
        assert_eq!(response.body["updated_by"], "second-admin");
        assert!(timestamp(&response.body["updated_at"]) > timestamp(&created["updated_at"]));

        // null clears an optional field.
        let response = patch(
            Some("\"2\""),
            json!({"operating_end_date": null, "capacity": null, "auto_exit_days": null}),
        );
        response.assert_status(200);
        assert_eq!(response.etag(), "\"3\"");
        assert_eq!(response.body["operating_end_date"], Value::Null);
        assert_eq!(response.body["capacity"], Value::Null);
        assert_eq!(response.body["auto_exit_days"], Value::Null);
        assert_eq!(response.body["name"], "Harbor Family Shelter");

        assert_stored(app, &editor, &path, "\"3\"", &response.body);

        // Without If-Match the last writer wins.
        let response = patch(None, json!({"project_type": 2}));
        response.assert_status(200);
        assert_eq!(response.etag(), "\"4\"");
        assert_eq!(response.body["project_type"], 2);
    }

    fn program_patch_refusals_change_nothing(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let created = create_program(app, &program_body(&org));
        let path = format!("/v1/programs/{}", id_of(&created));
        let patch = |etag: Option<&str>, body: Value| merge_patch(app, &path, &token, etag, &body);

        let response = patch(
            None,
            json!({"name": null, "project_type": null, "operating_start_date": null,
                    "continuum_project": null}),
        );
        assert_invalid(
            &response,
            &[
                ("name", "required"),
                ("project_type", "required"),
                ("operating_start_date", "required"),
                ("continuum_project", "required"),
            ],
        );

        assert_stale(&patch(Some("\"0\""), json!({"name": "Renamed"})));

        let response = patch(
            None,
            json!({"operating_start_date": "2021-01-01", "operating_end_date": "2020-06-30"}),
        );
        assert_invalid(&response, &[("operating_end_date", "date.order")]);

        let response = patch(
            None,
            json!({"project_type": 5, "operating_end_date": "2024-02-30", "colour": "red",
                    "organization_id": Uuid::now_v7()}),
        );
        assert_invalid(
            &response,
            &[
                ("project_type", "invalid"),
                ("operating_end_date", "invalid"),
                ("colour", "unknown_field"),
                ("organization_id", "unknown_field"),
            ],
        );

        assert_stored(app, &token, &path, "\"1\"", &created);
    }

    fn program_dry_runs_store_nothing(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let response = app.post(
            "/v1/programs?dry_run=true",
            Some(&token),
            &program_body(&org),
        );
        response.assert_status(200);
        assert_eq!(response.header("location"), None);
        assert_eq!(response.body["name"], "Harbor Emergency Shelter");
        assert_eq!(response.body["capacity"], 40);
        assert_eq!(
            ids_in(&app.get("/v1/programs", Some(&token))),
            Vec::<String>::new()
        );

        // A dry run still runs every check.
        let mut bad = program_body(&org);
        bad["project_type"] = json!(5);
        assert_invalid(
            &app.post("/v1/programs?dry_run=true", Some(&token), &bad),
            &[("project_type", "invalid")],
        );
        let response = app.post(
            "/v1/programs?dry_run=true",
            Some(&token),
            &program_body(&Uuid::now_v7().to_string()),
        );
        assert_invalid(&response, &[("organization_id", "reference.not_found")]);

        let created = create_program(app, &program_body(&org));
        let path = format!("/v1/programs/{}", id_of(&created));
        let response = merge_patch(
            app,
            &format!("{path}?dry_run=true"),
            &token,
            Some("\"1\""),
            &json!({"name": "Renamed", "capacity": null}),
        );
        response.assert_status(200);
        assert_eq!(response.body["name"], "Renamed");
        assert_eq!(response.body["capacity"], Value::Null);
        assert_stored(app, &token, &path, "\"1\"", &created);
        assert_stale(&merge_patch(
            app,
            &format!("{path}?dry_run=true"),
            &token,
            Some("\"7\""),
            &json!({"name": "Renamed"}),
        ));
    }

    fn program_bodies_are_validated(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let with = |field: &str, value: Value| {
            let mut body = program_body(&org);
            body[field] = value;
            app.post("/v1/programs", Some(&token), &body)
        };

        assert_invalid(
            &with("project_type", json!(5)),
            &[("project_type", "invalid")],
        );
        assert_invalid(
            &with("project_type", json!("0")),
            &[("project_type", "invalid")],
        );
        assert_invalid(
            &with("project_type", json!(3.5)),
            &[("project_type", "invalid")],
        );
        for date in ["2024-02-30", "2024-2-1", "0000-00-00", "01/02/2024"] {
            assert_invalid(
                &with("operating_start_date", json!(date)),
                &[("operating_start_date", "invalid")],
            );
        }
        assert_invalid(
            &with("operating_end_date", json!("2019-12-31")),
            &[("operating_end_date", "date.order")],
        );
        assert_invalid(&with("capacity", json!(0)), &[("capacity", "invalid")]);
        assert_invalid(&with("name", json!("   ")), &[("name", "blank")]);
        assert_invalid(
            &with("colour", json!("red")),
            &[("colour", "unknown_field")],
        );
        assert_invalid(
            &with("organization_id", json!("harbor")),
            &[("organization_id", "invalid")],
        );

        // Every missing required field at once.
        let response = app.post("/v1/programs", Some(&token), &json!({}));
        assert_invalid(
            &response,
            &[
                ("organization_id", "required"),
                ("name", "required"),
                ("project_type", "required"),
                ("operating_start_date", "required"),
            ],
        );
        // Several kinds of problem at once.
        let response = app.post(
            "/v1/programs",
            Some(&token),
            &json!({"organization_id": org, "project_type": 5,
                    "operating_start_date": "2024-02-30", "colour": "red"}),
        );
        assert_invalid(
            &response,
            &[
                ("name", "required"),
                ("project_type", "invalid"),
                ("operating_start_date", "invalid"),
                ("colour", "unknown_field"),
            ],
        );

        // A body naming an organization that does not exist.
        let response = app.post(
            "/v1/programs",
            Some(&token),
            &program_body(&Uuid::now_v7().to_string()),
        );
        assert_invalid(&response, &[("organization_id", "reference.not_found")]);

        assert_eq!(
            ids_in(&app.get("/v1/programs", Some(&token))),
            Vec::<String>::new()
        );

        // JSON Schema's integer: a number with a zero fraction is one (`3.0` is 3).
        let whole = with("project_type", json!(3.0));
        whole.assert_status(201);
        assert_eq!(whole.body["project_type"], 3);
        let whole = with("capacity", json!(25.0));
        whole.assert_status(201);
        assert_eq!(whole.body["capacity"], 25);
    }

    fn only_admins_write_programs(app: &TestApp) {
        let org = create_organization(app, "Harbor Light");
        let created = create_program(app, &program_body(&org));
        let id = id_of(&created);
        let path = format!("/v1/programs/{id}");
        for (role, token) in non_admin_tokens(app, &org) {
            let response = app.post("/v1/programs", Some(&token), &program_body(&org));
            assert_forbidden(&response);
            let response = merge_patch(app, &path, &token, None, &json!({"name": "Renamed"}));
            assert_forbidden(&response);

            let fetched = app.get(&path, Some(&token));
            assert_eq!(fetched.status, 200, "{role}: {}", fetched.describe());
            assert_eq!(fetched.body, created, "{role}");
            let list = app.get("/v1/programs", Some(&token));
            assert_eq!(ids_in(&list), vec![id.clone()], "{role}");
        }
        // Programs are public: another organization's staff reads them too.
        let other = app.token("olga", &[Role::Viewer], Some(Uuid::now_v7()));
        app.get(&path, Some(&other)).assert_status(200);
        assert_eq!(app.get(&path, Some(&other)).etag(), "\"1\"");
    }

    fn grant_create_get_and_list(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let program = id_of(&create_program(app, &program_body(&org)));
        let other_program = id_of(&create_program(app, &program_body(&org)));
        let grants_path = format!("/v1/programs/{program}/grants");

        let response = app.post(&grants_path, Some(&token), &grant_body());
        let id = assert_created(&response, &grants_path);
        let body = &response.body;
        assert_eq!(body["program_id"], program.as_str());
        assert_eq!(body["funder"], 2);
        assert_eq!(body["other_funder"], Value::Null);
        assert_eq!(body["grant_identifier"], "CA0001L9T001");
        assert_eq!(body["start_date"], "2024-07-01");
        assert_eq!(body["end_date"], "2025-06-30");
        assert_eq!(body["version"], 1);
        assert_eq!(body["created_by"], "test-admin");

        assert_stored(app, &token, &format!("{grants_path}/{id}"), "\"1\"", body);

        let other = create_grant(
            app,
            &program,
            &json!({"funder": 46, "other_funder": "County general fund",
                    "grant_identifier": "COUNTY-7", "start_date": "2023-01-01"}),
        );
        assert_eq!(other["other_funder"], "County general fund");
        assert_eq!(other["end_date"], Value::Null);
        let third = create_grant(app, &program, &grant_body());
        // A grant of another program is not listed here.
        create_grant(app, &other_program, &grant_body());

        let mut expected = vec![id.clone(), id_of(&other), id_of(&third)];
        expected.sort();
        assert_eq!(ids_in(&app.get(&grants_path, Some(&token))), expected);
        let first = app.get(&format!("{grants_path}?limit=2"), Some(&token));
        assert_eq!(ids_in(&first).len(), 2);
        assert!(first.next_link().is_some(), "{}", first.describe());
        assert_eq!(
            walk_pages(app, &token, &format!("{grants_path}?limit=2")),
            expected
        );
        assert_eq!(
            ids_in(&app.get(
                &format!("/v1/programs/{other_program}/grants"),
                Some(&token)
            ))
            .len(),
            1
        );
    }

    fn grants_live_under_their_program(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let program = id_of(&create_program(app, &program_body(&org)));
        let other_program = id_of(&create_program(app, &program_body(&org)));
        let grant = create_grant(app, &program, &grant_body());
        let id = id_of(&grant);

        // Fetched or changed under another program, the grant is not there.
        let wrong = format!("/v1/programs/{other_program}/grants/{id}");
        assert_not_found(&app.get(&wrong, Some(&token)));
        let response = merge_patch(app, &wrong, &token, None, &json!({"grant_identifier": "X"}));
        assert_not_found(&response);
        let unknown_program = Uuid::now_v7();
        let response = app.get(
            &format!("/v1/programs/{unknown_program}/grants/{id}"),
            Some(&token),
        );
        assert_not_found(&response);

        // A program that does not exist has no grants to list or add to.
        let path = format!("/v1/programs/{unknown_program}/grants");
        assert_not_found(&app.get(&path, Some(&token)));
        assert_not_found(&app.post(&path, Some(&token), &grant_body()));
        let unknown_grant = format!("/v1/programs/{program}/grants/{}", Uuid::now_v7());
        assert_not_found(&app.get(&unknown_grant, Some(&token)));
        let response = merge_patch(
            app,
            &unknown_grant,
            &token,
            None,
            &json!({"grant_identifier": "X"}),
        );
        assert_not_found(&response);

        let right = format!("/v1/programs/{program}/grants/{id}");
        let fetched = app.get(&right, Some(&token));
        fetched.assert_status(200);
        assert_eq!(fetched.body, grant, "the refused patch changed the grant");
    }

    fn grant_patch_merges_and_clears(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let program = id_of(&create_program(app, &program_body(&org)));
        let created = create_grant(app, &program, &grant_body());
        let path = format!("/v1/programs/{program}/grants/{}", id_of(&created));
        let patch = |etag: Option<&str>, body: Value| merge_patch(app, &path, &token, etag, &body);

        let response = patch(Some("\"1\""), json!({"grant_identifier": "CA0001L9T002"}));
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2\"");
        assert_eq!(response.body["version"], 2);
        assert_eq!(response.body["grant_identifier"], "CA0001L9T002");
        for field in [
            "funder",
            "start_date",
            "end_date",
            "program_id",
            "created_by",
        ] {
            assert_eq!(response.body[field], created[field], "{field} changed");
        }

        let response = patch(Some("\"2\""), json!({"end_date": null}));
        response.assert_status(200);
        assert_eq!(response.etag(), "\"3\"");
        assert_eq!(response.body["end_date"], Value::Null);
        assert_eq!(response.body["start_date"], "2024-07-01");

        // To "local or other" and back.
        let response = patch(
            None,
            json!({"funder": 46, "other_funder": "County general fund"}),
        );
        response.assert_status(200);
        assert_eq!(response.body["funder"], 46);
        assert_eq!(response.body["other_funder"], "County general fund");
        let response = patch(None, json!({"funder": 3, "other_funder": null}));
        response.assert_status(200);
        assert_eq!(response.etag(), "\"5\"");
        assert_eq!(response.body["funder"], 3);
        assert_eq!(response.body["other_funder"], Value::Null);

        assert_stored(app, &token, &path, "\"5\"", &response.body);
    }

    fn grant_patch_refusals_change_nothing(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let program = id_of(&create_program(app, &program_body(&org)));
        let created = create_grant(app, &program, &grant_body());
        let path = format!("/v1/programs/{program}/grants/{}", id_of(&created));
        let patch = |etag: Option<&str>, body: Value| merge_patch(app, &path, &token, etag, &body);

        let response = patch(
            None,
            json!({"funder": null, "grant_identifier": null, "start_date": null}),
        );
        assert_invalid(
            &response,
            &[
                ("funder", "required"),
                ("grant_identifier", "required"),
                ("start_date", "required"),
            ],
        );
        assert_stale(&patch(Some("\"2\""), json!({"end_date": null})));
        let response = patch(None, json!({"funder": 46}));
        assert_invalid(&response, &[("other_funder", "required")]);
        let response = patch(None, json!({"other_funder": "County"}));
        assert_invalid(&response, &[("other_funder", "not_allowed")]);
        let response = patch(
            None,
            json!({"funder": 99, "end_date": "2024-02-30", "colour": "red"}),
        );
        assert_invalid(
            &response,
            &[
                ("funder", "invalid"),
                ("end_date", "invalid"),
                ("colour", "unknown_field"),
            ],
        );
        let response = patch(
            None,
            json!({"start_date": "2025-01-01", "end_date": "2024-12-31"}),
        );
        assert_invalid(&response, &[("end_date", "date.order")]);

        let dry = merge_patch(
            app,
            &format!("{path}?dry_run=true"),
            &token,
            Some("\"1\""),
            &json!({"end_date": null}),
        );
        dry.assert_status(200);
        assert_eq!(dry.body["end_date"], Value::Null);

        assert_stored(app, &token, &path, "\"1\"", &created);
    }

    fn grant_bodies_are_validated(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let program = id_of(&create_program(app, &program_body(&org)));
        let path = format!("/v1/programs/{program}/grants");
        let with = |field: &str, value: Value| {
            let mut body = grant_body();
            body[field] = value;
            app.post(&path, Some(&token), &body)
        };

        assert_invalid(&with("funder", json!(99)), &[("funder", "invalid")]);
        assert_invalid(&with("funder", json!(46)), &[("other_funder", "required")]);
        assert_invalid(
            &with("other_funder", json!("County general fund")),
            &[("other_funder", "not_allowed")],
        );
        for date in ["2024-02-30", "2024-13-01", "2024-07-1"] {
            assert_invalid(
                &with("start_date", json!(date)),
                &[("start_date", "invalid")],
            );
        }
        assert_invalid(
            &with("end_date", json!("2024-06-30")),
            &[("end_date", "date.order")],
        );
        assert_invalid(
            &with("grant_identifier", json!("")),
            &[("grant_identifier", "blank")],
        );
        assert_invalid(
            &with("program_id", json!(program)),
            &[("program_id", "unknown_field")],
        );

        let response = app.post(&path, Some(&token), &json!({"end_date": "2026-06-30"}));
        assert_invalid(
            &response,
            &[
                ("funder", "required"),
                ("grant_identifier", "required"),
                ("start_date", "required"),
            ],
        );

        let dry = app.post(&format!("{path}?dry_run=true"), Some(&token), &grant_body());
        dry.assert_status(200);
        assert_eq!(dry.header("location"), None);
        assert_eq!(dry.body["grant_identifier"], "CA0001L9T001");
        assert_eq!(dry.body["program_id"], program.as_str());

        assert_eq!(ids_in(&app.get(&path, Some(&token))), Vec::<String>::new());
    }

    fn only_admins_write_grants(app: &TestApp) {
        let org = create_organization(app, "Harbor Light");
        let program = id_of(&create_program(app, &program_body(&org)));
        let grant = create_grant(app, &program, &grant_body());
        let list_path = format!("/v1/programs/{program}/grants");
        let path = format!("{list_path}/{}", id_of(&grant));
        for (role, token) in non_admin_tokens(app, &org) {
            let response = app.post(&list_path, Some(&token), &grant_body());
            assert_forbidden(&response);
            let response = merge_patch(app, &path, &token, None, &json!({"end_date": null}));
            assert_forbidden(&response);

            let fetched = app.get(&path, Some(&token));
            assert_eq!(fetched.status, 200, "{role}: {}", fetched.describe());
            assert_eq!(fetched.body, grant, "{role}");
            assert_eq!(
                ids_in(&app.get(&list_path, Some(&token))),
                vec![id_of(&grant)]
            );
        }
    }

    fn user_create_get_and_list(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let response = app.post("/v1/users", Some(&token), &user_body(&org, "Dana"));
        let id = assert_created(&response, "/v1/users");
        let body = &response.body;
        assert_eq!(body["organization_id"], org.as_str());
        assert_eq!(body["first_name"], "Dana");
        assert_eq!(body["last_name"], "Reyes");
        assert_eq!(body["email"], "dana.reyes@example.org");
        assert_eq!(body["version"], 1);
        assert_eq!(body["created_by"], "test-admin");

        assert_stored(app, &token, &format!("/v1/users/{id}"), "\"1\"", body);
        assert_not_found(&app.get(&format!("/v1/users/{}", Uuid::now_v7()), Some(&token)));

        let mut expected = vec![id];
        for name in ["Avery", "Blake"] {
            expected.push(id_of(&create_user(app, &org, name)));
        }
        expected.sort();
        assert_eq!(walk_pages(app, &token, "/v1/users?limit=1"), expected);
        assert_eq!(ids_in(&app.get("/v1/users", Some(&token))), expected);
    }

    fn user_patch_and_its_refusals(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let created = create_user(app, &org, "Dana");
        let path = format!("/v1/users/{}", id_of(&created));
        let patch = |etag: Option<&str>, body: Value| merge_patch(app, &path, &token, etag, &body);

        let response = patch(Some("\"1\""), json!({"email": "dana@harbor.example.org"}));
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2\"");
        assert_eq!(response.body["version"], 2);
        assert_eq!(response.body["email"], "dana@harbor.example.org");
        assert_eq!(response.body["first_name"], "Dana");
        assert_eq!(response.body["last_name"], "Reyes");
        let changed = response.body;

        let response = patch(
            None,
            json!({"first_name": null, "last_name": null, "email": null}),
        );
        assert_invalid(
            &response,
            &[
                ("first_name", "required"),
                ("last_name", "required"),
                ("email", "required"),
            ],
        );
        let response = patch(None, json!({"email": "not-an-email"}));
        assert_invalid(&response, &[("email", "invalid")]);
        let response = patch(None, json!({"first_name": " "}));
        assert_invalid(&response, &[("first_name", "blank")]);
        let response = patch(None, json!({"organization_id": Uuid::now_v7()}));
        assert_invalid(&response, &[("organization_id", "unknown_field")]);
        assert_stale(&patch(Some("\"1\""), json!({"first_name": "Dee"})));
        let dry = merge_patch(
            app,
            &format!("{path}?dry_run=true"),
            &token,
            Some("\"2\""),
            &json!({"first_name": "Dee"}),
        );
        dry.assert_status(200);
        assert_eq!(dry.body["first_name"], "Dee");

        assert_stored(app, &token, &path, "\"2\"", &changed);

        let unknown = format!("/v1/users/{}", Uuid::now_v7());
        let response = merge_patch(app, &unknown, &token, None, &json!({"first_name": "Dee"}));
        assert_not_found(&response);
    }

    fn user_bodies_are_validated(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");
        let with = |field: &str, value: Value| {
            let mut body = user_body(&org, "Dana");
            body[field] = value;
            app.post("/v1/users", Some(&token), &body)
        };
        for email in [
            "not-an-email",
            "dana@",
            "@example.org",
            "dana reyes@example.org",
        ] {
            assert_invalid(&with("email", json!(email)), &[("email", "invalid")]);
        }
        assert_invalid(&with("email", json!(42)), &[("email", "invalid")]);
        assert_invalid(&with("last_name", json!("")), &[("last_name", "blank")]);
        assert_invalid(
            &with("role", json!("case_manager")),
            &[("role", "unknown_field")],
        );
        assert_invalid(
            &with("organization_id", json!(Uuid::now_v7())),
            &[("organization_id", "reference.not_found")],
        );

        let response = app.post("/v1/users", Some(&token), &json!({}));
        assert_invalid(
            &response,
            &[
                ("organization_id", "required"),
                ("first_name", "required"),
                ("last_name", "required"),
                ("email", "required"),
            ],
        );

        let dry = app.post(
            "/v1/users?dry_run=true",
            Some(&token),
            &user_body(&org, "Dana"),
        );
        dry.assert_status(200);
        assert_eq!(dry.header("location"), None);
        assert_eq!(dry.body["email"], "dana.reyes@example.org");
        let response = app.post(
            "/v1/users?dry_run=true",
            Some(&token),
            &user_body(&Uuid::now_v7().to_string(), "Dana"),
        );
        assert_invalid(&response, &[("organization_id", "reference.not_found")]);

        assert_eq!(
            ids_in(&app.get("/v1/users", Some(&token))),
            Vec::<String>::new()
        );
    }

    fn users_are_seen_only_within_the_callers_organization(app: &TestApp) {
        let admin = app.admin_token();
        let harbor = create_organization(app, "Harbor Light");
        let bayside = create_organization(app, "Bayside Housing");
        let dana = id_of(&create_user(app, &harbor, "Dana"));
        let avery = id_of(&create_user(app, &harbor, "Avery"));
        let blake = id_of(&create_user(app, &bayside, "Blake"));
        let mut harbor_users = vec![dana.clone(), avery.clone()];
        harbor_users.sort();

        for (role, token) in non_admin_tokens(app, &harbor) {
            let list = app.get("/v1/users", Some(&token));
            assert_eq!(
                ids_in(&list),
                harbor_users,
                "{role} lists its organization's users"
            );
            let asked = app.get(
                &format!("/v1/users?organization_id={bayside}"),
                Some(&token),
            );
            assert!(
                !ids_in(&asked).contains(&blake),
                "{role} listed another organization's user: {}",
                asked.describe()
            );
            let response = app.get(&format!("/v1/users/{blake}"), Some(&token));
            assert_not_found(&response);
            let response = app.get(&format!("/v1/users/{dana}"), Some(&token));
            assert_eq!(response.status, 200, "{role}: {}", response.describe());
            assert_eq!(response.body["first_name"], "Dana");
        }
        let bayside_manager = app.token(
            "bo",
            &[Role::CaseManager],
            Some(Uuid::parse_str(&bayside).unwrap()),
        );
        assert_eq!(
            ids_in(&app.get("/v1/users", Some(&bayside_manager))),
            vec![blake.clone()]
        );
        let response = app.get(&format!("/v1/users/{dana}"), Some(&bayside_manager));
        assert_not_found(&response);

        let mut everyone = vec![dana, avery, blake.clone()];
        everyone.sort();
        assert_eq!(ids_in(&app.get("/v1/users", Some(&admin))), everyone);
        assert_eq!(
            ids_in(&app.get(
                &format!("/v1/users?organization_id={bayside}"),
                Some(&admin)
            )),
            vec![blake.clone()]
        );
        app.get(&format!("/v1/users/{blake}"), Some(&admin))
            .assert_status(200);
    }

    fn only_admins_write_users(app: &TestApp) {
        let org = create_organization(app, "Harbor Light");
        let user = create_user(app, &org, "Dana");
        let path = format!("/v1/users/{}", id_of(&user));
        for (role, token) in non_admin_tokens(app, &org) {
            let response = app.post("/v1/users", Some(&token), &user_body(&org, "Avery"));
            assert_forbidden(&response);
            let response = merge_patch(app, &path, &token, None, &json!({"first_name": "Dee"}));
            assert_forbidden(&response);
            let fetched = app.get(&path, Some(&token));
            assert_eq!(fetched.status, 200, "{role}: {}", fetched.describe());
            assert_eq!(fetched.body, user, "{role}");
        }
        assert_eq!(
            ids_in(&app.get("/v1/users", Some(&app.admin_token()))),
            vec![id_of(&user)]
        );
    }
);

both_backends!(
    fn every_field_problem_is_listed_at_once(app: &TestApp) {
        let token = app.admin_token();
        let org = create_organization(app, "Harbor Light");

        // A form that forgot the last name and mistyped the email.
        let response = app.post(
            "/v1/users",
            Some(&token),
            &json!({"organization_id": org, "first_name": "Dana", "email": "dana@"}),
        );
        assert_invalid(
            &response,
            &[("last_name", "required"), ("email", "invalid")],
        );

        let mut body = program_body(&org);
        body["operating_end_date"] = json!("2019-12-31");
        body["colour"] = json!("red");
        let response = app.post("/v1/programs", Some(&token), &body);
        assert_invalid(
            &response,
            &[
                ("colour", "unknown_field"),
                ("operating_end_date", "date.order"),
            ],
        );

        let program = id_of(&create_program(app, &program_body(&org)));
        let response = app.post(
            &format!("/v1/programs/{program}/grants"),
            Some(&token),
            &json!({"funder": 46, "grant_identifier": "COUNTY-7"}),
        );
        // A check that relates two fields runs once every required field can be read.
        assert_invalid(&response, &[("start_date", "required")]);
        let response = app.post(
            &format!("/v1/programs/{program}/grants"),
            Some(&token),
            &json!({"funder": 46, "grant_identifier": "COUNTY-7", "start_date": "2025-01-01",
                    "end_date": "2024-01-01", "colour": "red"}),
        );
        assert_invalid(
            &response,
            &[
                ("other_funder", "required"),
                ("end_date", "date.order"),
                ("colour", "unknown_field"),
            ],
        );

        let user = id_of(&create_user(app, &org, "Dana"));
        let response = merge_patch(
            app,
            &format!("/v1/users/{user}"),
            &token,
            None,
            &json!({"first_name": " ", "organization_id": Uuid::now_v7()}),
        );
        assert_invalid(
            &response,
            &[
                ("first_name", "blank"),
                ("organization_id", "unknown_field"),
            ],
        );
    }
);
