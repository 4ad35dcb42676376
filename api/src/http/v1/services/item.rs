use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::money::Cents;
use threshold_domain::records::check_service_date;
use threshold_persistence::records::service;
use threshold_persistence::rows::Stamped;
use uuid::Uuid;

use super::{service_of, ServiceView, UpdateService};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{Patch, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery, Text};
use crate::usecases::visibility::visible_enrollment;

/// Get a service.
#[utoipa::path(
    tag = "services",
    operation_id = "get_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("service_id" = Uuid, Path, description = "The service's ID"),
    ),
    responses(
        (status = 200, description = "The service", body = ServiceView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such service"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}")]
pub async fn get_service(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, service_id) = path.into_inner();
    let row = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            service_of(conn, &enrollment, service_id)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ServiceView::from_row(&row)?,
    ))
}

/// Change a service (JSON Merge Patch).
#[utoipa::path(
    tag = "services",
    operation_id = "update_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("service_id" = Uuid, Path, description = "The service's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateService, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed service", body = ServiceView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such service"),
        (status = 409, description = "`service.outside_enrollment`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}")]
pub async fn update_service(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateService>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, service_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = service_of(conn, &enrollment, service_id)?;
            if_match.check(row.version)?;
            let body = body.clone();
            if let Patch::Value(date) = body.date_provided {
                row.date_provided = date.0.naive();
                check_service_date(&enrollment.period(), date.0)?;
            }
            if let Patch::Value(record_type) = body.record_type {
                row.record_type = record_type.code();
            }
            if let Patch::Value(type_provided) = body.type_provided {
                row.type_provided = type_provided;
            }
            row.other_type_provided = body
                .other_type_provided
                .apply_with(row.other_type_provided.take(), Text::into_string);
            row.fa_amount_cents = match body.fa_amount {
                Patch::Absent => row.fa_amount_cents,
                Patch::Null => None,
                Patch::Value(amount) => Cents::from_dollars(amount).map(i64::from),
            };
            row.note = body.note.apply_with(row.note.take(), Text::into_string);
            row.stamp(now(), &caller.sub);
            if !dry_run {
                service::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ServiceView::from_row(&row)?,
    ))
}

/// Delete a service (soft).
#[utoipa::path(
    tag = "services",
    operation_id = "delete_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("service_id" = Uuid, Path, description = "The service's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such service"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}")]
pub async fn delete_service(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, service_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = service_of(conn, &enrollment, service_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                row.deleted_at = Some(at);
                service::update(conn, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
