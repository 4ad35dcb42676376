//! Webhooks end to end: subscriptions (roles, the secret shown once, the URL guard), every
//! event type delivered signed to a real receiver on loopback with the resource as its
//! `GET` shows it, retries with backoff until `failed`, the delivery log and a manual retry,
//! scoping like reads, and the outbox across a crash, a restart and two servers.

mod events;
mod records;
mod retries;
mod servers;
mod subscriptions;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use threshold_tests::TestApp;

use crate::common::receiver::Receiver;
use crate::common::*;

/// Every event type.
pub const ALL_EVENTS: [&str; 11] = [
    "enrollment.created",
    "enrollment.updated",
    "enrollment.exited",
    "enrollment.reopened",
    "enrollment.deleted",
    "household.head_changed",
    "client.updated",
    "import.finished",
    "record.created",
    "record.updated",
    "record.deleted",
];

/// How long a delivery may take to arrive in these tests (retries are milliseconds apart).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Subscribes `url` to `events` as `token`; answers the subscription's ID and secret.
pub fn subscribe(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (String, String) {
    let response = app.post(
        "/v1/webhooks",
        Some(token),
        &json!({"url": url, "events": events, "description": "test receiver"}),
    );
    response.assert_status(201);
    let secret = response.body["secret"]
        .as_str()
        .unwrap_or_else(|| panic!("no secret in {}", response.describe()))
        .to_owned();
    (id_of(&response.body), secret)
}

/// Subscribes the receiver to every event as an admin, trusting the secret; answers the
/// subscription's ID.
pub fn subscribe_receiver(app: &TestApp, receiver: &Receiver) -> String {
    let (id, secret) = subscribe(app, &app.admin_token(), &receiver.url(), &ALL_EVENTS);
    receiver.trust(&secret);
    id
}

/// Every delivery of a subscription, read as `token`, in order.
pub fn deliveries_as(app: &TestApp, token: &str, webhook: &str) -> Vec<Value> {
    pages(
        app,
        token,
        &format!("/v1/webhooks/{webhook}/deliveries?limit=200"),
    )
    .iter()
    .flat_map(items)
    .collect()
}

pub fn deliveries(app: &TestApp, webhook: &str) -> Vec<Value> {
    deliveries_as(app, &app.admin_token(), webhook)
}

/// Waits (at most `within`) until the deliveries of a subscription satisfy `done`.
pub fn wait_deliveries(
    app: &TestApp,
    webhook: &str,
    within: Duration,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = Instant::now() + within;
    loop {
        let found = deliveries(app, webhook);
        if done(&found) {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "the deliveries did not get there within {within:?}: {found:#?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The status codes of a delivery's attempts (`None`: no answer).
pub fn status_codes(delivery: &Value) -> Vec<Option<u64>> {
    delivery["attempts"]
        .as_array()
        .unwrap_or_else(|| panic!("no attempts in {delivery}"))
        .iter()
        .map(|attempt| attempt["status_code"].as_u64())
        .collect()
}
