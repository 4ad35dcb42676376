//! The HUD fields of clients, enrollments, exits, programs and organizations (Client.csv,
//! Enrollment.csv, Exit.csv, Project.csv, Organization.csv): written with the resource's
//! own fields, read back under the contract's names (`null` where nothing is recorded),
//! checked against their columns' types and lists and their "null unless" rules (422),
//! cleared by `null` in a patch, and stored on both backends.

use crate::common::{
    assert_invalid, create_organization, create_program, enrollment_body, id_of, new_head,
    patch_if, post_enrollment, shelter_with,
};
use serde_json::{json, Value};
use threshold_tests::{both_backends, TestApp};

fn create_client(app: &TestApp, body: Value) -> Value {
    let response = app.post("/v1/clients", Some(&app.admin_token()), &body);
    response.assert_status(201);
    response.body
}

both_backends!(
    fn a_veterans_details_are_stored_read_and_cleared(app: &TestApp) {
        let token = app.admin_token();
        let client = create_client(
            app,
            json!({
                "first_name": "Sam",
                "veteran_status": 1,
                "year_entered_service": 1990,
                "year_separated": 1994,
                "desert_storm": 1,
                "military_branch": 1,
                "discharge_status": 1,
                "additional_race_ethnicity": "Hmong"
            }),
        );
        assert_eq!(client["year_entered_service"], 1990);
        assert_eq!(client["desert_storm"], 1);
        assert_eq!(client["additional_race_ethnicity"], "Hmong");
        // Every field of the file is in the read, `null` where nothing is recorded.
        assert_eq!(client["vietnam_war"], Value::Null);
        assert!(client.as_object().unwrap().contains_key("iraq_ond"));
        let path = format!("/v1/clients/{}", id_of(&client));
        let read = app.get(&path, Some(&token));
        read.assert_status(200);
        assert_eq!(read.body["year_separated"], 1994);
        let patched = patch_if(
            app,
            &path,
            &token,
            read.etag(),
            &json!({"desert_storm": null, "iraq_oif": 0}),
        );
        patched.assert_status(200);
        assert_eq!(patched.body["desert_storm"], Value::Null);
        assert_eq!(patched.body["iraq_oif"], 0);
        assert_eq!(app.get(&path, Some(&token)).body["iraq_oif"], 0);
    }
);

both_backends!(
    fn client_fields_are_checked_against_their_lists_and_rules(app: &TestApp) {
        let token = app.admin_token();
        let refused = |body: Value, field: &str, code: &str| {
            let response = app.post("/v1/clients", Some(&token), &body);
            assert_invalid(&response, field, code);
        };
        // Not a code of V1.11; not a year from 1920; an unknown field.
        refused(
            json!({"veteran_status": 1, "military_branch": 5}),
            "military_branch",
            "invalid",
        );
        refused(
            json!({"veteran_status": 1, "year_entered_service": 1919}),
            "year_entered_service",
            "invalid",
        );
        refused(
            json!({"veteran_status": 1, "year_entered_service": -3}),
            "year_entered_service",
            "invalid",
        );
        refused(
            json!({"first_name": "Al", "war_of_1812": 1}),
            "war_of_1812",
            "unknown_field",
        );
        // V1 is asked of a veteran only.
        refused(
            json!({"veteran_status": 0, "korean_war": 1}),
            "korean_war",
            "invalid",
        );
        refused(
            json!({"veteran_status": 1, "year_entered_service": 2000, "year_separated": 1999}),
            "year_separated",
            "invalid",
        );
        // A patch that makes the client no veteran while details remain is refused too.
        let client = create_client(app, json!({"veteran_status": 1, "korean_war": 1}));
        let path = format!("/v1/clients/{}", id_of(&client));
        let etag = app.get(&path, Some(&token)).etag().to_owned();
        let response = patch_if(app, &path, &token, &etag, &json!({"veteran_status": 0}));
        assert_invalid(&response, "korean_war", "invalid");
        let response = patch_if(
            app,
            &path,
            &token,
            &etag,
            &json!({"veteran_status": 0, "korean_war": null}),
        );
        response.assert_status(200);
    }
);

both_backends!(
    fn an_enrollment_carries_its_homeless_history_and_engagement(app: &TestApp) {
        let token = app.admin_token();
        let outreach = shelter_with(app, "Harbor Outreach", json!({"project_type": 4}));
        let body = json!({
            "los_under_threshold": 1,
            "previous_street_essh": 1,
            "date_to_street_essh": "2024-02-01",
            "times_homeless_past_three_years": 2,
            "months_homeless_past_three_years": 105,
            "date_of_engagement": "2025-03-04",
            "referral_source": 1,
            "vamc_station": "402"
        });
        let stay = new_head(app, &outreach.program, "Ari", "2025-03-01", body.clone());
        let read = app.get(&stay.path(), Some(&token));
        read.assert_status(200);
        for (field, value) in body.as_object().unwrap() {
            assert_eq!(&read.body[field], value, "{field}");
        }
        assert_eq!(read.body["percent_ami"], Value::Null);
        // Moving the entry date before the episode's start breaks 3.917.3.
        let response = patch_if(
            app,
            &stay.path(),
            &token,
            read.etag(),
            &json!({"entry_date": "2024-01-15"}),
        );
        assert_invalid(&response, "date_to_street_essh", "invalid");
        let patched = patch_if(
            app,
            &stay.path(),
            &token,
            read.etag(),
            &json!({"times_homeless_past_three_years": 4, "date_of_engagement": null}),
        );
        patched.assert_status(200);
        assert_eq!(patched.body["times_homeless_past_three_years"], 4);
        assert_eq!(patched.body["date_of_engagement"], Value::Null);
        // Each new enrollment field is checked: its list, its dates around the stay.
        let client = id_of(&create_client(app, json!({"first_name": "Bo"})));
        for (extra, field) in [
            (
                json!({"times_homeless_past_three_years": 5}),
                "times_homeless_past_three_years",
            ),
            (
                json!({"date_to_street_essh": "2025-03-02"}),
                "date_to_street_essh",
            ),
            (
                json!({"date_of_engagement": "2025-02-28"}),
                "date_of_engagement",
            ),
            (json!({"hh5_plus": 2}), "hh5_plus"),
        ] {
            let mut body = enrollment_body(&outreach.program, "2025-03-01", 1);
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            assert_invalid(
                &post_enrollment(app, &token, &client, &body),
                field,
                "invalid",
            );
        }
    }
);

both_backends!(
    fn an_exit_records_its_hud_fields_and_a_reopen_drops_them(app: &TestApp) {
        let token = app.admin_token();
        let organization = create_organization(app, "Harbor Light");
        let program = create_program(app, &organization, json!({"project_type": 3}));
        let stay = new_head(app, &program, "Kai", "2025-01-10", json!({}));
        let etag = app.get(&stay.path(), Some(&token)).etag().to_owned();
        let exit = |body: Value| {
            app.request("POST", &stay.exit_path())
                .token(Some(&token))
                .header("If-Match", &etag)
                .json(&body)
                .send()
        };
        let base = json!({"exit_date": "2025-06-30", "destination": 410});
        let refused = exit(crate::common::merged(
            base.clone(),
            json!({"housing_assessment": 2, "subsidy_information": 1}),
        ));
        assert_invalid(&refused, "subsidy_information", "invalid");
        let refused = exit(crate::common::merged(
            base.clone(),
            json!({"sessions_in_plan": 0}),
        ));
        assert_invalid(&refused, "sessions_in_plan", "invalid");
        let exited = exit(crate::common::merged(
            base,
            json!({
                "housing_assessment": 1,
                "subsidy_information": 1,
                "project_completion_status": 1,
                "aftercare_date": "2025-07-15"
            }),
        ));
        exited.assert_status(200);
        let read = app.get(&stay.path(), Some(&token));
        assert_eq!(read.body["exit"]["housing_assessment"], 1);
        assert_eq!(read.body["exit"]["project_completion_status"], 1);
        assert_eq!(read.body["exit"]["aftercare_date"], "2025-07-15");
        assert_eq!(read.body["exit"]["cm_exit_reason"], Value::Null);
        let reopened = app
            .request("DELETE", &stay.exit_path())
            .token(Some(&token))
            .header("If-Match", read.etag())
            .send();
        reopened.assert_status(200);
        assert_eq!(reopened.body["exit"], Value::Null);
        // Exited again without them, the earlier exit's fields are gone.
        let again = app
            .request("POST", &stay.exit_path())
            .token(Some(&token))
            .header("If-Match", reopened.etag())
            .json(&json!({"exit_date": "2025-07-01", "destination": 410}))
            .send();
        again.assert_status(200);
        assert_eq!(again.body["exit"]["housing_assessment"], Value::Null);
    }
);

both_backends!(
    fn programs_and_organizations_carry_their_hud_fields(app: &TestApp) {
        let token = app.admin_token();
        let organization = app.post(
            "/v1/organizations",
            Some(&token),
            &json!({"name": "Harbor Light Services", "organization_common_name": "Harbor Light"}),
        );
        organization.assert_status(201);
        assert_eq!(
            organization.body["organization_common_name"],
            "Harbor Light"
        );
        let organization = id_of(&organization.body);
        let body = json!({
            "organization_id": organization,
            "name": "Harbor Homes",
            "project_type": 13,
            "operating_start_date": "2020-01-01",
            "housing_type": 3,
            "rrh_sub_type": 2,
            "target_population": 4,
            "pit_count": 12
        });
        let program = app.post("/v1/programs", Some(&token), &body);
        program.assert_status(201);
        for field in [
            "housing_type",
            "rrh_sub_type",
            "target_population",
            "pit_count",
        ] {
            assert_eq!(program.body[field], body[field], "{field}");
        }
        assert_eq!(program.body["residential_affiliation"], Value::Null);
        let path = format!("/v1/programs/{}", id_of(&program.body));
        // 2.02.A is asked of rapid re-housing only: changing the type keeps it only if
        // cleared.
        let etag = app.get(&path, Some(&token)).etag().to_owned();
        let response = patch_if(app, &path, &token, &etag, &json!({"project_type": 3}));
        assert_invalid(&response, "rrh_sub_type", "invalid");
        let response = patch_if(
            app,
            &path,
            &token,
            &etag,
            &json!({"project_type": 3, "rrh_sub_type": null, "pit_count": 14}),
        );
        response.assert_status(200);
        assert_eq!(response.body["rrh_sub_type"], Value::Null);
        assert_eq!(app.get(&path, Some(&token)).body["pit_count"], 14);
        let refused = app.post(
            "/v1/programs",
            Some(&token),
            &crate::common::merged(body, json!({"housing_type": 4, "pit_count": -1})),
        );
        assert_invalid(&refused, "housing_type", "invalid");
        assert_invalid(&refused, "pit_count", "invalid");
    }
);

both_backends!(
    fn the_export_writes_each_hud_field_in_its_column(app: &TestApp) {
        let token = app.admin_token();
        let organization = app.post(
            "/v1/organizations",
            Some(&token),
            &json!({"name": "Harbor Light Services", "organization_common_name": "Harbor"}),
        );
        organization.assert_status(201);
        let organization = id_of(&organization.body);
        let program = create_program(
            app,
            &organization,
            json!({"project_type": 13, "housing_type": 3, "rrh_sub_type": 2}),
        );
        let client = id_of(&create_client(
            app,
            json!({"first_name": "Sam", "veteran_status": 1, "year_entered_service": 1990}),
        ));
        let mut body = enrollment_body(&program, "2025-03-01", 1);
        body["times_homeless_past_three_years"] = json!(2);
        let enrollment = post_enrollment(app, &token, &client, &body);
        enrollment.assert_status(201);
        let path = format!(
            "/v1/clients/{client}/enrollments/{}",
            id_of(&enrollment.body)
        );
        let exited = app
            .request("POST", &format!("{path}/exit"))
            .token(Some(&token))
            .header("If-Match", enrollment.etag())
            .json(&json!({"exit_date": "2025-06-30", "destination": 410, "housing_assessment": 1}))
            .send();
        exited.assert_status(200);
        let export = app.get(
            "/v1/exports/hmis-csv?from=2025-01-01&to=2025-12-31",
            Some(&token),
        );
        export.assert_status(200);
        let files = crate::common::imports::read_csv_zip(&export.bytes);
        for (file, column, value) in [
            ("Organization", "OrganizationCommonName", "Harbor"),
            ("Project", "HousingType", "3"),
            ("Project", "RRHSubType", "2"),
            ("Client", "YearEnteredService", "1990"),
            ("Enrollment", "TimesHomelessPastThreeYears", "2"),
            ("Exit", "HousingAssessment", "1"),
        ] {
            assert_eq!(files[file].column(column), [value], "{file}.{column}");
        }
    }
);
