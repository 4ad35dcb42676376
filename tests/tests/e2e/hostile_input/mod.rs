//! Hostile input: bodies at and over the size limit, JSON nested or repeated past reason,
//! NUL characters and bytes that are not UTF-8, IDs of absurd length, text shaped like SQL,
//! dates and numbers out of every range, content types and query strings that are not what
//! the API reads, and archives built to hurt the import. Each is a 4xx problem (never a 5xx),
//! and the server keeps answering afterwards.

mod bodies;
mod imports;
mod values;

use serde_json::Value;
use threshold_tests::{Response, TestApp};

/// Fails unless `response` is a `status` problem with `code`, then checks that the server
/// still answers its readiness check and a normal read.
pub fn assert_refused(app: &TestApp, response: &Response, status: u16, code: &str, what: &str) {
    assert_eq!(
        response.status,
        status,
        "{what}: expected {status} `{code}`, got {}",
        short(response)
    );
    let content_type = response.header("content-type").unwrap_or("");
    assert!(
        content_type.starts_with("application/problem+json"),
        "{what}: Content-Type `{content_type}`"
    );
    assert_eq!(response.body["code"], code, "{what}: {}", short(response));
    assert_eq!(response.body["status"], status, "{what}");
    assert_still_serving(app, what);
}

pub fn assert_still_serving(app: &TestApp, after: &str) {
    let ready = app.get("/readyz", None);
    assert_eq!(
        ready.status,
        200,
        "/readyz after {after}: {}",
        short(&ready)
    );
    let read = app.get("/v1/organizations", Some(&app.admin_token()));
    assert_eq!(read.status, 200, "a read after {after}: {}", short(&read));
}

/// A 422 `validation.failed` (as [`assert_refused`] checks it) whose `errors` are exactly
/// `expected` `(field, code)` pairs, in any order.
pub fn assert_invalid_exactly(
    app: &TestApp,
    response: &Response,
    what: &str,
    expected: &[(&str, &str)],
) {
    assert_refused(app, response, 422, "validation.failed", what);
    let mut fields = fields_of(response);
    fields.sort();
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(field, code)| ((*field).to_owned(), (*code).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(fields, expected, "{what}: {}", short(response));
}

/// The fields named in a problem's `errors`, with their codes.
pub fn fields_of(response: &Response) -> Vec<(String, String)> {
    response.body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    let text = |key: &str| error[key].as_str().unwrap_or("").to_owned();
                    (text("field"), text("code"))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The response, shortened for assertion messages (some bodies here are large).
pub fn short(response: &Response) -> String {
    let text: String = response.text.chars().take(300).collect();
    format!("{} {text}", response.status)
}

/// Sends `body` as it is, as JSON, with an admin token.
pub fn send_json(app: &TestApp, method: &str, path: &str, body: impl Into<Vec<u8>>) -> Response {
    app.request(method, path)
        .token(Some(&app.admin_token()))
        .header("Content-Type", "application/json")
        .body(body)
        .send()
}

pub fn admin_post(app: &TestApp, path: &str, body: &Value) -> Response {
    app.post(path, Some(&app.admin_token()), body)
}
