//! What is recorded against an enrollment: services, goals, their action steps and
//! follow-ups. Each collection answers the same CRUD contract (201, 200, 204, 404, 412, 422,
//! 403 for a viewer's writes, 404 for another organization), keeps its dates inside the
//! enrollment's period, and writes nothing on a dry run.

use crate::common::*;
use chrono::Utc;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, TestApp};
use uuid::Uuid;

/// The stay every test records against: entry 2024-03-01, still active.
const ENTRY: &str = "2024-03-01";
const DAY_BEFORE_ENTRY: &str = "2024-02-29";

fn created(response: Response) -> Value {
    response.assert_status(201);
    response.body
}

/// A 409 led by `code` whose `errors` all carry `code`, one of them on `field`.
fn assert_rule_on(response: &Response, code: &str, field: &str) {
    assert_problem(response, 409, code);
    let fields = error_fields(response);
    assert!(
        fields.iter().all(|(_, found)| found == code),
        "{}",
        response.describe()
    );
    assert!(
        fields.iter().any(|(found, _)| found == field),
        "expected a problem on {field} in {}",
        response.describe()
    );
}

/// A 409 `enrollment.dependents_outside_period` on `field`.
fn assert_outside_period(response: &Response, field: &str) {
    assert_rule_on(response, "enrollment.dependents_outside_period", field);
}

fn create_goal(app: &TestApp, world: &EnrolledClient, body: Value) -> Value {
    created(app.post(
        &format!("{}/goals", world.base()),
        Some(&world.case_manager),
        &body,
    ))
}

both_backends!(
    fn services_keep_the_contract(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        crud_contract(
            app,
            &world,
            &Collection {
                path: format!("{}/services", world.base()),
                create: json!({
                    "date_provided": "2024-03-05",
                    "record_type": 144,
                    "type_provided": 1,
                    "fa_amount": 125.5,
                    "note": "Housing search",
                }),
                change: json!({"note": "Housing search, two viewings"}),
                field: "note",
            },
        );
    }

    fn goals_keep_the_contract(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        crud_contract(
            app,
            &world,
            &Collection {
                path: format!("{}/goals", world.base()),
                create: json!({
                    "title": "Move into permanent housing",
                    "description": "A one-bedroom near the bus line",
                    "status": "open",
                    "target_date": "2024-09-01",
                }),
                change: json!({"status": "achieved", "closed_date": "2024-08-15"}),
                field: "status",
            },
        );
    }

    fn action_steps_keep_the_contract(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let goal = create_goal(app, &world, json!({"title": "Find work"}));
        let assignee = create_user(app, &world.organization);
        crud_contract(
            app,
            &world,
            &Collection {
                path: format!("{}/goals/{}/action-steps", world.base(), id_of(&goal)),
                create: json!({
                    "description": "Update the résumé",
                    "assigned_to": assignee,
                    "due_date": "2024-04-01",
                }),
                change: json!({"completed_date": "2024-03-20"}),
                field: "completed_date",
            },
        );
    }

    fn follow_ups_keep_the_contract(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let assignee = create_user(app, &world.organization);
        crud_contract(
            app,
            &world,
            &Collection {
                path: format!("{}/follow-ups", world.base()),
                create: json!({
                    "reason": "Check in after the first week",
                    "due_date": "2024-03-08",
                    "assigned_to": assignee,
                }),
                change: json!({"outcome": "Doing well"}),
                field: "outcome",
            },
        );
    }

    fn services_lie_within_the_period(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let path = format!("{}/services", world.base());
        let token = world.case_manager.as_str();
        let post = |body: Value| app.post(&path, Some(token), &body);
        let body =
            |date: &str| json!({"date_provided": date, "record_type": 144, "type_provided": 1});

        for dry_run in ["", "?dry_run=true"] {
            let response = app.post(
                &format!("{path}{dry_run}"),
                Some(token),
                &body(DAY_BEFORE_ENTRY),
            );
            assert_rule_on(&response, "service.outside_enrollment", "date_provided");
        }
        let on_entry = created(post(body(ENTRY)));
        assert_eq!(on_entry["date_provided"], ENTRY);
        assert_eq!(listed_as_admin(app, &path), vec![id_of(&on_entry)]);

        let item = format!("{path}/{}", id_of(&on_entry));
        let patch = |body: Value| app.patch(&item, Some(token), &body);
        let response = patch(json!({"date_provided": DAY_BEFORE_ENTRY}));
        assert_rule_on(&response, "service.outside_enrollment", "date_provided");
        assert_eq!(app.get(&item, Some(token)).body["date_provided"], ENTRY);

        // The future is refused before the period is looked at.
        let response = post(body(&days_ahead(2)));
        assert_invalid(&response, "date_provided", "date.in_future");
        let response = post(json!({"date_provided": ENTRY}));
        assert_invalid(&response, "record_type", "required");
        assert_invalid(&response, "type_provided", "required");
        let response = patch(json!({"date_provided": null}));
        assert_invalid(&response, "date_provided", "required");
    }

    fn a_services_type_is_one_its_record_type_takes(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let path = format!("{}/services", world.base());
        let token = world.case_manager.as_str();
        let body = |record_type: i32, type_provided: i32| {
            json!({"date_provided": ENTRY, "record_type": record_type,
                   "type_provided": type_provided})
        };
        // HUD 4.14: a bed night is type 200 and nothing else; V2.2 SSVF services are 1-10.
        for (record_type, type_provided) in [(200, 1), (144, 200), (144, 11), (141, 13)] {
            for dry_run in ["", "?dry_run=true"] {
                let response = app.post(
                    &format!("{path}{dry_run}"),
                    Some(token),
                    &body(record_type, type_provided),
                );
                assert_invalid(&response, "type_provided", "invalid");
            }
        }
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());
        let bed_night = created(app.post(&path, Some(token), &body(200, 200)));
        let ssvf = created(app.post(&path, Some(token), &body(144, 10)));
        assert_eq!(
            (ssvf["record_type"].as_i64(), ssvf["type_provided"].as_i64()),
            (Some(144), Some(10))
        );

        // A patch of either half is checked against the other as stored.
        let item = format!("{path}/{}", id_of(&bed_night));
        for change in [
            json!({"type_provided": 1}),
            json!({"record_type": 144}),
            json!({"record_type": 141, "type_provided": 200}),
        ] {
            let response = app.patch(&item, Some(token), &change);
            assert_invalid(&response, "type_provided", "invalid");
        }
        let unchanged = app.get(&item, Some(token));
        assert_eq!(unchanged.body["record_type"], 200);
        assert_eq!(unchanged.body["type_provided"], 200);
        let response = app.patch(
            &item,
            Some(token),
            &json!({"record_type": 144, "type_provided": 1}),
        );
        response.assert_status(200);
        assert_eq!(
            (
                response.body["record_type"].as_i64(),
                response.body["type_provided"].as_i64()
            ),
            (Some(144), Some(1))
        );
    }

    fn goal_dates_lie_within_the_period(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let path = format!("{}/goals", world.base());
        let token = world.case_manager.as_str();
        let post = |body: Value| app.post(&path, Some(token), &body);
        let dry_run = |body: Value| app.post(&format!("{path}?dry_run=true"), Some(token), &body);

        let response = post(json!({"title": "Stable income", "target_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "target_date");
        let response = dry_run(
            json!({"title": "Stable income", "status": "abandoned", "closed_date": DAY_BEFORE_ENTRY}),
        );
        assert_outside_period(&response, "closed_date");
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());

        let goal = create_goal(
            app,
            &world,
            json!({"title": "Stable income", "target_date": ENTRY}),
        );
        assert_eq!(goal["status"], "open");
        assert_eq!(goal["closed_date"], Value::Null);
        let item = format!("{path}/{}", id_of(&goal));
        let patch = |body: Value| app.patch(&item, Some(token), &body);
        let response = patch(json!({"target_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "target_date");
        let response = patch(json!({"status": "achieved", "closed_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "closed_date");
        assert_eq!(app.get(&item, Some(token)).body, goal);
    }

    fn goal_bodies_are_checked(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let path = format!("{}/goals", world.base());
        let token = world.case_manager.as_str();
        let post = |body: Value| app.post(&path, Some(token), &body);

        let response = post(json!({"description": "no title"}));
        assert_invalid(&response, "title", "required");
        let response = post(json!({"title": "   "}));
        assert_invalid(&response, "title", "blank");
        let response = post(json!({"title": "x".repeat(201)}));
        assert_invalid(&response, "title", "too_long");
        let response = post(json!({"title": "Work", "description": "x".repeat(2001)}));
        assert_invalid(&response, "description", "too_long");
        let response = post(json!({"title": "Work", "status": "done"}));
        assert_invalid(&response, "status", "invalid");
        let response =
            post(json!({"title": "Work", "status": "achieved", "closed_date": days_ahead(2)}));
        assert_invalid(&response, "closed_date", "date.in_future");
        // A closed date belongs to a goal that is closed.
        let response = post(json!({"title": "Work", "closed_date": "2024-04-01"}));
        assert_invalid(&response, "closed_date", "not_allowed");
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());

        let goal = create_goal(app, &world, json!({"title": "  Work  "}));
        assert_eq!(goal["title"], "Work");
        let item = format!("{path}/{}", id_of(&goal));
        let patch = |body: Value| app.patch(&item, Some(token), &body);
        let response = patch(json!({"closed_date": "2024-04-01"}));
        assert_invalid(&response, "closed_date", "not_allowed");
        let response = patch(json!({"title": null}));
        assert_invalid(&response, "title", "required");
        let response = patch(json!({"status": null}));
        assert_invalid(&response, "status", "required");

        let closed = patch(json!({"status": "abandoned", "closed_date": "2024-04-01"}));
        closed.assert_status(200);
        assert_eq!(closed.body["status"], "abandoned");
        assert_eq!(closed.body["closed_date"], "2024-04-01");
        // Reopening keeps no closed date: it must be cleared along with it.
        let response = patch(json!({"status": "open"}));
        assert_invalid(&response, "closed_date", "not_allowed");
        let reopened =
            patch(json!({"status": "open", "closed_date": null, "description": "Retail"}));
        reopened.assert_status(200);
        assert_eq!(reopened.body["status"], "open");
        assert_eq!(reopened.body["closed_date"], Value::Null);
        assert_eq!(reopened.body["description"], "Retail");
        let cleared = patch(json!({"description": null}));
        assert_eq!(cleared.body["description"], Value::Null);
    }

    fn action_steps_belong_to_the_goal(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let goal = create_goal(app, &world, json!({"title": "Find work"}));
        let other_goal = create_goal(app, &world, json!({"title": "Save money"}));
        let steps = format!("{}/goals/{}/action-steps", world.base(), id_of(&goal));
        let step = created(app.post(
            &steps,
            Some(token),
            &json!({"description": "Call the job centre"}),
        ));
        assert_eq!(step["goal_id"], id_of(&goal).as_str());
        assert_eq!(step["assigned_to"], Value::Null);

        // Under another goal, or a goal that does not exist, the step is not found.
        let elsewhere = format!("{}/goals/{}/action-steps", world.base(), id_of(&other_goal));
        assert_eq!(listed_as_admin(app, &elsewhere), Vec::<String>::new());
        assert_not_found(&app.get(&format!("{elsewhere}/{}", id_of(&step)), Some(token)));
        let nowhere = format!("{}/goals/{}/action-steps", world.base(), Uuid::now_v7());
        assert_not_found(&app.get(&nowhere, Some(token)));
        assert_not_found(&app.post(&nowhere, Some(token), &json!({"description": "x"})));

        // A goal of another enrollment is not found under this one.
        let second_program = create_program(
            app,
            &world.organization,
            json!({"name": "Harbor Rapid Rehousing", "project_type": 13}),
        );
        let second = id_of(&enroll_head(app, &world.client, &second_program, ENTRY));
        let crossed = format!(
            "/v1/clients/{}/enrollments/{second}/goals/{}/action-steps",
            world.client,
            id_of(&goal)
        );
        assert_not_found(&app.get(&crossed, Some(token)));
        assert_not_found(&app.post(&crossed, Some(token), &json!({"description": "x"})));

        // Deleting the goal deletes its action plan.
        app.delete(
            &format!("{}/goals/{}", world.base(), id_of(&goal)),
            Some(token),
        )
        .assert_status(204);
        assert_not_found(&app.get(&steps, Some(token)));
        assert_not_found(&app.get(&format!("{steps}/{}", id_of(&step)), Some(token)));
    }

    fn action_step_rules(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let goal = create_goal(app, &world, json!({"title": "Find work"}));
        let path = format!("{}/goals/{}/action-steps", world.base(), id_of(&goal));
        let post = |body: Value| app.post(&path, Some(token), &body);
        let dry_run = |body: Value| app.post(&format!("{path}?dry_run=true"), Some(token), &body);

        let response = post(json!({"description": "Apply", "due_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "due_date");
        let response = dry_run(json!({"description": "Apply", "completed_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "completed_date");
        let response = post(json!({"description": "Apply", "completed_date": days_ahead(2)}));
        assert_invalid(&response, "completed_date", "date.in_future");
        let response = post(json!({"description": ""}));
        assert_invalid(&response, "description", "blank");
        let response = post(json!({}));
        assert_invalid(&response, "description", "required");

        // Assigned only to staff of the program's organization.
        let outsider_org = create_organization(app, "Bayside Outreach");
        for assignee in [create_user(app, &outsider_org), Uuid::now_v7().to_string()] {
            let response = post(json!({"description": "Apply", "assigned_to": assignee}));
            assert_invalid(&response, "assigned_to", "reference.not_found");
        }
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());

        let step = created(post(
            json!({"description": "Apply", "due_date": ENTRY, "completed_date": ENTRY}),
        ));
        let item = format!("{path}/{}", id_of(&step));
        let patch = |body: Value| app.patch(&item, Some(token), &body);
        let response = patch(json!({"due_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "due_date");
        let stranger = create_user(app, &outsider_org);
        let response = patch(json!({"assigned_to": stranger}));
        assert_invalid(&response, "assigned_to", "reference.not_found");
        let response = patch(json!({"description": null}));
        assert_invalid(&response, "description", "required");
        assert_eq!(app.get(&item, Some(token)).body, step);

        let colleague = create_user(app, &world.organization);
        let changed =
            patch(json!({"assigned_to": colleague, "due_date": null, "completed_date": null}));
        changed.assert_status(200);
        assert_eq!(changed.body["assigned_to"], colleague.as_str());
        assert_eq!(changed.body["due_date"], Value::Null);
        assert_eq!(changed.body["completed_date"], Value::Null);
    }

    fn follow_up_rules(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let path = format!("{}/follow-ups", world.base());
        let post = |body: Value| app.post(&path, Some(token), &body);
        let dry_run = |body: Value| app.post(&format!("{path}?dry_run=true"), Some(token), &body);

        let response = post(json!({"reason": "Check in", "due_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "due_date");
        let response = dry_run(json!({"reason": "Check in", "due_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "due_date");
        let response = post(json!({"reason": "Check in"}));
        assert_invalid(&response, "due_date", "required");
        let response = post(json!({"reason": "x".repeat(501), "due_date": ENTRY, "outcome": ""}));
        assert_invalid(&response, "reason", "too_long");
        assert_invalid(&response, "outcome", "blank");
        let response =
            post(json!({"reason": "Check in", "due_date": ENTRY, "completed_at": "yesterday"}));
        assert_invalid(&response, "completed_at", "invalid");
        let tomorrow = (Utc::now() + chrono::Duration::days(1)).to_rfc3339();
        let response =
            post(json!({"reason": "Check in", "due_date": ENTRY, "completed_at": tomorrow}));
        assert_invalid(&response, "completed_at", "date.in_future");
        let outsider = create_user(app, &create_organization(app, "Bayside Outreach"));
        let response =
            post(json!({"reason": "Check in", "due_date": ENTRY, "assigned_to": outsider}));
        assert_invalid(&response, "assigned_to", "reference.not_found");
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());

        // A due date in the future of an open stay is fine; completion is kept in UTC to the
        // microsecond.
        let due = days_ahead(30);
        let follow_up = created(post(json!({
            "reason": "Check in",
            "due_date": due,
            "completed_at": "2024-03-02T10:15:30.123456789+02:00",
            "outcome": "Reached by phone",
        })));
        assert_eq!(follow_up["due_date"], due.as_str());
        assert_eq!(follow_up["completed_at"], "2024-03-02T08:15:30.123456Z");
        let item = format!("{path}/{}", id_of(&follow_up));
        let patch = |body: Value| app.patch(&item, Some(token), &body);
        assert_eq!(app.get(&item, Some(token)).body, follow_up);

        let response = patch(json!({"due_date": DAY_BEFORE_ENTRY}));
        assert_outside_period(&response, "due_date");
        let response = patch(json!({"due_date": null}));
        assert_invalid(&response, "due_date", "required");
        let response = patch(json!({"assigned_to": outsider}));
        assert_invalid(&response, "assigned_to", "reference.not_found");
        assert_eq!(app.get(&item, Some(token)).body, follow_up);

        let reopened = patch(json!({"completed_at": null, "outcome": null, "due_date": ENTRY}));
        reopened.assert_status(200);
        assert_eq!(reopened.body["completed_at"], Value::Null);
        assert_eq!(reopened.body["outcome"], Value::Null);
        assert_eq!(reopened.body["due_date"], ENTRY);
    }

    fn records_go_with_their_enrollment(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let goal = create_goal(app, &world, json!({"title": "Find work"}));
        let steps = format!("{}/goals/{}/action-steps", world.base(), id_of(&goal));
        created(app.post(&steps, Some(token), &json!({"description": "Apply"})));
        created(app.post(
            &format!("{}/follow-ups", world.base()),
            Some(token),
            &json!({"reason": "Check in", "due_date": ENTRY}),
        ));
        app.delete(&world.base(), Some(&app.admin_token()))
            .assert_status(204);
        for collection in ["services", "goals", "follow-ups"] {
            assert_not_found(&app.get(&format!("{}/{collection}", world.base()), Some(token)));
        }
        assert_not_found(&app.get(&steps, Some(token)));
    }
);
