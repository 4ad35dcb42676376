use actix_web::{web, HttpResponse};
use serde::Deserialize;
use threshold_persistence::clients;
use threshold_persistence::enrollments::{self, ClientEnrollmentFilter, EntryCursor};
use threshold_persistence::ids::{ClientId, ProgramId};
use threshold_persistence::privacy::Sight;
use utoipa::{IntoParams, ToSchema};

use super::EnrollmentView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{date_position, Listing};
use crate::http::state::AppState;
use crate::usecases::completeness;

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
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

pub async fn list_enrollments(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ClientId>,
    list: Listing<ListEnrollments>,
) -> Result<HttpResponse, ApiError> {
    let after = list
        .after_date()?
        .map(|(entry_date, id)| EntryCursor { entry_date, id });
    let client_id = path.into_inner();
    let limit = list.page.limit;
    let filter = ClientEnrollmentFilter {
        active: list
            .query
            .status
            .map(|status| matches!(status, EnrollmentStatus::Active)),
        program_id: list.query.program_id,
    };
    let scope = caller.scope();
    let sight = caller.sight();
    let found = state
        .read_short(move |conn| {
            let found = enrollments::list_for_client(
                conn,
                scope,
                client_id,
                &filter,
                after.as_ref(),
                limit,
                crate::clock::today().naive(),
            )?;
            // An empty page may mean there is no such client: only then is that asked of an
            // admin's page, so the usual page costs one query. Any other caller may see the
            // client's enrollments in its own programs only when it may see the client.
            if (found.rows.is_empty() || sight != Sight::Everything)
                && !clients::exists(conn, &sight, client_id)?
            {
                return Err(ApiError::NotFound);
            }
            completeness::read_answered_page(conn, &sight, found)
        })
        .await?;
    list.answer(
        found,
        |read| date_position(read.row.entry_date, read.row.id),
        EnrollmentView::new,
    )
}
