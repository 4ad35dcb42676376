//! `GET /v1/audit-events`: one event for every write, written in the write's transaction.
//! Creates of every kind of record carry every field's new value; edits carry exactly the
//! changed fields' old and new values; deletes, exits, reopens, links and unlinks have
//! actions of their own, and deleting an enrollment records each record it takes along.
//! The client's full SSN is never in an event. Filters, pages, who sees which events, and
//! writes that fail or only pretend (dry runs, replays) leave nothing.

use std::collections::BTreeSet;

use crate::common::*;
use chrono::{DateTime, Days, TimeDelta, Utc};
use serde_json::{json, Value};
use threshold_api::usecases::auto_exit;
use threshold_domain::Date;
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};
use uuid::Uuid;

/// The entry date of every stay below.
const ENTRY: &str = "2024-03-01";

/// The client's full SSN, and the one it is changed to: neither may be in any event.
const SSN: &str = "271828182";
const NEW_SSN: &str = "314159265";

/// Fields every write changes, which events do not list.
const BOOKKEEPING: [&str; 3] = ["version", "updated_at", "updated_by"];

/// An organization with a shelter, its case manager (`cm-dana`), a staff member to assign
/// work to, and a client enrolled by the case manager.
struct World {
    organization: String,
    program: String,
    case_manager: String,
    staff: String,
    client: String,
    enrollment: Value,
}

impl World {
    fn enrollment_id(&self) -> String {
        id_of(&self.enrollment)
    }

    /// `/v1/clients/{client}/enrollments/{enrollment}`.
    fn base(&self) -> String {
        enrollment_path(&self.client, &self.enrollment_id())
    }
}

fn world(app: &TestApp, name: &str, case_manager_sub: &str) -> World {
    let organization = create_organization(app, name);
    let program = create_program(app, &organization, json!({}));
    let staff = create_user(app, &organization);
    let case_manager = token_for(app, case_manager_sub, Role::CaseManager, &organization);
    let client = create_client_as(app, &case_manager, "Jordan");
    let response = post_enrollment(
        app,
        &case_manager,
        &client,
        &enrollment_body(&program, ENTRY, 1),
    );
    response.assert_status(201);
    World {
        organization,
        program,
        case_manager,
        staff,
        client,
        enrollment: response.body,
    }
}

fn created(response: Response) -> Value {
    response.assert_status(201);
    response.body
}

fn ok(response: Response) -> Value {
    response.assert_status(200);
    response.body
}

/// A timestamp among an event's changes: RFC 3339, or without an offset (read as UTC; see
/// `timestamps_in_changes_are_rfc3339_in_utc`).
fn instant(value: &Value) -> DateTime<Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {value}"));
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .map(|at| at.and_utc())
        })
        .unwrap_or_else(|error| panic!("`{text}` is not a timestamp: {error}"))
}

fn events_path(query: &str) -> String {
    with_query("/v1/audit-events", query)
}

/// Every event `token` may see that `query` selects, following `next_cursor` with pages
/// of `limit`; checks on the way that `Link` names the same next page. Answers the events
/// and every page's text.
fn walk_events(app: &TestApp, token: &str, query: &str, limit: u32) -> (Vec<Value>, String) {
    let base = if query.is_empty() {
        format!("limit={limit}")
    } else {
        format!("{query}&limit={limit}")
    };
    let mut events = Vec::new();
    let mut text = String::new();
    for page in pages(app, token, &events_path(&base)) {
        let items = items(&page);
        assert!(items.len() <= limit as usize, "{}", page.describe());
        events.extend(items);
        text.push_str(&page.text);
    }
    (events, text)
}

/// Every event `token` may see that `query` selects.
fn events(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    walk_events(app, token, query, 200).0
}

/// The events of one record, as an admin sees them, oldest first.
fn events_of(app: &TestApp, entity_type: &str, id: &str) -> Vec<Value> {
    events(
        app,
        &app.admin_token(),
        &format!("entity_type={entity_type}&entity_id={id}"),
    )
}

/// The ids of every event there is.
fn all_event_ids(app: &TestApp) -> BTreeSet<String> {
    events(app, &app.admin_token(), "")
        .iter()
        .map(id_of)
        .collect()
}

/// The events recorded while `write` ran, oldest first.
fn events_during(app: &TestApp, write: impl FnOnce()) -> Vec<Value> {
    let before = all_event_ids(app);
    write();
    events(app, &app.admin_token(), "")
        .into_iter()
        .filter(|event| !before.contains(&id_of(event)))
        .collect()
}

/// Sends a write that must leave no event, answering its response.
fn without_events(app: &TestApp, what: &str, write: impl FnOnce() -> Response) -> Response {
    let mut response = None;
    let during = events_during(app, || response = Some(write()));
    let response = response.expect("the write was sent");
    assert_eq!(
        during,
        Vec::<Value>::new(),
        "{what} ({}) left events",
        response.describe()
    );
    response
}

/// The event names `action` on the record, by `actor`.
fn assert_event(event: &Value, action: &str, entity_type: &str, entity_id: &str, actor: &str) {
    assert_eq!(event["action"], action, "{event}");
    assert_eq!(event["entity_type"], entity_type, "{event}");
    assert_eq!(event["entity_id"], entity_id, "{event}");
    assert_eq!(event["actor"], actor, "{event}");
    timestamp(&event["at"]);
    assert!(
        Uuid::parse_str(event["id"].as_str().unwrap_or("")).is_ok(),
        "{event}"
    );
    assert!(event["changes"].is_object(), "{event}");
}

/// The names of the fields an event lists.
fn changed_fields(event: &Value) -> BTreeSet<String> {
    event["changes"]
        .as_object()
        .unwrap_or_else(|| panic!("no `changes` object in {event}"))
        .keys()
        .cloned()
        .collect()
}

fn names(fields: &[&str]) -> BTreeSet<String> {
    fields.iter().map(|field| (*field).to_owned()).collect()
}

/// The record's one event, a create by `actor` at its `created_at`, listing `fields` new
/// with the values the record reads with and nothing old.
fn assert_created(
    app: &TestApp,
    entity_type: &str,
    record: &Value,
    actor: &str,
    fields: &[&str],
) -> Value {
    let id = id_of(record);
    let found = events_of(app, entity_type, &id);
    assert_eq!(found.len(), 1, "one event for the {entity_type}: {found:?}");
    let event = found[0].clone();
    assert_event(&event, "create", entity_type, &id, actor);
    assert_eq!(
        timestamp(&event["at"]),
        timestamp(&record["created_at"]),
        "{event}"
    );
    let changes = &event["changes"];
    for field in fields {
        assert_eq!(
            changes[*field],
            json!({"old": null, "new": record[*field]}),
            "`{field}` of the {entity_type} create: {event}"
        );
    }
    assert_eq!(changes["created_by"], json!({"old": null, "new": actor}));
    for (field, change) in changes.as_object().unwrap() {
        assert_eq!(
            change["old"],
            Value::Null,
            "`{field}` has no old value: {event}"
        );
    }
    for field in BOOKKEEPING {
        assert!(changes.get(field).is_none(), "`{field}` is listed: {event}");
    }
    event
}

/// The record's last event, and the only one since `before` events: `action` by `actor`
/// at the record's `updated_at`, listing exactly `changes` as `(field, old, new)`.
fn assert_changed(
    app: &TestApp,
    entity_type: &str,
    record: &Value,
    before: usize,
    action: &str,
    actor: &str,
    changes: &[(&str, Value, Value)],
) -> Value {
    let id = id_of(record);
    let found = events_of(app, entity_type, &id);
    assert_eq!(
        found.len(),
        before + 1,
        "one more event for the {entity_type}: {found:?}"
    );
    let event = found[before].clone();
    assert_event(&event, action, entity_type, &id, actor);
    assert_eq!(
        timestamp(&event["at"]),
        timestamp(&record["updated_at"]),
        "{event}"
    );
    let expected: BTreeSet<String> = changes
        .iter()
        .map(|(field, _, _)| (*field).to_owned())
        .collect();
    assert_eq!(changed_fields(&event), expected, "{event}");
    for (field, old, new) in changes {
        assert_eq!(
            event["changes"][*field],
            json!({"old": old, "new": new}),
            "`{field}`: {event}"
        );
    }
    event
}

/// The last event of a record that is gone from reads: a `delete` by `actor` listing
/// only `deleted_at`, newly set.
fn assert_deleted(app: &TestApp, entity_type: &str, id: &str, before: usize, actor: &str) {
    let found = events_of(app, entity_type, id);
    assert_eq!(
        found.len(),
        before + 1,
        "one more event for the {entity_type}: {found:?}"
    );
    let event = &found[before];
    assert_event(event, "delete", entity_type, id, actor);
    assert_eq!(changed_fields(event), names(&["deleted_at"]), "{event}");
    assert_eq!(event["changes"]["deleted_at"]["old"], Value::Null);
    instant(&event["changes"]["deleted_at"]["new"]);
}

/// Neither the SSN nor the one it became appears anywhere in the trail.
fn assert_no_ssn(app: &TestApp) {
    let (events, text) = walk_events(app, &app.admin_token(), "", 7);
    assert!(!events.is_empty());
    for ssn in [SSN, NEW_SSN] {
        let dashed = format!("{}-{}-{}", &ssn[..3], &ssn[3..5], &ssn[5..]);
        assert!(
            !text.contains(ssn) && !text.contains(&dashed),
            "the full SSN {ssn} is in the audit trail: {text}"
        );
    }
    for event in &events {
        assert!(event["changes"].get("ssn").is_none(), "{event}");
    }
}

/// The records of one enrollment: a service, a goal with an action step, a follow-up and
/// a linked assessment, made by the world's case manager.
struct Records {
    service: Value,
    goal: Value,
    action_step: Value,
    follow_up: Value,
    assessment: Value,
}

fn records(app: &TestApp, world: &World) -> Records {
    let token = world.case_manager.as_str();
    let base = world.base();
    let service = created(app.post(
        &format!("{base}/services"),
        Some(token),
        &json!({
            "date_provided": "2024-03-05",
            "record_type": 144,
            "type_provided": 1,
            "fa_amount": 125.5,
            "note": "Housing search",
        }),
    ));
    let goal = created(app.post(
        &format!("{base}/goals"),
        Some(token),
        &json!({
            "title": "Move into permanent housing",
            "description": "A one-bedroom near the bus line",
            "status": "open",
            "target_date": "2024-09-01",
        }),
    ));
    let action_step = created(app.post(
        &format!("{base}/goals/{}/action-steps", id_of(&goal)),
        Some(token),
        &json!({
            "description": "Update the résumé",
            "assigned_to": world.staff,
            "due_date": "2024-04-01",
        }),
    ));
    let follow_up = created(app.post(
        &format!("{base}/follow-ups"),
        Some(token),
        &json!({
            "reason": "Check in after the first week",
            "due_date": "2024-03-08",
            "assigned_to": world.staff,
        }),
    ));
    let assessment = created(app.post(
        &format!("/v1/clients/{}/assessments", world.client),
        Some(token),
        &json!({
            "assessment_date": "2024-03-02",
            "assessment_location": "Harbor Access Center",
            "assessment_type": 3,
            "assessment_level": 2,
            "prioritization_status": 1,
            "answers": [{"question": "Nights homeless in the last 3 years", "answer": "120"}],
        }),
    ));
    let assessment = ok(app.put(
        &format!("{base}/assessments/{}", id_of(&assessment)),
        Some(token),
        &json!({}),
    ));
    Records {
        service,
        goal,
        action_step,
        follow_up,
        assessment,
    }
}

both_backends!(
    fn every_create_leaves_one_create_event(app: &TestApp) {
        let admin = app.admin_token();
        let organization = created(app.post(
            "/v1/organizations",
            Some(&admin),
            &json!({"name": "Harbor Light", "victim_service_provider": true}),
        ));
        assert_created(
            app,
            "organization",
            &organization,
            "test-admin",
            &["name", "victim_service_provider", "created_by"],
        );
        let organization_id = id_of(&organization);
        let program = created(app.post(
            "/v1/programs",
            Some(&admin),
            &json!({
                "organization_id": organization_id,
                "name": "Harbor Shelter",
                "project_type": 0,
                "operating_start_date": "2020-01-01",
                "capacity": 40,
                "auto_exit_days": 90,
            }),
        ));
        assert_created(
            app,
            "program",
            &program,
            "test-admin",
            &[
                "organization_id",
                "name",
                "project_type",
                "operating_start_date",
                "operating_end_date",
                "continuum_project",
                "capacity",
                "auto_exit_days",
            ],
        );
        let program_id = id_of(&program);
        let grant = created(app.post(
            &format!("/v1/programs/{program_id}/grants"),
            Some(&admin),
            &json!({
                "funder": 2,
                "grant_identifier": "CA0001L9T001",
                "start_date": "2024-01-01",
            }),
        ));
        assert_created(
            app,
            "grant",
            &grant,
            "test-admin",
            &[
                "program_id",
                "funder",
                "other_funder",
                "grant_identifier",
                "start_date",
                "end_date",
            ],
        );
        let user = created(app.post(
            "/v1/users",
            Some(&admin),
            &json!({
                "organization_id": organization_id,
                "first_name": "Dana",
                "last_name": "Reyes",
                "email": "dana.reyes@example.org",
            }),
        ));
        assert_created(
            app,
            "user",
            &user,
            "test-admin",
            &["organization_id", "first_name", "last_name", "email"],
        );
        // Created by a case manager of the organization, which sees the client it created.
        let case_manager = token_for(app, "cm-dana", Role::CaseManager, &organization_id);
        let client = created(app.post(
            "/v1/clients",
            Some(&case_manager),
            &json!({
                "first_name": "Jordan",
                "middle_name": "Avery",
                "last_name": "Lee",
                "ssn": SSN,
                "ssn_data_quality": 1,
                "dob": "1980-01-01",
                "dob_data_quality": 1,
                "sex": 1,
                "race_ethnicity": ["asian", "white"],
                "veteran_status": 0,
            }),
        ));
        let event = assert_created(
            app,
            "client",
            &client,
            "cm-dana",
            &[
                "first_name",
                "middle_name",
                "last_name",
                "name_suffix",
                "name_data_quality",
                "ssn_last4",
                "ssn_data_quality",
                "dob",
                "dob_data_quality",
                "sex",
                "veteran_status",
            ],
        );
        assert_eq!(event["changes"]["ssn_last4"]["new"], "8182");
        // The organization that created the client, which the privacy rule reads.
        assert_eq!(
            event["changes"]["organization_id"],
            json!({"old": null, "new": organization_id})
        );
        assert!(event["changes"].get("ssn").is_none(), "{event}");
        let client_id = id_of(&client);

        // The enrollment and everything under it, by the same case manager.
        let enrollment = created(post_enrollment(
            app,
            &case_manager,
            &client_id,
            &json!({
                "program_id": program_id,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "grant_id": id_of(&grant),
                "case_manager_id": id_of(&user),
                "enrollment_coc": "CA-500",
                "disabling_condition": 0,
                "prior_living_situation": 116,
                "length_of_stay": 4,
            }),
        ));
        assert_created(
            app,
            "enrollment",
            &enrollment,
            "cm-dana",
            &[
                "client_id",
                "program_id",
                "household_id",
                "relationship_to_hoh",
                "entry_date",
                "grant_id",
                "case_manager_id",
                "enrollment_coc",
                "disabling_condition",
                "prior_living_situation",
                "length_of_stay",
                "move_in_date",
                "deleted_at",
            ],
        );
        // The new household it started.
        let household = enrollment["household_id"].as_str().unwrap();
        let found = events_of(app, "household", household);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_event(&found[0], "create", "household", household, "cm-dana");
        assert_eq!(
            found[0]["changes"]["program_id"],
            json!({"old": null, "new": program_id})
        );

        let world = World {
            organization: organization_id.clone(),
            program: program_id.clone(),
            case_manager: case_manager.clone(),
            staff: id_of(&user),
            client: client_id.clone(),
            enrollment,
        };
        let records = records(app, &world);
        assert_created(
            app,
            "service",
            &records.service,
            "cm-dana",
            &[
                "enrollment_id",
                "date_provided",
                "record_type",
                "type_provided",
                "other_type_provided",
                "note",
            ],
        );
        assert_created(
            app,
            "goal",
            &records.goal,
            "cm-dana",
            &[
                "enrollment_id",
                "title",
                "description",
                "status",
                "target_date",
                "closed_date",
            ],
        );
        assert_created(
            app,
            "action_step",
            &records.action_step,
            "cm-dana",
            &[
                "goal_id",
                "enrollment_id",
                "description",
                "assigned_to",
                "due_date",
                "completed_date",
            ],
        );
        assert_created(
            app,
            "follow_up",
            &records.follow_up,
            "cm-dana",
            &[
                "enrollment_id",
                "reason",
                "due_date",
                "assigned_to",
                "outcome",
            ],
        );
        // The assessment was created, then linked: two events.
        let assessment_id = id_of(&records.assessment);
        let found = events_of(app, "assessment", &assessment_id);
        assert_eq!(found.len(), 2, "{found:?}");
        let create = &found[0];
        assert_event(create, "create", "assessment", &assessment_id, "cm-dana");
        for field in [
            "client_id",
            "assessment_date",
            "assessment_location",
            "assessment_type",
            "assessment_level",
            "prioritization_status",
        ] {
            assert_eq!(
                create["changes"][field],
                json!({"old": null, "new": records.assessment[field]}),
                "`{field}`: {create}"
            );
        }
        assert_eq!(
            create["changes"]["enrollment_id"],
            json!({"old": null, "new": null})
        );
        assert_eq!(found[1]["action"], "link");

        // An enrollment made with follow-ups: one create event for each, too.
        let second = create_client_as(app, &case_manager, "Riley");
        let with_follow_ups = created(post_enrollment(
            app,
            &case_manager,
            &second,
            &json!({
                "program_id": program_id,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "follow_ups": [
                    {"reason": "First week", "due_date": "2024-03-08"},
                    {"reason": "First month", "due_date": "2024-04-01"},
                ],
            }),
        ));
        let follow_ups = ok(app.get(
            &format!(
                "{}/follow-ups",
                enrollment_path(&second, &id_of(&with_follow_ups))
            ),
            Some(&admin),
        ));
        let follow_ups = follow_ups["data"].as_array().unwrap();
        assert_eq!(follow_ups.len(), 2);
        for follow_up in follow_ups {
            assert_created(
                app,
                "follow_up",
                follow_up,
                "cm-dana",
                &["enrollment_id", "reason", "due_date"],
            );
        }

        // Every event is one of these creates (and the link).
        let all = events(app, &admin, "");
        assert_eq!(all.len(), 18, "{all:#?}");
        assert_eq!(
            all.iter()
                .filter(|event| event["action"] == "create")
                .count(),
            17
        );
        assert_no_ssn(app);
    }

    fn edits_list_exactly_the_changed_fields(app: &TestApp) {
        let admin = app.admin_token();
        let world = world(app, "Harbor Light", "cm-dana");
        let cm = world.case_manager.as_str();
        let records = records(app, &world);

        let organization = ok(app.patch(
            &format!("/v1/organizations/{}", world.organization),
            Some(&admin),
            &json!({"name": "Harbor Light Mission"}),
        ));
        assert_changed(
            app,
            "organization",
            &organization,
            1,
            "update",
            "test-admin",
            &[("name", json!("Harbor Light"), json!("Harbor Light Mission"))],
        );
        // Setting a field to the value it has is no change.
        let program = ok(app.patch(
            &format!("/v1/programs/{}", world.program),
            Some(&admin),
            &json!({"name": "Harbor Night Shelter", "capacity": 25, "project_type": 0}),
        ));
        assert_changed(
            app,
            "program",
            &program,
            1,
            "update",
            "test-admin",
            &[
                (
                    "name",
                    json!("Harbor Shelter"),
                    json!("Harbor Night Shelter"),
                ),
                ("capacity", Value::Null, json!(25)),
            ],
        );
        let user = ok(app.patch(
            &format!("/v1/users/{}", world.staff),
            Some(&admin),
            &json!({"last_name": "Reyes-Ortiz"}),
        ));
        assert_changed(
            app,
            "user",
            &user,
            1,
            "update",
            "test-admin",
            &[("last_name", json!("Reyes"), json!("Reyes-Ortiz"))],
        );
        let grant = created(app.post(
            &format!("/v1/programs/{}/grants", world.program),
            Some(&admin),
            &json!({"funder": 2, "grant_identifier": "CA0001L9T001", "start_date": "2024-01-01"}),
        ));
        let grant = ok(app.patch(
            &format!("/v1/programs/{}/grants/{}", world.program, id_of(&grant)),
            Some(&admin),
            &json!({"grant_identifier": "CA0001L9T002", "end_date": "2025-12-31"}),
        ));
        assert_changed(
            app,
            "grant",
            &grant,
            1,
            "update",
            "test-admin",
            &[
                (
                    "grant_identifier",
                    json!("CA0001L9T001"),
                    json!("CA0001L9T002"),
                ),
                ("end_date", Value::Null, json!("2025-12-31")),
            ],
        );

        // A client: the new SSN shows as its last four only.
        let client = create_client_with_as(
            app,
            cm,
            json!({"first_name": "Riley", "last_name": "Lee", "ssn": SSN, "ssn_data_quality": 1}),
        );
        let client = ok(app.patch(
            &format!("/v1/clients/{}", id_of(&client)),
            Some(cm),
            &json!({"last_name": "Lee-Park", "ssn": NEW_SSN}),
        ));
        assert_changed(
            app,
            "client",
            &client,
            1,
            "update",
            "cm-dana",
            &[
                ("last_name", json!("Lee"), json!("Lee-Park")),
                ("ssn_last4", json!("8182"), json!("9265")),
            ],
        );
        assert_eq!(
            changed_fields(&events_of(app, "client", &id_of(&client))[1]),
            names(&["last_name", "ssn_last4"])
        );

        let enrollment = ok(app.patch(
            &world.base(),
            Some(cm),
            &json!({
                "enrollment_coc": "CA-501",
                "length_of_stay": 5,
                "relationship_to_hoh": 1,
                "case_manager_id": world.staff,
            }),
        ));
        assert_changed(
            app,
            "enrollment",
            &enrollment,
            1,
            "update",
            "cm-dana",
            &[
                ("enrollment_coc", Value::Null, json!("CA-501")),
                ("length_of_stay", Value::Null, json!(5)),
                ("case_manager_id", Value::Null, json!(world.staff)),
            ],
        );
        // Clearing a field lists it with its old value and null.
        let enrollment = ok(app.patch(
            &world.base(),
            Some(&admin),
            &json!({"enrollment_coc": null}),
        ));
        assert_changed(
            app,
            "enrollment",
            &enrollment,
            2,
            "update",
            "test-admin",
            &[("enrollment_coc", json!("CA-501"), Value::Null)],
        );

        let base = world.base();
        let service = ok(app.patch(
            &format!("{base}/services/{}", id_of(&records.service)),
            Some(cm),
            &json!({"note": "Housing search, two viewings"}),
        ));
        assert_changed(
            app,
            "service",
            &service,
            1,
            "update",
            "cm-dana",
            &[(
                "note",
                json!("Housing search"),
                json!("Housing search, two viewings"),
            )],
        );
        let goal = ok(app.patch(
            &format!("{base}/goals/{}", id_of(&records.goal)),
            Some(cm),
            &json!({"status": "achieved", "closed_date": "2024-08-15"}),
        ));
        assert_changed(
            app,
            "goal",
            &goal,
            1,
            "update",
            "cm-dana",
            &[
                ("status", json!("open"), json!("achieved")),
                ("closed_date", Value::Null, json!("2024-08-15")),
            ],
        );
        let action_step = ok(app.patch(
            &format!(
                "{base}/goals/{}/action-steps/{}",
                id_of(&records.goal),
                id_of(&records.action_step)
            ),
            Some(cm),
            &json!({"completed_date": "2024-03-20"}),
        ));
        assert_changed(
            app,
            "action_step",
            &action_step,
            1,
            "update",
            "cm-dana",
            &[("completed_date", Value::Null, json!("2024-03-20"))],
        );
        let follow_up = ok(app.patch(
            &format!("{base}/follow-ups/{}", id_of(&records.follow_up)),
            Some(cm),
            &json!({"outcome": "Doing well"}),
        ));
        assert_changed(
            app,
            "follow_up",
            &follow_up,
            1,
            "update",
            "cm-dana",
            &[("outcome", Value::Null, json!("Doing well"))],
        );
        let assessment = ok(app.patch(
            &format!(
                "/v1/clients/{}/assessments/{}",
                world.client,
                id_of(&records.assessment)
            ),
            Some(cm),
            &json!({"assessment_location": "Harbor Drop-in"}),
        ));
        assert_changed(
            app,
            "assessment",
            &assessment,
            2,
            "update",
            "cm-dana",
            &[(
                "assessment_location",
                json!("Harbor Access Center"),
                json!("Harbor Drop-in"),
            )],
        );
        assert_no_ssn(app);
    }

    fn exits_reopens_links_unlinks_and_deletes_have_their_actions(app: &TestApp) {
        let world = world(app, "Harbor Light", "cm-dana");
        let cm = world.case_manager.as_str();
        let base = world.base();
        let records = records(app, &world);
        let enrollment_id = world.enrollment_id();

        // Link and unlink.
        let assessment_id = id_of(&records.assessment);
        let link = format!("{base}/assessments/{assessment_id}");
        assert_changed(
            app,
            "assessment",
            &records.assessment,
            1,
            "link",
            "cm-dana",
            &[("enrollment_id", Value::Null, json!(enrollment_id))],
        );
        app.delete(&link, Some(cm)).assert_status(204);
        let unlinked = ok(app.get(
            &format!("/v1/clients/{}/assessments/{assessment_id}", world.client),
            Some(cm),
        ));
        assert_changed(
            app,
            "assessment",
            &unlinked,
            2,
            "unlink",
            "cm-dana",
            &[("enrollment_id", json!(enrollment_id), Value::Null)],
        );

        // Exit and reopen.
        let exited = ok(app.post(
            &format!("{base}/exit"),
            Some(cm),
            &json!({"exit_date": "2024-09-30", "destination": 116}),
        ));
        let event = assert_changed(
            app,
            "enrollment",
            &exited,
            1,
            "exit",
            "cm-dana",
            &[
                ("exit_date", Value::Null, json!("2024-09-30")),
                ("destination", Value::Null, json!(116)),
                ("exited_by", Value::Null, json!("cm-dana")),
                // Checked below: the instant the exit answered.
                (
                    "exited_at",
                    Value::Null,
                    events_of(app, "enrollment", &enrollment_id)[1]["changes"]["exited_at"]["new"]
                        .clone(),
                ),
            ],
        );
        assert_eq!(
            instant(&event["changes"]["exited_at"]["new"]),
            timestamp(&exited["exit"]["exited_at"]),
            "{event}"
        );
        let reopened = ok(app.delete(&format!("{base}/exit"), Some(&app.admin_token())));
        assert_changed(
            app,
            "enrollment",
            &reopened,
            2,
            "reopen",
            "test-admin",
            &[
                ("exit_date", json!("2024-09-30"), Value::Null),
                ("destination", json!(116), Value::Null),
                ("exited_by", json!("cm-dana"), Value::Null),
                (
                    "exited_at",
                    event["changes"]["exited_at"]["new"].clone(),
                    Value::Null,
                ),
            ],
        );

        // Deletes, one record at a time.
        let goal = id_of(&records.goal);
        for (entity_type, path, id) in [
            (
                "service",
                format!("{base}/services/{}", id_of(&records.service)),
                id_of(&records.service),
            ),
            (
                "action_step",
                format!(
                    "{base}/goals/{goal}/action-steps/{}",
                    id_of(&records.action_step)
                ),
                id_of(&records.action_step),
            ),
            ("goal", format!("{base}/goals/{goal}"), goal.clone()),
            (
                "follow_up",
                format!("{base}/follow-ups/{}", id_of(&records.follow_up)),
                id_of(&records.follow_up),
            ),
            (
                "assessment",
                format!("/v1/clients/{}/assessments/{assessment_id}", world.client),
                assessment_id.clone(),
            ),
        ] {
            let before = events_of(app, entity_type, &id).len();
            app.delete(&path, Some(cm)).assert_status(204);
            assert_deleted(app, entity_type, &id, before, "cm-dana");
        }
        app.delete(&base, Some(cm)).assert_status(204);
        assert_deleted(app, "enrollment", &enrollment_id, 3, "cm-dana");
        // A client without enrollments (created by the organization, which sees it).
        let client = create_client_as(app, cm, "Riley");
        app.delete(&format!("/v1/clients/{client}"), Some(cm))
            .assert_status(204);
        assert_deleted(app, "client", &client, 1, "cm-dana");
    }

    fn households_exit_together_and_change_heads_with_an_event_each(app: &TestApp) {
        let world = world(app, "Harbor Light", "cm-dana");
        let cm = world.case_manager.as_str();
        let household = world.enrollment["household_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let child_client = create_client_as(app, cm, "Riley");
        let child = created(post_enrollment(
            app,
            cm,
            &child_client,
            &merged(
                enrollment_body(&world.program, ENTRY, 2),
                json!({"household_id": household}),
            ),
        ));
        // Joining a household makes no household event.
        assert_eq!(events_of(app, "household", &household).len(), 1);

        // A change of head: an update of each enrollment's relationship, and an event of
        // the household naming the old and the new head's enrollments.
        let during = events_during(app, || {
            app.put(
                &format!("/v1/households/{household}/head"),
                Some(cm),
                &json!({"enrollment_id": id_of(&child), "previous_head_relationship": 2}),
            )
            .assert_status(200);
        });
        let (of_household, changed): (Vec<Value>, Vec<Value>) = during
            .into_iter()
            .partition(|event| event["entity_type"] == "household");
        assert_eq!(changed.len(), 2, "{changed:#?}");
        let head_id = world.enrollment_id();
        let child_id = id_of(&child);
        let [head_change] = of_household.as_slice() else {
            panic!("one event of the household: {of_household:#?}");
        };
        assert_eq!(head_change["entity_id"], household.as_str());
        assert_eq!(head_change["action"], "head_change");
        assert_eq!(head_change["actor"], "cm-dana");
        assert_eq!(
            head_change["changes"],
            json!({"head_enrollment_id": {"old": head_id, "new": child_id}})
        );
        for event in &changed {
            assert_eq!(event["entity_type"], "enrollment", "{event}");
            assert_eq!(event["action"], "update", "{event}");
            assert_eq!(event["actor"], "cm-dana", "{event}");
            assert_eq!(
                changed_fields(event),
                names(&["relationship_to_hoh"]),
                "{event}"
            );
        }
        let of = |id: &str| {
            changed
                .iter()
                .find(|event| event["entity_id"] == id)
                .unwrap_or_else(|| panic!("no event for {id}: {changed:#?}"))
        };
        assert_eq!(
            of(&head_id)["changes"]["relationship_to_hoh"],
            json!({"old": 1, "new": 2})
        );
        assert_eq!(
            of(&child_id)["changes"]["relationship_to_hoh"],
            json!({"old": 2, "new": 1})
        );

        // The whole household exits: an exit event for each member.
        let exited = events_during(app, || {
            app.post(
                &format!("{}/exit", enrollment_path(&child_client, &child_id)),
                Some(cm),
                &json!({"exit_date": "2024-06-30", "destination": 116, "household": true}),
            )
            .assert_status(200);
        });
        assert_eq!(exited.len(), 2, "{exited:#?}");
        let ids: BTreeSet<String> = exited
            .iter()
            .map(|event| event["entity_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, names(&[&head_id, &child_id]));
        for event in &exited {
            assert_eq!(event["action"], "exit", "{event}");
            assert_eq!(event["actor"], "cm-dana", "{event}");
            assert_eq!(
                event["changes"]["exit_date"],
                json!({"old": null, "new": "2024-06-30"})
            );
        }
    }

    fn deleting_an_enrollment_records_everything_it_takes_along(app: &TestApp) {
        let world = world(app, "Harbor Light", "cm-dana");
        let records = records(app, &world);
        let deleter = token_for(app, "cm-riley", Role::CaseManager, &world.organization);
        let during = events_during(app, || {
            app.delete(&world.base(), Some(&deleter)).assert_status(204);
        });
        let mut expected = vec![
            ("enrollment", world.enrollment_id(), "delete"),
            ("service", id_of(&records.service), "delete"),
            ("goal", id_of(&records.goal), "delete"),
            ("action_step", id_of(&records.action_step), "delete"),
            ("follow_up", id_of(&records.follow_up), "delete"),
            ("assessment", id_of(&records.assessment), "unlink"),
        ];
        expected.sort();
        let mut found: Vec<(&str, String, &str)> = during
            .iter()
            .map(|event| {
                (
                    event["entity_type"].as_str().unwrap(),
                    event["entity_id"].as_str().unwrap().to_owned(),
                    event["action"].as_str().unwrap(),
                )
            })
            .collect();
        found.sort();
        assert_eq!(found, expected, "{during:#?}");
        for event in &during {
            assert_eq!(event["actor"], "cm-riley", "{event}");
            let fields = changed_fields(event);
            if event["action"] == "unlink" {
                assert_eq!(fields, names(&["enrollment_id"]), "{event}");
                assert_eq!(
                    event["changes"]["enrollment_id"],
                    json!({"old": world.enrollment_id(), "new": null})
                );
            } else {
                assert_eq!(fields, names(&["deleted_at"]), "{event}");
            }
        }
        // The assessment stays with the client, unlinked.
        let assessment = ok(app.get(
            &format!(
                "/v1/clients/{}/assessments/{}",
                world.client,
                id_of(&records.assessment)
            ),
            Some(&world.case_manager),
        ));
        assert_eq!(assessment["enrollment_id"], Value::Null);
    }

    fn the_auto_exit_job_records_its_exits(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(
            app,
            &organization,
            json!({"name": "Harbor Street Outreach", "project_type": 4, "auto_exit_days": 30}),
        );
        let client = create_client(app, "Jordan");
        let head = enroll_head(app, &client, &program, ENTRY);
        let member_client = create_client(app, "Riley");
        let member = enroll_member(
            app,
            &member_client,
            &program,
            head["household_id"].as_str().unwrap(),
            ENTRY,
            2,
        );
        let as_of = Date::from(
            today()
                .checked_add_days(Days::new(31))
                .expect("a representable date"),
        );
        // A dry run records nothing.
        let during = events_during(app, || {
            auto_exit::run(&app.state().db, as_of, true, |_| {})
                .unwrap_or_else(|error| panic!("the auto-exit job failed: {error:?}"));
        });
        assert_eq!(during, Vec::<Value>::new());
        let during = events_during(app, || {
            auto_exit::run(&app.state().db, as_of, false, |_| {})
                .unwrap_or_else(|error| panic!("the auto-exit job failed: {error:?}"));
        });
        let ids: BTreeSet<String> = during
            .iter()
            .map(|event| event["entity_id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, names(&[&id_of(&head), &id_of(&member)]), "{during:#?}");
        for event in &during {
            assert_eq!(event["action"], "exit", "{event}");
            assert_eq!(event["entity_type"], "enrollment", "{event}");
            assert_eq!(event["actor"], "auto-exit", "{event}");
            assert_eq!(
                event["changes"]["auto_exited"],
                json!({"old": false, "new": true})
            );
            assert_eq!(
                event["changes"]["destination"],
                json!({"old": null, "new": 30})
            );
        }
        assert_eq!(events(app, &app.admin_token(), "actor=auto-exit").len(), 2);
    }

    fn filters_select_and_pages_follow(app: &TestApp) {
        let admin = app.admin_token();
        let world = world(app, "Harbor Light", "cm-dana");
        let cm = world.case_manager.as_str();
        let goal = created(app.post(
            &format!("{}/goals", world.base()),
            Some(cm),
            &json!({"title": "Find work"}),
        ));
        let goal_path = format!("{}/goals/{}", world.base(), id_of(&goal));
        ok(app.patch(
            &goal_path,
            Some(&admin),
            &json!({"title": "Find steady work"}),
        ));
        ok(app.patch(
            &goal_path,
            Some(cm),
            &json!({"status": "achieved", "closed_date": "2024-05-01"}),
        ));
        let goal_id = id_of(&goal);

        let all = events(app, &admin, "");
        // Oldest first, each id once.
        let ids: Vec<String> = all.iter().map(id_of).collect();
        let unique: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
        for pair in all.windows(2) {
            assert!(
                timestamp(&pair[0]["at"]) <= timestamp(&pair[1]["at"]),
                "not oldest first: {} then {}",
                pair[0],
                pair[1]
            );
        }

        // entity_type, entity_id, actor: exactly the matching events, in the same order.
        let check = |query: &str, keep: &dyn Fn(&Value) -> bool| {
            let expected: Vec<Value> = all.iter().filter(|event| keep(event)).cloned().collect();
            assert!(!expected.is_empty(), "{query} selects something");
            assert_eq!(events(app, &admin, query), expected, "{query}");
            assert_eq!(walk_events(app, &admin, query, 1).0, expected, "{query}");
        };
        check("entity_type=goal", &|event| event["entity_type"] == "goal");
        check("entity_type=enrollment", &|event| {
            event["entity_type"] == "enrollment"
        });
        check(&format!("entity_id={goal_id}"), &|event| {
            event["entity_id"] == goal_id.as_str()
        });
        check("actor=cm-dana", &|event| event["actor"] == "cm-dana");
        check("actor=test-admin", &|event| event["actor"] == "test-admin");
        check(
            &format!("entity_type=goal&actor=cm-dana&entity_id={goal_id}"),
            &|event| event["entity_id"] == goal_id.as_str() && event["actor"] == "cm-dana",
        );
        assert_eq!(
            events(
                app,
                &admin,
                &format!("entity_type=enrollment&entity_id={goal_id}")
            ),
            Vec::<Value>::new()
        );
        assert_eq!(events(app, &admin, "actor=nobody"), Vec::<Value>::new());
        assert_eq!(
            events(app, &admin, "entity_type=spaceship"),
            Vec::<Value>::new()
        );

        // from is inclusive, to exclusive.
        let of_goal = events_of(app, "goal", &goal_id);
        assert_eq!(
            of_goal
                .iter()
                .map(|event| event["action"].as_str().unwrap())
                .collect::<Vec<_>>(),
            ["create", "update", "update"]
        );
        let at: Vec<DateTime<Utc>> = of_goal
            .iter()
            .map(|event| timestamp(&event["at"]))
            .collect();
        assert!(at[0] < at[1] && at[1] < at[2], "{of_goal:#?}");
        let goal_query = format!("entity_id={goal_id}");
        let window = |from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>| {
            let mut query = goal_query.clone();
            if let Some(from) = from {
                query.push_str(&format!("&from={}", rfc3339(from)));
            }
            if let Some(to) = to {
                query.push_str(&format!("&to={}", rfc3339(to)));
            }
            events(app, &admin, &query)
        };
        assert_eq!(window(Some(at[1]), None), of_goal[1..]);
        assert_eq!(window(None, Some(at[1])), of_goal[..1]);
        assert_eq!(window(Some(at[1]), Some(at[2])), of_goal[1..2]);
        assert_eq!(
            window(Some(at[1] + TimeDelta::microseconds(1)), None),
            of_goal[2..]
        );
        assert_eq!(
            window(None, Some(at[2] + TimeDelta::microseconds(1))),
            of_goal[..]
        );
        assert_eq!(window(Some(at[2]), Some(at[1])), Vec::<Value>::new());
        // Over every event: from the goal's creation on.
        let from_goal = events(app, &admin, &format!("from={}", rfc3339(at[0])));
        let expected: Vec<Value> = all
            .iter()
            .filter(|event| timestamp(&event["at"]) >= at[0])
            .cloned()
            .collect();
        assert_eq!(from_goal, expected);

        // Pages: limit 2 over everything, by next_cursor and by Link.
        let first = app.get(&events_path("limit=2"), Some(&admin));
        first.assert_status(200);
        assert_eq!(items(&first), all[..2]);
        let link = first.next_link().expect("a Link on the first page");
        let cursor = first.body["next_cursor"].as_str().expect("a next_cursor");
        let second = app.get(
            &events_path(&format!("limit=2&cursor={cursor}")),
            Some(&admin),
        );
        second.assert_status(200);
        assert_eq!(items(&second), all[2..4]);
        let by_link = app.get(&link, Some(&admin));
        by_link.assert_status(200);
        assert_eq!(by_link.body, second.body);
        assert_eq!(walk_events(app, &admin, "", 2).0, all);
        // The Link keeps the filters.
        let first = app.get(&events_path(&format!("{goal_query}&limit=1")), Some(&admin));
        let link = first.next_link().expect("a Link on the first page");
        assert!(link.contains(&goal_query), "{link}");
        let next = app.get(&link, Some(&admin));
        next.assert_status(200);
        assert_eq!(items(&next), of_goal[1..2]);
    }
);

both_backends!(
    fn each_organization_sees_its_own_events(app: &TestApp) {
        let admin = app.admin_token();
        let a = world(app, "Harbor Light", "cm-a");
        let b = world(app, "Bayside Outreach", "cm-b");
        let a_records = records(app, &a);
        let b_records = records(app, &b);
        let a_viewer = token_for(app, "viewer-a", Role::Viewer, &a.organization);

        // The ids of the records of each organization that its own people may see.
        let ids_of = |world: &World, records: &Records| -> BTreeSet<String> {
            [
                world.organization.clone(),
                world.program.clone(),
                world.staff.clone(),
                world.enrollment_id(),
                world.enrollment["household_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                id_of(&records.service),
                id_of(&records.goal),
                id_of(&records.action_step),
                id_of(&records.follow_up),
            ]
            .into_iter()
            .collect()
        };
        let a_ids = ids_of(&a, &a_records);
        let b_ids = ids_of(&b, &b_records);
        let entity_ids = |events: &[Value]| -> BTreeSet<String> {
            events
                .iter()
                .map(|event| event["entity_id"].as_str().unwrap().to_owned())
                .collect()
        };

        for (token, own, other) in [
            (&a.case_manager, &a_ids, &b_ids),
            (&a_viewer, &a_ids, &b_ids),
            (&b.case_manager, &b_ids, &a_ids),
        ] {
            let seen = events(app, token, "");
            let seen_ids = entity_ids(&seen);
            assert!(
                own.is_subset(&seen_ids),
                "missing own events: {:?}",
                own.difference(&seen_ids).collect::<Vec<_>>()
            );
            assert!(
                seen_ids.is_disjoint(other),
                "another organization's events: {:?}",
                seen_ids.intersection(other).collect::<Vec<_>>()
            );
            // Filtering on another organization's record finds nothing.
            for id in other {
                assert_eq!(
                    events(app, token, &format!("entity_id={id}")),
                    Vec::<Value>::new()
                );
            }
        }
        // A's case manager sees A's enrollment events, whoever made them.
        app.patch(&a.base(), Some(&admin), &json!({"length_of_stay": 2}))
            .assert_status(200);
        let a_enrollment = events(
            app,
            &a.case_manager,
            &format!("entity_type=enrollment&entity_id={}", a.enrollment_id()),
        );
        assert_eq!(
            a_enrollment,
            events_of(app, "enrollment", &a.enrollment_id())
        );
        assert_eq!(a_enrollment.len(), 2);
        assert_eq!(a_enrollment[1]["actor"], "test-admin");

        // The admin sees every event, both organizations' included.
        let all = events(app, &admin, "");
        let all_ids = entity_ids(&all);
        assert!(a_ids.is_subset(&all_ids) && b_ids.is_subset(&all_ids));
        for token in [&a.case_manager, &b.case_manager] {
            assert!(events(app, token, "").len() < all.len());
        }

        // Without a token: 401.
        assert_unauthenticated(&app.get("/v1/audit-events", None));
    }

    fn refused_writes_dry_runs_and_replays_leave_no_event(app: &TestApp) {
        let admin = app.admin_token();
        let world = world(app, "Harbor Light", "cm-dana");
        let cm = world.case_manager.as_str();
        let base = world.base();
        let records = records(app, &world);
        let viewer = token_for(app, "viewer-val", Role::Viewer, &world.organization);
        let household = world.enrollment["household_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let other_client = create_client(app, "Riley");
        let second_program = create_program(app, &world.organization, json!({"name": "Second"}));

        // 409: an overlapping enrollment.
        let response = without_events(app, "an overlapping enrollment", || {
            post_enrollment(
                app,
                cm,
                &world.client,
                &enrollment_body(&world.program, "2024-04-01", 1),
            )
        });
        assert_problem(&response, 409, "enrollment.overlap");
        // 409: an enrollment with a follow-up and an assessment already linked to another
        // enrollment (neither the household, the enrollment nor the follow-up is kept).
        let response = without_events(app, "an enrollment with a linked assessment", || {
            post_enrollment(
                app,
                cm,
                &world.client,
                &json!({
                    "program_id": second_program,
                    "entry_date": ENTRY,
                    "relationship_to_hoh": 1,
                    "follow_ups": [{"reason": "First week", "due_date": "2024-03-08"}],
                    "assessment_ids": [id_of(&records.assessment)],
                }),
            )
        });
        assert_problem(&response, 409, "assessment.already_linked");
        // 409: an exit before the entry.
        let response = without_events(app, "an exit before the entry", || {
            app.post(
                &format!("{base}/exit"),
                Some(cm),
                &json!({"exit_date": "2024-02-01", "destination": 116}),
            )
        });
        assert_problem(&response, 409, "exit.before_entry");

        // With a member in the household: the head is not deleted alone (409), and a
        // household exit that one member cannot make (a service after the date) exits
        // nobody.
        let member = enroll_member(app, &other_client, &world.program, &household, ENTRY, 2);
        let member_base = enrollment_path(&other_client, &id_of(&member));
        created(app.post(
            &format!("{member_base}/services"),
            Some(cm),
            &json!({"date_provided": "2024-06-01", "record_type": 144, "type_provided": 1}),
        ));
        let response = without_events(app, "deleting the head of an active household", || {
            app.delete(&base, Some(cm))
        });
        assert_problem(&response, 409, "household.members_active");
        let response = without_events(app, "a household exit refused for a member", || {
            app.post(
                &format!("{base}/exit"),
                Some(cm),
                &json!({"exit_date": "2024-05-01", "destination": 116, "household": true}),
            )
        });
        assert_problem(&response, 409, "enrollment.dependents_outside_period");

        // 412, 422, 403, 404.
        let response = without_events(app, "a stale If-Match", || {
            app.request("PATCH", &base)
                .token(Some(cm))
                .header("If-Match", "\"9\"")
                .json(&json!({"length_of_stay": 2}))
                .send()
        });
        assert_problem(&response, 412, "precondition.failed");
        let response = without_events(app, "an unknown field", || {
            app.patch(
                &base,
                Some(cm),
                &json!({"length_of_stay": 2, "colour": "red"}),
            )
        });
        assert_problem(&response, 422, "validation.failed");
        let response = without_events(app, "a viewer's edit", || {
            app.patch(&base, Some(&viewer), &json!({"length_of_stay": 2}))
        });
        assert_forbidden(&response);
        let response = without_events(app, "an edit of nothing", || {
            app.patch(
                &enrollment_path(&world.client, &Uuid::now_v7().to_string()),
                Some(cm),
                &json!({"length_of_stay": 2}),
            )
        });
        assert_not_found(&response);

        // Dry runs of every kind of write that takes one.
        let third_client = create_client_as(app, cm, "Morgan");
        for (method, path, body) in [
            (
                "POST",
                "/v1/organizations?dry_run=true".to_owned(),
                json!({"name": "Dry"}),
            ),
            (
                "POST",
                "/v1/programs?dry_run=true".to_owned(),
                json!({
                    "organization_id": world.organization,
                    "name": "Dry",
                    "project_type": 0,
                    "operating_start_date": "2020-01-01",
                }),
            ),
            (
                "PATCH",
                format!("/v1/programs/{}?dry_run=true", world.program),
                json!({"name": "Dry"}),
            ),
            (
                "POST",
                "/v1/clients?dry_run=true".to_owned(),
                json!({"first_name": "Dry", "ssn": SSN}),
            ),
            (
                "PATCH",
                format!("/v1/clients/{}?dry_run=true", world.client),
                json!({"last_name": "Dry"}),
            ),
            (
                "POST",
                format!("{}?dry_run=true", enrollments_path(&third_client)),
                merged(
                    enrollment_body(&world.program, ENTRY, 1),
                    json!({"follow_ups": [{"reason": "Dry", "due_date": "2024-03-08"}]}),
                ),
            ),
            (
                "PATCH",
                format!("{base}?dry_run=true"),
                json!({"length_of_stay": 2}),
            ),
            (
                "POST",
                format!("{member_base}/exit?dry_run=true"),
                json!({"exit_date": "2024-07-01", "destination": 116}),
            ),
            (
                "POST",
                format!("{base}/services?dry_run=true"),
                json!({"date_provided": "2024-03-05", "record_type": 144, "type_provided": 1}),
            ),
            (
                "PATCH",
                format!("{base}/goals/{}?dry_run=true", id_of(&records.goal)),
                json!({"title": "Dry"}),
            ),
            (
                "POST",
                format!("{base}/follow-ups?dry_run=true"),
                json!({"reason": "Dry", "due_date": "2024-03-09"}),
            ),
            (
                "POST",
                format!("/v1/clients/{}/assessments?dry_run=true", world.client),
                json!({
                    "assessment_date": "2024-03-02",
                    "assessment_location": "Dry",
                    "assessment_type": 3,
                    "assessment_level": 2,
                    "prioritization_status": 1,
                }),
            ),
            (
                "PUT",
                format!("/v1/households/{household}/head?dry_run=true"),
                json!({"enrollment_id": id_of(&member), "previous_head_relationship": 2}),
            ),
        ] {
            let token = if path.starts_with("/v1/organizations") || path.starts_with("/v1/programs")
            {
                admin.as_str()
            } else {
                cm
            };
            let what = format!("{method} {path}");
            let response = without_events(app, &what, || {
                app.request(method, &path)
                    .token(Some(token))
                    .json(&body)
                    .send()
            });
            assert_eq!(response.status, 200, "{what}: {}", response.describe());
        }

        // A replay of a create with the same Idempotency-Key makes nothing again.
        let key = Uuid::now_v7().to_string();
        let send = || {
            app.request("POST", &format!("{base}/services"))
                .token(Some(cm))
                .header("Idempotency-Key", &key)
                .json(
                    &json!({"date_provided": "2024-03-06", "record_type": 144, "type_provided": 1}),
                )
                .send()
        };
        let during = events_during(app, || {
            send().assert_status(201);
        });
        assert_eq!(during.len(), 1, "{during:#?}");
        assert_eq!(during[0]["action"], "create");
        let replay = without_events(app, "a replay", send);
        replay.assert_status(201);
        assert_eq!(
            id_of(&replay.body),
            during[0]["entity_id"].as_str().unwrap()
        );
    }

    fn bad_queries_are_refused(app: &TestApp) {
        let admin = app.admin_token();
        world(app, "Harbor Light", "cm-dana");
        let cursor = app.get(&events_path("limit=1"), Some(&admin)).body["next_cursor"]
            .as_str()
            .expect("a next_cursor")
            .to_owned();
        let queries = [
            "from=yesterday",
            "from=2024-13-01T00:00:00Z",
            "to=2024-03-01",
            "to=",
            "entity_id=42",
            "entity_id=not-a-uuid",
            "cursor=not-a-cursor",
            "cursor=bm9uc2Vuc2U",
            "limit=0",
            "limit=201",
            "entity=enrollment",
            "actor_id=cm-dana",
        ];
        assert_malformed_queries(app, &admin, "/v1/audit-events", &queries);
        // A cut cursor is not a cursor; the real one works.
        let cut = format!("cursor={}", &cursor[..cursor.len() - 3]);
        assert_malformed_queries(app, &admin, "/v1/audit-events", &[&cut]);
        app.get(
            &events_path(&format!("limit=1&cursor={cursor}")),
            Some(&admin),
        )
        .assert_status(200);
    }
);

/// Every timestamp among an event's changes, as `(field, value)`.
fn timestamps_in_changes(event: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for (field, change) in event["changes"].as_object().unwrap() {
        for value in [&change["old"], &change["new"]] {
            if let Some(text) = value.as_str() {
                // A date and a time: `YYYY-MM-DDTHH:...` (or with a space).
                let bytes = text.as_bytes();
                if bytes.len() > 11
                    && bytes[4] == b'-'
                    && bytes[7] == b'-'
                    && (bytes[10] == b'T' || bytes[10] == b' ')
                {
                    found.push((field.clone(), text.to_owned()));
                }
            }
        }
    }
    found
}

both_backends!(
    fn timestamps_in_changes_are_rfc3339_in_utc(app: &TestApp) {
        let world = world(app, "Harbor Light", "cm-dana");
        let records = records(app, &world);
        ok(app.patch(
            &format!("{}/follow-ups/{}", world.base(), id_of(&records.follow_up)),
            Some(&world.case_manager),
            &json!({"completed_at": rfc3339(Utc::now()), "outcome": "Done"}),
        ));
        ok(app.post(
            &format!("{}/exit", world.base()),
            Some(&world.case_manager),
            &json!({"exit_date": "2024-09-30", "destination": 116}),
        ));
        app.delete(
            &format!("{}/services/{}", world.base(), id_of(&records.service)),
            Some(&world.case_manager),
        )
        .assert_status(204);
        let all = events(app, &app.admin_token(), "");
        let stamps: Vec<(String, String)> = all.iter().flat_map(timestamps_in_changes).collect();
        for field in ["created_at", "deleted_at", "exited_at", "completed_at"] {
            assert!(
                stamps.iter().any(|(name, _)| name == field),
                "no `{field}` among {stamps:?}"
            );
        }
        let naive: Vec<&(String, String)> = stamps
            .iter()
            .filter(|(_, text)| DateTime::parse_from_rfc3339(text).is_err())
            .collect();
        assert_eq!(naive, Vec::<&(String, String)>::new(), "not RFC 3339");
    }
);
