//! A receiver that fails, redirects, hangs or goes away: each answer is an attempt in the
//! log, tried again with growing delays until it is delivered or its attempts are spent
//! (`failed`); a manual retry sends it once more; and a resource's later events wait for
//! its earlier one.

use serde_json::{json, Value};
use threshold_tests::{both_backends, Role, TestApp};

use super::*;
use crate::common::receiver::Answer;

const ENTRY: &str = "2024-03-01";

/// The one delivery of a subscription, once `done` says so of it.
fn the_delivery(app: &TestApp, webhook: &str, done: impl Fn(&Value) -> bool) -> Value {
    let found = wait_deliveries(app, webhook, PATIENCE, |found| {
        found.len() == 1 && done(&found[0])
    });
    found[0].clone()
}

both_backends! {
    fn a_failing_receiver_is_tried_again_until_it_answers(app: &TestApp) {
        let receiver = Receiver::start();
        receiver.answer(
            &[Answer::Fail(500), Answer::Fail(503), Answer::Redirect, Answer::Fail(404)],
            Answer::Accept,
        );
        let webhook = subscribe_receiver(app, &receiver);
        let shelter = shelter(app, "Harbor Light");
        new_head(app, &shelter.program, "Jordan", ENTRY, json!({}));

        let delivery = the_delivery(app, &webhook, |delivery| delivery["status"] == "succeeded");
        assert_eq!(
            status_codes(&delivery),
            [Some(500), Some(503), Some(302), Some(404), Some(204)]
        );
        let attempts = delivery["attempts"].as_array().expect("attempts");
        assert_eq!(attempts[2]["error"], "a redirect, which is not followed");
        assert_eq!(attempts[0]["error"], "answered 500");
        assert_eq!(attempts[4]["error"], json!(null));
        let times: Vec<_> = attempts.iter().map(|attempt| timestamp(&attempt["at"])).collect();
        assert!(times.windows(2).all(|pair| pair[0] < pair[1]), "{times:?}");
        assert_eq!(delivery["last_status_code"], 204);
        assert_eq!(delivery["event"]["type"], "enrollment.created");

        // The same message each time: one event ID, every signature checked.
        let received = receiver.received();
        assert_eq!(received.len(), 5);
        assert!(received.iter().all(|each| each.verified && each.id == received[0].id));
    }

    fn no_answer_in_time_is_an_attempt_without_a_status(backend: Backend) {
        let app = &TestApp::builder(backend).webhook_timeout_ms(300).spawn();
        let receiver = Receiver::start();
        receiver.answer(&[Answer::Hang], Answer::Accept);
        let webhook = subscribe_receiver(app, &receiver);
        let shelter = shelter(app, "Harbor Light");
        new_head(app, &shelter.program, "Jordan", ENTRY, json!({}));

        let delivery = the_delivery(app, &webhook, |delivery| delivery["status"] == "succeeded");
        assert_eq!(status_codes(&delivery), [None, Some(204)]);
        let error = delivery["attempts"][0]["error"].as_str().unwrap_or("");
        assert!(error.contains("no answer within 0.3 s"), "{error}");
        receiver.release();
    }

    fn a_delivery_fails_once_its_attempts_are_spent_then_is_sent_again_by_hand(backend: Backend) {
        let app = &TestApp::builder(backend).webhook_retry_base_ms(1).spawn();
        let receiver = Receiver::start();
        receiver.answer(&[], Answer::Fail(500));
        let webhook = subscribe_receiver(app, &receiver);
        let shelter = shelter(app, "Harbor Light");
        new_head(app, &shelter.program, "Jordan", ENTRY, json!({}));

        let failed = the_delivery(app, &webhook, |delivery| delivery["status"] == "failed");
        assert_eq!(status_codes(&failed), vec![Some(500); 13], "13 attempts, about a day");
        assert_eq!(failed["next_attempt_at"], json!(null));

        // Who may retry it, and what.
        let id = id_of(&failed);
        let retry = format!("/v1/webhooks/{webhook}/deliveries/{id}/retry");
        let stranger = token_for(app, "bayside-sync", Role::Integration, &shelter.organization);
        assert_not_found(&app.post(&retry, Some(&stranger), &json!({})));
        let case_manager = token_for(app, "casey", Role::CaseManager, &shelter.organization);
        assert_forbidden(&app.post(&retry, Some(&case_manager), &json!({})));
        assert_not_found(&app.post(
            &format!("/v1/webhooks/{webhook}/deliveries/{}/retry", uuid::Uuid::now_v7()),
            Some(&app.admin_token()),
            &json!({}),
        ));
        assert_eq!(
            status_codes(&the_delivery(app, &webhook, |_| true)).len(),
            13,
            "nothing sent meanwhile"
        );

        // Sent once more by hand: delivered.
        receiver.answer(&[], Answer::Accept);
        let retried = app.post(&retry, Some(&app.admin_token()), &json!({}));
        retried.assert_status(202);
        assert_eq!(retried.body["status"], "pending");
        assert_eq!(retried.body["id"], id.as_str());
        let delivered = the_delivery(app, &webhook, |delivery| delivery["status"] == "succeeded");
        let codes = status_codes(&delivered);
        assert_eq!(codes.len(), 14);
        assert_eq!(codes.last(), Some(&Some(204)));

        // Sent again by hand after it succeeded: once more, and only once, the same
        // Idempotency-Key sent twice replaying the first answer.
        receiver.answer(&[], Answer::Fail(500));
        let keyed = || {
            app.request("POST", &retry)
                .token(Some(&app.admin_token()))
                .header("Idempotency-Key", "retry-once")
                .send()
        };
        let first = keyed();
        first.assert_status(202);
        let replayed = keyed();
        replayed.assert_status(202);
        assert_eq!(replayed.body, first.body);
        let again = the_delivery(app, &webhook, |delivery| delivery["status"] == "failed");
        assert_eq!(status_codes(&again).len(), 15);
    }

    fn a_receiver_that_goes_away_gets_everything_in_order_when_it_comes_back(backend: Backend) {
        let app = &TestApp::builder(backend).webhook_retry_base_ms(100).spawn();
        let mut receiver = Receiver::start();
        let webhook = subscribe_receiver(app, &receiver);
        receiver.go_away();
        let admin = app.admin_token();
        let shelter = shelter(app, "Harbor Light");
        let jordan = new_head(app, &shelter.program, "Jordan", ENTRY, json!({}));
        app.patch(&jordan.path(), Some(&admin), &json!({"enrollment_coc": "CA-501"}))
            .assert_status(200);
        app.post(
            &jordan.exit_path(),
            Some(&admin),
            &json!({"exit_date": "2024-04-15", "destination": 410}),
        )
        .assert_status(200);
        let riley = new_head(app, &shelter.program, "Riley", ENTRY, json!({}));

        // Nobody answers: the first event of each resource is tried again and again, and
        // Jordan's later events wait behind Jordan's first.
        let log = wait_deliveries(app, &webhook, PATIENCE, |found| {
            found.len() == 4 && status_codes(&found[0]).len() >= 2 && !found[3]["attempts"]
                .as_array()
                .is_none_or(Vec::is_empty)
        });
        assert!(status_codes(&log[0]).iter().all(Option::is_none), "{:#?}", log[0]);
        assert!(log[0]["last_error"].as_str().is_some_and(|error| !error.is_empty()));
        for waiting in &log[1..3] {
            assert_eq!(waiting["event"]["resource_id"], jordan.id.as_str());
            assert_eq!(waiting["status"], "pending");
            assert!(status_codes(waiting).is_empty(), "held back: {waiting:#}");
        }
        assert_eq!(log[3]["event"]["resource_id"], riley.id.as_str());

        receiver.come_back();
        let received = receiver.wait_accepted(4, PATIENCE);
        let of_jordan: Vec<&str> = received
            .iter()
            .filter(|each| each.body["data"]["id"] == jordan.id.as_str())
            .map(|each| each.event_type())
            .collect();
        assert_eq!(
            of_jordan,
            ["enrollment.created", "enrollment.updated", "enrollment.exited"]
        );
        assert!(received.iter().all(|each| each.verified));
        wait_deliveries(app, &webhook, PATIENCE, |found| {
            found.iter().all(|delivery| delivery["status"] == "succeeded")
        });
    }
}
