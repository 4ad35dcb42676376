use actix_web::{post, web, HttpResponse};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::{new_id, Date};
use threshold_persistence::records::goal;
use threshold_persistence::rows::GoalRow;
use uuid::Uuid;

use super::{CreateGoal, GoalView};
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, Text};
use crate::ids::id_text;
use crate::usecases::visibility::visible_enrollment;

/// Both dates of a goal, as the period rule names them.
fn goal_dates(row: &GoalRow) -> [(&'static str, Option<Date>); 2] {
    [
        ("target_date", row.target_date.map(Into::into)),
        ("closed_date", row.closed_date.map(Into::into)),
    ]
}

/// Set a goal for the enrollment.
#[utoipa::path(
    tag = "goals",
    operation_id = "create_goal",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        DryRun,
    ),
    request_body = CreateGoal,
    responses(
        (status = 201, description = "Created", body = GoalView,
            headers(("Location" = String, description = "The new goal's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = GoalView),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`enrollment.dependents_outside_period`: a date lies outside the enrollment's period"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/enrollments/{enrollment_id}/goals")]
pub async fn create_goal(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateGoal>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let at = now();
            let row = GoalRow {
                id: id_text(new_id()),
                enrollment_id: enrollment.id.clone(),
                title: body.title.as_str().to_owned(),
                description: body.description.clone().map(Text::into_string),
                status: body.status.as_str().to_owned(),
                target_date: body.target_date.map(Date::naive),
                closed_date: body.closed_date.map(|date| date.0.naive()),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: caller.sub.clone(),
                updated_by: caller.sub.clone(),
                deleted_at: None,
            };
            check_record_dates(&enrollment.period(), RecordKind::Goal, &goal_dates(&row))?;
            let view = GoalView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            goal::insert(conn, &row)?;
            Reply::created(
                &view,
                format!(
                    "/v1/clients/{client_id}/enrollments/{enrollment_id}/goals/{}",
                    row.id
                ),
                row.version,
            )
        })
        .await
}
