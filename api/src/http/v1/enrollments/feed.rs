//! `GET /v1/enrollments?updated_since=`: the change feed for systems that sync.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use threshold_persistence::enrollments::{self, ChangePosition};
use utoipa::openapi::path::HttpMethod;
use utoipa::IntoParams;

use super::{EnrollmentList, EnrollmentView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::operations::entry::Entry;
use crate::http::pagination::Listing;
use crate::http::state::AppState;
use crate::usecases::completeness;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangeFeed {
    /// Only enrollments changed after this instant (RFC 3339): pass the `updated_at` of the
    /// last enrollment you have seen. Absent: from the beginning.
    pub updated_since: Option<DateTime<Utc>>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// The route of the change feed with its OpenAPI entry.
pub fn change_feed() -> Endpoints {
    let text = "Every enrollment the caller may see that changed since a moment, deleted ones \
included\n(with `deleted_at`), in the order of their changes.\n\n\
Changes come in the order of their `updated_at` (then of their IDs), and a change is\n\
listed only once every change before it is committed, so a client that follows\n\
`next_cursor` to the end and later asks again with the last `updated_at` it saw misses\n\
nothing and sees nothing twice.";
    let entry = Entry::new("enrollments", "list_changed_enrollments", text)
        .query::<ChangeFeed>()
        .json::<EnrollmentList>(
            "200",
            "A page of changed enrollments, oldest change first",
            &[],
        );
    Endpoints::new().route(
        HttpMethod::Get,
        "/enrollments",
        list_changed_enrollments,
        entry,
    )
}

pub async fn list_changed_enrollments(
    state: web::Data<AppState>,
    caller: Caller,
    list: Listing<ChangeFeed>,
) -> Result<HttpResponse, ApiError> {
    // A cursor continues a walk (`<updated_at>/<id>`; an `<updated_at>` alone from before
    // two changes could share an instant); otherwise start after `updated_since`.
    let after_cursor = list
        .page
        .after
        .as_deref()
        .map(|position| {
            let (at, id) = match position.split_once('/') {
                Some((at, id)) => (at, Some(id)),
                None => (position, None),
            };
            let updated_at = DateTime::parse_from_rfc3339(at).map(|at| at.naive_utc());
            let after_id = id.map(str::parse).transpose();
            match (updated_at, after_id) {
                (Ok(updated_at), Ok(after_id)) => Ok(ChangePosition {
                    updated_at,
                    after_id,
                }),
                _ => Err(ApiError::malformed_field(
                    "cursor",
                    "the cursor is not one this API gave",
                )),
            }
        })
        .transpose()?;
    let since = after_cursor.or(list.query.updated_since.map(|at| ChangePosition {
        updated_at: at.naive_utc(),
        after_id: None,
    }));
    let limit = list.page.limit;
    let sight = caller.sight();
    let found = state
        .read(move |conn| {
            let changed = enrollments::changed_since(conn, &sight, since, limit)?;
            completeness::read_page(conn, &sight, changed)
        })
        .await?;
    list.answer(
        found,
        |read| {
            format!(
                "{}/{}",
                read.row
                    .updated_at
                    .and_utc()
                    .to_rfc3339_opts(SecondsFormat::Micros, true),
                read.row.id
            )
        },
        EnrollmentView::new,
    )
}
