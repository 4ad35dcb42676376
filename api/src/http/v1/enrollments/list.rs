use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use threshold_persistence::clients;
use threshold_persistence::enrollments::{self, ClientEnrollmentFilter, EntryCursor};
use threshold_persistence::ids::{ClientId, ProgramId};
use utoipa::{IntoParams, ToSchema};

use super::EnrollmentView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{date_position, page_response, parse_date_position, PageRequest};
use crate::http::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnrollmentStatus {
    Active,
    Exited,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListEnrollments {
    /// Only active or only exited enrollments.
    #[param(inline)]
    pub status: Option<EnrollmentStatus>,
    /// Only enrollments in this program.
    #[param(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

pub async fn list_enrollments(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<ClientId>,
    query: web::Query<ListEnrollments>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let after = page
        .after
        .as_deref()
        .map(parse_date_position)
        .transpose()?
        .map(|(entry_date, id)| EntryCursor { entry_date, id });
    let client_id = path.into_inner();
    let filter = ClientEnrollmentFilter {
        active: query
            .status
            .map(|status| matches!(status, EnrollmentStatus::Active)),
        program_id: query.program_id,
    };
    let scope = caller.scope();
    let found = state
        .read(move |conn| {
            let found = enrollments::list_for_client(
                conn,
                scope,
                client_id,
                &filter,
                after.as_ref(),
                page.limit,
            )?;
            // An empty page may mean there is no such client: only then is that asked, so the
            // usual page costs one query.
            if found.rows.is_empty() && !clients::exists(conn, client_id)? {
                return Err(ApiError::NotFound);
            }
            Ok(found)
        })
        .await?;
    page_response(
        &request,
        found,
        |row| date_position(row.entry_date, row.id),
        EnrollmentView::from_row,
    )
}
