//! Requests racing to break an enrollment rule: however they interleave, at most one of them
//! may succeed, the others get the rule's 409, and none fails for being concurrent (no 5xx,
//! no 503). Every request of a race is built first and sent when all threads are ready.

use crate::common::races::*;
use crate::common::*;
use serde_json::json;
use threshold_tests::both_backends;

/// How many requests race at once.
const RACERS: usize = 12;

/// How many times each race is run, on fresh records: one run may happen not to
/// interleave badly even where the rules are unsafe.
const ROUNDS: usize = 4;

both_backends!(
    fn overlapping_enrollments_race(backend: Backend) {
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        for round in 0..ROUNDS {
            let client = create_client(app, &format!("Round{round}"));
            let responses = race(RACERS, |index| {
                let entry = format!("2024-03-{:02}", index + 1);
                app.request("POST", &enrollments_path(&client))
                    .token(Some(&token))
                    .json(&enrollment_body(&program, &entry, 1))
            });
            let winner = assert_one_wins(round, &responses, 201, &[(409, "enrollment.overlap")]);
            assert_eq!(
                enrollment_ids(app, &client),
                [id_of(&responses[winner].body)],
                "round {round}: what was stored is not what won"
            );
        }
    }

    fn heads_joining_one_household_race(backend: Backend) {
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        for round in 0..ROUNDS {
            let household = headless_household(app, &program, &format!("Founder{round}"));
            let clients = create_clients(app, &format!("Racer{round}x"), 0..RACERS);

            let body = member_body(&program, &household, "2024-03-01", 1);
            let responses = race(RACERS, |index| {
                posting(app, &token, &enrollments_path(&clients[index]), &body)
            });
            let winner = assert_one_wins(round, &responses, 201, &[(409, "household.head_exists")]);
            for (index, client) in clients.iter().enumerate() {
                let expected = if index == winner {
                    vec![id_of(&responses[winner].body)]
                } else {
                    Vec::new()
                };
                assert_eq!(enrollment_ids(app, client), expected, "round {round}");
            }
        }
    }

    fn members_becoming_head_race(backend: Backend) {
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        for round in 0..ROUNDS {
            let founder = create_client(app, &format!("Founder{round}"));
            let first = enroll_head(app, &founder, &program, "2024-03-01");
            let household = first["household_id"].as_str().unwrap().to_owned();
            let members: Vec<(String, String)> = (0..RACERS)
                .map(|index| {
                    let client = create_client(app, &format!("Member{round}x{index}"));
                    let member = enroll_member(app, &client, &program, &household, "2024-03-01", 2);
                    (client, id_of(&member))
                })
                .collect();
            // A head goes only once nobody else is active: exit the members (straight in
            // the database), then delete the head. The household then has members and no
            // head.
            for (_, member) in &members {
                exit_in_database(app, member, "2024-03-02");
            }
            app.delete(&enrollment_path(&founder, &id_of(&first)), Some(&token))
                .assert_status(204);

            let responses = race(RACERS, |index| {
                let (client, member) = &members[index];
                app.request("PATCH", &enrollment_path(client, member))
                    .token(Some(&token))
                    .json(&json!({"relationship_to_hoh": 1}))
            });
            let winner = assert_one_wins(round, &responses, 200, &[(409, "household.head_exists")]);
            for (index, (client, member)) in members.iter().enumerate() {
                let fetched = app.get(&enrollment_path(client, member), Some(&token));
                let expected = if index == winner { 1 } else { 2 };
                assert_eq!(
                    fetched.body["relationship_to_hoh"], expected,
                    "round {round}"
                );
            }
        }
    }

    fn enrollments_into_a_full_program_race(backend: Backend) {
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        for round in 0..ROUNDS {
            let program = create_program(app, &organization, json!({"capacity": 1}));
            let clients = create_clients(app, &format!("Racer{round}x"), 0..RACERS);

            let responses = race(RACERS, |index| {
                app.request("POST", &enrollments_path(&clients[index]))
                    .token(Some(&token))
                    .json(&enrollment_body(&program, "2024-03-01", 1))
            });
            let winner = assert_one_wins(round, &responses, 201, &[(409, "program.at_capacity")]);
            let stored: usize = clients
                .iter()
                .map(|client| enrollment_ids(app, client).len())
                .sum();
            assert_eq!(stored, 1, "round {round}");
            assert_eq!(
                enrollment_ids(app, &clients[winner]),
                [id_of(&responses[winner].body)]
            );
        }
    }

    fn deleting_a_client_while_enrolling_them_race(backend: Backend) {
        let app = &racing_app(backend, RACERS);
        let token = app.admin_token();
        let program = shelter(app, "Harbor Light").program;
        // Several rounds, each a fresh client that one request deletes while the other
        // enrolls them: one of the two must lose.
        for round in 0..ROUNDS + 2 {
            let client = create_client(app, &format!("Round{round}"));
            let responses = race(2, |index| {
                if index == 0 {
                    app.request("DELETE", &format!("/v1/clients/{client}"))
                        .token(Some(&token))
                } else {
                    app.request("POST", &enrollments_path(&client))
                        .token(Some(&token))
                        .json(&enrollment_body(&program, "2024-03-01", 1))
                }
            });
            let (deleted, enrolled) = (&responses[0], &responses[1]);
            let outcome = (deleted.status, enrolled.status);
            assert!(
                outcome == (204, 404) || outcome == (409, 201),
                "round {round}: delete and enroll answered {}\nand {}",
                deleted.describe(),
                enrolled.describe()
            );
            if deleted.status == 409 {
                assert_eq!(deleted.body["code"], "client.has_enrollments");
                app.get(&format!("/v1/clients/{client}"), Some(&token))
                    .assert_status(200);
            } else {
                assert_eq!(enrolled.body["code"], "not_found");
            }
        }
    }
);
