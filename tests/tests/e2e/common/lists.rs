//! Reading lists: the ids of one page, and every page by `next_cursor` or by the `Link`
//! header, checking on the way that the two agree.

use serde_json::Value;
use threshold_tests::{Response, TestApp};

use super::{enrollments_path, id_of};

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

/// `path` with `query` added to its query string (`?` or `&`, as it needs; nothing when
/// `query` is empty).
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}{query}")
}

/// A list response's `data`.
pub fn items(response: &Response) -> Vec<Value> {
    response.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no `data` list in {}", response.describe()))
        .clone()
}

/// Every page of the list at `first` as `token` reads it, following `next_cursor` to the
/// end. Each page must be a 200 whose `Link` names the next page (the same path, with the
/// same cursor) exactly when it has a `next_cursor`.
pub fn pages(app: &TestApp, token: &str, first: &str) -> Vec<Response> {
    let list = first.split('?').next().unwrap_or(first);
    let mut pages = Vec::new();
    let mut path = first.to_owned();
    for _ in 0..10_000 {
        let page = app.get(&path, Some(token));
        page.assert_status(200);
        let next = page.body["next_cursor"].as_str().map(str::to_owned);
        match &next {
            Some(cursor) => {
                let link = page
                    .next_link()
                    .unwrap_or_else(|| panic!("a next_cursor but no Link: {}", page.describe()));
                assert!(
                    link.starts_with(&format!("{list}?"))
                        && link.contains(&format!("cursor={cursor}")),
                    "the Link `{link}` does not carry the next_cursor `{cursor}`"
                );
                path = with_query(first, &format!("cursor={cursor}"));
            }
            None => assert_eq!(
                page.next_link(),
                None,
                "a Link on the last page: {}",
                page.describe()
            ),
        }
        pages.push(page);
        if next.is_none() {
            return pages;
        }
    }
    panic!("{first} did not end after 10000 pages");
}

/// Every page of the list at `first` as `token` reads it, following the `Link` header's
/// `rel="next"` alone to the end. Each page must be a 200 whose `Link` carries its
/// `next_cursor`, and the last one has neither.
pub fn pages_by_link(app: &TestApp, token: &str, first: &str) -> Vec<Response> {
    let mut pages = Vec::new();
    let mut next = Some(first.to_owned());
    while let Some(path) = next {
        assert!(pages.len() < 100, "the Link header of {first} never ends");
        let page = app.get(&path, Some(token));
        page.assert_status(200);
        next = page.next_link();
        match page.body["next_cursor"].as_str() {
            Some(cursor) => {
                let link = next
                    .as_deref()
                    .unwrap_or_else(|| panic!("a next_cursor but no Link: {}", page.describe()));
                assert!(
                    link.contains(&format!("cursor={cursor}")),
                    "the Link `{link}` does not carry the next_cursor `{cursor}`"
                );
            }
            None => assert_eq!(next, None, "a Link on the last page: {}", page.describe()),
        }
        pages.push(page);
    }
    pages
}

/// The ids of every page's `data`, in order.
pub fn ids_of_pages(pages: &[Response]) -> Vec<String> {
    pages.iter().flat_map(ids_in).collect()
}

/// The ids of the list at `path` read one to a page (`limit=1`) to the end, by [`pages`];
/// each page must hold exactly one.
pub fn ids_one_per_page(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for page in pages(app, token, &with_query(path, "limit=1")) {
        let on_page = ids_in(&page);
        assert_eq!(on_page.len(), 1, "limit=1 gave {}", page.describe());
        ids.extend(on_page);
    }
    ids
}

/// The ids `path` lists as an admin (one page of up to 200); `path` may carry a query.
pub fn listed_as_admin(app: &TestApp, path: &str) -> Vec<String> {
    listed(app, &app.admin_token(), path)
}

/// The ids `path` lists as `token` (one page of up to 200); `path` may carry a query.
pub fn listed(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    ids_in(&app.get(&with_query(path, "limit=200"), Some(token)))
}

/// The client's enrollment ids as an admin lists them (one page of up to 200).
pub fn enrollment_ids(app: &TestApp, client_id: &str) -> Vec<String> {
    listed(app, &app.admin_token(), &enrollments_path(client_id))
}
