use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::program::check_program;
use threshold_domain::Date;
use threshold_persistence::reference::program;
use threshold_persistence::rows::Stamped;
use uuid::Uuid;

use super::{ProgramView, UpdateProgram};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Admin;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{Patch, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};
use crate::ids::id_text;

/// Get a program.
#[utoipa::path(
    tag = "programs",
    operation_id = "get_program",
    params(("program_id" = Uuid, Path, description = "The program's ID")),
    responses(
        (status = 200, description = "The program", body = ProgramView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such program"),
    ),
    security(("bearer" = []))
)]
#[get("/programs/{program_id}")]
pub async fn get_program(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let row = state
        .read(move |conn| program::find(conn, &id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ProgramView::from_row(&row)?,
    ))
}

/// Change a program (JSON Merge Patch).
#[utoipa::path(
    tag = "programs",
    operation_id = "update_program",
    params(
        ("program_id" = Uuid, Path, description = "The program's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateProgram, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed program", body = ProgramView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such program"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/programs/{program_id}")]
pub async fn update_program(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateProgram>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = program::find(conn, &id)?.ok_or(ApiError::NotFound)?;
            if_match.check(row.version)?;
            if let Patch::Value(name) = &body.name {
                row.name = name.as_str().to_owned();
            }
            if let Patch::Value(project_type) = body.project_type {
                row.project_type = project_type.code();
            }
            if let Patch::Value(start) = body.operating_start_date {
                row.operating_start_date = start.naive();
            }
            row.operating_end_date = body
                .operating_end_date
                .clone()
                .apply(row.operating_end_date.map(Date::from))
                .map(Date::naive);
            if let Patch::Value(flag) = body.continuum_project {
                row.continuum_project = flag;
            }
            row.capacity = body.capacity.clone().apply(row.capacity);
            row.auto_exit_days = body.auto_exit_days.clone().apply(row.auto_exit_days);
            ApiError::check_fields(check_program(
                row.operating_start_date.into(),
                row.operating_end_date.map(Into::into),
                row.capacity,
                row.auto_exit_days,
            ))?;
            row.stamp(now(), &caller.sub);
            if !dry_run {
                program::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ProgramView::from_row(&row)?,
    ))
}
