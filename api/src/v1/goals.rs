//! `.../enrollments/{enrollment_id}/goals`: what the client works towards during a stay,
//! each of its dates within the enrollment's period.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::{new_id, Date, FieldError};
use threshold_persistence::records::{self, action_step, goal};
use threshold_persistence::rows::{EnrollmentRow, GoalRow};
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
use crate::v1::organizations::required_in_patch;
use crate::v1::services::period_of;

/// Where a goal stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    #[default]
    Open,
    Achieved,
    Abandoned,
}

impl GoalStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Open => "open",
            GoalStatus::Achieved => "achieved",
            GoalStatus::Abandoned => "abandoned",
        }
    }

    fn from_stored(text: &str) -> Result<GoalStatus, ApiError> {
        match text {
            "open" => Ok(GoalStatus::Open),
            "achieved" => Ok(GoalStatus::Achieved),
            "abandoned" => Ok(GoalStatus::Abandoned),
            other => Err(ApiError::Internal(format!("stored goal status {other}"))),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Move into permanent housing", "target_date": "2026-03-01"}))]
pub struct CreateGoal {
    #[schema(min_length = 1, max_length = 200)]
    pub title: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// `open` unless given.
    #[serde(default)]
    pub status: GoalStatus,
    /// Within the enrollment's period.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    /// Only on a goal that is achieved or abandoned; within the enrollment's period, not in
    /// the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_date: Option<NotFuture>,
}

fn check_goal(title: Option<&str>, description: Option<&str>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    text_len("title", title, 200, &mut errors);
    text_len("description", description, 2000, &mut errors);
    errors
}

/// A closed date says when an achieved or abandoned goal was closed: an open goal has none.
fn check_closed(status: GoalStatus, closed: bool, errors: &mut Vec<FieldError>) {
    if closed && status == GoalStatus::Open {
        errors.push(FieldError::new(
            "closed_date",
            "not_allowed",
            "closed_date only on a goal that is achieved or abandoned",
        ));
    }
}

impl CheckBody for CreateGoal {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = check_goal(Some(&self.title), self.description.as_deref());
        check_closed(self.status, self.closed_date.is_some(), &mut errors);
        errors
    }
}

/// JSON Merge Patch of a goal.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "achieved", "closed_date": "2025-12-01"}))]
pub struct UpdateGoal {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub title: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<GoalStatus>)]
    pub status: Patch<GoalStatus>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_date: Patch<NotFuture>,
}

impl CheckBody for UpdateGoal {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("title", &self.title, &mut errors);
        required_in_patch("status", &self.status, &mut errors);
        errors.extend(check_goal(
            self.title.as_value().map(String::as_str),
            self.description.as_value().map(String::as_str),
        ));
        if let Patch::Value(status) = self.status {
            check_closed(status, self.closed_date.as_value().is_some(), &mut errors);
        }
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalView {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub status: GoalStatus,
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl GoalView {
    fn from_row(row: &GoalRow) -> Result<GoalView, ApiError> {
        Ok(GoalView {
            id: parse_stored_id(&row.id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            title: row.title.clone(),
            description: row.description.clone(),
            status: GoalStatus::from_stored(&row.status)?,
            target_date: row.target_date.map(Into::into),
            closed_date: row.closed_date.map(Into::into),
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

crate::list_of!(GoalList, GoalView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListGoals {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

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
    ValidJson(body): ValidJson<CreateGoal>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let at = now();
            let row = GoalRow {
                id: id_text(new_id()),
                enrollment_id: enrollment.id.clone(),
                title: body.title.trim().to_owned(),
                description: trimmed(body.description.clone()),
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
            check_record_dates(&period_of(&enrollment), RecordKind::Goal, &goal_dates(&row))?;
            if !dry_run {
                goal::insert(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    let view = GoalView::from_row(&row)?;
    if dry_run {
        return Ok(HttpResponse::Ok().json(view));
    }
    let mut response = HttpResponse::Created();
    response.insert_header((
        "Location",
        format!(
            "/v1/clients/{client_id}/enrollments/{enrollment_id}/goals/{}",
            row.id
        ),
    ));
    Ok(tagged(response, row.version, &view))
}

fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
}

/// List an enrollment's goals.
#[utoipa::path(
    tag = "goals",
    operation_id = "list_goals",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ListGoals,
    ),
    responses(
        (status = 200, description = "A page of goals", body = GoalList),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/goals")]
pub async fn list_goals(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ListGoals>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            Ok(records::list_goals(
                conn,
                &enrollment.id,
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
        .map(GoalView::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(list_response(&request, data, next))
}

/// The goal of this enrollment with this ID (not deleted); 404 otherwise.
pub fn goal_of(
    conn: &mut threshold_persistence::DbConnection,
    enrollment: &EnrollmentRow,
    goal_id: Uuid,
) -> Result<GoalRow, ApiError> {
    goal::find(conn, &id_text(goal_id))?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}

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
                row.title = title.trim().to_owned();
            }
            row.description = body
                .description
                .apply_with(row.description.take(), |text| text.trim().to_owned());
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
            let mut errors = Vec::new();
            check_closed(
                GoalStatus::from_stored(&row.status)?,
                row.closed_date.is_some(),
                &mut errors,
            );
            ApiError::check_fields(errors)?;
            check_record_dates(
                &period_of(&enrollment),
                RecordKind::Goal,
                &[
                    ("target_date", body.target_date.as_value().copied()),
                    (
                        "closed_date",
                        body.closed_date.as_value().map(|date| date.0),
                    ),
                ],
            )?;
            row.version += 1;
            row.updated_at = now();
            row.updated_by = caller.sub.clone();
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
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, goal_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = goal_of(conn, &enrollment, goal_id)?;
            if_match.check(row.version)?;
            let at = now();
            // Steps left behind would be invisible yet still hold the enrollment's dates in place.
            loop {
                let steps = records::list_action_steps(conn, &row.id, None, 200)?;
                for mut step in steps.rows {
                    step.version += 1;
                    step.updated_at = at;
                    step.updated_by = caller.sub.clone();
                    step.deleted_at = Some(at);
                    action_step::update(conn, &step)?;
                }
                if !steps.more {
                    break;
                }
            }
            row.version += 1;
            row.updated_at = at;
            row.updated_by = caller.sub.clone();
            row.deleted_at = Some(at);
            goal::update(conn, &row)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
