use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::Date;
use threshold_persistence::records::action_step;
use threshold_persistence::rows::Stamped;
use uuid::Uuid;

use super::{action_step_of, ActionStepView, UpdateActionStep};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{Patch, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};
use crate::ids::id_text;
use crate::usecases::follow_ups::check_assignee;
use crate::usecases::records::goal_of;
use crate::usecases::visibility::visible_enrollment;

/// Get an action step.
#[utoipa::path(
    tag = "action-steps",
    operation_id = "get_action_step",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ("action_step_id" = Uuid, Path, description = "The action step's ID"),
    ),
    responses(
        (status = 200, description = "The action step", body = ActionStepView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such action step"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps/{action_step_id}")]
pub async fn get_action_step(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid, Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id, action_step_id) = path.into_inner();
    let row = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            action_step_of(conn, &goal, action_step_id)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ActionStepView::from_row(&row)?,
    ))
}

/// Change an action step (JSON Merge Patch).
#[utoipa::path(
    tag = "action-steps",
    operation_id = "update_action_step",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ("action_step_id" = Uuid, Path, description = "The action step's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateActionStep, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed action step", body = ActionStepView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such action step"),
        (status = 409, description = "`enrollment.dependents_outside_period`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps/{action_step_id}")]
pub async fn update_action_step(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateActionStep>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id, action_step_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            let mut row = action_step_of(conn, &goal, action_step_id)?;
            if_match.check(row.version)?;
            let body = body.clone();
            if let Patch::Value(assigned_to) = body.assigned_to {
                check_assignee(conn, &enrollment, Some(assigned_to))?;
            }
            check_record_dates(
                &enrollment.period(),
                RecordKind::ActionStep,
                &[
                    ("due_date", body.due_date.as_value().copied()),
                    (
                        "completed_date",
                        body.completed_date.as_value().map(|date| date.0),
                    ),
                ],
            )?;
            if let Patch::Value(description) = body.description {
                row.description = description.into_string();
            }
            row.assigned_to = body.assigned_to.apply_with(row.assigned_to.take(), id_text);
            row.due_date = body.due_date.apply_with(row.due_date, Date::naive);
            row.completed_date = body
                .completed_date
                .apply_with(row.completed_date, |date| date.0.naive());
            row.stamp(now(), &caller.sub);
            if !dry_run {
                action_step::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ActionStepView::from_row(&row)?,
    ))
}

/// Delete an action step (soft).
#[utoipa::path(
    tag = "action-steps",
    operation_id = "delete_action_step",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ("action_step_id" = Uuid, Path, description = "The action step's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such action step"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps/{action_step_id}")]
pub async fn delete_action_step(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id, action_step_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            let mut row = action_step_of(conn, &goal, action_step_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                row.deleted_at = Some(at);
                action_step::update(conn, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
