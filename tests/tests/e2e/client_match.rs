//! `POST /v1/clients/match`: the duplicate check at intake shows the clients the caller may
//! see that match, with their scores, and of the others says only that one matches.

use crate::common::*;
use serde_json::{json, Value};
use threshold_tests::{assert_problem, both_backends, Response, Role, TestApp};

const MATCH: &str = "/v1/clients/match";

/// Jordan Lee as intake hears of them.
fn jordan() -> Value {
    json!({
        "first_name": "Jordan",
        "last_name": "Lee",
        "dob": "1990-04-12",
        "ssn": "123456780",
    })
}

/// An organization, its program and a case manager's token.
struct Agency {
    shelter: Shelter,
    case_manager: String,
}

fn agency(app: &TestApp, name: &str, victim_service_provider: bool) -> Agency {
    let response = app.post(
        "/v1/organizations",
        Some(&app.admin_token()),
        &json!({"name": name, "victim_service_provider": victim_service_provider}),
    );
    response.assert_status(201);
    let organization = id_of(&response.body);
    let program = create_program(app, &organization, json!({}));
    let case_manager = token_for(app, &format!("cm-{name}"), Role::CaseManager, &organization);
    Agency {
        shelter: Shelter {
            organization,
            program,
        },
        case_manager,
    }
}

/// Jordan Lee (full SSN and birth date), created and enrolled by `agency`'s case manager.
fn jordan_served_by(app: &TestApp, agency: &Agency) -> String {
    let response = app.post(
        "/v1/clients",
        Some(&agency.case_manager),
        &merged(
            jordan(),
            json!({"name_data_quality": 1, "ssn_data_quality": 1, "dob_data_quality": 1}),
        ),
    );
    let client = assert_created(&response, "/v1/clients");
    let enrolled = post_enrollment(
        app,
        &agency.case_manager,
        &client,
        &enrollment_body(&agency.shelter.program, "2026-01-05", 1),
    );
    enrolled.assert_status(201);
    client
}

fn check(app: &TestApp, token: &str, body: &Value) -> Response {
    let response = app.post(MATCH, Some(token), body);
    response.assert_status(200);
    response
}

fn matched_ids(response: &Response) -> Vec<String> {
    response.body["matches"]
        .as_array()
        .unwrap_or_else(|| panic!("no `matches` in {}", response.describe()))
        .iter()
        .map(|item| item["client_id"].as_str().unwrap().to_owned())
        .collect()
}

/// Nothing of the hidden client: the whole body is `{"matches": [], "needs_consent": true}`.
fn assert_only_needs_consent(response: &Response, client: &str) {
    assert_eq!(
        response.body,
        json!({"matches": [], "needs_consent": true}),
        "{}",
        response.describe()
    );
    for secret in [client, "Jordan", "Lee", "6780", "1990-04-12"] {
        assert!(
            !response.text.contains(secret),
            "`{secret}` leaked: {}",
            response.describe()
        );
    }
}

both_backends!(
    fn the_serving_organization_sees_the_match_another_only_that_one_exists(app: &TestApp) {
        let shelter = agency(app, "Harbor", false);
        let other = agency(app, "Bayside", false);
        let client = jordan_served_by(app, &shelter);

        let own = check(app, &shelter.case_manager, &jordan());
        assert_eq!(
            own.body,
            json!({
                "matches": [{
                    "client_id": client,
                    "score": 1.0,
                    "first_name": "Jordan",
                    "last_name": "Lee",
                    "dob": "1990-04-12",
                    "ssn_last4": "6780",
                }],
                "needs_consent": false,
            })
        );
        assert!(!own.text.contains("123456780"), "the full SSN came back");

        let elsewhere = check(app, &other.case_manager, &jordan());
        assert_only_needs_consent(&elsewhere, &client);
        // The SSN alone, or the birth date with the names, is enough to know.
        let by_ssn = check(app, &other.case_manager, &json!({"ssn": "123456780"}));
        assert_only_needs_consent(&by_ssn, &client);
        let by_dob = check(
            app,
            &other.case_manager,
            &json!({"first_name": "JORDAN", "last_name": "lée", "dob": "1990-04-12"}),
        );
        assert_only_needs_consent(&by_dob, &client);

        // Admins see every client.
        let admin = check(app, &app.admin_token(), &jordan());
        assert_eq!(matched_ids(&admin), [client.as_str()]);
        assert_eq!(admin.body["matches"][0]["score"], 1.0);
        assert_eq!(admin.body["needs_consent"], false);
    }

    fn a_possible_match_is_shown_to_those_who_see_it_and_told_nobody_else(app: &TestApp) {
        let shelter = agency(app, "Harbor", false);
        let other = agency(app, "Bayside", false);
        let client = jordan_served_by(app, &shelter);
        // The birth date and the last name: 0.40 + 0.25.
        let probe = json!({"last_name": "Lee", "dob": "1990-04-12"});
        let own = check(app, &shelter.case_manager, &probe);
        assert_eq!(matched_ids(&own), [client.as_str()]);
        assert_eq!(own.body["matches"][0]["score"], 0.65);
        let elsewhere = check(app, &other.case_manager, &probe);
        assert_eq!(
            elsewhere.body,
            json!({"matches": [], "needs_consent": false}),
            "a hidden possible match is not disclosed"
        );
        // One typo in the first name: 0.80, a match.
        let typo = check(
            app,
            &other.case_manager,
            &json!({"first_name": "Jordn", "last_name": "Lee", "dob": "1990-04-12"}),
        );
        assert_only_needs_consent(&typo, &client);
    }

    fn a_probe_matching_nobody_needs_no_consent(app: &TestApp) {
        let shelter = agency(app, "Harbor", false);
        let other = agency(app, "Bayside", false);
        jordan_served_by(app, &shelter);
        for probe in [
            json!({"first_name": "Sam", "last_name": "Park", "dob": "2001-02-03"}),
            json!({"ssn": "223456781"}),
            // The same birth date, another person.
            json!({"first_name": "Ari", "last_name": "Stone", "dob": "1990-04-12"}),
            // Another SSN ending in the same four digits, another person.
            json!({"first_name": "Ari", "last_name": "Stone", "ssn": "223456780"}),
        ] {
            for token in [&shelter.case_manager, &other.case_manager] {
                let response = check(app, token, &probe);
                assert_eq!(
                    response.body,
                    json!({"matches": [], "needs_consent": false}),
                    "{probe}"
                );
            }
        }
    }

    fn placeholder_ssns_match_nobody(app: &TestApp) {
        let token = app.admin_token();
        let created = app.post(
            "/v1/clients",
            Some(&token),
            &json!({"first_name": "Pat", "last_name": "Doe", "ssn": "999999999"}),
        );
        created.assert_status(201);
        let response = app.post(MATCH, Some(&token), &json!({"ssn": "999999999"}));
        assert_invalid(&response, "ssn", "unusable");
        // Beside a birth date the placeholder is ignored: no match on it.
        let response = check(
            app,
            &token,
            &json!({"ssn": "999999999", "dob": "1970-01-01"}),
        );
        assert_eq!(
            response.body,
            json!({"matches": [], "needs_consent": false})
        );
    }

    fn a_victim_service_providers_client_is_not_said_to_exist(app: &TestApp) {
        let provider = agency(app, "Safe Harbor", true);
        let shelter = agency(app, "Bayside", false);
        let client = jordan_served_by(app, &provider);
        let own = check(app, &provider.case_manager, &jordan());
        assert_eq!(matched_ids(&own), [client.as_str()]);
        // Sealed (VAWA): no consent could show the client, and even "a match exists" would
        // disclose them; another victim service provider is told nothing either.
        let elsewhere = check(app, &shelter.case_manager, &jordan());
        assert_eq!(
            elsewhere.body,
            json!({"matches": [], "needs_consent": false})
        );
        let other_provider = agency(app, "Second Haven", true);
        let elsewhere = check(app, &other_provider.case_manager, &jordan());
        assert_eq!(
            elsewhere.body,
            json!({"matches": [], "needs_consent": false})
        );
        let admin = check(app, &app.admin_token(), &jordan());
        assert_eq!(matched_ids(&admin), [client.as_str()]);
    }

    fn deleted_clients_match_nobody(app: &TestApp) {
        let token = app.admin_token();
        let client = id_of(&create_client_with(app, jordan()));
        let fetched = app.get(&format!("/v1/clients/{client}"), Some(&token));
        let etag = fetched.etag().to_owned();
        delete_if(app, &format!("/v1/clients/{client}"), &token, &etag).assert_status(204);
        let response = check(app, &token, &jordan());
        assert_eq!(
            response.body,
            json!({"matches": [], "needs_consent": false})
        );
    }

    fn at_most_ten_best_first(app: &TestApp) {
        let token = app.admin_token();
        let exact = id_of(&create_client_with(app, jordan()));
        for index in 0..11 {
            create_client_with(
                app,
                json!({"first_name": format!("Other{index}"), "last_name": "Lee", "dob": "1990-04-12"}),
            );
        }
        let response = check(
            app,
            &token,
            &json!({"first_name": "Jordan", "last_name": "Lee", "dob": "1990-04-12"}),
        );
        let ids = matched_ids(&response);
        assert_eq!(ids.len(), 10, "{}", response.describe());
        assert_eq!(ids[0], exact);
        assert_eq!(response.body["matches"][0]["score"], 0.85);
        for item in &response.body["matches"].as_array().unwrap()[1..] {
            assert_eq!(item["score"], 0.65);
        }
    }

    fn bad_bodies_name_the_field(app: &TestApp) {
        let token = app.admin_token();
        let post = |body: Value| app.post(MATCH, Some(&token), &body);
        let names_only = post(json!({"first_name": "Jordan", "last_name": "Lee"}));
        assert_problem(&names_only, 422, "validation.failed");
        assert_eq!(
            error_fields(&names_only),
            pairs(&[("dob", "required"), ("ssn", "required")])
        );
        let empty = post(json!({}));
        assert_eq!(
            error_fields(&empty),
            pairs(&[("dob", "required"), ("ssn", "required")])
        );
        let malformed_ssn = post(json!({"ssn": "123-45-6789"}));
        assert_problem(&malformed_ssn, 422, "validation.failed");
        let fields: Vec<String> = error_fields(&malformed_ssn)
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(fields, ["ssn"], "{}", malformed_ssn.describe());
        assert_invalid(
            &post(json!({"dob": days_ahead(3)})),
            "dob",
            "date.in_future",
        );
        assert!(error_fields(&post(json!({"dob": "1990-02-30"})))
            .iter()
            .any(|(field, _)| field == "dob"));
        assert_invalid(
            &post(json!({"dob": "1990-04-12", "nickname": "JJ"})),
            "nickname",
            "unknown_field",
        );
        assert!(
            error_fields(&post(json!({"dob": "1990-04-12", "last_name": "  "})))
                .iter()
                .any(|(field, _)| field == "last_name")
        );
        let not_json = app
            .request("POST", MATCH)
            .token(Some(&token))
            .header("Content-Type", "application/json")
            .body("{not json")
            .send();
        assert_problem(&not_json, 400, "request.malformed");
    }

    fn intake_roles_only(app: &TestApp) {
        let shelter = agency(app, "Harbor", false);
        let organization = &shelter.shelter.organization;
        assert_unauthenticated(&app.post(MATCH, None, &jordan()));
        for role in [Role::Viewer, Role::Integration] {
            let token = token_for(app, "someone", role, organization);
            assert_forbidden(&app.post(MATCH, Some(&token), &jordan()));
        }
        check(app, &shelter.case_manager, &jordan());
        // `match` is not taken for a client's ID by the routes of one client.
        let get = app.get(MATCH, Some(&app.admin_token()));
        assert_problem(&get, 405, "request.method_not_allowed");
    }
);
