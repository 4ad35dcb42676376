//! The rules of a program's records: an inventory counts in one of the program's CoCs
//! (`inventory.coc_unknown`), a CoC stays while an inventory counts in its code
//! (`coc.in_use`), periods end on or after their start (422 `date.order`), an affiliation
//! ties a services-only program to a residential one (HUD 2.02.C), and every field is of its
//! HMIS CSV column's type, length and code list (422).

use super::*;
use crate::common::error_fields;
use threshold_tests::assert_problem;

/// A 422 `validation.failed` listing each of `expected` as a field problem.
fn assert_invalid(response: &Response, expected: &[(&str, &str)]) {
    assert_problem(response, 422, "validation.failed");
    let found = error_fields(response);
    for (field, code) in expected {
        assert!(
            found.contains(&((*field).to_owned(), (*code).to_owned())),
            "expected `{field}` with code `{code}` in {}",
            response.describe()
        );
    }
}

both_backends!(
    fn an_inventory_counts_in_one_of_the_programs_cocs(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        let inventories = format!("/v1/programs/{}/inventories", programs.shelter);
        // No CoC yet: refused, dry run or not, and nothing stored.
        for path in [dry_run(&inventories), inventories.clone()] {
            let refused = app.post(&path, Some(&token), &inventory_body());
            assert_problem(&refused, 409, "inventory.coc_unknown");
        }
        create_coc(app, &programs.shelter, json!({}));
        // A CoC of another program does not count.
        create_coc(app, &programs.services, json!({"coc_code": "CA-502"}));
        let elsewhere = merged(inventory_body(), json!({"coc_code": "CA-502"}));
        assert_problem(
            &app.post(&inventories, Some(&token), &elsewhere),
            409,
            "inventory.coc_unknown",
        );
        let created = create(app, &inventories, &inventory_body());
        let path = format!("{inventories}/{}", id_of(&created));
        let moved = patch_if(app, &path, &token, "\"1\"", &json!({"coc_code": "CA-502"}));
        assert_problem(&moved, 409, "inventory.coc_unknown");
        assert_stored(app, &token, &path, "\"1\"", &created);
        create_coc(app, &programs.shelter, json!({"coc_code": "CA-502"}));
        let moved = patch_if(app, &path, &token, "\"1\"", &json!({"coc_code": "CA-502"}));
        moved.assert_status(200);
        assert_eq!(moved.body["coc_code"], "CA-502");
    }

    fn a_coc_stays_while_an_inventory_counts_in_it(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        let coc = create_coc(app, &programs.shelter, json!({}));
        let coc_path = format!("/v1/programs/{}/cocs/{}", programs.shelter, id_of(&coc));
        let inventories = format!("/v1/programs/{}/inventories", programs.shelter);
        let inventory = create(app, &inventories, &inventory_body());

        assert_problem(&app.delete(&coc_path, Some(&token)), 409, "coc.in_use");
        let recoded = patch_if(
            app,
            &coc_path,
            &token,
            "\"1\"",
            &json!({"coc_code": "CA-503"}),
        );
        assert_problem(&recoded, 409, "coc.in_use");
        // Other changes to the CoC are fine.
        let moved = patch_if(app, &coc_path, &token, "\"1\"", &json!({"zip": "94612"}));
        moved.assert_status(200);

        // Another CoC record of the same code (another geocode) keeps the inventory's CoC.
        let twin = create_coc(app, &programs.shelter, json!({"geocode": "069002"}));
        let twin_path = format!("/v1/programs/{}/cocs/{}", programs.shelter, id_of(&twin));
        let deleted = app.delete(&coc_path, Some(&token));
        assert_eq!(deleted.status, 204, "{}", deleted.describe());
        assert_problem(&app.delete(&twin_path, Some(&token)), 409, "coc.in_use");

        // Once the inventory is gone, so may the last CoC be.
        let inventory_path = format!("{inventories}/{}", id_of(&inventory));
        assert_eq!(app.delete(&inventory_path, Some(&token)).status, 204);
        let deleted = app.delete(&twin_path, Some(&token));
        assert_eq!(deleted.status, 204, "{}", deleted.describe());
    }

    fn periods_end_on_or_after_their_start(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        create_coc(app, &programs.shelter, json!({}));
        let periods = [
            (
                "inventories",
                inventory_body(),
                "inventory_start_date",
                "inventory_end_date",
            ),
            (
                "hmis-participations",
                hmis_participation_body(),
                "hmis_participation_status_start_date",
                "hmis_participation_status_end_date",
            ),
            (
                "ce-participations",
                ce_participation_body(),
                "ce_participation_status_start_date",
                "ce_participation_status_end_date",
            ),
        ];
        for (segment, body, start, end) in periods {
            let collection = format!("/v1/programs/{}/{segment}", programs.shelter);
            let starts = body[start].as_str().expect("a start").to_owned();
            let day_before = chrono::NaiveDate::parse_from_str(&starts, "%Y-%m-%d")
                .expect("a date")
                .pred_opt()
                .expect("a day before")
                .to_string();
            let backwards = merged(body.clone(), json!({ end: day_before }));
            assert_invalid(
                &app.post(&collection, Some(&token), &backwards),
                &[(end, "date.order")],
            );
            // The same day is a period of one day.
            let one_day = merged(body.clone(), json!({ end: starts }));
            let created = create(app, &collection, &one_day);
            let path = format!("{collection}/{}", id_of(&created));
            let patched = patch_if(app, &path, &token, "\"1\"", &json!({ end: day_before }));
            assert_invalid(&patched, &[(end, "date.order")]);
            assert_stored(app, &token, &path, "\"1\"", &created);
        }
    }

    fn an_affiliation_ties_services_only_to_residential(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        let affiliations = format!("/v1/programs/{}/affiliations", programs.services);
        let outreach = create_program(
            app,
            &programs.organization,
            json!({"name": "Street Outreach", "project_type": 4}),
        );
        let refused = app.post(
            &affiliations,
            Some(&token),
            &json!({"res_program_id": outreach}),
        );
        assert_problem(&refused, 409, "affiliation.not_residential");
        let nowhere = Uuid::new_v4().to_string();
        let unknown = app.post(
            &affiliations,
            Some(&token),
            &json!({"res_program_id": nowhere}),
        );
        assert_invalid(&unknown, &[("res_program_id", "reference.not_found")]);
        // A shelter is not services-only: it has no affiliations.
        let from_shelter = format!("/v1/programs/{}/affiliations", programs.shelter);
        let services = json!({"res_program_id": programs.services});
        let refused = app.post(&from_shelter, Some(&token), &services);
        assert_problem(&refused, 409, "affiliation.not_services_only");
        let created = create(
            app,
            &affiliations,
            &json!({"res_program_id": programs.shelter}),
        );
        let path = format!("{affiliations}/{}", id_of(&created));
        let patched = patch_if(
            app,
            &path,
            &token,
            "\"1\"",
            &json!({"res_program_id": outreach}),
        );
        assert_problem(&patched, 409, "affiliation.not_residential");
        let cleared = patch_if(
            app,
            &path,
            &token,
            "\"1\"",
            &json!({"res_program_id": null}),
        );
        assert_invalid(&cleared, &[("res_program_id", "required")]);
        let extra = app.post(
            &affiliations,
            Some(&token),
            &json!({"res_program_id": programs.shelter, "res_project_id": "p1"}),
        );
        assert_problem(&extra, 422, "validation.failed");
        assert_stored(app, &token, &path, "\"1\"", &created);
    }

    fn fields_keep_their_columns_types_lengths_and_codes(app: &TestApp) {
        let token = app.admin_token();
        let programs = programs(app);
        let base = |segment: &str| format!("/v1/programs/{}/{segment}", programs.shelter);
        let refusals = [
            (
                "cocs",
                merged(
                    coc_body(),
                    json!({"coc_code": "CA500", "state": "CAL", "geography_type": 5,
                           "zip": 94607, "county": "Alameda"}),
                ),
                vec![
                    ("coc_code", "invalid"),
                    ("state", "invalid"),
                    ("geography_type", "invalid"),
                    ("zip", "invalid"),
                    ("county", "unknown_field"),
                ],
            ),
            (
                "cocs",
                json!({"address1": "x".repeat(101)}),
                vec![
                    ("address1", "invalid"),
                    ("coc_code", "required"),
                    ("geocode", "required"),
                ],
            ),
            (
                "inventories",
                merged(
                    inventory_body(),
                    json!({"household_type": 2, "bed_inventory": -1, "es_bed_type": 9,
                           "availability": "year-round", "inventory_start_date": "2025-02-30"}),
                ),
                vec![
                    ("household_type", "invalid"),
                    ("bed_inventory", "invalid"),
                    ("es_bed_type", "invalid"),
                    ("availability", "invalid"),
                    ("inventory_start_date", "invalid"),
                ],
            ),
            (
                "hmis-participations",
                json!({"hmis_participation_type": 3}),
                vec![
                    ("hmis_participation_type", "invalid"),
                    ("hmis_participation_status_start_date", "required"),
                ],
            ),
            (
                "ce-participations",
                merged(ce_participation_body(), json!({"access_point": 2})),
                vec![("access_point", "invalid")],
            ),
            (
                "ce-participations",
                merged(
                    ce_participation_body(),
                    json!({"access_point": 0, "housing_assessment": null}),
                ),
                vec![
                    ("prevention_assessment", "not_allowed"),
                    ("crisis_assessment", "not_allowed"),
                    ("direct_services", "not_allowed"),
                ],
            ),
        ];
        for (segment, body, expected) in refusals {
            assert_invalid(&app.post(&base(segment), Some(&token), &body), &expected);
            assert_eq!(
                app.get(&base(segment), Some(&token)).body["data"],
                json!([]),
                "{segment}: nothing stored"
            );
        }
        // A patch cannot clear a field HMIS CSV never leaves empty.
        let coc = create_coc(app, &programs.shelter, json!({}));
        let path = format!("{}/{}", base("cocs"), id_of(&coc));
        let cleared = patch_if(app, &path, &token, "\"1\"", &json!({"geocode": null}));
        assert_invalid(&cleared, &[("geocode", "required")]);
        assert_stored(app, &token, &path, "\"1\"", &coc);
    }
);
