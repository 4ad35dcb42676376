//! Lifecycle requests racing each other: exits, reopens and changes of head sent all at once.
//! However they interleave, each rule holds afterwards, a transition happens once, and no
//! request fails for being concurrent (no 5xx). Every request of a race is built first and
//! sent when all threads are ready.

use std::sync::Barrier;
use std::thread;

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{both_backends, Backend, Request, Response, TestApp};

/// How many requests race at once.
const RACERS: usize = 12;

/// How many times each race is run, on fresh records: one run may happen not to
/// interleave badly even where the rules are unsafe.
const ROUNDS: usize = 3;

const ENTRY: &str = "2024-03-01";

/// A test app with enough database connections that every racer holds one at once.
fn racing_app(backend: Backend) -> TestApp {
    TestApp::builder(backend)
        .db_pool_size(RACERS as u32 + 2)
        .spawn()
}

/// Builds `count` requests, then sends them all at once from threads of their own;
/// answers the responses in the order of the requests.
fn race(count: usize, build: impl Fn(usize) -> Request + Sync) -> Vec<Response> {
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

fn summary(responses: &[Response]) -> String {
    let lines: Vec<String> = responses.iter().map(Response::describe).collect();
    lines.join("\n")
}

/// Exactly one response is 200; every other is one of the `refusals` (status and code).
/// Answers the winner's index.
fn assert_one_wins(round: usize, responses: &[Response], refusals: &[(u16, &str)]) -> usize {
    let all = summary(responses);
    for response in responses {
        let refused = refusals
            .iter()
            .any(|(status, code)| response.status == *status && response.body["code"] == *code);
        assert!(
            response.status == 200 || refused,
            "round {round}: a racer got neither 200 nor one of {refusals:?}:\n{all}"
        );
    }
    let winners: Vec<usize> = responses
        .iter()
        .enumerate()
        .filter(|(_, response)| response.status == 200)
        .map(|(index, _)| index)
        .collect();
    assert_eq!(
        winners.len(),
        1,
        "round {round}: expected exactly one 200 among {} racers:\n{all}",
        responses.len()
    );
    winners[0]
}

/// One client's enrollment.
struct Stay {
    client: String,
    id: String,
    household: String,
}

impl Stay {
    fn from_body(body: &Value) -> Stay {
        Stay {
            client: body["client_id"].as_str().expect("a client_id").to_owned(),
            id: id_of(body),
            household: body["household_id"]
                .as_str()
                .expect("a household_id")
                .to_owned(),
        }
    }

    fn path(&self) -> String {
        enrollment_path(&self.client, &self.id)
    }

    fn exit_path(&self) -> String {
        format!("{}/exit", self.path())
    }
}

fn head(app: &TestApp, program: &str, name: &str, body: Value) -> Stay {
    let client = create_client(app, name);
    let response = post_enrollment(
        app,
        &app.admin_token(),
        &client,
        &merged(enrollment_body(program, ENTRY, 1), body),
    );
    response.assert_status(201);
    Stay::from_body(&response.body)
}

fn member(app: &TestApp, program: &str, head: &Stay, name: &str) -> Stay {
    let client = create_client(app, name);
    Stay::from_body(&enroll_member(
        app,
        &client,
        program,
        &head.household,
        ENTRY,
        2,
    ))
}

fn exit_body(exit_date: &str) -> Value {
    json!({"exit_date": exit_date, "destination": 410})
}

/// The stored enrollment, read as an admin.
fn fetch(app: &TestApp, stay: &Stay) -> Value {
    let response = app.get(&stay.path(), Some(&app.admin_token()));
    response.assert_status(200);
    response.body
}

fn fetch_household(app: &TestApp, household: &str) -> Value {
    let response = app.get(
        &format!("/v1/households/{household}"),
        Some(&app.admin_token()),
    );
    response.assert_status(200);
    response.body
}

fn members_of(household: &Value) -> Vec<Value> {
    household["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no `members` list in {household}"))
        .clone()
}

/// No member is active while the head has exited.
fn assert_no_active_member_without_head(round: usize, household: &Value) {
    let members = members_of(household);
    let heads: Vec<&Value> = members
        .iter()
        .filter(|member| member["relationship_to_hoh"] == 1)
        .collect();
    assert_eq!(heads.len(), 1, "round {round}: one head in {household}");
    if heads[0]["status"] == "exited" {
        let active: Vec<&Value> = members
            .iter()
            .filter(|member| member["status"] == "active")
            .collect();
        assert!(
            active.is_empty(),
            "round {round}: the head has exited while {} members are active: {household}",
            active.len()
        );
    }
}

both_backends!(
    fn exits_of_one_enrollment_race(backend: Backend) {
        let app = racing_app(backend);
        let app = &app;
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({}));
        for round in 0..ROUNDS {
            let stay = head(app, &program, &format!("Round{round}"), json!({}));
            // Each racer leaves on another day, so the stored exit names the winner.
            let responses = race(RACERS, |index| {
                app.request("POST", &stay.exit_path())
                    .token(Some(&token))
                    .json(&exit_body(&format!("2024-04-{:02}", index + 1)))
            });
            let winner = assert_one_wins(round, &responses, &[(409, "enrollment.already_exited")]);
            let stored = fetch(app, &stay);
            assert_eq!(stored["status"], "exited", "round {round}");
            assert_eq!(stored["version"], 2, "round {round}: exited more than once");
            assert_eq!(
                stored["exit"]["exit_date"],
                format!("2024-04-{:02}", winner + 1),
                "round {round}: what was stored is not what won"
            );
            assert_eq!(stored, responses[winner].body, "round {round}");
        }
    }

    fn exits_with_if_match_race(backend: Backend) {
        let app = racing_app(backend);
        let app = &app;
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({}));
        for round in 0..ROUNDS {
            let stay = head(app, &program, &format!("Round{round}"), json!({}));
            let responses = race(RACERS, |index| {
                app.request("POST", &stay.exit_path())
                    .token(Some(&token))
                    .header("If-Match", "\"1\"")
                    .json(&exit_body(&format!("2024-04-{:02}", index + 1)))
            });
            let winner = assert_one_wins(
                round,
                &responses,
                &[
                    (412, "precondition.failed"),
                    (409, "enrollment.already_exited"),
                ],
            );
            let stored = fetch(app, &stay);
            assert_eq!(stored["version"], 2, "round {round}: exited more than once");
            assert_eq!(stored, responses[winner].body, "round {round}");
        }
    }

    fn reopens_of_one_enrollment_race(backend: Backend) {
        let app = racing_app(backend);
        let app = &app;
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({}));
        for round in 0..ROUNDS {
            let stay = head(app, &program, &format!("Round{round}"), json!({}));
            app.post(&stay.exit_path(), Some(&token), &exit_body("2024-04-15"))
                .assert_status(200);
            let responses = race(RACERS, |_| {
                app.request("DELETE", &stay.exit_path()).token(Some(&token))
            });
            let winner = assert_one_wins(round, &responses, &[(409, "enrollment.not_exited")]);
            let stored = fetch(app, &stay);
            assert_eq!(stored["status"], "active", "round {round}");
            assert_eq!(
                stored["version"], 3,
                "round {round}: reopened more than once"
            );
            assert_eq!(stored, responses[winner].body, "round {round}");
        }
    }
);

both_backends!(
    fn changes_of_head_race(backend: Backend) {
        let app = racing_app(backend);
        let app = &app;
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        // Permanent housing: the head's move-in date moves with every change of head.
        let program = create_program(app, &organization, json!({"project_type": 3}));
        for round in 0..ROUNDS {
            let parent = head(
                app,
                &program,
                &format!("Head{round}"),
                json!({"move_in_date": "2024-03-10"}),
            );
            let members: Vec<Stay> = (0..RACERS)
                .map(|index| member(app, &program, &parent, &format!("Member{round}x{index}")))
                .collect();
            let path = format!("/v1/households/{}/head", parent.household);

            let responses = race(RACERS, |index| {
                app.request("PUT", &path).token(Some(&token)).json(&json!({
                    "enrollment_id": members[index].id,
                    "previous_head_relationship": 2 + index % 4,
                }))
            });
            let all = summary(&responses);
            for response in &responses {
                assert!(
                    response.status == 200 || response.status == 409,
                    "round {round}: a change of head got neither 200 nor 409:\n{all}"
                );
            }
            let won: Vec<&str> = responses
                .iter()
                .enumerate()
                .filter(|(_, response)| response.status == 200)
                .map(|(index, _)| members[index].id.as_str())
                .collect();
            assert!(!won.is_empty(), "round {round}: nobody became head:\n{all}");

            let household = fetch_household(app, &parent.household);
            let heads: Vec<String> = members_of(&household)
                .iter()
                .filter(|member| member["relationship_to_hoh"] == 1)
                .map(|member| member["enrollment_id"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(
                heads.len(),
                1,
                "round {round}: one head in {household}\n{all}"
            );
            let new_head = &heads[0];
            assert_eq!(household["head_enrollment_id"], new_head.as_str());
            assert!(
                won.contains(&new_head.as_str()),
                "round {round}: the head {new_head} was not named by a successful request:\n{all}"
            );
            // The move-in date is on the head, and only there.
            for stay in std::iter::once(&parent).chain(&members) {
                let stored = fetch(app, stay);
                let expected = if &stay.id == new_head {
                    json!("2024-03-10")
                } else {
                    Value::Null
                };
                assert_eq!(
                    stored["move_in_date"], expected,
                    "round {round}: {}\n{all}",
                    stay.id
                );
            }
        }
    }
);

both_backends!(
    fn head_exit_racing_member_reopens(backend: Backend) {
        let app = racing_app(backend);
        let app = &app;
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({}));
        for round in 0..ROUNDS {
            // Every member has left; the head may leave alone, or members come back, not
            // both.
            let parent = head(app, &program, &format!("Head{round}"), json!({}));
            let members: Vec<Stay> = (1..RACERS)
                .map(|index| {
                    let stay = member(app, &program, &parent, &format!("Member{round}x{index}"));
                    app.post(&stay.exit_path(), Some(&token), &exit_body("2024-03-20"))
                        .assert_status(200);
                    stay
                })
                .collect();
            let exiting = round % RACERS;

            let responses = race(RACERS, |index| {
                if index == exiting {
                    app.request("POST", &parent.exit_path())
                        .token(Some(&token))
                        .json(&exit_body("2024-04-15"))
                } else {
                    let stay = &members[if index < exiting { index } else { index - 1 }];
                    app.request("DELETE", &stay.exit_path()).token(Some(&token))
                }
            });
            let all = summary(&responses);
            for response in &responses {
                assert!(
                    response.status == 200
                        || (response.status == 409
                            && response.body["code"] == "household.members_active"),
                    "round {round}: a racer got neither 200 nor 409 \
                     household.members_active:\n{all}"
                );
            }
            let head_left = responses[exiting].status == 200;
            let reopened = responses
                .iter()
                .enumerate()
                .filter(|(index, response)| *index != exiting && response.status == 200)
                .count();
            assert!(
                !(head_left && reopened > 0),
                "round {round}: the head left alone while {reopened} members came back:\n{all}"
            );
            assert_no_active_member_without_head(round, &fetch_household(app, &parent.household));
        }
    }
);

both_backends!(
    fn head_exit_racing_member_joins(backend: Backend) {
        let app = racing_app(backend);
        let app = &app;
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({}));
        for round in 0..ROUNDS {
            let parent = head(app, &program, &format!("Head{round}"), json!({}));
            let clients: Vec<String> = (1..RACERS)
                .map(|index| create_client(app, &format!("Joiner{round}x{index}")))
                .collect();
            let exiting = round % RACERS;

            let responses = race(RACERS, |index| {
                if index == exiting {
                    app.request("POST", &parent.exit_path())
                        .token(Some(&token))
                        .json(&exit_body("2024-04-15"))
                } else {
                    let client = &clients[if index < exiting { index } else { index - 1 }];
                    app.request("POST", &enrollments_path(client))
                        .token(Some(&token))
                        .json(&merged(
                            enrollment_body(&program, "2024-03-05", 2),
                            json!({"household_id": parent.household}),
                        ))
                }
            });
            let all = summary(&responses);
            let exit = &responses[exiting];
            assert!(
                exit.status == 200
                    || (exit.status == 409 && exit.body["code"] == "household.members_active"),
                "round {round}: the head's exit got neither 200 nor 409 \
                 household.members_active:\n{all}"
            );
            for (index, response) in responses.iter().enumerate() {
                if index != exiting {
                    assert!(
                        response.status == 201 || response.status == 409,
                        "round {round}: a join got neither 201 nor 409:\n{all}"
                    );
                }
            }
            let joined = responses
                .iter()
                .enumerate()
                .filter(|(index, response)| *index != exiting && response.status == 201)
                .count();
            assert!(
                !(exit.status == 200 && joined > 0),
                "round {round}: the head left alone while {joined} members joined:\n{all}"
            );
            assert_no_active_member_without_head(round, &fetch_household(app, &parent.household));
        }
    }
);
