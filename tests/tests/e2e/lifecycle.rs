//! The enrollment lifecycle and households: exiting (alone or with the whole household),
//! reopening, reading a household and changing its head, and the edits and deletes that
//! move an enrollment's period. Every rule at its boundary, who may do what, If-Match and
//! dry runs.

use crate::common::*;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};
use uuid::Uuid;

/// The entry date of most stays below.
const ENTRY: &str = "2024-03-01";

/// An organization with an emergency shelter, its staff, and another organization's case
/// manager who must not see anything of it.
struct World {
    program: String,
    case_manager: String,
    viewer: String,
    stranger: String,
}

fn world(app: &TestApp) -> World {
    world_with(app, json!({}))
}

/// Like [`world`], with the program's fields set over the shelter's.
fn world_with(app: &TestApp, program: Value) -> World {
    let organization = create_organization(app, "Harbor Light");
    let program = create_program(app, &organization, program);
    let other = create_organization(app, "Elsewhere");
    World {
        case_manager: token_for(app, "cm-dana", Role::CaseManager, &organization),
        viewer: token_for(app, "viewer-val", Role::Viewer, &organization),
        stranger: token_for(app, "cm-stranger", Role::CaseManager, &other),
        program,
    }
}

impl World {
    /// Exits `stay` with `body` as the organization's case manager.
    fn exit(&self, app: &TestApp, stay: &Stay, body: Value) -> Response {
        exit(app, &self.case_manager, stay, &body)
    }
}

/// A new client enrolled as the head of a new household.
fn head(app: &TestApp, program: &str, name: &str, entry: &str) -> Stay {
    new_head(app, program, name, entry, json!({}))
}

/// A new client enrolled into `head`'s household as a child.
fn member(app: &TestApp, program: &str, head: &Stay, name: &str, entry: &str) -> Stay {
    new_member(app, program, head, name, entry, 2)
}

/// An exit body: `exit_date` and `destination`, with `extra` set over them.
fn exit_body(exit_date: &str, destination: i32, extra: Value) -> Value {
    merged(
        json!({"exit_date": exit_date, "destination": destination}),
        extra,
    )
}

fn exit(app: &TestApp, token: &str, stay: &Stay, body: &Value) -> Response {
    app.post(&stay.exit_path(), Some(token), body)
}

/// Exits `stay` alone as an admin, which must work.
fn exit_ok(app: &TestApp, stay: &Stay, exit_date: &str, destination: i32) -> Value {
    let response = exit(
        app,
        &app.admin_token(),
        stay,
        &exit_body(exit_date, destination, json!({})),
    );
    response.assert_status(200);
    response.body
}

fn reopen(app: &TestApp, token: &str, stay: &Stay) -> Response {
    app.delete(&stay.exit_path(), Some(token))
}

/// The household's member entry for `stay`.
fn member_of(household: &Value, stay: &Stay) -> Value {
    members_of(household)
        .iter()
        .find(|member| member["enrollment_id"] == stay.id.as_str())
        .unwrap_or_else(|| panic!("{} is not among the members of {household}", stay.id))
        .clone()
}

fn change_head(app: &TestApp, token: &str, household: &str, body: &Value) -> Response {
    app.put(
        &format!("{}/head", household_path(household)),
        Some(token),
        body,
    )
}

/// Records a service on `date` against `stay`, which must work.
fn add_service(app: &TestApp, stay: &Stay, date: &str) {
    app.post(
        &format!("{}/services", stay.path()),
        Some(&app.admin_token()),
        &json!({"date_provided": date, "record_type": 200, "type_provided": 200}),
    )
    .assert_status(201);
}

/// A 409 led by `code`, which its `errors` list (perhaps with others).
fn assert_rule_among(response: &Response, code: &str) {
    assert_problem(response, 409, code);
    assert!(
        error_codes(response).iter().any(|listed| listed == code),
        "{code} is not in `errors` of {}",
        response.describe()
    );
}

/// A 422 with some problem about `field` (or a part of it, `field.<key>`).
fn assert_invalid_field(response: &Response, field: &str) {
    assert_problem(response, 422, "validation.failed");
    let nested = format!("{field}.");
    assert!(
        error_fields(response)
            .iter()
            .any(|(listed, _)| listed == field || listed.starts_with(&nested)),
        "expected a problem with `{field}` in {}",
        response.describe()
    );
}

/// The stay is stored active, unchanged at version 1.
fn assert_untouched(app: &TestApp, stay: &Stay) {
    let stored = fetch_stay(app, stay);
    assert_eq!(stored.body["status"], "active", "{}", stored.describe());
    assert_eq!(stored.body["exit"], Value::Null, "{}", stored.describe());
    assert_eq!(stored.body["version"], 1, "{}", stored.describe());
    assert_eq!(stored.etag(), "\"1-incomplete\"");
}

both_backends!(
    fn exit_answers_the_exited_enrollment(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        assert_eq!(fetch_stay(app, &stay).etag(), "\"1-incomplete\"");

        let before = Utc::now();
        let response = world.exit(
            app,
            &stay,
            exit_body("2024-04-15", 435, json!({"destination_subsidy_type": 431})),
        );
        let after = Utc::now();
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2-incomplete\"");
        let body = &response.body;
        assert_eq!(body["id"], stay.id.as_str());
        assert_eq!(body["status"], "exited");
        assert_eq!(body["version"], 2);
        assert_eq!(body["updated_by"], "cm-dana");
        assert_eq!(body["entry_date"], ENTRY);
        let exited = &body["exit"];
        assert_eq!(exited["exit_date"], "2024-04-15");
        assert_eq!(exited["destination"], 435);
        assert_eq!(exited["destination_subsidy_type"], 431);
        assert_eq!(exited["other_destination"], Value::Null);
        assert_eq!(exited["auto_exited"], false);
        assert_eq!(exited["exited_by"], "cm-dana");
        let exited_at = exited["exited_at"]
            .as_str()
            .unwrap_or_else(|| panic!("no exited_at in {}", response.describe()));
        let exited_at = DateTime::parse_from_rfc3339(exited_at)
            .unwrap_or_else(|error| panic!("exited_at {exited_at} is not RFC 3339: {error}"));
        assert_eq!(exited_at.offset().local_minus_utc(), 0, "exited_at in UTC");
        let exited_at = exited_at.with_timezone(&Utc);
        assert!(
            before - chrono::Duration::seconds(2) <= exited_at
                && exited_at <= after + chrono::Duration::seconds(2),
            "exited_at {exited_at} is not the time of the request"
        );

        let stored = fetch_stay(app, &stay);
        assert_eq!(stored.etag(), "\"2-incomplete\"");
        assert_eq!(&stored.body, body);

        // The household shows the exit too.
        let household = fetch_household(app, &stay.household);
        let listed = member_of(&household, &stay);
        assert_eq!(listed["status"], "exited");
        assert_eq!(listed["exit_date"], "2024-04-15");

        // And the client's list filters on it.
        let path = format!("{}?status=exited", enrollments_path(&stay.client));
        assert_eq!(
            ids_in(&app.get(&path, Some(&app.admin_token()))),
            [stay.id.as_str()]
        );
        let path = format!("{}?status=active", enrollments_path(&stay.client));
        assert_eq!(
            ids_in(&app.get(&path, Some(&app.admin_token()))),
            Vec::<String>::new()
        );
    }

    fn exit_to_another_destination_keeps_its_text(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let response = world.exit(
            app,
            &stay,
            exit_body(
                "2024-04-15",
                17,
                json!({"other_destination": "A cousin's farm out of state"}),
            ),
        );
        response.assert_status(200);
        let exited = &response.body["exit"];
        assert_eq!(exited["destination"], 17);
        assert_eq!(exited["other_destination"], "A cousin's farm out of state");
        assert_eq!(exited["destination_subsidy_type"], Value::Null);
        assert_eq!(fetch_stay(app, &stay).body["exit"], *exited);
    }

    fn an_exit_body_is_checked_on_its_own(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let token = &world.case_manager;
        let send = |body: Value| exit(app, token, &stay, &body);

        assert_invalid_field(
            &send(exit_body("2024-04-15", 999, json!({}))),
            "destination",
        );
        assert_invalid(
            &send(exit_body(&days_ahead(2), 410, json!({}))),
            "exit_date",
            "date.in_future",
        );
        assert_invalid(
            &send(exit_body("2024-04-15", 435, json!({}))),
            "destination_subsidy_type",
            "required",
        );
        assert_invalid(
            &send(exit_body(
                "2024-04-15",
                410,
                json!({"destination_subsidy_type": 431}),
            )),
            "destination_subsidy_type",
            "not_allowed",
        );
        assert_invalid(
            &send(exit_body("2024-04-15", 17, json!({}))),
            "other_destination",
            "required",
        );
        assert_invalid(
            &send(exit_body(
                "2024-04-15",
                410,
                json!({"other_destination": "With a friend"}),
            )),
            "other_destination",
            "not_allowed",
        );
        assert_invalid(
            &send(exit_body(
                "2024-04-15",
                410,
                json!({"member_destinations": {stay.id.clone(): 422}}),
            )),
            "member_destinations",
            "not_allowed",
        );
        assert_invalid(&send(json!({"destination": 410})), "exit_date", "required");
        assert_invalid(
            &send(exit_body("2024-04-15", 410, json!({"reason": "moved"}))),
            "reason",
            "unknown_field",
        );

        // A member destination naming an enrollment that is not in the household.
        let stranger = head(app, &world.program, "Morgan", ENTRY);
        for unknown in [stranger.id.clone(), Uuid::now_v7().to_string()] {
            let response = send(exit_body(
                "2024-04-15",
                410,
                json!({"household": true, "member_destinations": {unknown.clone(): 422}}),
            ));
            assert_problem(&response, 422, "validation.failed");
            let fields = error_fields(&response);
            assert!(
                fields
                    .iter()
                    .any(|(field, code)| field.starts_with("member_destinations")
                        && code == "reference.not_found"),
                "expected a reference.not_found on member_destinations in {}",
                response.describe()
            );
        }

        assert_untouched(app, &stay);
        assert_untouched(app, &stranger);
    }

    fn an_enrollment_exits_once(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let first = exit_ok(app, &stay, "2024-04-15", 410);
        let again = world.exit(app, &stay, exit_body("2024-04-20", 422, json!({})));
        assert_rule(&again, "enrollment.already_exited");
        let stored = fetch_stay(app, &stay);
        assert_eq!(stored.body["exit"], first["exit"]);
        assert_eq!(stored.body["version"], 2);
    }

    fn the_exit_date_is_not_before_the_entry(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let before = world.exit(app, &stay, exit_body("2024-02-29", 410, json!({})));
        assert_rule(&before, "exit.before_entry");
        assert_untouched(app, &stay);

        // Leaving on the day of entry is fine.
        let same_day = exit_ok(app, &stay, ENTRY, 410);
        assert_eq!(same_day["exit"]["exit_date"], ENTRY);
    }

    fn the_exit_date_is_not_before_the_move_in(app: &TestApp) {
        let world = world_with(app, json!({"project_type": 3}));
        let move_in = json!({"move_in_date": "2024-03-10"});
        let stay = new_head(app, &world.program, "Jordan", ENTRY, move_in);

        let before = world.exit(app, &stay, exit_body("2024-03-09", 410, json!({})));
        assert_rule(&before, "exit.before_entry");
        assert_untouched(app, &stay);

        let on_move_in = exit_ok(app, &stay, "2024-03-10", 410);
        assert_eq!(on_move_in["move_in_date"], "2024-03-10");
    }

    fn the_head_leaves_last(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);

        let alone = world.exit(app, &parent, exit_body("2024-04-15", 410, json!({})));
        assert_rule(&alone, "household.members_active");
        assert_untouched(app, &parent);
        assert_untouched(app, &child);

        // Nor can the head stop being head by an edit while a member is active.
        assert_rule(
            &app.patch(
                &parent.path(),
                Some(&world.case_manager),
                &json!({"relationship_to_hoh": 2}),
            ),
            "household.members_active",
        );
        assert_untouched(app, &parent);

        // A member may leave alone, and then the head.
        let left = exit_ok(app, &child, "2024-04-10", 312);
        assert_eq!(left["status"], "exited");
        assert_eq!(fetch_stay(app, &parent).body["status"], "active");
        let last = exit_ok(app, &parent, "2024-04-15", 410);
        assert_eq!(last["status"], "exited");
        assert_eq!(
            fetch_stay(app, &child).body["exit"]["exit_date"],
            "2024-04-10"
        );
    }

    fn the_whole_household_exits_together(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let partner = new_member(app, &world.program, &parent, "Morgan", ENTRY, 3);
        let child = member(app, &world.program, &parent, "Riley", "2024-03-05");
        let gone = member(app, &world.program, &parent, "Sam", ENTRY);
        exit_ok(app, &gone, "2024-03-20", 30);

        let response = world.exit(
            app,
            &parent,
            exit_body(
                "2024-04-15",
                410,
                json!({"household": true, "member_destinations": {child.id.clone(): 422}}),
            ),
        );
        response.assert_status(200);
        // The answer is the enrollment in the path.
        assert_eq!(response.body["id"], parent.id.as_str());
        assert_eq!(response.body["exit"]["destination"], 410);

        for (stay, destination) in [(&parent, 410), (&partner, 410), (&child, 422)] {
            let stored = fetch_stay(app, stay);
            let exited = &stored.body["exit"];
            assert_eq!(stored.body["status"], "exited", "{}", stored.describe());
            assert_eq!(exited["exit_date"], "2024-04-15", "{}", stored.describe());
            assert_eq!(exited["destination"], destination, "{}", stored.describe());
            assert_eq!(exited["exited_by"], "cm-dana", "{}", stored.describe());
            assert_eq!(exited["auto_exited"], false, "{}", stored.describe());
            assert_eq!(stored.body["version"], 2, "{}", stored.describe());
        }
        // Whoever had left already keeps their exit.
        let stored = fetch_stay(app, &gone);
        assert_eq!(stored.body["exit"]["exit_date"], "2024-03-20");
        assert_eq!(stored.body["exit"]["destination"], 30);
        assert_eq!(stored.body["version"], 2);

        let household = fetch_household(app, &parent.household);
        for member in household["members"].as_array().unwrap() {
            assert_eq!(member["status"], "exited", "{household}");
        }
    }

    fn a_member_may_exit_the_whole_household(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        let response = world.exit(
            app,
            &child,
            exit_body(
                "2024-04-15",
                435,
                json!({"household": true, "destination_subsidy_type": 439}),
            ),
        );
        response.assert_status(200);
        assert_eq!(response.body["id"], child.id.as_str());
        for stay in [&parent, &child] {
            let exited = fetch_stay(app, stay).body["exit"].clone();
            assert_eq!(exited["exit_date"], "2024-04-15");
            assert_eq!(exited["destination"], 435);
            assert_eq!(exited["destination_subsidy_type"], 439);
        }
    }

    fn a_member_destination_brings_its_own_details(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        let send = |extra: Value| {
            world.exit(
                app,
                &parent,
                exit_body("2024-04-15", 410, merged(json!({"household": true}), extra)),
            )
        };

        assert_invalid(
            &send(json!({"member_destinations": {child.id.clone(): 435}})),
            "destination_subsidy_type",
            "required",
        );
        assert_invalid(
            &send(json!({"member_destinations": {child.id.clone(): 17}})),
            "other_destination",
            "required",
        );
        assert_invalid_field(
            &send(json!({"member_destinations": {child.id.clone(): 999}})),
            "member_destinations",
        );
        assert_untouched(app, &parent);
        assert_untouched(app, &child);

        send(json!({
            "member_destinations": {child.id.clone(): 435},
            "destination_subsidy_type": 439,
        }))
        .assert_status(200);
        let head_exit = fetch_stay(app, &parent).body["exit"].clone();
        assert_eq!(head_exit["destination"], 410);
        assert_eq!(head_exit["destination_subsidy_type"], Value::Null);
        let child_exit = fetch_stay(app, &child).body["exit"].clone();
        assert_eq!(child_exit["destination"], 435);
        assert_eq!(child_exit["destination_subsidy_type"], 439);
    }

    fn a_whole_household_exit_checks_every_member(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", "2024-03-10");

        // The child entered after the exit date.
        let response = world.exit(
            app,
            &parent,
            exit_body("2024-03-05", 410, json!({"household": true})),
        );
        assert_rule(&response, "exit.before_entry");

        // The child has a service after the exit date.
        add_service(app, &child, "2024-03-25");
        let response = world.exit(
            app,
            &parent,
            exit_body("2024-03-20", 410, json!({"household": true})),
        );
        assert_rule(&response, "enrollment.dependents_outside_period");
        assert_untouched(app, &parent);
        assert_untouched(app, &child);

        world
            .exit(
                app,
                &parent,
                exit_body("2024-03-25", 410, json!({"household": true})),
            )
            .assert_status(200);
        assert_eq!(fetch_stay(app, &child).body["status"], "exited");
    }

    fn an_exit_keeps_the_services_inside_the_stay(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        add_service(app, &stay, "2024-03-05");
        add_service(app, &stay, "2024-03-20");

        let response = world.exit(app, &stay, exit_body("2024-03-10", 410, json!({})));
        assert_rule(&response, "enrollment.dependents_outside_period");
        assert_untouched(app, &stay);

        // A service on the exit date lies inside the stay.
        exit_ok(app, &stay, "2024-03-20", 410);
    }

    fn a_stale_if_match_is_refused(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let old = fetch_stay(app, &stay).etag().to_owned();
        app.patch(
            &stay.path(),
            Some(&app.admin_token()),
            &json!({"enrollment_coc": "CA-500"}),
        )
        .assert_status(200);
        let current = fetch_stay(app, &stay).etag().to_owned();
        assert_ne!(old, current);

        let body = exit_body("2024-04-15", 410, json!({}));
        let stale = app
            .request("POST", &stay.exit_path())
            .token(Some(&world.case_manager))
            .header("If-Match", &old)
            .json(&body)
            .send();
        assert_problem(&stale, 412, "precondition.failed");
        assert_eq!(fetch_stay(app, &stay).body["status"], "active");

        let fresh = app
            .request("POST", &stay.exit_path())
            .token(Some(&world.case_manager))
            .header("If-Match", &current)
            .json(&body)
            .send();
        fresh.assert_status(200);
        assert_eq!(fresh.etag(), "\"3-incomplete\"");

        // Reopening takes If-Match too.
        let stale = app
            .request("DELETE", &stay.exit_path())
            .token(Some(&world.case_manager))
            .header("If-Match", &current)
            .send();
        assert_problem(&stale, 412, "precondition.failed");
        assert_eq!(fetch_stay(app, &stay).body["status"], "exited");
        let fresh = app
            .request("DELETE", &stay.exit_path())
            .token(Some(&world.case_manager))
            .header("If-Match", "\"3\"")
            .send();
        fresh.assert_status(200);
        assert_eq!(fresh.etag(), "\"4-incomplete\"");
    }

    fn only_the_programs_writers_exit_and_reopen(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let body = exit_body("2024-04-15", 410, json!({}));

        assert_not_found(&exit(app, &world.stranger, &stay, &body));
        assert_forbidden(&exit(app, &world.viewer, &stay, &body));
        assert_untouched(app, &stay);
        // An unknown enrollment, or one under another client's path.
        let nobody = Stay {
            id: Uuid::now_v7().to_string(),
            ..stay.clone()
        };
        assert_not_found(&exit(app, &world.case_manager, &nobody, &body));
        let elsewhere = Stay {
            client: create_client(app, "Morgan"),
            ..stay.clone()
        };
        assert_not_found(&exit(app, &world.case_manager, &elsewhere, &body));
        assert_untouched(app, &stay);

        exit(app, &world.case_manager, &stay, &body).assert_status(200);
        assert_not_found(&reopen(app, &world.stranger, &stay));
        assert_forbidden(&reopen(app, &world.viewer, &stay));
        assert_eq!(fetch_stay(app, &stay).body["status"], "exited");
        reopen(app, &world.case_manager, &stay).assert_status(200);
    }

    fn an_exit_dry_run_writes_nothing(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        let path = format!("{}?dry_run=true", parent.exit_path());

        let response = app.post(
            &path,
            Some(&world.case_manager),
            &exit_body("2024-04-15", 410, json!({"household": true})),
        );
        response.assert_status(200);
        assert_eq!(response.body["status"], "exited");
        assert_eq!(response.body["exit"]["exit_date"], "2024-04-15");
        assert_eq!(response.body["exit"]["destination"], 410);
        assert_untouched(app, &parent);
        assert_untouched(app, &child);

        // A dry run answers the problem a real exit would.
        let alone = app.post(
            &path,
            Some(&world.case_manager),
            &exit_body("2024-04-15", 410, json!({})),
        );
        assert_rule(&alone, "household.members_active");
    }

    fn reopening_makes_the_enrollment_active_again(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        assert_rule(
            &reopen(app, &world.case_manager, &stay),
            "enrollment.not_exited",
        );
        assert_untouched(app, &stay);

        exit_ok(app, &stay, "2024-04-15", 410);
        let response = reopen(app, &world.case_manager, &stay);
        response.assert_status(200);
        assert_eq!(response.etag(), "\"3-incomplete\"");
        assert_eq!(response.body["id"], stay.id.as_str());
        assert_eq!(response.body["status"], "active");
        assert_eq!(response.body["exit"], Value::Null);
        assert_eq!(response.body["version"], 3);
        assert_eq!(response.body["updated_by"], "cm-dana");
        let stored = fetch_stay(app, &stay);
        assert_eq!(stored.etag(), "\"3-incomplete\"");
        assert_eq!(stored.body, response.body);
        assert_eq!(
            member_of(&fetch_household(app, &stay.household), &stay)["status"],
            "active"
        );

        assert_rule(
            &reopen(app, &world.case_manager, &stay),
            "enrollment.not_exited",
        );

        // Exited again, with another date.
        let again = exit_ok(app, &stay, "2024-05-01", 30);
        assert_eq!(again["exit"]["exit_date"], "2024-05-01");
    }

    fn a_reopened_stay_must_not_overlap_a_later_one(app: &TestApp) {
        let world = world(app);
        let first = head(app, &world.program, "Jordan", ENTRY);
        exit_ok(app, &first, "2024-04-01", 410);
        let later = Stay::from_body(&enroll_head(
            app,
            &first.client,
            &world.program,
            "2024-05-01",
        ));

        assert_rule(
            &reopen(app, &world.case_manager, &first),
            "enrollment.overlap",
        );
        assert_eq!(fetch_stay(app, &first).body["status"], "exited");

        // A deleted later stay is no obstacle.
        app.delete(&later.path(), Some(&app.admin_token()))
            .assert_status(204);
        reopen(app, &world.case_manager, &first).assert_status(200);
    }

    fn a_member_reopens_after_the_head(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        world
            .exit(
                app,
                &parent,
                exit_body("2024-04-15", 410, json!({"household": true})),
            )
            .assert_status(200);

        assert_rule(
            &reopen(app, &world.case_manager, &child),
            "household.members_active",
        );
        assert_eq!(fetch_stay(app, &child).body["status"], "exited");

        reopen(app, &world.case_manager, &parent).assert_status(200);
        reopen(app, &world.case_manager, &child).assert_status(200);
        let household = fetch_household(app, &parent.household);
        assert_eq!(member_of(&household, &parent)["status"], "active");
        assert_eq!(member_of(&household, &child)["status"], "active");
    }

    fn a_client_comes_back_once_to_a_household(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        exit_ok(app, &child, "2024-03-10", 312);
        // The child came back to the household as a new stay.
        let back = Stay::from_body(&enroll_member(
            app,
            &child.client,
            &world.program,
            &parent.household,
            "2024-03-10",
            2,
        ));

        // Reopened, the first stay would overlap the new one and put the child twice among
        // the active members: both rules are listed.
        let response = reopen(app, &world.case_manager, &child);
        assert_rule_among(&response, "enrollment.overlap");
        assert!(
            error_codes(&response)
                .iter()
                .any(|code| code == "household.client_duplicate"),
            "{}",
            response.describe()
        );
        assert_eq!(fetch_stay(app, &child).body["status"], "exited");
        assert_eq!(fetch_stay(app, &back).body["status"], "active");
    }

    fn a_full_program_reopens_nobody(app: &TestApp) {
        let world = world_with(app, json!({"capacity": 1}));
        let first = head(app, &world.program, "Jordan", ENTRY);
        exit_ok(app, &first, "2024-04-01", 410);
        let second = head(app, &world.program, "Morgan", "2024-04-01");

        assert_rule(
            &reopen(app, &world.case_manager, &first),
            "program.at_capacity",
        );
        assert_eq!(fetch_stay(app, &first).body["status"], "exited");

        // Room again once the other leaves.
        exit_ok(app, &second, "2024-04-10", 410);
        reopen(app, &world.case_manager, &first).assert_status(200);
    }

    fn a_reopen_dry_run_writes_nothing(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        let exited = exit_ok(app, &stay, "2024-04-15", 410);

        let path = format!("{}?dry_run=true", stay.exit_path());
        let response = app.delete(&path, Some(&world.case_manager));
        response.assert_status(200);
        assert_eq!(response.body["status"], "active");
        assert_eq!(response.body["exit"], Value::Null);

        let stored = fetch_stay(app, &stay);
        assert_eq!(stored.etag(), "\"2-incomplete\"");
        assert_eq!(stored.body, exited);

        // A dry run answers the problem a real reopen would.
        reopen(app, &world.case_manager, &stay).assert_status(200);
        assert_rule(
            &app.delete(&path, Some(&world.case_manager)),
            "enrollment.not_exited",
        );
    }

    fn a_household_lists_its_members(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", "2024-03-05");
        let partner = new_member(app, &world.program, &parent, "Morgan", "2024-03-02", 3);
        exit_ok(app, &partner, "2024-03-20", 410);

        let response = app.get(&household_path(&parent.household), Some(&world.viewer));
        response.assert_status(200);
        let body = &response.body;
        assert_eq!(body["id"], parent.household.as_str());
        assert_eq!(body["program_id"], world.program.as_str());
        assert_eq!(body["head_enrollment_id"], parent.id.as_str());
        let members = body["members"].as_array().expect("a members list");
        assert_eq!(members.len(), 3, "{body}");
        for (stay, relationship, entry, exit_date, status) in [
            (&parent, 1, ENTRY, Value::Null, "active"),
            (&child, 2, "2024-03-05", Value::Null, "active"),
            (&partner, 3, "2024-03-02", json!("2024-03-20"), "exited"),
        ] {
            let expected = json!({
                "enrollment_id": stay.id,
                "client_id": stay.client,
                "relationship_to_hoh": relationship,
                "entry_date": entry,
                "exit_date": exit_date,
                "status": status,
            });
            assert_eq!(member_of(body, stay), expected);
        }

        // A deleted member is gone from the household.
        app.delete(&child.path(), Some(&app.admin_token()))
            .assert_status(204);
        let after = fetch_household(app, &parent.household);
        assert_eq!(after["members"].as_array().unwrap().len(), 2, "{after}");
        assert_eq!(
            app.get(
                &household_path(&parent.household),
                Some(&world.case_manager)
            )
            .body,
            after
        );
    }

    fn an_unknown_or_hidden_household_is_not_found(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let path = household_path(&parent.household);
        assert_not_found(&app.get(&path, Some(&world.stranger)));
        assert_not_found(&app.get(
            &household_path(&Uuid::now_v7().to_string()),
            Some(&world.case_manager),
        ));
        // An enrollment id is not a household id.
        assert_not_found(&app.get(&household_path(&parent.id), Some(&world.case_manager)));
        let head_path = format!("{path}/head");
        let body = json!({"enrollment_id": parent.id, "previous_head_relationship": 2});
        assert_not_found(&app.put(&head_path, Some(&world.stranger), &body));
        assert_not_found(&app.put(
            &format!("{}/head", household_path(&Uuid::now_v7().to_string())),
            Some(&world.case_manager),
            &body,
        ));
    }

    fn a_change_of_head_hands_over_the_move_in(app: &TestApp) {
        let world = world_with(app, json!({"project_type": 3}));
        let move_in = json!({"move_in_date": "2024-03-10"});
        let parent = new_head(app, &world.program, "Jordan", ENTRY, move_in);
        let partner = new_member(app, &world.program, &parent, "Morgan", ENTRY, 3);
        let child = member(app, &world.program, &parent, "Riley", "2024-03-05");

        let response = change_head(
            app,
            &world.case_manager,
            &parent.household,
            &json!({"enrollment_id": partner.id, "previous_head_relationship": 3}),
        );
        response.assert_status(200);
        let body = &response.body;
        assert_eq!(body["id"], parent.household.as_str());
        assert_eq!(body["program_id"], world.program.as_str());
        assert_eq!(body["head_enrollment_id"], partner.id.as_str());
        assert_eq!(member_of(body, &partner)["relationship_to_hoh"], 1);
        assert_eq!(member_of(body, &parent)["relationship_to_hoh"], 3);
        assert_eq!(member_of(body, &child)["relationship_to_hoh"], 2);
        assert_eq!(&fetch_household(app, &parent.household), body);

        let new_head = fetch_stay(app, &partner);
        assert_eq!(new_head.body["relationship_to_hoh"], 1);
        assert_eq!(new_head.body["move_in_date"], "2024-03-10");
        assert_eq!(new_head.body["updated_by"], "cm-dana");
        let old_head = fetch_stay(app, &parent);
        assert_eq!(old_head.body["relationship_to_hoh"], 3);
        assert_eq!(old_head.body["move_in_date"], Value::Null);
        let untouched = fetch_stay(app, &child);
        assert_eq!(untouched.body["version"], 1);

        // The old head, a member now, may leave alone; the new head may not.
        assert_rule(
            &world.exit(app, &partner, exit_body("2024-04-15", 410, json!({}))),
            "household.members_active",
        );
        exit_ok(app, &parent, "2024-04-15", 410);
    }

    fn a_change_of_head_body_is_checked_on_its_own(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        let token = &world.case_manager;
        let send = |body: Value| change_head(app, token, &parent.household, &body);

        for relationship in [1, 99, 6] {
            assert_invalid_field(
                &send(
                    json!({"enrollment_id": child.id, "previous_head_relationship": relationship}),
                ),
                "previous_head_relationship",
            );
        }
        assert_invalid(
            &send(
                json!({"enrollment_id": child.id, "previous_head_relationship": 2, "reason": "x"}),
            ),
            "reason",
            "unknown_field",
        );
        assert_invalid(
            &send(json!({"previous_head_relationship": 2})),
            "enrollment_id",
            "required",
        );
        let stranger = head(app, &world.program, "Morgan", ENTRY);
        for outsider in [stranger.id.clone(), Uuid::now_v7().to_string()] {
            assert_invalid(
                &send(json!({"enrollment_id": outsider, "previous_head_relationship": 2})),
                "enrollment_id",
                "reference.not_found",
            );
        }
        assert_untouched(app, &parent);
        assert_untouched(app, &child);
        assert_untouched(app, &stranger);
    }

    fn a_change_of_head_keeps_the_household_rules(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let gone = member(app, &world.program, &parent, "Sam", ENTRY);
        let later = member(app, &world.program, &parent, "Riley", "2024-03-05");
        exit_ok(app, &gone, "2024-03-20", 410);

        assert_rule(
            &change_head(
                app,
                &world.case_manager,
                &parent.household,
                &json!({"enrollment_id": gone.id, "previous_head_relationship": 2}),
            ),
            "enrollment.already_exited",
        );
        assert_rule(
            &change_head(
                app,
                &world.case_manager,
                &parent.household,
                &json!({"enrollment_id": later.id, "previous_head_relationship": 2}),
            ),
            "household.member_before_head",
        );
        let household = fetch_household(app, &parent.household);
        assert_eq!(household["head_enrollment_id"], parent.id.as_str());
        assert_eq!(member_of(&household, &later)["relationship_to_hoh"], 2);
        assert_untouched(app, &parent);
        assert_untouched(app, &later);
    }

    fn only_the_programs_writers_change_the_head(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        let body = json!({"enrollment_id": child.id, "previous_head_relationship": 2});

        assert_forbidden(&change_head(app, &world.viewer, &parent.household, &body));
        assert_untouched(app, &parent);
        assert_untouched(app, &child);

        // A dry run answers what would be stored and writes nothing.
        let path = format!("{}/head?dry_run=true", household_path(&parent.household));
        let response = app.put(&path, Some(&world.case_manager), &body);
        response.assert_status(200);
        assert_eq!(response.body["head_enrollment_id"], child.id.as_str());
        assert_eq!(member_of(&response.body, &parent)["relationship_to_hoh"], 2);
        let household = fetch_household(app, &parent.household);
        assert_eq!(household["head_enrollment_id"], parent.id.as_str());
        assert_eq!(member_of(&household, &child)["relationship_to_hoh"], 2);
        assert_untouched(app, &parent);
        assert_untouched(app, &child);

        change_head(app, &world.case_manager, &parent.household, &body).assert_status(200);
        let household = fetch_household(app, &parent.household);
        assert_eq!(household["head_enrollment_id"], child.id.as_str());
    }

    fn an_edit_keeps_the_entry_before_the_exit(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        exit_ok(app, &stay, "2024-03-10", 410);
        let token = app.admin_token();

        let response = app.patch(
            &stay.path(),
            Some(&token),
            &json!({"entry_date": "2024-03-11"}),
        );
        assert_rule(&response, "exit.before_entry");
        assert_eq!(fetch_stay(app, &stay).body["entry_date"], ENTRY);

        let response = app.patch(
            &stay.path(),
            Some(&token),
            &json!({"entry_date": "2024-03-10"}),
        );
        response.assert_status(200);
        assert_eq!(response.body["entry_date"], "2024-03-10");
        assert_eq!(response.body["exit"]["exit_date"], "2024-03-10");
    }

    fn an_edit_keeps_the_services_inside_the_stay(app: &TestApp) {
        let world = world(app);
        let stay = head(app, &world.program, "Jordan", ENTRY);
        add_service(app, &stay, "2024-03-05");
        let token = app.admin_token();

        let response = app.patch(
            &stay.path(),
            Some(&token),
            &json!({"entry_date": "2024-03-06"}),
        );
        assert_rule(&response, "enrollment.dependents_outside_period");
        assert_untouched(app, &stay);

        let response = app.patch(
            &stay.path(),
            Some(&token),
            &json!({"entry_date": "2024-03-05"}),
        );
        response.assert_status(200);
        assert_eq!(response.body["entry_date"], "2024-03-05");
    }

    fn a_deleted_enrollment_frees_its_period(app: &TestApp) {
        let world = world(app);
        let token = app.admin_token();

        // An exited stay.
        let exited = head(app, &world.program, "Jordan", ENTRY);
        exit_ok(app, &exited, "2024-04-01", 410);
        let overlapping = enrollment_body(&world.program, "2024-03-15", 1);
        assert_rule(
            &post_enrollment(app, &token, &exited.client, &overlapping),
            "enrollment.overlap",
        );
        app.delete(&exited.path(), Some(&token)).assert_status(204);
        post_enrollment(app, &token, &exited.client, &overlapping).assert_status(201);

        // A head goes only once nobody else is active.
        let parent = head(app, &world.program, "Casey", ENTRY);
        let child = member(app, &world.program, &parent, "Riley", ENTRY);
        assert_rule(
            &app.delete(&parent.path(), Some(&token)),
            "household.members_active",
        );
        assert_untouched(app, &parent);
        exit_ok(app, &child, "2024-04-01", 312);
        app.delete(&parent.path(), Some(&token)).assert_status(204);
        let household = fetch_household(app, &parent.household);
        assert_eq!(household["head_enrollment_id"], Value::Null, "{household}");
        assert_eq!(members_of(&household).len(), 1, "{household}");

        // An active stay.
        let active = head(app, &world.program, "Morgan", ENTRY);
        let same = enrollment_body(&world.program, ENTRY, 1);
        assert_rule(
            &post_enrollment(app, &token, &active.client, &same),
            "enrollment.overlap",
        );
        app.delete(&active.path(), Some(&token)).assert_status(204);
        let again = post_enrollment(app, &token, &active.client, &same);
        again.assert_status(201);
        assert_ne!(id_of(&again.body), active.id);
        assert_not_found(&reopen(app, &token, &active));
        assert_not_found(&exit(
            app,
            &token,
            &active,
            &exit_body("2024-04-01", 410, json!({})),
        ));
    }
);

both_backends!(
    fn a_member_cannot_join_a_household_whose_head_has_exited(app: &TestApp) {
        let world = world(app);
        let parent = head(app, &world.program, "Jordan", ENTRY);
        exit_ok(app, &parent, "2024-04-15", 410);
        let client = create_client(app, "Riley");
        let body = member_body(&world.program, &parent.household, "2024-03-05", 2);
        let response = post_enrollment(app, &app.admin_token(), &client, &body);
        assert_eq!(response.status, 409, "{}", response.describe());
        let household = fetch_household(app, &parent.household);
        assert_eq!(members_of(&household).len(), 1, "{household}");
    }
);
