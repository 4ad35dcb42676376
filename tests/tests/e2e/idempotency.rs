//! `Idempotency-Key` on the `POST`s that create or act: the same key and body within 24 hours
//! get the first answer again and change nothing; the same key with another body is refused;
//! keys are the caller's own; dry runs and failed requests do not use a key up; and requests
//! racing with one key create one record.

use crate::common::races::*;
use crate::common::*;
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};

/// A `POST` with a JSON body and an `Idempotency-Key`.
fn post_keyed(app: &TestApp, path: &str, token: &str, key: &str, body: &Value) -> Response {
    app.request("POST", path)
        .token(Some(token))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
}

fn replayed(response: &Response) -> bool {
    response.header("idempotent-replayed") == Some("true")
}

/// `second` is `first` sent back again: same status, body, `Location` and `ETag`, marked
/// as replayed (and `first` is not).
fn assert_replay(first: &Response, second: &Response) {
    assert!(
        !replayed(first),
        "the first answer is marked replayed: {first:?}"
    );
    assert_eq!(second.status, first.status, "{}", second.describe());
    assert_eq!(second.body, first.body, "{}", second.describe());
    assert_eq!(second.header("location"), first.header("location"));
    assert_eq!(second.header("etag"), first.header("etag"));
    assert!(
        replayed(second),
        "no `Idempotent-Replayed: true` in {second:?}"
    );
}

fn organizations(app: &TestApp) -> Vec<String> {
    ids_in(&app.get("/v1/organizations?limit=200", Some(&app.admin_token())))
}

fn clients(app: &TestApp) -> Vec<String> {
    ids_in(&app.get("/v1/clients?limit=200", Some(&app.admin_token())))
}

fn client_body(first_name: &str) -> Value {
    json!({
        "first_name": first_name,
        "last_name": "Okafor",
        "dob": "1985-07-09",
        "dob_data_quality": 1,
    })
}

/// An organization, a program of it (operating since 2020-01-01), a case manager of it and
/// a client to enroll.
struct Setup {
    organization: String,
    program: String,
    case_manager: String,
    client: String,
}

fn setup(app: &TestApp) -> Setup {
    let Shelter {
        organization,
        program,
    } = shelter(app, "Harbor Light");
    let case_manager = token_for(app, "cm-dana", Role::CaseManager, &organization);
    Setup {
        client: create_client_as(app, &case_manager, "Ada"),
        case_manager,
        organization,
        program,
    }
}

both_backends!(
    fn organization_sent_twice_is_created_once(app: &TestApp) {
        let token = app.admin_token();
        let body = json!({"name": "Harbor Light Services"});
        let first = post_keyed(app, "/v1/organizations", &token, "org-1", &body);
        first.assert_status(201);
        let second = post_keyed(app, "/v1/organizations", &token, "org-1", &body);
        assert_replay(&first, &second);
        assert_eq!(organizations(app), [id_of(&first.body)]);
        // A third time too, and the stored answer is the one read back.
        let third = post_keyed(app, "/v1/organizations", &token, "org-1", &body);
        assert_replay(&first, &third);
        let stored = app.get(first.header("location").expect("a Location"), Some(&token));
        assert_eq!(stored.body, first.body);
    }

    fn organization_key_with_another_body_is_refused(app: &TestApp) {
        let token = app.admin_token();
        let first = post_keyed(
            app,
            "/v1/organizations",
            &token,
            "org-2",
            &json!({"name": "Harbor Light"}),
        );
        first.assert_status(201);
        let other = post_keyed(
            app,
            "/v1/organizations",
            &token,
            "org-2",
            &json!({"name": "Harbor Light", "victim_service_provider": true}),
        );
        assert_problem(&other, 422, "idempotency.key_reused");
        // The same key for another endpoint is another request too.
        let client = post_keyed(app, "/v1/clients", &token, "org-2", &client_body("Ada"));
        assert_problem(&client, 422, "idempotency.key_reused");
        assert_eq!(organizations(app), [id_of(&first.body)]);
        assert!(clients(app).is_empty());
        // The first request still replays.
        let again = post_keyed(
            app,
            "/v1/organizations",
            &token,
            "org-2",
            &json!({"name": "Harbor Light"}),
        );
        assert_replay(&first, &again);
    }

    fn organization_keys_are_each_callers_own(app: &TestApp) {
        let body = json!({"name": "Harbor Light"});
        let mine = post_keyed(
            app,
            "/v1/organizations",
            &app.admin_token(),
            "shared",
            &body,
        );
        mine.assert_status(201);
        let other_admin = app.token("other-admin", &[Role::Admin], None);
        let theirs = post_keyed(app, "/v1/organizations", &other_admin, "shared", &body);
        theirs.assert_status(201);
        assert!(!replayed(&theirs), "{theirs:?}");
        assert_ne!(id_of(&mine.body), id_of(&theirs.body));
        // Another body is no reuse for the other caller either.
        let another = post_keyed(
            app,
            "/v1/organizations",
            &app.token("third-admin", &[Role::Admin], None),
            "shared",
            &json!({"name": "Elsewhere"}),
        );
        another.assert_status(201);
        assert_eq!(organizations(app).len(), 3);
        // Each caller's own answer replays.
        let mine_again = post_keyed(
            app,
            "/v1/organizations",
            &app.admin_token(),
            "shared",
            &body,
        );
        assert_replay(&mine, &mine_again);
        let theirs_again = post_keyed(app, "/v1/organizations", &other_admin, "shared", &body);
        assert_replay(&theirs, &theirs_again);
    }

    fn organization_dry_run_does_not_use_the_key(app: &TestApp) {
        let token = app.admin_token();
        let body = json!({"name": "Harbor Light"});
        for _ in 0..2 {
            let dry = post_keyed(app, "/v1/organizations?dry_run=true", &token, "dry", &body);
            dry.assert_status(200);
            assert!(!replayed(&dry), "{dry:?}");
            assert_eq!(dry.body["name"], "Harbor Light");
        }
        assert!(organizations(app).is_empty());
        let real = post_keyed(app, "/v1/organizations", &token, "dry", &body);
        real.assert_status(201);
        assert!(!replayed(&real), "{real:?}");
        assert_eq!(organizations(app), [id_of(&real.body)]);
        let again = post_keyed(app, "/v1/organizations", &token, "dry", &body);
        assert_replay(&real, &again);
    }

    fn organization_failure_does_not_use_the_key(app: &TestApp) {
        let token = app.admin_token();
        let bad = post_keyed(
            app,
            "/v1/organizations",
            &token,
            "fix-me",
            &json!({"name": " "}),
        );
        assert_problem(&bad, 422, "validation.failed");
        let fixed = post_keyed(
            app,
            "/v1/organizations",
            &token,
            "fix-me",
            &json!({"name": "Harbor Light"}),
        );
        fixed.assert_status(201);
        assert!(!replayed(&fixed), "{fixed:?}");
        assert_eq!(organizations(app), [id_of(&fixed.body)]);
    }

    fn invalid_keys_are_malformed_requests(app: &TestApp) {
        let token = app.admin_token();
        let setup = setup(app);
        let before = organizations(app);
        let too_long = "k".repeat(300);
        for key in [too_long.as_str(), "two words", ""] {
            let organization = post_keyed(
                app,
                "/v1/organizations",
                &token,
                key,
                &json!({"name": "Harbor Light"}),
            );
            assert_problem(&organization, 400, "request.malformed");
            let client = post_keyed(app, "/v1/clients", &token, key, &client_body("Ada"));
            assert_problem(&client, 400, "request.malformed");
            let enrollment = post_keyed(
                app,
                &enrollments_path(&setup.client),
                &setup.case_manager,
                key,
                &enrollment_body(&setup.program, "2024-01-01", 1),
            );
            assert_problem(&enrollment, 400, "request.malformed");
        }
        assert_eq!(organizations(app), before);
        assert_eq!(clients(app), [setup.client.as_str()]);
        assert!(enrollment_ids(app, &setup.client).is_empty());
        // 255 characters is still a key.
        let longest = "k".repeat(255);
        let created = post_keyed(
            app,
            "/v1/organizations",
            &token,
            &longest,
            &json!({"name": "Longest Key"}),
        );
        created.assert_status(201);
        let again = post_keyed(
            app,
            "/v1/organizations",
            &token,
            &longest,
            &json!({"name": "Longest Key"}),
        );
        assert_replay(&created, &again);
    }

    fn answers_older_than_a_day_are_forgotten(app: &TestApp) {
        let token = app.admin_token();
        let body = json!({"name": "Harbor Light"});
        let first = post_keyed(app, "/v1/organizations", &token, "old", &body);
        first.assert_status(201);
        app.state()
            .db
            .get()
            .expect("a database connection")
            .batch_execute(
                "UPDATE idempotency_keys SET created_at = '2000-01-01 00:00:00' \
                 WHERE idempotency_key = 'old'",
            )
            .expect("the stored answer is aged");
        let later = post_keyed(app, "/v1/organizations", &token, "old", &body);
        later.assert_status(201);
        assert!(!replayed(&later), "{later:?}");
        assert_ne!(id_of(&later.body), id_of(&first.body));
        assert_eq!(organizations(app).len(), 2);
        let again = post_keyed(app, "/v1/organizations", &token, "old", &body);
        assert_replay(&later, &again);
    }
);

both_backends!(
    fn client_sent_twice_is_created_once(app: &TestApp) {
        let token = app.admin_token();
        let body = client_body("Ada");
        let first = post_keyed(app, "/v1/clients", &token, "client-1", &body);
        first.assert_status(201);
        let second = post_keyed(app, "/v1/clients", &token, "client-1", &body);
        assert_replay(&first, &second);
        assert_eq!(clients(app), [id_of(&first.body)]);
        let other = post_keyed(
            app,
            "/v1/clients",
            &token,
            "client-1",
            &client_body("Grace"),
        );
        assert_problem(&other, 422, "idempotency.key_reused");
        assert_eq!(clients(app), [id_of(&first.body)]);
    }

    fn client_keys_are_each_callers_own(app: &TestApp) {
        let organization = create_organization(app, "Harbor Light");
        let dana = token_for(app, "cm-dana", Role::CaseManager, &organization);
        let sam = token_for(app, "cm-sam", Role::CaseManager, &organization);
        let body = client_body("Ada");
        let from_dana = post_keyed(app, "/v1/clients", &dana, "intake-1", &body);
        from_dana.assert_status(201);
        let from_sam = post_keyed(app, "/v1/clients", &sam, "intake-1", &body);
        from_sam.assert_status(201);
        assert!(!replayed(&from_sam), "{from_sam:?}");
        assert_ne!(id_of(&from_dana.body), id_of(&from_sam.body));
        assert_eq!(clients(app).len(), 2);
        assert_eq!(from_dana.body["created_by"], "cm-dana");
        assert_eq!(from_sam.body["created_by"], "cm-sam");
    }

    fn client_dry_run_does_not_use_the_key(app: &TestApp) {
        let token = app.admin_token();
        let body = client_body("Ada");
        let dry = post_keyed(app, "/v1/clients?dry_run=true", &token, "intake", &body);
        dry.assert_status(200);
        assert!(!replayed(&dry), "{dry:?}");
        assert!(clients(app).is_empty());
        let real = post_keyed(app, "/v1/clients", &token, "intake", &body);
        real.assert_status(201);
        assert!(!replayed(&real), "{real:?}");
        assert_eq!(clients(app), [id_of(&real.body)]);
    }

    fn client_failure_does_not_use_the_key(app: &TestApp) {
        let token = app.admin_token();
        let bad = merged(client_body("Ada"), json!({"dob": days_ahead(5)}));
        let refused = post_keyed(app, "/v1/clients", &token, "intake", &bad);
        assert_problem(&refused, 422, "validation.failed");
        let unknown_field = merged(client_body("Ada"), json!({"nickname": "Ace"}));
        let refused = post_keyed(app, "/v1/clients", &token, "intake", &unknown_field);
        assert_problem(&refused, 422, "validation.failed");
        assert!(clients(app).is_empty());
        let fixed = post_keyed(app, "/v1/clients", &token, "intake", &client_body("Ada"));
        fixed.assert_status(201);
        assert!(!replayed(&fixed), "{fixed:?}");
        assert_eq!(clients(app), [id_of(&fixed.body)]);
    }
);

/// How many requests race with one key.
const RACERS: usize = 10;

/// Sends `RACERS` copies of one client `POST` with one key at once.
fn race_one_key(app: &TestApp, key: &str) -> Vec<Response> {
    let token = app.admin_token();
    let body = client_body("Racer");
    race(RACERS, |_| {
        app.request("POST", "/v1/clients")
            .token(Some(&token))
            .header("Idempotency-Key", key)
            .json(&body)
    })
}

both_backends!(
    fn racing_requests_with_one_key_create_one_client(backend: Backend) {
        let app = racing_app(backend, RACERS);
        let mut created = Vec::new();
        for round in 0..3 {
            let responses = race_one_key(&app, &format!("race-{round}"));
            let summary = summary(&responses);
            for response in &responses {
                assert_eq!(response.status, 201, "round {round}:\n{summary}");
            }
            let id = id_of(&responses[0].body);
            for response in &responses {
                assert_eq!(
                    response.body, responses[0].body,
                    "round {round}:\n{summary}"
                );
            }
            let fresh = responses
                .iter()
                .filter(|response| !replayed(response))
                .count();
            assert_eq!(
                fresh, 1,
                "round {round}: one request creates, the rest replay:\n{summary}"
            );
            created.push(id);
            let mut stored = clients(&app);
            stored.sort();
            let mut expected = created.clone();
            expected.sort();
            assert_eq!(stored, expected, "round {round}:\n{summary}");
        }
    }
);

both_backends!(
    fn enrollment_sent_twice_is_created_once(app: &TestApp) {
        let setup = setup(app);
        let path = enrollments_path(&setup.client);
        let body = enrollment_body(&setup.program, "2024-01-01", 1);
        let first = post_keyed(app, &path, &setup.case_manager, "enroll-1", &body);
        first.assert_status(201);
        let second = post_keyed(app, &path, &setup.case_manager, "enroll-1", &body);
        assert_replay(&first, &second);
        assert_eq!(enrollment_ids(app, &setup.client), [id_of(&first.body)]);
        // Without the key the same body is a second enrollment, which overlaps the first.
        let unkeyed = post_enrollment(app, &setup.case_manager, &setup.client, &body);
        assert_problem(&unkeyed, 409, "enrollment.overlap");
        let other = post_keyed(
            app,
            &path,
            &setup.case_manager,
            "enroll-1",
            &enrollment_body(&setup.program, "2024-02-01", 1),
        );
        assert_problem(&other, 422, "idempotency.key_reused");
        assert_eq!(enrollment_ids(app, &setup.client), [id_of(&first.body)]);
    }

    fn enrollment_keys_are_each_callers_own(app: &TestApp) {
        let setup = setup(app);
        let sam = token_for(app, "cm-sam", Role::CaseManager, &setup.organization);
        let path = enrollments_path(&setup.client);
        let body = enrollment_body(&setup.program, "2024-01-01", 1);
        let from_dana = post_keyed(app, &path, &setup.case_manager, "enroll", &body);
        from_dana.assert_status(201);
        // Sam's request is his own: not Dana's answer replayed, but a second enrollment.
        let from_sam = post_keyed(app, &path, &sam, "enroll", &body);
        assert_problem(&from_sam, 409, "enrollment.overlap");
        assert_eq!(enrollment_ids(app, &setup.client), [id_of(&from_dana.body)]);
        // His key is still free for another client.
        let grace = create_client_as(app, &sam, "Grace");
        let for_grace = post_keyed(app, &enrollments_path(&grace), &sam, "enroll", &body);
        for_grace.assert_status(201);
        assert!(!replayed(&for_grace), "{for_grace:?}");
        assert_eq!(for_grace.body["created_by"], "cm-sam");
        assert_eq!(enrollment_ids(app, &grace), [id_of(&for_grace.body)]);
    }

    fn enrollment_dry_run_does_not_use_the_key(app: &TestApp) {
        let setup = setup(app);
        let body = enrollment_body(&setup.program, "2024-01-01", 1);
        let dry = post_keyed(
            app,
            &format!("{}?dry_run=true", enrollments_path(&setup.client)),
            &setup.case_manager,
            "enroll",
            &body,
        );
        dry.assert_status(200);
        assert!(!replayed(&dry), "{dry:?}");
        assert!(enrollment_ids(app, &setup.client).is_empty());
        let path = enrollments_path(&setup.client);
        let real = post_keyed(app, &path, &setup.case_manager, "enroll", &body);
        real.assert_status(201);
        assert!(!replayed(&real), "{real:?}");
        assert_eq!(enrollment_ids(app, &setup.client), [id_of(&real.body)]);
        let again = post_keyed(app, &path, &setup.case_manager, "enroll", &body);
        assert_replay(&real, &again);
    }

    fn enrollment_failures_do_not_use_the_key(app: &TestApp) {
        let setup = setup(app);
        let path = enrollments_path(&setup.client);
        let before_the_program = enrollment_body(&setup.program, "2019-06-01", 1);
        let refused = post_keyed(
            app,
            &path,
            &setup.case_manager,
            "enroll",
            &before_the_program,
        );
        assert_problem(&refused, 409, "program.not_operating");
        let no_such_program = enrollment_body(&uuid::Uuid::now_v7().to_string(), "2024-01-01", 1);
        let refused = post_keyed(app, &path, &setup.case_manager, "enroll", &no_such_program);
        assert_problem(&refused, 422, "validation.failed");
        assert!(enrollment_ids(app, &setup.client).is_empty());
        let body = enrollment_body(&setup.program, "2024-01-01", 1);
        let fixed = post_keyed(app, &path, &setup.case_manager, "enroll", &body);
        fixed.assert_status(201);
        assert!(!replayed(&fixed), "{fixed:?}");
        assert_eq!(enrollment_ids(app, &setup.client), [id_of(&fixed.body)]);
    }
);

/// An enrolled client: the enrollment's path and its first answer.
fn enrolled(app: &TestApp, setup: &Setup) -> (String, Value) {
    let body = enroll_head(app, &setup.client, &setup.program, "2024-01-01");
    (enrollment_path(&setup.client, &id_of(&body)), body)
}

fn exit_body(exit_date: &str, destination: i32) -> Value {
    json!({"exit_date": exit_date, "destination": destination})
}

both_backends!(
    fn exit_sent_twice_exits_once(app: &TestApp) {
        let setup = setup(app);
        let (path, _) = enrolled(app, &setup);
        let exit_path = format!("{path}/exit");
        let body = exit_body("2024-06-01", 30);
        let first = post_keyed(app, &exit_path, &setup.case_manager, "exit-1", &body);
        first.assert_status(200);
        assert_eq!(first.body["status"], "exited");
        let second = post_keyed(app, &exit_path, &setup.case_manager, "exit-1", &body);
        assert_replay(&first, &second);
        // Exited once: the stored enrollment is the first answer.
        let stored = app.get(&path, Some(&setup.case_manager));
        assert_eq!(stored.body, first.body);
        assert_eq!(stored.etag(), first.etag());
        // Without the key it is a second exit.
        let unkeyed = app.post(&exit_path, Some(&setup.case_manager), &body);
        assert_problem(&unkeyed, 409, "enrollment.already_exited");
        let other = post_keyed(
            app,
            &exit_path,
            &setup.case_manager,
            "exit-1",
            &exit_body("2024-06-01", 116),
        );
        assert_problem(&other, 422, "idempotency.key_reused");
    }

    fn exit_replays_even_when_if_match_is_stale_by_then(app: &TestApp) {
        let setup = setup(app);
        let (path, enrollment) = enrolled(app, &setup);
        let etag = app.get(&path, Some(&setup.case_manager)).etag().to_owned();
        assert_eq!(etag, format!("\"{}-incomplete\"", enrollment["version"]));
        let send = || {
            app.request("POST", &format!("{path}/exit"))
                .token(Some(&setup.case_manager))
                .header("Idempotency-Key", "exit")
                .header("If-Match", &etag)
                .json(&exit_body("2024-06-01", 30))
                .send()
        };
        let first = send();
        first.assert_status(200);
        let second = send();
        assert_replay(&first, &second);
    }

    fn exit_dry_run_does_not_use_the_key(app: &TestApp) {
        let setup = setup(app);
        let (path, _) = enrolled(app, &setup);
        let body = exit_body("2024-06-01", 30);
        let dry = post_keyed(
            app,
            &format!("{path}/exit?dry_run=true"),
            &setup.case_manager,
            "exit",
            &body,
        );
        dry.assert_status(200);
        assert!(!replayed(&dry), "{dry:?}");
        assert_eq!(dry.body["status"], "exited");
        assert_eq!(
            app.get(&path, Some(&setup.case_manager)).body["status"],
            "active"
        );
        let real = post_keyed(
            app,
            &format!("{path}/exit"),
            &setup.case_manager,
            "exit",
            &body,
        );
        real.assert_status(200);
        assert!(!replayed(&real), "{real:?}");
        assert_eq!(real.etag(), dry.etag());
        assert_eq!(
            app.get(&path, Some(&setup.case_manager)).body["status"],
            "exited"
        );
    }

    fn exit_failure_does_not_use_the_key(app: &TestApp) {
        let setup = setup(app);
        let (path, _) = enrolled(app, &setup);
        let exit_path = format!("{path}/exit");
        let before_entry = exit_body("2023-12-01", 30);
        let refused = post_keyed(app, &exit_path, &setup.case_manager, "exit", &before_entry);
        assert_problem(&refused, 409, "exit.before_entry");
        let needs_text = exit_body("2024-06-01", 17);
        let refused = post_keyed(app, &exit_path, &setup.case_manager, "exit", &needs_text);
        assert_problem(&refused, 422, "validation.failed");
        assert_eq!(
            app.get(&path, Some(&setup.case_manager)).body["status"],
            "active"
        );
        let fixed = post_keyed(
            app,
            &exit_path,
            &setup.case_manager,
            "exit",
            &exit_body("2024-06-01", 30),
        );
        fixed.assert_status(200);
        assert!(!replayed(&fixed), "{fixed:?}");
        assert_eq!(fixed.body["exit"]["exit_date"], "2024-06-01");
    }
);
