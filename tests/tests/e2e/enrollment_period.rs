//! What hangs off an enrollment lives inside its period: follow-ups made along with a new
//! enrollment, the organization's follow-up worklist, exits and entry-date changes that would
//! leave records outside, deletes that take the records along, and the auto-exit job.

use std::collections::BTreeSet;

use crate::common::*;
use chrono::Days;
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};
use threshold_api::usecases::auto_exit::{self, Outcome};
use threshold_domain::Date;
use threshold_persistence::records;
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};
use uuid::Uuid;

/// The stay records are made against: entry 2024-03-01.
const ENTRY: &str = "2024-03-01";

/// An organization with a program, its case manager, viewer and a staff member to assign
/// work to.
struct Organization {
    id: String,
    program: String,
    case_manager: String,
    viewer: String,
    staff: String,
}

fn organization(app: &TestApp, name: &str, sub: &str) -> Organization {
    let id = create_organization(app, name);
    Organization {
        program: create_program(app, &id, json!({})),
        case_manager: token_for(app, sub, Role::CaseManager, &id),
        viewer: token_for(app, &format!("{sub}-viewer"), Role::Viewer, &id),
        staff: create_user(app, &id),
        id,
    }
}

/// Street outreach of `organization`, whose stays are exited after 30 days without
/// activity.
fn idle_program(app: &TestApp, organization: &str) -> String {
    let outreach =
        json!({"name": "Harbor Street Outreach", "project_type": 4, "auto_exit_days": 30});
    create_program(app, organization, outreach)
}

/// Enrolls a new client as the head of a new household of `program` on [`ENTRY`]; answers
/// `(client_id, enrollment)`.
fn enrolled(app: &TestApp, program: &str, first_name: &str) -> (String, Value) {
    let client = create_client(app, first_name);
    let enrollment = enroll_head(app, &client, program, ENTRY);
    (client, enrollment)
}

/// `/v1/clients/{client}/enrollments/{id}` of an enrollment.
fn base(enrollment: &Value) -> String {
    let client = enrollment["client_id"].as_str().expect("a client_id");
    enrollment_path(client, &id_of(enrollment))
}

/// Creates a record under an enrollment (`collection` like `services`) as an admin.
fn record(app: &TestApp, enrollment: &Value, collection: &str, body: Value) -> String {
    let response = app.post(
        &format!("{}/{collection}", base(enrollment)),
        Some(&app.admin_token()),
        &body,
    );
    response.assert_status(201);
    id_of(&response.body)
}

fn service(app: &TestApp, enrollment: &Value, date: &str) -> String {
    record(
        app,
        enrollment,
        "services",
        json!({"date_provided": date, "record_type": 144, "type_provided": 1}),
    )
}

fn follow_up(app: &TestApp, enrollment: &Value, due: &str, assigned_to: Option<&str>) -> String {
    record(
        app,
        enrollment,
        "follow-ups",
        json!({"reason": "Check in", "due_date": due, "assigned_to": assigned_to}),
    )
}

/// An assessment of the enrollment's client dated `date`, linked to the enrollment.
fn linked_assessment(app: &TestApp, enrollment: &Value, date: &str) -> String {
    let client = enrollment["client_id"].as_str().expect("a client_id");
    let admin = app.admin_token();
    let response = app.post(
        &format!("/v1/clients/{client}/assessments"),
        Some(&admin),
        &json!({
            "assessment_date": date,
            "assessment_location": "Harbor Access Center",
            "assessment_type": 3,
            "assessment_level": 2,
            "prioritization_status": 1,
        }),
    );
    response.assert_status(201);
    let id = id_of(&response.body);
    app.request("PUT", &format!("{}/assessments/{id}", base(enrollment)))
        .token(Some(&admin))
        .send()
        .assert_status(200);
    id
}

fn fetch(app: &TestApp, path: &str) -> Value {
    let response = app.get(path, Some(&app.admin_token()));
    response.assert_status(200);
    response.body
}

/// The worklist as `token` sees it with `query` (`""` for none).
fn worklist(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    listed(app, token, &format!("/v1/follow-ups?{query}"))
}

/// A 409 `enrollment.dependents_outside_period` with one `errors` item per record, each
/// naming its record: `expected` holds `(collection, record id)`.
fn assert_outside(response: &Response, expected: &[(&str, &str)]) {
    let code = "enrollment.dependents_outside_period";
    assert_problem(response, 409, code);
    let items = response.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no `errors` list in {}", response.describe()));
    assert_eq!(
        items.len(),
        expected.len(),
        "one item per record expected in {}",
        response.describe()
    );
    for (collection, id) in expected {
        assert!(
            items.iter().any(|item| {
                item["code"] == code
                    && item["field"] == *collection
                    && item["message"]
                        .as_str()
                        .is_some_and(|message| message.contains(id))
            }),
            "expected an item on {collection} naming {id} in {}",
            response.describe()
        );
    }
}

fn exit(app: &TestApp, enrollment: &Value, date: &str) -> Response {
    app.post(
        &format!("{}/exit", base(enrollment)),
        Some(&app.admin_token()),
        &json!({"exit_date": date, "destination": 30}),
    )
}

/// Sets an enrollment's last change straight in the database: only for setting up stays
/// that have been idle for a while.
fn last_changed_on(app: &TestApp, enrollment: &Value, date: &str) {
    let id = Uuid::parse_str(&id_of(enrollment)).expect("an enrollment id");
    Date::parse(date).expect("a date YYYY-MM-DD");
    let mut connection = app.state().db.get().expect("a database connection");
    connection
        .batch_execute(&format!(
            "UPDATE enrollments SET updated_at = '{date} 12:00:00' WHERE id = '{id}'"
        ))
        .expect("the last change is written");
}

/// Today plus `days`, as the auto-exit job takes it.
fn as_of(days: u64) -> Date {
    Date::from(
        today()
            .checked_add_days(Days::new(days))
            .expect("a representable date"),
    )
}

fn run_auto_exit(app: &TestApp, as_of: Date, dry_run: bool) -> Vec<Outcome> {
    let mut heard = Vec::new();
    let outcomes = auto_exit::run(&app.state().db, as_of, dry_run, |outcome| {
        heard.push(outcome.clone())
    })
    .unwrap_or_else(|error| panic!("the auto-exit job failed: {error:?}"));
    assert_eq!(
        heard, outcomes,
        "every outcome is reported as it is decided"
    );
    outcomes
}

/// The enrollment's household's outcome, if the job decided one.
fn outcome_of<'a>(outcomes: &'a [Outcome], enrollment: &Value) -> Option<&'a Outcome> {
    let household = enrollment["household_id"].as_str().expect("a household_id");
    outcomes.iter().find(|outcome| match outcome {
        Outcome::Exited { household_id, .. } | Outcome::Skipped { household_id, .. } => {
            household_id.to_string() == household
        }
    })
}

both_backends!(
    fn enrollment_create_makes_follow_ups(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let client = create_client_as(app, &org.case_manager, "Jordan");
        let later = days_ahead(30);
        let body = json!({
            "program_id": org.program,
            "entry_date": ENTRY,
            "relationship_to_hoh": 1,
            "follow_ups": [
                {"reason": "Check in after the first week", "due_date": "2024-03-08",
                 "assigned_to": org.staff},
                {"reason": "  Review the housing plan  ", "due_date": later},
            ],
        });

        // A dry run makes nothing.
        let dry = app.post(
            &format!("{}?dry_run=true", enrollments_path(&client)),
            Some(&org.case_manager),
            &body,
        );
        dry.assert_status(200);
        assert_eq!(
            listed(app, &org.case_manager, &enrollments_path(&client)),
            Vec::<String>::new()
        );
        assert_eq!(worklist(app, &org.case_manager, ""), Vec::<String>::new());

        let response = post_enrollment(app, &org.case_manager, &client, &body);
        response.assert_status(201);
        let enrollment = response.body;
        let list = app.get(
            &format!("{}/follow-ups", base(&enrollment)),
            Some(&org.viewer),
        );
        list.assert_status(200);
        let items = list.body["data"].as_array().expect("a data list");
        assert_eq!(items.len(), 2, "{}", list.describe());
        let first = &items[0];
        assert_eq!(first["enrollment_id"], enrollment["id"]);
        assert_eq!(first["reason"], "Check in after the first week");
        assert_eq!(first["due_date"], "2024-03-08");
        assert_eq!(first["assigned_to"], org.staff.as_str());
        assert_eq!(first["completed_at"], Value::Null);
        assert_eq!(first["outcome"], Value::Null);
        assert_eq!(first["version"], 1);
        assert_eq!(first["created_by"], "casey");
        let second = &items[1];
        assert_eq!(second["reason"], "Review the housing plan");
        assert_eq!(second["due_date"], later.as_str());
        assert_eq!(second["assigned_to"], Value::Null);

        // They are work like any other follow-up.
        assert_eq!(
            worklist(app, &org.case_manager, ""),
            [id_of(first), id_of(second)]
        );
        let item = format!("{}/follow-ups/{}", base(&enrollment), id_of(first));
        assert_eq!(fetch(app, &item), *first);
    }

    fn follow_ups_on_create_are_checked(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let other = create_organization(app, "Bayside Outreach");
        let outsider = create_user(app, &other);
        let client = create_client_as(app, &org.case_manager, "Jordan");
        let token = org.case_manager.as_str();
        let body = |follow_ups: Value| {
            json!({
                "program_id": org.program,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "follow_ups": follow_ups,
            })
        };
        let nothing_stored = || {
            assert_eq!(
                listed(app, token, &enrollments_path(&client)),
                Vec::<String>::new()
            );
            assert_eq!(worklist(app, &app.admin_token(), ""), Vec::<String>::new());
        };

        let response = post_enrollment(
            app,
            token,
            &client,
            &body(json!([{"reason": "   ", "due_date": "2024-03-08"}])),
        );
        assert_invalid(&response, "follow_ups[0].reason", "blank");
        nothing_stored();

        for assignee in [Uuid::now_v7().to_string(), outsider] {
            let response = post_enrollment(
                app,
                token,
                &client,
                &body(json!([
                    {"reason": "Check in", "due_date": "2024-03-08", "assigned_to": org.staff},
                    {"reason": "Call back", "due_date": "2024-03-09", "assigned_to": assignee},
                ])),
            );
            assert_invalid(
                &response,
                "follow_ups[1].assigned_to",
                "reference.not_found",
            );
            nothing_stored();
        }

        // Due before the entry date: outside the period, and nothing is kept.
        for dry_run in ["", "?dry_run=true"] {
            let response = app.post(
                &format!("{}{dry_run}", enrollments_path(&client)),
                Some(token),
                &body(json!([
                    {"reason": "Check in", "due_date": "2024-03-08"},
                    {"reason": "Intake call", "due_date": "2024-02-29"},
                ])),
            );
            assert_problem(&response, 409, "enrollment.dependents_outside_period");
            nothing_stored();
        }

        // On the entry date is inside.
        let response = post_enrollment(
            app,
            token,
            &client,
            &body(json!([{"reason": "Intake call", "due_date": ENTRY}])),
        );
        response.assert_status(201);
        assert_eq!(worklist(app, token, "").len(), 1);
    }

    fn worklist_lists_the_callers_organization(app: &TestApp) {
        let a = organization(app, "Harbor Light", "casey");
        let b = organization(app, "Bayside Outreach", "bailey");
        let colleague = create_user(app, &a.id);
        let (_, first) = enrolled(app, &a.program, "Jordan");
        let (_, second) = enrolled(app, &a.program, "Avery");
        let (_, theirs) = enrolled(app, &b.program, "Rowan");

        let late = follow_up(app, &first, "2024-03-20", Some(&a.staff));
        let early = follow_up(app, &second, "2024-03-10", Some(&colleague));
        let tied_first = follow_up(app, &first, "2024-03-15", Some(&a.staff));
        let tied_second = follow_up(app, &second, "2024-03-15", None);
        let b_only = follow_up(app, &theirs, "2024-03-05", Some(&b.staff));

        // Soonest due first, then in the order they were made.
        let everything_of_a = [
            early.clone(),
            tied_first.clone(),
            tied_second.clone(),
            late.clone(),
        ];
        assert_eq!(worklist(app, &a.case_manager, ""), everything_of_a);
        assert_eq!(worklist(app, &a.viewer, ""), everything_of_a);
        assert_eq!(worklist(app, &b.case_manager, ""), [b_only.as_str()]);
        let mut everything = vec![b_only.clone()];
        everything.extend(everything_of_a.iter().cloned());
        assert_eq!(worklist(app, &app.admin_token(), ""), everything);

        // The response carries the follow-ups as they are read one by one.
        let page = app.get("/v1/follow-ups", Some(&b.case_manager));
        page.assert_status(200);
        assert_eq!(
            page.body["data"][0],
            fetch(app, &format!("{}/follow-ups/{b_only}", base(&theirs)))
        );

        // Filters.
        assert_eq!(
            worklist(app, &a.case_manager, &format!("assigned_to={}", a.staff)),
            [tied_first.clone(), late.clone()]
        );
        assert_eq!(
            worklist(app, &a.case_manager, &format!("assigned_to={}", b.staff)),
            Vec::<String>::new()
        );
        assert_eq!(
            worklist(app, &a.case_manager, "due_before=2024-03-15"),
            [early.as_str()]
        );
        assert_eq!(
            worklist(app, &a.case_manager, "due_before=2024-03-16"),
            [early.clone(), tied_first.clone(), tied_second.clone()]
        );
        assert_eq!(
            worklist(app, &a.case_manager, "due_before=2024-03-10"),
            Vec::<String>::new()
        );

        // Done is what has a completion time.
        let done = app.patch(
            &format!("{}/follow-ups/{tied_first}", base(&first)),
            Some(&a.case_manager),
            &json!({"completed_at": "2024-03-14T10:00:00Z", "outcome": "Reached by phone"}),
        );
        done.assert_status(200);
        assert_eq!(
            worklist(app, &a.case_manager, "status=open"),
            [early.clone(), tied_second.clone(), late.clone()]
        );
        assert_eq!(
            worklist(app, &a.case_manager, "status=done"),
            [tied_first.as_str()]
        );
        assert_eq!(
            worklist(
                app,
                &a.case_manager,
                &format!("status=open&assigned_to={}", a.staff)
            ),
            [late.as_str()]
        );
        assert_eq!(
            worklist(app, &a.case_manager, "status=done&due_before=2024-03-15"),
            Vec::<String>::new()
        );
        assert_eq!(worklist(app, &a.case_manager, ""), everything_of_a);

        // One at a time, through the cursor and the Link header.
        assert_eq!(
            ids_one_per_page(app, &a.case_manager, "/v1/follow-ups"),
            everything_of_a
        );
        // The Link header leads to the same next page, with the filters kept.
        let page = app.get("/v1/follow-ups?limit=1&status=open", Some(&a.case_manager));
        assert_eq!(ids_in(&page), [early.as_str()]);
        let link = page.next_link().expect("a next link");
        let start = link.find("/v1/").expect("a path in the link");
        let next = app.get(&link[start..], Some(&a.case_manager));
        assert_eq!(ids_in(&next), [tied_second.as_str()]);

        for query in [
            "status=bogus",
            "status=",
            "due_before=soon",
            "assigned_to=casey",
            "colour=red",
            "cursor=forged",
            "limit=0",
            "limit=201",
        ] {
            assert_problem(
                &app.get(&format!("/v1/follow-ups?{query}"), Some(&a.case_manager)),
                400,
                "request.malformed",
            );
        }
        assert_unauthenticated(&app.get("/v1/follow-ups", None));
    }

    fn exit_keeps_records_inside(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (_, enrollment) = enrolled(app, &org.program, "Jordan");
        let service = service(app, &enrollment, "2024-03-10");
        let goal = record(
            app,
            &enrollment,
            "goals",
            json!({"title": "Find work", "target_date": "2024-03-08"}),
        );
        let assessment = linked_assessment(app, &enrollment, "2024-03-12");
        let follow_up = follow_up(app, &enrollment, "2024-03-15", None);

        for dry_run in [false, true] {
            let path = format!(
                "{}/exit{}",
                base(&enrollment),
                if dry_run { "?dry_run=true" } else { "" }
            );
            let response = app.post(
                &path,
                Some(&org.case_manager),
                &json!({"exit_date": "2024-03-05", "destination": 30}),
            );
            assert_outside(
                &response,
                &[
                    ("services", &service),
                    ("goals", &goal),
                    ("assessments", &assessment),
                    ("follow_ups", &follow_up),
                ],
            );
        }
        assert_outside(
            &exit(app, &enrollment, "2024-03-12"),
            &[("follow_ups", &follow_up)],
        );
        assert_outside(
            &exit(app, &enrollment, "2024-03-14"),
            &[("follow_ups", &follow_up)],
        );
        let unchanged = fetch(app, &base(&enrollment));
        assert_eq!(unchanged["status"], "active");
        assert_eq!(unchanged["exit"], Value::Null);
        assert_eq!(unchanged["version"], 1);

        // On the last record's date the exit goes through.
        let response = exit(app, &enrollment, "2024-03-15");
        response.assert_status(200);
        assert_eq!(response.body["status"], "exited");
        assert_eq!(response.body["exit"]["exit_date"], "2024-03-15");
        assert_eq!(response.body["exit"]["destination"], 30);
        assert_eq!(response.body["exit"]["auto_exited"], false);
    }

    fn household_exit_keeps_every_members_records_inside(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (_, head) = enrolled(app, &org.program, "Jordan");
        let member_client = create_client_as(app, &org.case_manager, "Sam");
        let member = enroll_member(
            app,
            &member_client,
            &org.program,
            head["household_id"].as_str().expect("a household_id"),
            ENTRY,
            2,
        );
        let service = service(app, &member, "2024-03-10");
        let follow_up = follow_up(app, &head, "2024-03-12", None);
        let body = |date: &str| json!({"exit_date": date, "destination": 30, "household": true});
        let path = format!("{}/exit", base(&head));

        let response = app.post(&path, Some(&org.case_manager), &body("2024-03-05"));
        assert_outside(
            &response,
            &[("services", &service), ("follow_ups", &follow_up)],
        );
        let response = app.post(&path, Some(&org.case_manager), &body("2024-03-11"));
        assert_outside(&response, &[("follow_ups", &follow_up)]);
        assert_eq!(fetch(app, &base(&head)), head);
        assert_eq!(fetch(app, &base(&member)), member);

        let response = app.post(&path, Some(&org.case_manager), &body("2024-03-12"));
        response.assert_status(200);
        for enrollment in [&head, &member] {
            let exited = fetch(app, &base(enrollment));
            assert_eq!(exited["status"], "exited");
            assert_eq!(exited["exit"]["exit_date"], "2024-03-12");
        }
    }

    fn moving_the_entry_date_keeps_records_inside(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (_, enrollment) = enrolled(app, &org.program, "Jordan");
        let service = service(app, &enrollment, "2024-03-10");
        let assessment = linked_assessment(app, &enrollment, "2024-03-05");
        let path = base(&enrollment);
        let token = org.case_manager.as_str();

        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-03-11"}));
        assert_outside(
            &response,
            &[("services", &service), ("assessments", &assessment)],
        );
        let response = app.patch(
            &format!("{path}?dry_run=true"),
            Some(token),
            &json!({"entry_date": "2024-03-11"}),
        );
        assert_outside(
            &response,
            &[("services", &service), ("assessments", &assessment)],
        );
        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-03-06"}));
        assert_outside(&response, &[("assessments", &assessment)]);
        assert_eq!(fetch(app, &path), enrollment);

        // Earlier is always fine; onto the first record's date too.
        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-02-01"}));
        response.assert_status(200);
        assert_eq!(response.body["entry_date"], "2024-02-01");
        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-03-05"}));
        response.assert_status(200);
        assert_eq!(response.body["entry_date"], "2024-03-05");
    }

    fn deleting_an_enrollment_takes_its_records(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (client, enrollment) = enrolled(app, &org.program, "Jordan");
        let (_, neighbour) = enrolled(app, &org.program, "Avery");
        let service = service(app, &enrollment, "2024-03-10");
        let goal = record(app, &enrollment, "goals", json!({"title": "Find work"}));
        let step = record(
            app,
            &enrollment,
            &format!("goals/{goal}/action-steps"),
            json!({"description": "Update the résumé", "due_date": "2024-03-20"}),
        );
        let kept_follow_up = follow_up(app, &neighbour, "2024-03-16", Some(&org.staff));
        let follow_up = follow_up(app, &enrollment, "2024-03-15", Some(&org.staff));
        let assessment = linked_assessment(app, &enrollment, "2024-03-12");
        let token = org.case_manager.as_str();
        assert_eq!(
            worklist(app, token, ""),
            [follow_up.clone(), kept_follow_up.clone()]
        );

        app.delete(&base(&enrollment), Some(token))
            .assert_status(204);
        assert_not_found(&app.get(&base(&enrollment), Some(token)));

        // Its follow-ups leave the worklist; the neighbour's stay.
        assert_eq!(worklist(app, token, ""), [kept_follow_up.as_str()]);
        assert_eq!(
            worklist(
                app,
                &app.admin_token(),
                &format!("assigned_to={}", org.staff)
            ),
            [kept_follow_up]
        );

        // Its assessment stays with the client, unlinked.
        let path = format!("/v1/clients/{client}/assessments/{assessment}");
        let kept = fetch(app, &path);
        assert_eq!(kept["enrollment_id"], Value::Null);
        assert_eq!(kept["assessment_date"], "2024-03-12");
        let unlinked = format!("/v1/clients/{client}/assessments?unlinked=true");
        assert_eq!(listed_as_admin(app, &unlinked), [assessment.as_str()]);
        // The organization served the client through that stay only, and an admin created
        // the client: the organization no longer sees them (client privacy).
        assert_not_found(&app.get(&unlinked, Some(token)));

        // Nothing of the rest is left to read.
        for item in [
            format!("services/{service}"),
            format!("goals/{goal}"),
            format!("goals/{goal}/action-steps/{step}"),
            format!("follow-ups/{follow_up}"),
        ] {
            assert_not_found(&app.get(&format!("{}/{item}", base(&enrollment)), Some(token)));
        }
        let mut connection = app.state().db.get().expect("a database connection");
        let conn = &mut *connection;
        assert!(records::service::find(conn, service.parse().unwrap())
            .unwrap()
            .is_none());
        assert!(records::goal::find(conn, goal.parse().unwrap())
            .unwrap()
            .is_none());
        assert!(records::action_step::find(conn, step.parse().unwrap())
            .unwrap()
            .is_none());
        assert!(records::follow_up::find(conn, follow_up.parse().unwrap())
            .unwrap()
            .is_none());
        assert!(records::assessment::find(conn, assessment.parse().unwrap())
            .unwrap()
            .is_some());
    }

    fn auto_exit_exits_idle_households(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let idle = idle_program(app, &org.id);
        let program = fetch(app, &format!("/v1/programs/{idle}"));
        assert_eq!(program["auto_exit_days"], 30);

        // A household of two, a household of one, a household with a follow-up due later
        // (allowed while the stay is open), and someone in a program that never auto-exits.
        let (_, head) = enrolled(app, &idle, "Jordan");
        let member_client = create_client_as(app, &org.case_manager, "Sam");
        let member = enroll_member(app, &member_client, &idle, household_of(&head), ENTRY, 2);
        let (_, single) = enrolled(app, &idle, "Avery");
        let waiting_client = create_client_as(app, &org.case_manager, "Rowan");
        let due = days_ahead(60);
        let response = post_enrollment(
            app,
            &org.case_manager,
            &waiting_client,
            &json!({
                "program_id": idle,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "follow_ups": [{"reason": "Check in", "due_date": due}],
            }),
        );
        response.assert_status(201);
        let waiting = response.body;
        // The same when the follow-up is a member's.
        let (_, waiting_head) = enrolled(app, &idle, "Morgan");
        let waiting_member_client = create_client_as(app, &org.case_manager, "Casey");
        let response = post_enrollment(
            app,
            &org.case_manager,
            &waiting_member_client,
            &json!({
                "program_id": idle,
                "entry_date": ENTRY,
                "relationship_to_hoh": 2,
                "household_id": waiting_head["household_id"],
                "follow_ups": [{"reason": "Check in", "due_date": due}],
            }),
        );
        response.assert_status(201);
        let waiting_member = response.body;
        let (_, elsewhere) = enrolled(app, &org.program, "Quinn");
        let everyone = [
            &head,
            &member,
            &single,
            &waiting,
            &waiting_head,
            &waiting_member,
            &elsewhere,
        ];
        let unchanged = |app: &TestApp| {
            for enrollment in everyone {
                assert_eq!(fetch(app, &base(enrollment)), *enrollment);
            }
        };

        // Not idle long enough yet: the last change was today.
        assert_eq!(run_auto_exit(app, as_of(29), false), Vec::<Outcome>::new());
        unchanged(app);

        // A dry run decides and writes nothing.
        let dry = run_auto_exit(app, as_of(31), true);
        assert_eq!(dry.len(), 4, "{dry:?}");
        unchanged(app);

        let outcomes = run_auto_exit(app, as_of(31), false);
        assert_eq!(outcomes, dry);
        assert_eq!(outcomes.len(), 4, "{outcomes:?}");
        let today = Date::from(today());
        for (household, members) in [(&head, vec![&head, &member]), (&single, vec![&single])] {
            match outcome_of(&outcomes, household) {
                Some(Outcome::Exited {
                    program_id,
                    exit_date,
                    enrollment_ids,
                    ..
                }) => {
                    assert_eq!(program_id.to_string(), idle);
                    assert_eq!(*exit_date, today);
                    let expected: BTreeSet<String> = members.iter().map(|m| id_of(m)).collect();
                    let exited: BTreeSet<String> =
                        enrollment_ids.iter().map(ToString::to_string).collect();
                    assert_eq!(exited, expected);
                }
                other => panic!("expected the household to exit, got {other:?}"),
            }
            for enrollment in members {
                let exited = fetch(app, &base(enrollment));
                assert_eq!(exited["status"], "exited", "{exited}");
                assert_eq!(exited["exit"]["exit_date"], today.to_string());
                assert_eq!(exited["exit"]["destination"], 30);
                assert_eq!(exited["exit"]["auto_exited"], true);
                assert_eq!(exited["exit"]["exited_by"], "auto-exit");
                assert_eq!(exited["updated_by"], "auto-exit");
                assert_eq!(exited["version"], 2);
            }
        }
        for household in [&waiting, &waiting_head] {
            match outcome_of(&outcomes, household) {
                Some(Outcome::Skipped {
                    program_id, reason, ..
                }) => {
                    assert_eq!(program_id.to_string(), idle);
                    assert!(
                        reason.contains("enrollment.dependents_outside_period"),
                        "{reason}"
                    );
                }
                other => panic!("expected the household to be skipped, got {other:?}"),
            }
        }
        for enrollment in [&waiting, &waiting_head, &waiting_member] {
            assert_eq!(fetch(app, &base(enrollment)), *enrollment);
        }

        // A program without auto_exit_days is never touched, however long it idles.
        let much_later = run_auto_exit(app, as_of(3650), false);
        assert!(
            much_later.iter().all(|outcome| match outcome {
                Outcome::Exited { program_id, .. } | Outcome::Skipped { program_id, .. } =>
                    program_id.to_string() == idle,
            }),
            "{much_later:?}"
        );
        assert_eq!(fetch(app, &base(&elsewhere)), elsewhere);
        assert_eq!(fetch(app, &base(&waiting)), waiting);
    }

    fn auto_exit_dates_the_exit_on_the_last_activity(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let idle = idle_program(app, &org.id);
        // A household whose members were last served on different days, both long ago.
        let (_, head) = enrolled(app, &idle, "Jordan");
        let member_client = create_client_as(app, &org.case_manager, "Sam");
        let member = enroll_member(app, &member_client, &idle, household_of(&head), ENTRY, 2);
        service(app, &head, "2024-04-10");
        service(app, &member, "2024-05-01");
        // Someone never served, last changed a day after entering.
        let (_, single) = enrolled(app, &idle, "Avery");
        last_changed_on(app, &head, "2024-03-01");
        last_changed_on(app, &member, "2024-03-01");
        last_changed_on(app, &single, "2024-03-02");

        let outcomes = run_auto_exit(app, as_of(0), false);
        assert_eq!(outcomes.len(), 2, "{outcomes:?}");
        for (household, members, exit_date) in [
            (&head, vec![&head, &member], "2024-05-01"),
            (&single, vec![&single], "2024-03-02"),
        ] {
            match outcome_of(&outcomes, household) {
                Some(Outcome::Exited {
                    exit_date: decided, ..
                }) => assert_eq!(decided.to_string(), exit_date),
                other => panic!("expected the household to exit, got {other:?}"),
            }
            for enrollment in members {
                let exited = fetch(app, &base(enrollment));
                assert_eq!(exited["status"], "exited", "{exited}");
                assert_eq!(exited["exit"]["exit_date"], exit_date);
                assert_eq!(exited["exit"]["destination"], 30);
                assert_eq!(exited["exit"]["auto_exited"], true);
            }
        }
        // Nothing is left to exit.
        assert_eq!(run_auto_exit(app, as_of(0), false), Vec::<Outcome>::new());
    }
);

both_backends!(
    fn deleting_with_dry_run_deletes_nothing(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (_, enrollment) = enrolled(app, &org.program, "Jordan");
        let follow_up = follow_up(app, &enrollment, "2024-03-15", None);
        let token = org.case_manager.as_str();

        // Either a dry run (2xx, nothing written) or a refused parameter (400): never a write.
        for query in ["dry_run=true", "colour=red"] {
            let response = app.delete(&format!("{}?{query}", base(&enrollment)), Some(token));
            assert!(
                response.status == 400 || (200..300).contains(&response.status),
                "{}",
                response.describe()
            );
            assert_eq!(fetch(app, &base(&enrollment)), enrollment, "after ?{query}");
            assert_eq!(worklist(app, token, ""), [follow_up.as_str()]);
        }
    }
);

both_backends!(
    fn create_lists_every_broken_rule(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let client = create_client_as(app, &org.case_manager, "Jordan");
        let admin = app.admin_token();
        let response = app.post(
            &format!("/v1/clients/{client}/assessments"),
            Some(&admin),
            &json!({
                "assessment_date": "2024-02-20",
                "assessment_location": "Harbor Access Center",
                "assessment_type": 3,
                "assessment_level": 2,
                "prioritization_status": 1,
            }),
        );
        response.assert_status(201);
        let early = id_of(&response.body);

        let response = post_enrollment(
            app,
            &org.case_manager,
            &client,
            &json!({
                "program_id": org.program,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "assessment_ids": [early],
                "follow_ups": [{"reason": "Intake call", "due_date": "2024-02-29"}],
            }),
        );
        assert_problem(&response, 409, "enrollment.dependents_outside_period");
        let codes: BTreeSet<String> = error_codes(&response).into_iter().collect();
        assert!(
            codes.contains("assessment.outside_enrollment")
                && codes.contains("enrollment.dependents_outside_period"),
            "{}",
            response.describe()
        );
        assert_eq!(
            listed(app, &admin, &enrollments_path(&client)),
            Vec::<String>::new()
        );
    }
);

/// HUD's records of an enrollment (`segment` like `income-benefits`), as an admin.
fn hud_record(app: &TestApp, enrollment: &Value, segment: &str, body: Value) -> String {
    record(app, enrollment, segment, body)
}

/// A `record.stage_date` item on `collection` naming the record `id`, in a 409.
fn names_stage_date(response: &Response, collection: &str, id: &str) -> bool {
    response.body["errors"].as_array().is_some_and(|items| {
        items.iter().any(|item| {
            item["code"] == "record.stage_date"
                && item["field"] == collection
                && item["message"]
                    .as_str()
                    .is_some_and(|message| message.contains(id))
        })
    })
}

both_backends!(
    fn hud_records_keep_an_exit_inside(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (_, enrollment) = enrolled(app, &org.program, "Jordan");
        let contact = hud_record(
            app,
            &enrollment,
            "current-living-situations",
            json!({"information_date": "2024-04-10", "current_living_situation": 116}),
        );
        let update = hud_record(
            app,
            &enrollment,
            "income-benefits",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "income_from_any_source": 0}),
        );
        for dry_run in ["", "?dry_run=true"] {
            let response = app.post(
                &format!("{}/exit{dry_run}", base(&enrollment)),
                Some(&org.case_manager),
                &json!({"exit_date": "2024-03-20", "destination": 30}),
            );
            assert_outside(
                &response,
                &[
                    ("current_living_situations", &contact),
                    ("income_benefits", &update),
                ],
            );
        }
        assert_outside(
            &exit(app, &enrollment, "2024-04-09"),
            &[("current_living_situations", &contact)],
        );
        assert_eq!(fetch(app, &base(&enrollment)), enrollment);
        // On the last record's date the exit goes through.
        exit(app, &enrollment, "2024-04-10").assert_status(200);
    }

    fn a_project_start_record_keeps_the_entry_date(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let (_, enrollment) = enrolled(app, &org.program, "Jordan");
        let path = base(&enrollment);
        let token = org.case_manager.as_str();
        let start = hud_record(
            app,
            &enrollment,
            "income-benefits",
            json!({"information_date": ENTRY, "data_collection_stage": 1,
                   "income_from_any_source": 0}),
        );
        let update = hud_record(
            app,
            &enrollment,
            "disabilities",
            json!({"information_date": "2024-03-05", "data_collection_stage": 2,
                   "disability_type": 5, "disability_response": 0}),
        );

        // Later: both records fall outside, and the project start is no longer the entry.
        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-03-06"}));
        assert_problem(&response, 409, "enrollment.dependents_outside_period");
        assert_eq!(
            error_codes(&response),
            [
                "enrollment.dependents_outside_period",
                "enrollment.dependents_outside_period",
                "record.stage_date"
            ],
            "{}",
            response.describe()
        );
        let outside = |collection: &str, id: &str| {
            response.body["errors"].as_array().is_some_and(|items| {
                items.iter().any(|item| {
                    item["code"] == "enrollment.dependents_outside_period"
                        && item["field"] == collection
                        && item["message"]
                            .as_str()
                            .is_some_and(|text| text.contains(id))
                })
            })
        };
        assert!(
            outside("income_benefits", &start),
            "{}",
            response.describe()
        );
        assert!(outside("disabilities", &update), "{}", response.describe());
        assert!(
            names_stage_date(&response, "income_benefits", &start),
            "{}",
            response.describe()
        );
        // Earlier, even with a dry run: the project-start record would no longer be dated
        // the entry date, and records are moved by nothing.
        for dry_run in ["", "?dry_run=true"] {
            let response = app.patch(
                &format!("{path}{dry_run}"),
                Some(token),
                &json!({"entry_date": "2024-02-20"}),
            );
            assert_problem(&response, 409, "record.stage_date");
            assert_eq!(error_codes(&response), ["record.stage_date"]);
            assert!(
                names_stage_date(&response, "income_benefits", &start),
                "{}",
                response.describe()
            );
        }
        assert_eq!(fetch(app, &path), enrollment);
        assert_eq!(
            fetch(app, &format!("{path}/income-benefits/{start}"))["information_date"],
            ENTRY
        );

        // Once the project-start record is gone, the entry date moves earlier, and later up
        // to the first record left.
        app.delete(&format!("{path}/income-benefits/{start}"), Some(token))
            .assert_status(204);
        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-02-20"}));
        response.assert_status(200);
        assert_outside(
            &app.patch(&path, Some(token), &json!({"entry_date": "2024-03-06"})),
            &[("disabilities", &update)],
        );
        let response = app.patch(&path, Some(token), &json!({"entry_date": "2024-03-05"}));
        response.assert_status(200);
        assert_eq!(response.body["entry_date"], "2024-03-05");
    }

    fn auto_exit_leaves_a_household_with_a_later_hud_record(app: &TestApp) {
        let org = organization(app, "Harbor Light", "casey");
        let idle = idle_program(app, &org.id);
        let (_, enrollment) = enrolled(app, &idle, "Jordan");
        hud_record(
            app,
            &enrollment,
            "current-living-situations",
            json!({"information_date": "2024-05-01", "current_living_situation": 116}),
        );
        last_changed_on(app, &enrollment, "2024-03-01");
        let outcomes = run_auto_exit(app, as_of(0), false);
        match outcome_of(&outcomes, &enrollment) {
            Some(Outcome::Skipped { reason, .. }) => assert!(
                reason.contains("enrollment.dependents_outside_period")
                    && reason.contains("current_living_situations"),
                "{reason}"
            ),
            other => panic!("expected the household to be skipped, got {other:?}"),
        }
        assert_eq!(fetch(app, &base(&enrollment))["status"], "active");
    }
);
