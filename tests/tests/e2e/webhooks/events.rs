//! Every event type reaches a real receiver, signed, with the resource as its `GET` shows
//! it, in commit order per resource; a subscription sees what its organization may read.

use chrono::Utc;
use serde_json::json;
use std::collections::BTreeSet;
use threshold_tests::{both_backends, Role};

use super::*;
use crate::common::imports::{archive_with_services, import_and_wait, large_archive};
use crate::common::receiver::{accepted, Received};

const ENTRY: &str = "2024-03-01";

/// The deliveries about one resource (`data.id`), in the order they arrived.
fn about<'a>(received: &'a [Received], id: &str) -> Vec<&'a Received> {
    received
        .iter()
        .filter(|received| received.body["data"]["id"] == id)
        .collect()
}

fn types(received: &[&Received]) -> Vec<String> {
    received
        .iter()
        .map(|received| received.event_type().to_owned())
        .collect()
}

both_backends! {
    fn every_event_type_arrives_signed_with_the_resource_as_get_shows_it(app: &TestApp) {
        let receiver = Receiver::start();
        let webhook = subscribe_receiver(app, &receiver);
        let admin = app.admin_token();
        let shelter = shelter(app, "Harbor Light");

        // An enrollment's life: created, updated, a new head, exited, reopened.
        let head = new_head(app, &shelter.program, "Jordan", ENTRY, json!({}));
        app.patch(&head.path(), Some(&admin), &json!({"enrollment_coc": "CA-501"}))
            .assert_status(200);
        let member = new_member(app, &shelter.program, &head, "Riley", ENTRY, 2);
        let head_change = app.put(
            &format!("/v1/households/{}/head", head.household),
            Some(&admin),
            &json!({"enrollment_id": member.id, "previous_head_relationship": 2}),
        );
        head_change.assert_status(200);
        app.post(
            &head.exit_path(),
            Some(&admin),
            &json!({"exit_date": "2024-04-15", "destination": 410}),
        )
        .assert_status(200);
        app.delete(&head.exit_path(), Some(&admin)).assert_status(200);

        // A client changed.
        let client_path = format!("/v1/clients/{}", head.client);
        app.patch(&client_path, Some(&admin), &json!({"middle_name": "Quinn"}))
            .assert_status(200);

        // A record's life: a service created, changed, deleted.
        let services = format!("{}/services", member.path());
        let service = app.post(
            &services,
            Some(&admin),
            &json!({"date_provided": "2024-03-05", "record_type": 144, "type_provided": 1}),
        );
        service.assert_status(201);
        let service_path = format!("{services}/{}", id_of(&service.body));
        let changed_service = app.patch(&service_path, Some(&admin), &json!({"note": "hot meal"}));
        changed_service.assert_status(200);
        app.delete(&service_path, Some(&admin)).assert_status(204);

        // An enrollment deleted.
        let brief = new_head(app, &shelter.program, "Sky", ENTRY, json!({}));
        app.delete(&brief.path(), Some(&admin)).assert_status(204);

        // An import.
        let job = import_and_wait(app, &shelter.organization, large_archive(1), PATIENCE);
        assert_eq!(job["status"], "succeeded", "{job}");

        let received = receiver.wait_for(PATIENCE, |received| {
            let kinds: BTreeSet<&str> = accepted(received)
                .iter()
                .map(|received| received.event_type())
                .map(|kind| ALL_EVENTS.iter().find(|known| **known == kind).copied().unwrap_or(""))
                .collect();
            ALL_EVENTS.iter().all(|kind| kinds.contains(kind))
                && about(received, &brief.id).len() >= 2
        });

        // Every delivery is signed; the receiver checked each and accepted it.
        let now = Utc::now().timestamp();
        for delivery in &received {
            assert!(delivery.verified, "a signature that does not verify: {delivery:?}");
            assert_eq!(delivery.answered, 204, "{delivery:?}");
            assert_eq!(delivery.body["id"], delivery.id.as_str(), "webhook-id is the event's id");
            let sent_at: i64 = delivery.timestamp.parse().expect("a timestamp in seconds");
            assert!((now - 300..=now + 5).contains(&sent_at), "{sent_at} vs {now}");
            assert!(delivery.signature.starts_with("v1,"), "{}", delivery.signature);
            let keys: BTreeSet<&str> = delivery
                .body
                .as_object()
                .expect("an object")
                .keys()
                .map(String::as_str)
                .collect();
            let record = delivery.event_type().starts_with("record.");
            let expected: BTreeSet<&str> = if record {
                ["id", "type", "occurred_at", "data", "record_type"].into()
            } else {
                ["id", "type", "occurred_at", "data"].into()
            };
            assert_eq!(keys, expected, "{}", delivery.body);
            timestamp(&delivery.body["occurred_at"]);
        }
        let ids: BTreeSet<&str> = received.iter().map(|delivery| delivery.id.as_str()).collect();
        assert_eq!(ids.len(), received.len(), "no event sent twice to an answering receiver");

        // One resource's events arrive in the order they were committed.
        assert_eq!(
            types(&about(&received, &head.id)),
            [
                "enrollment.created",
                "enrollment.updated",
                "enrollment.updated",
                "enrollment.exited",
                "enrollment.reopened",
            ]
        );
        assert_eq!(
            types(&about(&received, &brief.id)),
            ["enrollment.created", "enrollment.deleted"]
        );

        // The data is the resource as its GET showed it when the change committed.
        let last_of_head = about(&received, &head.id).last().map(|d| d.body["data"].clone());
        assert_eq!(last_of_head, Some(fetch_stay(app, &head).body));
        let deleted = &about(&received, &brief.id)[1].body["data"];
        assert_eq!(deleted["id"], brief.id.as_str());
        let client = received
            .iter()
            .find(|delivery| delivery.event_type() == "client.updated")
            .expect("client.updated");
        let read_client = app.get(&client_path, Some(&admin));
        assert_eq!(client.body["data"], read_client.body);
        assert_eq!(client.body["data"]["middle_name"], "Quinn");
        let household = received
            .iter()
            .find(|delivery| delivery.event_type() == "household.head_changed")
            .expect("household.head_changed");
        assert_eq!(household.body["data"], head_change.body);
        assert_eq!(household.body["data"]["head_enrollment_id"], member.id.as_str());
        let records: Vec<&Received> = received
            .iter()
            .filter(|delivery| delivery.event_type().starts_with("record."))
            .collect();
        assert_eq!(
            types(&records),
            ["record.created", "record.updated", "record.deleted"]
        );
        assert!(records.iter().all(|delivery| delivery.body["record_type"] == "service"));
        assert_eq!(records[0].body["data"], service.body);
        assert_eq!(records[1].body["data"], changed_service.body);
        assert_eq!(records[1].body["data"]["note"], "hot meal");
        let import = received
            .iter()
            .find(|delivery| delivery.event_type() == "import.finished")
            .expect("import.finished");
        assert_eq!(import.body["data"]["id"], job["id"]);
        assert_eq!(import.body["data"]["status"], "succeeded");
        assert_eq!(import.body["data"]["counts"], job["counts"]);

        // The log shows every delivery, succeeded with one 204.
        let log = wait_deliveries(app, &webhook, PATIENCE, |found| {
            found.iter().all(|delivery| delivery["status"] == "succeeded")
        });
        assert!(log.len() >= received.len(), "{} < {}", log.len(), received.len());
        for delivery in &log {
            assert_eq!(status_codes(delivery), [Some(204)], "{delivery}");
            assert_eq!(delivery["next_attempt_at"], json!(null));
        }
    }

    fn a_subscription_sees_what_its_organization_may_read(app: &TestApp) {
        let admin = app.admin_token();
        let harbor = shelter(app, "Harbor Light");
        let bayside = shelter(app, "Bayside");
        let refuge = shelter_with(app, "Safe Harbor", json!({}));
        app.patch(
            &format!("/v1/organizations/{}", refuge.organization),
            Some(&admin),
            &json!({"victim_service_provider": true}),
        )
        .assert_status(200);
        let everything = Receiver::start();
        let all = subscribe_receiver(app, &everything);
        let harbor_receiver = Receiver::start();
        let (harbor_hook, secret) = subscribe(
            app,
            &token_for(app, "harbor-sync", Role::Integration, &harbor.organization),
            &harbor_receiver.url(),
            &ALL_EVENTS,
        );
        harbor_receiver.trust(&secret);
        let bayside_token = token_for(app, "bayside-sync", Role::Integration, &bayside.organization);
        let (bayside_hook, _) = subscribe(app, &bayside_token, &harbor_receiver.url(), &ALL_EVENTS);

        let jordan = new_head(app, &harbor.program, "Jordan", ENTRY, json!({}));
        app.patch(
            &format!("/v1/clients/{}", jordan.client),
            Some(&admin),
            &json!({"middle_name": "Lee"}),
        )
        .assert_status(200);
        let resources = |webhook: &str| -> Vec<(String, String)> {
            deliveries(app, webhook)
                .iter()
                .map(|delivery| {
                    (
                        delivery["event"]["type"].as_str().unwrap_or("").to_owned(),
                        delivery["event"]["resource_id"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        };
        let jordan_events = vec![
            ("enrollment.created".to_owned(), jordan.id.clone()),
            ("client.updated".to_owned(), jordan.client.clone()),
        ];
        // Deliveries are made in the change's transaction: the log shows them at once.
        assert_eq!(resources(&harbor_hook), jordan_events);
        assert_eq!(resources(&all), jordan_events);
        assert!(resources(&bayside_hook).is_empty(), "Bayside reads nothing of Jordan");
        assert_eq!(
            deliveries_as(app, &bayside_token, &bayside_hook).len(),
            0,
            "nor is told of it"
        );

        let got = harbor_receiver.wait_accepted(2, PATIENCE);
        let mut kinds = types(&got.iter().collect::<Vec<_>>());
        kinds.sort();
        assert_eq!(kinds, ["client.updated", "enrollment.created"]);
        assert!(got.iter().all(|each| each.verified));

        // Once a victim service provider serves Jordan, Harbor is told nothing more of them.
        let sealed = enroll_head(app, &jordan.client, &refuge.program, "2024-05-01");
        app.patch(&jordan.path(), Some(&admin), &json!({"enrollment_coc": "CA-501"}))
            .assert_status(200);
        app.patch(
            &format!("/v1/clients/{}", jordan.client),
            Some(&admin),
            &json!({"middle_name": "Lane"}),
        )
        .assert_status(200);
        assert_eq!(resources(&harbor_hook), jordan_events);
        let everything_sees = resources(&all);
        assert_eq!(everything_sees.len(), 5, "{everything_sees:?}");
        assert_eq!(everything_sees[2], ("enrollment.created".to_owned(), id_of(&sealed)));

        everything.wait_accepted(5, PATIENCE);
        assert_eq!(resources(&harbor_hook), jordan_events, "nothing more for Harbor");
    }

    fn services_an_import_creates_are_published_as_created(app: &TestApp) {
        // An import stores no creation event for its services (the audit trail makes it when
        // asked); a subscription hears of each all the same.
        let admin = app.admin_token();
        let (webhook, _) = subscribe(app, &admin, "http://127.0.0.1:9/unheard", &["record.created"]);
        let organization = create_organization(app, "Harbor");
        let job = import_and_wait(app, &organization, archive_with_services(3), PATIENCE);
        assert_eq!(job["status"], "succeeded", "{job}");
        assert_eq!(job["counts"]["Services.csv"]["created"], 3, "{job}");
        let found = wait_deliveries(app, &webhook, PATIENCE, |found| found.len() >= 3);
        let kinds: Vec<&str> = found
            .iter()
            .map(|delivery| delivery["event"]["type"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(kinds, ["record.created"; 3], "{found:#?}");
    }
}
