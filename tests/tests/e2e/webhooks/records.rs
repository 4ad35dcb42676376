//! HUD's records under an enrollment are `record.*` events as a service is: created, changed
//! and deleted through their collections, brought by an exit, deleted with their enrollment;
//! each delivered to a real receiver with its `record_type` and the record as its `GET`
//! shows it, and only to the subscriptions that may read it.

use serde_json::json;
use threshold_tests::{both_backends, Role};

use super::*;
use crate::common::receiver::{accepted, Received};

const ENTRY: &str = "2024-03-01";

/// Each collection's path segment, the `record_type` of its records' events, a record of
/// it and a change to that record.
fn collections() -> Vec<(&'static str, &'static str, Value, Value)> {
    vec![
        (
            "income-benefits",
            "income_benefits",
            json!({"information_date": ENTRY, "data_collection_stage": 1,
                   "income_from_any_source": 1, "earned": 1, "earned_amount": 640,
                   "total_monthly_income": 640}),
            json!({"connection_with_soar": 0}),
        ),
        (
            "disabilities",
            "disability",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "disability_type": 10, "disability_response": 3,
                   "indefinite_and_impairs": 1}),
            json!({"indefinite_and_impairs": 0}),
        ),
        (
            "health-and-dv",
            "health_and_dv",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "domestic_violence_survivor": 0}),
            json!({"domestic_violence_survivor": 1, "when_occurred": 2, "currently_fleeing": 0}),
        ),
        (
            "employment-education",
            "employment_education",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "employed": 1, "employment_type": 1}),
            json!({"employment_type": 2}),
        ),
        (
            "current-living-situations",
            "current_living_situation",
            json!({"information_date": "2024-04-01", "current_living_situation": 116}),
            json!({"location_details": "Riverside camp"}),
        ),
        (
            "events",
            "event",
            json!({"information_date": "2024-04-01", "event": 1, "prob_sol_div_rr_result": 1}),
            json!({"prob_sol_div_rr_result": 0}),
        ),
        (
            "youth-education-statuses",
            "youth_education_status",
            json!({"information_date": "2024-04-01", "data_collection_stage": 2,
                   "current_school_attend": 0, "most_recent_ed_status": 1}),
            json!({"most_recent_ed_status": 2}),
        ),
    ]
}

/// The record events about one record (`data.id`), in the order they arrived.
fn about<'a>(received: &'a [Received], id: &str) -> Vec<&'a Received> {
    received
        .iter()
        .filter(|received| received.event_type().starts_with("record."))
        .filter(|received| received.body["data"]["id"] == id)
        .collect()
}

fn types(received: &[&Received]) -> Vec<String> {
    received
        .iter()
        .map(|received| received.event_type().to_owned())
        .collect()
}

fn only_item(app: &TestApp, path: &str) -> Value {
    let list = app.get(path, Some(&app.admin_token()));
    list.assert_status(200);
    let found = items(&list);
    assert_eq!(found.len(), 1, "{}", list.describe());
    found[0].clone()
}

both_backends! {
    fn every_hud_records_change_is_a_record_event(app: &TestApp) {
        let receiver = Receiver::start();
        let webhook = subscribe_receiver(app, &receiver);
        let admin = app.admin_token();
        let harbor = shelter(app, "Harbor Light");
        // Another organization's integration reads nothing of Harbor's records.
        let bayside = shelter(app, "Bayside");
        let bayside_token = token_for(app, "bayside-sync", Role::Integration, &bayside.organization);
        let (bayside_hook, _) = subscribe(
            app,
            &bayside_token,
            &receiver.url(),
            &["record.created", "record.updated", "record.deleted"],
        );
        let head = new_head(app, &harbor.program, "Jordan", ENTRY, json!({}));
        let partner = new_member(app, &harbor.program, &head, "Sam", ENTRY, 3);

        // A record of each collection: created, changed, deleted.
        let mut lives = Vec::new();
        for (segment, record_type, body, change) in collections() {
            let path = format!("{}/{segment}", head.path());
            let created = app.post(&path, Some(&admin), &body);
            created.assert_status(201);
            let item = format!("{path}/{}", id_of(&created.body));
            let changed = app.patch(&item, Some(&admin), &change);
            changed.assert_status(200);
            app.delete(&item, Some(&admin)).assert_status(204);
            lives.push((record_type, created.body, changed.body));
        }

        // The exit brings the household's exit-stage records.
        let exit = json!({"exit_date": "2024-06-30", "destination": 410, "household": true,
            "records": {
                head.id.clone(): {"income_benefits": {"income_from_any_source": 0}},
                partner.id.clone(): {"disabilities": [
                    {"disability_type": 5, "disability_response": 0}
                ]}
            }});
        app.post(&head.exit_path(), Some(&admin), &exit).assert_status(200);
        let head_exit = only_item(app, &format!("{}/income-benefits", head.path()));
        let partner_exit = only_item(app, &format!("{}/disabilities", partner.path()));

        // A deleted enrollment's records are deleted with it.
        let brief = new_head(app, &harbor.program, "Sky", ENTRY, json!({}));
        let contact = app.post(
            &format!("{}/current-living-situations", brief.path()),
            Some(&admin),
            &json!({"information_date": ENTRY, "current_living_situation": 116}),
        );
        contact.assert_status(201);
        app.delete(&brief.path(), Some(&admin)).assert_status(204);

        let expected = lives.len() * 3 + 2 + 2;
        let received = receiver.wait_for(PATIENCE, |received| {
            accepted(received)
                .iter()
                .filter(|received| received.event_type().starts_with("record."))
                .count()
                >= expected
        });
        for delivery in &received {
            assert!(delivery.verified, "{delivery:?}");
        }

        // Each record's changes in commit order, with the record as its GET showed it.
        for (record_type, created, changed) in &lives {
            let id = created["id"].as_str().expect("an id");
            let events = about(&received, id);
            assert_eq!(
                types(&events),
                ["record.created", "record.updated", "record.deleted"],
                "{record_type}"
            );
            assert!(
                events.iter().all(|event| event.body["record_type"] == *record_type),
                "{record_type}: {events:?}"
            );
            assert_eq!(events[0].body["data"], *created, "{record_type}");
            assert_eq!(events[1].body["data"], *changed, "{record_type}");
            assert_eq!(events[2].body["data"]["id"], id, "{record_type}");
            assert_eq!(events[2].body["data"]["version"], 3, "{record_type}");
        }
        for (record, record_type) in [(&head_exit, "income_benefits"), (&partner_exit, "disability")] {
            assert_eq!(record["data_collection_stage"], 3);
            let events = about(&received, record["id"].as_str().expect("an id"));
            assert_eq!(types(&events), ["record.created"]);
            assert_eq!(events[0].body["record_type"], record_type);
            assert_eq!(events[0].body["data"], *record);
        }
        let contact_events = about(&received, &id_of(&contact.body));
        assert_eq!(types(&contact_events), ["record.created", "record.deleted"]);
        assert_eq!(contact_events[0].body["data"], contact.body);
        assert_eq!(contact_events[1].body["record_type"], "current_living_situation");

        let log = wait_deliveries(app, &webhook, PATIENCE, |found| {
            found.iter().all(|delivery| delivery["status"] == "succeeded")
        });
        assert!(log.len() >= expected, "{} < {expected}", log.len());
        assert!(deliveries(app, &bayside_hook).is_empty(), "Bayside is told nothing");
    }
}
