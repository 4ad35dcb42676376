//! The outbox with real `threshold serve` processes: a server killed while it sends loses
//! nothing (another takes the delivery once its lease runs out), events written while no
//! server delivers wait for the next one, and two servers on one PostgreSQL database send
//! each event once, in commit order per resource.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::json;
use threshold_tests::{both_backends, Backend, ServerProcess, Signal, TestDatabase};

use super::*;
use crate::common::receiver::{accepted, Answer};

const ENTRY: &str = "2024-03-01";

/// A server process that delivers to loopback, quickly: answers are awaited 1 s, so a
/// delivery's lease runs out 4 s after it was claimed.
fn server(database: &TestDatabase) -> ServerProcess {
    let mut server = ServerProcess::builder(database.url())
        .env("THRESHOLD_WEBHOOK_ALLOW_PRIVATE", "true")
        .env("THRESHOLD_WEBHOOK_TIMEOUT_MS", "1000")
        .env("THRESHOLD_WEBHOOK_POLL_MS", "20")
        .env("THRESHOLD_WEBHOOK_RETRY_BASE_MS", "20")
        .start();
    server.wait_ready();
    server
}

both_backends! {
    fn a_server_killed_while_it_delivers_loses_nothing(backend: Backend) {
        let database = TestDatabase::create(backend);
        let receiver = Receiver::start();
        receiver.answer(&[Answer::Hang], Answer::Accept);
        let mut first = server(&database);
        let app = first.client(database.url());
        let webhook = subscribe_receiver(&app, &receiver);
        let shelter = shelter(&app, "Harbor Light");
        let jordan = new_head(&app, &shelter.program, "Jordan", ENTRY, json!({}));

        // The server is sending the event, the receiver holding it, when the server dies.
        receiver.wait_hanging(PATIENCE);
        first.signal(Signal::Kill);
        first.wait_exit(Duration::from_secs(10)).expect("the killed server exits");
        receiver.release();

        let second = server(&database);
        let app = second.client(database.url());
        let received = receiver.wait_accepted(1, PATIENCE);
        assert_eq!(received[0].event_type(), "enrollment.created");
        assert_eq!(received[0].body["data"]["id"], jordan.id.as_str());
        assert!(received[0].verified);
        let log = wait_deliveries(&app, &webhook, PATIENCE, |found| {
            found.len() == 1 && found[0]["status"] == "succeeded"
        });
        assert_eq!(status_codes(&log[0]).last(), Some(&Some(204)));
    }

    fn events_wait_in_the_outbox_for_the_next_server(backend: Backend) {
        let database = TestDatabase::create(backend);
        let mut receiver = Receiver::start();
        let mut first = server(&database);
        let app = first.client(database.url());
        let webhook = subscribe_receiver(&app, &receiver);
        receiver.go_away();
        let admin = app.admin_token();
        let shelter = shelter(&app, "Harbor Light");
        let jordan = new_head(&app, &shelter.program, "Jordan", ENTRY, json!({}));
        app.patch(&jordan.path(), Some(&admin), &json!({"enrollment_coc": "CA-501"}))
            .assert_status(200);
        first.signal(Signal::Term);
        assert!(first
            .wait_exit(Duration::from_secs(35))
            .is_some_and(|status| status.success()));

        receiver.come_back();
        let second = server(&database);
        let received = receiver.wait_accepted(2, PATIENCE);
        let kinds: Vec<&str> = received.iter().map(|each| each.event_type()).collect();
        assert_eq!(kinds, ["enrollment.created", "enrollment.updated"]);
        let app = second.client(database.url());
        wait_deliveries(&app, &webhook, PATIENCE, |found| {
            found.len() == 2 && found.iter().all(|delivery| delivery["status"] == "succeeded")
        });
    }
}

#[test]
fn two_servers_deliver_each_event_once_in_commit_order_per_resource() {
    let database = TestDatabase::create(Backend::Postgres);
    let receiver = Receiver::start();
    let servers = [server(&database), server(&database)];
    let apps = servers
        .each_ref()
        .map(|server| server.client(database.url()));
    let webhook = subscribe_receiver(&apps[0], &receiver);
    let shelter = shelter(&apps[0], "Harbor Light");
    const CLIENTS: usize = 12;
    let mut stays = Vec::new();
    for index in 0..CLIENTS {
        let app = &apps[index % 2];
        let admin = app.admin_token();
        let stay = new_head(
            app,
            &shelter.program,
            &format!("Client{index}"),
            ENTRY,
            json!({}),
        );
        apps[(index + 1) % 2]
            .patch(
                &stay.path(),
                Some(&admin),
                &json!({"enrollment_coc": "CA-501"}),
            )
            .assert_status(200);
        app.post(
            &stay.exit_path(),
            Some(&admin),
            &json!({"exit_date": "2024-04-15", "destination": 410}),
        )
        .assert_status(200);
        stays.push(stay);
    }
    let expected = CLIENTS * 3;
    let received = receiver.wait_accepted(expected, PATIENCE);
    // Every delivery answered: none was sent twice.
    let all = receiver.received();
    assert_eq!(
        all.len(),
        expected,
        "{} sent for {expected} events",
        all.len()
    );
    let ids: BTreeSet<&str> = all.iter().map(|each| each.id.as_str()).collect();
    assert_eq!(ids.len(), expected, "an event was sent twice");
    assert!(accepted(&all).len() == expected && all.iter().all(|each| each.verified));
    let mut by_enrollment: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for each in &received {
        let id = each.body["data"]["id"].as_str().unwrap_or("").to_owned();
        by_enrollment.entry(id).or_default().push(each.event_type());
    }
    for stay in &stays {
        assert_eq!(
            by_enrollment.get(&stay.id).map(Vec::as_slice),
            Some(
                [
                    "enrollment.created",
                    "enrollment.updated",
                    "enrollment.exited"
                ]
                .as_slice()
            ),
            "{}",
            stay.id
        );
    }
    // Each recorded as one attempt (by whichever server sent it).
    let log = wait_deliveries(&apps[1], &webhook, PATIENCE, |found| {
        found.len() == expected
            && found
                .iter()
                .all(|delivery| delivery["status"] == "succeeded")
    });
    assert!(log
        .iter()
        .all(|delivery| status_codes(delivery) == [Some(204)]));
}
