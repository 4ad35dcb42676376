use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{ClientView, UpdateClient};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::ValidJson;
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery, Text};
use crate::usecases::clients::{self, DeleteClient, EditClient};
use crate::usecases::Change;

/// Get a client.
#[utoipa::path(
    tag = "clients",
    operation_id = "get_client",
    params(("client_id" = Uuid, Path, description = "The client's ID")),
    responses(
        (status = 200, description = "The client", body = ClientView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such client"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let client_id = path.into_inner();
    let row = state
        .read(move |conn| clients::find(conn, client_id))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ClientView::from_row(&row)?,
    ))
}

/// Change a client (JSON Merge Patch).
#[utoipa::path(
    tag = "clients",
    operation_id = "update_client",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateClient, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed client", body = ClientView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such client"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}")]
pub async fn update_client(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateClient>,
) -> Result<HttpResponse, ApiError> {
    let input = EditClient {
        client_id: path.into_inner(),
        expected: IfMatch::from_request(&request).expected(),
        first_name: Change::from(body.first_name).map(Text::into_string),
        middle_name: Change::from(body.middle_name).map(Text::into_string),
        last_name: Change::from(body.last_name).map(Text::into_string),
        name_suffix: Change::from(body.name_suffix).map(Text::into_string),
        name_data_quality: body.name_data_quality.into(),
        ssn: body.ssn.into(),
        ssn_data_quality: body.ssn_data_quality.into(),
        dob: Change::from(body.dob).map(|dob| dob.0),
        dob_data_quality: body.dob_data_quality.into(),
        sex: body.sex.into(),
        race_ethnicity: body.race_ethnicity.into(),
        race_none: body.race_none.into(),
        veteran_status: body.veteran_status.into(),
        dry_run: query.dry_run,
    };
    let row = state
        .write(move |conn| clients::edit(conn, &caller, &input))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ClientView::from_row(&row)?,
    ))
}

/// Delete a client (soft). A client with enrollments is not deleted.
#[utoipa::path(
    tag = "clients",
    operation_id = "delete_client",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such client"),
        (status = 409, description = "`client.has_enrollments`: the client has enrollments"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}")]
pub async fn delete_client(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let input = DeleteClient {
        client_id: path.into_inner(),
        expected: IfMatch::from_request(&request).expected(),
        dry_run: query.dry_run,
    };
    state
        .write(move |conn| clients::delete(conn, &caller, &input))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
