use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_persistence::records::follow_up;
use threshold_persistence::rows::Stamped;
use uuid::Uuid;

use super::{follow_up_of, stored_instant, FollowUpView, UpdateFollowUp};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{Patch, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery, Text};
use crate::ids::id_text;
use crate::usecases::follow_ups::check_assignee;
use crate::usecases::visibility::visible_enrollment;

/// Get a follow-up.
#[utoipa::path(
    tag = "follow-ups",
    operation_id = "get_follow_up",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("follow_up_id" = Uuid, Path, description = "The follow-up's ID"),
    ),
    responses(
        (status = 200, description = "The follow-up", body = FollowUpView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such follow-up"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/follow-ups/{follow_up_id}")]
pub async fn get_follow_up(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, follow_up_id) = path.into_inner();
    let row = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            follow_up_of(conn, &enrollment, follow_up_id)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &FollowUpView::from_row(&row)?,
    ))
}

/// Change a follow-up, or record it done (JSON Merge Patch).
#[utoipa::path(
    tag = "follow-ups",
    operation_id = "update_follow_up",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("follow_up_id" = Uuid, Path, description = "The follow-up's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateFollowUp, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed follow-up", body = FollowUpView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such follow-up"),
        (status = 409, description = "`enrollment.dependents_outside_period`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}/follow-ups/{follow_up_id}")]
pub async fn update_follow_up(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateFollowUp>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, follow_up_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = follow_up_of(conn, &enrollment, follow_up_id)?;
            if_match.check(row.version)?;
            let body = body.clone();
            if let Patch::Value(assigned_to) = body.assigned_to {
                check_assignee(conn, &enrollment, Some(assigned_to))?;
            }
            if let Patch::Value(due_date) = body.due_date {
                check_record_dates(
                    &enrollment.period(),
                    RecordKind::FollowUp,
                    &[("due_date", Some(due_date))],
                )?;
                row.due_date = due_date.naive();
            }
            if let Patch::Value(reason) = body.reason {
                row.reason = reason.into_string();
            }
            row.assigned_to = body.assigned_to.apply_with(row.assigned_to.take(), id_text);
            row.completed_at = body
                .completed_at
                .apply_with(row.completed_at, stored_instant);
            row.outcome = body
                .outcome
                .apply_with(row.outcome.take(), Text::into_string);
            row.stamp(now(), &caller.sub);
            if !dry_run {
                follow_up::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &FollowUpView::from_row(&row)?,
    ))
}

/// Delete a follow-up (soft).
#[utoipa::path(
    tag = "follow-ups",
    operation_id = "delete_follow_up",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("follow_up_id" = Uuid, Path, description = "The follow-up's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such follow-up"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/follow-ups/{follow_up_id}")]
pub async fn delete_follow_up(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, follow_up_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = follow_up_of(conn, &enrollment, follow_up_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                row.deleted_at = Some(at);
                follow_up::update(conn, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
