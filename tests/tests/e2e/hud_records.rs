//! HUD's record collections under an enrollment (income and benefits, disabilities, health
//! and domestic violence, employment and education, current living situations, events,
//! youth education statuses): each keeps the record contract (CRUD, ETag, If-Match, dry
//! run, 403, 404, 422 for unknown fields), takes an Idempotency-Key, checks its HUD fields
//! against the catalog (422), its own consistency (422) and the stage rules (409).

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, TestApp};

/// The stay every test records against: entry 2024-03-01, still active.
const ENTRY: &str = "2024-03-01";

fn path_of(world: &EnrolledClient, segment: &str) -> String {
    format!("{}/{segment}", world.base())
}

/// A valid update-stage (2) record of each collection with stages, or a dated one of the
/// others, and a change of one of its fields.
fn samples() -> Vec<(&'static str, Value, Value, &'static str)> {
    vec![
        (
            "income-benefits",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "income_from_any_source": 1, "earned": 1, "earned_amount": 1250.5,
                   "total_monthly_income": 1250.5, "benefits_from_any_source": 0,
                   "insurance_from_any_source": 1, "medicaid": 1}),
            json!({"connection_with_soar": 0}),
            "connection_with_soar",
        ),
        (
            "disabilities",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "disability_type": 10, "disability_response": 3,
                   "indefinite_and_impairs": 1}),
            json!({"indefinite_and_impairs": 0}),
            "indefinite_and_impairs",
        ),
        (
            "health-and-dv",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "domestic_violence_survivor": 1, "when_occurred": 2, "currently_fleeing": 0}),
            json!({"currently_fleeing": 1}),
            "currently_fleeing",
        ),
        (
            "employment-education",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "employed": 1, "employment_type": 1}),
            json!({"employment_type": 2}),
            "employment_type",
        ),
        (
            "current-living-situations",
            json!({"information_date": "2024-04-01", "current_living_situation": 116,
                   "location_details": "Under the bridge"}),
            json!({"location_details": "Riverside camp"}),
            "location_details",
        ),
        (
            "events",
            json!({"information_date": "2024-04-01", "event": 1, "prob_sol_div_rr_result": 1}),
            json!({"prob_sol_div_rr_result": 0}),
            "prob_sol_div_rr_result",
        ),
        (
            "youth-education-statuses",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "current_school_attend": 0, "most_recent_ed_status": 1}),
            json!({"most_recent_ed_status": 2}),
            "most_recent_ed_status",
        ),
    ]
}

fn assert_rule(response: &Response, code: &str) {
    assert_problem(response, 409, code);
}

both_backends!(
    fn every_collection_keeps_the_record_contract(app: &TestApp) {
        for (segment, create, change, field) in samples() {
            let world = enrolled_client(app, ENTRY);
            crud_contract(
                app,
                &world,
                &Collection {
                    path: path_of(&world, segment),
                    create,
                    change,
                    field,
                },
            );
        }
    }

    fn a_record_shows_every_hud_field_of_its_file(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let (segment, body, _, _) = samples().remove(0);
        let response = app.post(&path_of(&world, segment), Some(&world.case_manager), &body);
        response.assert_status(201);
        let record = &response.body;
        assert_eq!(record["earned_amount"], 1250.5);
        assert_eq!(record["total_monthly_income"], 1250.5);
        assert_eq!(record["data_collection_stage"], 2);
        // Fields nothing was recorded for read null: HUD's empty column.
        assert_eq!(record["ssi"], Value::Null);
        assert_eq!(record["no_medicaid_reason"], Value::Null);
        assert!(record.get("personal_id").is_none());
        assert!(record.get("date_deleted").is_none());
        // Events have no stage.
        let (segment, body, _, _) = samples().remove(5);
        let event = app.post(&path_of(&world, segment), Some(&world.case_manager), &body);
        event.assert_status(201);
        assert!(
            event.body.get("data_collection_stage").is_none(),
            "{}",
            event.describe()
        );
        assert_eq!(event.body["information_date"], "2024-04-01");
    }

    fn a_retried_create_with_its_key_is_answered_once(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        for (segment, body, _, _) in samples() {
            let path = path_of(&world, segment);
            let send = || {
                app.request("POST", &path)
                    .token(Some(&world.case_manager))
                    .header("Idempotency-Key", &format!("key-{segment}"))
                    .json(&body)
                    .send()
            };
            let first = send();
            first.assert_status(201);
            let again = send();
            assert_eq!(again.status, 201, "{}", again.describe());
            assert_eq!(again.body, first.body);
            assert_eq!(listed_as_admin(app, &path).len(), 1, "{segment}");
        }
    }

    fn fields_are_checked_against_the_catalog(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let path = path_of(&world, "income-benefits");
        let refused = app.post(
            &path,
            Some(token),
            &json!({"information_date": "2024-04-01", "data_collection_stage": 4,
                    "income_from_any_source": 2, "earned_amount": -5, "ssi_amount": 10.005,
                    "other_income_source_identify": "x".repeat(51), "snap": "1",
                    "colour": "red"}),
        );
        assert_problem(&refused, 422, "validation.failed");
        let fields: Vec<(String, String)> = error_fields(&refused).into_iter().collect();
        for expected in [
            ("data_collection_stage", "invalid"),
            ("income_from_any_source", "invalid"),
            ("earned_amount", "invalid"),
            ("ssi_amount", "invalid"),
            ("other_income_source_identify", "invalid"),
            ("snap", "invalid"),
            ("colour", "unknown_field"),
        ] {
            assert!(
                fields.contains(&(expected.0.to_owned(), expected.1.to_owned())),
                "{expected:?} in {}",
                refused.describe()
            );
        }
        // The date and the stage are required; the stage is not a field of an event.
        assert_invalid(
            &app.post(&path, Some(token), &json!({"data_collection_stage": 2})),
            "information_date",
            "required",
        );
        assert_invalid(
            &app.post(
                &path,
                Some(token),
                &json!({"information_date": "2024-04-01"}),
            ),
            "data_collection_stage",
            "required",
        );
        assert_invalid(
            &app.post(
                &path_of(&world, "events"),
                Some(token),
                &json!({"information_date": "2024-04-01", "data_collection_stage": 2, "event": 1}),
            ),
            "data_collection_stage",
            "unknown_field",
        );
        assert_invalid(
            &app.post(
                &path,
                Some(token),
                &json!({"information_date": "2999-01-01", "data_collection_stage": 2}),
            ),
            "information_date",
            "date.in_future",
        );
        // HMIS CSV's "never null" fields: a disability's type, an event's kind.
        assert_invalid(
            &app.post(
                &path_of(&world, "disabilities"),
                Some(token),
                &json!({"information_date": "2024-04-01", "data_collection_stage": 2, "disability_response": 1}),
            ),
            "disability_type",
            "required",
        );
        assert_invalid(
            &app.post(
                &path_of(&world, "events"),
                Some(token),
                &json!({"information_date": "2024-04-01", "event": null}),
            ),
            "event",
            "required",
        );
        // A disability's response takes the list its type calls for (4.10.2 for 10 only).
        assert_invalid(
            &app.post(&path_of(&world, "disabilities"), Some(token), &json!({"information_date": "2024-04-01", "data_collection_stage": 2, "disability_type": 5, "disability_response": 3})),
            "disability_response",
            "invalid",
        );
        assert_eq!(listed_as_admin(app, &path), Vec::<String>::new());
    }

    fn each_file_keeps_its_own_consistency(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let path = path_of(&world, "income-benefits");
        let base = json!({"information_date": "2024-04-01", "data_collection_stage": 2});
        let with = |extra: Value| merged(base.clone(), extra);
        // 4.02: "yes" needs a paid source; the total is the sum; a source at 0 has no amount.
        assert_invalid(
            &app.post(
                &path,
                Some(token),
                &with(json!({"income_from_any_source": 1, "total_monthly_income": 0})),
            ),
            "income_from_any_source",
            "invalid",
        );
        assert_invalid(&app.post(&path, Some(token), &with(json!({"income_from_any_source": 1, "pension": 1, "pension_amount": 700, "total_monthly_income": 699}))), "total_monthly_income", "invalid");
        assert_invalid(
            &app.post(
                &path,
                Some(token),
                &with(json!({"income_from_any_source": 0, "earned": 0, "earned_amount": 10})),
            ),
            "earned_amount",
            "invalid",
        );
        // 4.04 and 4.11.
        assert_invalid(
            &app.post(
                &path,
                Some(token),
                &with(json!({"insurance_from_any_source": 1})),
            ),
            "insurance_from_any_source",
            "invalid",
        );
        assert_invalid(
            &app.post(
                &path_of(&world, "health-and-dv"),
                Some(token),
                &with(json!({"domestic_violence_survivor": 0, "currently_fleeing": 1})),
            ),
            "currently_fleeing",
            "invalid",
        );
        // A patch is checked as the record it makes.
        let stored = app.post(&path, Some(token), &with(json!({"income_from_any_source": 1, "pension": 1, "pension_amount": 700, "total_monthly_income": 700})));
        stored.assert_status(201);
        let item = format!("{path}/{}", id_of(&stored.body));
        assert_invalid(
            &app.patch(&item, Some(token), &json!({"pension_amount": 800})),
            "total_monthly_income",
            "invalid",
        );
        let fixed = app.patch(
            &item,
            Some(token),
            &json!({"pension_amount": 800, "total_monthly_income": 800}),
        );
        fixed.assert_status(200);
        assert_eq!(fixed.body["pension_amount"], 800.0);
        // Clearing a HUD field; the date and stage cannot be cleared.
        let cleared = app.patch(&item, Some(token), &json!({"connection_with_soar": null}));
        cleared.assert_status(200);
        assert_invalid(
            &app.patch(&item, Some(token), &json!({"information_date": null})),
            "information_date",
            "required",
        );
    }

    fn stages_follow_the_enrollment(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let path = path_of(&world, "income-benefits");
        let record = |date: &str, stage: i32| json!({"information_date": date, "data_collection_stage": stage, "income_from_any_source": 0});
        // Project start is the entry date, once.
        assert_rule(
            &app.post(&path, Some(token), &record("2024-03-02", 1)),
            "record.stage_date",
        );
        app.post(&path, Some(token), &record(ENTRY, 1))
            .assert_status(201);
        assert_rule(
            &app.post(&path, Some(token), &record(ENTRY, 1)),
            "record.stage_duplicate",
        );
        // Another kind at project start is fine; a second disability only of another type.
        let disabilities = path_of(&world, "disabilities");
        let disability = |kind: i32| json!({"information_date": ENTRY, "data_collection_stage": 1, "disability_type": kind, "disability_response": 0});
        app.post(&disabilities, Some(token), &disability(5))
            .assert_status(201);
        app.post(&disabilities, Some(token), &disability(9))
            .assert_status(201);
        assert_rule(
            &app.post(&disabilities, Some(token), &disability(5)),
            "record.stage_duplicate",
        );
        // Exit records need an exit; dates lie within the period.
        assert_rule(
            &app.post(&path, Some(token), &record("2024-05-01", 3)),
            "record.stage_date",
        );
        assert_rule(
            &app.post(&path, Some(token), &record("2024-02-29", 2)),
            "record.outside_enrollment",
        );
        // The annual assessment falls within 30 days of the head's anniversary.
        assert_rule(
            &app.post(&path, Some(token), &record("2025-01-29", 5)),
            "record.stage_date",
        );
        app.post(&path, Some(token), &record("2025-01-30", 5))
            .assert_status(201);
        app.post(&path, Some(token), &record("2025-03-31", 5))
            .assert_status(201);
        // Exited on 2024-06-30: an exit record on that day, once; nothing after it.
        exit_in_database(app, &world.enrollment, "2024-06-30");
        app.post(&path, Some(token), &record("2024-06-30", 3))
            .assert_status(201);
        assert_rule(
            &app.post(&path, Some(token), &record("2024-06-30", 3)),
            "record.stage_duplicate",
        );
        assert_rule(
            &app.post(
                &path_of(&world, "events"),
                Some(token),
                &json!({"information_date": "2024-07-01", "event": 1}),
            ),
            "record.outside_enrollment",
        );
        // A patch is held to the same rules.
        let update = app.post(&path, Some(token), &record("2024-04-01", 2));
        update.assert_status(201);
        let item = format!("{path}/{}", id_of(&update.body));
        assert_rule(
            &app.patch(&item, Some(token), &json!({"data_collection_stage": 1})),
            "record.stage_duplicate",
        );
    }

    fn records_go_with_their_enrollment(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let token = world.case_manager.as_str();
        let mut paths = Vec::new();
        for (segment, body, _, _) in samples() {
            let path = path_of(&world, segment);
            app.post(&path, Some(token), &body).assert_status(201);
            paths.push(path);
        }
        // Every write is in the audit trail under its own entity type.
        let income = listed_as_admin(app, &paths[0]);
        let trail = app.get(
            &format!(
                "/v1/audit-events?entity_type=income_benefits&entity_id={}",
                income[0]
            ),
            Some(&app.admin_token()),
        );
        trail.assert_status(200);
        assert_eq!(
            trail.body["data"][0]["action"],
            "create",
            "{}",
            trail.describe()
        );
        app.delete(&world.base(), Some(&app.admin_token()))
            .assert_status(204);
        for path in paths {
            assert_not_found(&app.get(&path, Some(&app.admin_token())));
        }
    }
);

/// A household of three in one shelter: a head and an adult partner entered 2024-03-01, a
/// child the same day.
fn household_of_three(app: &TestApp) -> (Stay, Stay, Stay) {
    let shelter = shelter(app, "Harbor Light");
    let head = new_head(app, &shelter.program, "Jordan", ENTRY, json!({}));
    let partner = new_member(app, &shelter.program, &head, "Sam", ENTRY, 3);
    let child = new_member(app, &shelter.program, &head, "Riley", ENTRY, 2);
    (head, partner, child)
}

fn exit_body(records: Value) -> Value {
    json!({"exit_date": "2024-06-30", "destination": 410, "household": true, "records": records})
}

fn listed(app: &TestApp, stay: &Stay, segment: &str) -> Vec<Value> {
    let list = app.get(
        &format!("{}/{segment}", stay.path()),
        Some(&app.admin_token()),
    );
    list.assert_status(200);
    list.body["data"].as_array().cloned().unwrap_or_default()
}

both_backends!(
    fn an_exit_stores_the_households_exit_records_all_or_nothing(app: &TestApp) {
        let (head, partner, child) = household_of_three(app);
        let token = app.admin_token();
        let income = json!({"income_from_any_source": 1, "earned": 1, "earned_amount": 900,
                            "total_monthly_income": 900, "benefits_from_any_source": 0,
                            "insurance_from_any_source": 0});
        let records = json!({
            head.id.clone(): {
                "income_benefits": income,
                "disabilities": [
                    {"disability_type": 5, "disability_response": 0},
                    {"disability_type": 9, "disability_response": 1, "indefinite_and_impairs": 1}
                ],
                "employment_education": {"employed": 1, "employment_type": 1}
            },
            partner.id.clone(): {"income_benefits": {"income_from_any_source": 0}},
            child.id.clone(): {"health_and_dv": {"domestic_violence_survivor": 0}}
        });

        // One bad record (the partner's second project-exit disability of one type) and
        // nothing is stored: no record, no exit.
        let mut broken = records.clone();
        broken[partner.id.as_str()]["disabilities"] = json!([
            {"disability_type": 5, "disability_response": 0},
            {"disability_type": 5, "disability_response": 1}
        ]);
        let refused = app.post(&head.exit_path(), Some(&token), &exit_body(broken));
        assert_problem(&refused, 409, "record.stage_duplicate");
        assert!(listed(app, &head, "income-benefits").is_empty());
        assert_eq!(fetch_stay(app, &head).body["status"], "active");
        // A record that breaks its own consistency: 422, named by its place in the request.
        let mut inconsistent = records.clone();
        inconsistent[head.id.as_str()]["income_benefits"]["total_monthly_income"] = json!(901);
        let refused = app.post(&head.exit_path(), Some(&token), &exit_body(inconsistent));
        assert_invalid(
            &refused,
            &format!("records.{}.income_benefits.total_monthly_income", head.id),
            "invalid",
        );
        // Records of an enrollment this exit does not exit.
        let stranger = new_head(
            app,
            &shelter(app, "Elsewhere").program,
            "Alex",
            ENTRY,
            json!({}),
        );
        let mut elsewhere = records.clone();
        elsewhere[stranger.id.as_str()] = json!({"income_benefits": {"income_from_any_source": 0}});
        let refused = app.post(&head.exit_path(), Some(&token), &exit_body(elsewhere));
        assert_invalid(
            &refused,
            &format!("records.{}", stranger.id),
            "reference.not_found",
        );
        // A dry run checks them and stores nothing.
        let dry = app.post(
            &format!("{}?dry_run=true", head.exit_path()),
            Some(&token),
            &exit_body(records.clone()),
        );
        dry.assert_status(200);
        assert!(listed(app, &head, "income-benefits").is_empty());

        // The exit: every member exited, each record at stage 3 dated the exit date.
        app.post(&head.exit_path(), Some(&token), &exit_body(records))
            .assert_status(200);
        for stay in [&head, &partner, &child] {
            assert_eq!(fetch_stay(app, stay).body["status"], "exited");
        }
        let head_income = listed(app, &head, "income-benefits");
        assert_eq!(head_income.len(), 1);
        assert_eq!(head_income[0]["data_collection_stage"], 3);
        assert_eq!(head_income[0]["information_date"], "2024-06-30");
        assert_eq!(head_income[0]["earned_amount"], 900.0);
        let disabilities = listed(app, &head, "disabilities");
        let types: Vec<&Value> = disabilities.iter().map(|d| &d["disability_type"]).collect();
        assert_eq!(types.len(), 2, "{disabilities:?}");
        assert_eq!(listed(app, &head, "employment-education").len(), 1);
        assert_eq!(
            listed(app, &partner, "income-benefits")[0]["income_from_any_source"],
            0
        );
        assert!(listed(app, &partner, "disabilities").is_empty());
        assert_eq!(
            listed(app, &child, "health-and-dv")[0]["data_collection_stage"],
            3
        );

        // Reopened (the head first), the exit records stay, but no longer count as an exit: a later exit
        // brings its own.
        for stay in [&head, &partner, &child] {
            app.delete(&stay.exit_path(), Some(&token))
                .assert_status(200);
        }
        assert_eq!(listed(app, &head, "income-benefits").len(), 1);
        let again = json!({"exit_date": "2024-08-31", "destination": 410, "household": true,
                           "records": {head.id.clone(): {"income_benefits": {"income_from_any_source": 0}}}});
        app.post(&head.exit_path(), Some(&token), &again)
            .assert_status(200);
        let incomes = listed(app, &head, "income-benefits");
        assert_eq!(incomes.len(), 2);
        assert!(incomes
            .iter()
            .any(|record| record["information_date"] == "2024-08-31"));
    }
);
