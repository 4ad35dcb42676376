use actix_web::{delete, get, patch, web, HttpResponse};

use super::{EnrollmentView, UpdateEnrollment};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::etag::{tagged_ok, IfMatchParam};
use crate::http::extract::ValidJson;
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, EnrollmentPath, NoQuery, VersionedWrite};
use crate::usecases::enrollments::{self, DeleteEnrollment, EditEnrollment};
use crate::usecases::visibility::visible_enrollment;
use crate::usecases::Change;

/// Get one enrollment.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "get_enrollment",
    params(EnrollmentPath),
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
    path: web::Path<EnrollmentPath>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let row = state
        .read(move |conn| visible_enrollment(conn, &caller, path.client_id, path.enrollment_id))
        .await?;
    Ok(tagged_ok(row.version, &EnrollmentView::from_row(&row)?))
}

/// Change an enrollment (JSON Merge Patch); every rule the changed fields touch is checked
/// again.
#[utoipa::path(
    tag = "enrollments",
    operation_id = "update_enrollment",
    params(EnrollmentPath, IfMatchParam, DryRun),
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
    write: VersionedWrite<EnrollmentPath>,
    ValidJson(body): ValidJson<UpdateEnrollment>,
) -> Result<HttpResponse, ApiError> {
    let input = EditEnrollment {
        client_id: write.path.client_id,
        enrollment_id: write.path.enrollment_id,
        expected: write.expected,
        entry_date: body.entry_date.as_value().map(|date| date.0),
        relationship: body.relationship_to_hoh.as_value().copied(),
        grant_id: body.grant_id.into(),
        case_manager_id: body.case_manager_id.into(),
        enrollment_coc: body.enrollment_coc.into(),
        disabling_condition: body.disabling_condition.into(),
        prior_living_situation: body.prior_living_situation.into(),
        length_of_stay: body.length_of_stay.into(),
        move_in_date: Change::from(body.move_in_date).map(|date| date.0),
        dry_run: write.dry_run,
    };
    let row = state
        .write(move |conn| enrollments::edit(conn, &write.caller, &input))
        .await?;
    Ok(tagged_ok(row.version, &EnrollmentView::from_row(&row)?))
}

/// Delete an enrollment (soft: kept for audit and the HMIS export, gone from every read).
#[utoipa::path(
    tag = "enrollments",
    operation_id = "delete_enrollment",
    params(EnrollmentPath, IfMatchParam, DryRun),
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
    write: VersionedWrite<EnrollmentPath>,
) -> Result<HttpResponse, ApiError> {
    let input = DeleteEnrollment {
        client_id: write.path.client_id,
        enrollment_id: write.path.enrollment_id,
        expected: write.expected,
        dry_run: write.dry_run,
    };
    state
        .write(move |conn| enrollments::delete(conn, &write.caller, &input))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
