//! `/v1/clients/{client_id}/assessments`: a client's Coordinated Entry assessments (CRUD and
//! search), and linking them to one of the client's enrollments, through the link endpoints
//! and through `assessment_ids` when an enrollment is created.

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, TestApp};
use uuid::Uuid;

/// The stay assessments are linked to: entry 2024-03-01, still active.
const ENTRY: &str = "2024-03-01";
const INSIDE: &str = "2024-03-05";
const BEFORE_ENTRY: &str = "2024-02-20";

/// An [`EnrolledClient`] on [`ENTRY`], with a second program of the organization and another
/// client.
struct World {
    enrolled: EnrolledClient,
    second_program: String,
    other_client: String,
}

impl std::ops::Deref for World {
    type Target = EnrolledClient;

    fn deref(&self) -> &EnrolledClient {
        &self.enrolled
    }
}

fn world(app: &TestApp) -> World {
    let enrolled = enrolled_client(app, ENTRY);
    World {
        second_program: create_program(
            app,
            &enrolled.organization,
            json!({"name": "Harbor Rapid Rehousing", "project_type": 13}),
        ),
        other_client: create_client(app, "Avery"),
        enrolled,
    }
}

fn assessments_path(client: &str) -> String {
    format!("/v1/clients/{client}/assessments")
}

fn assessment_path(client: &str, assessment: &str) -> String {
    format!("/v1/clients/{client}/assessments/{assessment}")
}

/// Where an enrollment lists its linked assessments.
fn linked_path(client: &str, enrollment: &str) -> String {
    format!("/v1/clients/{client}/enrollments/{enrollment}/assessments")
}

/// The link of one assessment to one enrollment (`PUT` links, `DELETE` unlinks).
fn link_path(client: &str, enrollment: &str, assessment: &str) -> String {
    format!("/v1/clients/{client}/enrollments/{enrollment}/assessments/{assessment}")
}

fn assessment_body(date: &str) -> Value {
    let answers = json!([
        {"question": "Nights homeless in the last 3 years", "answer": "120"},
        {"question": "Fleeing domestic violence", "answer": "No"},
    ]);
    assessment(date, answers)
}

/// Records an assessment of `client` dated `date` as an admin; answers the stored one.
fn create_assessment(app: &TestApp, client: &str, date: &str) -> Value {
    let response = app.post(
        &assessments_path(client),
        Some(&app.admin_token()),
        &assessment_body(date),
    );
    response.assert_status(201);
    response.body
}

/// The assessment as an admin reads it.
fn fetch(app: &TestApp, client: &str, assessment: &str) -> Value {
    let response = app.get(
        &assessment_path(client, assessment),
        Some(&app.admin_token()),
    );
    response.assert_status(200);
    response.body
}

fn put(app: &TestApp, path: &str, token: &str) -> Response {
    app.request("PUT", path).token(Some(token)).send()
}

both_backends!(
    fn creates_and_reads_an_assessment(app: &TestApp) {
        let world = world(app);
        let path = assessments_path(&world.client);
        let body = assessment_body("2024-02-10");

        // A dry run answers what would be stored, and stores nothing.
        let dry = app.post(
            &format!("{path}?dry_run=true"),
            Some(&world.case_manager),
            &body,
        );
        dry.assert_status(200);
        assert_eq!(dry.header("location"), None, "{}", dry.describe());
        assert_eq!(dry.body["assessment_date"], "2024-02-10");
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());

        let response = app.post(&path, Some(&world.case_manager), &body);
        let id = assert_created(&response, &path);
        let item = assessment_path(&world.client, &id);
        assert_eq!(response.body["client_id"], world.client.as_str());
        assert_eq!(response.body["enrollment_id"], Value::Null);
        assert_eq!(response.body["version"], 1);
        assert_eq!(response.body["created_by"], "casey");
        assert_eq!(response.body["updated_by"], "casey");
        assert_echoes(&response, &body);

        // Everyone of the organization reads it, a viewer too.
        assert_stored(app, &world.viewer, &item, "\"1\"", &response.body);
        assert_lists_only(app, &world.viewer, &path, &response.body);

        // A viewer may not write.
        for response in [
            app.post(&path, Some(&world.viewer), &body),
            app.patch(
                &item,
                Some(&world.viewer),
                &json!({"prioritization_status": 2}),
            ),
            app.delete(&item, Some(&world.viewer)),
        ] {
            assert_forbidden(&response);
        }
        assert_eq!(fetch(app, &world.client, &id), response.body);

        // Text is trimmed; answers may be left out.
        let mut plain = assessment_body("2024-02-11");
        plain["assessment_location"] = json!("  Street outreach  ");
        plain.as_object_mut().expect("an object").remove("answers");
        let created = app.post(&path, Some(&world.case_manager), &plain);
        created.assert_status(201);
        assert_eq!(created.body["assessment_location"], "Street outreach");
        assert_eq!(created.body["answers"], json!([]));

        // No such client, no such assessment, or another client's: 404.
        let nobody = Uuid::now_v7().to_string();
        assert_not_found(&app.post(&assessments_path(&nobody), Some(&world.case_manager), &body));
        assert_not_found(&app.get(&assessments_path(&nobody), Some(&world.case_manager)));
        assert_not_found(&app.get(
            &assessment_path(&world.client, &Uuid::now_v7().to_string()),
            Some(&world.case_manager),
        ));
        assert_not_found(&app.get(
            &assessment_path(&world.other_client, &id),
            Some(&world.case_manager),
        ));
        assert_eq!(
            listed_as_admin(app, &assessments_path(&world.other_client)),
            Vec::<String>::new()
        );
    }

    fn assessment_bodies_are_checked(app: &TestApp) {
        let world = world(app);
        let path = assessments_path(&world.client);
        let token = world.case_manager.as_str();
        let with = |key: &str, value: Value| {
            let mut body = assessment_body("2024-02-10");
            body[key] = value;
            body
        };

        let response = app.post(&path, Some(token), &with("assessment_type", json!(9)));
        assert_invalid(&response, "assessment_type", "invalid");
        let response = app.post(&path, Some(token), &with("assessment_level", json!(3)));
        assert_invalid(&response, "assessment_level", "invalid");
        let response = app.post(
            &path,
            Some(token),
            &with("prioritization_status", json!(99)),
        );
        assert_invalid(&response, "prioritization_status", "invalid");
        let response = app.post(
            &path,
            Some(token),
            &with("assessment_date", json!(days_ahead(2))),
        );
        assert_invalid(&response, "assessment_date", "date.in_future");
        let response = app.post(
            &path,
            Some(token),
            &with("assessment_date", json!("2024-02-30")),
        );
        assert_invalid(&response, "assessment_date", "invalid");
        let response = app.post(
            &path,
            Some(token),
            &with("assessment_location", json!("   ")),
        );
        assert_invalid(&response, "assessment_location", "blank");
        let response = app.post(
            &path,
            Some(token),
            &with("assessment_location", json!("x".repeat(251))),
        );
        assert_invalid(&response, "assessment_location", "too_long");
        let response = app.post(
            &path,
            Some(token),
            &with("answers", json!([{"question": " ", "answer": "Yes"}])),
        );
        assert_invalid(&response, "answers[0].question", "blank");
        let response = app.post(&path, Some(token), &with("colour", json!("red")));
        assert_invalid(&response, "colour", "unknown_field");
        // The link is read-only here: it is set through the enrollment.
        let response = app.post(
            &path,
            Some(token),
            &with("enrollment_id", json!(world.enrollment)),
        );
        assert_invalid(&response, "enrollment_id", "unknown_field");

        // Every problem at once.
        let response = app.post(&path, Some(token), &json!({"assessment_type": 9}));
        assert_problem(&response, 422, "validation.failed");
        let fields = error_fields(&response);
        for expected in [
            ("assessment_type", "invalid"),
            ("assessment_date", "required"),
            ("assessment_location", "required"),
            ("assessment_level", "required"),
            ("prioritization_status", "required"),
        ] {
            assert!(
                fields.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "expected {expected:?} in {}",
                response.describe()
            );
        }

        // Checked before the client is looked up.
        let response = app.post(
            &assessments_path(&Uuid::now_v7().to_string()),
            Some(token),
            &with("assessment_type", json!(9)),
        );
        assert_invalid(&response, "assessment_type", "invalid");
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());

        // Changes are checked the same way.
        let assessment = create_assessment(app, &world.client, "2024-02-10");
        let item = assessment_path(&world.client, &id_of(&assessment));
        for (body, field, code) in [
            (json!({"assessment_type": 9}), "assessment_type", "invalid"),
            (
                json!({"assessment_date": days_ahead(2)}),
                "assessment_date",
                "date.in_future",
            ),
            (
                json!({"assessment_location": ""}),
                "assessment_location",
                "blank",
            ),
            (
                json!({"enrollment_id": world.enrollment}),
                "enrollment_id",
                "unknown_field",
            ),
            (json!({"colour": "red"}), "colour", "unknown_field"),
        ] {
            assert_invalid(&app.patch(&item, Some(token), &body), field, code);
        }
        assert_eq!(fetch(app, &world.client, &id_of(&assessment)), assessment);
    }

    fn searches_and_pages(app: &TestApp) {
        let world = world(app);
        let path = assessments_path(&world.client);
        let ids: Vec<String> = ["2024-01-10", "2024-02-10", "2024-03-10", "2024-04-10"]
            .into_iter()
            .map(|date| id_of(&create_assessment(app, &world.client, date)))
            .collect();
        create_assessment(app, &world.other_client, "2024-02-10");
        put(
            app,
            &link_path(&world.client, &world.enrollment, &ids[2]),
            &world.case_manager,
        )
        .assert_status(200);

        assert_eq!(listed_as_admin(app, &path), ids);
        // `from` and `to` are both inclusive.
        assert_eq!(
            listed_as_admin(app, &format!("{path}?from=2024-02-10&to=2024-03-10")),
            ids[1..3]
        );
        assert_eq!(
            listed_as_admin(app, &format!("{path}?from=2024-02-11")),
            ids[2..]
        );
        assert_eq!(
            listed_as_admin(app, &format!("{path}?to=2024-02-09")),
            ids[..1]
        );
        assert_eq!(
            listed_as_admin(app, &format!("{path}?from=2024-05-01")),
            Vec::<String>::new()
        );
        assert_eq!(
            listed_as_admin(app, &format!("{path}?unlinked=true")),
            [ids[0].as_str(), &ids[1], &ids[3]]
        );
        assert_eq!(listed_as_admin(app, &format!("{path}?unlinked=false")), ids);
        assert_eq!(
            listed_as_admin(app, &format!("{path}?from=2024-02-01&unlinked=true")),
            [ids[1].as_str(), &ids[3]]
        );

        // One at a time, following the cursor, in id order.
        assert_eq!(ids_one_per_page(app, &world.viewer, &path), ids);

        // Filters hold across pages.
        let first = app.get(
            &format!("{path}?unlinked=true&limit=2"),
            Some(&world.viewer),
        );
        assert_eq!(ids_in(&first), ids[..2]);
        let cursor = first.body["next_cursor"].as_str().expect("a next cursor");
        let second = app.get(
            &format!("{path}?unlinked=true&limit=2&cursor={cursor}"),
            Some(&world.viewer),
        );
        assert_eq!(ids_in(&second), [ids[3].as_str()]);
        assert_eq!(second.body["next_cursor"], Value::Null);

        let queries = [
            "from=yesterday",
            "to=2024-13-01",
            "unlinked=maybe",
            "colour=red",
            "cursor=forged",
            "limit=0",
        ];
        assert_malformed_queries(app, &world.viewer, &path, &queries);
    }

    fn changes_and_deletes_an_assessment(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let assessment = create_assessment(app, &world.client, "2024-02-10");
        let id = id_of(&assessment);
        let item = assessment_path(&world.client, &id);

        // A dry run answers the change and stores nothing.
        let dry = app.patch(
            &format!("{item}?dry_run=true"),
            Some(token),
            &json!({"prioritization_status": 2}),
        );
        dry.assert_status(200);
        assert_eq!(dry.body["prioritization_status"], 2);
        assert_eq!(fetch(app, &world.client, &id), assessment);

        // `answers` replaces every answer.
        let answers = json!([{"question": "Household size", "answer": "3"}]);
        let changed = patch_if(
            app,
            &item,
            token,
            "\"1\"",
            &json!({"prioritization_status": 2, "answers": answers}),
        );
        changed.assert_status(200);
        assert_eq!(changed.etag(), "\"2\"");
        assert_eq!(changed.body["version"], 2);
        assert_eq!(changed.body["prioritization_status"], 2);
        assert_eq!(changed.body["answers"], answers);
        assert_eq!(changed.body["assessment_date"], "2024-02-10");
        assert_eq!(
            changed.body["assessment_location"],
            assessment["assessment_location"]
        );
        assert_eq!(changed.body["updated_by"], "casey");
        assert_eq!(changed.body["created_by"], "test-admin");
        assert_eq!(fetch(app, &world.client, &id), changed.body);

        // A stale tag is 412 and changes nothing.
        assert_stale_patch(
            app,
            &item,
            token,
            "\"1\"",
            &json!({"prioritization_status": 1}),
        );
        assert_eq!(fetch(app, &world.client, &id), changed.body);

        // Required fields cannot be cleared; answers can.
        for field in [
            "assessment_date",
            "assessment_location",
            "assessment_type",
            "assessment_level",
            "prioritization_status",
        ] {
            let response = app.patch(&item, Some(token), &json!({ field: null }));
            assert_invalid(&response, field, "required");
        }
        assert_eq!(fetch(app, &world.client, &id), changed.body);
        let cleared = app.patch(&item, Some(token), &json!({"answers": null}));
        cleared.assert_status(200);
        assert_eq!(cleared.body["answers"], json!([]));
        assert_eq!(cleared.etag(), "\"3\"");

        // An unlinked assessment may be moved to any past date.
        let moved = app.patch(
            &item,
            Some(token),
            &json!({"assessment_date": "2019-06-01"}),
        );
        moved.assert_status(200);
        assert_eq!(moved.body["assessment_date"], "2019-06-01");

        // Under another client it is not found.
        let elsewhere = assessment_path(&world.other_client, &id);
        assert_not_found(&app.patch(
            &elsewhere,
            Some(token),
            &json!({"prioritization_status": 1}),
        ));
        assert_not_found(&app.delete(&elsewhere, Some(token)));

        // Delete: a stale tag is 412, then 204 and gone.
        assert_stale_delete(app, &item, token, "\"1\"");
        delete_if(app, &item, token, "\"4\"").assert_status(204);
        assert_not_found(&app.get(&item, Some(token)));
        assert_not_found(&app.delete(&item, Some(token)));
        assert_not_found(&app.patch(&item, Some(token), &json!({"prioritization_status": 1})));
        assert_eq!(
            listed_as_admin(app, &assessments_path(&world.client)),
            Vec::<String>::new()
        );
        // A deleted assessment cannot be linked either.
        assert_not_found(&put(
            app,
            &link_path(&world.client, &world.enrollment, &id),
            token,
        ));
    }

    fn links_and_unlinks_an_assessment(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let assessment = create_assessment(app, &world.client, INSIDE);
        let id = id_of(&assessment);
        let link = link_path(&world.client, &world.enrollment, &id);
        let linked = linked_path(&world.client, &world.enrollment);

        // A dry run answers the link and writes nothing.
        let dry = put(app, &format!("{link}?dry_run=true"), token);
        dry.assert_status(200);
        assert_eq!(dry.body["enrollment_id"], world.enrollment.as_str());
        assert_eq!(fetch(app, &world.client, &id), assessment);
        assert_eq!(listed_as_admin(app, &linked), Vec::<String>::new());

        // A viewer may not link; another organization does not see the enrollment.
        assert_forbidden(&put(app, &link, &world.viewer));
        assert_not_found(&put(app, &link, &world.stranger));
        assert_eq!(fetch(app, &world.client, &id), assessment);

        let response = put(app, &link, token);
        response.assert_status(200);
        assert_eq!(response.etag(), "\"2\"");
        assert_eq!(response.body["enrollment_id"], world.enrollment.as_str());
        assert_eq!(response.body["version"], 2);
        assert_eq!(response.body["updated_by"], "casey");
        assert_eq!(response.body["answers"], assessment["answers"]);
        assert_eq!(fetch(app, &world.client, &id), response.body);

        // Linking again changes nothing.
        let again = put(app, &link, token);
        again.assert_status(200);
        assert_eq!(again.etag(), "\"2\"");
        assert_eq!(again.body, response.body);
        assert_eq!(fetch(app, &world.client, &id), response.body);

        // The enrollment lists it, to its organization's viewer too.
        let list = app.get(&linked, Some(&world.viewer));
        list.assert_status(200);
        assert_eq!(list.body["data"], json!([response.body]));
        assert_eq!(list.body["next_cursor"], Value::Null);
        assert_not_found(&app.get(&linked, Some(&world.stranger)));
        assert_eq!(
            listed_as_admin(
                app,
                &format!("{}?unlinked=true", assessments_path(&world.client))
            ),
            Vec::<String>::new()
        );

        // No such assessment, or no such enrollment: 404.
        let nothing = Uuid::now_v7().to_string();
        assert_not_found(&put(
            app,
            &link_path(&world.client, &world.enrollment, &nothing),
            token,
        ));
        assert_not_found(&put(app, &link_path(&world.client, &nothing, &id), token));
        assert_not_found(&app.get(&linked_path(&world.client, &nothing), Some(token)));
        // The enrollment is not the other client's.
        assert_not_found(&put(
            app,
            &link_path(&world.other_client, &world.enrollment, &id),
            token,
        ));

        // Unlink: the viewer may not; then 204, and the assessment stays with the client.
        assert_forbidden(&app.delete(&link, Some(&world.viewer)));
        assert_not_found(&app.delete(&link, Some(&world.stranger)));
        assert_stale_delete(app, &link, token, "\"1\"");
        delete_if(app, &link, token, "\"2\"").assert_status(204);
        let unlinked = fetch(app, &world.client, &id);
        assert_eq!(unlinked["enrollment_id"], Value::Null);
        assert_eq!(unlinked["version"], 3);
        assert_eq!(unlinked["assessment_date"], INSIDE);
        assert_eq!(listed_as_admin(app, &linked), Vec::<String>::new());
        assert_eq!(
            listed_as_admin(
                app,
                &format!("{}?unlinked=true", assessments_path(&world.client))
            ),
            [id.as_str()]
        );
        assert_not_found(&app.delete(&link, Some(token)));
        // Never linked: 404 too.
        let other = id_of(&create_assessment(app, &world.client, INSIDE));
        assert_not_found(&app.delete(
            &link_path(&world.client, &world.enrollment, &other),
            Some(token),
        ));

        // It links again after being unlinked.
        put(app, &link, token).assert_status(200);
        assert_eq!(listed_as_admin(app, &linked), [id]);
    }

    fn linking_keeps_the_rules(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let link = |assessment: &Value| {
            put(
                app,
                &link_path(&world.client, &world.enrollment, &id_of(assessment)),
                token,
            )
        };

        // Another client's assessment.
        let theirs = create_assessment(app, &world.other_client, INSIDE);
        assert_rule(&link(&theirs), "assessment.client_mismatch");
        assert_eq!(
            fetch(app, &world.other_client, &id_of(&theirs))["enrollment_id"],
            Value::Null
        );

        // Linked to another enrollment of the same client.
        let second = id_of(&enroll_head(
            app,
            &world.client,
            &world.second_program,
            ENTRY,
        ));
        let taken = create_assessment(app, &world.client, INSIDE);
        put(
            app,
            &link_path(&world.client, &second, &id_of(&taken)),
            token,
        )
        .assert_status(200);
        let response = link(&taken);
        assert_rule(&response, "assessment.already_linked");
        let dry = put(
            app,
            &format!(
                "{}?dry_run=true",
                link_path(&world.client, &world.enrollment, &id_of(&taken))
            ),
            token,
        );
        assert_rule(&dry, "assessment.already_linked");
        assert_eq!(
            fetch(app, &world.client, &id_of(&taken))["enrollment_id"],
            second.as_str()
        );

        // Dated before the entry date; on the entry date is inside.
        let early = create_assessment(app, &world.client, BEFORE_ENTRY);
        assert_rule(&link(&early), "assessment.outside_enrollment");
        assert_eq!(
            fetch(app, &world.client, &id_of(&early))["enrollment_id"],
            Value::Null
        );
        let on_entry = create_assessment(app, &world.client, ENTRY);
        link(&on_entry).assert_status(200);

        assert_eq!(
            listed_as_admin(app, &linked_path(&world.client, &world.enrollment)),
            [id_of(&on_entry)]
        );

        // A linked assessment stays inside its enrollment when its date changes.
        let item = assessment_path(&world.client, &id_of(&on_entry));
        let linked = fetch(app, &world.client, &id_of(&on_entry));
        for date in [BEFORE_ENTRY, "2024-02-29"] {
            let response = app.patch(&item, Some(token), &json!({"assessment_date": date}));
            assert_rule(&response, "assessment.outside_enrollment");
            let dry = app.patch(
                &format!("{item}?dry_run=true"),
                Some(token),
                &json!({"assessment_date": date}),
            );
            assert_rule(&dry, "assessment.outside_enrollment");
        }
        assert_eq!(fetch(app, &world.client, &id_of(&on_entry)), linked);
        let moved = app.patch(&item, Some(token), &json!({"assessment_date": INSIDE}));
        moved.assert_status(200);
        assert_eq!(moved.body["assessment_date"], INSIDE);
        assert_eq!(moved.body["enrollment_id"], world.enrollment.as_str());

        // After an exit, an assessment dated after the exit date is outside too.
        let exited = app.post(
            &format!("{}/exit", enrollment_path(&world.client, &world.enrollment)),
            Some(token),
            &json!({"exit_date": "2024-04-01", "destination": 30}),
        );
        exited.assert_status(200);
        let late = create_assessment(app, &world.client, "2024-04-02");
        assert_rule(&link(&late), "assessment.outside_enrollment");
        let on_exit = create_assessment(app, &world.client, "2024-04-01");
        link(&on_exit).assert_status(200);
        let response = app.patch(
            &item,
            Some(token),
            &json!({"assessment_date": "2024-04-02"}),
        );
        assert_rule(&response, "assessment.outside_enrollment");
    }

    fn enrollment_create_links_assessment_ids(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let first = id_of(&create_assessment(app, &world.client, INSIDE));
        let second = id_of(&create_assessment(app, &world.client, "2024-03-06"));
        let response = post_enrollment(
            app,
            token,
            &world.client,
            &json!({
                "program_id": world.second_program,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "assessment_ids": [first, second],
            }),
        );
        response.assert_status(201);
        let enrollment = id_of(&response.body);
        assert_eq!(
            listed_as_admin(app, &linked_path(&world.client, &enrollment)),
            [first.clone(), second.clone()]
        );
        for id in [&first, &second] {
            let assessment = fetch(app, &world.client, id);
            assert_eq!(assessment["enrollment_id"], enrollment.as_str());
            assert_eq!(assessment["version"], 2);
            assert_eq!(assessment["updated_by"], "casey");
        }
        assert_eq!(
            listed_as_admin(app, &linked_path(&world.client, &world.enrollment)),
            Vec::<String>::new()
        );
    }

    fn enrollment_create_dry_run_links_nothing(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let first = id_of(&create_assessment(app, &world.client, INSIDE));
        let body = json!({
            "program_id": world.second_program,
            "entry_date": ENTRY,
            "relationship_to_hoh": 1,
            "assessment_ids": [first],
        });
        let dry = app.post(
            &format!("{}?dry_run=true", enrollments_path(&world.client)),
            Some(token),
            &body,
        );
        dry.assert_status(200);
        assert_eq!(
            listed_as_admin(
                app,
                &format!(
                    "{}?program_id={}",
                    enrollments_path(&world.client),
                    world.second_program
                )
            ),
            Vec::<String>::new()
        );
        let assessment = fetch(app, &world.client, &first);
        assert_eq!(assessment["enrollment_id"], Value::Null);
        assert_eq!(assessment["version"], 1);

        let response = post_enrollment(app, token, &world.client, &body);
        response.assert_status(201);
        assert_eq!(
            listed_as_admin(app, &linked_path(&world.client, &id_of(&response.body))),
            [first]
        );
    }

    fn enrollment_create_with_a_bad_assessment_stores_nothing(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let good = id_of(&create_assessment(app, &world.client, INSIDE));
        let early = id_of(&create_assessment(app, &world.client, BEFORE_ENTRY));
        let theirs = id_of(&create_assessment(app, &world.other_client, INSIDE));
        let elsewhere = id_of(&create_assessment(app, &world.client, INSIDE));
        put(
            app,
            &link_path(&world.client, &world.enrollment, &elsewhere),
            token,
        )
        .assert_status(200);
        let body = |bad: &str| {
            json!({
                "program_id": world.second_program,
                "entry_date": ENTRY,
                "relationship_to_hoh": 1,
                "assessment_ids": [good, bad],
                "follow_ups": [{"reason": "Check in", "due_date": "2024-03-08"}],
            })
        };
        let in_second_program = format!(
            "{}?program_id={}",
            enrollments_path(&world.client),
            world.second_program
        );

        for (bad, code) in [
            (&early, "assessment.outside_enrollment"),
            (&theirs, "assessment.client_mismatch"),
            (&elsewhere, "assessment.already_linked"),
        ] {
            let response = post_enrollment(app, token, &world.client, &body(bad));
            assert_rule(&response, code);
            assert_eq!(
                listed_as_admin(app, &in_second_program),
                Vec::<String>::new()
            );
        }
        let nothing = Uuid::now_v7().to_string();
        let response = post_enrollment(app, token, &world.client, &body(&nothing));
        assert_invalid(&response, "assessment_ids[1]", "reference.not_found");
        assert_eq!(
            listed_as_admin(app, &in_second_program),
            Vec::<String>::new()
        );

        // Nothing of the failed creates was kept: the good assessment is still unlinked, no
        // follow-up was made, and the other assessments are as they were.
        let kept = fetch(app, &world.client, &good);
        assert_eq!(kept["enrollment_id"], Value::Null);
        assert_eq!(kept["version"], 1);
        assert_eq!(
            fetch(app, &world.client, &early)["enrollment_id"],
            Value::Null
        );
        assert_eq!(
            fetch(app, &world.other_client, &theirs)["enrollment_id"],
            Value::Null
        );
        assert_eq!(
            fetch(app, &world.client, &elsewhere)["enrollment_id"],
            world.enrollment.as_str()
        );
        assert_eq!(
            ids_in(&app.get("/v1/follow-ups", Some(&app.admin_token()))),
            Vec::<String>::new()
        );

        // And the same enrollment can then be made: no household or enrollment was left
        // behind to overlap with.
        let mut fine = body(&good);
        fine["assessment_ids"] = json!([good]);
        let response = post_enrollment(app, token, &world.client, &fine);
        response.assert_status(201);
        assert_eq!(
            listed_as_admin(app, &in_second_program),
            [id_of(&response.body)]
        );
        assert_eq!(
            fetch(app, &world.client, &good)["enrollment_id"],
            id_of(&response.body).as_str()
        );
    }
);

both_backends!(
    fn dry_runs_of_unlink_and_delete_write_nothing(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let id = id_of(&create_assessment(app, &world.client, INSIDE));
        let link = link_path(&world.client, &world.enrollment, &id);
        put(app, &link, token).assert_status(200);
        let linked = fetch(app, &world.client, &id);

        // Either a dry run (2xx, nothing written) or a refused parameter (400): never a write.
        let item = assessment_path(&world.client, &id);
        for path in [
            format!("{link}?dry_run=true"),
            format!("{item}?dry_run=true"),
        ] {
            let response = app.delete(&path, Some(token));
            assert!(
                response.status == 400 || (200..300).contains(&response.status),
                "{}",
                response.describe()
            );
            assert_eq!(
                fetch(app, &world.client, &id),
                linked,
                "after DELETE {path}"
            );
        }
    }
);

both_backends!(
    fn unknown_query_parameters_are_refused_everywhere(app: &TestApp) {
        let world = world(app);
        let token = world.case_manager.as_str();
        let id = id_of(&create_assessment(app, &world.client, INSIDE));
        let item = assessment_path(&world.client, &id);
        let link = link_path(&world.client, &world.enrollment, &id);
        put(app, &link, token).assert_status(200);
        let linked = fetch(app, &world.client, &id);

        for response in [
            app.get(&format!("{item}?colour=red"), Some(token)),
            app.patch(
                &format!("{item}?colour=red"),
                Some(token),
                &json!({"prioritization_status": 2}),
            ),
            put(app, &format!("{link}?colour=red"), token),
            app.delete(&format!("{link}?colour=red"), Some(token)),
            app.delete(&format!("{item}?colour=red"), Some(token)),
        ] {
            assert_problem(&response, 400, "request.malformed");
        }
        assert_eq!(fetch(app, &world.client, &id), linked);
    }
);
