//! What the modules of the suite share: reference data, clients and enrollments made through
//! the API as an admin, fixtures built of them, dates relative to today, and (in the
//! submodules) checks of answers, readers of lists, races, imports and signed tokens.

#![allow(dead_code)]

mod assertions;
pub mod imports;
pub mod jwt;
mod lists;
pub mod races;
pub mod receiver;
mod records;

pub use assertions::*;
pub use lists::*;
pub use records::*;

use std::ops::Range;

use chrono::{DateTime, Days, NaiveDate, SecondsFormat, Utc};
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

/// A `PATCH` of `body` as `token` with `If-Match: etag`.
pub fn patch_if(app: &TestApp, path: &str, token: &str, etag: &str, body: &Value) -> Response {
    app.request("PATCH", path)
        .token(Some(token))
        .header("If-Match", etag)
        .json(body)
        .send()
}

/// A `DELETE` as `token` with `If-Match: etag`.
pub fn delete_if(app: &TestApp, path: &str, token: &str, etag: &str) -> Response {
    app.request("DELETE", path)
        .token(Some(token))
        .header("If-Match", etag)
        .send()
}

/// An RFC 3339 timestamp of a body, in UTC.
pub fn timestamp(value: &Value) -> DateTime<Utc> {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a timestamp: {value}"));
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|error| panic!("`{text}` is not RFC 3339: {error}"))
        .with_timezone(&Utc)
}

/// A timestamp as the API takes it in a query, to the microsecond, in UTC.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
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

/// An organization with one program of it.
pub struct Shelter {
    pub organization: String,
    pub program: String,
}

/// An organization named `name` with an emergency shelter (see [`create_program`]).
pub fn shelter(app: &TestApp, name: &str) -> Shelter {
    shelter_with(app, name, json!({}))
}

/// Like [`shelter`], with the program's fields in `extra` set over the shelter's.
pub fn shelter_with(app: &TestApp, name: &str, extra: Value) -> Shelter {
    let organization = create_organization(app, name);
    let program = create_program(app, &organization, extra);
    Shelter {
        organization,
        program,
    }
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

/// A client with the given body, created by an admin; answers the stored client. Nobody
/// created it, for client privacy: only admins see it until an organization serves it.
pub fn create_client_with(app: &TestApp, body: Value) -> Value {
    create_client_with_as(app, &app.admin_token(), body)
}

/// A client with the given body, created as `token` (a case manager's organization sees the
/// client it created until someone serves them); answers the stored client.
pub fn create_client_with_as(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post("/v1/clients", Some(token), &body);
    response.assert_status(201);
    response.body
}

/// Like [`create_client`], created as `token`.
pub fn create_client_as(app: &TestApp, token: &str, first_name: &str) -> String {
    id_of(&create_client_with_as(
        app,
        token,
        json!({
            "first_name": first_name,
            "last_name": "Lee",
            "dob": "1980-01-01",
            "dob_data_quality": 1,
        }),
    ))
}

/// Clients made by [`create_client`], one for each of `indexes`, named `prefix` and the
/// index; answers their ids in order.
pub fn create_clients(app: &TestApp, prefix: &str, indexes: Range<usize>) -> Vec<String> {
    indexes
        .map(|index| create_client(app, &format!("{prefix}{index}")))
        .collect()
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

/// The household of an enrollment (a body the API answered).
pub fn household_of(enrollment: &Value) -> &str {
    enrollment["household_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no household_id in {enrollment}"))
}

/// An enrollment body for `program_id` joining `household_id` on `entry_date`.
pub fn member_body(
    program_id: &str,
    household_id: &str,
    entry_date: &str,
    relationship: i32,
) -> Value {
    merged(
        enrollment_body(program_id, entry_date, relationship),
        json!({ "household_id": household_id }),
    )
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
    let body = member_body(program_id, household_id, entry_date, relationship);
    let response = post_enrollment(app, &app.admin_token(), client_id, &body);
    response.assert_status(201);
    response.body
}

/// An organization ("Harbor Light") with an emergency shelter and a client ("Jordan")
/// enrolled in it as the head of a household; the organization's case manager (`casey`) and
/// viewer (`val`), and the case manager (`blair`) of another organization, who must not see
/// any of it.
pub struct EnrolledClient {
    pub organization: String,
    pub program: String,
    pub client: String,
    pub enrollment: String,
    pub case_manager: String,
    pub viewer: String,
    pub stranger: String,
}

impl EnrolledClient {
    /// `/v1/clients/{client}/enrollments/{enrollment}`.
    pub fn base(&self) -> String {
        enrollment_path(&self.client, &self.enrollment)
    }
}

/// An [`EnrolledClient`] whose stay began on `entry`.
pub fn enrolled_client(app: &TestApp, entry: &str) -> EnrolledClient {
    let organization = create_organization(app, "Harbor Light");
    let elsewhere = create_organization(app, "Bayside Outreach");
    let program = create_program(app, &organization, json!({}));
    let client = create_client(app, "Jordan");
    let enrollment = id_of(&enroll_head(app, &client, &program, entry));
    EnrolledClient {
        case_manager: token_for(app, "casey", Role::CaseManager, &organization),
        viewer: token_for(app, "val", Role::Viewer, &organization),
        stranger: token_for(app, "blair", Role::CaseManager, &elsewhere),
        organization,
        program,
        client,
        enrollment,
    }
}

/// One client's enrollment.
#[derive(Debug, Clone)]
pub struct Stay {
    pub client: String,
    pub id: String,
    pub household: String,
}

impl Stay {
    pub fn from_body(body: &Value) -> Stay {
        Stay {
            client: body["client_id"].as_str().expect("a client_id").to_owned(),
            id: id_of(body),
            household: body["household_id"]
                .as_str()
                .expect("a household_id")
                .to_owned(),
        }
    }

    pub fn path(&self) -> String {
        enrollment_path(&self.client, &self.id)
    }

    pub fn exit_path(&self) -> String {
        format!("{}/exit", self.path())
    }
}

/// A new client named `name` enrolled (as admin) as the head of a new household of
/// `program` on `entry`, with the fields of `extra` set over the enrollment's.
pub fn new_head(app: &TestApp, program: &str, name: &str, entry: &str, extra: Value) -> Stay {
    let client = create_client(app, name);
    let body = merged(enrollment_body(program, entry, 1), extra);
    let response = post_enrollment(app, &app.admin_token(), &client, &body);
    response.assert_status(201);
    Stay::from_body(&response.body)
}

/// A new client named `name` enrolled (as admin) into `head`'s household on `entry`.
pub fn new_member(
    app: &TestApp,
    program: &str,
    head: &Stay,
    name: &str,
    entry: &str,
    relationship: i32,
) -> Stay {
    let client = create_client(app, name);
    let body = enroll_member(app, &client, program, &head.household, entry, relationship);
    Stay::from_body(&body)
}

/// The stored enrollment, read as an admin.
pub fn fetch_stay(app: &TestApp, stay: &Stay) -> Response {
    let response = app.get(&stay.path(), Some(&app.admin_token()));
    response.assert_status(200);
    response
}

pub fn household_path(household: &str) -> String {
    format!("/v1/households/{household}")
}

/// The stored household, read as an admin.
pub fn fetch_household(app: &TestApp, household: &str) -> Value {
    let response = app.get(&household_path(household), Some(&app.admin_token()));
    response.assert_status(200);
    response.body
}

/// A household's `members`.
pub fn members_of(household: &Value) -> &Vec<Value> {
    household["members"]
        .as_array()
        .unwrap_or_else(|| panic!("no `members` list in {household}"))
}

/// A Coordinated Entry assessment body: dated `date`, at the Harbor Access Center, with
/// `answers` (a list of `{"question", "answer"}`).
pub fn assessment(date: &str, answers: Value) -> Value {
    json!({
        "assessment_date": date,
        "assessment_location": "Harbor Access Center",
        "assessment_type": 3,
        "assessment_level": 2,
        "prioritization_status": 1,
        "answers": answers,
    })
}

/// An [`assessment`] with two answers, one with a comma in it (for the CSV files).
pub fn assessment_with_answers(date: &str) -> Value {
    let answers = json!([
        {"question": "Nights homeless", "answer": "120"},
        {"question": "Income", "answer": "none, at all"},
    ]);
    assessment(date, answers)
}

/// POSTs `body` to `path` as `token`, which must create a record (201); answers its id.
pub fn create_as(app: &TestApp, token: &str, path: &str, body: &Value) -> String {
    let response = app.post(path, Some(token), body);
    response.assert_status(201);
    id_of(&response.body)
}

/// Links `assessment` to the enrollment at `enrollment` (its path) as `token`, which must
/// work.
pub fn link_assessment(app: &TestApp, token: &str, enrollment: &str, assessment: &str) {
    let path = format!("{enrollment}/assessments/{assessment}");
    app.put(&path, Some(token), &json!({})).assert_status(200);
}

/// Exits the enrollment at `enrollment` (its path) as `token` with `body`, which must work.
pub fn exit_as(app: &TestApp, token: &str, enrollment: &str, body: &Value) {
    let path = format!("{enrollment}/exit");
    app.post(&path, Some(token), body).assert_status(200);
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
