//! Checks of what the API answered: problems (their status, code and `errors`), records
//! created and read back, lists holding one record, and writes with a stale `If-Match`.

use std::collections::BTreeSet;

use serde_json::{json, Value};
use threshold_tests::{assert_problem, Response, TestApp};

use super::{delete_if, id_of, patch_if};

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

/// A 422 whose `errors` hold `(field, code)`, among others.
pub fn assert_invalid(response: &Response, field: &str, code: &str) {
    assert_problem(response, 422, "validation.failed");
    assert!(
        error_fields(response).contains(&(field.to_owned(), code.to_owned())),
        "expected ({field}, {code}) in {}",
        response.describe()
    );
}

/// A 404 `not_found` problem.
pub fn assert_not_found(response: &Response) {
    assert_problem(response, 404, "not_found");
}

/// A 401 `auth.unauthenticated` problem.
pub fn assert_unauthenticated(response: &Response) {
    assert_problem(response, 401, "auth.unauthenticated");
}

/// A 403 `auth.forbidden` problem.
pub fn assert_forbidden(response: &Response) {
    assert_problem(response, 403, "auth.forbidden");
}

/// `path` with each of `queries` is refused as `token`: a 400 `request.malformed` problem.
pub fn assert_malformed_queries(app: &TestApp, token: &str, path: &str, queries: &[&str]) {
    for query in queries {
        let path = format!("{path}?{query}");
        let response = app.get(&path, Some(token));
        assert_eq!(response.status, 400, "{path}: {}", response.describe());
        assert_problem(&response, 400, "request.malformed");
    }
}

/// A 409 led by `code` whose `errors` list exactly `code`.
pub fn assert_rule(response: &Response, code: &str) {
    assert_rules(response, code, &[code]);
}

/// A 409 led by `lead` whose `errors` list exactly `codes`, in any order.
pub fn assert_rules(response: &Response, lead: &str, codes: &[&str]) {
    assert_problem(response, 409, lead);
    let mut listed = error_codes(response);
    listed.sort();
    let mut expected: Vec<&str> = codes.to_vec();
    expected.sort_unstable();
    assert_eq!(
        listed,
        expected,
        "expected exactly the codes {codes:?} in {}",
        response.describe()
    );
}

/// The version an `ETag` names: `"3"`, or `"3-complete"` (an enrollment's tag also says
/// whether its household is complete).
pub fn tag_version(etag: &str) -> Option<i64> {
    let inner = etag.strip_prefix('"')?.strip_suffix('"')?;
    inner.split('-').next()?.parse().ok()
}

/// A 201 for a new record at version 1 whose `Location` is `{collection}/{id}`; answers
/// the id.
pub fn assert_created(response: &Response, collection: &str) -> String {
    response.assert_status(201);
    assert_eq!(
        tag_version(response.etag()),
        Some(1),
        "a new record's ETag: {}",
        response.etag()
    );
    let id = id_of(&response.body);
    let location = format!("{collection}/{id}");
    assert_eq!(
        response.header("location"),
        Some(location.as_str()),
        "{}",
        response.describe()
    );
    id
}

/// The answer holds every field of `sent` as it was sent.
pub fn assert_echoes(response: &Response, sent: &Value) {
    for (key, value) in sent.as_object().expect("an object body") {
        assert_eq!(
            &response.body[key],
            value,
            "{key} in {}",
            response.describe()
        );
    }
}

/// `collection` lists, as `token`, exactly `record`, on one page with no next one.
pub fn assert_lists_only(app: &TestApp, token: &str, collection: &str, record: &Value) {
    let list = app.get(collection, Some(token));
    list.assert_status(200);
    assert_eq!(list.body["data"], json!([record]), "{}", list.describe());
    assert_eq!(list.body["next_cursor"], Value::Null, "{}", list.describe());
}

/// `path` reads, as `token`, as a 200 at the tag `etag` with exactly `body`.
pub fn assert_stored(app: &TestApp, token: &str, path: &str, etag: &str, body: &Value) {
    let fetched = app.get(path, Some(token));
    fetched.assert_status(200);
    assert_eq!(fetched.etag(), etag, "the ETag of {path}");
    assert_eq!(&fetched.body, body, "what {path} reads");
}

/// A write with a stale `If-Match` is refused: 412 `precondition.failed`.
pub fn assert_stale(response: &Response) {
    assert_problem(response, 412, "precondition.failed");
}

/// A `PATCH` of `body` as `token` with the stale tag `etag` is refused (412).
pub fn assert_stale_patch(app: &TestApp, path: &str, token: &str, etag: &str, body: &Value) {
    assert_stale(&patch_if(app, path, token, etag, body));
}

/// A `DELETE` as `token` with the stale tag `etag` is refused (412).
pub fn assert_stale_delete(app: &TestApp, path: &str, token: &str, etag: &str) {
    assert_stale(&delete_if(app, path, token, etag));
}
