//! The access matrix: every operation of the API (read from the OpenAPI document the code
//! builds, so a new route cannot be left out) called by every kind of caller, each answered
//! with the status the contract's roles section promises. One walk per backend collects every
//! mismatch and fails with the whole list.

mod fixture;
mod table;

use std::collections::BTreeSet;

use threshold_tests::{both_backends, Response, TestApp};

use crate::common::{items, pages};

use self::fixture::{Fixture, Who, EMPTY_ZIP, EVERY_CALLER};
use self::table::{expected_in, Access, Body, Entry, Stage};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every `(METHOD, path template)` of the served OpenAPI document.
fn operations() -> BTreeSet<(String, String)> {
    let spec =
        serde_json::to_value(threshold_api::http::openapi::spec()).expect("the spec serializes");
    let paths = spec["paths"].as_object().expect("the spec has paths");
    let mut found = BTreeSet::new();
    for (path, item) in paths {
        for method in METHODS {
            if item.get(method).is_some() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

/// `template` with every `{name}` replaced by the entry's override or the fixture's record.
fn fill(template: &str, fixture: &Fixture, entry: &Entry) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let end = rest[start..]
            .find('}')
            .map(|end| start + end)
            .ok_or_else(|| format!("unclosed `{{` in {template}"))?;
        let name = &rest[start + 1..end];
        let value = entry
            .overrides
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
            .or_else(|| fixture.params.get(name).map(String::as_str))
            .ok_or_else(|| format!("the fixture has nothing for `{{{name}}}` in {template}"))?;
        out.push_str(&rest[..start]);
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn send(app: &TestApp, fixture: &Fixture, entry: &Entry, who: Who) -> Result<Response, String> {
    let url = format!(
        "{}{}",
        fill(&entry.path, fixture, entry)?,
        fill(entry.query, fixture, entry)?
    );
    let request = app.request(entry.method, &url).token(fixture.token(who));
    Ok(match &entry.body {
        None => request.send(),
        Some(Body::Json(body)) => request.json(body).send(),
        Some(Body::Zip) => request
            .header("Content-Type", "application/zip")
            .body(EMPTY_ZIP.to_vec())
            .send(),
    })
}

fn problem_code(status: u16) -> Option<&'static str> {
    match status {
        401 => Some("auth.unauthenticated"),
        403 => Some("auth.forbidden"),
        404 => Some("not_found"),
        _ => None,
    }
}

fn short(response: &Response) -> String {
    let text: String = response.text.chars().take(240).collect();
    format!("{} {text}", response.status)
}

/// What is wrong with `response` for `who` in `stage`, if anything.
fn judge(
    fixture: &Fixture,
    stage: Stage,
    entry: &Entry,
    who: Who,
    response: &Response,
) -> Option<String> {
    let want = expected_in(stage, entry, who);
    if response.status != want {
        return Some(format!("expected {want}, got {}", short(response)));
    }
    if let Some(code) = problem_code(want) {
        let content_type = response.header("content-type").unwrap_or("");
        if !content_type.starts_with("application/problem+json") || response.body["code"] != code {
            return Some(format!(
                "expected a `{code}` problem, got `{content_type}` {}",
                short(response)
            ));
        }
    }
    let other_organization = matches!(
        who,
        Who::CaseManagerOther | Who::ViewerOther | Who::IntegrationOther
    );
    if entry.access == Access::Filtered && other_organization {
        if let Some(id) = fixture
            .hidden_ids
            .iter()
            .find(|id| response.text.contains(id.as_str()))
        {
            return Some(format!("shows organization A's record {id}"));
        }
    }
    None
}

/// The audit events an admin sees that every write leaves: dry runs must leave none. The
/// `viewed` events the walk's reads leave (written a moment after them) are not counted.
fn audit_count(app: &TestApp) -> usize {
    pages(app, &app.admin_token(), "/v1/audit-events?limit=200")
        .iter()
        .flat_map(items)
        .filter(|event| event["action"] != "viewed")
        .count()
}

fn walk(app: &TestApp) {
    let fixture = fixture::build(app);
    let entries = table::table(&fixture);
    let listed: BTreeSet<(String, String)> = entries
        .iter()
        .map(|entry| (entry.method.to_owned(), entry.path.clone()))
        .collect();
    let mut mismatches = Vec::new();
    let operations = operations();
    for (method, path) in operations.difference(&listed) {
        mismatches.push(format!("{method} {path}: no entry in the access matrix"));
    }
    for (method, path) in listed.difference(&operations) {
        mismatches.push(format!("{method} {path}: in the matrix, not in the API"));
    }
    assert_eq!(listed.len(), entries.len(), "an operation is listed twice");

    let mut consent: Option<String> = None;
    // Client privacy: the same walk before organization B has a consent for the fixture's
    // client, with one, after it is revoked, and once a victim service provider serves the
    // client too.
    let client = fixture.param("client_id").to_owned();
    for stage in [
        Stage::Before,
        Stage::Consented,
        Stage::Revoked,
        Stage::Sealed,
    ] {
        match stage {
            Stage::Before => {}
            Stage::Consented => consent = Some(consent_for_b(app, &client, &fixture)),
            Stage::Revoked => revoke(app, &client, consent.as_deref().expect("a consent")),
            Stage::Sealed => seal(app, &client),
        }
        check(app, &fixture, &entries, stage, &mut mismatches);
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches in the access matrix on {:?} (organization B is {}):\n{}",
        mismatches.len(),
        app.backend(),
        fixture.organization_b,
        mismatches.join("\n")
    );
}

/// Calls every entry as every caller in `stage`, noting each mismatch.
fn check(
    app: &TestApp,
    fixture: &Fixture,
    entries: &[Entry],
    stage: Stage,
    mismatches: &mut Vec<String>,
) {
    let events = audit_count(app);
    for entry in entries {
        // The admin's answer proves the filtered lists hold something to hide.
        if entry.access == Access::Filtered {
            let shown = send(app, fixture, entry, Who::Admin).map(|response| response.text);
            if !shown.is_ok_and(|text| fixture.hidden_ids.iter().any(|id| text.contains(id))) {
                mismatches.push(format!(
                    "{} {}: the admin sees none of organization A's records, so the filter \
                     is not tested",
                    entry.method, entry.path
                ));
            }
        }
        for who in EVERY_CALLER {
            let problem = match send(app, fixture, entry, who) {
                Ok(response) => judge(fixture, stage, entry, who, &response),
                Err(error) => Some(error),
            };
            if let Some(problem) = problem {
                mismatches.push(format!(
                    "{stage:?}: {} {} as {who:?}: {problem}",
                    entry.method, entry.path
                ));
            }
        }
    }
    let after = audit_count(app);
    if after != events {
        mismatches.push(format!(
            "{stage:?}: the walk wrote: {events} audit events before, {after} after"
        ));
    }
}

/// A consent naming organization B, recorded by an admin; answers its ID.
fn consent_for_b(app: &TestApp, client: &str, fixture: &Fixture) -> String {
    let response = app.post(
        &format!("/v1/clients/{client}/consents"),
        Some(&app.admin_token()),
        &serde_json::json!({"scope": "organizations", "organization_ids": [fixture.organization_b]}),
    );
    response.assert_status(201);
    response.body["id"].as_str().expect("an id").to_owned()
}

fn revoke(app: &TestApp, client: &str, consent: &str) {
    let path = format!("/v1/clients/{client}/consents/{consent}");
    let etag = app.get(&path, Some(&app.admin_token())).etag().to_owned();
    let response = app
        .request("PATCH", &path)
        .token(Some(&app.admin_token()))
        .header("If-Match", &etag)
        .json(&serde_json::json!({"status": "revoked"}))
        .send();
    response.assert_status(200);
}

/// A victim service provider serves the client too (an admin enrolls them).
fn seal(app: &TestApp, client: &str) {
    let token = app.admin_token();
    let response = app.post(
        "/v1/organizations",
        Some(&token),
        &serde_json::json!({"name": "Safe Harbor DV", "victim_service_provider": true}),
    );
    response.assert_status(201);
    let organization = response.body["id"].as_str().expect("an id").to_owned();
    let response = app.post(
        "/v1/programs",
        Some(&token),
        &serde_json::json!({"organization_id": organization, "name": "Safe House",
                            "project_type": 0, "operating_start_date": "2020-01-01"}),
    );
    response.assert_status(201);
    let program = response.body["id"].as_str().expect("an id").to_owned();
    let response = app.post(
        &format!("/v1/clients/{client}/enrollments"),
        Some(&token),
        &serde_json::json!({"program_id": program, "entry_date": fixture::ENTRY,
                            "relationship_to_hoh": 1}),
    );
    response.assert_status(201);
}

both_backends!(
    fn every_operation_answers_every_caller_as_the_contract_says(app: &TestApp) {
        walk(app);
    }
);
