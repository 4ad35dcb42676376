//! `/v1/clients/{client_id}/consents`: releases of information. A consent in force lets the
//! organizations it names (or, `coc`, every organization) see a client they neither serve nor
//! created, until it is revoked or runs out; a victim service provider's client stays sealed
//! whatever the consents. Who may record, read and change them, what a body must hold, and
//! the audit trail of a consent.

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};
use uuid::Uuid;

/// Organization A serves a client its case manager created and enrolled; organizations B
/// and C serve nobody.
struct World {
    a: String,
    /// A's shelter.
    program: String,
    b: String,
    c: String,
    client: String,
    /// A's case manager (`casey`), viewer and integration.
    a_case_manager: String,
    a_viewer: String,
    a_integration: String,
    /// The case managers of B and C.
    b_case_manager: String,
    c_case_manager: String,
}

fn world(app: &TestApp) -> World {
    let a = shelter(app, "Harbor Light");
    let b = create_organization(app, "Bayside Outreach");
    let c = create_organization(app, "Northside Clinic");
    let a_case_manager = token_for(app, "casey", Role::CaseManager, &a.organization);
    let client = created_and_enrolled(app, &a_case_manager, &a.program, "Jordan");
    World {
        a_viewer: token_for(app, "val", Role::Viewer, &a.organization),
        a_integration: token_for(app, "sync", Role::Integration, &a.organization),
        b_case_manager: token_for(app, "blair", Role::CaseManager, &b),
        c_case_manager: token_for(app, "cam", Role::CaseManager, &c),
        a: a.organization,
        program: a.program,
        b,
        c,
        client,
        a_case_manager,
    }
}

/// A client named `name` Lee, created and enrolled in `program` by `token`'s case manager.
fn created_and_enrolled(app: &TestApp, token: &str, program: &str, name: &str) -> String {
    let response = app.post(
        "/v1/clients",
        Some(token),
        &json!({"first_name": name, "last_name": "Lee", "dob": "1980-01-01", "dob_data_quality": 1}),
    );
    response.assert_status(201);
    let client = id_of(&response.body);
    post_enrollment(
        app,
        token,
        &client,
        &enrollment_body(program, "2024-03-01", 1),
    )
    .assert_status(201);
    client
}

fn consents_path(client: &str) -> String {
    format!("/v1/clients/{client}/consents")
}

fn consent_path(client: &str, consent: &str) -> String {
    format!("/v1/clients/{client}/consents/{consent}")
}

fn naming(organizations: &[&str]) -> Value {
    json!({"scope": "organizations", "organization_ids": organizations})
}

/// Records a consent of `client` as `token`; answers the stored one.
fn record(app: &TestApp, token: &str, client: &str, body: &Value) -> Value {
    let response = app.post(&consents_path(client), Some(token), body);
    assert_created(&response, &consents_path(client));
    response.body
}

/// Whether `token`'s caller sees the client: by its URL and in a search by name.
fn sees(app: &TestApp, token: &str, client: &str) -> bool {
    let read = app.get(&format!("/v1/clients/{client}"), Some(token));
    let found = ids_in(&app.get("/v1/clients?q=lee", Some(token))).contains(&client.to_owned());
    match read.status {
        200 => assert!(found, "read but not found by a search"),
        404 => assert!(!found, "found by a search but not read"),
        _ => panic!("reading the client: {}", read.describe()),
    }
    read.status == 200
}

fn today_text() -> String {
    today().format("%Y-%m-%d").to_string()
}

/// The consent events of the audit trail, as `token` sees them.
fn consent_events(app: &TestApp, token: &str, consent: &str) -> Vec<Value> {
    let response = app.get(
        &format!("/v1/audit-events?entity_type=consent&entity_id={consent}"),
        Some(token),
    );
    response.assert_status(200);
    items(&response)
}

fn revoke(app: &TestApp, token: &str, client: &str, consent: &str, etag: &str) -> Response {
    patch_if(
        app,
        &consent_path(client, consent),
        token,
        etag,
        &json!({"status": "revoked"}),
    )
}

both_backends!(
    fn a_consent_lets_the_organization_it_names_see_the_client_until_it_is_revoked(app: &TestApp) {
        let w = world(app);
        assert!(sees(app, &w.a_case_manager, &w.client));
        assert!(!sees(app, &w.b_case_manager, &w.client));

        let consent = record(app, &w.a_case_manager, &w.client, &naming(&[&w.b]));
        let id = id_of(&consent);
        assert_eq!(consent["client_id"], w.client.as_str());
        assert_eq!(consent["scope"], "organizations");
        assert_eq!(consent["organization_ids"], json!([w.b]));
        assert_eq!(consent["start_date"], today_text());
        assert_eq!(consent["end_date"], Value::Null);
        assert_eq!(consent["status"], "active");
        assert_eq!(consent["recorded_by"], "casey");
        assert_eq!(consent["created_by"], "casey");
        assert_eq!(consent["version"], 1);

        // B now reads the client and its consents; C, not named, still does not.
        assert!(sees(app, &w.b_case_manager, &w.client));
        assert!(!sees(app, &w.c_case_manager, &w.client));
        assert_lists_only(app, &w.b_case_manager, &consents_path(&w.client), &consent);
        assert_stored(
            app,
            &w.b_case_manager,
            &consent_path(&w.client, &id),
            "\"1\"",
            &consent,
        );

        let revoked = revoke(app, &w.a_case_manager, &w.client, &id, "\"1\"");
        revoked.assert_status(200);
        assert_eq!(revoked.etag(), "\"2\"");
        assert_eq!(revoked.body["status"], "revoked");
        assert_eq!(revoked.body["updated_by"], "casey");
        assert_eq!(revoked.body["recorded_by"], "casey");
        assert!(!sees(app, &w.b_case_manager, &w.client));
        assert_not_found(&app.get(&consents_path(&w.client), Some(&w.b_case_manager)));

        // Revoked is final: not made active again, not changed otherwise; revoking it again
        // changes nothing (the version stays).
        let path = consent_path(&w.client, &id);
        for (body, field) in [
            (json!({"status": "active"}), "status"),
            (json!({"end_date": "2030-01-01"}), "end_date"),
            (json!({"organization_ids": [w.c]}), "organization_ids"),
        ] {
            let response = patch_if(app, &path, &w.a_case_manager, "\"2\"", &body);
            assert_invalid(&response, field, "consent.revoked");
        }
        let again = revoke(app, &w.a_case_manager, &w.client, &id, "\"2\"");
        again.assert_status(200);
        assert_eq!(again.etag(), "\"2\"");
        assert!(!sees(app, &w.b_case_manager, &w.client));

        // The audit trail has the creation with the organizations named, then the revocation;
        // for admins only.
        let events = consent_events(app, &app.admin_token(), &id);
        let actions: Vec<&str> = events.iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions, ["create", "revoke"], "{events:?}");
        let created = &events[0]["changes"];
        assert_eq!(created["organization_ids"]["new"], json!([w.b]));
        assert_eq!(created["scope"]["new"], "organizations");
        assert_eq!(created["client_id"]["new"], w.client.as_str());
        assert_eq!(events[0]["actor"], "casey");
        let revocation = &events[1]["changes"];
        assert_eq!(
            revocation["status"],
            json!({"old": "active", "new": "revoked"})
        );
        assert_eq!(
            consent_events(app, &w.a_case_manager, &id),
            Vec::<Value>::new()
        );
    }

    fn a_coc_consent_lets_every_organization_see_and_changes_move_who_sees(app: &TestApp) {
        let w = world(app);
        let body = json!({"scope": "coc", "start_date": "2024-01-01"});
        let coc = record(app, &w.a_case_manager, &w.client, &body);
        assert_eq!(coc["scope"], "coc");
        assert_eq!(coc["organization_ids"], json!([]));
        assert!(sees(app, &w.b_case_manager, &w.client));
        assert!(sees(app, &w.c_case_manager, &w.client));
        // Running out yesterday, it lets nobody see.
        let path = consent_path(&w.client, &id_of(&coc));
        let ended = patch_if(
            app,
            &path,
            &w.a_case_manager,
            "\"1\"",
            &json!({"end_date": days_ago(1)}),
        );
        ended.assert_status(200);
        assert!(!sees(app, &w.b_case_manager, &w.client));
        assert!(!sees(app, &w.c_case_manager, &w.client));
        // Its last day is today: in force again.
        let last_day = patch_if(
            app,
            &path,
            &w.a_case_manager,
            "\"2\"",
            &json!({"end_date": today_text()}),
        );
        last_day.assert_status(200);
        assert!(sees(app, &w.c_case_manager, &w.client));

        // A consent naming B, then C instead.
        let other = created_and_enrolled(app, &w.a_case_manager, &w.program, "Avery");
        let named = record(app, &w.a_case_manager, &other, &naming(&[&w.b]));
        assert!(sees(app, &w.b_case_manager, &other));
        let moved = patch_if(
            app,
            &consent_path(&other, &id_of(&named)),
            &w.a_case_manager,
            "\"1\"",
            &json!({"organization_ids": [w.c, w.b]}),
        );
        moved.assert_status(200);
        let mut both = vec![w.b.clone(), w.c.clone()];
        both.sort();
        assert_eq!(moved.body["organization_ids"], json!(both), "in ID order");
        assert!(sees(app, &w.c_case_manager, &other));
        let to_c = patch_if(
            app,
            &consent_path(&other, &id_of(&named)),
            &w.a_case_manager,
            "\"2\"",
            &json!({"organization_ids": [w.c]}),
        );
        to_c.assert_status(200);
        assert!(!sees(app, &w.b_case_manager, &other));
        assert!(sees(app, &w.c_case_manager, &other));
    }

    fn a_consent_that_ran_out_lets_nobody_see(app: &TestApp) {
        let w = world(app);
        let body = merged(
            naming(&[&w.b]),
            json!({"start_date": "2024-01-01", "end_date": "2024-12-31"}),
        );
        let ended = record(app, &w.a_case_manager, &w.client, &body);
        assert_eq!(ended["status"], "active");
        assert!(!sees(app, &w.b_case_manager, &w.client));
        // A consent that starts in the future is not recorded: one is signed on or before
        // the day it is recorded.
        let response = app.post(
            &consents_path(&w.client),
            Some(&w.a_case_manager),
            &merged(naming(&[&w.b]), json!({"start_date": days_ahead(2)})),
        );
        assert_invalid(&response, "start_date", "date.in_future");
        assert!(!sees(app, &w.b_case_manager, &w.client));
    }

    fn a_victim_service_providers_client_stays_sealed_whatever_the_consents(app: &TestApp) {
        let w = world(app);
        let provider = create_organization_with(app, "Safe Harbor", true);
        let program = create_program(app, &provider, json!({"name": "Safe Harbor Shelter"}));
        let advocate = token_for(app, "ada", Role::CaseManager, &provider);
        let client = created_and_enrolled(app, &advocate, &program, "Morgan");
        record(app, &advocate, &client, &json!({"scope": "coc"}));
        record(app, &advocate, &client, &naming(&[&w.b, &w.a]));
        assert!(sees(app, &advocate, &client));
        assert!(!sees(app, &w.b_case_manager, &client));
        assert!(!sees(app, &w.a_case_manager, &client));
        assert_not_found(&app.get(&consents_path(&client), Some(&w.b_case_manager)));
        // A's client, consented to all, then served by the provider too: sealed to it.
        record(app, &w.a_case_manager, &w.client, &json!({"scope": "coc"}));
        assert!(sees(app, &w.b_case_manager, &w.client));
        post_enrollment(
            app,
            &app.admin_token(),
            &w.client,
            &enrollment_body(&program, "2024-04-01", 1),
        )
        .assert_status(201);
        assert!(!sees(app, &w.b_case_manager, &w.client));
        assert!(!sees(app, &w.a_case_manager, &w.client));
        assert!(sees(app, &advocate, &w.client));
    }

    fn case_managers_who_see_the_client_write_every_role_that_sees_it_reads(app: &TestApp) {
        let w = world(app);
        let collection = consents_path(&w.client);
        let body = naming(&[&w.b]);
        for token in [&w.a_viewer, &w.a_integration] {
            assert_forbidden(&app.post(&collection, Some(token), &body));
        }
        // B's case manager may not see the client: every consent path is a 404.
        assert_not_found(&app.post(&collection, Some(&w.b_case_manager), &body));
        assert_not_found(&app.get(&collection, Some(&w.b_case_manager)));
        let consent = record(app, &w.a_case_manager, &w.client, &naming(&[&w.c]));
        let id = id_of(&consent);
        let path = consent_path(&w.client, &id);
        assert_not_found(&app.get(&path, Some(&w.b_case_manager)));
        assert_not_found(&revoke(app, &w.b_case_manager, &w.client, &id, "\"1\""));
        for token in [&w.a_viewer, &w.a_integration] {
            assert_forbidden(&revoke(app, token, &w.client, &id, "\"1\""));
            assert_lists_only(app, token, &collection, &consent);
            app.get(&path, Some(token)).assert_status(200);
        }
        // Admins write too, and the client of another path is not this consent's.
        let by_admin = record(app, &app.admin_token(), &w.client, &json!({"scope": "coc"}));
        assert_eq!(by_admin["recorded_by"], "test-admin");
        let other = create_client(app, "Avery");
        assert_not_found(&app.get(&consent_path(&other, &id), Some(&app.admin_token())));
        let nobody = Uuid::now_v7();
        assert_not_found(&app.get(
            &consents_path(&nobody.to_string()),
            Some(&app.admin_token()),
        ));
        assert_not_found(&app.post(
            &consents_path(&nobody.to_string()),
            Some(&app.admin_token()),
            &body,
        ));
        // Never deleted: the path answers GET and PATCH only.
        let response = app.delete(&path, Some(&w.a_case_manager));
        assert_problem(&response, 405, "request.method_not_allowed");
        assert_eq!(response.header("allow"), Some("GET, PATCH"));
        // A stale version changes nothing.
        assert_stale(&revoke(app, &w.a_case_manager, &w.client, &id, "\"7\""));
        app.get(&path, Some(&w.a_case_manager)).assert_status(200);
        assert_eq!(
            app.get(&path, Some(&w.a_case_manager)).body["status"],
            "active"
        );
    }

    fn a_consent_must_hold_on_its_own(app: &TestApp) {
        let w = world(app);
        let collection = consents_path(&w.client);
        let post = |body: Value| app.post(&collection, Some(&w.a_case_manager), &body);
        let unknown = Uuid::now_v7().to_string();
        assert_invalid(
            &post(naming(&[&w.b, &unknown])),
            "organization_ids[1]",
            "reference.not_found",
        );
        assert_invalid(&post(naming(&[])), "organization_ids", "required");
        assert_invalid(
            &post(naming(&[&w.b, &w.c, &w.b])),
            "organization_ids[2]",
            "duplicate",
        );
        assert_invalid(
            &post(json!({"scope": "organizations"})),
            "organization_ids",
            "required",
        );
        assert_invalid(
            &post(json!({"scope": "coc", "organization_ids": [w.b]})),
            "organization_ids",
            "not_allowed",
        );
        assert_invalid(&post(json!({"scope": "everyone"})), "scope", "invalid");
        assert_invalid(&post(json!({})), "scope", "required");
        let backwards = json!({"start_date": "2025-03-01", "end_date": "2025-02-28"});
        assert_invalid(
            &post(merged(naming(&[&w.b]), backwards)),
            "end_date",
            "date.order",
        );
        assert_invalid(
            &post(merged(naming(&[&w.b]), json!({"status": "revoked"}))),
            "status",
            "unknown_field",
        );
        // Nothing above was stored.
        assert_eq!(
            ids_in(&app.get(&collection, Some(&w.a_case_manager))),
            Vec::<String>::new()
        );

        let coc = record(
            app,
            &w.a_case_manager,
            &w.client,
            &json!({"scope": "coc", "start_date": "2025-03-01"}),
        );
        let path = consent_path(&w.client, &id_of(&coc));
        let patch = |body: Value| patch_if(app, &path, &w.a_case_manager, "\"1\"", &body);
        assert_invalid(
            &patch(json!({"end_date": "2025-02-28"})),
            "end_date",
            "date.order",
        );
        assert_invalid(
            &patch(json!({"organization_ids": [w.b]})),
            "organization_ids",
            "not_allowed",
        );
        assert_invalid(&patch(json!({"status": null})), "status", "required");
        assert_invalid(
            &patch(json!({"scope": "organizations"})),
            "scope",
            "unknown_field",
        );
        assert_invalid(
            &patch(json!({"start_date": "2025-01-01"})),
            "start_date",
            "unknown_field",
        );
        assert_stored(app, &w.a_case_manager, &path, "\"1\"", &coc);
        // A dry run answers what would be stored and stores nothing.
        let dry = app
            .request("PATCH", &format!("{path}?dry_run=true"))
            .token(Some(&w.a_case_manager))
            .json(&json!({"status": "revoked"}))
            .send();
        dry.assert_status(200);
        assert_eq!(dry.body["status"], "revoked");
        assert_stored(app, &w.a_case_manager, &path, "\"1\"", &coc);

        let named = record(app, &w.a_case_manager, &w.client, &naming(&[&w.b]));
        let path = consent_path(&w.client, &id_of(&named));
        let response = patch_if(
            app,
            &path,
            &w.a_case_manager,
            "\"1\"",
            &json!({"organization_ids": [w.c, unknown]}),
        );
        assert_invalid(&response, "organization_ids[1]", "reference.not_found");
        assert_stored(app, &w.a_case_manager, &path, "\"1\"", &named);
    }

    fn a_clients_consents_come_a_page_at_a_time(app: &TestApp) {
        let w = world(app);
        let made: Vec<String> = (0..3)
            .map(|_| id_of(&record(app, &w.a_case_manager, &w.client, &naming(&[&w.b]))))
            .collect();
        let listed = ids_one_per_page(app, &w.a_case_manager, &consents_path(&w.client));
        assert_eq!(listed, made);
    }
);

/// An organization that is (or is not) a victim service provider.
fn create_organization_with(app: &TestApp, name: &str, victim_service_provider: bool) -> String {
    let response = app.post(
        "/v1/organizations",
        Some(&app.admin_token()),
        &json!({"name": name, "victim_service_provider": victim_service_provider}),
    );
    response.assert_status(201);
    id_of(&response.body)
}

/// A date `days` before today, as `YYYY-MM-DD`.
fn days_ago(days: u64) -> String {
    today()
        .checked_sub_days(chrono::Days::new(days))
        .expect("a representable date")
        .format("%Y-%m-%d")
        .to_string()
}
