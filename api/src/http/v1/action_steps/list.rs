use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use threshold_persistence::records;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{ActionStepList, ActionStepView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{page_response, PageRequest};
use crate::http::state::AppState;
use crate::usecases::records::goal_of;
use crate::usecases::visibility::visible_enrollment;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListActionSteps {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List a goal's action plan.
#[utoipa::path(
    tag = "action-steps",
    operation_id = "list_action_steps",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ListActionSteps,
    ),
    responses(
        (status = 200, description = "A page of action steps", body = ActionStepList),
        (status = 404, description = "No such goal or enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps")]
pub async fn list_action_steps(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<ListActionSteps>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            Ok(records::list_action_steps(
                conn,
                &goal.id,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(
        &request,
        found,
        |row| row.id.clone(),
        ActionStepView::from_row,
    )
}
