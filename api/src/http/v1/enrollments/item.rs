use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use uuid::Uuid;

use super::{EnrollmentView, UpdateEnrollment};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::ValidJson;
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};
use crate::usecases::enrollments::{self, DeleteEnrollment, EditEnrollment};
use crate::usecases::visibility::visible_enrollment;
use crate::usecases::Change;

/// Get one enrollment.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "get_enrollment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
    ),
    responses(
        (status = 200, description = "The enrollment", body = EnrollmentView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}")]
pub async fn get_enrollment(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let row = state
        .read(move |conn| visible_enrollment(conn, &caller, client_id, enrollment_id))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &EnrollmentView::from_row(&row)?,
    ))
}

/// Change an enrollment (JSON Merge Patch); every rule the changed fields touch is checked
/// again.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "update_enrollment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateEnrollment, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed enrollment", body = EnrollmentView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "An enrollment rule is broken: `program.not_operating`, \
`grant.program_mismatch`, `grant.not_active`, `enrollment.overlap`, `enrollment.before_birth`, \
`enrollment.move_in_invalid`, `household.head_exists`, `household.member_before_head`, \
`household.members_active`, `exit.before_entry`, `enrollment.dependents_outside_period`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}")]
pub async fn update_enrollment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let input = EditEnrollment {
        client_id,
        enrollment_id,
        expected: IfMatch::from_request(&request).expected(),
        entry_date: body.entry_date.as_value().map(|date| date.0),
        relationship: body.relationship_to_hoh.as_value().copied(),
        grant_id: body.grant_id.into(),
        case_manager_id: body.case_manager_id.into(),
        enrollment_coc: body.enrollment_coc.into(),
        disabling_condition: body.disabling_condition.into(),
        prior_living_situation: body.prior_living_situation.into(),
        length_of_stay: body.length_of_stay.into(),
        move_in_date: Change::from(body.move_in_date).map(|date| date.0),
        dry_run: query.dry_run,
    };
    let row = state
        .write(move |conn| enrollments::edit(conn, &caller, &input))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &EnrollmentView::from_row(&row)?,
    ))
}

/// Delete an enrollment (soft: kept for audit and the HMIS export, gone from every read).
#[utoipa::path(
    tag = "enrollments",
    operation_id = "delete_enrollment",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted, with its services, goals, action steps and \
follow-ups; its assessments are unlinked and stay with the client"),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`household.members_active`: a head with active members"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}")]
pub async fn delete_enrollment(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let input = DeleteEnrollment {
        client_id,
        enrollment_id,
        expected: IfMatch::from_request(&request).expected(),
        dry_run: query.dry_run,
    };
    state
        .write(move |conn| enrollments::delete(conn, &caller, &input))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
