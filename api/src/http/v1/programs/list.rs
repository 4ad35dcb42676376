use actix_web::{get, web, HttpRequest, HttpResponse};
use threshold_persistence::reference;

use super::{ListPrograms, ProgramList, ProgramView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{page_response, PageRequest};
use crate::http::state::AppState;
use crate::ids::id_text;

/// List programs.
#[utoipa::path(
    tag = "programs",
    operation_id = "list_programs",
    params(ListPrograms),
    responses((status = 200, description = "A page of programs", body = ProgramList)),
    security(("bearer" = []))
)]
#[get("/programs")]
pub async fn list_programs(
    state: web::Data<AppState>,
    _caller: Caller,
    request: HttpRequest,
    query: web::Query<ListPrograms>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let organization_id = query.organization_id.map(id_text);
    let found = state
        .read(move |conn| {
            Ok(reference::list_programs(
                conn,
                organization_id.as_deref(),
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(&request, found, |row| row.id.clone(), ProgramView::from_row)
}
