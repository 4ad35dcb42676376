//! Client privacy end to end (SECURITY.md, "Client privacy"): a client served by a victim
//! service provider is sealed to it. Every endpoint that shows a client, as the case
//! manager, viewer and integration of another organization serving the same client: before
//! the seal they see the client, after it each answers as if the client did not exist.

use crate::common::imports::read_csv_zip;
use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{both_backends, Role, TestApp};

/// An organization that is a victim service provider (HMIS 2.02.7), with a program.
fn victim_service_provider(app: &TestApp, name: &str) -> Shelter {
    let response = app.post(
        "/v1/organizations",
        Some(&app.admin_token()),
        &json!({"name": name, "victim_service_provider": true}),
    );
    response.assert_status(201);
    let organization = id_of(&response.body);
    let program = create_program(app, &organization, json!({"name": "Safe House"}));
    Shelter {
        organization,
        program,
    }
}

/// What each endpoint showing the client answers `token` (true: the client is shown).
fn shown_to(app: &TestApp, token: &str, client: &str, stay: &Value) -> Vec<(&'static str, bool)> {
    let stay_id = id_of(stay);
    let household = household_of(stay);
    let client_path = format!("/v1/clients/{client}");
    let status = |path: &str| app.get(path, Some(token)).status;
    let listed_in = |path: &str, id: &str| {
        let response = app.get(path, Some(token));
        response.assert_status(200);
        response.body.to_string().contains(id)
    };
    vec![
        ("client", status(&client_path) == 200),
        ("search", listed_in("/v1/clients?q=sealed", client)),
        ("enrollments", status(&enrollments_path(client)) == 200),
        (
            "enrollment",
            status(&enrollment_path(client, &stay_id)) == 200,
        ),
        (
            "assessments",
            status(&format!("{client_path}/assessments")) == 200,
        ),
        (
            "household",
            listed_in(&format!("/v1/households/{household}"), client),
        ),
        (
            "change feed",
            listed_in(
                "/v1/enrollments?updated_since=2000-01-01T00:00:00Z&limit=200",
                &stay_id,
            ),
        ),
        (
            "audit trail",
            listed_in(&format!("/v1/audit-events?entity_id={stay_id}"), &stay_id),
        ),
        (
            "data quality",
            listed_in("/v1/reports/data-quality", &stay_id),
        ),
        (
            "HUD report's people served",
            listed_in(
                "/v1/reports/hud-data-quality/cells/Q5a/B2?from=2024-01-01&to=2024-12-31",
                client,
            ),
        ),
        (
            "roster",
            listed_in(
                &format!(
                    "/v1/programs/{}/enrollments",
                    stay["program_id"].as_str().unwrap()
                ),
                &stay_id,
            ),
        ),
    ]
}

fn all(shown: bool) -> Vec<bool> {
    vec![shown; 11]
}

fn exported(app: &TestApp, token: &str) -> (Vec<String>, Vec<String>) {
    let response = app.get(
        "/v1/exports/hmis-csv?from=2024-01-01&to=2024-12-31",
        Some(token),
    );
    response.assert_status(200);
    let files = read_csv_zip(&response.bytes);
    (
        files["Client"].column("PersonalID"),
        files["Enrollment"].column("EnrollmentID"),
    )
}

fn hex(id: &str) -> String {
    id.replace('-', "")
}

both_backends!(
    fn a_client_served_by_a_victim_service_provider_is_sealed_to_it(app: &TestApp) {
        let shelter = shelter(app, "Harbor Light");
        let case_manager = token_for(app, "casey", Role::CaseManager, &shelter.organization);
        let viewer = token_for(app, "val", Role::Viewer, &shelter.organization);
        let integration = token_for(app, "ivy", Role::Integration, &shelter.organization);
        let safe_house = victim_service_provider(app, "Safe Harbor DV");
        let advocate = token_for(app, "dana", Role::CaseManager, &safe_house.organization);
        let safe_integration = token_for(app, "sky", Role::Integration, &safe_house.organization);

        let client = create_client_with_as(
            app,
            &case_manager,
            json!({"first_name": "Jordan", "last_name": "Sealed", "dob": "1990-01-01",
                   "dob_data_quality": 1}),
        );
        let client = id_of(&client);
        let stay = post_enrollment(
            app,
            &case_manager,
            &client,
            &enrollment_body(&shelter.program, "2024-03-01", 1),
        );
        stay.assert_status(201);
        let stay = stay.body;

        // Served by the shelter alone: its callers see the client everywhere, the
        // victim service provider nowhere.
        for token in [&case_manager, &viewer, &integration] {
            let shown = shown_to(app, token, &client, &stay);
            assert_eq!(
                shown.iter().map(|(_, shown)| *shown).collect::<Vec<_>>(),
                all(true),
                "{shown:?}"
            );
        }
        assert_not_found(&app.get(&format!("/v1/clients/{client}"), Some(&advocate)));
        let (clients, _) = exported(app, &integration);
        assert!(clients.contains(&hex(&client)));

        // The victim service provider serves the client too (an admin enrolls them: the
        // provider could not see the client to enroll them).
        let refused = post_enrollment(
            app,
            &advocate,
            &client,
            &enrollment_body(&safe_house.program, "2024-04-01", 1),
        );
        assert_not_found(&refused);
        let safe_stay = post_enrollment(
            app,
            &app.admin_token(),
            &client,
            &enrollment_body(&safe_house.program, "2024-04-01", 1),
        );
        safe_stay.assert_status(201);

        // Sealed: every endpoint answers the shelter's callers as if the client did not
        // exist, and the shelter's case manager can neither edit nor enroll them.
        for token in [&case_manager, &viewer, &integration] {
            let shown = shown_to(app, token, &client, &stay);
            assert_eq!(
                shown.iter().map(|(_, shown)| *shown).collect::<Vec<_>>(),
                all(false),
                "{shown:?}"
            );
        }
        assert_not_found(&app.patch(
            &format!("/v1/clients/{client}"),
            Some(&case_manager),
            &json!({"middle_name": "Q"}),
        ));
        assert_not_found(&app.patch(
            &enrollment_path(&client, &id_of(&stay)),
            Some(&case_manager),
            &json!({"length_of_stay": 2}),
        ));
        // The shelter's export leaves the client and their stay out; the provider's own
        // export (for its comparable database) has them.
        let (clients, enrollments) = exported(app, &integration);
        assert!(!clients.contains(&hex(&client)), "{clients:?}");
        assert!(
            !enrollments.contains(&hex(&id_of(&stay))),
            "{enrollments:?}"
        );
        let (clients, enrollments) = exported(app, &safe_integration);
        assert!(clients.contains(&hex(&client)), "{clients:?}");
        assert!(enrollments.contains(&hex(&id_of(&safe_stay.body))));

        // The provider and admins see the client.
        app.get(&format!("/v1/clients/{client}"), Some(&advocate))
            .assert_status(200);
        app.get(&format!("/v1/clients/{client}"), Some(&app.admin_token()))
            .assert_status(200);

        // Once the provider's stay is deleted, the seal is gone.
        app.delete(
            &enrollment_path(&client, &id_of(&safe_stay.body)),
            Some(&advocate),
        )
        .assert_status(204);
        app.get(&format!("/v1/clients/{client}"), Some(&case_manager))
            .assert_status(200);
        assert_not_found(&app.get(&format!("/v1/clients/{client}"), Some(&advocate)));
    }
);
