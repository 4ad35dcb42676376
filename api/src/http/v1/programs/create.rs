use actix_web::{post, web, HttpResponse};
use threshold_domain::{new_id, Date};
use threshold_persistence::reference::{organization, program};
use threshold_persistence::rows::ProgramRow;

use super::{CreateProgram, ProgramView};
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Admin;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::ids::id_text;

/// Add a program.
#[utoipa::path(
    tag = "programs",
    operation_id = "create_program",
    params(DryRun),
    request_body = CreateProgram,
    responses(
        (status = 201, description = "Created", body = ProgramView,
            headers(("Location" = String, description = "The new program's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = ProgramView),
    ),
    security(("bearer" = []))
)]
#[post("/programs")]
pub async fn create_program(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateProgram>,
) -> Result<HttpResponse, ApiError> {
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            let at = now();
            let row = ProgramRow {
                id: id_text(new_id()),
                organization_id: id_text(body.organization_id),
                name: body.name.as_str().to_owned(),
                project_type: body.project_type.code(),
                operating_start_date: body.operating_start_date.naive(),
                operating_end_date: body.operating_end_date.map(Date::naive),
                continuum_project: body.continuum_project,
                capacity: body.capacity,
                auto_exit_days: body.auto_exit_days,
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: sub.clone(),
                updated_by: sub.clone(),
            };
            if organization::find(conn, &row.organization_id)?.is_none() {
                return Err(ApiError::unknown_reference(
                    "organization_id",
                    "no such organization",
                ));
            }
            let view = ProgramView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            program::insert(conn, &row)?;
            Reply::created(&view, format!("/v1/programs/{}", row.id), row.version)
        })
        .await
}
