use actix_web::{post, web, HttpResponse};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::{new_id, Date};
use threshold_persistence::records::action_step;
use threshold_persistence::rows::ActionStepRow;
use uuid::Uuid;

use super::{ActionStepView, CreateActionStep};
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::ids::id_text;
use crate::usecases::follow_ups::check_assignee;
use crate::usecases::records::goal_of;
use crate::usecases::visibility::visible_enrollment;

/// Add a step to a goal's action plan.
#[utoipa::path(
    tag = "action-steps",
    operation_id = "create_action_step",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        DryRun,
    ),
    request_body = CreateActionStep,
    responses(
        (status = 201, description = "Created", body = ActionStepView,
            headers(("Location" = String, description = "The new action step's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = ActionStepView),
        (status = 404, description = "No such goal or enrollment, or another organization's"),
        (status = 409, description = "`enrollment.dependents_outside_period`: a date lies outside the enrollment's period"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps")]
pub async fn create_action_step(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateActionStep>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            check_assignee(conn, &enrollment, body.assigned_to)?;
            check_record_dates(
                &enrollment.period(),
                RecordKind::ActionStep,
                &[
                    ("due_date", body.due_date),
                    ("completed_date", body.completed_date.map(|date| date.0)),
                ],
            )?;
            let at = now();
            let row = ActionStepRow {
                id: id_text(new_id()),
                goal_id: goal.id.clone(),
                enrollment_id: enrollment.id.clone(),
                description: body.description.as_str().to_owned(),
                assigned_to: body.assigned_to.map(id_text),
                due_date: body.due_date.map(Date::naive),
                completed_date: body.completed_date.map(|date| date.0.naive()),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: caller.sub.clone(),
                updated_by: caller.sub.clone(),
                deleted_at: None,
            };
            let view = ActionStepView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            action_step::insert(conn, &row)?;
            Reply::created(
                &view,
                format!(
                    "/v1/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps/{}",
                    row.id
                ),
                row.version,
            )
        })
        .await
}
