use actix_web::{post, web, HttpResponse};
use threshold_persistence::records::follow_up;
use uuid::Uuid;

use super::{stored_instant, CreateFollowUp, FollowUpView};
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, Text};
use crate::usecases::follow_ups::{check_new_follow_up, new_follow_up_row};
use crate::usecases::visibility::visible_enrollment;

/// Plan a follow-up.
#[utoipa::path(
    tag = "follow-ups",
    operation_id = "create_follow_up",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        DryRun,
    ),
    request_body = CreateFollowUp,
    responses(
        (status = 201, description = "Created", body = FollowUpView,
            headers(("Location" = String, description = "The new follow-up's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = FollowUpView),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`enrollment.dependents_outside_period`: the due date lies outside the enrollment's period"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/enrollments/{enrollment_id}/follow-ups")]
pub async fn create_follow_up(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateFollowUp>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let new = body.as_new();
            check_new_follow_up(conn, &enrollment, new.due_date, new.assigned_to)?;
            let mut row = new_follow_up_row(
                &enrollment,
                new.reason.as_str(),
                new.due_date,
                new.assigned_to,
                &caller.sub,
            );
            row.completed_at = body.completed_at.map(stored_instant);
            row.outcome = body.outcome.clone().map(Text::into_string);
            let view = FollowUpView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            follow_up::insert(conn, &row)?;
            Reply::created(
                &view,
                format!(
                    "/v1/clients/{client_id}/enrollments/{enrollment_id}/follow-ups/{}",
                    row.id
                ),
                row.version,
            )
        })
        .await
}
