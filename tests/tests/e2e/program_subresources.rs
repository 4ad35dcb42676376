//! What a program records about itself beside its grants: its CoCs (HUD 2.03), bed and unit
//! inventories (2.07), HMIS and CE participations (2.08, 2.09) and affiliations (2.02.C).
//! Each is read by every role and written by admins, with `ETag`, `If-Match`, `?dry_run`
//! and a soft `DELETE`; the rules between them are in `rules`.

mod rules;

use crate::common::{
    assert_created, assert_forbidden, assert_lists_only, assert_not_found, assert_stale,
    assert_stored, create_organization, create_program, delete_if, id_of, merged, patch_if,
};
use serde_json::{json, Value};
use threshold_tests::{both_backends, Response, Role, TestApp};
use uuid::Uuid;

/// An organization with a residential program (an emergency shelter, project type 0) that
/// has a CoC, CA-500, and a services-only program (project type 6).
struct Programs {
    organization: String,
    shelter: String,
    services: String,
}

fn programs(app: &TestApp) -> Programs {
    let organization = create_organization(app, "Harbor Light");
    let shelter = create_program(app, &organization, json!({}));
    let services = create_program(
        app,
        &organization,
        json!({"name": "Harbor Outreach Services", "project_type": 6}),
    );
    Programs {
        organization,
        shelter,
        services,
    }
}

fn coc_body() -> Value {
    json!({
        "coc_code": "CA-500",
        "geocode": "069001",
        "address1": "1 Harbor Way",
        "city": "Oakland",
        "state": "CA",
        "zip": "94607",
        "geography_type": 1
    })
}

fn inventory_body() -> Value {
    json!({
        "coc_code": "CA-500",
        "household_type": 1,
        "availability": 1,
        "unit_inventory": 10,
        "bed_inventory": 12,
        "vet_bed_inventory": 2,
        "other_bed_inventory": 10,
        "es_bed_type": 1,
        "inventory_start_date": "2025-10-01"
    })
}

fn hmis_participation_body() -> Value {
    json!({
        "hmis_participation_type": 1,
        "hmis_participation_status_start_date": "2020-01-01"
    })
}

fn ce_participation_body() -> Value {
    json!({
        "access_point": 1,
        "prevention_assessment": 0,
        "crisis_assessment": 1,
        "housing_assessment": 1,
        "direct_services": 0,
        "receives_referrals": 1,
        "ce_participation_status_start_date": "2024-01-01"
    })
}

/// `POST` of `body` to `path` as an admin: the record made.
fn create(app: &TestApp, path: &str, body: &Value) -> Value {
    let response = app.post(path, Some(&app.admin_token()), body);
    response.assert_status(201);
    response.body
}

/// A CoC of `program` with `extra` set over [`coc_body`].
fn create_coc(app: &TestApp, program: &str, extra: Value) -> Value {
    create(
        app,
        &format!("/v1/programs/{program}/cocs"),
        &merged(coc_body(), extra),
    )
}

/// One resource as the shared checks exercise it: where it hangs, a body that makes one,
/// a patch of it, and what the patch leaves in the record.
struct Case {
    segment: &'static str,
    program: String,
    body: Value,
    patch: Value,
    /// Fields the patch changes, and what they read afterwards.
    patched: Value,
    /// A field the body leaves out, which reads `null`.
    absent: &'static str,
}

fn cases(app: &TestApp, programs: &Programs) -> Vec<Case> {
    create_coc(app, &programs.shelter, json!({}));
    let other_shelter = create_program(app, &programs.organization, json!({"name": "Annex"}));
    vec![
        Case {
            segment: "cocs",
            program: programs.shelter.clone(),
            body: merged(coc_body(), json!({"coc_code": "CA-501"})),
            patch: json!({"address2": "Suite 2", "city": null}),
            patched: json!({"address2": "Suite 2", "city": null}),
            absent: "address2",
        },
        Case {
            segment: "inventories",
            program: programs.shelter.clone(),
            body: inventory_body(),
            patch: json!({"inventory_end_date": "2026-09-30", "availability": null}),
            patched: json!({"inventory_end_date": "2026-09-30", "availability": null}),
            absent: "ch_vet_bed_inventory",
        },
        Case {
            segment: "hmis-participations",
            program: programs.shelter.clone(),
            body: hmis_participation_body(),
            patch: json!({"hmis_participation_status_end_date": "2025-12-31"}),
            patched: json!({"hmis_participation_status_end_date": "2025-12-31"}),
            absent: "hmis_participation_status_end_date",
        },
        Case {
            segment: "ce-participations",
            program: programs.shelter.clone(),
            body: ce_participation_body(),
            patch: json!({"ce_participation_status_end_date": "2025-06-30"}),
            patched: json!({"ce_participation_status_end_date": "2025-06-30"}),
            absent: "ce_participation_status_end_date",
        },
        Case {
            segment: "affiliations",
            program: programs.services.clone(),
            body: json!({"res_program_id": programs.shelter}),
            patch: json!({"res_program_id": other_shelter}),
            patched: json!({"res_program_id": other_shelter}),
            absent: "",
        },
    ]
}

/// Tokens of the three roles that read but do not write a program's records.
fn readers(app: &TestApp, organization: &str) -> Vec<(&'static str, String)> {
    let org = Some(Uuid::parse_str(organization).expect("a UUID"));
    vec![
        (
            "case_manager",
            app.token("casey", &[Role::CaseManager], org),
        ),
        ("viewer", app.token("vera", &[Role::Viewer], org)),
        (
            "integration",
            app.token("ingrid", &[Role::Integration], org),
        ),
    ]
}

/// Every field of `expected` reads the same in `body`.
fn assert_fields(body: &Value, expected: &Value, what: &str) {
    for (field, value) in expected.as_object().expect("an object") {
        assert_eq!(&body[field], value, "{what}: `{field}` in {body}");
    }
}

fn dry_run(path: &str) -> String {
    format!("{path}?dry_run=true")
}

both_backends!(
    fn each_is_created_read_listed_and_changed(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        for case in cases(app, &programs) {
            let collection = format!("/v1/programs/{}/{}", case.program, case.segment);
            let listed_before = app.get(&collection, Some(&token));
            listed_before.assert_status(200);
            let before = listed_before.body["data"].as_array().map_or(0, Vec::len);

            // A dry run answers what would be stored and stores nothing.
            let dry = app.post(&dry_run(&collection), Some(&token), &case.body);
            dry.assert_status(200);
            assert_fields(&dry.body, &case.body, case.segment);
            let listed = app.get(&collection, Some(&token));
            assert_eq!(listed.body["data"].as_array().map_or(0, Vec::len), before);

            let response = app.post(&collection, Some(&token), &case.body);
            let id = assert_created(&response, &collection);
            let created = response.body;
            assert_fields(&created, &case.body, case.segment);
            assert_eq!(created["program_id"], case.program.as_str());
            assert_eq!(created["version"], 1);
            assert_eq!(created["created_by"], "test-admin");
            if !case.absent.is_empty() {
                assert_eq!(created[case.absent], Value::Null, "{}", case.segment);
            }
            let path = format!("{collection}/{id}");
            assert_stored(app, &token, &path, "\"1\"", &created);
            if before == 0 {
                assert_lists_only(app, &token, &collection, &created);
            }
            for (role, reader) in readers(app, &programs.organization) {
                let read = app.get(&path, Some(&reader));
                assert_eq!(read.status, 200, "{role} reads {}", case.segment);
                app.get(&collection, Some(&reader)).assert_status(200);
            }

            // If-Match: a stale tag changes nothing; a dry run shows the change, keeps none.
            assert_stale(&patch_if(app, &path, &token, "\"9\"", &case.patch));
            let dry = app
                .request("PATCH", &dry_run(&path))
                .token(Some(&token))
                .header("If-Match", "\"1\"")
                .json(&case.patch)
                .send();
            dry.assert_status(200);
            assert_fields(&dry.body, &case.patched, case.segment);
            assert_stored(app, &token, &path, "\"1\"", &created);

            let changed = patch_if(app, &path, &token, "\"1\"", &case.patch);
            changed.assert_status(200);
            assert_eq!(changed.etag(), "\"2\"");
            assert_fields(&changed.body, &case.patched, case.segment);
            assert_eq!(changed.body["version"], 2);
            assert_stored(app, &token, &path, "\"2\"", &changed.body);
        }
    }

    fn each_is_deleted_softly_with_if_match_and_dry_run(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        for case in cases(app, &programs) {
            let collection = format!("/v1/programs/{}/{}", case.program, case.segment);
            let created = create(app, &collection, &case.body);
            let path = format!("{collection}/{}", id_of(&created));

            assert_stale(&delete_if(app, &path, &token, "\"2\""));
            let dry = app
                .request("DELETE", &dry_run(&path))
                .token(Some(&token))
                .send();
            assert_eq!(dry.status, 204, "{}", dry.describe());
            assert_stored(app, &token, &path, "\"1\"", &created);

            let deleted = delete_if(app, &path, &token, "\"1\"");
            assert_eq!(deleted.status, 204, "{}", deleted.describe());
            assert_not_found(&app.get(&path, Some(&token)));
            let listed = app.get(&collection, Some(&token));
            let ids: Vec<String> = listed.body["data"]
                .as_array()
                .expect("a list")
                .iter()
                .map(id_of)
                .collect();
            assert!(!ids.contains(&id_of(&created)), "{}", case.segment);
            assert_not_found(&app.delete(&path, Some(&token)));
            assert_not_found(&patch_if(app, &path, &token, "\"2\"", &case.patch));
        }
    }

    fn only_admins_write(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        for case in cases(app, &programs) {
            let collection = format!("/v1/programs/{}/{}", case.program, case.segment);
            let created = create(app, &collection, &case.body);
            let path = format!("{collection}/{}", id_of(&created));
            for (role, reader) in readers(app, &programs.organization) {
                let refused: [(&str, Response); 3] = [
                    ("POST", app.post(&collection, Some(&reader), &case.body)),
                    ("PATCH", app.patch(&path, Some(&reader), &case.patch)),
                    ("DELETE", app.delete(&path, Some(&reader))),
                ];
                for (method, response) in refused {
                    assert_eq!(response.status, 403, "{role} {method} {}", case.segment);
                    assert_forbidden(&response);
                }
            }
            assert_stored(app, &token, &path, "\"1\"", &created);
        }
    }

    fn an_unknown_program_or_another_programs_record_is_not_found(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        let nowhere = Uuid::new_v4();
        for case in cases(app, &programs) {
            let collection = format!("/v1/programs/{}/{}", case.program, case.segment);
            let created = create(app, &collection, &case.body);
            let id = id_of(&created);
            let elsewhere = format!("/v1/programs/{nowhere}/{}", case.segment);
            assert_not_found(&app.get(&elsewhere, Some(&token)));
            assert_not_found(&app.post(&elsewhere, Some(&token), &case.body));
            assert_not_found(&app.get(&format!("{elsewhere}/{id}"), Some(&token)));
            assert_not_found(&app.patch(&format!("{elsewhere}/{id}"), Some(&token), &case.patch));
            assert_not_found(&app.delete(&format!("{elsewhere}/{id}"), Some(&token)));
            // Under the other program of the organization: its own records only.
            let other = if case.program == programs.shelter {
                &programs.services
            } else {
                &programs.shelter
            };
            let path = format!("/v1/programs/{other}/{}/{id}", case.segment);
            assert_not_found(&app.get(&path, Some(&token)));
            assert_not_found(&app.delete(&path, Some(&token)));
            let path = format!("{collection}/{}", Uuid::new_v4());
            assert_not_found(&app.get(&path, Some(&token)));
        }
    }
);
