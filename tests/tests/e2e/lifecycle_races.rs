//! Lifecycle requests racing each other: exits, reopens and changes of head sent all at once.
//! However they interleave, each rule holds afterwards, a transition happens once, and no
//! request fails for being concurrent (no 5xx). Every request of a race is built first and
//! sent when all threads are ready.

use crate::common::races::*;
use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{both_backends, TestApp};

/// How many requests race at once.
const RACERS: usize = 12;

/// How many times each race is run, on fresh records: one run may happen not to
/// interleave badly even where the rules are unsafe.
const ROUNDS: usize = 3;

const ENTRY: &str = "2024-03-01";

fn head(app: &TestApp, program: &str, name: &str, body: Value) -> Stay {
    new_head(app, program, name, ENTRY, body)
}

fn member(app: &TestApp, program: &str, head: &Stay, name: &str) -> Stay {
    new_member(app, program, head, name, ENTRY, 2)
}

fn exit_body(exit_date: &str) -> Value {
    json!({"exit_date": exit_date, "destination": 410})
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
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        for round in 0..ROUNDS {
            let stay = head(app, &program, &format!("Round{round}"), json!({}));
            // Each racer leaves on another day, so the stored exit names the winner.
            let responses = race(RACERS, |index| {
                app.request("POST", &stay.exit_path())
                    .token(Some(&token))
                    .json(&exit_body(&format!("2024-04-{:02}", index + 1)))
            });
            let winner = assert_one_wins(
                round,
                &responses,
                200,
                &[(409, "enrollment.already_exited")],
            );
            let stored = fetch_stay(app, &stay).body;
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
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
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
                200,
                &[
                    (412, "precondition.failed"),
                    (409, "enrollment.already_exited"),
                ],
            );
            let stored = fetch_stay(app, &stay).body;
            assert_eq!(stored["version"], 2, "round {round}: exited more than once");
            assert_eq!(stored, responses[winner].body, "round {round}");
        }
    }

    fn reopens_of_one_enrollment_race(backend: Backend) {
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        for round in 0..ROUNDS {
            let stay = head(app, &program, &format!("Round{round}"), json!({}));
            app.post(&stay.exit_path(), Some(&token), &exit_body("2024-04-15"))
                .assert_status(200);
            let responses = race(RACERS, |_| {
                app.request("DELETE", &stay.exit_path()).token(Some(&token))
            });
            let winner = assert_one_wins(round, &responses, 200, &[(409, "enrollment.not_exited")]);
            let stored = fetch_stay(app, &stay).body;
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
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        // Permanent housing: the head's move-in date moves with every change of head.
        let program = shelter_with(app, "Harbor Light", json!({"project_type": 3})).program;
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
                let stored = fetch_stay(app, stay).body;
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
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
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
                    posting(app, &token, &parent.exit_path(), &exit_body("2024-04-15"))
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
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        for round in 0..ROUNDS {
            let parent = head(app, &program, &format!("Head{round}"), json!({}));
            let clients = create_clients(app, &format!("Joiner{round}x"), 1..RACERS);
            let exiting = round % RACERS;

            let responses = race(RACERS, |index| {
                if index == exiting {
                    posting(app, &token, &parent.exit_path(), &exit_body("2024-04-15"))
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
