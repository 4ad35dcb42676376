//! Records of every kind a client has, for tests that walk them all.

use serde_json::{json, Value};
use threshold_tests::{assert_problem, TestApp};
use uuid::Uuid;

use super::*;

/// A record made by `token` at `path` with `body`: its ID.
pub fn created(app: &TestApp, token: &str, path: &str, body: &Value) -> String {
    let response = app.post(path, Some(token), body);
    response.assert_status(201);
    id_of(&response.body)
}

/// One record of every kind a client has, made by the case manager: `(entity type, id,
/// path)`, the client itself first.
pub fn every_kind_of_record(
    app: &TestApp,
    world: &EnrolledClient,
) -> Vec<(&'static str, String, String)> {
    let token = world.case_manager.as_str();
    let base = world.base();
    let client = format!("/v1/clients/{}", world.client);
    let assignee = create_user(app, &world.organization);
    // A consent naming the organization itself, which lets nobody else see the client.
    let consent = created(
        app,
        token,
        &format!("{client}/consents"),
        &json!({"scope": "organizations", "organization_ids": [world.organization]}),
    );
    let assessment = created(
        app,
        token,
        &format!("{client}/assessments"),
        &assessment_with_answers("2024-03-02"),
    );
    let service = created(
        app,
        token,
        &format!("{base}/services"),
        &json!({"date_provided": "2024-03-05", "record_type": 144, "type_provided": 1}),
    );
    let goal = created(
        app,
        token,
        &format!("{base}/goals"),
        &json!({"title": "Move into permanent housing"}),
    );
    let step = created(
        app,
        token,
        &format!("{base}/goals/{goal}/action-steps"),
        &json!({"description": "Update the résumé", "assigned_to": assignee}),
    );
    let follow_up = created(
        app,
        token,
        &format!("{base}/follow-ups"),
        &json!({"reason": "Check in", "due_date": "2024-03-08", "assigned_to": assignee}),
    );
    vec![
        ("client", world.client.clone(), client.clone()),
        (
            "consent",
            consent.clone(),
            format!("{client}/consents/{consent}"),
        ),
        ("enrollment", world.enrollment.clone(), base.clone()),
        (
            "assessment",
            assessment.clone(),
            format!("{client}/assessments/{assessment}"),
        ),
        (
            "service",
            service.clone(),
            format!("{base}/services/{service}"),
        ),
        ("goal", goal.clone(), format!("{base}/goals/{goal}")),
        (
            "action_step",
            step.clone(),
            format!("{base}/goals/{goal}/action-steps/{step}"),
        ),
        (
            "follow_up",
            follow_up.clone(),
            format!("{base}/follow-ups/{follow_up}"),
        ),
    ]
}

/// The reads a `viewed` audit event counts (`changes.viewed.reads`).
pub fn reads_of(event: &Value) -> u64 {
    let reads = event["changes"]["viewed"]["reads"].as_u64();
    reads.unwrap_or_else(|| panic!("no count of reads: {event}"))
}

/// The contract every collection under an enrollment keeps. `create` must be valid;
/// `change` must set `field` (to the value it gives it).
pub struct Collection<'a> {
    pub path: String,
    pub create: Value,
    pub change: Value,
    pub field: &'a str,
}

pub fn crud_contract(app: &TestApp, world: &EnrolledClient, collection: &Collection<'_>) {
    let path = collection.path.as_str();
    let token = world.case_manager.as_str();

    // A dry run checks and answers what would be stored, and stores nothing.
    let dry = app.post(
        &format!("{path}?dry_run=true"),
        Some(token),
        &collection.create,
    );
    dry.assert_status(200);
    assert_eq!(dry.header("location"), None, "{}", dry.describe());
    assert_eq!(dry.body["version"], 1);
    assert_eq!(listed_as_admin(app, path), Vec::<String>::new());

    // Create: 201 with Location and ETag.
    let response = app.post(path, Some(token), &collection.create);
    let id = assert_created(&response, path);
    let item = format!("{path}/{id}");
    assert_eq!(response.body["enrollment_id"], world.enrollment.as_str());
    assert_eq!(response.body["created_by"], "casey");
    assert_echoes(&response, &collection.create);

    // Read: everyone of the organization, a viewer too.
    assert_stored(app, &world.viewer, &item, "\"1\"", &response.body);
    assert_lists_only(app, &world.viewer, path, &response.body);

    // A second one pages.
    let second = created(app, token, path, &collection.create);
    let page = app.get(&format!("{path}?limit=1"), Some(token));
    page.assert_status(200);
    assert_eq!(page.body["data"][0]["id"], id.as_str());
    let cursor = page.body["next_cursor"].as_str().expect("a next cursor");
    assert!(page.next_link().is_some(), "{}", page.describe());
    let rest = app.get(&format!("{path}?limit=1&cursor={cursor}"), Some(token));
    rest.assert_status(200);
    assert_eq!(rest.body["data"][0]["id"], second.as_str());
    assert_eq!(rest.body["next_cursor"], Value::Null);
    assert_problem(
        &app.get(&format!("{path}?limit=1&cursor=forged"), Some(token)),
        400,
        "request.malformed",
    );
    assert_problem(
        &app.get(&format!("{path}?colour=red"), Some(token)),
        400,
        "request.malformed",
    );

    // 422: an unknown field, answered before anything is looked up.
    let mut unknown = collection.create.clone();
    unknown["colour"] = json!("red");
    assert_invalid(
        &app.post(path, Some(token), &unknown),
        "colour",
        "unknown_field",
    );
    assert_invalid(
        &app.patch(&item, Some(token), &json!({"colour": "red"})),
        "colour",
        "unknown_field",
    );

    // A viewer may not write: 403.
    for response in [
        app.post(path, Some(&world.viewer), &collection.create),
        app.patch(&item, Some(&world.viewer), &collection.change),
        app.delete(&item, Some(&world.viewer)),
    ] {
        assert_forbidden(&response);
    }

    // Another organization's case manager sees nothing: 404.
    for response in [
        app.get(path, Some(&world.stranger)),
        app.get(&item, Some(&world.stranger)),
        app.post(path, Some(&world.stranger), &collection.create),
        app.patch(&item, Some(&world.stranger), &collection.change),
        app.delete(&item, Some(&world.stranger)),
    ] {
        assert_not_found(&response);
    }
    assert_not_found(&app.get(&format!("{path}/{}", Uuid::now_v7()), Some(token)));

    // A dry-run change answers the change and stores nothing.
    let dry = patch_if(
        app,
        &format!("{item}?dry_run=true"),
        token,
        "\"1\"",
        &collection.change,
    );
    dry.assert_status(200);
    let value = collection
        .change
        .get(collection.field)
        .expect("the change sets the field it is checked by");
    assert_eq!(&dry.body[collection.field], value);
    let unchanged = app.get(&item, Some(token));
    assert_eq!(unchanged.etag(), "\"1\"");
    assert_eq!(unchanged.body, response.body);

    // Change with If-Match: 200 and the next version; a stale tag is 412.
    let changed = patch_if(app, &item, token, "\"1\"", &collection.change);
    changed.assert_status(200);
    assert_eq!(changed.etag(), "\"2\"");
    assert_eq!(&changed.body[collection.field], value);
    assert_eq!(changed.body["updated_by"], "casey");
    assert_eq!(app.get(&item, Some(token)).body, changed.body);
    assert_stale_patch(app, &item, token, "\"1\"", &collection.change);
    // Without If-Match the last writer wins.
    app.patch(&item, Some(token), &collection.change)
        .assert_status(200);

    // Delete (soft): a stale tag is 412, then 204 and gone from every read.
    assert_stale_delete(app, &item, token, "\"1\"");
    delete_if(app, &item, token, "\"3\"").assert_status(204);
    assert_not_found(&app.get(&item, Some(token)));
    assert_not_found(&app.delete(&item, Some(token)));
    assert_not_found(&app.patch(&item, Some(token), &collection.change));
    assert_eq!(listed_as_admin(app, path), vec![second]);
}
