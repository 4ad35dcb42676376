//! Records of every kind a client has, for tests that walk them all.

use serde_json::{json, Value};
use threshold_tests::TestApp;

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
