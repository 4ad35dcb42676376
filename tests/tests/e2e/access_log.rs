//! The access log: every read of one of a client's records answered 200 is counted in a
//! `viewed` audit event of the client, naming who read what and when (one event for a
//! reader's reads of one record in one batch of the log), written a moment after the read (so
//! the tests wait for it, up to a deadline). Lists, misses and refusals leave none; who
//! sees the events; and a server stopped gracefully writes the events of every read it
//! answered before it exits.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::*;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};
use threshold_persistence::ids::EntityId;
use threshold_persistence::schema::audit_events;
use threshold_tests::{both_backends, Backend, Role, ServerProcess, Signal, TestApp, TestDatabase};
use uuid::Uuid;

/// The stay every test reads: entry 2024-03-01, still active.
const ENTRY: &str = "2024-03-01";

/// How long a read's event may take to be written (the log writes every 100 ms or so).
const WRITTEN_WITHIN: Duration = Duration::from_secs(10);

/// The `viewed` events of `client` that `token` may see, oldest first.
fn views(app: &TestApp, token: &str, client: &str) -> Vec<Value> {
    pages(
        app,
        token,
        &format!("/v1/audit-events?entity_id={client}&limit=200"),
    )
    .iter()
    .flat_map(items)
    .filter(|event| event["action"] == "viewed")
    .collect()
}

/// The `viewed` events of `client`, as an admin sees them, once there are `count` of them;
/// fails when they are not written in time, or when there are more.
fn wait_for_views(app: &TestApp, client: &str, count: usize) -> Vec<Value> {
    let admin = app.admin_token();
    let deadline = Instant::now() + WRITTEN_WITHIN;
    loop {
        let found = views(app, &admin, client);
        if found.len() >= count {
            assert_eq!(found.len(), count, "more views than reads: {found:#?}");
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "{} of {count} views written after {WRITTEN_WITHIN:?}: {found:#?}",
            found.len()
        );
        thread::sleep(Duration::from_millis(20));
    }
}

/// The event says `actor` read the record `entity_type` `entity_id` of `client` once, between
/// `from` and `to`.
fn assert_view(
    event: &Value,
    client: &str,
    actor: &str,
    (entity_type, entity_id): (&str, &str),
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) {
    assert_eq!(event["action"], "viewed", "{event}");
    assert_eq!(event["entity_type"], "client", "{event}");
    assert_eq!(event["entity_id"], client, "{event}");
    assert_eq!(event["actor"], actor, "{event}");
    assert_eq!(
        event["changes"],
        json!({"viewed": {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "reads": 1,
            "last_at": event["at"],
        }}),
        "{event}"
    );
    let at = timestamp(&event["at"]);
    assert!(
        from <= at && at <= to,
        "{at} is not between {from} and {to}: {event}"
    );
    assert!(
        Uuid::parse_str(event["id"].as_str().unwrap_or("")).is_ok(),
        "{event}"
    );
}

both_backends!(
    fn every_single_read_of_a_clients_records_is_a_viewed_event(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let records = every_kind_of_record(app, &world);
        let from = Utc::now();
        for (_, _, path) in &records {
            app.get(path, Some(&world.case_manager)).assert_status(200);
        }
        let to = Utc::now();

        let events = wait_for_views(app, &world.client, records.len());
        assert_eq!(
            pages(
                app,
                &app.admin_token(),
                &format!(
                    "/v1/audit-events?entity_type=client&entity_id={}",
                    world.client
                )
            )
            .iter()
            .flat_map(items)
            .filter(|event| event["action"] == "viewed")
            .collect::<Vec<_>>(),
            events,
            "the same views with the entity type"
        );
        for (event, (entity_type, id, _)) in events.iter().zip(&records) {
            assert_view(event, &world.client, "casey", (entity_type, id), (from, to));
        }
        // In the order of the reads.
        let at: Vec<DateTime<Utc>> = events.iter().map(|event| timestamp(&event["at"])).collect();
        assert!(at.windows(2).all(|pair| pair[0] <= pair[1]), "{at:?}");
    }

    fn one_readers_reads_of_one_record_are_counted_in_its_events(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let from = Utc::now();
        for _ in 0..5 {
            app.get(&world.base(), Some(&world.case_manager))
                .assert_status(200);
        }
        let to = Utc::now();

        let deadline = Instant::now() + WRITTEN_WITHIN;
        let events = loop {
            let found = views(app, &app.admin_token(), &world.client);
            let reads: u64 = found.iter().map(reads_of).sum();
            if reads >= 5 {
                assert_eq!(reads, 5, "more reads than were made: {found:#?}");
                break found;
            }
            assert!(Instant::now() < deadline, "{reads} of 5 reads: {found:#?}");
            thread::sleep(Duration::from_millis(20));
        };
        // One event for the reads of each batch of the log: as many as the reads at most.
        assert!((1..=5).contains(&events.len()), "{events:#?}");
        for event in &events {
            assert_eq!(event["actor"], "casey", "{event}");
            assert_eq!(event["entity_id"], world.client, "{event}");
            let viewed = &event["changes"]["viewed"];
            assert_eq!(viewed["entity_type"], "enrollment", "{event}");
            assert_eq!(viewed["entity_id"], world.enrollment, "{event}");
            let (at, last_at) = (timestamp(&event["at"]), timestamp(&viewed["last_at"]));
            assert!(
                from <= at && at <= last_at && last_at <= to,
                "{from} <= {at} <= {last_at} <= {to}: {event}"
            );
        }
    }

    fn the_readers_organization_sees_its_members_views_and_admins_see_all(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        // A second organization serves the client too; the stranger's serves nobody.
        let bayview = create_organization(app, "Bayview Housing");
        let program = create_program(app, &bayview, json!({}));
        enroll_head(app, &world.client, &program, ENTRY);
        let robin = token_for(app, "robin", Role::CaseManager, &bayview);
        let client = format!("/v1/clients/{}", world.client);
        let from = Utc::now();
        app.get(&world.base(), Some(&world.case_manager))
            .assert_status(200);
        app.get(&client, Some(&world.viewer)).assert_status(200);
        app.get(&client, Some(&robin)).assert_status(200);
        app.get(&client, Some(&app.admin_token()))
            .assert_status(200);
        assert_not_found(&app.get(&client, Some(&world.stranger)));
        let to = Utc::now();

        let all = wait_for_views(app, &world.client, 4);
        let enrollment = ("enrollment", world.enrollment.as_str());
        let the_client = ("client", world.client.as_str());
        assert_view(&all[0], &world.client, "casey", enrollment, (from, to));
        assert_view(&all[1], &world.client, "val", the_client, (from, to));
        assert_view(&all[2], &world.client, "robin", the_client, (from, to));
        assert_view(&all[3], &world.client, "test-admin", the_client, (from, to));

        let actors = |token: &str| -> Vec<String> {
            views(app, token, &world.client)
                .iter()
                .map(|event| event["actor"].as_str().unwrap_or("").to_owned())
                .collect()
        };
        assert_eq!(actors(&world.case_manager), ["casey", "val"]);
        assert_eq!(actors(&world.viewer), ["casey", "val"]);
        assert_eq!(actors(&robin), ["robin"]);
        assert_eq!(actors(&world.stranger), Vec::<String>::new());
    }

    fn lists_misses_and_refusals_leave_no_event(app: &TestApp) {
        let world = enrolled_client(app, ENTRY);
        let records = every_kind_of_record(app, &world);
        let token = Some(world.case_manager.as_str());
        let client = format!("/v1/clients/{}", world.client);
        let base = world.base();

        // List pages, the client's collections among them.
        for list in [
            "/v1/clients".to_owned(),
            "/v1/clients?q=Jordan".to_owned(),
            format!("{client}/enrollments"),
            format!("{client}/consents"),
            format!("{client}/assessments"),
            format!("{base}/assessments"),
            format!("{base}/services"),
            format!("{base}/goals"),
            format!("{base}/follow-ups"),
            "/v1/enrollments".to_owned(),
            "/v1/follow-ups".to_owned(),
        ] {
            let response = app.get(&list, token);
            response.assert_status(200);
            assert!(
                response.body["data"].is_array(),
                "{list}: {}",
                response.describe()
            );
        }
        // Misses: nothing by that ID, another client's path, another organization's stay.
        let nobody = Uuid::now_v7();
        let other_client = create_client(app, "Avery");
        for (path, who) in [
            (format!("/v1/clients/{nobody}"), token),
            (format!("{client}/enrollments/{nobody}"), token),
            (format!("{client}/assessments/{nobody}"), token),
            (format!("{client}/consents/{nobody}"), token),
            (format!("{base}/services/{nobody}"), token),
            (format!("{base}/goals/{nobody}"), token),
            (enrollment_path(&other_client, &world.enrollment), token),
            (base.clone(), Some(world.stranger.as_str())),
        ] {
            assert_not_found(&app.get(&path, who));
        }
        // Nothing of a client another organization serves.
        for (_, _, path) in &records {
            assert_not_found(&app.get(path, Some(&world.stranger)));
        }
        // Refusals: no token, a query a single read does not take.
        for (_, _, path) in &records {
            assert_unauthenticated(&app.get(path, None));
            app.get(&format!("{path}?expand=all"), token)
                .assert_status(400);
        }

        // The log writes in the order of the reads: once a last read's event is written,
        // any of the reads above would have been too.
        let from = Utc::now();
        app.get(&client, Some(&app.admin_token()))
            .assert_status(200);
        let to = Utc::now();
        let events = wait_for_views(app, &world.client, 1);
        assert_view(
            &events[0],
            &world.client,
            "test-admin",
            ("client", &world.client),
            (from, to),
        );
        let events = views(app, &app.admin_token(), &other_client);
        assert_eq!(events, Vec::<Value>::new());
    }
);

/// The reads of `client` the `viewed` events stored in the database `app` reaches count.
fn stored_views(app: &TestApp, client: &str) -> u64 {
    let mut conn = app.state().db.get().expect("a connection");
    let client: EntityId = client.parse().expect("a client id");
    let changes: Vec<String> = audit_events::table
        .filter(audit_events::action.eq("viewed"))
        .filter(audit_events::entity_id.eq(client))
        .select(audit_events::changes)
        .load(&mut conn)
        .expect("the events");
    changes
        .iter()
        .map(|changes| {
            let changes: Value = serde_json::from_str(changes).expect("JSON");
            let reads = changes["viewed"]["reads"].as_u64();
            reads.unwrap_or_else(|| panic!("no count of reads: {changes}"))
        })
        .sum()
}

/// Whether a read of `url` as `token` was answered 200; false once the server stops
/// answering (refused, or the connection closed).
fn read(agent: &ureq::Agent, url: &str, token: &str) -> bool {
    let response = agent
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call();
    match response {
        Ok(mut response) if response.status() == 200 => {
            // The event is queued before the status is sent: counted even if the body
            // were cut.
            let _ = response.body_mut().read_to_vec();
            true
        }
        _ => false,
    }
}

/// Readers reading at the same time as the signal.
const READERS: usize = 4;

/// Reads a client and its enrollment from [`READERS`] threads as a `threshold serve` on
/// `backend` stops on `signal`, which comes once 200 reads were answered. Answers how many
/// reads were answered 200, and how many reads of the client the `viewed` events the
/// database holds after the exit count.
fn reads_until_stopped(backend: Backend, signal: Signal) -> (usize, usize) {
    let database = TestDatabase::create(backend);
    // The log writes nothing before the stop (unless 2,000 reads are waiting): what it
    // holds then is every read's event.
    let mut server = ServerProcess::builder(database.url())
        .env("THRESHOLD_ACCESS_LOG_DELAY_MS", "600000")
        .start();
    server.wait_ready();
    let app = server.client(database.url());
    let world = enrolled_client(&app, ENTRY);
    let paths = [format!("/v1/clients/{}", world.client), world.base()];

    let answered = AtomicUsize::new(0);
    let reading = AtomicBool::new(true);
    thread::scope(|scope| {
        for reader in 0..READERS {
            let token = token_for(
                &app,
                &format!("reader-{reader}"),
                Role::Viewer,
                &world.organization,
            );
            let urls = paths
                .clone()
                .map(|path| format!("{}{path}", app.base_url()));
            let (answered, reading) = (&answered, &reading);
            scope.spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .into();
                for url in urls.iter().cycle() {
                    if !reading.load(Ordering::SeqCst) || !read(&agent, url, &token) {
                        return;
                    }
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
        // The readers stop before anything here may fail, or the scope would wait for them
        // forever.
        let deadline = Instant::now() + Duration::from_secs(30);
        while answered.load(Ordering::SeqCst) < 200 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(5));
        }
        server.signal(signal);
        let exit = server.wait_exit(Duration::from_secs(40));
        reading.store(false, Ordering::SeqCst);
        let exit = exit.expect("the server exits after the signal");
        assert_eq!(exit.code(), Some(0), "{}", server.log());
    });
    let answered = answered.load(Ordering::SeqCst);
    assert!(
        answered >= 200,
        "the readers read too slowly: {answered} reads"
    );
    let stored = stored_views(&app, &world.client);
    (answered, usize::try_from(stored).expect("a count"))
}

both_backends!(
    fn a_server_stopped_by_sigterm_writes_the_events_of_every_read_it_answered(backend: Backend) {
        let (answered, stored) = reads_until_stopped(backend, Signal::Term);
        assert_eq!(stored, answered, "every read answered 200 is counted");
    }

    fn a_server_stopped_by_sigint_writes_the_events_of_every_read_it_answered(backend: Backend) {
        // Reads in flight are dropped: one a reader sent may have been read, and so left
        // an event, without the reader getting its answer.
        let (answered, stored) = reads_until_stopped(backend, Signal::Int);
        assert!(
            (answered..=answered + READERS).contains(&stored),
            "{answered} reads answered 200, {stored} reads counted"
        );
    }
);
