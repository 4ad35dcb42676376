//! Requests sent all at once: each is built first, then every thread waits for the others
//! and sends, so the requests reach the server as close together as threads allow.

use std::sync::Barrier;
use std::thread;

use serde_json::Value;
use threshold_tests::{Backend, Request, Response, TestApp};

use super::{create_client, enroll_head, enrollment_path, household_of, id_of};

/// A test app with enough database connections that each of `racers` holds one at once.
pub fn racing_app(backend: Backend, racers: usize) -> TestApp {
    TestApp::builder(backend)
        .db_pool_size(racers as u32 + 2)
        .spawn()
}

/// Builds `count` requests, then sends them all at once from threads of their own;
/// answers the responses in the order of the requests.
pub fn race(count: usize, build: impl Fn(usize) -> Request + Sync) -> Vec<Response> {
    let barrier = Barrier::new(count);
    thread::scope(|scope| {
        let racers: Vec<_> = (0..count)
            .map(|index| {
                let request = build(index);
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    request.send()
                })
            })
            .collect();
        racers
            .into_iter()
            .map(|racer| racer.join().expect("a racing thread panicked"))
            .collect()
    })
}

/// A `POST` of `body` to `path` as `token`, built to be sent in a race.
pub fn posting(app: &TestApp, token: &str, path: &str, body: &Value) -> Request {
    app.request("POST", path).token(Some(token)).json(body)
}

/// A household of `program` whose head (a new client named `founder`) was enrolled and
/// then deleted: open for exactly one new head. Answers the household's id.
pub fn headless_household(app: &TestApp, program: &str, founder: &str) -> String {
    let client = create_client(app, founder);
    let head = enroll_head(app, &client, program, "2024-03-01");
    let path = enrollment_path(&client, &id_of(&head));
    app.delete(&path, Some(&app.admin_token()))
        .assert_status(204);
    household_of(&head).to_owned()
}

/// Every response on a line of its own, for assertion messages.
pub fn summary(responses: &[Response]) -> String {
    let lines: Vec<String> = responses.iter().map(Response::describe).collect();
    lines.join("\n")
}

/// Exactly one response is `winner`; every other is one of the `refusals` (status and
/// code). Answers the winner's index.
pub fn assert_one_wins(
    round: usize,
    responses: &[Response],
    winner: u16,
    refusals: &[(u16, &str)],
) -> usize {
    let all = summary(responses);
    for response in responses {
        let refused = refusals
            .iter()
            .any(|(status, code)| response.status == *status && response.body["code"] == *code);
        assert!(
            response.status == winner || refused,
            "round {round}: a racer got neither {winner} nor one of {refusals:?}:\n{all}"
        );
    }
    let winners: Vec<usize> = responses
        .iter()
        .enumerate()
        .filter(|(_, response)| response.status == winner)
        .map(|(index, _)| index)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "round {round}: expected exactly one {winner} among {} racers:\n{all}",
        responses.len()
    );
    winners[0]
}
