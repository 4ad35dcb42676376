//! `.../enrollments/{enrollment_id}/follow-ups`: contacts to make with the client, each due
//! within the enrollment's period and optionally assigned to a staff member of the
//! program's organization. New enrollments may bring their first follow-ups along
//! ([`NewFollowUp`]).

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::{new_id, Date, FieldError};
use threshold_persistence::records::{self, follow_up};
use threshold_persistence::reference::{program, user};
use threshold_persistence::rows::{EnrollmentRow, FollowUpRow};
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Caller, Writer};
use crate::errors::ApiError;
use crate::etag::{tagged, IfMatch};
use crate::extract::{CheckBody, Patch, ValidJson};
use crate::pagination::{list_response, PageRequest};
use crate::state::AppState;
use crate::v1::common::{id_text, now, parse_stored_id, text_len, Audit, DryRun};
use crate::v1::enrollments::visible_enrollment;
use crate::v1::organizations::required_in_patch;
use crate::v1::programs::unknown;
use crate::v1::services::period_of;

/// Clocks of callers run a little ahead of ours: "now" on their side must not be refused.
const CLOCK_SKEW_SECONDS: i64 = 60;

/// A moment that must not be in the future.
fn not_future_instant(field: &str, at: Option<&DateTime<Utc>>, errors: &mut Vec<FieldError>) {
    if at.is_some_and(|at| *at > Utc::now() + chrono::Duration::seconds(CLOCK_SKEW_SECONDS)) {
        errors.push(FieldError::new(
            field,
            "date.in_future",
            format!("{field} is in the future"),
        ));
    }
}

/// A moment as stored: UTC, to the microsecond both backends keep.
fn stored_instant(at: DateTime<Utc>) -> NaiveDateTime {
    let micros = at.nanosecond() / 1_000 * 1_000;
    at.with_nanosecond(micros).unwrap_or(at).naive_utc()
}

/// A follow-up as a new enrollment brings it along, and the core of [`CreateFollowUp`].
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Check in after move-in", "due_date": "2025-12-01"}))]
pub struct NewFollowUp {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
    /// Within the enrollment's period.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// A user of the program's organization.
    #[serde(default)]
    pub assigned_to: Option<Uuid>,
}

impl NewFollowUp {
    /// The problems of the follow-up on its own, each field named under `path` (such as
    /// `follow_ups[0]`; empty for a body of its own).
    pub fn field_errors(&self, path: &str) -> Vec<FieldError> {
        let field = if path.is_empty() {
            "reason".to_owned()
        } else {
            format!("{path}.reason")
        };
        let mut errors = Vec::new();
        text_len(&field, Some(&self.reason), 500, &mut errors);
        errors
    }
}

impl CheckBody for NewFollowUp {
    fn check(&self) -> Vec<FieldError> {
        self.field_errors("")
    }
}

/// Whoever a record is assigned to is staff of the enrollment's program's organization.
pub fn check_assignee(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    assigned_to: Option<Uuid>,
) -> Result<(), ApiError> {
    let Some(assigned_to) = assigned_to else {
        return Ok(());
    };
    let owner = program::find(conn, &enrollment.program_id)?
        .ok_or_else(|| ApiError::Internal(format!("enrollment {} has no program", enrollment.id)))?
        .organization_id;
    let found = user::find(conn, &id_text(assigned_to))?.filter(|row| row.organization_id == owner);
    if found.is_none() {
        return Err(unknown(
            "assigned_to",
            "no such user in the program's organization",
        ));
    }
    Ok(())
}

/// The checks a new follow-up of `enrollment` must pass against stored data.
pub fn check_new_follow_up(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    new: &NewFollowUp,
) -> Result<(), ApiError> {
    check_assignee(conn, enrollment, new.assigned_to)?;
    check_record_dates(
        &period_of(enrollment),
        RecordKind::FollowUp,
        &[("due_date", Some(new.due_date))],
    )?;
    Ok(())
}

/// A new, open follow-up of `enrollment`, created by `by`.
pub fn new_follow_up_row(
    enrollment: &EnrollmentRow,
    reason: &str,
    due_date: Date,
    assigned_to: Option<Uuid>,
    by: &str,
) -> FollowUpRow {
    let at = now();
    FollowUpRow {
        id: id_text(new_id()),
        enrollment_id: enrollment.id.clone(),
        reason: reason.trim().to_owned(),
        due_date: due_date.naive(),
        assigned_to: assigned_to.map(id_text),
        completed_at: None,
        outcome: None,
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: by.to_owned(),
        updated_by: by.to_owned(),
        deleted_at: None,
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Check in after move-in", "due_date": "2025-12-01",
                          "assigned_to": "0193a1b2-0000-7000-8000-000000000004"}))]
pub struct CreateFollowUp {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
    /// Within the enrollment's period.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// A user of the program's organization.
    #[serde(default)]
    pub assigned_to: Option<Uuid>,
    /// When the follow-up was done (RFC 3339), not in the future.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub outcome: Option<String>,
}

impl CreateFollowUp {
    fn as_new(&self) -> NewFollowUp {
        NewFollowUp {
            reason: self.reason.clone(),
            due_date: self.due_date,
            assigned_to: self.assigned_to,
        }
    }
}

impl CheckBody for CreateFollowUp {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = self.as_new().field_errors("");
        not_future_instant("completed_at", self.completed_at.as_ref(), &mut errors);
        text_len("outcome", self.outcome.as_deref(), 2000, &mut errors);
        errors
    }
}

/// JSON Merge Patch of a follow-up.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"completed_at": "2025-12-01T15:30:00Z", "outcome": "Settled in"}))]
pub struct UpdateFollowUp {
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub reason: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub completed_at: Patch<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub outcome: Patch<String>,
}

impl CheckBody for UpdateFollowUp {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("reason", &self.reason, &mut errors);
        required_in_patch("due_date", &self.due_date, &mut errors);
        not_future_instant("completed_at", self.completed_at.as_value(), &mut errors);
        text_len(
            "reason",
            self.reason.as_value().map(String::as_str),
            500,
            &mut errors,
        );
        text_len(
            "outcome",
            self.outcome.as_value().map(String::as_str),
            2000,
            &mut errors,
        );
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpView {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub reason: String,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    pub assigned_to: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl FollowUpView {
    pub fn from_row(row: &FollowUpRow) -> Result<FollowUpView, ApiError> {
        Ok(FollowUpView {
            id: parse_stored_id(&row.id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            reason: row.reason.clone(),
            due_date: row.due_date.into(),
            assigned_to: row
                .assigned_to
                .as_deref()
                .map(parse_stored_id)
                .transpose()?,
            completed_at: row.completed_at.map(|at| at.and_utc()),
            outcome: row.outcome.clone(),
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

crate::list_of!(FollowUpList, FollowUpView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListFollowUps {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
}

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
    ValidJson(body): ValidJson<CreateFollowUp>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let new = body.as_new();
            check_new_follow_up(conn, &enrollment, &new)?;
            let mut row = new_follow_up_row(
                &enrollment,
                &new.reason,
                new.due_date,
                new.assigned_to,
                &caller.sub,
            );
            row.completed_at = body.completed_at.map(stored_instant);
            row.outcome = trimmed(body.outcome.clone());
            if !dry_run {
                follow_up::insert(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    let view = FollowUpView::from_row(&row)?;
    if dry_run {
        return Ok(HttpResponse::Ok().json(view));
    }
    let mut response = HttpResponse::Created();
    response.insert_header((
        "Location",
        format!(
            "/v1/clients/{client_id}/enrollments/{enrollment_id}/follow-ups/{}",
            row.id
        ),
    ));
    Ok(tagged(response, row.version, &view))
}

/// List an enrollment's follow-ups.
#[utoipa::path(
    tag = "follow-ups",
    operation_id = "list_follow_ups",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ListFollowUps,
    ),
    responses(
        (status = 200, description = "A page of follow-ups", body = FollowUpList),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/follow-ups")]
pub async fn list_follow_ups(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ListFollowUps>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            Ok(records::list_follow_ups(
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
        .map(FollowUpView::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(list_response(&request, data, next))
}

fn follow_up_of(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    follow_up_id: Uuid,
) -> Result<FollowUpRow, ApiError> {
    follow_up::find(conn, &id_text(follow_up_id))?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}

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
                    &period_of(&enrollment),
                    RecordKind::FollowUp,
                    &[("due_date", Some(due_date))],
                )?;
                row.due_date = due_date.naive();
            }
            if let Patch::Value(reason) = body.reason {
                row.reason = reason.trim().to_owned();
            }
            row.assigned_to = body.assigned_to.apply_with(row.assigned_to.take(), id_text);
            row.completed_at = body
                .completed_at
                .apply_with(row.completed_at, stored_instant);
            row.outcome = body
                .outcome
                .apply_with(row.outcome.take(), |text| text.trim().to_owned());
            row.version += 1;
            row.updated_at = now();
            row.updated_by = caller.sub.clone();
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
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, follow_up_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = follow_up_of(conn, &enrollment, follow_up_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.version += 1;
            row.updated_at = at;
            row.updated_by = caller.sub.clone();
            row.deleted_at = Some(at);
            follow_up::update(conn, &row)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
