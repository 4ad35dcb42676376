//! Cursor pagination: `limit`, an opaque `cursor`, `next_cursor` and a `Link` header.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use threshold_persistence::ids::Id;
use threshold_persistence::page::Page;
use threshold_persistence::DbConnection;

use crate::error::ApiError;
use crate::http::state::AppState;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// A page request, checked: `limit` within 1..=200, the cursor decoded.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub limit: i64,
    pub after: Option<String>,
}

fn not_our_cursor() -> ApiError {
    ApiError::malformed_field("cursor", "the cursor is not one this API gave")
}

impl PageRequest {
    pub fn new(limit: Option<u32>, cursor: Option<&str>) -> Result<PageRequest, ApiError> {
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::malformed_field(
                "limit",
                format!("limit must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = cursor.map(decode_cursor).transpose()?;
        Ok(PageRequest {
            limit: i64::from(limit),
            after,
        })
    }

    /// The ID the previous page ended with, in a list ordered by ID.
    pub fn after_id<T: std::str::FromStr>(&self) -> Result<Option<T>, ApiError> {
        self.after
            .as_deref()
            .map(|position| position.parse().map_err(|_| not_our_cursor()))
            .transpose()
    }
}

/// The query of a list that takes nothing but a page: `?limit=&cursor=`.
///
/// Lists with filters declare `limit` and `cursor` beside their filters instead of holding
/// this type: serde's `flatten` reads query values as strings (so `limit=10` would not be a
/// number) and, with `deny_unknown_fields`, names an unknown parameter without the list of
/// known ones that the 400 gives today; and utoipa's `IntoParams` cannot flatten a field.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page asked for, checked.
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        PageRequest::new(self.limit, self.cursor.as_deref())
    }
}

/// `limit` and `cursor`, as every list's query declares them beside its filters.
#[derive(Deserialize)]
struct PageFields {
    limit: Option<u32>,
    cursor: Option<String>,
}

/// A list request as its handler takes it: the list's query `Q`, then the page it asks for
/// (so a bad filter is named before a bad cursor), and the request the `Link` header of the
/// answer is made from.
pub struct Listing<Q> {
    pub query: Q,
    pub page: PageRequest,
    request: HttpRequest,
}

impl<Q: DeserializeOwned + 'static> FromRequest for Listing<Q> {
    type Error = actix_web::Error;
    type Future = Ready<Result<Listing<Q>, actix_web::Error>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mut read = || -> Result<Listing<Q>, actix_web::Error> {
            let query = web::Query::<Q>::from_request(request, payload)
                .into_inner()?
                .into_inner();
            // `Q` has read the same two fields (see `PageQuery` for why they are not
            // flattened into it): read again, they cannot fail.
            let fields = web::Query::<PageFields>::from_query(request.query_string())
                .map_err(|error| ApiError::malformed(error.to_string()))?;
            let page = PageRequest::new(fields.limit, fields.cursor.as_deref())?;
            Ok(Listing {
                query,
                page,
                request: request.clone(),
            })
        };
        ready(read())
    }
}

impl<Q> Listing<Q> {
    /// Where a list ordered by a date, then by ID, goes on: the previous page's last
    /// [`date_position`].
    pub fn after_date<K>(&self) -> Result<Option<(chrono::NaiveDate, Id<K>)>, ApiError> {
        self.page
            .after
            .as_deref()
            .map(parse_date_position)
            .transpose()
    }

    /// Reads the page of a list ordered by ID with `read` (given where to start and how
    /// many) and answers it as the list envelope, each row shown through `view`.
    pub async fn read_by_id<R, V, F, K>(
        self,
        state: &AppState,
        read: F,
        position: impl Fn(&R) -> Id<K>,
        view: impl Fn(&R) -> Result<V, ApiError>,
    ) -> Result<HttpResponse, ApiError>
    where
        R: Send + 'static,
        V: Serialize,
        F: FnOnce(&mut DbConnection, Option<Id<K>>, i64) -> Result<Page<R>, ApiError>
            + Send
            + 'static,
        K: Send + 'static,
    {
        let after = self.page.after_id()?;
        let limit = self.page.limit;
        let found = state.read(move |conn| read(conn, after, limit)).await?;
        page_response(&self.request, found, position, view)
    }

    /// Answers a page the handler has read (see [`page_response`]).
    pub fn answer<R, V: Serialize, P: std::fmt::Display>(
        &self,
        found: Page<R>,
        position: impl Fn(&R) -> P,
        view: impl Fn(&R) -> Result<V, ApiError>,
    ) -> Result<HttpResponse, ApiError> {
        page_response(&self.request, found, position, view)
    }
}

/// Cursors are the position of the last row seen, base64url-encoded so nobody builds them.
pub fn encode_cursor(position: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("v1:{position}"))
}

fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| text.strip_prefix("v1:").map(str::to_owned))
        // Positions are IDs and dates: a control character (a NUL, which PostgreSQL cannot
        // compare) or a space means the cursor was made by hand.
        .filter(|position| position.chars().all(|c| c.is_ascii_graphic()))
        .ok_or_else(not_our_cursor)
}

/// The position of a row in a list ordered by a date, then by id.
pub fn date_position<K>(date: chrono::NaiveDate, id: Id<K>) -> String {
    format!("{date}/{id}")
}

/// Reads back a [`date_position`] from a cursor.
pub fn parse_date_position<K>(position: &str) -> Result<(chrono::NaiveDate, Id<K>), ApiError> {
    let (date, id) = position.split_once('/').ok_or_else(not_our_cursor)?;
    let date = threshold_domain::Date::parse(date).map_err(|_| not_our_cursor())?;
    let id = id.parse().map_err(|_| not_our_cursor())?;
    Ok((date.naive(), id))
}

/// The position of a row in a list ordered by two keys (a cell's members: by client, then
/// enrollment).
pub fn pair_position(first: impl std::fmt::Display, second: impl std::fmt::Display) -> String {
    format!("{first}/{second}")
}

/// Reads back a [`pair_position`] from a cursor.
pub fn parse_pair_position<A: std::str::FromStr, B: std::str::FromStr>(
    position: &str,
) -> Result<(A, B), ApiError> {
    let (first, second) = position.split_once('/').ok_or_else(not_our_cursor)?;
    Ok((
        first.parse().map_err(|_| not_our_cursor())?,
        second.parse().map_err(|_| not_our_cursor())?,
    ))
}

/// The list envelope: `{"data": [...], "next_cursor": ...}` with the `Link` header.
pub fn list_response<T: Serialize>(
    request: &HttpRequest,
    data: Vec<T>,
    next_position: Option<String>,
) -> HttpResponse {
    let next_cursor = next_position.as_deref().map(encode_cursor);
    let mut response = HttpResponse::Ok();
    if let Some(cursor) = &next_cursor {
        response.insert_header((header::LINK, next_link(request, cursor)));
    }
    response.json(Envelope { data, next_cursor })
}

/// The list envelope as it is written: serialized straight, not through a `serde_json::Value`
/// (which would build a map for every item first).
#[derive(Serialize)]
struct Envelope<T> {
    data: Vec<T>,
    next_cursor: Option<String>,
}

fn next_link(request: &HttpRequest, cursor: &str) -> String {
    let mut pairs: Vec<String> = request
        .query_string()
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("cursor="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("cursor={cursor}"));
    format!("<{}?{}>; rel=\"next\"", request.path(), pairs.join("&"))
}

/// A page of rows as the list envelope: each row shown through `view`, and the cursor of
/// the position after the last row when more follow.
pub fn page_response<R, V: Serialize, P: std::fmt::Display>(
    request: &HttpRequest,
    page: Page<R>,
    position: impl Fn(&R) -> P,
    view: impl Fn(&R) -> Result<V, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let next = page
        .more
        .then(|| page.rows.last().map(|row| position(row).to_string()))
        .flatten();
    let data = page.rows.iter().map(view).collect::<Result<Vec<_>, _>>()?;
    Ok(list_response(request, data, next))
}

/// Declares the list envelope of a resource for the OpenAPI document.
#[macro_export]
macro_rules! list_of {
    ($list:ident, $item:ty) => {
        #[derive(serde::Serialize, utoipa::ToSchema)]
        pub struct $list {
            pub data: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_forgeries() {
        let cursor = encode_cursor("0190-abc");
        let page = PageRequest::new(Some(10), Some(&cursor)).unwrap();
        assert_eq!(page.after.as_deref(), Some("0190-abc"));
        assert!(PageRequest::new(None, Some("not-a-cursor")).is_err());
        assert!(PageRequest::new(None, Some(&URL_SAFE_NO_PAD.encode("x"))).is_err());
    }

    #[test]
    fn limit_bounds() {
        assert_eq!(PageRequest::new(None, None).unwrap().limit, 50);
        assert_eq!(PageRequest::new(Some(200), None).unwrap().limit, 200);
        assert!(PageRequest::new(Some(0), None).is_err());
        assert!(PageRequest::new(Some(201), None).is_err());
    }
}
