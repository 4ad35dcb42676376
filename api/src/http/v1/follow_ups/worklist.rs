//! `GET /v1/follow-ups`: a case manager's worklist across the organization's enrollments.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use threshold_domain::Date;
use threshold_persistence::ids::UserId;
use threshold_persistence::records::{self, FollowUpSearch};
use utoipa::openapi::path::HttpMethod;
use utoipa::{IntoParams, ToSchema};

use super::{FollowUpList, FollowUps};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::operations::entry::Entry;
use crate::http::pagination::{date_position, Listing};
use crate::http::records::RecordResource;
use crate::http::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// Not completed yet.
    Open,
    /// Completed.
    Done,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct Worklist {
    /// Only follow-ups assigned to this user.
    #[param(value_type = Option<Uuid>)]
    pub assigned_to: Option<UserId>,
    /// Only follow-ups due before this date.
    #[param(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_before: Option<Date>,
    /// `open` or `done`.
    #[param(inline)]
    pub status: Option<FollowUpStatus>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// The route of the worklist with its OpenAPI entry.
pub fn worklist_endpoints() -> Endpoints {
    let entry = Entry::new(
        "follow-ups",
        "list_worklist_follow_ups",
        "The caller's organization's follow-ups, soonest due first (admins: every organization's).",
    )
    .query::<Worklist>()
    .json::<FollowUpList>("200", "A page of follow-ups, soonest due first", &[]);
    Endpoints::new().route(
        HttpMethod::Get,
        "/follow-ups",
        list_worklist_follow_ups,
        entry,
    )
}

pub async fn list_worklist_follow_ups(
    state: web::Data<AppState>,
    caller: Caller,
    list: Listing<Worklist>,
) -> Result<HttpResponse, ApiError> {
    let (query, limit) = (&list.query, list.page.limit);
    let after = list.after_date()?;
    let search = FollowUpSearch {
        assigned_to: query.assigned_to,
        due_before: query.due_before.map(Date::naive),
        open: query
            .status
            .map(|status| matches!(status, FollowUpStatus::Open)),
    };
    let sight = caller.sight();
    let found = state
        .read(move |conn| Ok(records::worklist(conn, &sight, &search, after, limit)?))
        .await?;
    list.answer(
        found,
        |row| date_position(row.due_date, row.id),
        FollowUps::view,
    )
}
