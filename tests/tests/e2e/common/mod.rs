//! Setup shared by the client and enrollment tests: reference data and clients made through
//! the API as an admin, dates relative to today, and small readers of responses.

#![allow(dead_code)]

pub mod imports;

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, Utc};
use diesel::connection::SimpleConnection;
use serde_json::{json, Value};
use threshold_tests::{Response, Role, TestApp};
use uuid::Uuid;

/// The string `id` of a created record.
pub fn id_of(body: &Value) -> String {
    body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no string `id` in {body}"))
        .to_owned()
}

/// `base` with every key of `extra` set over it (both JSON objects).
pub fn merged(base: Value, extra: Value) -> Value {
    let mut base = base;
    let object = base.as_object_mut().expect("the base is an object");
    for (key, value) in extra.as_object().expect("the extra is an object") {
        object.insert(key.clone(), value.clone());
    }
    base
}

/// Today in UTC, as the API's "not in the future" rule sees it.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A date `days` after today, as `YYYY-MM-DD`. Two or more days ahead stays in the future
/// even when the test runs across midnight.
pub fn days_ahead(days: u64) -> String {
    today()
        .checked_add_days(Days::new(days))
        .expect("a representable date")
        .format("%Y-%m-%d")
        .to_string()
}

/// The codes of a problem's `errors` items, in the order given.
pub fn error_codes(response: &Response) -> Vec<String> {
    response.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no `errors` list in {}", response.describe()))
        .iter()
        .map(|item| item["code"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The `(field, code)` pairs of a problem's `errors` items, as a set.
pub fn error_fields(response: &Response) -> BTreeSet<(String, String)> {
    response.body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no `errors` list in {}", response.describe()))
        .iter()
        .map(|item| {
            (
                item["field"].as_str().unwrap_or("").to_owned(),
                item["code"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// `(field, code)` pairs, for comparing with [`error_fields`].
pub fn pairs(items: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    items
        .iter()
        .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
        .collect()
}

/// The `id`s of a list response's `data`, in order.
pub fn ids_in(response: &Response) -> Vec<String> {
    response.assert_status(200);
    response.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no `data` list in {}", response.describe()))
        .iter()
        .map(id_of)
        .collect()
}

pub fn create_organization(app: &TestApp, name: &str) -> String {
    let response = app.post(
        "/v1/organizations",
        Some(&app.admin_token()),
        &json!({ "name": name }),
    );
    response.assert_status(201);
    id_of(&response.body)
}

/// A program of `organization_id`: an emergency shelter (project type 0) operating since
/// 2020-01-01 with no end and no capacity, unless `extra` says otherwise.
pub fn create_program(app: &TestApp, organization_id: &str, extra: Value) -> String {
    let body = merged(
        json!({
            "organization_id": organization_id,
            "name": "Harbor Shelter",
            "project_type": 0,
            "operating_start_date": "2020-01-01",
        }),
        extra,
    );
    let response = app.post("/v1/programs", Some(&app.admin_token()), &body);
    response.assert_status(201);
    id_of(&response.body)
}

pub fn create_grant(app: &TestApp, program_id: &str, start: &str, end: Option<&str>) -> String {
    let response = app.post(
        &format!("/v1/programs/{program_id}/grants"),
        Some(&app.admin_token()),
        &json!({
            "funder": 2,
            "grant_identifier": "CA0001L9T001",
            "start_date": start,
            "end_date": end,
        }),
    );
    response.assert_status(201);
    id_of(&response.body)
}

pub fn create_user(app: &TestApp, organization_id: &str) -> String {
    let response = app.post(
        "/v1/users",
        Some(&app.admin_token()),
        &json!({
            "organization_id": organization_id,
            "first_name": "Dana",
            "last_name": "Reyes",
            "email": format!("dana.{}@example.org", Uuid::now_v7().simple()),
        }),
    );
    response.assert_status(201);
    id_of(&response.body)
}

/// A client with the given body, created by an admin; answers the stored client.
pub fn create_client_with(app: &TestApp, body: Value) -> Value {
    let response = app.post("/v1/clients", Some(&app.admin_token()), &body);
    response.assert_status(201);
    response.body
}

/// A client born on 1980-01-01, named `first_name` Lee.
pub fn create_client(app: &TestApp, first_name: &str) -> String {
    id_of(&create_client_with(
        app,
        json!({
            "first_name": first_name,
            "last_name": "Lee",
            "dob": "1980-01-01",
            "dob_data_quality": 1,
        }),
    ))
}

pub fn enrollments_path(client_id: &str) -> String {
    format!("/v1/clients/{client_id}/enrollments")
}

pub fn enrollment_path(client_id: &str, enrollment_id: &str) -> String {
    format!("/v1/clients/{client_id}/enrollments/{enrollment_id}")
}

/// POSTs an enrollment as `token`; the response is the test's to check.
pub fn post_enrollment(app: &TestApp, token: &str, client_id: &str, body: &Value) -> Response {
    app.post(&enrollments_path(client_id), Some(token), body)
}

/// An enrollment body for `program_id` entering on `entry_date`.
pub fn enrollment_body(program_id: &str, entry_date: &str, relationship: i32) -> Value {
    json!({
        "program_id": program_id,
        "entry_date": entry_date,
        "relationship_to_hoh": relationship,
    })
}

/// Enrolls a client (as admin) as the head of a new household; answers the enrollment.
pub fn enroll_head(app: &TestApp, client_id: &str, program_id: &str, entry_date: &str) -> Value {
    let response = post_enrollment(
        app,
        &app.admin_token(),
        client_id,
        &enrollment_body(program_id, entry_date, 1),
    );
    response.assert_status(201);
    response.body
}

/// Enrolls a client (as admin) into an existing household; answers the enrollment.
pub fn enroll_member(
    app: &TestApp,
    client_id: &str,
    program_id: &str,
    household_id: &str,
    entry_date: &str,
    relationship: i32,
) -> Value {
    let body = merged(
        enrollment_body(program_id, entry_date, relationship),
        json!({ "household_id": household_id }),
    );
    let response = post_enrollment(app, &app.admin_token(), client_id, &body);
    response.assert_status(201);
    response.body
}

/// Exits an enrollment by writing the exit straight into the database (the API has no
/// exit endpoint yet): only for setting up periods that end.
pub fn exit_in_database(app: &TestApp, enrollment_id: &str, exit_date: &str) {
    NaiveDate::parse_from_str(exit_date, "%Y-%m-%d").expect("an exit date YYYY-MM-DD");
    let enrollment_id = Uuid::parse_str(enrollment_id).expect("an enrollment id");
    let mut connection = app.state().db.get().expect("a database connection");
    connection
        .batch_execute(&format!(
            "UPDATE enrollments SET exit_date = '{exit_date}', destination = 30 \
             WHERE id = '{enrollment_id}'"
        ))
        .expect("the exit is written");
}

/// An organization-scoped token.
pub fn token_for(app: &TestApp, sub: &str, role: Role, organization_id: &str) -> String {
    let organization = Uuid::parse_str(organization_id).expect("an organization id");
    app.token(sub, &[role], Some(organization))
}

/// Like `both_backends!` for one test that is known to fail: both halves carry
/// `#[ignore = reason]` (an attribute on the module `both_backends!` generates would not
/// reach the tests).
#[allow(unused_macros)]
macro_rules! ignored_on_both_backends {
    ($reason:literal, fn $name:ident($app:ident: &TestApp) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn run($app: &threshold_tests::TestApp) $body

            #[test]
            #[ignore = $reason]
            fn sqlite() {
                run(&threshold_tests::TestApp::spawn(threshold_tests::Backend::Sqlite));
            }

            #[test]
            #[ignore = $reason]
            fn postgres() {
                run(&threshold_tests::TestApp::spawn(threshold_tests::Backend::Postgres));
            }
        }
    };
}
