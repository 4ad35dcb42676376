use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use threshold_persistence::records;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{ServiceList, ServiceView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{page_response, PageRequest};
use crate::http::state::AppState;
use crate::usecases::visibility::visible_enrollment;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListServices {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// List an enrollment's services.
#[utoipa::path(
    tag = "services",
    operation_id = "list_services",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ListServices,
    ),
    responses(
        (status = 200, description = "A page of services", body = ServiceList),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/services")]
pub async fn list_services(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ListServices>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            Ok(records::list_services(
                conn,
                &enrollment.id,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(&request, found, |row| row.id.clone(), ServiceView::from_row)
}
