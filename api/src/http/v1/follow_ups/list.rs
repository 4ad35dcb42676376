use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use threshold_persistence::records;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{FollowUpList, FollowUpView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{page_response, PageRequest};
use crate::http::state::AppState;
use crate::usecases::visibility::visible_enrollment;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListFollowUps {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List an enrollment's follow-ups.
#[utoipa::path(
    tag = "follow-ups",
    operation_id = "list_follow_ups",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ListFollowUps,
    ),
    responses(
        (status = 200, description = "A page of follow-ups", body = FollowUpList),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/follow-ups")]
pub async fn list_follow_ups(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ListFollowUps>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            Ok(records::list_follow_ups(
                conn,
                &enrollment.id,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(
        &request,
        found,
        |row| row.id.clone(),
        FollowUpView::from_row,
    )
}
