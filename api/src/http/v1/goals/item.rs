use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::records::{check_goal_closed_date, check_record_dates, RecordKind};
use threshold_domain::Date;
use threshold_persistence::records::{self, action_step, goal};
use threshold_persistence::rows::Stamped;
use uuid::Uuid;

use super::{GoalStatus, GoalView, UpdateGoal};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{Patch, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery, Text};
use crate::usecases::records::goal_of;
use crate::usecases::visibility::visible_enrollment;

/// Get a goal.
#[utoipa::path(
    tag = "goals",
    operation_id = "get_goal",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
    ),
    responses(
        (status = 200, description = "The goal", body = GoalView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such goal"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}")]
pub async fn get_goal(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let row = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            goal_of(conn, &enrollment, goal_id)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &GoalView::from_row(&row)?,
    ))
}

/// Change a goal (JSON Merge Patch).
#[utoipa::path(
    tag = "goals",
    operation_id = "update_goal",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateGoal, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed goal", body = GoalView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such goal"),
        (status = 409, description = "`enrollment.dependents_outside_period`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}")]
pub async fn update_goal(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateGoal>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = goal_of(conn, &enrollment, goal_id)?;
            if_match.check(row.version)?;
            let body = body.clone();
            if let Patch::Value(title) = body.title {
                row.title = title.into_string();
            }
            row.description = body
                .description
                .apply_with(row.description.take(), Text::into_string);
            if let Patch::Value(status) = body.status {
                row.status = status.as_str().to_owned();
            }
            row.target_date = body
                .target_date
                .clone()
                .apply_with(row.target_date, Date::naive);
            row.closed_date = body
                .closed_date
                .clone()
                .apply_with(row.closed_date, |date| date.0.naive());
            // The status and the closed date may come from the stored goal: check them together.
            let open = GoalStatus::from_stored(&row.status)? == GoalStatus::Open;
            ApiError::check_fields(
                check_goal_closed_date(open, row.closed_date.map(Date::from))
                    .into_iter()
                    .collect(),
            )?;
            check_record_dates(
                &enrollment.period(),
                RecordKind::Goal,
                &[
                    ("target_date", body.target_date.as_value().copied()),
                    (
                        "closed_date",
                        body.closed_date.as_value().map(|date| date.0),
                    ),
                ],
            )?;
            row.stamp(now(), &caller.sub);
            if !dry_run {
                goal::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &GoalView::from_row(&row)?,
    ))
}

/// Delete a goal (soft), and its action steps with it.
#[utoipa::path(
    tag = "goals",
    operation_id = "delete_goal",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted, with its action steps"),
        (status = 404, description = "No such goal"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}")]
pub async fn delete_goal(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = goal_of(conn, &enrollment, goal_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if dry_run {
                return Ok(());
            }
            // Steps left behind would be invisible yet still hold the enrollment's dates in place.
            loop {
                let steps = records::list_action_steps(conn, &row.id, None, 200)?;
                for mut step in steps.rows {
                    step.stamp(at, &caller.sub);
                    step.deleted_at = Some(at);
                    action_step::update(conn, &step)?;
                }
                if !steps.more {
                    break;
                }
            }
            row.deleted_at = Some(at);
            goal::update(conn, &row)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
