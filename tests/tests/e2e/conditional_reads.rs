//! Conditional reads: every single resource answered with an `ETag` answers a `GET` whose
//! `If-None-Match` names it with 304, the tag and no body; a changed resource, another tag,
//! a list, a hidden client, are answered as without the header.

use std::thread;
use std::time::{Duration, Instant};

use crate::common::imports::{finished, large_archive, poll_job, queue_import};
use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{both_backends, Response, TestApp};

const ENTRY: &str = "2024-03-01";

/// Every single resource there is, with its path: the reference data, a client and each of
/// its records, a household and an import job.
fn every_single_resource(app: &TestApp, world: &EnrolledClient) -> Vec<(&'static str, String)> {
    let grant = create_grant(app, &world.program, "2024-01-01", None);
    let user = create_user(app, &world.organization);
    let enrollment = app.get(&world.base(), Some(&app.admin_token()));
    enrollment.assert_status(200);
    let household = household_of(&enrollment.body).to_owned();
    // A finished job, which changes no more.
    let job = queue_import(app, &world.organization, large_archive(1));
    poll_job(app, &job, Duration::from_secs(30), finished);
    let mut resources = vec![
        (
            "organization",
            format!("/v1/organizations/{}", world.organization),
        ),
        ("program", format!("/v1/programs/{}", world.program)),
        (
            "grant",
            format!("/v1/programs/{}/grants/{grant}", world.program),
        ),
        ("user", format!("/v1/users/{user}")),
        ("household", format!("/v1/households/{household}")),
        ("import", job),
    ];
    resources.extend(
        every_kind_of_record(app, world)
            .into_iter()
            .map(|(entity, _, path)| (entity, path)),
    );
    resources
}

/// A `GET` of `path` as `token` with `If-None-Match: tags`.
fn get_if_none_match(app: &TestApp, path: &str, token: &str, tags: &str) -> Response {
    app.request("GET", path)
        .token(Some(token))
        .header("If-None-Match", tags)
        .send()
}

/// The `ETag` of a 200.
fn etag_of(response: &Response) -> String {
    response.assert_status(200);
    response
        .header("etag")
        .unwrap_or_else(|| panic!("no ETag: {}", response.describe()))
        .to_owned()
}

/// A 304 carrying `etag` and nothing else of the resource.
fn assert_not_modified(response: &Response, etag: &str, what: &str) {
    assert_eq!(response.status, 304, "{what}: {}", response.describe());
    assert_eq!(response.header("etag"), Some(etag), "{what}");
    assert!(
        response.bytes.is_empty(),
        "{what}: a body: {}",
        response.text
    );
    assert_eq!(response.header("content-type"), None, "{what}");
}

both_backends!(
    fn every_single_resource_answers_304_to_its_own_etag(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let admin = app.admin_token();
        for (what, path) in every_single_resource(app, &world) {
            let shown = app.get(&path, Some(&admin));
            assert_eq!(shown.status, 200, "{what}: {}", shown.describe());
            let etag = etag_of(&shown);
            // Its tag, alone, weak, among others, or any tag at all.
            for tags in [
                etag.clone(),
                format!("W/{etag}"),
                format!("\"0\", {etag}"),
                "*".to_owned(),
            ] {
                let response = get_if_none_match(app, &path, &admin, &tags);
                assert_not_modified(&response, &etag, &format!("{what} ({tags})"));
            }
            // Another tag: the resource, as without the header.
            let shown = get_if_none_match(app, &path, &admin, "\"not-this-one\"");
            assert_eq!(etag_of(&shown), etag, "{what}");
            assert_eq!(shown.body, app.get(&path, Some(&admin)).body, "{what}");
        }
    }

    fn a_changed_resource_is_sent_again_with_its_new_etag(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.clone();
        let enrollment = world.base();
        let old = etag_of(&app.get(&enrollment, Some(&token)));
        patch_if(
            app,
            &enrollment,
            &token,
            &old,
            &json!({"disabling_condition": 1}),
        )
        .assert_status(200);
        let changed = get_if_none_match(app, &enrollment, &token, &old);
        let new = etag_of(&changed);
        assert_ne!(new, old);
        assert_eq!(changed.body["disabling_condition"], 1);
        assert_not_modified(
            &get_if_none_match(app, &enrollment, &token, &new),
            &new,
            "the enrollment after its change",
        );

        // A household's tag follows its members: a new member is a new household.
        let household_path = format!("/v1/households/{}", {
            let body = app.get(&enrollment, Some(&token)).body;
            household_of(&body).to_owned()
        });
        let before = etag_of(&app.get(&household_path, Some(&token)));
        let child = create_client(app, "Riley");
        let household = household_path.trim_start_matches("/v1/households/");
        enroll_member(app, &child, &world.program, household, ENTRY, 2);
        let after = get_if_none_match(app, &household_path, &token, &before);
        assert_ne!(etag_of(&after), before);
        assert_eq!(after.body["members"].as_array().map(Vec::len), Some(2));
    }

    fn a_hidden_client_is_a_404_whatever_the_tag(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        for (_, _, path) in every_kind_of_record(app, &world) {
            let etag = etag_of(&app.get(&path, Some(&world.case_manager)));
            for tags in [etag.as_str(), "*"] {
                assert_not_found(&get_if_none_match(app, &path, &world.stranger, tags));
            }
        }
    }

    fn lists_and_writes_take_no_notice_of_if_none_match(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let list = format!("/v1/clients/{}/enrollments", world.client);
        let listed = get_if_none_match(app, &list, token, "*");
        listed.assert_status(200);
        assert_eq!(listed.header("etag"), None, "a list has no ETag");
        assert_eq!(ids_in(&listed), std::slice::from_ref(&world.enrollment));

        let etag = etag_of(&app.get(&world.base(), Some(token)));
        let patched = app
            .request("PATCH", &world.base())
            .token(Some(token))
            .header("If-None-Match", &etag)
            .json(&json!({"disabling_condition": 0}))
            .send();
        patched.assert_status(200);
        assert_eq!(patched.body["disabling_condition"], 0);
    }

    fn a_304_of_a_clients_record_is_counted_as_a_read(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let client = format!("/v1/clients/{}", world.client);
        let etag = etag_of(&app.get(&client, Some(&world.case_manager)));
        assert_not_modified(
            &get_if_none_match(app, &client, &world.case_manager, &etag),
            &etag,
            "the client",
        );
        // The reader saw the record, from its cache: both reads are in the trail.
        let admin = app.admin_token();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let reads: u64 = pages(
                app,
                &admin,
                &format!(
                    "/v1/audit-events?entity_type=client&entity_id={}",
                    world.client
                ),
            )
            .iter()
            .flat_map(items)
            .filter(|event: &Value| event["action"] == "viewed")
            .map(|event| reads_of(&event))
            .sum();
            if reads >= 2 {
                assert_eq!(reads, 2);
                break;
            }
            assert!(Instant::now() < deadline, "{reads} of 2 reads in the trail");
            thread::sleep(Duration::from_millis(20));
        }
    }
);

/// Every single resource (a `GET` of a path ending in an ID) documents its `ETag`,
/// `If-None-Match` and the 304: none is left out of the middleware's reach unsaid.
#[test]
fn every_single_resource_get_documents_its_conditional_read() {
    let spec = serde_json::to_value(threshold_api::http::openapi::spec()).expect("JSON");
    let paths = spec["paths"].as_object().expect("paths");
    let singles: Vec<&String> = paths
        .keys()
        .filter(|path| path.ends_with("_id}") && paths[*path].get("get").is_some())
        .collect();
    assert!(singles.len() >= 14, "{singles:?}");
    for path in singles {
        let get = &paths[path]["get"];
        assert!(
            get["responses"]["200"]["headers"].get("ETag").is_some(),
            "{path}: no ETag on its 200"
        );
        assert!(
            get["responses"]["304"]["headers"].get("ETag").is_some(),
            "{path}: no 304"
        );
        let parameters = get["parameters"].as_array().expect("parameters");
        assert!(
            parameters.iter().any(
                |parameter| parameter["name"] == "If-None-Match" && parameter["in"] == "header"
            ),
            "{path}: no If-None-Match"
        );
    }
}
