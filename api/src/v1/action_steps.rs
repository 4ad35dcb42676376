//! `.../enrollments/{enrollment_id}/goals/{goal_id}/action-steps`: the action plan of a goal,
//! each step's dates within the enrollment's period.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::{new_id, Date, FieldError};
use threshold_persistence::records::{self, action_step};
use threshold_persistence::rows::{ActionStepRow, GoalRow};
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Caller, Writer};
use crate::errors::ApiError;
use crate::etag::{tagged, IfMatch};
use crate::extract::{CheckBody, Patch, ValidJson};
use crate::pagination::{list_response, PageRequest};
use crate::state::AppState;
use crate::v1::common::{id_text, now, parse_stored_id, text_len, Audit, DryRun, NotFuture};
use crate::v1::enrollments::visible_enrollment;
use crate::v1::follow_ups::check_assignee;
use crate::v1::goals::goal_of;
use crate::v1::organizations::required_in_patch;
use crate::v1::services::period_of;

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Apply for a housing voucher", "due_date": "2025-12-15"}))]
pub struct CreateActionStep {
    #[schema(min_length = 1, max_length = 2000)]
    pub description: String,
    /// A user of the program's organization.
    #[serde(default)]
    pub assigned_to: Option<Uuid>,
    /// Within the enrollment's period.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// Within the enrollment's period, not in the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_date: Option<NotFuture>,
}

impl CheckBody for CreateActionStep {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        text_len("description", Some(&self.description), 2000, &mut errors);
        errors
    }
}

/// JSON Merge Patch of an action step.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"completed_date": "2025-12-10"}))]
pub struct UpdateActionStep {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_date: Patch<NotFuture>,
}

impl CheckBody for UpdateActionStep {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("description", &self.description, &mut errors);
        text_len(
            "description",
            self.description.as_value().map(String::as_str),
            2000,
            &mut errors,
        );
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionStepView {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub enrollment_id: Uuid,
    pub description: String,
    pub assigned_to: Option<Uuid>,
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ActionStepView {
    fn from_row(row: &ActionStepRow) -> Result<ActionStepView, ApiError> {
        Ok(ActionStepView {
            id: parse_stored_id(&row.id)?,
            goal_id: parse_stored_id(&row.goal_id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            description: row.description.clone(),
            assigned_to: row
                .assigned_to
                .as_deref()
                .map(parse_stored_id)
                .transpose()?,
            due_date: row.due_date.map(Into::into),
            completed_date: row.completed_date.map(Into::into),
            audit: Audit::new(
                row.version,
                row.created_at,
                row.updated_at,
                &row.created_by,
                &row.updated_by,
            ),
        })
    }
}

crate::list_of!(ActionStepList, ActionStepView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListActionSteps {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

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
    ValidJson(body): ValidJson<CreateActionStep>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            check_assignee(conn, &enrollment, body.assigned_to)?;
            check_record_dates(
                &period_of(&enrollment),
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
                description: body.description.trim().to_owned(),
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
            if !dry_run {
                action_step::insert(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    let view = ActionStepView::from_row(&row)?;
    if dry_run {
        return Ok(HttpResponse::Ok().json(view));
    }
    let mut response = HttpResponse::Created();
    response.insert_header((
        "Location",
        format!(
            "/v1/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps/{}",
            row.id
        ),
    ));
    Ok(tagged(response, row.version, &view))
}

/// List a goal's action plan.
#[utoipa::path(
    tag = "action-steps",
    operation_id = "list_action_steps",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("goal_id" = Uuid, Path, description = "The goal's ID"),
        ListActionSteps,
    ),
    responses(
        (status = 200, description = "A page of action steps", body = ActionStepList),
        (status = 404, description = "No such goal or enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}/action-steps")]
pub async fn list_action_steps(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<ListActionSteps>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            Ok(records::list_action_steps(
                conn,
                &goal.id,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    let next = found
        .more
        .then(|| found.rows.last().map(|row| row.id.clone()))
        .flatten();
    let data = found
        .rows
        .iter()
        .map(ActionStepView::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(list_response(&request, data, next))
}

fn action_step_of(
    conn: &mut DbConnection,
    goal: &GoalRow,
    action_step_id: Uuid,
) -> Result<ActionStepRow, ApiError> {
    action_step::find(conn, &id_text(action_step_id))?
        .filter(|row| row.goal_id == goal.id && row.enrollment_id == goal.enrollment_id)
        .ok_or(ApiError::NotFound)
}

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
                &period_of(&enrollment),
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
                row.description = description.trim().to_owned();
            }
            row.assigned_to = body.assigned_to.apply_with(row.assigned_to.take(), id_text);
            row.due_date = body.due_date.apply_with(row.due_date, Date::naive);
            row.completed_date = body
                .completed_date
                .apply_with(row.completed_date, |date| date.0.naive());
            row.version += 1;
            row.updated_at = now();
            row.updated_by = caller.sub.clone();
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
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id, action_step_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let goal = goal_of(conn, &enrollment, goal_id)?;
            let mut row = action_step_of(conn, &goal, action_step_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.version += 1;
            row.updated_at = at;
            row.updated_by = caller.sub.clone();
            row.deleted_at = Some(at);
            action_step::update(conn, &row)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
