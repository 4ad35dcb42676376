//! Two `threshold serve` processes on one PostgreSQL database, as behind a load balancer:
//! they migrate a fresh database at the same moment without racing, the enrollment rules hold
//! for requests racing through both (also when one of them has one writer at a time), one
//! Idempotency-Key sent to both writes once, the change feed read from one shows the other's
//! writes in order, a mixed load spread over both leaves one head per household and no
//! overlapping enrollments, and an import running on one is left alone by the other until its
//! server dies.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::imports::*;
use crate::common::races::*;
use crate::common::*;
use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{json, Value};
use threshold_domain::Period;
use threshold_persistence::schema::enrollments;
use threshold_tests::{Backend, Response, ServerProcess, TestApp, TestDatabase};

/// Two servers on one fresh database, and a client of each. Dropped in this order: the
/// clients, the servers, then the database.
struct Pair {
    apps: [TestApp; 2],
    servers: [ServerProcess; 2],
    _database: TestDatabase,
}

impl Pair {
    /// Starts both servers at once on an empty database, so both find every migration
    /// pending.
    fn start() -> Pair {
        Pair::start_locking(["scoped", "scoped"])
    }

    /// Like [`Pair::start`], each server locking writes as `write_locks` says.
    fn start_locking(write_locks: [&str; 2]) -> Pair {
        let database = TestDatabase::create(Backend::Postgres);
        let mut servers = write_locks.map(|locks| {
            ServerProcess::builder(database.url())
                .env("THRESHOLD_DB_POOL_SIZE", "8")
                .env("THRESHOLD_WRITE_LOCKS", locks)
                .start()
        });
        for server in &mut servers {
            server.wait_ready();
        }
        let apps = servers
            .each_ref()
            .map(|server| server.client(database.url()));
        Pair {
            apps,
            servers,
            _database: database,
        }
    }

    /// The server a request number `index` goes to: every other one to each.
    fn app(&self, index: usize) -> &TestApp {
        &self.apps[index % 2]
    }
}

/// How many requests race at once, half through each server.
const RACERS: usize = 12;
const ROUNDS: usize = 3;

#[test]
fn both_servers_migrate_one_fresh_database_at_once() {
    let pair = Pair::start();
    let migrated: Vec<usize> = (0..2)
        .filter(|&index| pair.servers[index].log().contains("applied migrations"))
        .collect();
    assert_eq!(
        migrated.len(),
        1,
        "one server migrates while the other waits for the lock, then finds nothing to do:\n{}\n{}",
        pair.servers[0].log(),
        pair.servers[1].log()
    );
    let trees = std::fs::read_dir(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../migrations/postgres"
    ))
    .expect("the migration tree")
    .count();
    let mut conn = pair.apps[0].state().db.get().expect("a connection");
    let applied: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(
        "(SELECT COUNT(*) FROM __diesel_schema_migrations)",
    ))
    .get_result(&mut *conn)
    .expect("the applied migrations");
    assert_eq!(applied, trees as i64);
    for app in &pair.apps {
        app.get("/readyz", None).assert_status(200);
    }
}

#[test]
fn the_rules_hold_for_requests_racing_through_both_servers() {
    rules_hold_racing_through(&Pair::start());
}

/// A server with one writer at a time (`--write-locks global`) beside one with scoped locks,
/// as in a change of setting or an upgrade from a release before scoped locks.
#[test]
fn the_rules_hold_between_a_server_with_scoped_locks_and_one_with_one_writer() {
    rules_hold_racing_through(&Pair::start_locking(["scoped", "global"]));
}

fn rules_hold_racing_through(pair: &Pair) {
    let (a, token) = (&pair.apps[0], pair.apps[0].admin_token());
    let organization = create_organization(a, "Harbor Light");
    let program = create_program(a, &organization, json!({}));
    for round in 0..ROUNDS {
        // Overlapping stays of one client in one program.
        let client = create_client(a, &format!("Round{round}"));
        let responses = race(RACERS, |index| {
            let entry = format!("2024-03-{:02}", index + 1);
            pair.app(index)
                .request("POST", &enrollments_path(&client))
                .token(Some(&token))
                .json(&enrollment_body(&program, &entry, 1))
        });
        let winner = assert_one_wins(round, &responses, 201, &[(409, "enrollment.overlap")]);
        assert_eq!(
            enrollment_ids(&pair.apps[1], &client),
            [id_of(&responses[winner].body)]
        );

        // Heads joining one household whose head was deleted.
        let household = headless_household(a, &program, &format!("Founder{round}"));
        let clients = create_clients(a, &format!("Head{round}x"), 0..RACERS);
        let body = member_body(&program, &household, "2024-03-01", 1);
        let responses = race(RACERS, |index| {
            pair.app(index)
                .request("POST", &enrollments_path(&clients[index]))
                .token(Some(&token))
                .json(&body)
        });
        assert_one_wins(round, &responses, 201, &[(409, "household.head_exists")]);

        // One bed left.
        let full = create_program(
            a,
            &organization,
            json!({"name": format!("One bed {round}"), "capacity": 1}),
        );
        let responses = race(RACERS, |index| {
            pair.app(index)
                .request("POST", &enrollments_path(&clients[index]))
                .token(Some(&token))
                .json(&enrollment_body(&full, "2024-03-01", 1))
        });
        let winner = assert_one_wins(round, &responses, 201, &[(409, "program.at_capacity")]);
        let stored: usize = clients
            .iter()
            .map(|client| {
                enrollment_ids(&pair.apps[1], client)
                    .iter()
                    .filter(|id| {
                        let path = enrollment_path(client, id);
                        pair.apps[1].get(&path, Some(&token)).body["program_id"] == full
                    })
                    .count()
            })
            .sum();
        assert_eq!(stored, 1, "round {round}: {}", responses[winner].describe());
    }
}

#[test]
fn one_idempotency_key_sent_to_both_servers_writes_once() {
    let pair = Pair::start();
    let token = pair.apps[0].admin_token();
    for round in 0..ROUNDS {
        let key = format!("both-servers-{round}");
        let body = json!({
            "first_name": format!("Keyed{round}"),
            "last_name": "Lee",
            "dob": "1980-01-01",
            "dob_data_quality": 1,
        });
        let responses = race(RACERS, |index| {
            pair.app(index)
                .request("POST", "/v1/clients")
                .token(Some(&token))
                .header("Idempotency-Key", &key)
                .json(&body)
        });
        let summary = summary(&responses);
        for response in &responses {
            assert_eq!(response.status, 201, "round {round}:\n{summary}");
            assert_eq!(
                response.body, responses[0].body,
                "round {round}:\n{summary}"
            );
        }
        let fresh = responses
            .iter()
            .filter(|response| response.header("idempotent-replayed") != Some("true"))
            .count();
        assert_eq!(
            fresh, 1,
            "round {round}: one creates, the rest replay:\n{summary}"
        );
        let listed = pair.apps[1].get(
            &format!("/v1/clients?limit=100&q=Keyed{round}"),
            Some(&token),
        );
        let named: Vec<Value> = listed.body["data"]
            .as_array()
            .unwrap_or_else(|| panic!("no data in {}", listed.describe()))
            .iter()
            .filter(|client| client["first_name"] == format!("Keyed{round}"))
            .cloned()
            .collect();
        assert_eq!(named.len(), 1, "round {round}: {}", listed.describe());
    }
}

/// An enrollment's id and `updated_at` as a write answered them.
fn change(response: &Response) -> (String, String) {
    (
        id_of(&response.body),
        response.body["updated_at"]
            .as_str()
            .unwrap_or_else(|| panic!("no updated_at in {}", response.describe()))
            .to_owned(),
    )
}

/// The whole change feed as `app` serves it, page by page.
fn feed(app: &TestApp) -> Vec<(String, String)> {
    let token = app.admin_token();
    let mut seen = Vec::new();
    let mut path = "/v1/enrollments?limit=7".to_owned();
    loop {
        let page = app.get(&path, Some(&token));
        page.assert_status(200);
        for item in page.body["data"].as_array().expect("a data list") {
            seen.push((
                id_of(item),
                item["updated_at"].as_str().expect("updated_at").to_owned(),
            ));
        }
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/enrollments?limit=7&cursor={cursor}"),
            None => return seen,
        }
    }
}

#[test]
fn the_feed_read_from_one_server_shows_writes_through_the_other_in_order() {
    let pair = Pair::start();
    let [a, b] = &pair.apps;
    let token = a.admin_token();
    let program = shelter(a, "Harbor Light").program;
    let clients = create_clients(a, "Feed", 0..8);

    // Through A only, then B reads: creates, then edits and exits of some of them.
    let mut last_change: BTreeMap<String, String> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut record = |response: &Response| {
        let (id, at) = change(response);
        order.retain(|seen| *seen != id);
        order.push(id.clone());
        last_change.insert(id, at);
    };
    let mut stays = Vec::new();
    for client in &clients[..4] {
        let created = post_enrollment(
            a,
            &token,
            client,
            &enrollment_body(&program, "2024-03-01", 1),
        );
        created.assert_status(201);
        record(&created);
        stays.push(enrollment_path(client, &id_of(&created.body)));
    }
    let edited = a.patch(
        &stays[0],
        Some(&token),
        &json!({"enrollment_coc": "CA-500"}),
    );
    edited.assert_status(200);
    record(&edited);
    let exited = a.post(
        &format!("{}/exit", stays[2]),
        Some(&token),
        &json!({"exit_date": "2024-04-01", "destination": 116}),
    );
    exited.assert_status(200);
    record(&exited);
    let expected: Vec<(String, String)> = order
        .iter()
        .map(|id| (id.clone(), last_change[id].clone()))
        .collect();
    assert_eq!(feed(b), expected, "B's feed of A's writes");

    // Writers on both servers at once: each one's changes appear in the order it made
    // them, with rising `updated_at`, and both servers serve the same feed.
    let written: Vec<Vec<(String, String)>> = thread::scope(|scope| {
        let writers: Vec<_> = [&clients[4..6], &clients[6..8]]
            .into_iter()
            .enumerate()
            .map(|(writer, clients)| {
                let (app, token, program) = (&pair.apps[writer], &token, &program);
                scope.spawn(move || {
                    let mut changes = Vec::new();
                    for client in clients {
                        let created = post_enrollment(
                            app,
                            token,
                            client,
                            &enrollment_body(program, "2024-03-01", 1),
                        );
                        created.assert_status(201);
                        changes.push(change(&created));
                        let path = enrollment_path(client, &id_of(&created.body));
                        let edited =
                            app.patch(&path, Some(token), &json!({"enrollment_coc": "CA-501"}));
                        edited.assert_status(200);
                        changes.push(change(&edited));
                    }
                    changes
                })
            })
            .collect();
        writers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let from_a = feed(a);
    let from_b = feed(b);
    assert_eq!(from_a, from_b, "both servers serve one feed");
    let times: Vec<&String> = from_b.iter().map(|(_, at)| at).collect();
    assert!(
        times.windows(2).all(|pair| pair[0] < pair[1]),
        "updated_at rises strictly: {times:?}"
    );
    for changes in &written {
        // Each enrollment shows once, at its last change.
        let lasts: Vec<&(String, String)> = changes.iter().skip(1).step_by(2).collect();
        let positions: Vec<usize> = lasts
            .iter()
            .map(|last| {
                from_b
                    .iter()
                    .position(|item| item == *last)
                    .unwrap_or_else(|| panic!("{last:?} is not in the feed {from_b:?}"))
            })
            .collect();
        assert!(
            positions.windows(2).all(|pair| pair[0] < pair[1]),
            "one writer's changes out of order: {positions:?}"
        );
    }
}

/// A stay the soak made, as it made it.
#[derive(Debug, Clone)]
struct Stay {
    client: String,
    id: String,
    household: String,
    entry: NaiveDate,
}

impl Stay {
    fn path(&self) -> String {
        enrollment_path(&self.client, &self.id)
    }
}

/// A small deterministic generator, so a failing soak can be run again as it was.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides as u64) as usize
    }
}

/// The soak's bounds: whichever comes first.
const SOAK_REQUESTS: usize = 600;
const SOAK_TIME: Duration = Duration::from_secs(20);
const SOAK_THREADS: usize = 6;

#[test]
fn a_mixed_load_over_both_servers_keeps_the_household_and_overlap_invariants() {
    let pair = Pair::start();
    let a = &pair.apps[0];
    let token = a.admin_token();
    let program = shelter(a, "Harbor Light").program;
    let clients = create_clients(a, "Soak", 0..10);
    let stays: Mutex<Vec<Stay>> = Mutex::default();
    let sent = AtomicUsize::new(0);
    let statuses: Mutex<BTreeMap<u16, usize>> = Mutex::default();
    let failures: Mutex<Vec<String>> = Mutex::default();
    let started = Instant::now();
    let day = |dice: &mut Dice| {
        NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(dice.roll(150) as u64)
    };

    thread::scope(|scope| {
        for worker in 0..SOAK_THREADS {
            let (pair, token, program, clients) = (&pair, &token, &program, &clients);
            let (stays, sent, statuses, failures) = (&stays, &sent, &statuses, &failures);
            scope.spawn(move || {
                let mut dice = Dice(0x9E37_79B9_7F4A_7C15 ^ (worker as u64 + 1));
                while sent.fetch_add(1, Ordering::SeqCst) < SOAK_REQUESTS
                    && started.elapsed() < SOAK_TIME
                {
                    let app = pair.app(worker + dice.roll(2));
                    let known = stays.lock().unwrap().clone();
                    let pick = (!known.is_empty()).then(|| known[dice.roll(known.len())].clone());
                    let client = &clients[dice.roll(clients.len())];
                    let entry = day(&mut dice);
                    let (response, joined) = match (dice.roll(7), pick) {
                        (0 | 1, _) | (_, None) => (
                            post_enrollment(
                                app,
                                token,
                                client,
                                &enrollment_body(program, &entry.to_string(), 1),
                            ),
                            None,
                        ),
                        (2, Some(stay)) => {
                            let relationship = if dice.roll(3) == 0 { 1 } else { 2 };
                            let body = merged(
                                enrollment_body(program, &entry.to_string(), relationship),
                                json!({ "household_id": stay.household }),
                            );
                            (
                                post_enrollment(app, token, client, &body),
                                Some(stay.household),
                            )
                        }
                        (3, Some(stay)) => {
                            let exit = stay.entry + chrono::Days::new(1 + dice.roll(40) as u64);
                            (
                                app.post(
                                    &format!("{}/exit", stay.path()),
                                    Some(token),
                                    &json!({"exit_date": exit.to_string(), "destination": 116}),
                                ),
                                None,
                            )
                        }
                        (4, Some(stay)) => (
                            app.patch(
                                &stay.path(),
                                Some(token),
                                &json!({"relationship_to_hoh": 1}),
                            ),
                            None,
                        ),
                        (5, Some(stay)) => {
                            let deleted = app.delete(&stay.path(), Some(token));
                            if deleted.status == 204 {
                                stays.lock().unwrap().retain(|kept| kept.id != stay.id);
                            }
                            (deleted, None)
                        }
                        (_, Some(stay)) => (
                            app.get(&format!("/v1/households/{}", stay.household), Some(token)),
                            None,
                        ),
                    };
                    *statuses.lock().unwrap().entry(response.status).or_default() += 1;
                    if response.status >= 500 {
                        failures.lock().unwrap().push(response.describe());
                    }
                    if response.status == 201 {
                        let household = joined.unwrap_or_else(|| {
                            response.body["household_id"].as_str().unwrap().to_owned()
                        });
                        stays.lock().unwrap().push(Stay {
                            client: client.clone(),
                            id: id_of(&response.body),
                            household,
                            entry,
                        });
                    }
                }
            });
        }
    });
    let statuses = statuses.into_inner().unwrap();
    let total: usize = statuses.values().sum();
    eprintln!(
        "soak: {total} requests over two servers in {:?}: {statuses:?}",
        started.elapsed()
    );
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "5xx answers:\n{}", failures.join("\n"));
    assert!(
        statuses.get(&201).copied().unwrap_or(0) >= 10 && statuses.contains_key(&409),
        "the soak neither wrote nor conflicted enough to mean anything: {statuses:?}"
    );

    // The invariants, read straight from the database. Every household's stored
    // completeness is the answer of its last write, whichever server wrote it.
    let mut conn = a.state().db.get().expect("a connection");
    let verified =
        threshold_persistence::completeness::verify(&mut conn).expect("the stored completeness");
    assert!(verified.wrong.is_empty(), "{verified:?}");
    let rows: Vec<(String, String, String, i32, NaiveDate, Option<NaiveDate>)> = enrollments::table
        .filter(enrollments::deleted_at.is_null())
        .select((
            enrollments::client_id,
            enrollments::program_id,
            enrollments::household_id,
            enrollments::relationship_to_hoh,
            enrollments::entry_date,
            enrollments::exit_date,
        ))
        .load(&mut *conn)
        .expect("the enrollments");
    let mut heads: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, household, relationship, _, _) in &rows {
        if *relationship == 1 {
            *heads.entry(household.as_str()).or_default() += 1;
        }
    }
    let crowded: BTreeSet<_> = heads.iter().filter(|(_, &count)| count > 1).collect();
    assert!(
        crowded.is_empty(),
        "households with several heads: {crowded:?}"
    );
    for (index, first) in rows.iter().enumerate() {
        for second in &rows[index + 1..] {
            if (&first.0, &first.1) != (&second.0, &second.1) {
                continue;
            }
            let period = |row: &(String, String, String, i32, NaiveDate, Option<NaiveDate>)| {
                Period::new(row.4.into(), row.5.map(Into::into))
            };
            assert!(
                !period(first).overlaps(&period(second)),
                "overlapping enrollments of one client in one program: {first:?} and {second:?}"
            );
        }
    }
}

#[test]
fn an_import_running_on_one_server_is_failed_by_the_other_only_once_its_server_dies() {
    let database = TestDatabase::create(Backend::Postgres);
    let mut first = ServerProcess::spawn(database.url());
    let app = first.client(database.url());
    let organization = create_organization(&app, "Harbor Light");
    let before = row_counts(&app);
    let job = start_large_import(&app, &organization);

    // A second server starts while the first runs the job: its worker, which fails the
    // jobs of stopped servers, polls every 250 ms and must leave this one be.
    let second = ServerProcess::spawn(database.url());
    let other = second.client(database.url());
    let watched_until = Instant::now() + Duration::from_secs(1);
    while Instant::now() < watched_until || !a_write_is_under_way(&other) {
        let running = other.get(&job, Some(&other.admin_token()));
        assert_eq!(running.body["status"], "running", "{}", running.describe());
        assert!(
            watched_until.elapsed() < Duration::from_secs(60),
            "the import never started writing"
        );
        thread::sleep(Duration::from_millis(20));
    }

    first.kill();
    drop(app);
    assert_failed_as_interrupted(&other, &job, &before);
}
